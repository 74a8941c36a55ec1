//! The workspace's storage on SQLite: accounts, sessions, the enrolment workflow and the
//! audit log.

use async_trait::async_trait;
use pantau_core::account::{Grant, Role};
use pantau_core::premium::PremiumRules;
use pantau_core::workers::{
    coverage_on, AuditEntry, Conflict, Coverage, DeactivationReason, Status, WorkerDetail, WorkerPage, WorkerRow,
    Workload,
};
use pantau_core::{AreaCode, Month, Nik, RegionCode};
use serde::de::DeserializeOwned;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use super::write::{self, refresh_target_until, touch_data_as_of, Tx};
use super::{map_write_error, now_rfc3339, other, unsigned, SqliteStore};
use crate::store::rollup::{wire, Contribution};
use crate::store::{
    AccountRecord, Actor, EnrolmentId, NewAccount, NewEnrolment, Particulars, SessionRecord, StoreError, WorkerFilter,
    WorkspaceStore,
};

/// Reads a snake_case enum stored with [`wire`].
pub(super) fn unwire<T: DeserializeOwned>(raw: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned()))
        .map_err(|e| StoreError::Other(anyhow::anyhow!("stored value: {e}")))
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Other(anyhow::anyhow!("stored {what} unreadable"))
}

/// `(column >= ? AND column < ?)` bounds selecting an area and everything under it: codes
/// below `32.16` continue with `.`, which sorts just before `/`.
fn area_bounds(area: &AreaCode) -> Option<(String, String)> {
    match area {
        AreaCode::Nation => None,
        AreaCode::Region(code) => Some((code.as_str().to_owned(), format!("{}/", code.as_str()))),
    }
}

fn push_area_filter(query: &mut QueryBuilder<'_, Sqlite>, column: &str, area: &AreaCode) {
    if let Some((low, high)) = area_bounds(area) {
        query.push(format!(" AND {column} >= "));
        query.push_bind(low);
        query.push(format!(" AND {column} < "));
        query.push_bind(high);
    }
}

const ACCOUNT_COLUMNS: &str = "id, username, display_name, role, scope, password_hash, active";

fn account_of(row: &SqliteRow) -> Result<AccountRecord, StoreError> {
    let role: String = row.get("role");
    let scope: String = row.get("scope");
    Ok(AccountRecord {
        id: row.get("id"),
        username: row.get("username"),
        display_name: row.get("display_name"),
        grant: Grant {
            role: unwire::<Role>(&role)?,
            scope: AreaCode::parse(&scope).map_err(|_| corrupt("scope"))?,
        },
        password_hash: row.get("password_hash"),
        active: row.get::<i64, _>("active") != 0,
    })
}

const WORKER_COLUMNS: &str =
    "e.id, e.nik, e.village, r.name AS village_name, e.full_name, e.birth_date, e.sex, e.segment, \
     e.program, e.income, e.funding, e.start_month, e.paid_through, e.status, e.phone, e.address, e.occupation_other, \
     e.sponsor, e.membership_number, e.reject_reason, e.deactivated, e.deactivation_reason, e.consent_version, \
     e.created_at, e.revision";

/// A stored enrolment with its workflow state.
#[derive(Clone)]
struct Stored {
    id: i64,
    enrolment: NewEnrolment,
    village_name: String,
    reject_reason: Option<String>,
    deactivated: Option<DeactivationReason>,
    created_at: OffsetDateTime,
    revision: i64,
}

