//! `/areas/{code}…`: an area's figures, children, breakdowns and monthly series, as JSON and
//! as CSV. `ID` is the nation.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use pantau_core::api::{AreaBreakdowns, AreaChild, AreaTrend, AreaView};
use pantau_core::breakdown::{cell_text, suppress_for_public};
use pantau_core::{AreaCode, ErrorEnvelope, Level, Month};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::ApiError;
use crate::AppState;

/// Months in the trend series.
const TREND_MONTHS: i32 = 24;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/areas/{code}", get(area))
        .route("/areas/{code}/breakdowns", get(breakdowns))
        .route("/areas/{code}/trend", get(trend))
        .route("/areas/{code}/descendants", get(descendants))
        .route("/areas/{code}/children.csv", get(children_csv))
        .route("/areas/{code}/breakdowns.csv", get(breakdowns_csv))
        .route("/areas/{code}/trend.csv", get(trend_csv))
}

fn parse(raw: &str) -> Result<AreaCode, ApiError> {
    AreaCode::parse(raw).map_err(|_| ApiError::InvalidRegionCode)
}

/// The current month (UTC), as every public answer counts it.
pub(crate) fn this_month() -> Month {
    Month::of(OffsetDateTime::now_utc().date())
}

#[utoipa::path(
    get,
    path = "/api/v1/areas/{code}",
    tag = "areas",
    summary = "An area's figures, breadcrumbs, rank and children",
    params(("code" = String, Path, description = "`ID` for the nation or a Kemendagri code such as `32.16`")),
    responses(
        (status = 200, description = "OK", body = AreaView, content_type = "application/json"),
        (status = 400, description = "Malformed code", body = ErrorEnvelope),
        (status = 404, description = "No such area", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(area = %raw))]
