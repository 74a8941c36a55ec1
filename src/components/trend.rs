//! The last 24 months of an area as an SVG line chart, with the same numbers as a table.

use leptos::prelude::*;
use pantau_core::api::{AreaTrend, TrendPoint};
use pantau_core::AreaCode;

use crate::api;
use crate::components::downloads::Downloads;
use crate::format::{count, month_year};
use crate::i18n::{locale, texts};

// Chart size in viewBox units; integers so no float formatting is needed.
const WIDTH: u64 = 960;
const HEIGHT: u64 = 360;

/// Loads and shows the monthly series of `code`.
#[component]
pub fn TrendSection(code: AreaCode) -> impl IntoView {
    let t = texts();
    let fetch_code = code.clone();
    let data = LocalResource::new(move || {
        let code = fetch_code.clone();
        async move { api::trend(&code).await }
    });
    view! {
        <section class="trend" aria-labelledby="trend-heading" data-testid="trend">
            <h2 id="trend-heading">{t.trend}</h2>
            // A plain reactive read rather than Transition/Suspend: this section is secondary,
            // and the async machinery per resource type weighs on the wasm download.
            {move || match data.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Ok(trend)) => view! { <TrendChart trend/> }.into_any(),
                Some(Err(e)) => view! { <p class="inline-error" role="alert">{e.to_string()}</p> }.into_any(),
            }}
            <Downloads csv=format!("/api/v1/areas/{code}/trend.csv") json=format!("/api/v1/areas/{code}/trend") testid="trend-downloads"/>
        </section>
    }
}

/// SVG polyline points for one series scaled to `max`.
fn line(points: &[TrendPoint], max: u64, value: impl Fn(&TrendPoint) -> u64) -> String {
    let last = (points.len().max(2) - 1) as u64;
    points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "{},{}",
                i as u64 * WIDTH / last,
                HEIGHT - value(p).min(max) * HEIGHT / max
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
fn TrendChart(trend: AreaTrend) -> impl IntoView {
    let t = texts();
    let l = locale();
    let points = trend.points;
    let max = points
        .iter()
        .map(|p| p.enrolled.max(p.active))
        .max()
        .unwrap_or(0)
        .max(1);
    let (first, last) = (points.first().copied(), points.last().copied());
    let summary = match (first, last) {
        (Some(a), Some(b)) => format!(
            "{} {}–{}: {} {} → {}; {} {} → {}.",
            t.trend,
            month_year(a.month, l),
            month_year(b.month, l),
            t.top.enrolled,
            count(a.enrolled, l),
            count(b.enrolled, l),
            t.active_short,
            count(a.active, l),
            count(b.active, l)
        ),
        _ => String::new(),
    };
    let rows = points
        .iter()
        .rev()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row">{month_year(p.month, l)}</th>
                    <td class="num">{count(p.enrolled, l)}</td>
                    <td class="num">{count(p.active, l)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("-6 -24 {} {}", WIDTH + 12, HEIGHT + 36) role="img" aria-label=summary.clone()>
                <title>{summary.clone()}</title>
                <line class="axis" x1="0" y1=HEIGHT.to_string() x2=WIDTH.to_string() y2=HEIGHT.to_string()></line>
                <polyline class="line-enrolled" points=line(&points, max, |p| p.enrolled)></polyline>
                <polyline class="line-active" points=line(&points, max, |p| p.active)></polyline>
                <text class="axis-label" x="0" y="-4">{count(max, l)}</text>
            </svg>
            <figcaption>
                <span class="key key-enrolled">{t.top.enrolled}</span>
                <span class="key key-active">{t.active_short}</span>
                <span class="range">
                    {first.map(|p| month_year(p.month, l))} " – " {last.map(|p| month_year(p.month, l))}
                </span>
            </figcaption>
        </figure>
        <p class="note">{t.trend_note}</p>
        <details>
            <summary>{t.show_table}</summary>
            <table class="trend-table">
                <thead>
                    <tr>
                        <th scope="col">{t.month}</th>
                        <th scope="col" class="num">{t.top.enrolled}</th>
                        <th scope="col" class="num">{t.active_short}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}
