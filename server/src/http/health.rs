//! `GET /health`: the server and its database answer.

use axum::extract::State;
use axum::Json;
use pantau_core::api::Health;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ApiError;
use crate::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

#[utoipa::path(get, path = "/health", tag = "service", responses((status = 200, description = "OK", body = Health)))]
pub(crate) async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    Ok(Json(state.store.health().await?))
}
