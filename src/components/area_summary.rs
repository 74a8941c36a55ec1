//! An area page once its data is loaded: headline figures, children, breakdowns, trend.

use leptos::prelude::*;
use leptos_router::components::A;
use pantau_core::api::{AreaView, Figures, Rank};
use pantau_core::{AreaCode, Level};

use crate::components::children::ChildrenViews;
use crate::components::labels::area_kind;
use crate::components::progress::{band, ProgressBar};
use crate::deferred::{area_map, area_sections, deferred};
use crate::format::{count, percent, rupiah, timestamp_wib};
use crate::i18n::{locale, texts};

/// App path of an area's page.
pub fn area_href(code: &AreaCode) -> String {
    code.page_path()
}

/// The whole area view.
#[component]
pub fn AreaSummary(area: AreaView) -> impl IntoView {
    let t = texts();
    let title = format!("{} — Pantau", area.name);
    Effect::new(move |_| document().set_title(&title));
    let crumbs = area
        .breadcrumbs
        .into_iter()
        .map(|crumb| view! { <li><A href=area_href(&crumb.code)>{crumb.name}</A></li> })
        .collect_view();
    let code = area.code.clone();
    let as_of = timestamp_wib(area.data_as_of, locale());

    view! {
        <article class="area" data-testid="area-summary" data-code=area.code.to_string()>
            {area.demo.then(|| view! {
                <p class="demo-banner" role="note" data-testid="demo-banner">
                    <strong>{t.top.demo_title}</strong>{t.top.demo_text}
                </p>
            })}
            <nav aria-label=t.top.breadcrumbs class="crumbs">
                <ol>{crumbs}</ol>
            </nav>
            <p class="kind">{area_kind(&area.code)}</p>
            <h1 data-testid="area-name">{area.name.clone()}</h1>
            {area.rank.map(|rank| view! { <RankLine rank/> })}
            <Headline figures=area.figures.clone() level=area.level/>
            <p class="as-of" data-testid="data-as-of">{t.top.data_as_of} " " {as_of}</p>
            {(!area.children.is_empty()).then(|| view! {
                <ChildrenViews code=code.clone() level=area.level children=area.children.clone()/>
            })}
            {(area.level == Level::Village).then(|| view! {
                <section class="siblings-map" aria-labelledby="siblings-map-heading">
                    <h2 id="siblings-map-heading">{t.siblings_map}</h2>
                    {deferred(area_map(code.clone(), area.level, Vec::new()))}
                </section>
            })}
            // Below the list: arrives after the first paint and pushes nothing on screen down.
            {deferred(area_sections(code.clone(), area.level, area.figures.clone(), area.name.clone()))}
        </article>
    }
}

#[component]
fn RankLine(rank: Rank) -> impl IntoView {
    let (before, middle, after) = texts().top.rank;
    let l = locale();
    view! {
        <p class="rank" data-testid="area-rank">
            {before} <strong>{count(rank.position, l)}</strong> {middle} {count(rank.of, l)} {after}
        </p>
    }
}

/// Headline figures of one area.
#[component]
fn Headline(figures: Figures, level: Level) -> impl IntoView {
    let t = texts();
    let l = locale();
    let gap = figures.target.saturating_sub(figures.active);
    let inactive = figures.enrolled.saturating_sub(figures.active);
    let pct = figures.progress_pct;
    view! {
        <section class="card headline" aria-label=t.top.progress_label>
            <p class="big">
                <span class="big-number" data-testid="area-active">{count(figures.active, l)}</span>
                " " {t.top.of} " "
                <span data-testid="area-target">{count(figures.target, l)}</span>
                " " {t.top.protected_workers}
            </p>
            <div class="progress-line">
                <ProgressBar pct label=t.top.progress_label/>
                <span class=format!("pct {}", band(pct)) data-testid="area-progress">{percent(pct, l)}</span>
            </div>
            <p class="gap" data-testid="area-gap">
                {if gap == 0 {
                    t.top.target_reached.to_owned()
                } else {
                    format!("{}{}{}", t.top.short_of.0, count(gap, l), t.top.short_of.1)
                }}
            </p>
            <dl class="stats">
                <div>
                    <dt>{t.top.enrolled}</dt>
                    <dd data-testid="area-enrolled">{count(figures.enrolled, l)}</dd>
                </div>
                <div>
                    <dt>{t.top.verified}</dt>
                    <dd data-testid="area-verified">
                        <span data-testid="area-verified-count">{count(figures.verified, l)}</span>
                        <small class="awaiting">
                            {count(figures.enrolled.saturating_sub(figures.verified), l)} " " {t.top.awaiting_verification}
                        </small>
                    </dd>
                </div>
                <div>
                    <dt>{t.top.active}</dt>
                    <dd>{count(figures.active, l)}</dd>
                </div>
                <div>
                    <dt>{t.top.inactive}</dt>
                    <dd data-testid="area-inactive">{count(inactive, l)}</dd>
                </div>
                {(level != Level::Village).then(|| view! {
                    <div>
                        <dt>{t.top.villages_at_target}</dt>
                        <dd data-testid="area-villages-at-target">
                            {count(figures.villages_at_target, l)} " " {t.top.of} " " {count(figures.villages, l)}
                        </dd>
                    </div>
                })}
                <div>
                    <dt>{t.top.premium_per_year}</dt>
                    <dd data-testid="area-premium">
                        {match figures.premium_per_year {
                            Some(premium) => rupiah(premium, l).into_any(),
                            // A dash in the figure's place, and why, as small as the line under "verified".
                            None => view! { "—" <small class="awaiting">{t.top.premium_hidden}</small> }.into_any(),
                        }}
                    </dd>
                </div>
            </dl>
            <p class="note">{t.top.headline_counts}</p>
        </section>
    }
}
