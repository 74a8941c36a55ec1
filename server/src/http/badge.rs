//! `GET /badge/{code}.svg`: a shields-style badge a regency website can put anywhere:
//! "1 Desa 100 · 73%" or, with `metric=active`, "Pekerja rentan terlindungi · 12.345".

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::html;
use pantau_core::display::{self, Language};
use pantau_core::{AreaCode, Month};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::store::StoreError;
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/badge/{file}", get(badge))
}

/// Badge options, all optional.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct BadgeOptions {
    /// `progress` (default) or `active`.
    metric: Option<String>,
    /// `flat` (default) or `flat-square`.
    style: Option<String>,
    /// Replaces the left-hand text (at most 40 characters).
    label: Option<String>,
    /// `id` (default) or `en`.
    lang: Option<String>,
}

/// Colours with at least 4.5:1 contrast against the white text.
pub(crate) fn colour(pct: f64) -> &'static str {
    if pct >= 100.0 {
        "#0b6e4f"
    } else if pct >= 50.0 {
        "#2f6f3e"
    } else if pct >= 25.0 {
        "#b54708"
    } else {
        "#b42318"
    }
}
const GREY: &str = "#5f6b7a";

/// Approximate width in pixels of `text` in 11 px Verdana, as shields.io badges are set.
fn text_width(text: &str) -> u32 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' | '1' | 'I' | 't' | 'f' | 'r' => 4,
            'm' | 'w' | 'M' | 'W' | '%' => 10,
            c if c.is_uppercase() => 8,
            _ => 7,
        })
        .sum()
}

/// The SVG of a badge.
pub fn render(label: &str, message: &str, fill: &str, square: bool, accessible_name: &str) -> String {
    let (lw, mw) = (text_width(label) + 12, text_width(message) + 12);
    let width = lw + mw;
    let radius = if square { 0 } else { 3 };
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(width) height="20" viewBox={"0 0 " (width) " 20"} role="img" aria-label=(accessible_name) {
            title { (accessible_name) }
            // The id names the shape, so several badges on one page never clip each other wrongly.
            clipPath id=(format!("pantau-{width}-{radius}")) { rect width=(width) height="20" rx=(radius) fill="#fff" {} }
            g clip-path=(format!("url(#pantau-{width}-{radius})")) {
                rect width=(lw) height="20" fill="#3d4650" {}
                rect x=(lw) width=(mw) height="20" fill=(fill) {}
            }
            g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11" {
                text x=(lw / 2) y="14" { (label) }
                text x=(lw + mw / 2) y="14" { (message) }
            }
        }
    }
    .into_string()
}

fn svg_response(status: StatusCode, svg: String) -> Response {
    (status, [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], svg).into_response()
}

async fn badge(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(options): Query<BadgeOptions>,
) -> Response {
    let lang = options
        .lang
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or(Language::Id);
    let english = lang == Language::En;
    let square = options.style.as_deref() == Some("flat-square");
    let unknown = |status: StatusCode| {
        let label = "Pantau";
        let message = if english {
            "unknown area"
        } else {
            "wilayah tidak dikenal"
        };
        svg_response(
            status,
            render(label, message, GREY, square, &format!("{label}: {message}")),
        )
    };
    let Some(raw) = file.strip_suffix(".svg") else {
        return unknown(StatusCode::NOT_FOUND);
    };
    let Ok(code) = AreaCode::parse(raw) else {
        return unknown(StatusCode::BAD_REQUEST);
    };
    let view = match state
        .store
        .area(&code, Month::of(OffsetDateTime::now_utc().date()))
        .await
    {
        Ok(view) => view,
        Err(StoreError::NotFound) => return unknown(StatusCode::NOT_FOUND),
        Err(err) => {
            tracing::error!(error = ?err, "badge failed");
            return svg_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                render("Pantau", "error", GREY, square, "Pantau: error"),
            );
        }
    };
    let f = &view.figures;
    let (default_label, message) = if options.metric.as_deref() == Some("active") {
        let label = if english {
            "Vulnerable workers protected"
        } else {
            "Pekerja rentan terlindungi"
        };
        (label, display::count(f.active, lang))
    } else {
        let label = if english { "1 Village 100" } else { "1 Desa 100" };
        (label, display::percent_short(f.progress_pct, lang))
    };
    let label: String = options
        .label
        .filter(|l| !l.trim().is_empty())
        .map_or_else(|| default_label.to_owned(), |l| l.chars().take(40).collect());
    let name = format!("{} — {label}: {message}", view.name);
    svg_response(
        StatusCode::OK,
        render(&label, &message, colour(f.progress_pct), square, &name),
    )
}
