//! The region search box: a combobox (WAI-ARIA pattern) over `GET /api/v1/search`.
//! Arrow keys move through the results, Enter opens one, Escape closes the list.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use pantau_core::api::SearchHit;

use crate::api;
use crate::components::area_summary::area_href;
use crate::components::labels::{area_kind, parent_prefix};
use crate::deferred::{deferred, search_results};
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

/// What the search box and its lazily loaded result list share.
#[derive(Clone, Copy)]
pub struct SearchState {
    pub query: RwSignal<String>,
    /// The highlighted result.
    pub active: RwSignal<Option<usize>>,
    pub open: RwSignal<bool>,
    /// The results of the current query, as far as they have arrived.
    pub hits: RwSignal<Vec<SearchHit>>,
    /// The current query's results are still on their way.
    pub pending: RwSignal<bool>,
}

impl SearchState {
    /// Whether the list shows: open, with a query long enough to send.
    pub fn expanded(self) -> bool {
        self.open.get() && self.query.with(|q| q.trim().chars().count() >= MIN_QUERY)
    }
}

/// The search box. The input and its keys are in the first download; fetching and the list
/// of results (`crate::deferred::search_results`) arrive on the first focus or keystroke, and
/// what was typed meanwhile is searched as soon as they do. `id` keeps two boxes apart.
#[component]
pub fn SearchBox(#[prop(into)] id: String) -> impl IntoView {
    let t = texts();
    let state = SearchState {
        query: RwSignal::new(String::new()),
        active: RwSignal::new(None),
        open: RwSignal::new(false),
        hits: RwSignal::new(Vec::new()),
        pending: RwSignal::new(false),
    };
    let SearchState {
        query,
        active,
        open,
        hits,
        ..
    } = state;
    let wanted = RwSignal::new(false);
    let list_id = format!("{id}-list");
    let option_id = {
        let id = id.clone();
        move |i: usize| format!("{id}-opt-{i}")
    };
    let navigate = use_navigate();
    let on_key = {
        move |ev: leptos::ev::KeyboardEvent| {
            let count = hits.with(Vec::len);
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
                        .and_then(|i| hits.with(|h| h.get(i).cloned()));
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
    let input_id = format!("{id}-input");
    view! {
        <div class="search" role="search">
            <label class="visually-hidden" for=input_id.clone()>{t.top.search_label}</label>
            <input
                id=input_id
                type="search"
                data-testid="search-input"
                autocomplete="off"
                spellcheck="false"
                role="combobox"
                aria-autocomplete="list"
                aria-controls=list_id.clone()
                aria-expanded=move || state.expanded().to_string()
                aria-activedescendant={
                    let option_id = option_id.clone();
                    move || active.get().map(&option_id)
                }
                placeholder=t.top.search_placeholder
                prop:value=move || query.get()
                on:input=move |ev| {
                    wanted.set(true);
                    query.set(event_target_value(&ev));
                    active.set(None);
                    open.set(true);
                }
                on:keydown=on_key
                on:focus=move |_| {
                    wanted.set(true);
                    open.set(true);
                }
            />
            {move || wanted.get().then(|| deferred(search_results(state, id.clone())))}
        </div>
    }
}

/// The result list under the box: fetches each query's results and shows them.
pub fn result_list(state: SearchState, id: String) -> impl IntoView {
    let SearchState {
        query,
        active,
        open,
        hits,
        pending,
    } = state;
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
    Effect::new(move |_| {
        let arrived = results.get();
        pending.set(arrived.is_none());
        hits.set(arrived.and_then(Result::ok).unwrap_or_default());
    });
    let list_id = format!("{id}-list");
    let option_id = move |i: usize| format!("{id}-opt-{i}");
    view! {
        <Show when=move || state.expanded()>
            <ul id=list_id.clone() class="search-results" role="listbox" data-testid="search-results">
                {
                    let option_id = option_id.clone();
                    move || {
                        let list = hits.get();
                        if list.is_empty() {
                            return view! {
                                <li class="search-empty" role="option" aria-disabled="true">
                                    {if pending.get() { texts().loading } else { texts().search_none }}
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
    }
}
