//! Local commitments: regulations (public to read, registered by admins) and premium budgets
//! per funding source (officials only).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use pantau_core::account::Action;
use pantau_core::commitments::{
    check_regulation, regulation_holders, Allocation, BudgetView, Regulation, RegulationDraft, BUDGET_YEARS,
    MAX_ALLOCATION,
};
use pantau_core::{AreaCode, ErrorCode, ErrorEnvelope, Field, Level, RegionCode};
use serde::Deserialize;
use time::OffsetDateTime;

use super::json::JsonBody;
use super::path::{AreaPath, RecordId, RegionPath};
use super::session::Official;
use super::ApiError;
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// `GET /areas/{code}/regulations`, with the API's public caching.
pub(crate) fn public_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(regulations))
}

/// The officials' routes, private.
pub(crate) fn kerja_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add_regulation))
        .routes(routes!(delete_regulation))
        .routes(routes!(budget, set_budget))
}

#[utoipa::path(get, path = "/areas/{code}/regulations", tag = "areas",
    params(("code" = String, Path, description = "`ID` or a region code")),
    responses((status = 200, description = "Regulations of the area and of the regency and province it lies in, newest first", body = [Regulation])))]
pub(crate) async fn regulations(
    State(state): State<AppState>,
    AreaPath(area): AreaPath,
) -> Result<Json<Vec<Regulation>>, ApiError> {
    state.store.area_name(&area).await?;
    Ok(Json(state.store.regulations(&regulation_holders(&area)).await?))
}

#[utoipa::path(post, path = "/areas/{code}/regulations", tag = "kerja",
    params(("code" = String, Path, description = "Regency or province code")), request_body = RegulationDraft,
    responses((status = 201, description = "Registered; shown on the public area page", body = Regulation),
              (status = 422, description = "A field is wrong; `field` says which", body = ErrorEnvelope)))]
pub(crate) async fn add_regulation(
    State(state): State<AppState>,
    official: Official,
    RegionPath(area): RegionPath,
    JsonBody(draft): JsonBody<RegulationDraft>,
) -> Result<(StatusCode, Json<Regulation>), ApiError> {
    official.require(Action::ManageRegulations, &AreaCode::Region(area.clone()))?;
    if !matches!(area.level(), Level::Province | Level::Regency) {
        return Err(ApiError::At(ErrorCode::InvalidRegionCode, Field::Code));
    }
    let valid = check_regulation(&draft, OffsetDateTime::now_utc().date())
        .map_err(|problem| ApiError::Worded(ErrorCode::InvalidRegulation, problem.field(), problem.message_id()))?;
    let stored = state.store.add_regulation(&area, &valid, &official.actor()).await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

#[utoipa::path(delete, path = "/regulations/{id}", tag = "kerja",
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
        .ok_or(ApiError::Code(ErrorCode::RegulationNotFound))?;
    official.require(Action::ManageRegulations, &AreaCode::Region(area))?;
    state.store.delete_regulation(id, &official.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The `{year}` of a budget's path (its `{code}` is a [`RegionPath`]).
#[derive(Deserialize)]
pub(crate) struct BudgetYear {
    year: String,
}

fn budget_scope(regency: RegionCode, year: &str) -> Result<(RegionCode, i32), ApiError> {
    let year: i32 = year.parse().map_err(|_| ApiError::Code(ErrorCode::InvalidBudget))?;
    if regency.level() != Level::Regency {
        return Err(ApiError::At(ErrorCode::InvalidRegionCode, Field::Code));
    }
    if !BUDGET_YEARS.contains(&year) {
        return Err(ApiError::Code(ErrorCode::InvalidBudget));
    }
    Ok((regency, year))
}

#[utoipa::path(get, path = "/areas/{code}/budgets/{year}", tag = "kerja",
    params(("code" = String, Path, description = "Regency code"), ("year" = i32, Path, description = "Year")),
    responses((status = 200, description = "Allocated and committed premiums per funding source", body = BudgetView)))]
pub(crate) async fn budget(
    State(state): State<AppState>,
    official: Official,
    RegionPath(regency): RegionPath,
    Path(BudgetYear { year }): Path<BudgetYear>,
) -> Result<Json<BudgetView>, ApiError> {
    let (regency, year) = budget_scope(regency, &year)?;
    official.require(Action::ViewBudgets, &AreaCode::Region(regency.clone()))?;
    Ok(Json(state.store.budget(&regency, year).await?))
}

/// `PUT /areas/{regency}/budgets/{year}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct BudgetUpdate {
    /// Allocations to set; sources not listed keep theirs.
    allocations: Vec<Allocation>,
}

#[utoipa::path(put, path = "/areas/{code}/budgets/{year}", tag = "kerja",
    params(("code" = String, Path, description = "Regency code"), ("year" = i32, Path, description = "Year")),
    request_body = BudgetUpdate, responses((status = 200, description = "The budget after the change", body = BudgetView)))]
pub(crate) async fn set_budget(
    State(state): State<AppState>,
    official: Official,
    RegionPath(regency): RegionPath,
    Path(BudgetYear { year }): Path<BudgetYear>,
    JsonBody(update): JsonBody<BudgetUpdate>,
) -> Result<Json<BudgetView>, ApiError> {
    let (regency, year) = budget_scope(regency, &year)?;
    official.require(Action::ManageBudgets, &AreaCode::Region(regency.clone()))?;
    let mut seen = std::collections::HashSet::new();
    if update
        .allocations
        .iter()
        .any(|a| a.allocated > MAX_ALLOCATION || !seen.insert(a.funding))
    {
        return Err(ApiError::Code(ErrorCode::InvalidBudget));
    }
    state
        .store
        .set_budget(&regency, year, &update.allocations, &official.actor())
        .await?;
    Ok(Json(state.store.budget(&regency, year).await?))
}
