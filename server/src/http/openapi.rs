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
                       The public routes are read-only and never return personal data. The `workspace` routes \
                       serve signed-in officials: a session cookie from `POST /api/v1/session`, the `X-CSRF-Token` \
                       header on every change, and role and region checks on every record; their answers are \
                       `Cache-Control: no-store`. Errors use one envelope: \
                       `{\"error\": {\"code\", \"message\", \"field\", \"problems\"?, \"duplicate\"?}}`.",
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
        super::session::me,
        super::session::sign_in,
        super::session::sign_out,
        super::session::sign_out_everywhere,
        super::users::list,
        super::users::create,
        super::users::reset_link,
        super::users::reset_password,
        super::workers::enrol,
        super::workers::worker,
        super::workers::full_nik,
        super::workers::update,
        super::workers::deactivate,
        super::workers::renew,
        super::workers::verify,
        super::workers::reject,
        super::workers::workers,
        super::workers::workload,
        super::workers::set_target,
        super::workers::audit,
        super::boundary_upload::upload,
        super::workers::report_conflict,
        super::workers::conflicts,
        super::workers::resolve_conflict,
        super::commitments::regulations,
        super::commitments::add_regulation,
        super::commitments::delete_regulation,
        super::commitments::budget,
        super::commitments::set_budget,
    ),
    tags(
        (name = "areas", description = "Figures of an area and its children"),
        (name = "maps", description = "Boundaries for the choropleth maps"),
        (name = "search", description = "Find an area by name"),
        (name = "service", description = "Service status"),
        (name = "workspace", description = "Officials: sign-in, users, enrolments and their workflow (private)"),
    )
)]
pub struct ApiDoc;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
}
