//! `/kerja/pekerja`: the workers of the official's area, filtered and paged. Filters live in
//! the query string (`?status=submitted&halaman=2`) so the back button and a reload keep
//! them; no personal data ever goes there.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use pantau_core::display::{count, month_year};
use pantau_core::workers::{Coverage, Status, WorkerPage, WorkerRow};
use pantau_core::{FundingSource, Segment};

use super::api::{self, ListFilter};
use super::i18n::texts;
use super::layout::{FlashNotice, KerjaLoadError};
use super::state::use_session;
use crate::i18n::locale;

/// Query keys of the list's address, in the order they are written.
const KEYS: [&str; 5] = ["status", "pekerjaan", "iuran", "masa", "nonaktif"];

fn filter_of(query: &ParamsMap) -> ListFilter {
    let get = |key: &str| query.get(key).unwrap_or_default();
    ListFilter {
        status: Status::parse(&get("status")),
        segment: Segment::parse(&get("pekerjaan")),
        funding: FundingSource::parse(&get("iuran")),
        coverage: Coverage::parse(&get("masa")),
        deactivated: get("nonaktif") == "ya",
        // Shown from 1, asked from 0.
        page: get("halaman").parse::<u32>().unwrap_or(1).saturating_sub(1),
    }
}

/// The list's address with `key` set to `value` (removed when empty); back to page 1.
fn href_with(query: &ParamsMap, key: &str, value: &str, page: Option<u32>) -> String {
    let mut parts: Vec<String> = KEYS
        .iter()
        .filter(|k| **k != key)
        .filter_map(|k| query.get(k).filter(|v| !v.is_empty()).map(|v| (k, v)))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if !value.is_empty() {
        parts.push(format!("{key}={value}"));
    }
    if let Some(page) = page.filter(|p| *p > 1) {
        parts.push(format!("halaman={page}"));
    }
    if parts.is_empty() {
        "/kerja/pekerja".to_owned()
    } else {
        format!("/kerja/pekerja?{}", parts.join("&"))
    }
}

/// The list page.
#[component]
pub fn ListPage() -> impl IntoView {
    let t = texts();
    let session = use_session();
    let query = use_query_map();
    let workers = LocalResource::new(move || {
        let scope = session.me().map(|me| me.grant.scope);
        let filter = filter_of(&query.read());
        async move {
            match scope {
                Some(scope) => api::workers(&scope, &filter).await,
                None => Ok(WorkerPage {
                    workers: Vec::new(),
                    total: 0,
                    page_size: 1,
                }),
            }
        }
    });
    view! {
        <h1>{t.list_title}</h1>
        <FlashNotice/>
        <Filters/>
        {move || match workers.get() {
            None => view! { <p class="loading" data-testid="list-loading">{t.loading}</p> }.into_any(),
            Some(Ok(page)) => view! { <WorkerList page/> }.into_any(),
            Some(Err(error)) => view! { <KerjaLoadError error retry=move || workers.refetch()/> }.into_any(),
        }}
    }
}

