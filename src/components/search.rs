//! The region search box: a combobox (WAI-ARIA pattern) over `GET /api/v1/search`.
//! Arrow keys move through the results, Enter opens one, Escape closes the list.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use pantau_core::api::SearchHit;

use crate::api;
use crate::components::area_summary::area_href;
use crate::components::labels::{area_kind, parent_prefix};
use crate::i18n::texts;
use pantau_core::AreaCode;

/// Queries shorter than this are not sent.
const MIN_QUERY: usize = 2;

/// "Sukamaju — Desa, Kec. Tambelang, Kabupaten Bekasi".
pub fn hit_context(hit: &SearchHit) -> String {
    let mut parts = vec![area_kind(&AreaCode::Region(hit.code.clone())).to_owned()];
    // The two nearest parents: a village shows its district and regency, a district its
    // regency and province; short enough for one line on a phone.
    let shown = if hit.parents.len() > 2 {
        &hit.parents[..2]
    } else {
        &hit.parents[..]
    };
    parts.extend(shown.iter().map(|p| format!("{}{}", parent_prefix(p.level), p.name)));
    parts.join(", ")
}

/// The search box with its result list. `id` keeps two boxes on one page apart.
#[component]
pub fn SearchBox(#[prop(into)] id: String) -> impl IntoView {
    let t = texts();
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(None::<usize>);
    let open = RwSignal::new(false);
    let results = LocalResource::new(move || {
        let q = query.get();
        async move {
            if q.trim().chars().count() < MIN_QUERY {
                Ok(Vec::new())
            } else {
                api::search(q.trim()).await
            }
        }
    });
    let hits = move || results.get().and_then(Result::ok).unwrap_or_default();
    let list_id = format!("{id}-list");
    let option_id = {
        let id = id.clone();
        move |i: usize| format!("{id}-opt-{i}")
    };
    let navigate = use_navigate();
    let on_key = {
        move |ev: leptos::ev::KeyboardEvent| {
            let count = hits().len();
            match ev.key().as_str() {
                "ArrowDown" if count > 0 => {
                    ev.prevent_default();
                    open.set(true);
                    active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
                }
                "ArrowUp" if count > 0 => {
                    ev.prevent_default();
                    active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
                }
                "Enter" => {
                    let chosen = active
                        .get()
                        .or((count > 0).then_some(0))
                        .and_then(|i| hits().get(i).cloned());
                    if let Some(hit) = chosen {
                        ev.prevent_default();
                        open.set(false);
                        query.set(String::new());
                        navigate(&area_href(&AreaCode::Region(hit.code)), Default::default());
                    }
                }
                "Escape" => open.set(false),
                _ => {}
            }
        }
    };
    let expanded = move || open.get() && query.with(|q| q.trim().chars().count() >= MIN_QUERY);
    let input_id = format!("{id}-input");
    view! {
        <div class="search" role="search">
            <label class="visually-hidden" for=input_id.clone()>{t.search_label}</label>
            <input
                id=input_id
                type="search"
                data-testid="search-input"
                autocomplete="off"
                spellcheck="false"
                role="combobox"
                aria-autocomplete="list"
                aria-controls=list_id.clone()
                aria-expanded=move || expanded().to_string()
                aria-activedescendant={
                    let option_id = option_id.clone();
                    move || active.get().map(&option_id)
                }
                placeholder=t.search_placeholder
                prop:value=move || query.get()
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    active.set(None);
                    open.set(true);
                }
                on:keydown=on_key
                on:focus=move |_| open.set(true)
            />
            <Show when=expanded>
                <ul id=list_id.clone() class="search-results" role="listbox" data-testid="search-results">
                    {
                        let option_id = option_id.clone();
                        move || {
                            let list = hits();
                            if list.is_empty() {
                                let pending = results.get().is_none();
                                return view! {
                                    <li class="search-empty" role="option" aria-disabled="true">
                                        {if pending { texts().loading } else { texts().search_none }}
                                    </li>
                                }
                                .into_any();
                            }
                            list.into_iter()
                                .enumerate()
                                .map(|(i, hit)| {
                                    let context = hit_context(&hit);
                                    let href = area_href(&AreaCode::Region(hit.code.clone()));
                                    view! {
                                        <li
                                            id=option_id(i)
                                            role="option"
                                            aria-selected=move || (active.get() == Some(i)).to_string()
                                            data-testid="search-hit"
                                            data-code=hit.code.to_string()
                                        >
                                            <A href=href on:click=move |_| { open.set(false); query.set(String::new()); }>
                                                <span class="hit-name">{hit.name.clone()}</span>
                                                <span class="hit-context">{context}</span>
                                            </A>
                                        </li>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }
                    }
                </ul>
            </Show>
        </div>
    }
}
