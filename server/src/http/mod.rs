//! The JSON API under `/api/v1`, one module per resource.

mod areas;
mod badge;
mod boundary_upload;
pub mod cache;
mod card;
mod commitments;
mod embed;
mod error;
mod health;
mod json;
mod maps;
pub mod openapi;
mod path;
mod search;
pub mod session;
mod shell;
pub mod users;
mod workers;

use std::time::Duration;

use axum::extract::MatchedPath;
use axum::http::{HeaderName, Request};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;

use crate::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Every API route, with a JSON 404 for unknown paths.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(areas::router())
        .merge(search::router())
        .merge(commitments::public_router())
        .merge(openapi::router())
        .fallback(|| async { ApiError::Code(pantau_core::ErrorCode::RouteNotFound) })
}

/// `GET /api/v1/areas/{code}/map`, outside the data-version caching of the other routes.
pub fn maps_router() -> Router<AppState> {
    maps::router()
}

/// The officials' workspace under `/api/v1`: private answers, `Cache-Control: no-store`.
pub fn workspace_router() -> Router<AppState> {
    Router::new()
        .merge(session::router())
        .merge(users::router())
        .merge(workers::router())
        .merge(boundary_upload::router())
        .merge(commitments::workspace_router())
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        ))
}

/// The portal's area pages (`/`, `/wilayah/{code}`): the app's HTML with the area inlined.
pub fn portal_pages() -> Router<AppState> {
    shell::router()
}

/// Server-rendered public pages outside the API: the embeddable widget, the printable
/// report and the badge. They share the API's caching.
pub fn public_pages() -> Router<AppState> {
    Router::new()
        .merge(embed::router())
        .merge(badge::router())
        .merge(card::router())
}

/// Request id, tracing (method, matched route and request id, never the raw URI, which could
/// carry personal data), timeout and compression.
pub fn middleware<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let route = req
                    .extensions()
                    .get::<MatchedPath>()
                    .map(MatchedPath::as_str)
                    .unwrap_or("-");
                let id = req
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), route, request_id = id)
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(TimeoutLayer::with_status_code(
                axum::http::StatusCode::REQUEST_TIMEOUT,
                Duration::from_secs(30),
            ))
            .layer(CompressionLayer::new())
            // Innermost: sees each handler's response before anything rebuilds it.
            .layer(axum::middleware::from_fn(error::log_internal_errors)),
    )
}
