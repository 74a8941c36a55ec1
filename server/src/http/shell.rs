//! The portal's page for `/` and `/wilayah/{code}`: the built `index.html` with the area's
//! title, description and Open Graph tags, and the area's data inlined as JSON.
//!
//! So a link pasted into a chat or a news site previews the area and its figure, and the app
//! paints the first area without a second round trip after the wasm (it reads the inlined
//! data once, then fetches as usual). Only the public area answer is inlined: the same
//! figures `GET /api/v1/areas/{code}` gives anyone. When the code is not a known area, the
//! plain page is served and the app shows its own message.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::html;
use pantau_core::api::{AreaView, INLINED_AREA_ID};
use pantau_core::display::{count, percent, Language};
use pantau_core::AreaCode;

use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(nation))
        .route("/wilayah/{code}", get(region))
}

async fn nation(State(state): State<AppState>) -> Response {
    page(&state, AreaCode::Nation).await
}

async fn region(State(state): State<AppState>, Path(raw): Path<String>) -> Response {
    match AreaCode::parse(&raw) {
        Ok(code) => page(&state, code).await,
        Err(_) => shell(&state, None).await,
    }
}

async fn page(state: &AppState, code: AreaCode) -> Response {
    let area = state.store.area(&code, super::areas::this_month()).await.ok();
    shell(state, area.as_ref()).await
}

async fn shell(state: &AppState, area: Option<&AreaView>) -> Response {
    let index = state.static_dir.join("index.html");
    let Ok(html) = tokio::fs::read_to_string(&index).await else {
        return (StatusCode::NOT_FOUND, "the app is not built: run `cargo xtask build`").into_response();
    };
    let html = match area {
        Some(area) if html.contains("</head>") => with_area(&html, area),
        _ => html,
    };
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // The data changes and the build's file names with it: always revalidate.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        html,
    )
        .into_response()
}

/// The page with the area's title and description in place of the generic ones, its
/// preview tags, and its data.
fn with_area(html: &str, area: &AreaView) -> String {
    let figures = &area.figures;
    let title = format!("{} — Pantau", area.name);
    let description = format!(
        "{}: {} dari {} pekerja rentan terlindungi BPJS Ketenagakerjaan ({} dari target).",
        area.name,
        count(figures.active, Language::Id),
        count(figures.target, Language::Id),
        percent(figures.progress_pct, Language::Id),
    );
    // JSON inside <script>: `<` escaped so no `</script>` or `<!--` can close it early.
    let data = serde_json::to_string(area).unwrap_or_default().replace('<', "\\u003c");
    let head = html! {
        title { (title) }
        meta name="description" content=(description);
        meta property="og:type" content="website";
        meta property="og:site_name" content="Pantau";
        meta property="og:title" content=(title);
        meta property="og:description" content=(description);
        meta name="twitter:card" content="summary";
    };
    let script = format!("<script type=\"application/json\" id=\"{INLINED_AREA_ID}\">{data}</script>");
    let mut out = remove_element(html, "<title>", "</title>");
    out = remove_element(&out, "<meta name=\"description\"", ">");
    out.replacen("</head>", &format!("{}{script}</head>", head.into_string()), 1)
}

/// `html` without the first element that starts with `start` and ends at the next `end`.
fn remove_element(html: &str, start: &str, end: &str) -> String {
    let Some(from) = html.find(start) else {
        return html.to_owned();
    };
    let Some(len) = html[from..].find(end) else {
        return html.to_owned();
    };
    format!("{}{}", &html[..from], &html[from + len + end.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_only_the_named_element() {
        let html = "<head><title>Old</title><meta name=\"description\" content=\"x\"><meta charset=\"utf-8\"></head>";
        let out = remove_element(
            &remove_element(html, "<title>", "</title>"),
            "<meta name=\"description\"",
            ">",
        );
        assert_eq!(out, "<head><meta charset=\"utf-8\"></head>");
    }
}
