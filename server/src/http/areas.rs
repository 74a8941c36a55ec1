//! `GET /areas/{code}`: an area's coverage figures and its children's, `ID` for the nation.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use pantau_core::api::AreaView;
use pantau_core::{AreaCode, Month};
use time::OffsetDateTime;

use super::ApiError;
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/areas/{code}", get(area))
}

#[tracing::instrument(skip_all, fields(area = %raw))]
async fn area(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<AreaView>, ApiError> {
    let code = AreaCode::parse(&raw).map_err(|_| ApiError::InvalidRegionCode)?;
    let now = Month::of(OffsetDateTime::now_utc().date());
    Ok(Json(state.store.area(&code, now).await?))
}
