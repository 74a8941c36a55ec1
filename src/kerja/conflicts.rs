//! Reports from other villages that found one of the area's workers already enrolled here: the
//! officials check the record (a worker who moved is deactivated as moved) and mark the report
//! done.

use leptos::prelude::*;
use pantau_core::account::Action as Permission;
use pantau_core::display::timestamp_wib;
use pantau_core::workers::Conflict;
use pantau_core::AreaCode;

use super::api::{self, KerjaError};
use super::i18n::texts;
use super::layout::KerjaLoadError;
use super::state::use_session;
use crate::i18n::locale;

/// The open reports about the workers of `area`.
#[component]
pub fn ConflictList(area: AreaCode) -> impl IntoView {
    let t = texts();
    let list = LocalResource::new(move || {
        let area = area.clone();
        async move { api::conflicts(&area).await }
    });
    let error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
    let resolve = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            match api::resolve_conflict(id).await {
                Ok(()) => list.refetch(),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <section id="laporan-konflik" class="card conflicts" data-testid="conflicts">
            <h2>{t.conflicts_title}</h2>
            <p class="hint">{t.conflicts_note}</p>
            {move || error.get().map(|e| view! { <p class="notice is-error" role="alert">{e.to_string()}</p> })}
            {move || match list.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Ok(conflicts)) => {
                    view! {
                        <ul class="conflict-list">
                            {conflicts
                                .into_iter()
                                .map(|conflict| view! { <ConflictItem conflict resolve/> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
                Some(Err(error)) => view! { <KerjaLoadError error retry=move || list.refetch()/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ConflictItem(conflict: Conflict, resolve: Action<i64, ()>) -> impl IntoView {
    let t = texts();
    let session = use_session();
    let may_resolve = session.may(Permission::EditWorker, &AreaCode::Region(conflict.village.clone()));
    let id = conflict.id;
    view! {
        <li data-testid="conflict">
            <p>
                <strong>{conflict.nik_masked.clone()}</strong>
                {format!(" · {}", conflict.village_name)}
            </p>
            <p class="hint">
                {format!(
                    "{}: {} ({}) · {}",
                    t.claimed_by,
                    conflict.claimed_by_name,
                    conflict.claimed_by,
                    timestamp_wib(conflict.reported_at, locale()),
                )}
            </p>
            {(!conflict.note.is_empty()).then(|| view! { <p class="conflict-note">{conflict.note.clone()}</p> })}
            <div class="actions">
                <a class="button secondary small" href=format!("/kerja/pekerja/{}", conflict.enrolment_id)>
                    {t.open_record}
                </a>
                {may_resolve
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button small"
                                disabled=move || resolve.pending().get()
                                on:click=move |_| {
                                    resolve.dispatch_local(id);
                                }
                            >
                                {t.resolve}
                            </button>
                        }
                    })}
            </div>
        </li>
    }
}
