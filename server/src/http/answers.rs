//! Full public answers kept in memory, so a repeated read costs about what a fixed body costs.
//!
//! A public answer is a function of its address (path and query), the data version and the
//! month (which decides who is active): no cookie or other header changes it. So the first
//! full answer for an address at a version is kept, with its brotli form, and later requests
//! at that version get the same bytes without a handler or the database. A write moves the
//! version on, so no kept answer is ever served after it; old ones are evicted by size.
//! Only complete `200` answers are kept: an error is never served from here.

use std::sync::Arc;

use axum::body::HttpBody;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use quick_cache::sync::Cache;
use quick_cache::Weighter;

/// What the kept answers may weigh together.
const CAPACITY_BYTES: u64 = 64 << 20;
/// A bigger answer is not kept (the national descendants list is the largest, ~1 MB).
const ANSWER_LIMIT_BYTES: u64 = 4 << 20;
/// Answers smaller than this are not worth compressing (as tower-http's default).
const COMPRESS_FROM_BYTES: usize = 32;
/// Brotli quality for kept answers: made once per answer and version, sent many times; 5 is
/// a few milliseconds for the largest answer.
const BROTLI_QUALITY: i32 = 5;

/// The address of an answer at one data version and month.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AnswerKey {
    pub version: u64,
    pub month: pantau_core::Month,
    pub address: String,
}

/// One kept answer: the handler's headers and body, and the body compressed when that pays.
pub struct Answer {
    headers: HeaderMap,
    body: Bytes,
    brotli: Option<Bytes>,
}

impl Answer {
    /// Keeps `response` when it is a complete `200` of known, bounded size; otherwise gives it
    /// back untouched.
    pub async fn keep(response: Response) -> Result<Arc<Answer>, Response> {
        let small = response
            .body()
            .size_hint()
            .exact()
            .is_some_and(|size| size <= ANSWER_LIMIT_BYTES);
        if response.status() != StatusCode::OK || !small {
            return Err(response);
        }
        let (parts, body) = response.into_parts();
        // A body of exact, known size is already in memory: collecting it cannot fail
        // half-way (and if it did, nothing would be kept or sent).
        let body = match body.collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        };
        let brotli = compressible(&parts.headers, &body).then(|| brotli(&body, BROTLI_QUALITY));
        Ok(Arc::new(Answer {
            headers: parts.headers,
            body,
            brotli,
        }))
    }

    /// The answer as a response, brotli-compressed when the client takes it.
    pub fn response(&self, brotli: bool) -> Response {
        let (body, encoded) = match (&self.brotli, brotli) {
            (Some(compressed), true) => (compressed.clone(), true),
            _ => (self.body.clone(), false),
        };
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = self.headers.clone();
        if self.brotli.is_some() {
            // Set here, the compression layer leaves the answer alone.
            response
                .headers_mut()
                .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        if encoded {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
        }
        response
    }

    fn weight(&self) -> u64 {
        (self.body.len() + self.brotli.as_ref().map_or(0, Bytes::len)) as u64
    }
}

/// Text answers (JSON, CSV, SVG, HTML) are compressed; images such as the PNG card are not.
fn compressible(headers: &HeaderMap, body: &Bytes) -> bool {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    body.len() >= COMPRESS_FROM_BYTES
        && !headers.contains_key(header::CONTENT_ENCODING)
        && (kind.starts_with("text/") || kind.contains("json") || kind.contains("xml"))
}

/// `body` compressed with brotli at `quality` (0–11; window 22, the crate's default).
pub(crate) fn brotli(body: &[u8], quality: i32) -> Bytes {
    let params = brotli::enc::BrotliEncoderParams {
        quality,
        ..Default::default()
    };
    let mut out = Vec::with_capacity(body.len() / 4);
    // Writing to a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
    out.into()
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<AnswerKey, Arc<Answer>> for ByBytes {
    fn weight(&self, key: &AnswerKey, answer: &Arc<Answer>) -> u64 {
        key.address.len() as u64 + answer.weight()
    }
}

/// The kept answers, bounded by [`CAPACITY_BYTES`].
pub struct Answers(Cache<AnswerKey, Arc<Answer>, ByBytes>);

impl Default for Answers {
    fn default() -> Self {
        Self(Cache::with_weighter(16_384, CAPACITY_BYTES, ByBytes))
    }
}

impl Answers {
    pub fn get(&self, key: &AnswerKey) -> Option<Arc<Answer>> {
        self.0.get(key)
    }

    pub fn insert(&self, key: AnswerKey, answer: Arc<Answer>) {
        self.0.insert(key, answer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn bytes(response: Response) -> Bytes {
        response.into_body().collect().await.unwrap().to_bytes()
    }

    #[tokio::test]
    async fn a_kept_answer_is_the_same_bytes_plain_or_as_brotli() {
        let json = serde_json::json!({ "enrolled": 12_345, "names": vec!["Sagara Makmur"; 40] });
        let kept = Answer::keep(axum::Json(json.clone()).into_response())
            .await
            .ok()
            .unwrap();
        let plain = kept.response(false);
        assert!(!plain.headers().contains_key(header::CONTENT_ENCODING));
        assert_eq!(plain.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&bytes(plain).await).unwrap(),
            json
        );

        let compressed = kept.response(true);
        assert_eq!(compressed.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(compressed.headers()[header::VARY], "accept-encoding");
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &bytes(compressed).await[..], &mut decoded).unwrap();
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&decoded).unwrap(), json);
    }

    #[tokio::test]
    async fn errors_and_images_are_handled_as_they_should() {
        let refused = (StatusCode::NOT_FOUND, "tidak ada").into_response();
        assert_eq!(
            Answer::keep(refused).await.err().unwrap().status(),
            StatusCode::NOT_FOUND
        );

        let png = ([(header::CONTENT_TYPE, "image/png")], vec![0x89_u8; 4096]).into_response();
        let kept = Answer::keep(png).await.ok().unwrap();
        assert!(!kept.response(true).headers().contains_key(header::CONTENT_ENCODING));
    }
}
