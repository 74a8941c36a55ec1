//! The enrolment workflow on SQLite: every change to a worker updates the figures and writes
//! its audit entry in the same transaction.

use async_trait::async_trait;
use pantau_core::workers::{Coverage, DeactivationReason, Status, WorkerDetail, WorkerPage, Workload};
use pantau_core::{AreaCode, Month, Nik, RegionCode};
use sqlx::{QueryBuilder, Row, Sqlite};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use super::audit::Audit;
use super::worker_record::{load, worker_by_id, Stored, WORKER_COLUMNS};
use super::write::{self, recount, Tx};
use super::{corrupt, other, push_area_filter, signed, unsigned, SqliteStore};
use crate::store::{Actor, EnrolmentId, NewEnrolment, Particulars, PastWorker, StoreError, WorkerFilter, WorkerStore};

/// Months of `paid_through` that make a worker lapsing on `today`: coverage ends on the last
/// day of the paid-through month, and lapsing means it ends within 30 days, so the bounds
/// are the current month and the month 30 days ahead (exclusive).
fn lapsing_months(today: Date) -> (Month, Month) {
    let horizon = today + time::Duration::days(pantau_core::workers::LAPSING_WITHIN_DAYS);
    (Month::of(today), Month::of(horizon))
}

/// Area, status, segment, funding, coverage and deactivation conditions of a worker list.
fn push_worker_filters(query: &mut QueryBuilder<'_, Sqlite>, area: &AreaCode, filter: &WorkerFilter, today: Date) {
    push_area_filter(query, "e.village", area);
    query.push(if filter.deactivated {
        " AND e.deactivated = 1"
    } else {
        " AND e.deactivated = 0"
    });
    if let Some(status) = filter.status {
        query.push(" AND e.status = ").push_bind(status.as_str());
    }
    if let Some(segment) = filter.segment {
        query.push(" AND e.segment = ").push_bind(segment.as_str());
    }
    if let Some(funding) = filter.funding {
        query.push(" AND e.funding = ").push_bind(funding.as_str());
    }
    let (from, until) = lapsing_months(today);
    match filter.coverage {
        Some(Coverage::Lapsed) => {
            query.push(" AND e.paid_through < ").push_bind(from.index());
        }
        Some(Coverage::Lapsing) => {
            query
                .push(" AND e.paid_through >= ")
                .push_bind(from.index())
                .push(" AND e.paid_through < ")
                .push_bind(until.index());
        }
        Some(Coverage::Active) => {
            query.push(" AND e.paid_through >= ").push_bind(until.index());
        }
        None => {}
    }
}

fn today_utc() -> Date {
    OffsetDateTime::now_utc().date()
}

/// How a correction changes a record: NIK, village and coverage months stay (a move is a
/// deactivation and a new enrolment, months change only by renewal), the consent stays as
/// agreed, and a membership number is kept unless a new one is given.
fn corrected(old: &NewEnrolment, new: &NewEnrolment) -> NewEnrolment {
    // A correction resubmits a rejected record; a verified one goes back to the verifier
    // when what BPJS matched on (name, birth date, sex) or what it verified (the KPJ number,
    // programme, declared income, who pays) changed: a verified record is not edited past
    // the verifier (issue 18, finding 9).
    let kpj_changed = new
        .particulars
        .membership_number
        .as_ref()
        .is_some_and(|kpj| old.particulars.membership_number.as_ref() != Some(kpj));
    let verified_same = new.full_name == old.full_name
        && new.birth_date == old.birth_date
        && new.sex == old.sex
        && new.program == old.program
        && new.income == old.income
        && new.funding == old.funding
        && !kpj_changed;
    let status = match old.status {
        Status::Verified if verified_same => Status::Verified,
        _ => Status::Submitted,
    };
    NewEnrolment {
        nik: old.nik.clone(),
        village: old.village.clone(),
        start: old.start,
        paid_through: old.paid_through,
        status,
        particulars: Particulars {
            membership_number: (new.particulars.membership_number.clone())
                .or_else(|| old.particulars.membership_number.clone()),
            consent_version: old.particulars.consent_version.clone(),
            ..new.particulars.clone()
        },
        ..new.clone()
    }
}

