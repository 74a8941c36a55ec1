//! The portal's page for `/` and `/wilayah/{code}`: the built `index.html` with the area's
//! title, description and Open Graph tags, and the area's data inlined as JSON.
//!
//! So a link pasted into a chat or a news site previews the area and its figure, and the app
//! paints the first area without a second round trip after the wasm (it reads the inlined
//! data once, then fetches as usual). Only the public area answer is inlined: the same
//! figures `GET /api/v1/areas/{code}` gives anyone. When the code is not a known area, the
//! plain page is served and the app shows its own message.
//!
//! The page also carries the top of the area's page (header and headline figures) rendered
//! here with the app's markup, classes and texts (`pantau_core::texts`), so a phone on a slow
//! network shows the figure as soon as the HTML arrives instead of after the wasm; the app
//! removes it once it has rendered its own. It is in the language of `?lang=`, Indonesian
//! without it.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use pantau_core::api::{AreaView, FIRST_PAINT_ID, INLINED_AREA_ID};
use pantau_core::display::{band, count, decimal, percent, rupiah, tenths, timestamp_wib, Language};
use pantau_core::texts::{area_kind, area_top};
use pantau_core::{AreaCode, Level};
use serde::Deserialize;

use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(nation))
        .route("/wilayah/{code}", get(region))
}

/// The page's query: only the language matters here; the app reads the rest.
#[derive(Deserialize)]
struct PageQuery {
    lang: Option<String>,
}

impl PageQuery {
    fn language(&self) -> Language {
        self.lang.as_deref().and_then(Language::parse).unwrap_or(Language::Id)
    }
}

/// What the page is rendered for: its language and the site's address.
struct Reader {
    lang: Language,
    /// `https://host` for absolute URLs in the preview tags.
    origin: String,
}

impl Reader {
    fn new(state: &AppState, headers: &HeaderMap, query: &PageQuery) -> Self {
        let origin = state.public_url.clone().unwrap_or_else(|| {
            // Without a configured address, the one the request was sent to, if well formed.
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .filter(|h| h.parse::<axum::http::uri::Authority>().is_ok())
                .unwrap_or("localhost");
            let https = headers.get("x-forwarded-proto").is_some_and(|p| p == "https");
            format!("{}://{host}", if https { "https" } else { "http" })
        });
        Self {
            lang: query.language(),
            origin,
        }
    }
}

async fn nation(State(state): State<AppState>, headers: HeaderMap, Query(query): Query<PageQuery>) -> Response {
    let reader = Reader::new(&state, &headers, &query);
    page(&state, AreaCode::Nation, &reader).await
}

async fn region(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    headers: HeaderMap,
    Query(query): Query<PageQuery>,
) -> Response {
    let reader = Reader::new(&state, &headers, &query);
    match AreaCode::parse(&raw) {
        Ok(code) => page(&state, code, &reader).await,
        Err(_) => shell(&state, None, &reader).await,
    }
}

async fn page(state: &AppState, code: AreaCode, reader: &Reader) -> Response {
    let area = state.store.area(&code, super::areas::this_month()).await.ok();
    shell(state, area.as_ref(), reader).await
}

