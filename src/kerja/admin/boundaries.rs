//! `/kerja/admin/batas-desa`: a regency admin uploads village boundaries (GeoJSON, one polygon
//! per village with `properties.code`); the regency's district maps then show them. All or
//! nothing: the server lists every problem and stores nothing when one is found.

use leptos::html::Input;
use leptos::prelude::*;
use pantau_core::display::count;
use pantau_core::{AreaCode, ErrorCode};
use wasm_bindgen::{JsCast, JsValue};

use super::{area_page, local_error, AdminArea, Page};
use crate::i18n::locale;
use crate::kerja::api::{self, KerjaError};
use crate::kerja::i18n::admin_texts;

/// The text of the file chosen in `input`, read by the browser (`File.text()`), so the app
/// needs no file bindings of its own.
async fn file_text(input: &web_sys::HtmlInputElement) -> Option<String> {
    let files = js_sys::Reflect::get(input, &"files".into()).ok()?;
    let file = js_sys::Reflect::get(&files, &JsValue::from(0)).ok()?;
    if file.is_undefined() || file.is_null() {
        return None;
    }
    let text: js_sys::Function = js_sys::Reflect::get(&file, &"text".into()).ok()?.dyn_into().ok()?;
    let promise: js_sys::Promise = text.call0(&file).ok()?.dyn_into().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.as_string()
}

/// The boundaries page.
#[component]
pub fn BoundariesPage() -> impl IntoView {
    area_page(Page::Boundaries, |AdminArea { area, .. }| {
        let t = admin_texts();
        let file: NodeRef<Input> = NodeRef::new();
        let stored: RwSignal<Option<usize>> = RwSignal::new(None);
        let error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
        let upload = Action::new_local(move |_: &()| async move {
            stored.set(None);
            error.set(None);
            let AreaCode::Region(regency) = area.get_untracked() else {
                return;
            };
            let Some(input) = file.get_untracked() else {
                return;
            };
            let Some(text) = file_text(&input).await else {
                error.set(Some(local_error(ErrorCode::BadRequest, None)));
                return;
            };
            match api::upload_boundaries(&regency, &text).await {
                Ok(villages) => stored.set(Some(villages)),
                Err(e) => error.set(Some(e)),
            }
        });
        let submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if !upload.pending().get_untracked() {
                upload.dispatch_local(());
            }
        };
        let details = move || match error.get() {
            Some(KerjaError::Api(body)) => body.details.clone(),
            _ => Vec::new(),
        };
        move || {
            view! {
                <form class="card admin-form" on:submit=submit>
                    <p class="intro">{t.boundaries_intro}</p>
                    <div class="field">
                        <label for="boundaries-file">{t.boundaries_file}</label>
                        <input
                            id="boundaries-file"
                            type="file"
                            accept=".geojson,.json,application/geo+json,application/json"
                            required
                            data-testid="boundaries-file"
                            node_ref=file
                        />
                    </div>
                    <button type="submit" class="button big" data-testid="boundaries-upload" disabled=move || upload.pending().get()>
                        {move || if upload.pending().get() { t.uploading } else { t.upload }}
                    </button>
                </form>
                {move || {
                    stored
                        .get()
                        .map(|n| {
                            view! {
                                <p class="notice is-success" role="status" data-testid="boundaries-stored">
                                    {format!("{}{}", count(n as u64, locale()), t.villages_stored)}
                                </p>
                            }
                        })
                }}
                {move || {
                    error
                        .get()
                        .map(|e| {
                            view! {
                                <div class="notice is-error" role="alert" data-testid="boundaries-error">
                                    <p>{e.to_string()}</p>
                                    <ul class="details" data-testid="boundaries-details">
                                        {details().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                                    </ul>
                                </div>
                            }
                        })
                }}
            }
            .into_any()
        }
    })
}
