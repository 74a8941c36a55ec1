//! `Idempotency-Key` on the writes the workspace's offline outbox sends (new enrolments,
//! corrections, verification, rejection, deactivation, renewal): a phone on patchy signal
//! resends a record until it sees an answer, and the record must still arrive once.
//!
//! A middleware on those routes. Without the header nothing changes. With it, after the
//! session and CSRF checks (the [`Official`] extractor, so keys are per account):
//! - the key is claimed in the database (a pending row, unique per account and key, so two
//!   servers sharing the database cannot both run it) and the request runs;
//! - its final answer (2xx, or a 4xx refusal other than 401, 403, 408 and 429) is stored
//!   byte for byte and replayed to every later request with the same key and the same
//!   fingerprint (SHA-256 of method, path and body, JSON canonicalised), with `Idempotent-Replayed: true`;
//!   other answers (5xx, sign-in, permission, throttling) release the key, so a retry runs;
//! - the same key with another request is refused (422 `idempotency_key_reused`);
//! - a request finding the key pending waits for the answer (polling, at most
//!   [`WAIT`], then 409 `idempotency_key_in_progress`); a claim older than [`STALE_SECS`]
//!   was left by a server that died and is taken over.
//!
//! The request runs in a task of its own, so a client that hangs up halfway (the usual case
//! on a weak signal) does not cut it between the write and the stored answer. Bodies are
//! never logged.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, OriginalUri, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pantau_core::ErrorCode;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use tokio::time::Instant;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Required;

use super::session::Official;
use super::ApiError;
use crate::store::{Claim, KeyRecord, KeyState, Store, StoreError, StoredAnswer};
use crate::AppState;

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// The header of a replayed answer.
pub const REPLAYED: &str = "idempotent-replayed";
/// Longest key accepted (a UUID has 36 characters).
pub const MAX_KEY_CHARS: usize = 100;
/// How long a request waits for another one holding its key.
pub const WAIT: Duration = Duration::from_secs(10);
/// How often it looks meanwhile.
const POLL: Duration = Duration::from_millis(50);
/// A pending claim this old was left by a server that stopped: requests run in their own
/// task and the store waits at most 10 s for its lock, so a live one has answered long before.
pub const STALE_SECS: i64 = 60;
/// Keys are kept at least this long (30 days), then purged.
pub const KEEP_SECS: i64 = 30 * 24 * 3600;
/// Purged at most this often while serving (and at start-up).
const PURGE_EVERY_SECS: i64 = 3600;
/// Same limit as JSON bodies: larger ones are refused anyway.
const BODY_LIMIT: usize = 64 * 1024;
/// Answers of these routes are a worker's record: a few kilobytes.
const ANSWER_LIMIT: usize = 1024 * 1024;

fn unix_now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Whether `key` is a well-formed key: 1–100 of `A–Z a–z 0–9 _ -`.
pub fn valid_key(key: &str) -> bool {
    (1..=MAX_KEY_CHARS).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The key of a request: `None` without the header, an error when it is malformed or sent twice.
fn key_of(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let mut values = headers.get_all(HEADER).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    let key = value.to_str().ok().filter(|k| valid_key(k) && values.next().is_none());
    key.map(|k| Some(k.to_owned()))
        .ok_or(ApiError::Code(ErrorCode::InvalidIdempotencyKey))
}

/// What identifies a request under its key: SHA-256 (hex) of method, path and body, a JSON
/// body in its canonical form (keys sorted, no spacing). So the same values sent again by
/// another build of the app, or by a client whose JSON library orders keys otherwise, are the
/// same request; a different value anywhere is not.
pub fn fingerprint(method: &Method, path: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(method.as_str().as_bytes());
    hash.update(b" ");
    hash.update(path.as_bytes());
    hash.update(b"\n");
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(json) => canonical_json(&json, &mut hash),
        Err(_) => hash.update(body),
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Feeds `value` to `hash` with object keys in sorted order and no whitespace.
fn canonical_json(value: &serde_json::Value, hash: &mut Sha256) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            hash.update(b"{");
            for (n, (key, item)) in entries.into_iter().enumerate() {
                if n > 0 {
                    hash.update(b",");
                }
                hash.update(serde_json::to_vec(key).unwrap_or_default());
                hash.update(b":");
                canonical_json(item, hash);
            }
            hash.update(b"}");
        }
        Value::Array(items) => {
            hash.update(b"[");
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    hash.update(b",");
                }
                canonical_json(item, hash);
            }
            hash.update(b"]");
        }
        scalar => hash.update(serde_json::to_vec(scalar).unwrap_or_default()),
    }
}