/// `DuplicateNik` when a current enrolment has `nik`.
async fn no_current_nik(tx: &mut Tx<'_>, nik: &Nik) -> Result<(), StoreError> {
    let existing: Option<(i64, String)> =
        sqlx::query_as("SELECT id, village FROM enrolment WHERE nik = ? AND deactivated = 0")
            .bind(nik.expose_digits())
            .fetch_optional(&mut **tx)
            .await
            .map_err(other)?;
    match existing {
        Some((id, village)) => {
            let village = RegionCode::parse(&village).map_err(|_| corrupt("village"))?;
            Err(StoreError::DuplicateNik(EnrolmentId(id), village))
        }
        None => Ok(()),
    }
}

/// A time as the database writes it: RFC 3339, UTC, whole seconds.
fn stored_time(at: OffsetDateTime) -> Result<String, StoreError> {
    at.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .map_err(|e| StoreError::Other(e.into()))?
        .format(&Rfc3339)
        .map_err(|e| StoreError::Other(e.into()))
}

impl SqliteStore {
    /// Loads a current (not deactivated) worker, applies `change` to a copy, writes it back
    /// with the figures and the audit entry, all in one transaction.
    async fn change_worker(
        &self,
        id: i64,
        actor: &Actor,
        action: &str,
        change: impl FnOnce(&mut Stored) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let today = today_utc();
        let mut tx = self.writer.begin().await.map_err(other)?;
        let old = load(&mut tx, id).await?;
        if old.deactivated.is_some() {
            return Err(StoreError::WrongState);
        }
        let mut new = old.clone();
        change(&mut new)?;
        let e = &new.enrolment;
        let p = &e.particulars;
        sqlx::query(
            "UPDATE enrolment SET full_name = ?, birth_date = ?, sex = ?, segment = ?, program = ?, income = ?, funding = ?, \
             start_month = ?, paid_through = ?, status = ?, phone = ?, address = ?, occupation_other = ?, sponsor = ?, \
             membership_number = ?, reject_reason = ?, deactivated = ?, deactivation_reason = ?, revision = revision + 1 \
             WHERE id = ?",
        )
        .bind(&e.full_name)
        .bind(e.birth_date.to_string())
        .bind(e.sex.as_str())
        .bind(e.segment.as_str())
        .bind(e.program.as_str())
        .bind(signed(e.income))
        .bind(e.funding.as_str())
        .bind(e.start.index())
        .bind(e.paid_through.index())
        .bind(e.status.as_str())
        .bind(&p.phone)
        .bind(&p.address)
        .bind(&p.occupation_other)
        .bind(&p.sponsor)
        .bind(&p.membership_number)
        .bind(&new.reject_reason)
        .bind(i64::from(new.deactivated.is_some()))
        .bind(new.deactivated.as_ref().map(|reason| reason.as_str()))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(other)?;
        recount(
            &mut tx,
            old.counted().then_some(&old.enrolment),
            new.counted().then_some(&new.enrolment),
        )
        .await?;
        new.revision += 1;
        Audit::of(action, format!("enrolment/{id}"), old.enrolment.village.as_str())
            .before(&old.detail(today))
            .after(&new.detail(today))
            .write(&mut tx, actor)
            .await?;
        self.commit_data_change(tx).await
    }
}

#[async_trait]
impl WorkerStore for SqliteStore {
    async fn enrol_by(&self, enrolment: &NewEnrolment, actor: &Actor) -> Result<EnrolmentId, StoreError> {
        // One writer connection serialises writers, so the duplicate check and the insert
        // cannot interleave with another submit of the same NIK; the UNIQUE index backs it up.
        let mut tx = self.writer.begin().await.map_err(other)?;
        write::live_village(&mut tx, &enrolment.village).await?;
        no_current_nik(&mut tx, &enrolment.nik).await?;
        let id = write::insert_enrolment(&mut tx, enrolment).await?;
        sqlx::query("UPDATE enrolment SET created_by = ? WHERE id = ?")
            .bind(actor.id)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        recount(&mut tx, None, Some(enrolment)).await?;
        let stored = load(&mut tx, id.0).await?;
        Audit::of(
            "enrolment.create",
            format!("enrolment/{}", id.0),
            enrolment.village.as_str(),
        )
        .after(&stored.detail(today_utc()))
        .write(&mut tx, actor)
        .await?;
        self.commit_data_change(tx).await?;
        Ok(id)
    }

