//! `PUT /api/v1/areas/{regency}/village-boundaries`: a regency admin replaces the points of
//! their villages on the map with polygons. All or nothing: any problem stores nothing.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::Json;
use pantau_core::account::Action;
use pantau_core::{AreaCode, ErrorCode};
use serde::Serialize;

use super::path::RegionPath;
use super::session::Official;
use super::ApiError;
use crate::boundaries::{self, ImportError, MAX_BYTES};
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        // One byte over the import's own limit, so it can say "too large" itself.
        .layer(DefaultBodyLimit::max(MAX_BYTES + 1))
}

/// What an upload stored.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct Uploaded {
    /// Villages whose boundary is now stored.
    villages: usize,
}

#[utoipa::path(put, path = "/areas/{code}/village-boundaries", tag = "kerja",
    params(("code" = String, Path, description = "Regency or city code, e.g. 11.01")),
    request_body(content = String, content_type = "application/geo+json",
                 description = "FeatureCollection, one Polygon or MultiPolygon per village with `properties.code`"),
    responses((status = 200, description = "Stored; the regency's district maps show the polygons", body = Uploaded),
              (status = 422, description = "Checks failed; `details` lists each problem; nothing stored", body = pantau_core::ErrorEnvelope)))]
pub(crate) async fn upload(
    State(state): State<AppState>,
    official: Official,
    RegionPath(regency): RegionPath,
    body: Bytes,
) -> Result<Json<Uploaded>, ApiError> {
    official.require(Action::UploadBoundaries, &AreaCode::Region(regency.clone()))?;
    let text = String::from_utf8(body.into()).map_err(|_| ApiError::Code(ErrorCode::BadRequest))?;
    match boundaries::import(state.store.as_ref(), &regency, text, &official.actor()).await {
        Ok(villages) => Ok(Json(Uploaded { villages })),
        Err(ImportError::Invalid(errors)) => Err(ApiError::Details(
            ErrorCode::InvalidBoundaries,
            errors.iter().map(ToString::to_string).collect(),
        )),
        Err(ImportError::Store(err)) => Err(err.into()),
    }
}
