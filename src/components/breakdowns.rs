//! Who is covered in an area: one table per dimension with an SVG bar per row. The table is
//! the bars' text alternative.

use leptos::prelude::*;
use pantau_core::api::AreaBreakdowns;
use pantau_core::breakdown::cell_text;
use pantau_core::{AreaCode, Breakdown};

use crate::api;
use crate::components::downloads::Downloads;
use crate::error::AppError;
use crate::format::{count, percent};
use crate::i18n::{dimension_title, locale, texts};

/// The breakdowns of `code`, fetched once per area page: the breakdown tables and the
/// readiness card both read them.
pub fn breakdowns_resource(code: AreaCode) -> LocalResource<Result<AreaBreakdowns, AppError>> {
    LocalResource::new(move || {
        let code = code.clone();
        async move { api::breakdowns(&code).await }
    })
}

/// Shows the breakdowns of `code` from `data`.
#[component]
pub fn BreakdownsSection(code: AreaCode, data: LocalResource<Result<AreaBreakdowns, AppError>>) -> impl IntoView {
    let t = texts();
    view! {
        <section class="breakdowns" aria-labelledby="breakdowns-heading" data-testid="breakdowns">
            <h2 id="breakdowns-heading">{t.breakdowns}</h2>
            // A plain reactive read rather than Transition/Suspend: this section is secondary,
            // and the async machinery per resource type weighs on the wasm download.
            {move || match data.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Ok(b)) => view! { <BreakdownTables data=b/> }.into_any(),
                Some(Err(e)) => view! { <p class="inline-error" role="alert">{e.to_string()}</p> }.into_any(),
            }}
            <Downloads
                csv=format!("/api/v1/areas/{code}/breakdowns.csv")
                json=format!("/api/v1/areas/{code}/breakdowns")
                testid="breakdowns-downloads"
            />
        </section>
    }
}

#[component]
fn BreakdownTables(data: AreaBreakdowns) -> impl IntoView {
    let t = texts();
    let suppressed = data.small_cells_suppressed;
    let empty = data
        .breakdowns
        .iter()
        .all(|b| b.rows.iter().all(|r| r.enrolled == Some(0)));
    if empty {
        return view! { <p class="note" data-testid="breakdowns-empty">{t.breakdowns_empty}</p> }.into_any();
    }
    view! {
        <p class="note">{t.breakdowns_note} {suppressed.then_some(" ")} {suppressed.then_some(t.suppressed_note)}</p>
        <div class="breakdown-grid">
            {data.breakdowns.into_iter().map(|b| view! { <BreakdownTable breakdown=b/> }).collect_view()}
        </div>
    }
    .into_any()
}

/// Shown cell: the count, or core's "<5" where it is suppressed.
fn cell(n: Option<u64>) -> String {
    cell_text(n, |n| count(n, locale()))
}

#[component]
fn BreakdownTable(breakdown: Breakdown) -> impl IntoView {
    let t = texts();
    let l = locale();
    let kind = breakdown.dimension;
    let dimension = kind.as_str();
    let rows: Vec<_> = breakdown.rows.into_iter().filter(|r| r.enrolled != Some(0)).collect();
    // Bars are scaled to the largest visible cell; suppressed cells draw no bar.
    let max = rows.iter().filter_map(|r| r.enrolled).max().unwrap_or(0).max(1);
    let title_id = format!("breakdown-{dimension}");
    view! {
        <table class="breakdown" data-testid=format!("breakdown-{dimension}") aria-labelledby=title_id.clone()>
            <caption id=title_id.clone()>{dimension_title(breakdown.dimension)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t.category}</th>
                    <th scope="col" class="num">{t.top.enrolled}</th>
                    <th scope="col" class="num">{t.active_short}</th>
                    <th scope="col" class="bar-col"><span class="visually-hidden">{t.share_active}</span></th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        // Bar lengths in a 0–1000 wide viewBox, as integers.
                        let width = row.enrolled.map_or(0, |e| e * 1000 / max);
                        let active_width = match (row.enrolled, row.active) {
                            (Some(_), Some(a)) => a * 1000 / max,
                            _ => 0,
                        };
                        let share = match (row.enrolled, row.active) {
                            (Some(e), Some(a)) if e > 0 => percent(a as f64 * 100.0 / e as f64, l),
                            _ => String::new(),
                        };
                        view! {
                            <tr data-value=row.value.clone()>
                                <th scope="row">{kind.category_label(&row.value, l).unwrap_or(&row.value).to_owned()}</th>
                                <td class="num" data-testid="cell-enrolled">{cell(row.enrolled)}</td>
                                <td class="num" data-testid="cell-active">{cell(row.active)}</td>
                                <td class="bar-col">
                                    <svg viewBox="0 0 1000 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                                        <rect class="bar-enrolled" width=width.to_string() height="10"></rect>
                                        <rect class="bar-active" width=active_width.to_string() height="10"></rect>
                                    </svg>
                                    <span class="visually-hidden">{share}</span>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
