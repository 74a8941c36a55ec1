//! Enrolled workers as officials see them: the record's status workflow, deactivation,
//! renewal and the lists of the workspace. Public responses never use these types.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::coverage::Month;
use crate::enrolment::{FundingSource, Segment};
use crate::nik::Sex;
use crate::premium::Program;
use crate::region::RegionCode;

// Dates travel as `YYYY-MM-DD`, the value of an HTML date input.
time::serde::format_description!(pub iso_date, Date, "[year]-[month]-[day]");

crate::wire_enum! {
    /// Where an enrolment stands in checking by BPJS Ketenagakerjaan.
    pub enum Status: "status" {
        /// Entered by the village, waiting for a verifier.
        Submitted = "submitted" { id: "Menunggu verifikasi", en: "Awaiting verification" },
        /// Confirmed by a BPJS verifier, with the membership number.
        Verified = "verified" { id: "Terverifikasi", en: "Verified" },
        /// Refused by a verifier with a reason; a correction resubmits it.
        Rejected = "rejected" { id: "Ditolak", en: "Rejected" },
    }
}

crate::wire_enum! {
    /// Why a worker is no longer counted.
    pub enum DeactivationReason: "deactivation reason" {
        /// Moved out of the village.
        Moved = "moved" { id: "Pindah dari desa", en: "Moved out of the village" },
        /// Died.
        Died = "died" { id: "Meninggal dunia", en: "Died" },
        /// Now a wage employee, covered through an employer (PU).
        WageEmployed = "wage_employed" {
            id: "Menjadi pekerja penerima upah (didaftarkan pemberi kerja)",
            en: "Now a wage employee (covered by an employer)",
        },
        /// Entered twice.
        Duplicate = "duplicate" { id: "Data ganda atau salah ketik NIK", en: "Duplicate record or mistyped NIK" },
        /// Asked to leave.
        Withdrew = "withdrew" { id: "Mengundurkan diri", en: "Withdrew" },
    }
}

crate::wire_enum! {
    /// Premium state of a worker today, for lists and filters.
    pub enum Coverage: "coverage" {
        /// Paid beyond the next 30 days.
        Active = "active" { id: "Aktif", en: "Active" },
        /// Coverage ends within 30 days: renew now.
        Lapsing = "lapsing" { id: "Segera berakhir", en: "Ending soon" },
        /// Coverage has ended.
        Lapsed = "lapsed" { id: "Sudah berakhir", en: "Lapsed" },
    }
}

/// Days before coverage ends in which a worker is listed as lapsing.
pub const LAPSING_WITHIN_DAYS: i64 = 30;

/// The last day covered by premiums paid through `paid_through`.
pub fn coverage_end(paid_through: Month) -> Date {
    let next = paid_through.plus(1);
    let month = time::Month::try_from(next.month_number()).unwrap_or(time::Month::January);
    Date::from_calendar_date(next.year(), month, 1)
        .map(|first| first.previous_day().unwrap_or(first))
        .unwrap_or(Date::MIN)
}

/// Whether a worker paid through `paid_through` is active, lapsing or lapsed on `today`.
pub fn coverage_on(paid_through: Month, today: Date) -> Coverage {
    let end = coverage_end(paid_through);
    if end < today {
        Coverage::Lapsed
    } else if (end - today).whole_days() < LAPSING_WITHIN_DAYS {
        Coverage::Lapsing
    } else {
        Coverage::Active
    }
}

/// One worker in an official's list. The NIK is masked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkerRow {
    /// Enrolment id.
    pub id: i64,
    /// Masked NIK, e.g. `3216••••••••0012`.
    pub nik_masked: String,
    /// Full name.
    pub full_name: String,
    /// Village code.
    pub village: RegionCode,
    /// Village name.
    pub village_name: String,
    /// Occupation segment.
    pub segment: Segment,
    /// Who pays.
    pub funding: FundingSource,
    /// Verification status.
    pub status: Status,
    /// Last month paid.
    pub paid_through: Month,
    /// Premium state today.
    pub coverage: Coverage,
    /// Set when the worker is no longer counted.
    pub deactivated: Option<DeactivationReason>,
}

/// `GET /api/v1/enrolments/{id}`: one worker in full, NIK still masked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkerDetail {
    /// The list row.
    #[serde(flatten)]
    pub row: WorkerRow,
    /// Birth date; `null` for roles that may not see the full NIK, of which it is digits
    /// 7–12 (see [`WorkerDetail::without_nik_clues`]).
    #[serde(with = "iso_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub birth_date: Option<Date>,
    /// Year of birth, shown to every role. Not the age: an age seen to change from one day
    /// to the next would give the birthday away.
    pub birth_year: i32,
    /// Sex.
    pub sex: Sex,
    /// Phone, `08…`.
    pub phone: Option<String>,
    /// Address in the village.
    pub address: String,
    /// Occupation when the segment is "other".
    pub occupation_other: Option<String>,
    /// Program package.
    pub program: Program,
    /// Declared monthly income, rupiah.
    pub income: u64,
    /// CSR sponsor.
    pub sponsor: Option<String>,
    /// First covered month.
    pub coverage_start: Month,
    /// Premium per month, rupiah.
    pub monthly_premium: u64,
    /// BPJS membership (KPJ) number.
    pub membership_number: Option<String>,
    /// Why a verifier rejected it.
    pub reject_reason: Option<String>,
    /// Version of the consent text the worker agreed to.
    pub consent_version: String,
    /// When it was entered.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    /// Ids may be compared to detect edits by someone else.
    pub revision: i64,
}

