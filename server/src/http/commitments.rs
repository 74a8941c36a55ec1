//! Local commitments: regulations (public to read, registered by admins) and premium budgets
//! per funding source (officials only).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use pantau_core::account::Action;
use pantau_core::commitments::{
    check_regulation, regulation_holders, Allocation, BudgetView, Regulation, RegulationDraft, MAX_ALLOCATION,
};
use pantau_core::{AreaCode, ErrorCode, ErrorEnvelope, Level, RegionCode};
use serde::Deserialize;
use time::OffsetDateTime;

use super::json::JsonBody;
use super::path::RecordId;
use super::session::Official;
use super::ApiError;
use crate::AppState;

/// `GET /areas/{code}/regulations`, with the API's public caching.
pub(crate) fn public_router() -> Router<AppState> {
    Router::new().route("/areas/{code}/regulations", get(regulations))
}

/// The officials' routes, private.
pub(crate) fn workspace_router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/areas/{code}/regulations", post(add_regulation))
        .route("/api/v1/regulations/{id}", delete(delete_regulation))
        .route("/api/v1/areas/{code}/budgets/{year}", get(budget).put(set_budget))
}

fn region(raw: &str) -> Result<RegionCode, ApiError> {
    RegionCode::parse(raw).map_err(|_| ApiError::InvalidRegionCode)
}

#[utoipa::path(get, path = "/api/v1/areas/{code}/regulations", tag = "areas",
    params(("code" = String, Path, description = "`ID` or a region code")),
    responses((status = 200, description = "Regulations of the area and of the regency and province it lies in, newest first", body = [Regulation])))]
pub(crate) async fn regulations(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Vec<Regulation>>, ApiError> {
    let area = AreaCode::parse(&code).map_err(|_| ApiError::InvalidRegionCode)?;
    state.store.area_name(&area).await?;
    Ok(Json(state.store.regulations(&regulation_holders(&area)).await?))
}

#[utoipa::path(post, path = "/api/v1/areas/{code}/regulations", tag = "workspace",
    params(("code" = String, Path, description = "Regency or province code")), request_body = RegulationDraft,
    responses((status = 201, description = "Registered; shown on the public area page", body = Regulation),
              (status = 422, description = "A field is wrong; `field` says which", body = ErrorEnvelope)))]
pub(crate) async fn add_regulation(
    State(state): State<AppState>,
    official: Official,
    Path(code): Path<String>,
    JsonBody(draft): JsonBody<RegulationDraft>,
) -> Result<(StatusCode, Json<Regulation>), ApiError> {
    let area = region(&code)?;
    official.require(Action::ManageRegulations, &AreaCode::Region(area.clone()))?;
    if !matches!(area.level(), Level::Province | Level::Regency) {
        return Err(ApiError::InvalidRegionCode);
    }
    let valid = check_regulation(&draft, OffsetDateTime::now_utc().date()).map_err(|problem| {
        let mut envelope = ErrorEnvelope::field(ErrorCode::InvalidRegulation, problem.field());
        envelope.error.message = problem.message_id().to_owned();
        ApiError::Envelope(StatusCode::UNPROCESSABLE_ENTITY, Box::new(envelope))
    })?;
    let stored = state.store.add_regulation(&area, &valid, &official.actor()).await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

#[utoipa::path(delete, path = "/api/v1/regulations/{id}", tag = "workspace",
    params(("id" = i64, Path, description = "Regulation id")), responses((status = 204, description = "Removed")))]
pub(crate) async fn delete_regulation(
    State(state): State<AppState>,
    official: Official,
    RecordId(id): RecordId,
) -> Result<StatusCode, ApiError> {
    let area = state
        .store
        .regulation_area(id)
        .await?
        .ok_or(ApiError::RegulationNotFound)?;
    official.require(Action::ManageRegulations, &AreaCode::Region(area))?;
    state.store.delete_regulation(id, &official.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn budget_scope(code: &str, year: &str) -> Result<(RegionCode, i32), ApiError> {
    let regency = region(code)?;
    let year: i32 = year.parse().map_err(|_| ApiError::InvalidBudget)?;
    if regency.level() != Level::Regency {
        return Err(ApiError::InvalidRegionCode);
    }
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::InvalidBudget);
    }
    Ok((regency, year))
}

#[utoipa::path(get, path = "/api/v1/areas/{code}/budgets/{year}", tag = "workspace",
    params(("code" = String, Path, description = "Regency code"), ("year" = i32, Path, description = "Year")),
    responses((status = 200, description = "Allocated and committed premiums per funding source", body = BudgetView)))]
pub(crate) async fn budget(
    State(state): State<AppState>,
    official: Official,
    Path((code, year)): Path<(String, String)>,
) -> Result<Json<BudgetView>, ApiError> {
    let (regency, year) = budget_scope(&code, &year)?;
    official.require(Action::ViewWorkers, &AreaCode::Region(regency.clone()))?;
    Ok(Json(state.store.budget(&regency, year).await?))
}

/// `PUT /areas/{regency}/budgets/{year}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct BudgetUpdate {
    /// Allocations to set; sources not listed keep theirs.
    allocations: Vec<Allocation>,
}

#[utoipa::path(put, path = "/api/v1/areas/{code}/budgets/{year}", tag = "workspace",
    params(("code" = String, Path, description = "Regency code"), ("year" = i32, Path, description = "Year")),
    request_body = BudgetUpdate, responses((status = 200, description = "The budget after the change", body = BudgetView)))]
pub(crate) async fn set_budget(
    State(state): State<AppState>,
    official: Official,
    Path((code, year)): Path<(String, String)>,
    JsonBody(update): JsonBody<BudgetUpdate>,
) -> Result<Json<BudgetView>, ApiError> {
    let (regency, year) = budget_scope(&code, &year)?;
    official.require(Action::ManageBudgets, &AreaCode::Region(regency.clone()))?;
    let mut seen = std::collections::HashSet::new();
    if update
        .allocations
        .iter()
        .any(|a| a.allocated > MAX_ALLOCATION || !seen.insert(a.funding))
    {
        return Err(ApiError::InvalidBudget);
    }
    state
        .store
        .set_budget(&regency, year, &update.allocations, &official.actor())
        .await?;
    Ok(Json(state.store.budget(&regency, year).await?))
}
