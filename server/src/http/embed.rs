//! `GET /embed/{code}`: the progress widget regency websites put in an iframe, and
//! `GET /laporan/{code}`: the printable one-page report. Both are server-rendered HTML with
//! inline CSS and SVG: no WebAssembly, a few kilobytes.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use pantau_core::api::{AreaView, TrendPoint};
use pantau_core::breakdown::cell_text;
use pantau_core::commitments::regulation_holders;
use pantau_core::display::{self, Language};
use pantau_core::{AreaCode, Dimension, Level};
use serde::Deserialize;
use time::OffsetDateTime;

use super::areas::this_month;
use super::path::AreaPath;
use super::ApiError;
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/embed/{code}", get(embed))
        .route("/laporan/{code}", get(report))
}

/// Widget options.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct EmbedOptions {
    /// `id` (default) or `en`.
    lang: Option<String>,
    /// `light` (default) or `dark`.
    theme: Option<String>,
    /// `full` (default) or `compact` (no chart).
    mode: Option<String>,
}

/// Report options.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ReportOptions {
    /// `id` (default) or `en`.
    lang: Option<String>,
}

/// Words and figures of one language.
struct Words {
    lang: Language,
}

impl Words {
    /// The words of `?lang=` (`id` or `en`), Bahasa Indonesia by default.
    fn of(lang: Option<&str>) -> Self {
        Self {
            lang: lang.and_then(Language::parse).unwrap_or(Language::Id),
        }
    }

    fn pick(&self, id: &'static str, en: &'static str) -> &'static str {
        if self.lang == Language::En {
            en
        } else {
            id
        }
    }

    fn count(&self, n: u64) -> String {
        display::count(n, self.lang)
    }

    fn percent(&self, pct: f64) -> String {
        display::percent(pct, self.lang)
    }

    fn timestamp(&self, at: OffsetDateTime) -> String {
        display::timestamp_wib(at, self.lang)
    }
}

/// A 12-month sparkline of active members.
fn sparkline(points: &[TrendPoint], label: &str) -> Markup {
    let max = points.iter().map(|p| p.active).max().unwrap_or(0).max(1);
    let last = points.len().saturating_sub(1).max(1) as u64;
    let coords: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{},{}", i as u64 * 300 / last, 60 - p.active * 56 / max))
        .collect();
    html! {
        svg class="spark" viewBox="0 0 300 62" role="img" aria-label=(label) preserveAspectRatio="none" {
            title { (label) }
            polyline points=(coords.join(" ")) {}
        }
    }
}

