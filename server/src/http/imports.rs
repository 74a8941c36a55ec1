//! Bulk import: the template, the upload (dry run or commit, answered as JSON or as the
//! errors file), the batches of an area and their undo. Same roles and scopes as the
//! enrolment form.

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::{BodyExt, Limited};
use pantau_core::account::Action;
use pantau_core::import::{ImportBatch, ImportMode, ImportReport, MAX_FILE_BYTES};
use pantau_core::{AreaCode, ErrorCode};
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::path::AreaPath;
use super::session::Official;
use super::ApiError;
use crate::import::file::{self, FileError};
use crate::import::{self, template, Caller, ImportError};
use crate::store::StoreError;
use crate::AppState;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(template_csv))
        .routes(routes!(template_xlsx))
        .routes(routes!(upload, batches))
        .routes(routes!(undo))
}

fn attachment(content_type: &str, filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Only someone who may enrol somewhere gets the template.
fn may_import(official: &Official) -> Result<(), ApiError> {
    if official.account.grant.role.may(Action::Enrol) {
        Ok(())
    } else {
        Err(ApiError::Code(ErrorCode::Forbidden))
    }
}

#[utoipa::path(get, path = "/imports/template.csv", tag = "kerja",
    responses((status = 200, description = "The headers, `;`-separated, UTF-8 with BOM", body = String, content_type = "text/csv")))]
pub(crate) async fn template_csv(official: Official) -> Result<Response, ApiError> {
    may_import(&official)?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        "pantau-templat-impor.csv",
        template::csv(),
    ))
}

#[utoipa::path(get, path = "/imports/template.xlsx", tag = "kerja",
    responses((status = 200, description = "Sheets Data (drop-down lists), Pilihan and Petunjuk", body = Vec<u8>,
               content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub(crate) async fn template_xlsx(official: Official) -> Result<Response, ApiError> {
    may_import(&official)?;
    let body = template::xlsx().map_err(|e| ApiError::Internal(e.into()))?;
    Ok(attachment(XLSX, "pantau-templat-impor.xlsx", body))
}

/// Options of an upload.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct UploadOptions {
    /// `dry_run` checks only; `commit` stores.
    mode: ImportMode,
    /// With `commit`: store the valid rows even when others have problems.
    #[serde(default)]
    only_valid: bool,
    /// `csv` answers the uploaded rows with a `Masalah` column instead of JSON.
    #[serde(default)]
    format: Option<String>,
}

fn file_refusal(error: FileError) -> ApiError {
    ApiError::Code(match error {
        FileError::Unreadable => ErrorCode::ImportUnreadable,
        FileError::Encoding => ErrorCode::ImportEncoding,
        FileError::TooManyRows => ErrorCode::ImportTooLarge,
    })
}

impl From<ImportError> for ApiError {
    fn from(error: ImportError) -> Self {
        match error {
            ImportError::File(error) => file_refusal(error),
            ImportError::ColumnsMissing(headers) => ApiError::Details(
                ErrorCode::ImportColumnsMissing,
                headers
                    .into_iter()
                    .map(|h| format!("Kolom wajib tidak ada: {h}"))
                    .collect(),
            ),
            ImportError::TooManyNikLookups => ApiError::Code(ErrorCode::TooManyNikLookups),
            ImportError::Store(err) => err.into(),
        }
    }
}

#[utoipa::path(post, path = "/areas/{code}/imports", tag = "kerja",
    params(("code" = String, Path, description = "Area imported into: a village, district or regency in the caller's scope"), UploadOptions),
    request_body(content = Vec<u8>, description = "The file: CSV (`,` `;` or tab; UTF-8, UTF-16 or Windows-1252) or XLSX; at most 100,000 rows and 48 MB",
                 content_type = "text/csv"),
    responses((status = 200, description = "Checked (dry run) or stored (commit)", body = ImportReport),
              (status = 403, description = "Area outside the caller's scope", body = pantau_core::ErrorEnvelope),
              (status = 413, description = "Over the size or row limit", body = pantau_core::ErrorEnvelope),
              (status = 422, description = "Unreadable file or missing columns (error envelope); or a commit with invalid rows \
                 without `only_valid` (the report, nothing stored)", body = ImportReport)))]