/// Whether an answer is final, so a retry must get it again: successes and refusals of the
/// request itself. Not: server failures, and refusals that depend on the session, the
/// grant or the rate (they may go another way when retried).
fn is_final(status: StatusCode) -> bool {
    status.is_success()
        || (status.is_client_error()
            && !matches!(
                status,
                StatusCode::UNAUTHORIZED
                    | StatusCode::FORBIDDEN
                    | StatusCode::REQUEST_TIMEOUT
                    | StatusCode::TOO_MANY_REQUESTS
            ))
}

/// Deletes the keys older than [`KEEP_SECS`] at `now` (Unix seconds); how many.
pub async fn purge_expired(store: &dyn Store, now: i64) -> Result<u64, StoreError> {
    store.purge_keys(now - KEEP_SECS).await
}

/// Purges in the background when the last purge of this process is an hour old.
fn purge_now_and_then(state: &AppState, now: i64) {
    static LAST: AtomicI64 = AtomicI64::new(0);
    let last = LAST.load(Ordering::Relaxed);
    if now - last < PURGE_EVERY_SECS
        || LAST
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
    {
        return;
    }
    let store = state.store.clone();
    tokio::spawn(async move {
        match purge_expired(store.as_ref(), now).await {
            Ok(purged) => tracing::info!(purged, "old idempotency keys purged"),
            Err(err) => tracing::warn!(error = ?err, "idempotency keys not purged"),
        }
    });
}

/// One request's key, for the account that sent it.
struct Keyed {
    state: AppState,
    account: i64,
    key: String,
    fingerprint: String,
}

/// The middleware (see the module's documentation).
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) || !request.headers().contains_key(HEADER) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    // Sign-in and CSRF first: a key means nothing before the account is known.
    let official = match Official::from_request_parts(&mut parts, &state).await {
        Ok(official) => official,
        Err(refusal) => return refusal.into_response(),
    };
    let key = match key_of(&parts.headers) {
        Ok(Some(key)) => key,
        Ok(None) => return ApiError::Code(ErrorCode::InvalidIdempotencyKey).into_response(),
        Err(refusal) => return refusal.into_response(),
    };
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return ApiError::Code(ErrorCode::BadRequest).into_response();
    };
    // The path as sent: inside the API's nesting the URI has lost its `/api/v1`.
    let path = parts
        .extensions
        .get::<OriginalUri>()
        .map_or_else(|| parts.uri.path().to_owned(), |uri| uri.path().to_owned());
    let keyed = Keyed {
        fingerprint: fingerprint(&parts.method, &path, &bytes),
        state,
        account: official.account.id,
        key,
    };
    keyed.answer(Request::from_parts(parts, Body::from(bytes)), next).await
}

impl Keyed {
    /// Claims the key and runs the request, or replays, refuses or waits.
    async fn answer(self, request: Request, next: Next) -> Response {
        let deadline = Instant::now() + WAIT;
        loop {
            let now = unix_now();
            let claim = self
                .state
                .store
                .claim_key(self.account, &self.key, &self.fingerprint, now, now - STALE_SECS)
                .await;
            match claim {
                Err(err) => return ApiError::from(err).into_response(),
                Ok(Claim::Claimed(token)) => {
                    purge_now_and_then(&self.state, now);
                    return self.run(token, request, next).await;
                }
                Ok(Claim::Taken(record)) => {
                    if let Some(answer) = self.settled(record) {
                        return answer;
                    }
                }
            }
            if let Some(answer) = self.wait(deadline).await {
                return answer;
            }
        }
    }

    /// The answer to a request finding `record` under its key, unless it is still pending.
    fn settled(&self, record: KeyRecord) -> Option<Response> {
        if record.fingerprint != self.fingerprint {
            return Some(ApiError::Code(ErrorCode::IdempotencyKeyReused).into_response());
        }
        match record.state {
            KeyState::Done(answer) => Some(replay(answer)),
            KeyState::Pending { .. } => None,
        }
    }

    /// Waits while another request holds the key: its answer once stored, `None` when the key
    /// came free or its claim went stale (claim again), a refusal once [`WAIT`] is over.
    async fn wait(&self, deadline: Instant) -> Option<Response> {
        loop {
            if Instant::now() >= deadline {
                return Some(ApiError::Code(ErrorCode::IdempotencyKeyInProgress).into_response());
            }
            tokio::time::sleep(POLL).await;
            match self.state.store.key_record(self.account, &self.key).await {
                Err(err) => return Some(ApiError::from(err).into_response()),
                Ok(None) => return None,
                Ok(Some(KeyRecord {
                    state: KeyState::Pending { claimed_at },
                    ..
                })) if claimed_at < unix_now() - STALE_SECS => return None,
                Ok(Some(record)) => {
                    if let Some(answer) = self.settled(record) {
                        return Some(answer);
                    }
                }
            }
        }
    }

