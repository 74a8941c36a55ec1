//! `GET /areas/{code}/map`: boundaries of the areas an area's map shows, as TopoJSON.
//!
//! Shipped views change only with a new build, so they have their own caching: an ETag of
//! the map data version, a year's `immutable` when the URL carries that version (`?v=`), an
//! hour otherwise; they go out brotli-compressed at the highest quality. Views built from the
//! database (imported village boundaries, points) are cached like other data.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use pantau_core::map::Topology;
use pantau_core::{ErrorCode, ErrorEnvelope, Field, Level};
use serde::Deserialize;

use super::cache::{self, PUBLIC_DATA};
use super::path::AreaPath;
use super::ApiError;
use crate::boundaries::VillageBoundary;
use crate::maps::{self, view_region, ViewKey};
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Cache policy of a map URL that names the current version.
const VERSIONED: &str = "public, max-age=31536000, immutable";
/// Cache policy of an unversioned map URL.
const UNVERSIONED: &str = "public, max-age=3600";

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(area_map))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub(crate) struct MapQuery {
    /// Areas to draw: `province`, `regency` or `district` for the nation (default
    /// `province`); for other areas only the level below (the default). A village's map
    /// shows the villages of its district.
    level: Option<String>,
    /// `0` (default) for the whole view, `1` for a finer outline when zoomed in (where the
    /// layer has one; otherwise the same as `0`).
    detail: Option<String>,
    /// Map data version (from the app build); with the current one the answer is cacheable for a year.
    v: Option<String>,
    /// The national district layer only: part `1` (default, Sumatra and Java) or `2` (the
    /// islands east of them); each part stays under 300 KB and the app draws both as one layer.
    part: Option<String>,
}

#[utoipa::path(
    get,
    path = "/areas/{code}/map",
    tag = "maps",
    summary = "Boundaries (TopoJSON) of the areas shown on an area's map; villages without a boundary are points",
    params(("code" = String, Path, description = "`ID` for the nation or a Kemendagri code"), MapQuery),
    responses(
        (status = 200, description = "TopoJSON with one geometry collection", body = Topology, content_type = "application/json"),
        (status = 304, description = "Not modified"),
        (status = 400, description = "Malformed code, level or detail", body = ErrorEnvelope),
        (status = 404, description = "No such area", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(area = %code))]
pub(crate) async fn area_map(
    State(state): State<AppState>,
    AreaPath(code): AreaPath,
    Query(query): Query<MapQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let shown = query
        .level
        .as_deref()
        .map(|name| Level::from_name(name).ok_or(ApiError::At(ErrorCode::InvalidMapLevel, Field::Level)))
        .transpose()?;
    let detail = match query.detail.as_deref() {
        None | Some("0") => 0,
        Some("1") => 1,
        Some(_) => return Err(ApiError::At(ErrorCode::InvalidMapDetail, Field::Detail)),
    };
    let part = query
        .part
        .as_deref()
        .map(|raw| {
            raw.parse::<u8>()
                .map_err(|_| ApiError::At(ErrorCode::InvalidMapPart, Field::Part))
        })
        .transpose()?;
    let key = maps::view_for(&code, shown, part).map_err(|_| match part {
        Some(_) => ApiError::At(ErrorCode::InvalidMapPart, Field::Part),
        None => ApiError::At(ErrorCode::InvalidMapLevel, Field::Level),
    })?;
    state.store.area_name(&code).await?;

    // Imported village boundaries replace the shipped ones (or the points) of their district.
    let imported = match (key.layer, view_region(&key)) {
        ("villages", Some(district)) => state.store.village_boundaries(&district).await?,
        _ => Vec::new(),
    };
    let prepared = imported.is_empty().then(|| state.maps.get(&key, detail)).flatten();
    let version = maps::version();
    let brotli = prepared.is_some() && cache::accepts_brotli(&headers);
    // Shipped views change only with a build; the others with the data. The brotli body is
    // another representation, so it has its own tag.
    let encoding = if brotli { "-br" } else { "" };
    let (etag, cache_control) = match prepared {
        Some(_) if query.v.as_deref() == Some(version) => (format!("\"g{version}{encoding}\""), VERSIONED),
        Some(_) => (format!("\"g{version}{encoding}\""), UNVERSIONED),
        None => (format!("\"g{version}-d{:x}\"", state.store.data_version()), PUBLIC_DATA),
    };
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| cache::matches(v, &etag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else if prepared.is_some() {
        prepared_body(&state, &key, detail, brotli).await?
    } else {
        drawn_body(&state, &key, imported).await?
    };
    cache::set(&mut response, header::ETAG, &etag);
    cache::set(&mut response, header::CACHE_CONTROL, cache_control);
    cache::set(&mut response, header::VARY, "accept-encoding");
    Ok(response)
}

/// A shipped view, as brotli (made once per view at the highest quality) when asked.
async fn prepared_body(state: &AppState, key: &ViewKey, detail: u8, brotli: bool) -> Result<Response, ApiError> {
    let json = (header::CONTENT_TYPE, "application/json");
    if let Some(prepared) = state.maps.get(key, detail) {
        if !brotli {
            return Ok(([json], prepared.json).into_response());
        }
        let maps = state.maps.clone();
        let (layer, view) = (key.layer, key.view.clone());
        let compressed = tokio::task::spawn_blocking(move || {
            let key = ViewKey { layer, view };
            maps.get(&key, detail).map(|p| p.brotli().clone()).unwrap_or_default()
        })
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
        return Ok(([json, (header::CONTENT_ENCODING, "br")], compressed).into_response());
    }
    Err(ApiError::Internal(anyhow::anyhow!(
        "no prepared view for {}",
        key.layer
    )))
}

/// A view built from the database: imported village boundaries, and label points for the
/// villages without one.
async fn drawn_body(state: &AppState, key: &ViewKey, imported: Vec<VillageBoundary>) -> Result<Response, ApiError> {
    let Some(parent) = view_region(key) else {
        return Err(ApiError::Internal(anyhow::anyhow!("no view for {}", key.layer)));
    };
    let with_shape: std::collections::HashSet<String> = imported.iter().map(|b| b.code.as_str().to_owned()).collect();
    let points: Vec<(String, [f64; 2])> = state
        .store
        .child_points(&parent)
        .await?
        .into_iter()
        .filter(|(code, _)| !with_shape.contains(code.as_str()))
        .map(|(code, (lat, lng))| (code.as_str().to_owned(), [lng, lat]))
        .collect();
    let shapes = imported
        .into_iter()
        .map(|b| (b.code.as_str().to_owned(), b.polygons, b.label))
        .collect();
    Ok(axum::Json(Topology::of_parts(parent.as_str(), shapes, points)).into_response())
}