    async fn worker(&self, id: i64, today: Date) -> Result<Option<WorkerDetail>, StoreError> {
        let row = sqlx::query(&worker_by_id())
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(other)?;
        row.map(|row| Stored::of(&row).map(|s| s.detail(today))).transpose()
    }

    async fn stored_nik(&self, id: i64) -> Result<Nik, StoreError> {
        let raw: String = sqlx::query_scalar("SELECT nik FROM enrolment WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(other)?
            .ok_or(StoreError::NotFound)?;
        Nik::parse(&raw).map_err(|_| corrupt("NIK"))
    }

    async fn reveal_nik(&self, id: i64, actor: &Actor) -> Result<Nik, StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let stored = load(&mut tx, id).await?;
        Audit::of(
            "enrolment.view_nik",
            format!("enrolment/{id}"),
            stored.enrolment.village.as_str(),
        )
        .write(&mut tx, actor)
        .await?;
        tx.commit().await.map_err(other)?;
        Ok(stored.enrolment.nik)
    }

    async fn workers(&self, area: &AreaCode, filter: &WorkerFilter, today: Date) -> Result<WorkerPage, StoreError> {
        let count = {
            let mut query = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM enrolment e WHERE 1 = 1");
            push_worker_filters(&mut query, area, filter, today);
            query.build().fetch_one(&self.reader).await.map_err(other)?
        };
        let mut query = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {WORKER_COLUMNS} FROM enrolment e JOIN region r ON r.code = e.village WHERE 1 = 1"
        ));
        push_worker_filters(&mut query, area, filter, today);
        query
            .push(" ORDER BY e.id DESC LIMIT ")
            .push_bind(i64::from(filter.limit))
            .push(" OFFSET ")
            .push_bind(i64::from(filter.offset));
        let rows = query.build().fetch_all(&self.reader).await.map_err(other)?;
        let workers = rows
            .iter()
            .map(|row| Stored::of(row).map(|s| s.row(today)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(WorkerPage {
            workers,
            total: unsigned(count.get(0)),
            page_size: filter.limit,
        })
    }

    async fn update_worker(&self, id: i64, enrolment: &NewEnrolment, actor: &Actor) -> Result<(), StoreError> {
        self.change_worker(id, actor, "enrolment.update", |worker| {
            if worker.enrolment.status == Status::Rejected {
                worker.reject_reason = None;
            }
            worker.enrolment = corrected(&worker.enrolment, enrolment);
            Ok(())
        })
        .await
    }

    async fn deactivate_worker(&self, id: i64, reason: DeactivationReason, actor: &Actor) -> Result<(), StoreError> {
        self.change_worker(id, actor, "enrolment.deactivate", |worker| {
            worker.deactivated = Some(reason);
            Ok(())
        })
        .await
    }

    async fn renew_worker(&self, id: i64, months: u16, today: Date, actor: &Actor) -> Result<(), StoreError> {
        let now = Month::of(today);
        self.change_worker(id, actor, "enrolment.renew", |worker| {
            let e = &mut worker.enrolment;
            // Arrears of up to three months can still be paid; after that cover starts anew.
            let from = if now.index() - e.paid_through.index() > pantau_core::coverage::ARREARS_GRACE_MONTHS {
                now.plus(-1)
            } else {
                e.paid_through
            };
            e.paid_through = from.plus(i32::from(months));
            Ok(())
        })
        .await
    }

    async fn verify_worker(&self, id: i64, membership_number: &str, actor: &Actor) -> Result<(), StoreError> {
        self.change_worker(id, actor, "enrolment.verify", |worker| {
            worker.decide(Status::Verified)?;
            worker.enrolment.particulars.membership_number = Some(membership_number.to_owned());
            Ok(())
        })
        .await
    }

    async fn reject_worker(&self, id: i64, reason: &str, actor: &Actor) -> Result<(), StoreError> {
        self.change_worker(id, actor, "enrolment.reject", |worker| {
            worker.decide(Status::Rejected)?;
            worker.reject_reason = Some(reason.to_owned());
            Ok(())
        })
        .await
    }

    async fn import_past_worker(&self, worker: &PastWorker) -> Result<EnrolmentId, StoreError> {
        let village = worker.enrolment.village.as_str();
        let day = worker.entered.at.date();
        let mut tx = self.writer.begin().await.map_err(other)?;
        write::live_village(&mut tx, &worker.enrolment.village).await?;
        no_current_nik(&mut tx, &worker.enrolment.nik).await?;
        // As it arrived: submitted, the membership number still to come from the verifier.
        let mut entered = worker.enrolment.clone();
        entered.status = Status::Submitted;
        if worker.decided.is_some() {
            entered.particulars.membership_number = None;
        }
        let id = write::insert_enrolment(&mut tx, &entered).await?;
        sqlx::query("UPDATE enrolment SET created_by = ?, created_at = ? WHERE id = ?")
            .bind(worker.entered.actor.id)
            .bind(stored_time(worker.entered.at)?)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        let subject = format!("enrolment/{}", id.0);
        let as_entered = load(&mut tx, id.0).await?;
        Audit::of("enrolment.create", subject.clone(), village)
            .after(&as_entered.detail(day))
            .write_at(&mut tx, &worker.entered.actor, &stored_time(worker.entered.at)?)
            .await?;
        if let Some(decided) = &worker.decided {
            let action = match worker.enrolment.status {
                Status::Verified => "enrolment.verify",
                Status::Rejected => "enrolment.reject",
                Status::Submitted => return Err(StoreError::WrongState),
            };
            sqlx::query(
                "UPDATE enrolment SET status = ?, membership_number = ?, reject_reason = ?, revision = revision + 1 \
                 WHERE id = ?",
            )
            .bind(worker.enrolment.status.as_str())
            .bind(&worker.enrolment.particulars.membership_number)
            .bind(&worker.reject_reason)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
            let after = load(&mut tx, id.0).await?;
            Audit::of(action, subject, village)
                .before(&as_entered.detail(day))
                .after(&after.detail(decided.at.date()))
                .write_at(&mut tx, &decided.actor, &stored_time(decided.at)?)
                .await?;
        }
        let stored = load(&mut tx, id.0).await?;
        if stored.counted() {
            recount(&mut tx, None, Some(&stored.enrolment)).await?;
        }
        self.commit_data_change(tx).await?;
        Ok(id)
    }

    async fn workload(&self, area: &AreaCode, today: Date) -> Result<Workload, StoreError> {
        let (from, until) = lapsing_months(today);
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT \
               COALESCE(SUM(status = 'submitted'), 0), \
               COALESCE(SUM(status = 'verified'), 0), \
               COALESCE(SUM(status = 'rejected'), 0), \
               COALESCE(SUM(paid_through < ",
        );
        query.push_bind(from.index());
        query.push("), 0), COALESCE(SUM(paid_through >= ");
        query.push_bind(from.index());
        query.push(" AND paid_through < ");
        query.push_bind(until.index());
        query.push("), 0) FROM enrolment WHERE deactivated = 0");
        push_area_filter(&mut query, "village", area);
        let row = query.build().fetch_one(&self.reader).await.map_err(other)?;
        let mut conflicts = QueryBuilder::<Sqlite>::new(
            "SELECT COUNT(*) FROM conflict_report c JOIN enrolment e ON e.id = c.enrolment WHERE c.resolved_at IS NULL",
        );
        push_area_filter(&mut conflicts, "e.village", area);
        let conflicts: i64 = conflicts.build().fetch_one(&self.reader).await.map_err(other)?.get(0);
        Ok(Workload {
            conflicts: unsigned(conflicts),
            submitted: unsigned(row.get(0)),
            verified: unsigned(row.get(1)),
            rejected: unsigned(row.get(2)),
            lapsed: unsigned(row.get(3)),
            lapsing: unsigned(row.get(4)),
        })
    }
}
