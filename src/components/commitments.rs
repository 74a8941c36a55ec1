//! Local commitments on an area page: the regulations of the regency and province the area
//! lies in, and for a regency the Paritrana readiness card (regulation, coverage, villages at
//! target, funding sources used).

use leptos::prelude::*;
use pantau_core::api::{AreaBreakdowns, Figures};
use pantau_core::commitments::{readiness, Readiness, Regulation};
use pantau_core::{AreaCode, Level};

use crate::api;
use crate::error::AppError;
use crate::format::{count, percent};
use crate::i18n::{locale, texts};

/// Loads the regulations and shows them; for a regency also the readiness card, from the
/// page's breakdowns (`breakdowns`, fetched once for the whole page).
#[component]
pub fn CommitmentsSection(
    code: AreaCode,
    level: Level,
    figures: Figures,
    breakdowns: LocalResource<Result<AreaBreakdowns, AppError>>,
) -> impl IntoView {
    let t = texts();
    let regency = level == Level::Regency;
    let regulations = LocalResource::new(move || {
        let code = code.clone();
        async move { api::regulations(&code).await }
    });
    move || {
        let figures = figures.clone();
        let regulations = regulations.get().and_then(Result::ok)?;
        let card = if regency {
            let funding = breakdowns.get().and_then(Result::ok)?;
            Some(readiness(&figures, &funding.breakdowns, &regulations))
        } else {
            None
        };
        (card.is_some() || !regulations.is_empty()).then(|| {
            view! {
                <section class="card commitments" aria-labelledby="commitments-heading" data-testid="commitments">
                    <h2 id="commitments-heading">{t.commitments}</h2>
                    {card.map(|card| view! { <ReadinessCard card/> })}
                    <RegulationList regulations/>
                </section>
            }
        })
    }
}

#[component]
fn ReadinessCard(card: Readiness) -> impl IntoView {
    let t = texts();
    let l = locale();
    let sources = if card.funding_sources.is_empty() {
        t.none.to_owned()
    } else {
        card.funding_sources
            .iter()
            .map(|f| f.label(locale()).to_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mark = |ok: bool| if ok { "✓" } else { "✗" };
    view! {
        <h3>{t.readiness_title}</h3>
        <p class="note">{t.readiness_note}</p>
        <dl class="readiness" data-testid="readiness">
            <div>
                <dt>{t.readiness_regulation}</dt>
                <dd data-testid="readiness-regulation">
                    {mark(card.regulation_in_place)} " "
                    {if card.regulation_in_place { t.yes } else { t.not_yet }}
                </dd>
            </div>
            <div>
                <dt>{t.readiness_coverage}</dt>
                <dd>{percent(card.coverage_pct, l)}</dd>
            </div>
            <div>
                <dt>{t.top.villages_at_target}</dt>
                <dd>{count(card.villages_at_target, l)} " " {t.top.of} " " {count(card.villages, l)}</dd>
            </div>
            <div>
                <dt>{t.readiness_funding}</dt>
                <dd data-testid="readiness-funding">{sources}</dd>
            </div>
        </dl>
    }
}

#[component]
fn RegulationList(regulations: Vec<Regulation>) -> impl IntoView {
    let t = texts();
    if regulations.is_empty() {
        return view! { <p class="note" data-testid="no-regulations">{t.no_regulations}</p> }.into_any();
    }
    view! {
        <h3>{t.regulations}</h3>
        <ul class="regulations" data-testid="regulations">
            {regulations
                .into_iter()
                .map(|r| {
                    view! {
                        <li>
                            <p>
                                <strong>{r.kind.label(locale())} " " {r.number.clone()}</strong>
                                " · " {r.area_name.clone()} " · " {r.date.to_string()}
                            </p>
                            <p>{r.title.clone()}</p>
                            {(!r.summary.is_empty()).then(|| view! { <p class="note">{r.summary.clone()}</p> })}
                            {r.link.clone().map(|href| view! {
                                <p><a href=href rel="noopener nofollow" target="_blank">{t.read_regulation}</a></p>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