pub(crate) async fn area(State(state): State<AppState>, Path(raw): Path<String>) -> Result<Json<AreaView>, ApiError> {
    Ok(Json(state.store.area(&parse(&raw)?, this_month()).await?))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub(crate) struct DescendantsQuery {
    /// `province`, `regency`, `district` or `village`, below the area; villages are not
    /// listed for the whole country at once.
    level: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/areas/{code}/descendants",
    tag = "areas",
    summary = "Every area of one level inside an area, with its figures (for maps and comparisons)",
    params(("code" = String, Path, description = "`ID` for the nation or a Kemendagri code"), DescendantsQuery),
    responses(
        (status = 200, description = "OK", body = Vec<AreaChild>, content_type = "application/json"),
        (status = 400, description = "Malformed code or level", body = ErrorEnvelope),
        (status = 404, description = "No such area", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(area = %raw))]
pub(crate) async fn descendants(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<DescendantsQuery>,
) -> Result<Json<Vec<AreaChild>>, ApiError> {
    let code = parse(&raw)?;
    let level = Level::from_name(query.level.as_deref().unwrap_or_default()).ok_or(ApiError::InvalidDescendantLevel)?;
    let too_many = code == AreaCode::Nation && level == Level::Village;
    if level <= code.level() || too_many {
        return Err(ApiError::InvalidDescendantLevel);
    }
    state.store.area_name(&code).await?;
    Ok(Json(state.store.descendants(&code, level, this_month()).await?))
}

async fn area_breakdowns(state: &AppState, raw: &str) -> Result<AreaBreakdowns, ApiError> {
    let code = parse(raw)?;
    let name = state.store.area_name(&code).await?;
    let mut breakdowns = state.store.breakdowns(&code, this_month()).await?;
    let small_cells_suppressed = suppress_for_public(code.level(), &mut breakdowns);
    let (data_as_of, demo) = state.store.data_facts().await?;
    Ok(AreaBreakdowns {
        code,
        name,
        breakdowns,
        small_cells_suppressed,
        data_as_of,
        demo,
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/areas/{code}/breakdowns",
    tag = "areas",
    summary = "Workers by funding source, occupation, programme, sex and age band; village cells of 1–4 are null",
    params(("code" = String, Path, description = "`ID` for the nation or a Kemendagri code such as `32.16`")),
    responses(
        (status = 200, description = "OK", body = AreaBreakdowns, content_type = "application/json"),
        (status = 400, description = "Malformed code", body = ErrorEnvelope),
        (status = 404, description = "No such area", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(area = %raw))]
pub(crate) async fn breakdowns(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<AreaBreakdowns>, ApiError> {
    Ok(Json(area_breakdowns(&state, &raw).await?))
}

async fn area_trend(state: &AppState, raw: &str) -> Result<AreaTrend, ApiError> {
    let code = parse(raw)?;
    let name = state.store.area_name(&code).await?;
    let points = state.store.trend(&code, this_month(), TREND_MONTHS).await?;
    let (data_as_of, demo) = state.store.data_facts().await?;
    Ok(AreaTrend {
        code,
        name,
        points,
        data_as_of,
        demo,
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/areas/{code}/trend",
    tag = "areas",
    summary = "The last 24 months, oldest first",
    params(("code" = String, Path, description = "`ID` for the nation or a Kemendagri code such as `32.16`")),
    responses(
        (status = 200, description = "OK", body = AreaTrend, content_type = "application/json"),
        (status = 400, description = "Malformed code", body = ErrorEnvelope),
        (status = 404, description = "No such area", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(area = %raw))]
pub(crate) async fn trend(State(state): State<AppState>, Path(raw): Path<String>) -> Result<Json<AreaTrend>, ApiError> {
    Ok(Json(area_trend(&state, &raw).await?))
}

/// A CSV download named after the area, the table and the data date.
fn csv_response(
    code: &AreaCode,
    table: &str,
    as_of: OffsetDateTime,
    rows: Vec<Vec<String>>,
) -> Result<Response, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(&row).map_err(|e| ApiError::Internal(e.into()))?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("csv: {e}")))?;
    let date = as_of.date();
    let filename = format!(
        "pantau-{}-{table}-{}{:02}{:02}.csv",
        code.as_str().replace('.', ""),
        date.year(),
        u8::from(date.month()),
        date.day()
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}

fn as_of_text(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

#[utoipa::path(
    get,
    path = "/api/v1/areas/{code}/children.csv",
    tag = "areas",
    summary = "The children table as CSV",
    params(("code" = String, Path, description = "`ID` for the nation or a Kemendagri code such as `32.16`")),
    responses(
        (status = 200, description = "OK", body = String, content_type = "text/csv"),
        (status = 400, description = "Malformed code", body = ErrorEnvelope),
        (status = 404, description = "No such area", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(area = %raw))]
pub(crate) async fn children_csv(State(state): State<AppState>, Path(raw): Path<String>) -> Result<Response, ApiError> {
    let view = state.store.area(&parse(&raw)?, this_month()).await?;
    let as_of = as_of_text(view.data_as_of);
    let mut rows = vec![[
        "data_as_of",
        "code",
        "name",
        "level",
        "target",
        "enrolled",
        "active",
        "progress_pct",
        "villages",
        "villages_at_target",
        "premium_per_year",
    ]
    .map(String::from)
    .to_vec()];
    for child in &view.children {
        let f = &child.figures;
        let level = serde_json::to_value(child.level)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        rows.push(vec![
            as_of.clone(),
            child.code.to_string(),
            child.name.clone(),
            level,
            f.target.to_string(),
            f.enrolled.to_string(),
            f.active.to_string(),
            f.progress_pct.to_string(),
            f.villages.to_string(),
            f.villages_at_target.to_string(),
            f.premium_per_year.to_string(),
        ]);
    }
    csv_response(&view.code, "wilayah", view.data_as_of, rows)
}

#[utoipa::path(
    get,
    path = "/api/v1/areas/{code}/breakdowns.csv",
    tag = "areas",
    summary = "The breakdowns as CSV; masked cells are `<5`",
    params(("code" = String, Path, description = "`ID` for the nation or a Kemendagri code such as `32.16`")),
    responses(
        (status = 200, description = "OK", body = String, content_type = "text/csv"),
        (status = 400, description = "Malformed code", body = ErrorEnvelope),
        (status = 404, description = "No such area", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(area = %raw))]
pub(crate) async fn breakdowns_csv(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let b = area_breakdowns(&state, &raw).await?;
    let as_of = as_of_text(b.data_as_of);
    let cell = |n: Option<u64>| cell_text(n, |n| n.to_string());
    let mut rows = vec![["data_as_of", "code", "dimension", "value", "enrolled", "active"]
        .map(String::from)
        .to_vec()];
    for breakdown in &b.breakdowns {
        let dimension = breakdown.dimension.as_str();
        for row in &breakdown.rows {
            rows.push(vec![
                as_of.clone(),
                b.code.to_string(),
                dimension.to_owned(),
                row.value.clone(),
                cell(row.enrolled),
                cell(row.active),
            ]);
        }
    }
    csv_response(&b.code, "rincian", b.data_as_of, rows)
}

#[utoipa::path(
    get,
    path = "/api/v1/areas/{code}/trend.csv",
    tag = "areas",
    summary = "The monthly series as CSV",
    params(("code" = String, Path, description = "`ID` for the nation or a Kemendagri code such as `32.16`")),
    responses(
        (status = 200, description = "OK", body = String, content_type = "text/csv"),
        (status = 400, description = "Malformed code", body = ErrorEnvelope),
        (status = 404, description = "No such area", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(area = %raw))]
pub(crate) async fn trend_csv(State(state): State<AppState>, Path(raw): Path<String>) -> Result<Response, ApiError> {
    let t = area_trend(&state, &raw).await?;
    let as_of = as_of_text(t.data_as_of);
    let mut rows = vec![["data_as_of", "code", "month", "enrolled", "active"]
        .map(String::from)
        .to_vec()];
    for p in &t.points {
        rows.push(vec![
            as_of.clone(),
            t.code.to_string(),
            p.month.to_string(),
            p.enrolled.to_string(),
            p.active.to_string(),
        ]);
    }
    csv_response(&t.code, "tren", t.data_as_of, rows)
}