/// The fields of a record that, with its masked NIK, sex and village, give back the hidden
/// digits: the mask `3216••••••••0012` hides the district (known from the village) and the
/// birth date (day + 40 for women). Roles that may not see the NIK see none of them.
pub const NIK_CLUES: [&str; 1] = ["birth_date"];

impl WorkerDetail {
    /// The record as a role that may not see the full NIK reads it: the birth year stays, the
    /// date goes (365 candidates for digits 7–10 instead of one).
    pub fn without_nik_clues(mut self) -> Self {
        self.birth_date = None;
        self
    }
}

/// `GET /api/v1/enrolments/{id}/nik`: the full NIK, for roles that need it. Audited.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FullNik {
    /// The 16 digits.
    pub nik: String,
}

impl std::fmt::Debug for FullNik {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FullNik").finish_non_exhaustive()
    }
}

/// `POST /api/v1/enrolments`: the created record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enrolled {
    /// The new worker.
    pub worker: WorkerRow,
    /// What the server received and when: kept by the sending device to reconcile later.
    pub receipt: Receipt,
}

/// Proof of an accepted submission: the record's server id and when it arrived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    /// The record's id on the server.
    pub id: i64,
    /// When the server stored it.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub received_at: OffsetDateTime,
}

/// `GET /api/v1/areas/{code}/sync`: per operator account in the area, when its device last
/// sent a record and how many records arrived on each of the last days, so a supervisor can
/// settle "I sent 40 but only 38 arrived".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncReport {
    /// The days counted, oldest first (`YYYY-MM-DD`, server's calendar in WIB, UTC+7).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub days: Vec<SyncDay>,
    /// One row per account that enrols in the area (village operators, then others who sent
    /// anything), by village code then username.
    pub operators: Vec<OperatorSync>,
}

/// A day of a [`SyncReport`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SyncDay(#[serde(with = "iso_date")] pub Date);

/// One account's row of a [`SyncReport`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperatorSync {
    /// The account.
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    /// The account's scope (a village for an operator).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub scope: crate::region::AreaCode,
    /// Its name.
    pub scope_name: String,
    /// When the server last accepted a write from this account; none if never.
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_sync: Option<OffsetDateTime>,
    /// New enrolments that arrived per day, aligned with [`SyncReport::days`].
    pub enrolled_per_day: Vec<u32>,
    /// All accepted writes of worker records (enrolments, edits, renewals, deactivations,
    /// verifications and rejections) per day, aligned with [`SyncReport::days`].
    pub writes_per_day: Vec<u32>,
}

/// 409 body detail when the NIK is already covered somewhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateNik {
    /// Masked NIK of the existing record.
    pub nik_masked: String,
    /// Village where the person is already covered.
    pub village: RegionCode,
    /// Its name.
    pub village_name: String,
    /// The existing record's id when the caller may open it.
    pub enrolment_id: Option<i64>,
}

/// `POST /api/v1/enrolments/{id}/deactivate`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deactivate {
    /// Why.
    pub reason: DeactivationReason,
}

/// `POST /api/v1/enrolments/{id}/renew`: extend coverage by paid months.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Renew {
    /// 1, 3, 6 or 12.
    pub months: u16,
}

/// `POST /api/v1/enrolments/{id}/verify`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verify {
    /// BPJS membership (KPJ) number, 11 digits.
    pub membership_number: String,
}

/// `POST /api/v1/enrolments/{id}/reject`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reject {
    /// What is wrong, 5–300 characters, shown to the village.
    pub reason: String,
}

/// `GET /api/v1/areas/{code}/workers`: one page of workers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkerPage {
    /// Workers matching the filters, newest first.
    pub workers: Vec<WorkerRow>,
    /// All matches, beyond this page too.
    pub total: u64,
    /// Rows per page.
    pub page_size: u32,
}

/// `GET /api/v1/areas/{code}/workload`: counts for an official's home page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workload {
    /// Waiting for verification.
    pub submitted: u64,
    /// Verified.
    pub verified: u64,
    /// Rejected, waiting for correction.
    pub rejected: u64,
    /// Coverage ends within 30 days.
    pub lapsing: u64,
    /// Coverage has ended.
    pub lapsed: u64,
    /// Open reports from other villages that claim one of these workers.
    #[serde(default)]
    pub conflicts: u64,
}

/// `POST /api/v1/conflicts`: a village that found its worker already enrolled elsewhere (out
/// of its scope) tells the officials of that village.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConflictReport {
    /// The NIK as typed in the refused enrolment.
    pub nik: String,
    /// The reporting village (where the worker says they live).
    pub village: RegionCode,
    /// What the reporter knows, 0–500 characters.
    #[serde(default)]
    pub note: String,
}