pub(crate) async fn upload(
    State(state): State<AppState>,
    official: Official,
    AreaPath(area): AreaPath,
    options: Result<Query<UploadOptions>, QueryRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    official.require(Action::Enrol, &area)?;
    // `mode` is required and `dry_run` or `commit`: anything else is a clear 400.
    let Ok(Query(options)) = options else {
        return Err(ApiError::Worded(
            ErrorCode::BadRequest,
            pantau_core::Field::Query,
            "Pilih mode=dry_run (uji coba) atau mode=commit (simpan); only_valid=true|false; format=json|csv.",
        ));
    };
    state.store.area_name(&area).await?;
    let as_csv = match options.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::Code(ErrorCode::BadRequest)),
    };
    // Read at most the limit: a larger upload is refused without being held in memory.
    let bytes = match Limited::new(body, MAX_FILE_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) if err.is::<http_body_util::LengthLimitError>() => {
            return Err(ApiError::Code(ErrorCode::ImportTooLarge))
        }
        Err(_) => return Err(ApiError::Code(ErrorCode::BadRequest)),
    };
    let sheet = tokio::task::spawn_blocking(move || file::read(&bytes))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
        .map_err(file_refusal)?;
    let actor = official.actor();
    let caller = Caller {
        area: &area,
        grant: &official.account.grant,
        actor: &actor,
        today: OffsetDateTime::now_utc().date(),
    };
    let (checked, sheet) = import::check(state.store.as_ref(), sheet, &caller).await?;
    let mut report = checked.report;
    let mut status = StatusCode::OK;
    if options.mode == ImportMode::Commit {
        if report.invalid > 0 && !options.only_valid {
            status = StatusCode::UNPROCESSABLE_ENTITY;
        } else if !checked.to_store.is_empty() {
            let batch = match state.store.commit_import(&area, &checked.to_store, &actor).await {
                Ok(batch) => batch,
                // A NIK of the file was enrolled between the check and the commit.
                Err(StoreError::Conflict) => return Err(ApiError::Code(ErrorCode::DuplicateNik)),
                Err(err) => return Err(err.into()),
            };
            report.created = batch.created;
            report.batch_id = Some(batch.batch_id);
            tracing::info!(rows = report.rows, created = report.created, "import committed");
        }
    }
    if as_csv {
        let body = template::errors_csv(&sheet, &checked.problems_by_row);
        let mut response = attachment("text/csv; charset=utf-8", "pantau-impor-masalah.csv", body);
        *response.status_mut() = status;
        return Ok(response);
    }
    Ok((status, Json(report)).into_response())
}

#[utoipa::path(get, path = "/areas/{code}/imports", tag = "kerja",
    params(("code" = String, Path, description = "Area code")),
    responses((status = 200, description = "The latest 50 imports into the area, newest first", body = [ImportBatch])))]
pub(crate) async fn batches(
    State(state): State<AppState>,
    official: Official,
    AreaPath(area): AreaPath,
) -> Result<Json<Vec<ImportBatch>>, ApiError> {
    official.require(Action::Enrol, &area)?;
    Ok(Json(state.store.import_batches(&area).await?))
}

#[utoipa::path(delete, path = "/imports/{batch_id}", tag = "kerja",
    params(("batch_id" = String, Path, description = "The batch of an import commit")),
    responses((status = 200, description = "Undone: the batch's records and their figures removed", body = ImportBatch),
              (status = 404, description = "No such batch", body = pantau_core::ErrorEnvelope),
              (status = 409, description = "Undone already, or a record was verified, changed or deactivated", body = pantau_core::ErrorEnvelope)))]
pub(crate) async fn undo(
    State(state): State<AppState>,
    official: Official,
    Path(batch_id): Path<String>,
) -> Result<Json<ImportBatch>, ApiError> {
    let not_found = || ApiError::Code(ErrorCode::ImportBatchNotFound);
    if batch_id.len() != 16 || !batch_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(not_found());
    }
    let batch = state.store.import_batch(&batch_id).await?.ok_or_else(not_found)?;
    let area = AreaCode::parse(&batch.area).map_err(|e| ApiError::Internal(anyhow::anyhow!("stored area: {e}")))?;
    // Outside the caller's scope a batch is as good as absent.
    if !official.account.grant.allows(Action::Enrol, &area) {
        return Err(not_found());
    }
    match state.store.undo_import(&batch_id, &official.actor()).await {
        Ok(_) => {}
        Err(StoreError::NotFound) => return Err(not_found()),
        Err(StoreError::WrongState) => return Err(ApiError::Code(ErrorCode::ImportBatchChanged)),
        Err(err) => return Err(err.into()),
    }
    let batch = state.store.import_batch(&batch_id).await?.ok_or_else(not_found)?;
    Ok(Json(batch))
}
