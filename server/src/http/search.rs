//! `GET /search?q=`: regions by name.

use axum::extract::{Query, State};
use axum::Json;
use pantau_core::api::SearchHit;
use pantau_core::{ErrorCode, ErrorEnvelope, Field};
use serde::Deserialize;

use super::ApiError;
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Longest query accepted, in characters.
const MAX_QUERY: usize = 100;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub(crate) struct SearchQuery {
    /// Part of a region name, 1–100 characters; case, accents, "Kabupaten/Kota/Desa" and small typos do not matter.
    #[serde(default)]
    q: String,
}

// The query is a place name, never personal data, but it is still not logged: it is user text.
#[utoipa::path(
    get,
    path = "/search",
    tag = "search",
    summary = "Regions by name, best first (at most 10)",
    params(SearchQuery),
    responses(
        (status = 200, description = "OK", body = Vec<SearchHit>),
        (status = 400, description = "Empty or too long query", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn search(
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
) -> Result<Json<Vec<SearchHit>>, ApiError> {
    let q = query.q.trim();
    if q.is_empty() || q.chars().count() > MAX_QUERY {
        return Err(ApiError::At(ErrorCode::InvalidSearch, Field::Query));
    }
    let index = state.search.clone();
    let owned = q.to_owned();
    let hits = tokio::task::spawn_blocking(move || index.search(&owned))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(Json(hits))
}
