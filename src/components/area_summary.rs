//! An area's headline figures and the list of its children.

use leptos::prelude::*;
use leptos_router::components::A;
use pantau_core::api::{AreaChild, AreaView, Figures};
use pantau_core::{AreaCode, Level};

use crate::components::labels::{area_kind, children_heading};
use crate::components::progress::{band, ProgressBar};
use crate::format::{count, percent, timestamp_wib};

/// App path of an area's page.
pub fn area_href(code: &AreaCode) -> String {
    match code {
        AreaCode::Nation => "/".to_owned(),
        AreaCode::Region(region) => format!("/wilayah/{region}"),
    }
}

/// The whole area view: breadcrumbs, headline, children.
#[component]
pub fn AreaSummary(area: AreaView) -> impl IntoView {
    let title = format!("{} — Pantau", area.name);
    Effect::new(move |_| document().set_title(&title));
    let kind = area_kind(&area.code);
    let heading = area.level.child().map(children_heading).unwrap_or_default();
    let children = area.children.clone();
    let child_count = children.len();
    let crumbs = area
        .breadcrumbs
        .into_iter()
        .map(|crumb| {
            view! { <li><A href=area_href(&crumb.code)>{crumb.name}</A></li> }
        })
        .collect_view();

    view! {
        <article class="area" data-testid="area-summary" data-code=area.code.to_string()>
            {area.demo.then(|| view! {
                <p class="demo-banner" role="note" data-testid="demo-banner">
                    <strong>"Data demo. "</strong>
                    "Angka di halaman ini dibuat untuk peragaan, bukan data resmi BPJS Ketenagakerjaan."
                </p>
            })}
            <nav aria-label="Jejak wilayah" class="crumbs">
                <ol>{crumbs}</ol>
            </nav>
            <p class="kind">{kind}</p>
            <h1 data-testid="area-name">{area.name.clone()}</h1>
            <Headline figures=area.figures.clone() level=area.level/>
            <p class="as-of" data-testid="data-as-of">"Data per " {timestamp_wib(area.data_as_of)}</p>
            {(child_count > 0).then(|| view! {
                <section class="children" aria-labelledby="children-heading">
                    <h2 id="children-heading">{heading} " (" {child_count} ")"</h2>
                    <ol class="child-list" data-testid="child-list">
                        {children.into_iter().map(|child| view! { <ChildRow child/> }).collect_view()}
                    </ol>
                </section>
            })}
        </article>
    }
}

/// Headline figures of one area.
#[component]
fn Headline(figures: Figures, level: Level) -> impl IntoView {
    let gap = figures.target.saturating_sub(figures.active);
    let inactive = figures.enrolled.saturating_sub(figures.active);
    let pct = figures.progress_pct;
    view! {
        <section class="card headline" aria-label="Capaian">
            <p class="big">
                <span class="big-number" data-testid="area-active">{count(figures.active)}</span>
                " dari "
                <span data-testid="area-target">{count(figures.target)}</span>
                " pekerja rentan terlindungi"
            </p>
            <div class="progress-line">
                <ProgressBar pct label="Capaian target"/>
                <span class=format!("pct {}", band(pct)) data-testid="area-progress">{percent(pct)}</span>
            </div>
            <p class="gap" data-testid="area-gap">
                {if gap == 0 {
                    "Target sudah tercapai.".to_owned()
                } else {
                    format!("Kurang {} pekerja lagi untuk mencapai target.", count(gap))
                }}
            </p>
            <dl class="stats">
                <div>
                    <dt>"Terdaftar"</dt>
                    <dd data-testid="area-enrolled">{count(figures.enrolled)}</dd>
                </div>
                <div>
                    <dt>"Aktif (iuran bulan ini terbayar)"</dt>
                    <dd>{count(figures.active)}</dd>
                </div>
                <div>
                    <dt>"Menunggak atau berhenti"</dt>
                    <dd data-testid="area-inactive">{count(inactive)}</dd>
                </div>
                {(level != Level::Village).then(|| view! {
                    <div>
                        <dt>"Desa/kelurahan mencapai target"</dt>
                        <dd data-testid="area-villages-at-target">
                            {count(figures.villages_at_target)} " dari " {count(figures.villages)}
                        </dd>
                    </div>
                })}
            </dl>
        </section>
    }
}

/// One child in the list, the whole row a link one level down.
#[component]
fn ChildRow(child: AreaChild) -> impl IntoView {
    let f = child.figures;
    let href = format!("/wilayah/{}", child.code);
    let villages = (child.level != Level::Village).then(|| {
        format!(
            "{} dari {} desa capai target",
            count(f.villages_at_target),
            count(f.villages)
        )
    });
    view! {
        <li data-testid="child-row" data-code=child.code.to_string()>
            <A href=href attr:class="child-link">
                <span class="child-name" data-testid="child-name">{child.name.clone()}</span>
                <span class="child-figures">
                    <span data-testid="child-active">{count(f.active)}</span>
                    " / "
                    <span data-testid="child-target">{count(f.target)}</span>
                </span>
                <ProgressBar pct=f.progress_pct label=format!("Capaian {}", child.name)/>
                <span class=format!("pct {}", band(f.progress_pct)) data-testid="child-progress">{percent(f.progress_pct)}</span>
                {villages.map(|text| view! { <span class="child-villages">{text}</span> })}
            </A>
        </li>
    }
}
