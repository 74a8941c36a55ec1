//! `GET /openapi.json`: the OpenAPI document of the whole API, made from the same route
//! registrations as the router (`routes!`), and committed as docs/openapi.json (a test checks
//! it is current).

use axum::body::Bytes;
use axum::http::header;
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;

use crate::AppState;

/// The API's description and tags; its paths come from the routers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pantau API",
        version = "1",
        description = "Coverage of vulnerable workers by BPJS Ketenagakerjaan against the target of 100 per village, \
                       for the nation (`ID`) and every province, regency/city, district and village (Kemendagri codes). \
                       The public routes are read-only and never return personal data. The `kerja` routes \
                       serve signed-in officials: a session cookie from `POST /api/v1/session`, the `X-CSRF-Token` \
                       header on every change, and role and region checks on every record; their answers are \
                       `Cache-Control: no-store`. Errors use one envelope: \
                       `{\"error\": {\"code\", \"message\", \"field\", \"problems\"?, \"duplicate\"?}}`.",
        license(name = "MIT")
    ),
    tags(
        (name = "areas", description = "Figures of an area and its children"),
        (name = "maps", description = "Boundaries for the choropleth maps"),
        (name = "search", description = "Find an area by name"),
        (name = "service", description = "Service status"),
        (name = "kerja", description = "Officials: sign-in, users, enrolments and their workflow (private)"),
    )
)]
pub struct ApiDoc;

/// Serves `document`, serialized once.
pub(crate) fn router(document: &utoipa::openapi::OpenApi) -> Router<AppState> {
    let body = Bytes::from(serde_json::to_vec(document).unwrap_or_default());
    Router::new().route(
        "/api/v1/openapi.json",
        get(move || async move { ([(header::CONTENT_TYPE, "application/json")], body) }),
    )
}
