//! A worker as stored: the enrolment with its workflow state, read from and shown as the
//! workspace's records.

use pantau_core::premium::PremiumRules;
use pantau_core::workers::{coverage_on, DeactivationReason, Status, WorkerDetail, WorkerRow};
use pantau_core::{Month, Nik, RegionCode};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use super::write::Tx;
use super::{corrupt, other, parse_stored, unsigned};
use crate::store::{NewEnrolment, Particulars, StoreError};

/// The columns [`Stored::of`] reads, from `enrolment e JOIN region r ON r.code = e.village`.
pub(super) const WORKER_COLUMNS: &str =
    "e.id, e.nik, e.village, r.name AS village_name, e.full_name, e.birth_date, e.sex, e.segment, \
     e.program, e.income, e.funding, e.start_month, e.paid_through, e.status, e.phone, e.address, e.occupation_other, \
     e.sponsor, e.membership_number, e.reject_reason, e.deactivated, e.deactivation_reason, e.consent_version, \
     e.created_at, e.revision";

/// `SELECT` of one worker by id (`?`).
pub(super) fn worker_by_id() -> String {
    format!("SELECT {WORKER_COLUMNS} FROM enrolment e JOIN region r ON r.code = e.village WHERE e.id = ?")
}

/// A stored enrolment with its workflow state.
#[derive(Clone)]
pub(super) struct Stored {
    pub(super) id: i64,
    pub(super) enrolment: NewEnrolment,
    pub(super) village_name: String,
    pub(super) reject_reason: Option<String>,
    pub(super) deactivated: Option<DeactivationReason>,
    pub(super) created_at: OffsetDateTime,
    pub(super) revision: i64,
}

impl Stored {
    /// The record of a row with [`WORKER_COLUMNS`].
    pub(super) fn of(row: &SqliteRow) -> Result<Self, StoreError> {
        let text = |name: &str| -> String { row.get(name) };
        let birth_date = Date::parse(
            &text("birth_date"),
            &time::format_description::well_known::Iso8601::DATE,
        )
        .map_err(|_| corrupt("birth date"))?;
        let deactivated = if row.get::<i64, _>("deactivated") != 0 {
            let reason: Option<String> = row.get("deactivation_reason");
            // Deactivated before reasons were recorded: count it as withdrawn.
            Some(
                reason
                    .as_deref()
                    .map_or(Ok(DeactivationReason::Withdrew), parse_stored)?,
            )
        } else {
            None
        };
        Ok(Self {
            id: row.get("id"),
            enrolment: NewEnrolment {
                nik: Nik::parse(&text("nik")).map_err(|_| corrupt("NIK"))?,
                village: RegionCode::parse(&text("village")).map_err(|_| corrupt("village"))?,
                full_name: text("full_name"),
                birth_date,
                sex: parse_stored(&text("sex"))?,
                segment: parse_stored(&text("segment"))?,
                program: parse_stored(&text("program"))?,
                income: unsigned(row.get("income")),
                funding: parse_stored(&text("funding"))?,
                start: Month::from_index(row.get("start_month")),
                paid_through: Month::from_index(row.get("paid_through")),
                status: parse_stored(&text("status"))?,
                particulars: Particulars {
                    phone: row.get("phone"),
                    address: text("address"),
                    occupation_other: row.get("occupation_other"),
                    sponsor: row.get("sponsor"),
                    membership_number: row.get("membership_number"),
                    consent_version: text("consent_version"),
                },
            },
            village_name: text("village_name"),
            reject_reason: row.get("reject_reason"),
            deactivated,
            created_at: OffsetDateTime::parse(&text("created_at"), &Rfc3339).map_err(|_| corrupt("created_at"))?,
            revision: row.get("revision"),
        })
    }

    /// Whether the public figures count this record.
    pub(super) fn counted(&self) -> bool {
        self.deactivated.is_none() && self.enrolment.status != Status::Rejected
    }

    /// Submitted → `decision` (verified or rejected); `WrongState` unless it awaits one.
    pub(super) fn decide(&mut self, decision: Status) -> Result<(), StoreError> {
        if self.enrolment.status != Status::Submitted {
            return Err(StoreError::WrongState);
        }
        self.enrolment.status = decision;
        Ok(())
    }

    /// The line of a worker list.
    pub(super) fn row(&self, today: Date) -> WorkerRow {
        let e = &self.enrolment;
        WorkerRow {
            id: self.id,
            nik_masked: e.nik.masked(),
            full_name: e.full_name.clone(),
            village: e.village.clone(),
            village_name: self.village_name.clone(),
            segment: e.segment,
            funding: e.funding,
            status: e.status,
            paid_through: e.paid_through,
            coverage: coverage_on(e.paid_through, today),
            deactivated: self.deactivated,
        }
    }

    /// The whole record, NIK masked; also what the audit log keeps.
    pub(super) fn detail(&self, today: Date) -> WorkerDetail {
        let e = &self.enrolment;
        WorkerDetail {
            row: self.row(today),
            birth_date: Some(e.birth_date),
            birth_year: e.birth_date.year(),
            sex: e.sex,
            phone: e.particulars.phone.clone(),
            address: e.particulars.address.clone(),
            occupation_other: e.particulars.occupation_other.clone(),
            program: e.program,
            income: e.income,
            sponsor: e.particulars.sponsor.clone(),
            coverage_start: e.start,
            monthly_premium: PremiumRules::default().monthly(e.program, e.income),
            membership_number: e.particulars.membership_number.clone(),
            reject_reason: self.reject_reason.clone(),
            consent_version: e.particulars.consent_version.clone(),
            created_at: self.created_at,
            revision: self.revision,
        }
    }
}

/// The worker `id` inside `tx`; `NotFound` if there is none.
pub(super) async fn load(tx: &mut Tx<'_>, id: i64) -> Result<Stored, StoreError> {
    let row = sqlx::query(&worker_by_id())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(other)?
        .ok_or(StoreError::NotFound)?;
    Stored::of(&row)
}
