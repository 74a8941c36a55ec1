//! `/areas/{code}…`: an area's figures, children, breakdowns and monthly series, as JSON and
//! as CSV. `ID` is the nation.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use pantau_core::api::{AreaBreakdowns, AreaChild, AreaTrend, AreaView};
use pantau_core::breakdown::{any_suppressed, cell_text};
use pantau_core::{AreaCode, ErrorCode, ErrorEnvelope, Field, Level, Month};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::path::{AreaPath, AreaRefusals};
use super::ApiError;
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Months in the trend series.
const TREND_MONTHS: i32 = 24;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(area))
        .routes(routes!(breakdowns))
        .routes(routes!(trend))
        .routes(routes!(descendants))
        .routes(routes!(children_csv))
        .routes(routes!(breakdowns_csv))
        .routes(routes!(trend_csv))
}

/// The current month (UTC), as every public answer counts it.
pub(crate) fn this_month() -> Month {
    Month::of(OffsetDateTime::now_utc().date())
}

#[utoipa::path(get, path = "/areas/{code}", tag = "areas", params(AreaPath),
    summary = "An area's figures, breadcrumbs, rank and children",
    responses((status = 200, description = "OK", body = AreaView, content_type = "application/json"), AreaRefusals))]
#[tracing::instrument(skip_all, fields(area = %code))]
pub(crate) async fn area(State(state): State<AppState>, AreaPath(code): AreaPath) -> Result<Json<AreaView>, ApiError> {
    Ok(Json(state.store.area(&code, this_month()).await?))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub(crate) struct DescendantsQuery {
    /// `province`, `regency`, `district` or `village`, below the area; villages are not
    /// listed for the whole country at once.
    level: Option<String>,
}

#[utoipa::path(
    get,
    path = "/areas/{code}/descendants",
    tag = "areas",
    summary = "Every area of one level inside an area, with its figures (for maps and comparisons)",
    params(("code" = String, Path, description = "`ID` for the nation or a Kemendagri code"), DescendantsQuery),
    responses(
        (status = 200, description = "OK", body = Vec<AreaChild>, content_type = "application/json"),
        (status = 400, description = "Malformed code or level", body = ErrorEnvelope),
        (status = 404, description = "No such area", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(area = %code))]
pub(crate) async fn descendants(
    State(state): State<AppState>,
    AreaPath(code): AreaPath,
    Query(query): Query<DescendantsQuery>,
) -> Result<Json<Vec<AreaChild>>, ApiError> {
    let level = Level::from_name(query.level.as_deref().unwrap_or_default())
        .ok_or(ApiError::At(ErrorCode::InvalidDescendantLevel, Field::Level))?;
    let too_many = code == AreaCode::Nation && level == Level::Village;
    if level <= code.level() || too_many {
        return Err(ApiError::At(ErrorCode::InvalidDescendantLevel, Field::Level));
    }
    state.store.area_name(&code).await?;
    Ok(Json(state.store.descendants(&code, level, this_month()).await?))
}

async fn area_breakdowns(state: &AppState, code: AreaCode) -> Result<AreaBreakdowns, ApiError> {
    let name = state.store.area_name(&code).await?;
    let breakdowns = state.store.published_breakdowns(&code, this_month()).await?;
    let small_cells_suppressed = any_suppressed(&breakdowns);
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

#[utoipa::path(get, path = "/areas/{code}/breakdowns", tag = "areas", params(AreaPath),
    summary = "Workers by funding source, occupation, programme, sex and age band; cells of 1–4 people (and their complements) are null",
    responses((status = 200, description = "OK", body = AreaBreakdowns, content_type = "application/json"), AreaRefusals))]
#[tracing::instrument(skip_all, fields(area = %code))]
pub(crate) async fn breakdowns(
    State(state): State<AppState>,
    AreaPath(code): AreaPath,
) -> Result<Json<AreaBreakdowns>, ApiError> {
    Ok(Json(area_breakdowns(&state, code).await?))
}

async fn area_trend(state: &AppState, code: AreaCode) -> Result<AreaTrend, ApiError> {
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

#[utoipa::path(get, path = "/areas/{code}/trend", tag = "areas", params(AreaPath),
    summary = "The last 24 months, oldest first",
    responses((status = 200, description = "OK", body = AreaTrend, content_type = "application/json"), AreaRefusals))]
#[tracing::instrument(skip_all, fields(area = %code))]
pub(crate) async fn trend(
    State(state): State<AppState>,
    AreaPath(code): AreaPath,
) -> Result<Json<AreaTrend>, ApiError> {
    Ok(Json(area_trend(&state, code).await?))
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
        // Area names and categories are ours, but an export is opened in a spreadsheet:
        // nothing in it may start a formula (OWASP "CSV injection").
        let row = row
            .iter()
            .map(|cell| pantau_core::import::neutralised(cell).into_owned());
        writer.write_record(row).map_err(|e| ApiError::Internal(e.into()))?;
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

#[utoipa::path(get, path = "/areas/{code}/children.csv", tag = "areas", params(AreaPath),
    summary = "The children table as CSV",
    responses((status = 200, description = "OK", body = String, content_type = "text/csv"), AreaRefusals))]
#[tracing::instrument(skip_all, fields(area = %code))]
pub(crate) async fn children_csv(
    State(state): State<AppState>,
    AreaPath(code): AreaPath,
) -> Result<Response, ApiError> {
    let view = state.store.area(&code, this_month()).await?;
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
        let level = child.level.as_str().to_owned();
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
            // Empty where hidden, like a suppressed cell left out.
            f.premium_per_year.map(|p| p.to_string()).unwrap_or_default(),
        ]);
    }
    csv_response(&view.code, "wilayah", view.data_as_of, rows)
}

#[utoipa::path(get, path = "/areas/{code}/breakdowns.csv", tag = "areas", params(AreaPath),
    summary = "The breakdowns as CSV; masked cells are `<5`",
    responses((status = 200, description = "OK", body = String, content_type = "text/csv"), AreaRefusals))]
#[tracing::instrument(skip_all, fields(area = %code))]
pub(crate) async fn breakdowns_csv(
    State(state): State<AppState>,
    AreaPath(code): AreaPath,
) -> Result<Response, ApiError> {
    let b = area_breakdowns(&state, code).await?;
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

#[utoipa::path(get, path = "/areas/{code}/trend.csv", tag = "areas", params(AreaPath),
    summary = "The monthly series as CSV",
    responses((status = 200, description = "OK", body = String, content_type = "text/csv"), AreaRefusals))]
#[tracing::instrument(skip_all, fields(area = %code))]
pub(crate) async fn trend_csv(State(state): State<AppState>, AreaPath(code): AreaPath) -> Result<Response, ApiError> {
    let t = area_trend(&state, code).await?;
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
