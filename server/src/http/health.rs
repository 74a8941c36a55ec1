//! `GET /health`: the server and its database answer.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use pantau_core::api::Health;

use super::ApiError;
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

#[utoipa::path(get, path = "/api/v1/health", tag = "service", responses((status = 200, description = "OK", body = Health)))]
pub(crate) async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    Ok(Json(state.store.health().await?))
}
