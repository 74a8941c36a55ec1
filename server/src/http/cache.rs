//! HTTP caching and framing rules.
//!
//! Public GETs carry a strong ETag made from the data version, so a client or CDN that
//! already has the current answer gets a 304 before any handler or database work; answers
//! may be reused for a minute and served stale for ten while revalidating. Hashed static
//! assets are immutable. Only `/embed/…` may be framed by other sites.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use pantau_core::Month;

use super::answers::{Answer, AnswerKey};
use super::areas::this_month;
use crate::AppState;

/// Public data: fresh for a minute, then served stale while revalidating for ten.
pub(crate) const PUBLIC_DATA: &str = "public, max-age=60, stale-while-revalidate=600";
/// Files of a content-addressed build folder, e.g. `/pkg/9c5c2ede536ec729/pantau_bg.wasm`.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// ETag for the data version and the month it is counted in (who is active changes with the
/// month even when no record does).
pub fn etag(version: u64, month: Month) -> String {
    format!("\"d{version:x}-{}\"", month.index())
}

/// Whether `If-None-Match` names `tag` (or `*`), weak or strong.
pub(crate) fn matches(if_none_match: &HeaderValue, tag: &str) -> bool {
    if_none_match
        .to_str()
        .is_ok_and(|v| v.trim() == "*" || v.split(',').any(|t| t.trim().trim_start_matches("W/") == tag))
}

/// Whether `Accept-Encoding` takes brotli (`br`, not refused with `q=0`).
pub(crate) fn accepts_brotli(headers: &HeaderMap) -> bool {
    let Some(accepted) = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    accepted.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let refused = |p: &str| p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0);
        parts.next() == Some("br") && !parts.any(refused)
    })
}

/// Conditional GET for data routes (API, embed, badge, report): a 304 when the client has
/// the current answer, else the kept full answer ([`super::answers`]), else the handler's,
/// kept for the next request when nothing was written meanwhile.
pub async fn conditional_get(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let version = state.store.data_version();
    let month = this_month();
    let tag = etag(version, month);
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
    // HEAD goes to the handler: a kept answer is a GET's.
    let brotli = accepts_brotli(request.headers());
    let key = (request.method() == Method::GET).then(|| AnswerKey {
        version,
        month,
        address: request.uri().path_and_query().map_or("", |p| p.as_str()).to_owned(),
    });
    let mut response = match key {
        None => next.run(request).await,
        Some(key) => match state.answers.get(&key) {
            Some(answer) => answer.response(brotli),
            None => match Answer::keep(next.run(request).await).await {
                Ok(answer) => {
                    // An answer made while a write landed may hold either state: not kept.
                    if state.store.data_version() == version {
                        state.answers.insert(key, answer.clone());
                    }
                    answer.response(brotli)
                }
                Err(response) => response,
            },
        },
    };
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
    fn brotli_is_sent_only_when_accepted_and_not_refused() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            accepts_brotli(&headers)
        };
        assert!(with("gzip, deflate, br, zstd"));
        assert!(with("br;q=0.5, gzip"));
        assert!(!with("gzip, br;q=0"));
        assert!(!with("gzip, brotli-ish"));
        assert!(!accepts_brotli(&HeaderMap::new()));
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        let tag = etag(255, Month::from_index(24_000));
        assert_eq!(tag, "\"dff-24000\"");
        assert!(matches(&HeaderValue::from_static("\"x\", \"dff-24000\""), &tag));
        assert!(matches(&HeaderValue::from_static("W/\"dff-24000\""), &tag));
        assert!(!matches(&HeaderValue::from_static("\"d100-24000\""), &tag));
        assert!(
            !matches(&HeaderValue::from_static("\"dff-24001\""), &tag),
            "a new month is a new answer"
        );
    }
}