impl Stored {
    fn of(row: &SqliteRow) -> Result<Self, StoreError> {
        let text = |name: &str| -> String { row.get(name) };
        let birth_date = Date::parse(
            &text("birth_date"),
            &time::format_description::well_known::Iso8601::DATE,
        )
        .map_err(|_| corrupt("birth date"))?;
        let deactivated = if row.get::<i64, _>("deactivated") != 0 {
            let reason: Option<String> = row.get("deactivation_reason");
            // Deactivated before reasons were recorded: count it as withdrawn.
            Some(reason.as_deref().map_or(Ok(DeactivationReason::Withdrew), unwire)?)
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
                sex: unwire(&text("sex"))?,
                segment: unwire(&text("segment"))?,
                program: unwire(&text("program"))?,
                income: unsigned(row.get("income")),
                funding: unwire(&text("funding"))?,
                start: Month::from_index(row.get("start_month")),
                paid_through: Month::from_index(row.get("paid_through")),
                status: unwire(&text("status"))?,
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
    fn counted(&self) -> bool {
        self.deactivated.is_none() && self.enrolment.status != Status::Rejected
    }

    fn row(&self, today: Date) -> WorkerRow {
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

    fn detail(&self, today: Date) -> WorkerDetail {
        let e = &self.enrolment;
        WorkerDetail {
            row: self.row(today),
            birth_date: e.birth_date,
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

    /// The record as the audit log keeps it: NIK masked.
    fn snapshot(&self, today: Date) -> serde_json::Value {
        serde_json::to_value(self.detail(today)).unwrap_or(serde_json::Value::Null)
    }
}

async fn load(tx: &mut Tx<'_>, id: i64) -> Result<Stored, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {WORKER_COLUMNS} FROM enrolment e JOIN region r ON r.code = e.village WHERE e.id = ?"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(other)?
    .ok_or(StoreError::NotFound)?;
    Stored::of(&row)
}

pub(super) async fn audit(
    tx: &mut Tx<'_>,
    actor: &Actor,
    action: &str,
    subject: &str,
    area: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO audit_log (at, actor, action, subject, area, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(now_rfc3339()?)
        .bind(&actor.username)
        .bind(action)
        .bind(subject)
        .bind(area)
        .bind(before.map(|v| v.to_string()))
        .bind(after.map(|v| v.to_string()))
        .execute(&mut **tx)
        .await
        .map_err(other)?;
    Ok(())
}

/// Removes the old record's contribution to the figures and adds the new one's.
async fn recount(tx: &mut Tx<'_>, old: Option<&NewEnrolment>, new: Option<&NewEnrolment>) -> Result<(), StoreError> {
    let rules = PremiumRules::default();
    if let Some(old) = old {
        write::apply(tx, &old.village, &Contribution::of(old, &rules), -1).await?;
    }
    if let Some(new) = new {
        write::apply(tx, &new.village, &Contribution::of(new, &rules), 1).await?;
    }
    if let Some(e) = new.or(old) {
        refresh_target_until(tx, &e.village).await?;
    }
    touch_data_as_of(tx).await
}

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
        query.push(" AND e.status = ").push_bind(wire(&status));
    }
    if let Some(segment) = filter.segment {
        query.push(" AND e.segment = ").push_bind(wire(&segment));
    }
    if let Some(funding) = filter.funding {
        query.push(" AND e.funding = ").push_bind(wire(&funding));
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

impl SqliteStore {
    /// Loads a worker, applies `change` to a copy, writes it back with the figures and the
    /// audit entry, all in one transaction.
    async fn change_worker(
        &self,
        id: i64,
        actor: &Actor,
        action: &str,
        change: impl FnOnce(&Stored) -> Result<Stored, StoreError>,
    ) -> Result<(), StoreError> {
        let today = today_utc();
        let mut tx = self.writer.begin().await.map_err(other)?;
        let old = load(&mut tx, id).await?;
        let new = change(&old)?;
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
        .bind(wire(&e.sex))
        .bind(wire(&e.segment))
        .bind(wire(&e.program))
        .bind(super::signed(e.income))
        .bind(wire(&e.funding))
        .bind(e.start.index())
        .bind(e.paid_through.index())
        .bind(wire(&e.status))
        .bind(&p.phone)
        .bind(&p.address)
        .bind(&p.occupation_other)
        .bind(&p.sponsor)
        .bind(&p.membership_number)
        .bind(&new.reject_reason)
        .bind(i64::from(new.deactivated.is_some()))
        .bind(new.deactivated.as_ref().map(wire))
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
        let after = Stored {
            revision: old.revision + 1,
            ..new
        }
        .snapshot(today);
        audit(
            &mut tx,
            actor,
            action,
            &format!("enrolment/{id}"),
            old.enrolment.village.as_str(),
            Some(old.snapshot(today)),
            Some(after),
        )
        .await?;
        tx.commit().await.map_err(other)?;
        self.bump_version();
        Ok(())
    }
}

#[async_trait]
impl WorkspaceStore for SqliteStore {
    async fn account_count(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM account")
            .fetch_one(&self.reader)
            .await
            .map_err(other)?;
        Ok(unsigned(n))
    }

    async fn create_account(&self, account: &NewAccount, actor: Option<&Actor>) -> Result<i64, StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO account (username, email, display_name, role, scope, password_hash, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&account.username)
        .bind(&account.email)
        .bind(&account.display_name)
        .bind(wire(&account.grant.role))
        .bind(account.grant.scope.as_str())
        .bind(&account.password_hash)
        .bind(now_rfc3339()?)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_write_error)?;
        let system = Actor {
            id: 0,
            username: "(cli)".to_owned(),
        };
        audit(
            &mut tx,
            actor.unwrap_or(&system),
            "user.create",
            &format!("user/{id}"),
            account.grant.scope.as_str(),
            None,
            Some(serde_json::json!({ "username": account.username, "grant": account.grant })),
        )
        .await?;
        tx.commit().await.map_err(other)?;
        Ok(id)
    }

    async fn account_by_login(&self, login: &str) -> Result<Option<AccountRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account WHERE username = lower(?1) OR lower(email) = lower(?1)"
        ))
        .bind(login.trim())
        .fetch_optional(&self.reader)
        .await
        .map_err(other)?;
        row.as_ref().map(account_of).transpose()
    }

    async fn account(&self, id: i64) -> Result<Option<AccountRecord>, StoreError> {
        let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(other)?;
        row.as_ref().map(account_of).transpose()
    }

    async fn accounts_in(&self, scope: &AreaCode) -> Result<Vec<AccountRecord>, StoreError> {
        let mut query = QueryBuilder::new(format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE 1 = 1"));
        push_area_filter(&mut query, "scope", scope);
        query.push(" ORDER BY username");
        let rows = query.build().fetch_all(&self.reader).await.map_err(other)?;
        rows.iter().map(account_of).collect()
    }

    async fn set_password(&self, account: i64, password_hash: &str, actor: &Actor) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let scope: String = sqlx::query_scalar("UPDATE account SET password_hash = ? WHERE id = ? RETURNING scope")
            .bind(password_hash)
            .bind(account)
            .fetch_optional(&mut *tx)
            .await
            .map_err(other)?
            .ok_or(StoreError::NotFound)?;
        sqlx::query("DELETE FROM session WHERE account = ?")
            .bind(account)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        audit(
            &mut tx,
            actor,
            "user.set_password",
            &format!("user/{account}"),
            &scope,
            None,
            None,
        )
        .await?;
        tx.commit().await.map_err(other)
    }

    async fn create_session(&self, token_hash: &str, account: i64, csrf: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO session (token_hash, account, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)")
            .bind(token_hash)
            .bind(account)
            .bind(csrf)
            .bind(now)
            .bind(now)
            .execute(&self.writer)
            .await
            .map_err(map_write_error)?;
        Ok(())
    }

    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT a.id, a.username, a.display_name, a.role, a.scope, a.password_hash, a.active, \
             s.csrf, s.created_at, s.last_seen FROM session s JOIN account a ON a.id = s.account \
             WHERE s.token_hash = ? AND a.active = 1",
        )
        .bind(token_hash)
        .fetch_optional(&self.reader)
        .await
        .map_err(other)?;
        row.map(|row| {
            Ok(SessionRecord {
                account: account_of(&row)?,
                csrf: row.get("csrf"),
                created_at: row.get("created_at"),
                last_seen: row.get("last_seen"),
            })
        })
        .transpose()
    }

    async fn touch_session(&self, token_hash: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE session SET last_seen = ? WHERE token_hash = ?")
            .bind(now)
            .bind(token_hash)
            .execute(&self.writer)
            .await
            .map_err(other)?;
        Ok(())
    }

    async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM session WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.writer)
            .await
            .map_err(other)?;
        Ok(())
    }

    async fn end_all_sessions(&self, account: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM session WHERE account = ?")
            .bind(account)
            .execute(&self.writer)
            .await
            .map_err(other)?;
        Ok(())
    }

    async fn create_reset(
        &self,
        token_hash: &str,
        account: i64,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let scope: String = sqlx::query_scalar("SELECT scope FROM account WHERE id = ?")
            .bind(account)
            .fetch_optional(&mut *tx)
            .await
            .map_err(other)?
            .ok_or(StoreError::NotFound)?;
        sqlx::query("DELETE FROM password_reset WHERE account = ?")
            .bind(account)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        sqlx::query("INSERT INTO password_reset (token_hash, account, expires_at) VALUES (?, ?, ?)")
            .bind(token_hash)
            .bind(account)
            .bind(expires_at)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        audit(
            &mut tx,
            actor,
            "user.reset_link",
            &format!("user/{account}"),
            &scope,
            None,
            None,
        )
        .await?;
        tx.commit().await.map_err(other)
    }

    async fn peek_reset(&self, token_hash: &str, now: i64) -> Result<Option<i64>, StoreError> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT account FROM password_reset WHERE token_hash = ? AND expires_at > ?")
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.reader)
                .await
                .map_err(other)?;
        Ok(found)
    }

    async fn take_reset(&self, token_hash: &str, now: i64) -> Result<Option<i64>, StoreError> {
        let found: Option<(i64, i64)> =
            sqlx::query_as("DELETE FROM password_reset WHERE token_hash = ? RETURNING account, expires_at")
                .bind(token_hash)
                .fetch_optional(&self.writer)
                .await
                .map_err(other)?;
        Ok(found.filter(|(_, expires)| *expires > now).map(|(account, _)| account))
    }

    async fn enrol_by(&self, enrolment: &NewEnrolment, actor: &Actor) -> Result<EnrolmentId, StoreError> {
        let today = today_utc();
        // One writer connection serialises writers, so the duplicate check and the insert
        // cannot interleave with another submit of the same NIK; the UNIQUE index backs it up.
        let mut tx = self.writer.begin().await.map_err(other)?;
        write::live_village(&mut tx, &enrolment.village).await?;
        let existing: Option<(i64, String)> =
            sqlx::query_as("SELECT id, village FROM enrolment WHERE nik = ? AND deactivated = 0")
                .bind(enrolment.nik.expose_digits())
                .fetch_optional(&mut *tx)
                .await
                .map_err(other)?;
        if let Some((id, village)) = existing {
            let village = RegionCode::parse(&village).map_err(|_| corrupt("village"))?;
            return Err(StoreError::DuplicateNik(EnrolmentId(id), village));
        }
        write::insert_enrolments(&mut tx, std::slice::from_ref(enrolment)).await?;
        let id: i64 = sqlx::query_scalar("SELECT last_insert_rowid()")
            .fetch_one(&mut *tx)
            .await
            .map_err(other)?;
        sqlx::query("UPDATE enrolment SET created_by = ? WHERE id = ?")
            .bind(actor.id)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        recount(&mut tx, None, Some(enrolment)).await?;
        let stored = load(&mut tx, id).await?;
        audit(
            &mut tx,
            actor,
            "enrolment.create",
            &format!("enrolment/{id}"),
            enrolment.village.as_str(),
            None,
            Some(stored.snapshot(today)),
        )
        .await?;
        tx.commit().await.map_err(other)?;
        self.bump_version();
        Ok(EnrolmentId(id))
    }

    async fn worker(&self, id: i64, today: Date) -> Result<Option<WorkerDetail>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {WORKER_COLUMNS} FROM enrolment e JOIN region r ON r.code = e.village WHERE e.id = ?"
        ))
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
        audit(
            &mut tx,
            actor,
            "enrolment.view_nik",
            &format!("enrolment/{id}"),
            stored.enrolment.village.as_str(),
            None,
            None,
        )
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
        self.change_worker(id, actor, "enrolment.update", |old| {
            if old.deactivated.is_some() {
                return Err(StoreError::WrongState);
            }
            let mut new = old.clone();
            let e = &mut new.enrolment;
            // The NIK and village identify the record; a move is a deactivation and a new enrolment.
            *e = NewEnrolment {
                nik: old.enrolment.nik.clone(),
                village: old.enrolment.village.clone(),
                // Coverage months change only by renewal.
                start: old.enrolment.start,
                paid_through: old.enrolment.paid_through,
                // A correction resubmits a rejected record; a verified one goes back to the
                // verifier only when what BPJS matched on (name, birth date, sex) changed.
                status: match old.enrolment.status {
                    Status::Verified
                        if enrolment.full_name == old.enrolment.full_name
                            && enrolment.birth_date == old.enrolment.birth_date
                            && enrolment.sex == old.enrolment.sex =>
                    {
                        Status::Verified
                    }
                    _ => Status::Submitted,
                },
                particulars: Particulars {
                    membership_number: enrolment.particulars.membership_number.clone().or(old
                        .enrolment
                        .particulars
                        .membership_number
                        .clone()),
                    consent_version: old.enrolment.particulars.consent_version.clone(),
                    ..enrolment.particulars.clone()
                },
                ..enrolment.clone()
            };
            if old.enrolment.status == Status::Rejected {
                new.reject_reason = None;
            }
            Ok(new)
        })
        .await
    }

    async fn deactivate_worker(&self, id: i64, reason: DeactivationReason, actor: &Actor) -> Result<(), StoreError> {
        self.change_worker(id, actor, "enrolment.deactivate", |old| {
            if old.deactivated.is_some() {
                return Err(StoreError::WrongState);
            }
            let mut new = old.clone();
            new.deactivated = Some(reason);
            Ok(new)
        })
        .await
    }

    async fn renew_worker(&self, id: i64, months: u16, today: Date, actor: &Actor) -> Result<(), StoreError> {
        let now = Month::of(today);
        self.change_worker(id, actor, "enrolment.renew", |old| {
            if old.deactivated.is_some() {
                return Err(StoreError::WrongState);
            }
            let mut new = old.clone();
            let e = &mut new.enrolment;
            // Arrears of up to three months can still be paid; after that cover starts anew.
            let from = if now.index() - e.paid_through.index() > pantau_core::coverage::ARREARS_GRACE_MONTHS {
                now.plus(-1)
            } else {
                e.paid_through
            };
            e.paid_through = from.plus(i32::from(months));
            Ok(new)
        })
        .await
    }

    async fn verify_worker(&self, id: i64, membership_number: &str, actor: &Actor) -> Result<(), StoreError> {
        self.change_worker(id, actor, "enrolment.verify", |old| {
            if old.deactivated.is_some() || old.enrolment.status != Status::Submitted {
                return Err(StoreError::WrongState);
            }
            let mut new = old.clone();
            new.enrolment.status = Status::Verified;
            new.enrolment.particulars.membership_number = Some(membership_number.to_owned());
            Ok(new)
        })
        .await
    }

    async fn reject_worker(&self, id: i64, reason: &str, actor: &Actor) -> Result<(), StoreError> {
        self.change_worker(id, actor, "enrolment.reject", |old| {
            if old.deactivated.is_some() || old.enrolment.status != Status::Submitted {
                return Err(StoreError::WrongState);
            }
            let mut new = old.clone();
            new.enrolment.status = Status::Rejected;
            new.reject_reason = Some(reason.to_owned());
            Ok(new)
        })
        .await
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

    async fn record_audit(
        &self,
        actor: &Actor,
        action: &str,
        subject: &str,
        area: &AreaCode,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        audit(&mut tx, actor, action, subject, area.as_str(), before, after).await?;
        tx.commit().await.map_err(other)
    }

    async fn audit_log(&self, area: &AreaCode, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT at, actor, action, subject, area, before, after FROM audit_log WHERE 1 = 1",
        );
        push_area_filter(&mut query, "area", area);
        query.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit));
        let rows = query.build().fetch_all(&self.reader).await.map_err(other)?;
        rows.iter()
            .map(|row| {
                let json = |name: &str| -> Option<serde_json::Value> {
                    row.get::<Option<String>, _>(name)
                        .and_then(|text| serde_json::from_str(&text).ok())
                };
                Ok(AuditEntry {
                    at: OffsetDateTime::parse(row.get::<&str, _>("at"), &Rfc3339).map_err(|_| corrupt("audit time"))?,
                    actor: row.get("actor"),
                    action: row.get("action"),
                    subject: row.get("subject"),
                    area: row.get("area"),
                    before: json("before"),
                    after: json("after"),
                })
            })
            .collect()
    }

    async fn report_conflict(
        &self,
        nik: &Nik,
        claimed_by: &RegionCode,
        note: &str,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let (enrolment, village): (i64, String) =
            sqlx::query_as("SELECT id, village FROM enrolment WHERE nik = ? AND deactivated = 0")
                .bind(nik.expose_digits())
                .fetch_optional(&mut *tx)
                .await
                .map_err(other)?
                .ok_or(StoreError::NotFound)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO conflict_report (enrolment, claimed_by, reporter, note, created_at) \
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(enrolment)
        .bind(claimed_by.as_str())
        .bind(&actor.username)
        .bind(note)
        .bind(now_rfc3339()?)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_write_error)?;
        let after = serde_json::json!({ "enrolment": enrolment, "claimed_by": claimed_by, "nik": nik.masked() });
        audit(
            &mut tx,
            actor,
            "conflict.report",
            &format!("conflict/{id}"),
            &village,
            None,
            Some(after),
        )
        .await?;
        tx.commit().await.map_err(other)?;
        Ok(id)
    }

    async fn conflicts(&self, area: &AreaCode) -> Result<Vec<Conflict>, StoreError> {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT c.id, c.enrolment, e.nik, e.village, rv.name AS village_name, c.claimed_by, rc.name AS claimed_by_name, \
             c.note, c.created_at FROM conflict_report c JOIN enrolment e ON e.id = c.enrolment \
             JOIN region rv ON rv.code = e.village JOIN region rc ON rc.code = c.claimed_by \
             WHERE c.resolved_at IS NULL",
        );
        push_area_filter(&mut query, "e.village", area);
        query.push(" ORDER BY c.id DESC LIMIT 500");
        let rows = query.build().fetch_all(&self.reader).await.map_err(other)?;
        rows.iter()
            .map(|row| {
                let code =
                    |name: &str| RegionCode::parse(row.get::<&str, _>(name)).map_err(|_| corrupt("conflict village"));
                Ok(Conflict {
                    id: row.get("id"),
                    enrolment_id: row.get("enrolment"),
                    nik_masked: Nik::parse(row.get::<&str, _>("nik"))
                        .map_err(|_| corrupt("NIK"))?
                        .masked(),
                    village: code("village")?,
                    village_name: row.get("village_name"),
                    claimed_by: code("claimed_by")?,
                    claimed_by_name: row.get("claimed_by_name"),
                    note: row.get("note"),
                    reported_at: OffsetDateTime::parse(row.get::<&str, _>("created_at"), &Rfc3339)
                        .map_err(|_| corrupt("conflict time"))?,
                })
            })
            .collect()
    }

    async fn conflict_village(&self, id: i64) -> Result<Option<RegionCode>, StoreError> {
        let village: Option<String> = sqlx::query_scalar(
            "SELECT e.village FROM conflict_report c JOIN enrolment e ON e.id = c.enrolment WHERE c.id = ?",
        )
        .bind(id)
        .fetch_optional(&self.reader)
        .await
        .map_err(other)?;
        village
            .map(|v| RegionCode::parse(&v).map_err(|_| corrupt("conflict village")))
            .transpose()
    }

    async fn resolve_conflict(&self, id: i64, actor: &Actor) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let village: String = sqlx::query_scalar(
            "UPDATE conflict_report SET resolved_at = ?1 WHERE id = ?2 AND resolved_at IS NULL \
             RETURNING (SELECT village FROM enrolment WHERE id = conflict_report.enrolment)",
        )
        .bind(now_rfc3339()?)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(other)?
        .ok_or(StoreError::WrongState)?;
        audit(
            &mut tx,
            actor,
            "conflict.resolve",
            &format!("conflict/{id}"),
            &village,
            None,
            None,
        )
        .await?;
        tx.commit().await.map_err(other)
    }
}