impl std::fmt::Debug for ConflictReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConflictReport")
            .field("village", &self.village)
            .finish_non_exhaustive()
    }
}

/// Answers telling an account whether a NIK is enrolled (and where), per hour: enough for an
/// operator who meets a few already-enrolled workers a day, too few to sweep a village's NIKs.
pub const NIK_LOOKUPS_PER_HOUR: u64 = 20;

/// Unresolved duplicate reports one account may have open (the refusal's message says so).
pub const MAX_OPEN_CONFLICT_REPORTS: u64 = 20;

/// An open conflict as the officials of the enrolled village see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conflict {
    /// Report id.
    pub id: i64,
    /// The enrolment claimed.
    pub enrolment_id: i64,
    /// Its masked NIK.
    pub nik_masked: String,
    /// Where it is enrolled.
    pub village: RegionCode,
    /// That village's name.
    pub village_name: String,
    /// The village that reported.
    pub claimed_by: RegionCode,
    /// Its name.
    pub claimed_by_name: String,
    /// The reporter's note.
    pub note: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub reported_at: OffsetDateTime,
}

/// One entry of the audit log. The NIK appears masked only; before/after hold the record's
/// other fields as they were, for admins to see what changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
    /// Who (username).
    pub actor: String,
    /// What, e.g. `enrolment.create`, `enrolment.view_nik`, `user.create`.
    pub action: String,
    /// The record, e.g. `enrolment/42`.
    pub subject: String,
    /// Area of the record.
    pub area: String,
    /// State before, with NIK masked.
    pub before: Option<serde_json::Value>,
    /// State after, with NIK masked.
    pub after: Option<serde_json::Value>,
    /// Fields that changed but whose values this reader may not see ([`NIK_CLUES`]).
    #[serde(default)]
    pub hidden_changes: Vec<String>,
}

impl AuditEntry {
    /// The entry as a role that may not see the full NIK reads it: the [`NIK_CLUES`] leave
    /// both snapshots, and a change of one is listed by its name only.
    pub fn without_nik_clues(mut self) -> Self {
        for field in NIK_CLUES {
            let take = |snapshot: &mut Option<serde_json::Value>| {
                snapshot
                    .as_mut()
                    .and_then(serde_json::Value::as_object_mut)
                    .and_then(|fields| fields.remove(field))
            };
            let (before, after) = (take(&mut self.before), take(&mut self.after));
            if self.before.is_some() && self.after.is_some() && before != after {
                self.hidden_changes.push(field.to_owned());
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::date;

    fn audit(before: Option<serde_json::Value>, after: Option<serde_json::Value>) -> AuditEntry {
        AuditEntry {
            at: OffsetDateTime::UNIX_EPOCH,
            actor: "admin.bekasi".into(),
            action: "enrolment.update".into(),
            subject: "enrolment/1".into(),
            area: "32.16.01.2001".into(),
            before,
            after,
            hidden_changes: Vec::new(),
        }
    }

    #[test]
    fn an_audit_entry_without_nik_clues_names_a_changed_birth_date_but_holds_neither_value() {
        let entry = audit(
            Some(json!({ "birth_date": "1985-08-15", "sex": "male", "full_name": "Joko" })),
            Some(json!({ "birth_date": "1985-08-16", "sex": "male", "full_name": "Joko S" })),
        )
        .without_nik_clues();
        assert_eq!(entry.hidden_changes, ["birth_date"]);
        let text = serde_json::to_string(&entry).unwrap();
        assert!(!text.contains("1985"), "{text}");
        assert_eq!(entry.after.unwrap()["full_name"], "Joko S", "other fields stay");

        let unchanged = audit(
            Some(json!({ "birth_date": "1985-08-15" })),
            Some(json!({ "birth_date": "1985-08-15" })),
        );
        assert!(unchanged.without_nik_clues().hidden_changes.is_empty());
        let created = audit(None, Some(json!({ "birth_date": "1985-08-15" }))).without_nik_clues();
        assert!(created.hidden_changes.is_empty());
        assert_eq!(created.after, Some(json!({})));
    }

    #[test]
    fn coverage_ends_on_the_last_day_of_the_last_paid_month() {
        assert_eq!(coverage_end(Month::parse("2026-02").unwrap()), date!(2026 - 02 - 28));
        assert_eq!(coverage_end(Month::parse("2026-12").unwrap()), date!(2026 - 12 - 31));
    }

    #[test]
    fn lapsing_means_ending_within_thirty_days() {
        let nov = Month::parse("2026-11").unwrap();
        assert_eq!(coverage_on(nov, date!(2026 - 11 - 24)), Coverage::Lapsing);
        assert_eq!(coverage_on(nov.plus(1), date!(2026 - 11 - 24)), Coverage::Active);
        assert_eq!(coverage_on(nov.plus(-1), date!(2026 - 11 - 24)), Coverage::Lapsed);
        assert_eq!(coverage_on(nov, date!(2026 - 11 - 01)), Coverage::Lapsing);
        assert_eq!(coverage_on(nov, date!(2026 - 10 - 31)), Coverage::Active);
    }
}