const EMBED_CSS: &str = "
*{box-sizing:border-box}body{margin:0;font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b2430;background:#fff}
.w{padding:12px 14px;border:1px solid #d8dee6;border-radius:10px}
.dark body,.dark{color:#eef2f6;background:#141a21}.dark .w{border-color:#33404d}.dark .m{color:#b9c3cd}.dark .t{background:#33404d}.dark a{color:#8cc8ff}
h1{font-size:15px;margin:0 0 4px}.b{font-size:28px;font-weight:800;line-height:1.1}.m{color:#4f5b69;font-size:13px}
.t{height:10px;border-radius:9px;background:#e6eaef;overflow:hidden;margin:6px 0}.t span{display:block;height:100%;background:#0b6e4f}
.spark{display:block;width:100%;height:48px;margin:6px 0}.spark polyline{fill:none;stroke:#0b6e4f;stroke-width:2;vector-effect:non-scaling-stroke}
a{color:#0a5a8f}.demo{font-size:12px;background:#fff4d6;color:#1b2430;border-radius:6px;padding:2px 6px;display:inline-block;margin-bottom:4px}
";

// Tells the embedding page how tall the widget is (see README for the snippet that listens).
const HEIGHT_SCRIPT: &str = "(function(){function s(){parent.postMessage({type:'pantau:height',height:document.documentElement.scrollHeight},'*')}addEventListener('load',s);addEventListener('resize',s);s()})()";

#[tracing::instrument(skip_all, fields(area = %code))]
async fn embed(
    State(state): State<AppState>,
    AreaPath(code): AreaPath,
    Query(options): Query<EmbedOptions>,
) -> Result<Response, ApiError> {
    let view = state.store.area(&code, this_month()).await?;
    let w = Words::of(options.lang.as_deref());
    let dark = options.theme.as_deref() == Some("dark");
    let compact = options.mode.as_deref() == Some("compact");
    let points = if compact {
        Vec::new()
    } else {
        state.store.trend(&code, this_month(), 12).await?
    };
    let f = &view.figures;
    let width = format!("width:{}%", (f.progress_pct.clamp(0.0, 100.0)).round() as u64);
    let page_url = if code == AreaCode::Nation {
        "/".to_owned()
    } else {
        format!("/wilayah/{code}")
    };
    let lang = w.lang.code();
    let markup = html! {
        (DOCTYPE)
        html lang=(lang) class=[dark.then_some("dark")] {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { (view.name) " — Pantau" }
                style { (PreEscaped(EMBED_CSS)) }
            }
            body {
                main class="w" data-testid="embed" {
                    @if view.demo { span class="demo" { (w.pick("Data demo", "Demo data")) } }
                    h1 { (view.name) }
                    div class="b" { span data-testid="embed-active" { (w.count(f.active)) } }
                    div class="m" {
                        (w.pick("dari ", "of ")) span data-testid="embed-target" { (w.count(f.target)) } " "
                        (w.pick("pekerja rentan terlindungi", "vulnerable workers protected"))
                    }
                    div class="t" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=(f.progress_pct.round() as u64)
                        aria-label=(w.pick("Capaian target", "Progress to target")) { span style=(width) {} }
                    div { strong data-testid="embed-progress" { (w.percent(f.progress_pct)) } " "
                        span class="m" { (w.pick("dari target 1 Desa 100", "of the 1 Village 100 target")) } }
                    @if view.level != Level::Village {
                        div class="m" data-testid="embed-villages" {
                            (w.count(f.villages_at_target)) " " (w.pick("dari", "of")) " " (w.count(f.villages)) " "
                            (w.pick("desa/kelurahan mencapai target", "villages at target"))
                        }
                    }
                    @if !points.is_empty() {
                        (sparkline(&points, w.pick("Peserta aktif 12 bulan terakhir", "Active members, last 12 months")))
                    }
                    div class="m" {
                        (w.pick("Data per ", "Data as of ")) (w.timestamp(view.data_as_of)) " · "
                        a href=(format!("{page_url}?lang={lang}")) target="_blank" rel="noopener" { (w.pick("Selengkapnya di Pantau", "More on Pantau")) }
                    }
                }
                script { (PreEscaped(HEIGHT_SCRIPT)) }
            }
        }
    };
    let mut response = Html(markup.into_string()).into_response();
    super::cache::set(
        &mut response,
        axum::http::header::CONTENT_SECURITY_POLICY,
        embed_policy(),
    );
    Ok(response)
}

/// The widget's policy: framed by any site, its one inline script by hash, nothing loaded but
/// its own inline styles and images.
fn embed_policy() -> &'static str {
    static POLICY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    POLICY.get_or_init(|| {
        use base64::Engine;
        use sha2::Digest;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(HEIGHT_SCRIPT.as_bytes()));
        format!(
            "default-src 'none'; script-src 'sha256-{hash}'; style-src 'unsafe-inline'; img-src 'self' data:; \
             base-uri 'none'; form-action 'none'; frame-ancestors *"
        )
    })
}

// One A4 page in print; on a phone (officials share the link) the tables fold into one
// block per row so the page reads top to bottom without scrolling sideways.
const REPORT_CSS: &str = "
@page{size:A4;margin:16mm 14mm}*{box-sizing:border-box}
body{font:11pt/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111;margin:0 auto;max-width:190mm;padding:8mm 0;overflow-wrap:break-word}
h1{font-size:18pt;margin:0}h2{font-size:12pt;margin:14px 0 6px;border-bottom:1px solid #999}
.sub{color:#444;margin:2px 0 10px}.kpi{display:flex;gap:10px;flex-wrap:wrap}.kpi div{flex:1 1 30%;border:1px solid #bbb;border-radius:6px;padding:6px 8px}
.kpi b{display:block;font-size:15pt}table{width:100%;border-collapse:collapse;font-size:9.5pt}th,td{border-bottom:1px solid #ccc;padding:2px 4px;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}thead th{border-bottom:1.5px solid #333}tr{break-inside:avoid}
.regs{margin:0;padding:0;list-style:none;font-size:9.5pt}.regs li{padding:3px 0;border-bottom:1px solid #ccc;break-inside:avoid}.regs p{margin:0}
.regs .s{color:#444}.regs a{color:inherit;overflow-wrap:anywhere}
.demo{border:1px solid #c90;background:#fff4d6;padding:4px 8px;margin-bottom:8px}footer{margin-top:12px;font-size:8.5pt;color:#444}
@media screen{body{padding:20px}}
@media print{body{font-size:10pt;padding:0;max-width:none}h1{font-size:15pt}h2{font-size:11pt;margin:8px 0 3px}.sub{margin:0 0 6px}
.kpi{gap:6px}.kpi div{flex:1 1 18%;padding:3px 6px}.kpi b{font-size:12pt}table,.regs{font-size:8pt;line-height:1.25}th,td{padding:0 4px}.regs li{padding:1px 0}
footer{margin-top:6px;font-size:7.5pt}}
@media screen and (max-width:40em){
body{padding:12px}h1{font-size:16pt}.kpi div{flex-basis:40%}
table,tbody,tr,td{display:block}thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
tr{display:grid;grid-template-columns:1fr 1fr;column-gap:16px;padding:4px 0;border-bottom:1px solid #ccc}td{border:0;padding:1px 0}td:first-child{grid-column:1/-1}td.n{display:flex;justify-content:space-between;gap:8px}
td.n::before{content:attr(data-label);color:#444;text-align:left}td:first-child{font-weight:600}}
";

#[tracing::instrument(skip_all, fields(area = %code))]
async fn report(
    State(state): State<AppState>,
    AreaPath(code): AreaPath,
    Query(options): Query<ReportOptions>,
) -> Result<Response, ApiError> {
    let view: AreaView = state.store.area(&code, this_month()).await?;
    let breakdowns = state.store.published_breakdowns(&code, this_month()).await?;
    let funding = breakdowns.into_iter().find(|b| b.dimension == Dimension::Funding);
    let regulations = state.store.regulations(&regulation_holders(&code)).await?;
    let w = Words::of(options.lang.as_deref());
    let f = &view.figures;
    let cell = |n: Option<u64>| cell_text(n, |n| w.count(n));
    let path: Vec<&str> = view.breadcrumbs.iter().map(|c| c.name.as_str()).collect();
    let (target, enrolled, active) = ("Target", w.pick("Terdaftar", "Enrolled"), w.pick("Aktif", "Active"));
    let (progress, villages) = (
        w.pick("Capaian", "Progress"),
        w.pick("Desa capai target", "Villages at target"),
    );
    let markup = html! {
        (DOCTYPE)
        html lang=(w.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { (w.pick("Laporan ", "Report: ")) (view.name) " — Pantau" }
                style { (PreEscaped(REPORT_CSS)) }
            }
            body data-testid="report" {
                @if view.demo { div class="demo" {
                    strong { (w.pick("Data demo.", "Demo data.")) }
                    (w.pick(" Angka dibuat untuk peragaan, bukan data resmi.", " Figures made up for demonstration, not official data."))
                } }
                h1 { (w.pick("Perlindungan pekerja rentan — ", "Social security for vulnerable workers — ")) (view.name) }
                p class="sub" { (path.join(" › ")) " · " (w.pick("Data per ", "Data as of ")) (w.timestamp(view.data_as_of)) }
                div class="kpi" {
                    div { (w.pick("Terlindungi (aktif)", "Protected (active)")) b { (w.count(f.active)) " / " (w.count(f.target)) }
                          (w.percent(f.progress_pct)) (w.pick(" dari target", " of target")) }
                    div { (enrolled) b { (w.count(f.enrolled)) }
                          (w.count(f.enrolled.saturating_sub(f.active))) (w.pick(" menunggak/berhenti", " in arrears or stopped")) }
                    div { (w.pick("Desa mencapai target", "Villages at target")) b { (w.count(f.villages_at_target)) " / " (w.count(f.villages)) } }
                    @if let Some(premium) = f.premium_per_year {
                        div { (w.pick("Iuran setahun peserta aktif", "Yearly premiums of active members")) b { "Rp" (w.count(premium)) } }
                    }
                    @if let Some(rank) = view.rank {
                        div { (w.pick("Peringkat capaian", "Progress rank")) b { (rank.position) (w.pick(" dari ", " of ")) (rank.of) } }
                    }
                }
                @if !view.children.is_empty() {
                    h2 { (w.pick("Wilayah di bawahnya (", "Areas within (")) (view.children.len()) ")" }
                    table {
                        thead { tr { th { (w.pick("Wilayah", "Area")) } th class="n" { (target) } th class="n" { (enrolled) } th class="n" { (active) }
                                     th class="n" { (progress) } th class="n" { (villages) } } }
                        tbody {
                            @for c in &view.children {
                                tr { td { (c.name) } td class="n" data-label=(target) { (w.count(c.figures.target)) }
                                     td class="n" data-label=(enrolled) { (w.count(c.figures.enrolled)) }
                                     td class="n" data-label=(active) { (w.count(c.figures.active)) }
                                     td class="n" data-label=(progress) { (w.percent(c.figures.progress_pct)) }
                                     td class="n" data-label=(villages) { (w.count(c.figures.villages_at_target)) " / " (w.count(c.figures.villages)) } }
                            }
                        }
                    }
                }
                @if let Some(funding) = funding {
                    h2 { (w.pick("Sumber pembiayaan iuran", "Premium funding sources")) }
                    table {
                        thead { tr { th { (w.pick("Sumber", "Source")) } th class="n" { (enrolled) } th class="n" { (active) } } }
                        tbody { @for r in funding.rows.iter().filter(|r| r.enrolled != Some(0)) {
                            tr { td { (Dimension::Funding.category_label(&r.value, w.lang).unwrap_or(&r.value)) } td class="n" data-label=(enrolled) { (cell(r.enrolled)) }
                                 td class="n" data-label=(active) { (cell(r.active)) } }
                        } }
                    }
                }
                h2 { (w.pick("Regulasi daerah", "Local regulations")) }
                @if regulations.is_empty() {
                    p data-testid="report-no-regulations" { (w.pick(
                        "Belum ada regulasi daerah (Perbup/Pergub/SE/MoU) yang tercatat di Pantau untuk wilayah ini.",
                        "No local regulation (Perbup/Pergub/SE/MoU) is recorded in Pantau for this area yet.",
                    )) }
                } @else {
                    ul class="regs" data-testid="report-regulations" {
                        @for r in &regulations {
                            li {
                                p { strong { (r.kind.label(w.lang)) " " (r.number) } " · " (r.area_name) " · " (r.date) }
                                p { (r.title) }
                                @if !r.summary.is_empty() { p class="s" { (r.summary) } }
                                // Printed, a link is only as good as its address: show it.
                                @if let Some(link) = &r.link { p class="s" { a href=(link) rel="noopener nofollow" { (link) } } }
                            }
                        }
                    }
                }
                footer {
                    (w.pick(
                        "Sumber: Pantau (data peserta BPU BPJS Ketenagakerjaan per wilayah); kode wilayah Kepmendagri 300.2.2-2138/2025 jo. \
                         300.2.2-2430/2025 (cahyadsn/wilayah, MIT). Aktif = iuran bulan berjalan terbayar. Target 100 per desa (Gerakan 1 Desa 100 Pekerja Rentan).",
                        "Source: Pantau (BPJS Ketenagakerjaan BPU member data per area); area codes Kepmendagri 300.2.2-2138/2025 jo. \
                         300.2.2-2430/2025 (cahyadsn/wilayah, MIT). Active = this month's premium paid. Target 100 per village (Gerakan 1 Desa 100 Pekerja Rentan).",
                    ))
                }
            }
        }
    };
    Ok(Html(markup.into_string()).into_response())
}