/// One select per filter; a change opens the filtered list.
#[component]
fn Filters() -> impl IntoView {
    let t = texts();
    let query = use_query_map();
    let navigate = use_navigate();
    let current = move |key: &'static str| move || query.read().get(key).unwrap_or_default();
    let go = move |key: &'static str, value: String| {
        let href = href_with(&query.read_untracked(), key, &value, None);
        navigate(
            &href,
            NavigateOptions {
                resolve: false,
                ..Default::default()
            },
        );
    };
    let go_select = go.clone();
    let select = move |key: &'static str, label: &'static str, options: Vec<(&'static str, &'static str)>| {
        let go = go_select.clone();
        let value = current(key);
        let options = options
            .into_iter()
            .map(|(code, text)| view! { <option value=code prop:selected=move || value() == code>{text}</option> })
            .collect_view();
        view! {
            <label class="filter">
                <span>{label}</span>
                <select data-testid=format!("filter-{key}") on:change=move |ev| go(key, event_target_value(&ev))>
                    <option value="" prop:selected=move || value().is_empty()>{t.all}</option>
                    {options}
                </select>
            </label>
        }
    };
    let statuses = Status::ALL.map(|s| (s.as_str(), s.label(locale()))).to_vec();
    let coverages = Coverage::ALL.map(|c| (c.as_str(), c.label(locale()))).to_vec();
    let segments = Segment::ALL.map(|s| (s.as_str(), s.label(locale()))).to_vec();
    let funding = FundingSource::ALL.map(|f| (f.as_str(), f.label(locale()))).to_vec();
    let deactivated = move || query.read().get("nonaktif").as_deref() == Some("ya");
    let toggle_deactivated = { move |_| go("nonaktif", if deactivated() { String::new() } else { "ya".to_owned() }) };
    let any_filter = move || KEYS.iter().any(|k| query.read().get(k).is_some_and(|v| !v.is_empty()));
    view! {
        <details class="card filters" open=true>
            <summary>{t.filters}</summary>
            <div class="filter-grid">
                {select("status", t.filter_status, statuses)}
                {select("masa", t.filter_coverage, coverages)}
                {select("pekerjaan", t.filter_segment, segments)}
                {select("iuran", t.filter_funding, funding)}
            </div>
            <label class="choice small">
                <input
                    type="checkbox"
                    data-testid="filter-deactivated"
                    prop:checked=deactivated
                    on:change=toggle_deactivated
                />
                <span>{t.deactivated_only}</span>
            </label>
            <Show when=any_filter>
                <a href="/kerja/pekerja" class="clear-filters" data-testid="clear-filters">{t.clear_filters}</a>
            </Show>
        </details>
    }
}

/// The rows of one page, the total, and the way to the other pages.
#[component]
fn WorkerList(page: WorkerPage) -> impl IntoView {
    let t = texts();
    let query = use_query_map();
    let lang = locale();
    let current = filter_of(&query.read_untracked()).page + 1;
    let pages = page.total.div_ceil(u64::from(page.page_size.max(1))).max(1);
    let pages = u32::try_from(pages).unwrap_or(u32::MAX);
    let link = move |to: u32| href_with(&query.read_untracked(), "", "", Some(to));
    let empty = page.workers.is_empty();
    view! {
        <p class="total" data-testid="list-total">{count(page.total, lang)} {t.workers_count}</p>
        {empty.then(|| view! { <p class="card" data-testid="list-empty">{t.no_workers}</p> })}
        <ul class="worker-list" data-testid="worker-list">
            <For each=move || page.workers.clone() key=|w| w.id let:worker>
                <WorkerItem worker/>
            </For>
        </ul>
        {(pages > 1)
            .then(|| {
                view! {
                    <nav class="pager" aria-label=format!("{}{}{}{}", t.page_of.0, current, t.page_of.1, pages)>
                        {(current > 1).then(|| view! { <a href=link(current - 1) rel="prev" data-testid="page-prev">{t.previous_page}</a> })}
                        <span data-testid="page-of">{format!("{}{}{}{}", t.page_of.0, current, t.page_of.1, pages)}</span>
                        {(current < pages).then(|| view! { <a href=link(current + 1) rel="next" data-testid="page-next">{t.next_page}</a> })}
                    </nav>
                }
            })}
    }
}

/// One worker: name, masked NIK, status, paid-through month and coverage.
#[component]
fn WorkerItem(worker: WorkerRow) -> impl IntoView {
    let t = texts();
    let lang = locale();
    let status_class = format!("badge status-{}", worker.status.as_str());
    let coverage_class = format!("badge coverage-{}", worker.coverage.as_str());
    view! {
        <li data-testid="worker-row" data-id=worker.id.to_string()>
            <a class="worker-link" href=format!("/kerja/pekerja/{}", worker.id)>
                <span class="worker-name" data-testid="worker-name">{worker.full_name.clone()}</span>
                <span class="worker-nik" data-testid="worker-nik">{worker.nik_masked.clone()}</span>
                <span class="worker-badges">
                    <span class=status_class data-testid="worker-status">{worker.status.label(locale())}</span>
                    {match worker.deactivated {
                        Some(reason) => view! { <span class="badge deactivated" title=reason.label(locale())>{t.deactivated}</span> }.into_any(),
                        None => view! { <span class=coverage_class data-testid="worker-coverage">{worker.coverage.label(locale())}</span> }.into_any(),
                    }}
                </span>
                <span class="worker-paid" data-testid="worker-paid-through">
                    {t.paid_through} " " {month_year(worker.paid_through, lang)}
                </span>
            </a>
        </li>
    }
}
