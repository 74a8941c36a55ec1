//! Reports of a worker enrolled in the wrong village, on SQLite.

use async_trait::async_trait;
use pantau_core::workers::Conflict;
use pantau_core::{AreaCode, Nik, RegionCode};
use sqlx::{QueryBuilder, Row, Sqlite};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::audit::Audit;
use super::{corrupt, map_write_error, now_rfc3339, other, push_area_filter, SqliteStore};
use crate::store::{Actor, ConflictStore, NikLookup, StoreError};

fn village_code(raw: &str) -> Result<RegionCode, StoreError> {
    RegionCode::parse(raw).map_err(|_| corrupt("conflict village"))
}

#[async_trait]
impl ConflictStore for SqliteStore {
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
        let reported = serde_json::json!({ "enrolment": enrolment, "claimed_by": claimed_by, "nik": nik.masked() });
        Audit::of("conflict.report", format!("conflict/{id}"), &village)
            .after(&reported)
            .write(&mut tx, actor)
            .await?;
        tx.commit().await.map_err(other)?;
        Ok(id)
    }

    async fn open_reports_by(&self, actor: &Actor) -> Result<u64, StoreError> {
        let open: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM conflict_report WHERE reporter = ? AND resolved_at IS NULL")
                .bind(&actor.username)
                .fetch_one(&self.reader)
                .await
                .map_err(other)?;
        Ok(u64::try_from(open).unwrap_or_default())
    }

    async fn record_nik_lookup(&self, lookup: &NikLookup, nik: &Nik, actor: &Actor) -> Result<(), StoreError> {
        // Entered where the worker is enrolled, so that village's admins see who asked.
        let (area, asked_from, subject) = match lookup {
            NikLookup::Shown {
                enrolment,
                village,
                asked_from,
            } => (village, asked_from, format!("enrolment/{}", enrolment.0)),
            NikLookup::Withheld {
                village: Some(village),
                asked_from,
            } => (village, asked_from, "nik".to_owned()),
            NikLookup::Withheld {
                village: None,
                asked_from,
            }
            | NikLookup::NotEnrolled { asked_from } => (asked_from, asked_from, "nik".to_owned()),
        };
        let told = serde_json::json!({ "nik": nik.masked(), "asked_from": asked_from });
        let mut tx = self.writer.begin().await.map_err(other)?;
        Audit::of(lookup.action(), subject, area.as_str())
            .after(&told)
            .write(&mut tx, actor)
            .await?;
        tx.commit().await.map_err(other)
    }

    async fn nik_lookups_since(&self, actor: &Actor, since: OffsetDateTime) -> Result<u64, StoreError> {
        // Written like the log's own times (UTC, whole seconds), so text order is time order.
        let since = since
            .to_offset(time::UtcOffset::UTC)
            .replace_nanosecond(0)
            .map_err(|e| StoreError::Other(e.into()))?
            .format(&Rfc3339)
            .map_err(|e| StoreError::Other(e.into()))?;
        let mut query = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM audit_log WHERE actor = ");
        query
            .push_bind(&actor.username)
            .push(" AND at >= ")
            .push_bind(since)
            .push(" AND action IN (");
        let mut actions = query.separated(", ");
        for action in NikLookup::COUNTED {
            actions.push_bind(action);
        }
        query.push(")");
        let count: i64 = query
            .build_query_scalar()
            .fetch_one(&self.reader)
            .await
            .map_err(other)?;
        Ok(u64::try_from(count).unwrap_or_default())
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
                Ok(Conflict {
                    id: row.get("id"),
                    enrolment_id: row.get("enrolment"),
                    nik_masked: Nik::parse(row.get::<&str, _>("nik"))
                        .map_err(|_| corrupt("NIK"))?
                        .masked(),
                    village: village_code(row.get("village"))?,
                    village_name: row.get("village_name"),
                    claimed_by: village_code(row.get("claimed_by"))?,
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
        village.as_deref().map(village_code).transpose()
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
        Audit::of("conflict.resolve", format!("conflict/{id}"), &village)
            .write(&mut tx, actor)
            .await?;
        tx.commit().await.map_err(other)
    }
}
