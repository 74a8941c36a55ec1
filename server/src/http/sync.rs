//! `GET /areas/{code}/sync`: for supervisors, per operator of the area, when their device
//! last delivered a write and how many records arrived on each of the last 14 days (WIB), to
//! settle "I sent 40 but only 38 arrived" against the receipts on the phone.

use axum::extract::State;
use axum::Json;
use pantau_core::account::Action;
use pantau_core::workers::SyncReport;
use time::{Date, Duration, OffsetDateTime};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::path::{AreaPath, AreaRefusals};
use super::session::Official;
use super::ApiError;
use crate::store::sync::WIB;
use crate::AppState;

/// Days the report covers, today included.
pub const SYNC_DAYS: i64 = 14;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sync_report))
}

/// The `SYNC_DAYS` WIB dates ending with the one of `now`, oldest first.
pub fn days_until(now: OffsetDateTime) -> Vec<Date> {
    let today = now.to_offset(WIB).date();
    (0..SYNC_DAYS).rev().map(|back| today - Duration::days(back)).collect()
}

#[utoipa::path(get, path = "/areas/{code}/sync", tag = "kerja", params(AreaPath),
    responses((status = 200, description = "Per operator account of the area (and any other account that wrote a \
        worker record there): last accepted write and records arrived per day, the last 14 days in WIB", body = SyncReport),
        (status = 403, description = "The role may not view sync reports of this area", body = pantau_core::ErrorEnvelope),
        AreaRefusals))]
pub(crate) async fn sync_report(
    State(state): State<AppState>,
    official: Official,
    AreaPath(area): AreaPath,
) -> Result<Json<SyncReport>, ApiError> {
    official.require(Action::ViewSync, &area)?;
    // An unknown area is a 404, not an empty report.
    state.store.area_name(&area).await?;
    let days = days_until(OffsetDateTime::now_utc());
    Ok(Json(state.store.sync_report(&area, &days).await?))
}
