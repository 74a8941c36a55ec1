//! `/kerja/admin/sinkron`: for supervisors (district officers, regency and national admins),
//! per operator account of the area, when the server last received a write from it and how
//! many records arrived on each of the last 14 days, so "I sent 40 but only 38 arrived" can
//! be settled against the receipts on the operator's phone.
//!
//! Phone first: one card per account with its counts, a row of 14 small bars (new records
//! dark, other writes light) with the day of the month under each, and the same figures as a
//! table day by day. The page lives in the lazily loaded administration module, so its
//! styles are inline rather than in the workspace's first-load stylesheet.

use leptos::prelude::*;
use pantau_core::display::{count, day_month, timestamp_wib};
use pantau_core::workers::{OperatorSync, SyncDay, SyncReport};
use pantau_core::Level;

use super::{area_page, AdminArea, Page};
use crate::i18n::locale;
use crate::kerja::api;
use crate::kerja::i18n::{admin_texts, sync_texts};
use crate::kerja::layout::KerjaLoadError;

/// Height of the tallest bar, pixels.
const BAR_PX: u32 = 36;

/// The sync page.
#[component]
pub fn SyncPage() -> impl IntoView {
    area_page(Page::Sync, |AdminArea { area, .. }| {
        let report = LocalResource::new(move || {
            let area = area.get();
            async move { api::sync_report(&area).await }
        });
        move || {
            let t = sync_texts();
            let body = match report.get() {
                None => view! { <p class="loading">{admin_texts().loading}</p> }.into_any(),
                Some(Ok(report)) if report.operators.is_empty() => {
                    view! { <p class="card" data-testid="sync-empty">{t.empty}</p> }.into_any()
                }
                Some(Ok(report)) => view! { <SyncList report/> }.into_any(),
                Some(Err(error)) => view! { <KerjaLoadError error retry=move || report.refetch()/> }.into_any(),
            };
            view! {
                <p data-testid="sync-intro">{t.intro}</p>
                <p class="hint">{t.how}</p>
                {body}
            }
        }
    })
}

#[component]
fn SyncList(report: SyncReport) -> impl IntoView {
    let t = sync_texts();
    let lang = locale();
    let accounts = report.operators.len();
    let days = StoredValue::new(report.days);
    view! {
        <p class="total" data-testid="sync-count">{format!("{}{}", count(u64::try_from(accounts).unwrap_or(u64::MAX), lang), t.operators)}</p>
        <p class="hint" aria-hidden="true">
            <span style=swatch(true)></span>
            {format!(" {}  ", t.legend_new)}
            <span style=swatch(false)></span>
            {format!(" {}", t.legend_other)}
        </p>
        <ul class="admin-list" data-testid="sync-list">
            {report
                .operators
                .into_iter()
                .map(|row| view! { <OperatorItem row days=days.get_value()/> })
                .collect_view()}
        </ul>
    }
}

/// The little square of the legend.
fn swatch(new: bool) -> &'static str {
    if new {
        "display:inline-block;width:.8em;height:.8em;vertical-align:-.05em;background:var(--brand)"
    } else {
        "display:inline-block;width:.8em;height:.8em;vertical-align:-.05em;background:#9fc9b9"
    }
}

#[component]
fn OperatorItem(row: OperatorSync, days: Vec<SyncDay>) -> impl IntoView {
    let t = sync_texts();
    let lang = locale();
    let today_new = row.enrolled_per_day.last().copied().unwrap_or(0);
    let total_new: u32 = row.enrolled_per_day.iter().sum();
    let total_writes: u32 = row.writes_per_day.iter().sum();
    let last = row
        .last_sync
        .map_or_else(|| t.never.to_owned(), |at| timestamp_wib(at, lang));
    // Operators are scoped to a village; anyone else listed wrote here from a wider scope.
    let other = row.scope.level() != Level::Village;
    let highest = row.writes_per_day.iter().copied().max().unwrap_or(0).max(1);
    let per_day: Vec<(SyncDay, u32, u32)> = days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let new = row.enrolled_per_day.get(i).copied().unwrap_or(0);
            let writes = row.writes_per_day.get(i).copied().unwrap_or(0);
            (*day, new, writes)
        })
        .collect();
    let bars = per_day
        .iter()
        .map(|&(day, new, writes)| {
            let height = |n: u32| if n == 0 { 0 } else { (n * BAR_PX).div_ceil(highest).max(2) };
            let other_px = height(writes).saturating_sub(height(new));
            view! {
                <li style="flex:1 1 0;min-width:0;display:flex;flex-direction:column;align-items:center;justify-content:flex-end;list-style:none">
                    <span style="font-size:.7rem;line-height:1.1;min-height:1.1em">
                        {(writes > 0).then(|| writes.to_string())}
                    </span>
                    <span style=format!("display:block;width:70%;height:{other_px}px;background:#9fc9b9")></span>
                    <span style=format!("display:block;width:70%;height:{}px;background:var(--brand)", height(new))></span>
                    <span style="display:block;width:100%;border-top:1px solid var(--line)"></span>
                    <span style="font-size:.65rem;color:var(--muted);line-height:1.3">{day.0.day()}</span>
                </li>
            }
        })
        .collect_view();
    let table_rows = per_day
        .iter()
        .rev()
        .map(|&(day, new, writes)| {
            view! {
                <tr data-testid="sync-day" data-day=day.0.to_string()>
                    <td>{day_month(day.0, lang)}</td>
                    <td style="text-align:right">{count(u64::from(new), lang)}</td>
                    <td style="text-align:right">{count(u64::from(writes), lang)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <li data-testid="sync-operator" data-username=row.username.clone()>
            <p class="admin-item-title">
                <strong data-testid="sync-name">{row.display_name.clone()}</strong>
            </p>
            <p class="hint">
                <span data-testid="sync-scope">{row.scope_name.clone()}</span>
                {format!(" · @{}", row.username)}
            </p>
            {other.then(|| view! { <p class="hint">{t.other_account}</p> })}
            <p data-testid="sync-last" data-never=row.last_sync.is_none().to_string()>
                {t.last_sync}
                <strong>{last}</strong>
            </p>
            <p>
                <span data-testid="sync-today">{format!("{}{}{}", t.today, count(u64::from(today_new), lang), t.new_records)}</span>
                " · "
                <span data-testid="sync-total">{format!("{}{}{}", t.fortnight, count(u64::from(total_new), lang), t.new_records)}</span>
                <span class="hint">{format!(" ({}{})", count(u64::from(total_writes), lang), t.writes)}</span>
            </p>
            <ol
                data-testid="sync-bars"
                aria-hidden="true"
                style="display:flex;gap:2px;align-items:flex-end;margin:.4rem 0 .2rem;padding:0"
            >
                {bars}
            </ol>
            <details>
                <summary>{t.per_day}</summary>
                <table style="width:100%;border-collapse:collapse;font-size:.9rem">
                    <thead>
                        <tr>
                            <th scope="col" style="text-align:left">{t.day}</th>
                            <th scope="col" style="text-align:right">{t.legend_new}</th>
                            <th scope="col" style="text-align:right">{t.writes.trim()}</th>
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </details>
        </li>
    }
}
