//! What arrived from whom: per account, the worker records it wrote inside an area per day,
//! read from the audit log (every accepted write of a worker record writes its entry in the
//! same transaction), for supervisors to settle "I sent 40 but only 38 arrived".

use async_trait::async_trait;
use pantau_core::workers::SyncReport;
use pantau_core::AreaCode;
use time::{Date, UtcOffset};

use super::StoreError;

/// The calendar of the report: Western Indonesia Time (UTC+7), where the demo regencies and
/// most villages are.
pub const WIB: UtcOffset = time::macros::offset!(+7);

/// The audit actions that are writes of a worker record (what an operator's device sends).
pub const WRITE_ACTIONS: [&str; 6] = [
    "enrolment.create",
    "enrolment.update",
    "enrolment.deactivate",
    "enrolment.renew",
    "enrolment.verify",
    "enrolment.reject",
];

/// The audit action of a new enrolment.
pub const CREATE_ACTION: &str = "enrolment.create";

/// Storage side of the sync report.
#[async_trait]
pub trait SyncStore {
    /// For `days` (consecutive WIB dates, oldest first): one row per active village operator
    /// scoped inside `area`, then one per other account that wrote a worker record inside
    /// `area` on those days, each by scope code then username, with its last write inside
    /// `area` (at any time) and its counts per day.
    async fn sync_report(&self, area: &AreaCode, days: &[Date]) -> Result<SyncReport, StoreError>;
}
