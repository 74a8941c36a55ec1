//! `GET /openapi.json`: the OpenAPI document of the whole API, generated from the handlers
//! and the core types, and committed as docs/openapi.json (a test checks it is current).

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::AppState;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pantau API",
        version = "1",
        description = "Coverage of vulnerable workers by BPJS Ketenagakerjaan against the target of 100 per village, \
                       for the nation (`ID`) and every province, regency/city, district and village (Kemendagri codes). \
                       Public and read-only: no personal data is ever returned. Errors use one envelope: \
                       `{\"error\": {\"code\", \"message\", \"field\"}}`.",
        license(name = "MIT")
    ),
    paths(
        super::health::health,
        super::areas::area,
        super::areas::breakdowns,
        super::areas::trend,
        super::areas::descendants,
        super::areas::children_csv,
        super::areas::breakdowns_csv,
        super::areas::trend_csv,
        super::search::search,
        super::maps::area_map,
    ),
    tags(
        (name = "areas", description = "Figures of an area and its children"),
        (name = "maps", description = "Boundaries for the choropleth maps"),
        (name = "search", description = "Find an area by name"),
        (name = "service", description = "Service status"),
    )
)]
pub struct ApiDoc;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
}