    /// Runs the request holding the claim `token`, then stores its answer or releases the key.
    async fn run(self, token: String, request: Request, next: Next) -> Response {
        let Keyed {
            state, account, key, ..
        } = self;
        let task = tokio::spawn({
            let (state, key, token) = (state.clone(), key.clone(), token.clone());
            async move {
                let (parts, body) = next.run(request).await.into_parts();
                let bytes = match axum::body::to_bytes(body, ANSWER_LIMIT).await {
                    Ok(bytes) => bytes,
                    Err(err) => {
                        release(&state, account, &key, &token).await;
                        return ApiError::Internal(anyhow::anyhow!("answer not readable: {err}")).into_response();
                    }
                };
                if is_final(parts.status) {
                    let answer = StoredAnswer {
                        status: parts.status.as_u16(),
                        content_type: (parts.headers.get(header::CONTENT_TYPE))
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned),
                        body: bytes.to_vec(),
                    };
                    match state.store.complete_key(account, &key, &token, &answer).await {
                        Ok(true) => {}
                        Ok(false) => tracing::warn!("idempotency key taken over before its answer was stored"),
                        Err(err) => tracing::error!(error = ?err, "idempotent answer not stored"),
                    }
                } else {
                    release(&state, account, &key, &token).await;
                }
                Response::from_parts(parts, Body::from(bytes))
            }
        });
        match task.await {
            Ok(response) => response,
            Err(err) => {
                release(&state, account, &key, &token).await;
                ApiError::Internal(anyhow::anyhow!("request task failed: {err}")).into_response()
            }
        }
    }
}

async fn release(state: &AppState, account: i64, key: &str, token: &str) {
    if let Err(err) = state.store.release_key(account, key, token).await {
        tracing::error!(error = ?err, "idempotency key not released");
    }
}

/// A stored answer as it was first sent, marked as a replay.
fn replay(answer: StoredAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Bytes::from(answer.body)).into_response();
    let headers = response.headers_mut();
    headers.remove(header::CONTENT_TYPE);
    if let Some(content_type) = answer.content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::CONTENT_TYPE, content_type);
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

/// The header in the OpenAPI document of each route that takes it.
pub struct IdempotencyKeyHeader;

impl utoipa::IntoParams for IdempotencyKeyHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .description(Some(
                "Optional; 1–100 of `A-Z a-z 0-9 _ -` (the outbox sends the record's UUID), kept per account for at \
                 least 30 days. The same key with the same method, path and body answers exactly the first answer \
                 (status and body) with `Idempotent-Replayed: true` and changes nothing; with another request: 422 \
                 `idempotency_key_reused`; malformed: 400 `invalid_idempotency_key`; while the first request still \
                 runs, the answer waits for it up to 10 s, then 409 `idempotency_key_in_progress`. Failures (5xx) and \
                 401/403/429 refusals are not kept: a retry runs again.",
            ))
            .required(Required::False)
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(MAX_KEY_CHARS))
                    .pattern(Some("^[A-Za-z0-9_-]+$"))
                    .build(),
            ))
            .build()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        assert!(valid_key("3f2c1d9e-8b7a-4c6d-9e0f-1a2b3c4d5e6f"));
        assert!(valid_key("a"));
        assert!(valid_key(&"k_".repeat(50)));
        for bad in ["", "with space", "semi;colon", "émoji", &"k".repeat(101)] {
            assert!(!valid_key(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_fingerprint_covers_method_path_and_body() {
        let base = fingerprint(&Method::POST, "/api/v1/enrolments", b"{}");
        assert_eq!(base.len(), 64);
        assert_eq!(base, fingerprint(&Method::POST, "/api/v1/enrolments", b"{}"));
        assert_ne!(base, fingerprint(&Method::PUT, "/api/v1/enrolments", b"{}"));
        assert_ne!(base, fingerprint(&Method::POST, "/api/v1/enrolments/1", b"{}"));
        let body = br#"{"a":1,"b":[true,{"d":"x","c":null}]}"#;
        let reordered = br#"{ "b": [true, {"c": null, "d": "x"}], "a": 1 }"#;
        let changed = br#"{"a":1,"b":[true,{"d":"y","c":null}]}"#;
        let post = |b: &[u8]| fingerprint(&Method::POST, "/api/v1/enrolments", b);
        assert_eq!(post(body), post(reordered), "JSON in another key order or spacing");
        assert_ne!(post(body), post(changed), "one value differs");
        assert_ne!(post(b"not json"), post(b"not  json"), "other bodies byte for byte");
    }

    #[test]
    fn only_final_answers_are_kept() {
        for kept in [200, 201, 400, 404, 409, 422] {
            assert!(is_final(StatusCode::from_u16(kept).unwrap()), "{kept}");
        }
        for not in [401, 403, 408, 429, 500, 503] {
            assert!(!is_final(StatusCode::from_u16(not).unwrap()), "{not}");
        }
    }
}