async fn shell(state: &AppState, area: Option<&AreaView>, reader: &Reader) -> Response {
    let index = state.static_dir.join("index.html");
    let Ok(html) = tokio::fs::read_to_string(&index).await else {
        return (StatusCode::NOT_FOUND, "the app is not built: run `cargo xtask build`").into_response();
    };
    let html = match area {
        Some(area) if html.contains("</head>") && html.contains("<body>") => with_area(&html, area, reader),
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
/// preview tags, its data and the top of its page.
fn with_area(html: &str, area: &AreaView, reader: &Reader) -> String {
    let lang = reader.lang;
    let figures = &area.figures;
    let title = format!("{} — Pantau", area.name);
    let (active, target) = (count(figures.active, lang), count(figures.target, lang));
    let pct = percent(figures.progress_pct, lang);
    let description = match lang {
        Language::Id => format!(
            "{}: {active} dari {target} pekerja rentan terlindungi BPJS Ketenagakerjaan ({pct} dari target).",
            area.name
        ),
        Language::En => format!(
            "{}: {active} of {target} vulnerable workers protected by BPJS Ketenagakerjaan ({pct} of target).",
            area.name
        ),
    };
    // JSON inside <script>: `<` escaped so no `</script>` or `<!--` can close it early.
    let data = serde_json::to_string(area).unwrap_or_default().replace('<', "\\u003c");
    let lang_query = if lang == Language::Id { "" } else { "?lang=en" };
    let head = html! {
        title { (title) }
        meta name="description" content=(description);
        meta property="og:type" content="website";
        meta property="og:site_name" content="Pantau";
        meta property="og:title" content=(title);
        meta property="og:description" content=(description);
        meta property="og:url" content={ (reader.origin) (area.code.page_path()) (lang_query) };
        meta property="og:image" content={ (reader.origin) "/card/" (area.code) ".png" (lang_query) };
        meta property="og:image:type" content="image/png";
        meta property="og:image:width" content=(super::card::WIDTH);
        meta property="og:image:height" content=(super::card::HEIGHT);
        meta property="og:image:alt" content=(description);
        meta name="twitter:card" content="summary_large_image";
    };
    let script = format!("<script type=\"application/json\" id=\"{INLINED_AREA_ID}\">{data}</script>");
    let mut out = remove_element(html, "<title>", "</title>");
    out = remove_element(&out, "<meta name=\"description\"", ">");
    out = out.replacen("</head>", &format!("{}{script}</head>", head.into_string()), 1);
    out = out.replacen("<body>", &format!("<body>{}", first_paint(area, lang).into_string()), 1);
    if lang != Language::Id {
        out = out.replacen("<html lang=\"id\">", &format!("<html lang=\"{}\">", lang.code()), 1);
    }
    out
}

/// The top of the area's page as the app renders it (`src/components/layout.rs`,
/// `src/components/area_summary.rs`): same elements, classes and texts, without the app's
/// test ids and ids, so nothing can mistake it for the app. Its search box is read-only:
/// what is typed there before the app arrives would be lost.
fn first_paint(area: &AreaView, lang: Language) -> Markup {
    let t = area_top(lang);
    let other = match lang {
        Language::Id => Language::En,
        Language::En => Language::Id,
    };
    let f = &area.figures;
    let pct = f.progress_pct;
    let bar_value = decimal(tenths(pct));
    let gap = f.target.saturating_sub(f.active);
    let stat = |term: &str, value: Markup| html! { div { dt { (term) } dd { (value) } } };
    html! {
        div id=(FIRST_PAINT_ID) {
            header.site-header {
                div.header-row {
                    a.brand href="/" {
                        span.brand-mark aria-hidden="true" { "P" }
                        span.brand-text { strong { "Pantau" } small { (t.tagline) } }
                    }
                    nav aria-label=(t.nav_label) {
                        a href="/tentang-data" { (t.about_data) }
                        a href="/data-terbuka" { (t.open_data) }
                        a.lang
                            href={ (area.code.page_path()) "?lang=" (other.code()) }
                            hreflang=(other.code())
                            lang=(other.code())
                            aria-label={ (t.switch_to) " (" (t.switch_label) ")" }
                        { (t.switch_to) }
                    }
                }
                div.search role="search" {
                    label.visually-hidden for="first-paint-search" { (t.search_label) }
                    input #first-paint-search type="search" readonly autocomplete="off" placeholder=(t.search_placeholder);
                }
            }
            main {
                article.area {
                    @if area.demo {
                        p.demo-banner role="note" { strong { (t.demo_title) } (t.demo_text) }
                    }
                    nav.crumbs aria-label=(t.breadcrumbs) {
                        ol { @for crumb in &area.breadcrumbs { li { a href=(crumb.code.page_path()) { (crumb.name) } } } }
                    }
                    p.kind { (area_kind(&area.code, lang)) }
                    h1 { (area.name) }
                    @if let Some(rank) = &area.rank {
                        p.rank {
                            (t.rank.0) strong { (count(rank.position, lang)) }
                            (t.rank.1) (count(rank.of, lang)) (t.rank.2)
                        }
                    }
                    section.card.headline aria-label=(t.progress_label) {
                        p.big {
                            span.big-number { (count(f.active, lang)) }
                            " " (t.of) " " span { (count(f.target, lang)) } " " (t.protected_workers)
                        }
                        div.progress-line {
                            div class={ "bar " (band(pct)) } role="progressbar" aria-valuemin="0"
                                aria-valuemax="100" aria-valuenow=(bar_value) aria-label=(t.progress_label)
                            { span style={ "width: " (bar_value) "%" } {} }
                            span class={ "pct " (band(pct)) } { (percent(pct, lang)) }
                        }
                        p.gap {
                            @if gap == 0 { (t.target_reached) }
                            @else { (t.short_of.0) (count(gap, lang)) (t.short_of.1) }
                        }
                        dl.stats {
                            (stat(t.enrolled, html! { (count(f.enrolled, lang)) }))
                            (stat(t.verified, html! {
                                span { (count(f.verified, lang)) }
                                small.awaiting {
                                    (count(f.enrolled.saturating_sub(f.verified), lang)) " " (t.awaiting_verification)
                                }
                            }))
                            (stat(t.active, html! { (count(f.active, lang)) }))
                            (stat(t.inactive, html! { (count(f.enrolled.saturating_sub(f.active), lang)) }))
                            @if area.level != Level::Village {
                                (stat(t.villages_at_target, html! {
                                    (count(f.villages_at_target, lang)) " " (t.of) " " (count(f.villages, lang))
                                }))
                            }
                            (stat(t.premium_per_year, html! {
                                @match f.premium_per_year {
                                    Some(premium) => (rupiah(premium, lang)),
                                    None => { span { "—" } small.awaiting { (t.premium_hidden) } },
                                }
                            }))
                        }
                        p.note { (t.headline_counts) }
                    }
                    p.as-of { (t.data_as_of) " " (timestamp_wib(area.data_as_of, lang)) }
                }
            }
        }
    }
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
