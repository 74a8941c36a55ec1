//! The JSON API under `/api/v1`, one module per resource.

pub mod answers;
mod areas;
mod badge;
mod boundary_upload;
pub mod cache;
mod card;
mod commitments;
mod embed;
mod error;
mod health;
pub mod idempotency;
mod imports;
mod json;
mod maps;
pub mod openapi;
mod path;
mod search;
pub mod serve;
pub mod session;
mod shell;
mod sync;
pub mod users;
mod workers;

use std::time::Duration;

use axum::extract::MatchedPath;
use axum::http::{HeaderName, Request};
use axum::middleware::from_fn_with_state;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use error::{log_refusals, ApiError};

use crate::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The JSON API under `/api/v1`, with a JSON 404 for unknown paths, and its OpenAPI document
/// at `/api/v1/openapi.json`, made from the same registrations.
pub fn api(state: &AppState) -> Router<AppState> {
    let (router, document) = documented(state).split_for_parts();
    router.merge(openapi::router(&document).route_layer(from_fn_with_state(state.clone(), cache::conditional_get)))
}

/// Every API route, each registered once (`routes!`) for the router and the document. Public
/// answers have the data-version caching (health excepted); maps, whose geometry changes with the build, their
/// own; the officials' answers are private and per user: `Cache-Control: no-store`.
fn documented(state: &AppState) -> OpenApiRouter<AppState> {
    let public = OpenApiRouter::new()
        .merge(areas::router())
        .merge(search::router())
        .merge(commitments::public_router())
        .route_layer(from_fn_with_state(state.clone(), cache::conditional_get));
    let kerja = OpenApiRouter::new()
        .merge(session::router())
        .merge(users::router())
        .merge(workers::router())
        .merge(workers::outbox_router().route_layer(from_fn_with_state(state.clone(), idempotency::layer)))
        .merge(sync::router())
        .merge(boundary_upload::router())
        .merge(imports::router())
        .merge(commitments::kerja_router())
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        ));
    // The service's health is asked of the database each time: never a kept answer or a 304.
    let routes = public
        .merge(health::router())
        .merge(maps::router())
        .merge(kerja)
        .fallback(|| async { ApiError::Code(pantau_core::ErrorCode::RouteNotFound) });
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi()).nest("/api/v1", routes)
}

/// The portal's area pages (`/`, `/wilayah/{code}`): the app's HTML with the area inlined.
pub fn portal_pages() -> Router<AppState> {
    shell::router()
}

/// Server-rendered public pages outside the API: the embeddable widget, the printable
/// report, the badge and the link-preview card. They share the API's caching.
pub fn public_pages(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(embed::router())
        .merge(badge::router())
        .merge(card::router())
        .route_layer(from_fn_with_state(state.clone(), cache::conditional_get))
}

/// How long a request may take before it is answered 408 (and its transaction rolled back).
const REQUEST_TIME_LIMIT: Duration = Duration::from_secs(30);
/// How long an import may take: 100,000 rows are checked and stored in well under it.
const IMPORT_TIME_LIMIT: Duration = Duration::from_secs(300);

/// [`REQUEST_TIME_LIMIT`], or [`IMPORT_TIME_LIMIT`] for an upload to `…/imports`.
async fn time_limit(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    let import = request.method() == axum::http::Method::POST && request.uri().path().ends_with("/imports");
    let limit = if import { IMPORT_TIME_LIMIT } else { REQUEST_TIME_LIMIT };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => axum::http::StatusCode::REQUEST_TIMEOUT.into_response(),
    }
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
            .layer(axum::middleware::from_fn(time_limit))
            .layer(CompressionLayer::new())
            // Innermost: sees each handler's response before anything rebuilds it.
            .layer(axum::middleware::from_fn(error::log_internal_errors)),
    )
}
