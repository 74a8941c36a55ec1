//! HTTP caching and framing rules.
//!
//! Public GETs carry a strong ETag made from the data version, so a client or CDN that
//! already has the current answer gets a 304 before any handler or database work; answers
//! may be reused for a minute and served stale for ten while revalidating. Hashed static
//! assets are immutable. Only `/embed/…` may be framed by other sites.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Public data: fresh for a minute, then served stale while revalidating for ten.
pub(crate) const PUBLIC_DATA: &str = "public, max-age=60, stale-while-revalidate=600";
/// Files of a content-addressed build folder, e.g. `/pkg/9c5c2ede536ec729/pantau_bg.wasm`.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// ETag for the current data version.
pub fn etag(version: u64) -> String {
    format!("\"d{version:x}\"")
}

/// Whether `If-None-Match` names `tag` (or `*`), weak or strong.
pub(crate) fn matches(if_none_match: &HeaderValue, tag: &str) -> bool {
    if_none_match
        .to_str()
        .is_ok_and(|v| v.trim() == "*" || v.split(',').any(|t| t.trim().trim_start_matches("W/") == tag))
}

/// Conditional GET for data routes (API, embed, badge, report).
pub async fn conditional_get(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let tag = etag(state.store.data_version());
    if request
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| matches(v, &tag))
    {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        set(&mut response, header::ETAG, &tag);
        set(&mut response, header::CACHE_CONTROL, PUBLIC_DATA);
        return response;
    }
    let mut response = next.run(request).await;
    if response.status().is_success() {
        set(&mut response, header::ETAG, &tag);
        set(&mut response, header::CACHE_CONTROL, PUBLIC_DATA);
    }
    response
}

/// Whether the path lies in a build folder named by its content's 16-hex-digit hash
/// (`…/pkg/<hash>/file`, written once by `cargo xtask build` and never changed).
fn is_hashed_asset(path: &str) -> bool {
    let mut segments = path.split('/').skip_while(|s| *s != "pkg").skip(1);
    let hash = segments.next().unwrap_or_default();
    let file = segments.next().unwrap_or_default();
    hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && !file.is_empty()
}

/// Static files: hashed assets forever, everything else (the app shell) revalidated each time.
pub async fn static_cache(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() {
        set(
            &mut response,
            header::CACHE_CONTROL,
            if hashed { IMMUTABLE } else { "no-cache" },
        );
    }
    response
}

/// Headers of every answer: no MIME sniffing, no address in the `Referer` of links to other
/// sites, and no framing, except for an answer that brings its own policy (the embeddable
/// widget, and only when the widget itself answered: `/embed/a/b` is the app's page and
/// refuses framing like any other). The app's pages carry their script policy in a `<meta>`
/// written at build (`xtask/src/web.rs`).
pub async fn frame_policy(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    set(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if !response.headers().contains_key(header::REFERRER_POLICY) {
        set(
            &mut response,
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        );
    }
    if !response.headers().contains_key(header::CONTENT_SECURITY_POLICY) {
        set(&mut response, header::X_FRAME_OPTIONS, "DENY");
        set(&mut response, header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'");
    }
    response
}

/// Sets a header, skipping values that are not valid header text.
pub(crate) fn set(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_content_addressed_build_folders() {
        assert!(is_hashed_asset("/pkg/9c5c2ede536ec729/pantau_bg.wasm"));
        assert!(is_hashed_asset("/pkg/9c5c2ede536ec729/__wasm_split.js"));
        assert!(is_hashed_asset("/kerja/pkg/8f618834d9b5a181/pantau_kerja.js"));
        assert!(!is_hashed_asset("/pkg/9c5c2ede536ec729/"));
        assert!(!is_hashed_asset("/pkg/not-a-hash/pantau.js"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/wilayah/32.16"));
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        let tag = etag(255);
        assert_eq!(tag, "\"dff\"");
        assert!(matches(&HeaderValue::from_static("\"x\", \"dff\""), &tag));
        assert!(matches(&HeaderValue::from_static("W/\"dff\""), &tag));
        assert!(!matches(&HeaderValue::from_static("\"d100\""), &tag));
    }
}
