//! `GET /card/{code}.png`: an area's progress as a 1200×630 picture, the `og:image` of its
//! page, so a link pasted into WhatsApp or a news site previews the figure itself.
//!
//! Drawn as SVG and rendered with resvg using the fonts shipped in `data/fonts/`, so the card
//! looks the same on every server whatever fonts it has. Only public figures are drawn.

use std::sync::{Arc, OnceLock};

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::html;
use pantau_core::api::AreaView;
use pantau_core::display::{count, percent, timestamp_wib, Language};
use pantau_core::texts::{area_kind, area_top};
use pantau_core::AreaCode;
use resvg::{tiny_skia, usvg};
use serde::Deserialize;

use super::badge::colour;
use crate::store::StoreError;
use crate::AppState;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
const FONT_FAMILY: &str = "DejaVu Sans";

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/card/{file}", get(card))
}

#[derive(Deserialize)]
pub(crate) struct CardQuery {
    /// `id` (default) or `en`.
    lang: Option<String>,
}

async fn card(State(state): State<AppState>, Path(file): Path<String>, Query(query): Query<CardQuery>) -> Response {
    let lang = query.lang.as_deref().and_then(Language::parse).unwrap_or(Language::Id);
    let Some(code) = file.strip_suffix(".png").and_then(|raw| AreaCode::parse(raw).ok()) else {
        return (StatusCode::NOT_FOUND, "no such card").into_response();
    };
    let area = match state.store.area(&code, super::areas::this_month()).await {
        Ok(area) => area,
        Err(StoreError::NotFound) => return (StatusCode::NOT_FOUND, "no such area").into_response(),
        Err(err) => {
            tracing::error!(error = ?err, "card failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let svg = svg(&area, lang);
    // Drawing takes a few milliseconds of CPU: off the async workers.
    match tokio::task::spawn_blocking(move || png(&svg)).await {
        Ok(Ok(png)) => ([(header::CONTENT_TYPE, "image/png")], png).into_response(),
        Ok(Err(err)) => {
            tracing::error!(error = %err, "card drawing failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Err(err) => {
            tracing::error!(error = %err, "card task failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Font size at which `text` fits `width` pixels, at most `max`, given its average width per
/// character in em (DejaVu Sans: about 0.63 bold, 0.55 regular, for Latin names).
fn fitting_size(text: &str, width: f64, max: f64, em_per_char: f64) -> f64 {
    let chars = text.chars().count().max(1) as f64;
    (width / (chars * em_per_char)).min(max).floor()
}

/// Width in em of a number written in DejaVu Sans Bold: digits are 0.696 em, separators 0.38.
fn number_em(number: &str) -> f64 {
    number
        .chars()
        .map(|c| if c.is_ascii_digit() { 0.696 } else { 0.38 })
        .sum()
}

/// The card as SVG.
pub fn svg(area: &AreaView, lang: Language) -> String {
    let t = area_top(lang);
    let f = &area.figures;
    let fill = colour(f.progress_pct);
    let bar_width = 1080.0 * f.progress_pct.clamp(0.0, 100.0) / 100.0;
    let demo = match lang {
        Language::Id => "DATA DEMO — bukan data resmi",
        Language::En => "DEMO DATA — not official",
    };
    let active = count(f.active, lang);
    let rest = format!("{} {} {}", t.of, count(f.target, lang), t.protected_workers);
    let active_size = 120.0;
    // Where the line after the big number starts: the number's width at that size.
    let rest_x = 60.0 + number_em(&active) * active_size + 24.0;
    let rest_size = fitting_size(&rest, 1140.0 - rest_x, 38.0, 0.55);
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(WIDTH) height=(HEIGHT) viewBox={"0 0 " (WIDTH) " " (HEIGHT)} font-family=(FONT_FAMILY) {
            rect width=(WIDTH) height=(HEIGHT) fill="#ffffff" {}
            rect width=(WIDTH) height="96" fill="#0b6e4f" {}
            rect x="60" y="24" width="48" height="48" rx="10" fill="#ffffff" {}
            text x="84" y="60" text-anchor="middle" font-size="32" font-weight="bold" fill="#0b6e4f" { "P" }
            text x="128" y="59" font-size="34" font-weight="bold" fill="#ffffff" { "Pantau" }
            text x="1140" y="58" text-anchor="end" font-size="26" fill="#ffffff" { (t.tagline) }
            @if area.demo {
                rect x="60" y="118" width="540" height="44" rx="8" fill="#fff4d6" stroke="#b54708" {}
                text x="78" y="148" font-size="24" font-weight="bold" fill="#7a2e0e" { (demo) }
            }
            text x="60" y="206" font-size="28" fill="#5f6b7a" { (area_kind(&area.code, lang).to_uppercase()) }
            text x="60" y="270" font-size=(fitting_size(&area.name, 1080.0, 60.0, 0.63)) font-weight="bold" fill="#1f2933" { (area.name) }
            text x="60" y="404" font-size=(active_size) font-weight="bold" fill="#1f2933" { (active) }
            text x=(rest_x) y="404" font-size=(rest_size) fill="#1f2933" { (rest) }
            rect x="60" y="444" width="1080" height="36" rx="18" fill="#e4e7eb" {}
            @if bar_width > 0.0 {
                rect x="60" y="444" width=(bar_width.max(36.0)) height="36" rx="18" fill=(fill) {}
            }
            text x="60" y="540" font-size="44" font-weight="bold" fill=(fill) {
                (percent(f.progress_pct, lang)) " " tspan font-weight="normal" fill="#3d4650" font-size="30" {
                    (match lang { Language::Id => "dari target 100 pekerja per desa", Language::En => "of the target of 100 workers per village" })
                }
            }
            text x="60" y="596" font-size="24" fill="#5f6b7a" {
                (t.data_as_of) " " (timestamp_wib(area.data_as_of, lang)) " · BPJS Ketenagakerjaan"
            }
        }
    }
    .into_string()
}

/// The fonts of `data/fonts/`, loaded once.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(include_bytes!("../../../data/fonts/DejaVuSans.ttf").to_vec());
            db.load_font_data(include_bytes!("../../../data/fonts/DejaVuSans-Bold.ttf").to_vec());
            db.set_sans_serif_family(FONT_FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// `svg` drawn as PNG.
pub fn png(svg: &str) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("empty card")?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use pantau_core::api::Figures;
    use pantau_core::Level;
    use time::macros::datetime;

    use super::*;

    fn bekasi(demo: bool) -> AreaView {
        AreaView {
            code: AreaCode::parse("32.16").unwrap(),
            name: "Kabupaten Bekasi".into(),
            level: Level::Regency,
            breadcrumbs: Vec::new(),
            figures: Figures {
                target: 18_700,
                enrolled: 9_836,
                verified: 9_637,
                active: 7_734,
                progress_pct: 41.36,
                villages: 187,
                villages_at_target: 18,
                premium_per_year: Some(1_959_074_400),
            },
            rank: None,
            children: Vec::new(),
            data_as_of: datetime!(2026-12-02 05:48 UTC),
            demo,
        }
    }

    #[test]
    fn the_card_shows_the_area_its_figure_and_whether_it_is_demo_data() {
        let card = svg(&bekasi(true), Language::Id);
        for text in [
            "Kabupaten Bekasi",
            ">7.734<",
            "dari 18.700 pekerja rentan terlindungi",
            "41,4%",
            "Data per 2 Des 2026 12.48 WIB",
            "DATA DEMO",
        ] {
            assert!(card.contains(text), "{text} in {card}");
        }
        let card = svg(&bekasi(false), Language::En);
        assert!(card.contains("of 18,700 vulnerable workers protected"), "{card}");
        assert!(!card.contains("DEMO"), "real data is not marked demo");
        let png = png(&card).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn long_names_get_smaller_type() {
        assert_eq!(fitting_size("Bekasi", 1080.0, 60.0, 0.63), 60.0);
        let long = "Kabupaten Kepulauan Siau Tagulandang Biaro";
        assert!(fitting_size(long, 1080.0, 60.0, 0.63) * 0.63 * long.chars().count() as f64 <= 1080.0);
    }
}
