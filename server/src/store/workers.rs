//! The enrolment workflow of the officials' workspace: workers, their changes and reports
//! of a worker enrolled twice. Every change to a worker writes its audit entry in the same
//! transaction.

use async_trait::async_trait;
use pantau_core::workers::{Conflict, Coverage, DeactivationReason, Status, WorkerDetail, WorkerPage, Workload};
use pantau_core::{AreaCode, FundingSource, Nik, RegionCode, Segment};
use time::{Date, OffsetDateTime};

use super::{Actor, EnrolmentId, NewEnrolment, StoreError};

/// What the enrolment form records besides the figures' fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Particulars {
    /// Phone, `08…`.
    pub phone: Option<String>,
    /// Address in the village.
    pub address: String,
    /// Occupation when the segment is "other".
    pub occupation_other: Option<String>,
    /// CSR sponsor.
    pub sponsor: Option<String>,
    /// BPJS membership (KPJ) number.
    pub membership_number: Option<String>,
    /// Version of the consent text agreed to; empty for bulk loads.
    pub consent_version: String,
}

/// Filters of a worker list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkerFilter {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this segment.
    pub segment: Option<Segment>,
    /// Only this funding source.
    pub funding: Option<FundingSource>,
    /// Only this premium state (deactivated workers excluded).
    pub coverage: Option<Coverage>,
    /// Only deactivated workers instead of current ones.
    pub deactivated: bool,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return.
    pub limit: u32,
}

/// A write made earlier by an account: who and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PastWrite {
    /// Who wrote it.
    pub actor: Actor,
    /// When it arrived.
    pub at: OffsetDateTime,
}

/// A worker entered earlier through the workspace, with its history (the demo's village): the
/// enrolment in its final status, the entry, and the verifier's decision if there was one.
#[derive(Clone, Debug)]
pub struct PastWorker {
    /// The record; `status` is where it ended (a verified one carries its membership number).
    pub enrolment: NewEnrolment,
    /// Its entry.
    pub entered: PastWrite,
    /// The verification or rejection, for a record no longer submitted.
    pub decided: Option<PastWrite>,
    /// Why it was rejected, for a rejected record.
    pub reject_reason: Option<String>,
}

/// Storage of workers as officials enrol and maintain them.
#[async_trait]
pub trait WorkerStore {
    /// Stores a new enrolment as submitted; `DuplicateNik` when the NIK is enrolled anywhere.
    async fn enrol_by(&self, enrolment: &NewEnrolment, actor: &Actor) -> Result<EnrolmentId, StoreError>;
    /// One worker, NIK masked.
    async fn worker(&self, id: i64, today: Date) -> Result<Option<WorkerDetail>, StoreError>;
    /// A worker's NIK for comparisons inside the server only (not audited: never sent out).
    async fn stored_nik(&self, id: i64) -> Result<Nik, StoreError>;
    /// The full NIK of a worker; writes an audit entry.
    async fn reveal_nik(&self, id: i64, actor: &Actor) -> Result<Nik, StoreError>;
    /// Workers of villages inside `area`, newest first.
    async fn workers(&self, area: &AreaCode, filter: &WorkerFilter, today: Date) -> Result<WorkerPage, StoreError>;
    /// Replaces a worker's data (village, NIK and coverage months stay). A rejected record becomes submitted, and
    /// so does a verified one whose name, birth date or sex changed.
    async fn update_worker(&self, id: i64, enrolment: &NewEnrolment, actor: &Actor) -> Result<(), StoreError>;
    /// Stops counting a worker.
    async fn deactivate_worker(&self, id: i64, reason: DeactivationReason, actor: &Actor) -> Result<(), StoreError>;
    /// Extends paid coverage by `months`; a lapsed worker starts again this month.
    async fn renew_worker(&self, id: i64, months: u16, today: Date, actor: &Actor) -> Result<(), StoreError>;
    /// Submitted → verified, with the membership number.
    async fn verify_worker(&self, id: i64, membership_number: &str, actor: &Actor) -> Result<(), StoreError>;
    /// Submitted → rejected, with the reason.
    async fn reject_worker(&self, id: i64, reason: &str, actor: &Actor) -> Result<(), StoreError>;
    /// Stores a worker entered earlier, as if the writes of its history had arrived at their
    /// times: the record (created by and at its entry), the audit entries and the figures.
    /// `DuplicateNik` as [`WorkerStore::enrol_by`].
    async fn import_past_worker(&self, worker: &PastWorker) -> Result<EnrolmentId, StoreError>;
    /// Counts for an official's home page.
    async fn workload(&self, area: &AreaCode, today: Date) -> Result<Workload, StoreError>;
}

/// Storage of reports that a worker is enrolled in the wrong village (one NIK, two claims).
#[async_trait]
pub trait ConflictStore {
    /// Records that `claimed_by` claims the worker enrolled with `nik`; `NotFound` when no
    /// current enrolment has it.
    async fn report_conflict(
        &self,
        nik: &Nik,
        claimed_by: &RegionCode,
        note: &str,
        actor: &Actor,
    ) -> Result<i64, StoreError>;
    /// Open conflicts about workers of villages inside `area`, newest first.
    async fn conflicts(&self, area: &AreaCode) -> Result<Vec<Conflict>, StoreError>;
    /// The village of the enrolment a conflict is about.
    async fn conflict_village(&self, id: i64) -> Result<Option<RegionCode>, StoreError>;
    /// Closes a conflict.
    async fn resolve_conflict(&self, id: i64, actor: &Actor) -> Result<(), StoreError>;
    /// Unresolved reports `actor` made.
    async fn open_reports_by(&self, actor: &Actor) -> Result<u64, StoreError>;
    /// Writes to the audit log what `actor` was told about `nik`.
    async fn record_nik_lookup(&self, lookup: &NikLookup, nik: &Nik, actor: &Actor) -> Result<(), StoreError>;
    /// How often since `since` `actor` learnt whether a NIK is enrolled
    /// ([`NikLookup::COUNTED`]).
    async fn nik_lookups_since(&self, actor: &Actor, since: OffsetDateTime) -> Result<u64, StoreError>;
}

/// What an official was told about a NIK typed in `asked_from`, for the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NikLookup {
    /// Enrolled already, and where (the 409 of an enrolment).
    Shown {
        enrolment: EnrolmentId,
        village: RegionCode,
        asked_from: RegionCode,
    },
    /// Enrolled already, but the account had used its lookups: only "try later".
    Withheld {
        village: Option<RegionCode>,
        asked_from: RegionCode,
    },
    /// Not enrolled (the 404 of a conflict report).
    NotEnrolled { asked_from: RegionCode },
}

impl NikLookup {
    /// The audit log's action.
    pub fn action(&self) -> &'static str {
        match self {
            Self::Shown { .. } => Self::SHOWN,
            Self::Withheld { .. } => "nik.lookup_withheld",
            Self::NotEnrolled { .. } => Self::NOT_ENROLLED,
        }
    }

    /// The actions counted towards the account's limit: the answers that told something,
    /// with the conflict report (which says the NIK is enrolled). A withheld answer told
    /// nothing, and counting it would keep an outbox that retries locked out for good.
    pub const COUNTED: [&'static str; 3] = [Self::SHOWN, Self::NOT_ENROLLED, "conflict.report"];

    const SHOWN: &'static str = "nik.duplicate_shown";
    const NOT_ENROLLED: &'static str = "nik.not_enrolled";
}
