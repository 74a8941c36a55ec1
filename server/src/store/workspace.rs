//! What the officials' workspace needs from storage: accounts, sessions, the enrolment
//! workflow and the audit log. Every change to a worker writes its audit entry in the same
//! transaction.

use async_trait::async_trait;
use pantau_core::account::Grant;
use pantau_core::commitments::{Allocation, BudgetView, Regulation, ValidRegulation};
use pantau_core::workers::{
    AuditEntry, Conflict, Coverage, DeactivationReason, Status, WorkerDetail, WorkerPage, Workload,
};
use pantau_core::{AreaCode, FundingSource, Nik, RegionCode, Segment};
use time::Date;

use super::{EnrolmentId, NewEnrolment, StoreError};

/// Who makes a change, as the audit log records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// Account id.
    pub id: i64,
    /// Username, written into the log so it stays readable if the account goes.
    pub username: String,
}

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

/// An account to create; the password is already hashed.
#[derive(Clone)]
pub struct NewAccount {
    /// Unique username.
    pub username: String,
    /// Unique e-mail, optional.
    pub email: Option<String>,
    /// Display name.
    pub display_name: String,
    /// Role and scope.
    pub grant: Grant,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// A stored account.
#[derive(Clone)]
pub struct AccountRecord {
    /// Id.
    pub id: i64,
    /// Username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role and scope.
    pub grant: Grant,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// False once disabled.
    pub active: bool,
}

impl std::fmt::Debug for AccountRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountRecord")
            .field("id", &self.id)
            .field("grant", &self.grant)
            .finish_non_exhaustive()
    }
}

/// A live session with its account.
#[derive(Clone, Debug)]
pub struct SessionRecord {
    /// The signed-in account.
    pub account: AccountRecord,
    /// CSRF token of this session.
    pub csrf: String,
    /// Unix seconds at sign-in.
    pub created_at: i64,
    /// Unix seconds of the last request.
    pub last_seen: i64,
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

/// Storage of the officials' workspace.
#[async_trait]
pub trait WorkspaceStore {
    /// Number of accounts.
    async fn account_count(&self) -> Result<u64, StoreError>;
    /// Creates an account; `Conflict` when the username or e-mail is taken.
    async fn create_account(&self, account: &NewAccount, actor: Option<&Actor>) -> Result<i64, StoreError>;
    /// The account with this username or e-mail (case-insensitive).
    async fn account_by_login(&self, login: &str) -> Result<Option<AccountRecord>, StoreError>;
    /// The account with this id.
    async fn account(&self, id: i64) -> Result<Option<AccountRecord>, StoreError>;
    /// Accounts whose scope lies inside `scope`, by username.
    async fn accounts_in(&self, scope: &AreaCode) -> Result<Vec<AccountRecord>, StoreError>;
    /// Replaces the password hash and ends every session of the account.
    async fn set_password(&self, account: i64, password_hash: &str, actor: &Actor) -> Result<(), StoreError>;

    /// Stores a session under the hash of its token.
    async fn create_session(&self, token_hash: &str, account: i64, csrf: &str, now: i64) -> Result<(), StoreError>;
    /// The session with this token hash, if its account is active.
    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError>;
    /// Records activity on a session.
    async fn touch_session(&self, token_hash: &str, now: i64) -> Result<(), StoreError>;
    /// Ends one session.
    async fn end_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Ends every session of an account.
    async fn end_all_sessions(&self, account: i64) -> Result<(), StoreError>;

    /// Stores a one-time reset token (hashed), replacing earlier ones of the account.
    async fn create_reset(
        &self,
        token_hash: &str,
        account: i64,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError>;
    /// The account a reset token is for, if it exists and has not expired; does not spend it.
    async fn peek_reset(&self, token_hash: &str, now: i64) -> Result<Option<i64>, StoreError>;
    /// Consumes a reset token: the account it was for, if it exists and has not expired.
    async fn take_reset(&self, token_hash: &str, now: i64) -> Result<Option<i64>, StoreError>;

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
    /// Counts for an official's home page.
    async fn workload(&self, area: &AreaCode, today: Date) -> Result<Workload, StoreError>;

    /// Records a change that is not a worker's (accounts, targets).
    async fn record_audit(
        &self,
        actor: &Actor,
        action: &str,
        subject: &str,
        area: &AreaCode,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<(), StoreError>;
    /// The latest entries about records inside `area`, newest first.
    async fn audit_log(&self, area: &AreaCode, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;

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
}

/// Storage of local commitments: regulations and premium budgets.
#[async_trait]
pub trait CommitmentStore {
    /// Regulations registered for any of `areas` (codes), newest first.
    async fn regulations(&self, areas: &[RegionCode]) -> Result<Vec<Regulation>, StoreError>;
    /// Registers a regulation of a regency or province; a data change for public caching.
    async fn add_regulation(
        &self,
        area: &RegionCode,
        regulation: &ValidRegulation,
        actor: &Actor,
    ) -> Result<Regulation, StoreError>;
    /// The area a regulation belongs to.
    async fn regulation_area(&self, id: i64) -> Result<Option<RegionCode>, StoreError>;
    /// Removes a regulation.
    async fn delete_regulation(&self, id: i64, actor: &Actor) -> Result<(), StoreError>;
    /// A regency's premium budget for a year, with what its enrolments commit.
    async fn budget(&self, regency: &RegionCode, year: i32) -> Result<BudgetView, StoreError>;
    /// Sets allocations (other sources keep theirs).
    async fn set_budget(
        &self,
        regency: &RegionCode,
        year: i32,
        allocations: &[Allocation],
        actor: &Actor,
    ) -> Result<(), StoreError>;
}
