//! Import batches on SQLite: a batch's records, figures and audit entries commit in one
//! transaction, and its undo removes them in one.

use std::collections::HashMap;

use async_trait::async_trait;
use pantau_core::import::ImportBatch;
use pantau_core::premium::PremiumRules;
use pantau_core::{AreaCode, Nik};
use sqlx::{QueryBuilder, Row, Sqlite};

use super::audit::Audit;
use super::worker_record::{Stored, WORKER_COLUMNS};
use super::write::{self, Deltas};
use super::{now_rfc3339, other, push_area_filter, unsigned, SqliteStore};
use crate::store::{Actor, EnrolmentId, Existing, ImportStore, NewEnrolment, StoreError};

/// NIKs asked for per `SELECT … IN (…)`.
const NIKS_PER_QUERY: usize = 500;

const BATCH_COLUMNS: &str = "id, area, username, created_at, created, undone_at";

fn batch_of(row: &sqlx::sqlite::SqliteRow) -> ImportBatch {
    ImportBatch {
        batch_id: row.get("id"),
        area: row.get("area"),
        imported_by: row.get("username"),
        imported_at: row.get("created_at"),
        created: u32::try_from(unsigned(row.get("created"))).unwrap_or(u32::MAX),
        undone_at: row.get("undone_at"),
    }
}

#[async_trait]
impl ImportStore for SqliteStore {
    async fn current_by_nik(&self, niks: &[Nik]) -> Result<HashMap<String, Existing>, StoreError> {
        let mut found = HashMap::new();
        for chunk in niks.chunks(NIKS_PER_QUERY) {
            let mut query = QueryBuilder::<Sqlite>::new(format!(
                "SELECT {WORKER_COLUMNS} FROM enrolment e JOIN region r ON r.code = e.village \
                 WHERE e.deactivated = 0 AND e.nik IN ("
            ));
            let mut list = query.separated(", ");
            for nik in chunk {
                list.push_bind(nik.expose_digits().to_owned());
            }
            query.push(")");
            for row in query.build().fetch_all(&self.reader).await.map_err(other)? {
                let stored = Stored::of(&row)?;
                found.insert(
                    stored.enrolment.nik.expose_digits().to_owned(),
                    Existing {
                        id: EnrolmentId(stored.id),
                        enrolment: stored.enrolment,
                    },
                );
            }
        }
        Ok(found)
    }

    async fn commit_import(
        &self,
        area: &AreaCode,
        enrolments: &[NewEnrolment],
        actor: &Actor,
    ) -> Result<ImportBatch, StoreError> {
        let id = format!("{:016x}", fastrand::u64(..));
        let at = now_rfc3339()?;
        let created = u32::try_from(enrolments.len()).map_err(|e| StoreError::Other(e.into()))?;
        let mut tx = self.writer.begin().await.map_err(other)?;
        sqlx::query(
            "INSERT INTO import_batch (id, area, account, username, created_at, created) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(area.as_str())
        .bind(actor.id)
        .bind(&actor.username)
        .bind(&at)
        .bind(i64::from(created))
        .execute(&mut *tx)
        .await
        .map_err(other)?;
        let last_before: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM enrolment")
            .fetch_one(&mut *tx)
            .await
            .map_err(other)?;
        // Another enrolment of one of the NIKs since the check fails the unique index and
        // rolls the whole batch back.
        write::insert_enrolments(&mut tx, enrolments).await?;
        sqlx::query("UPDATE enrolment SET created_by = ?, import_batch = ? WHERE id > ?")
            .bind(actor.id)
            .bind(&id)
            .bind(last_before)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        let rules = PremiumRules::default();
        let mut deltas = Deltas::default();
        for enrolment in enrolments {
            deltas.add(enrolment, &rules, 1);
        }
        deltas.write(&mut tx).await?;
        // One entry per record, naming its batch (the worker's history shows where it came
        // from), and one for the batch.
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, subject, area, before, after) \
             SELECT ?, ?, 'enrolment.import', 'enrolment/' || id, village, NULL, json_object('batch', ?) \
             FROM enrolment WHERE import_batch = ?",
        )
        .bind(&at)
        .bind(&actor.username)
        .bind(&id)
        .bind(&id)
        .execute(&mut *tx)
        .await
        .map_err(other)?;
        Audit::of("import.commit", format!("import/{id}"), area.as_str())
            .after(&serde_json::json!({ "created": created }))
            .write(&mut tx, actor)
            .await?;
        self.commit_data_change(tx).await?;
        Ok(ImportBatch {
            batch_id: id,
            area: area.as_str().to_owned(),
            imported_by: actor.username.clone(),
            imported_at: at,
            created,
            undone_at: None,
        })
    }

    async fn import_batch(&self, id: &str) -> Result<Option<ImportBatch>, StoreError> {
        let row = sqlx::query(&format!("SELECT {BATCH_COLUMNS} FROM import_batch WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(other)?;
        Ok(row.as_ref().map(batch_of))
    }

    async fn import_batches(&self, area: &AreaCode) -> Result<Vec<ImportBatch>, StoreError> {
        let mut query = QueryBuilder::<Sqlite>::new(format!("SELECT {BATCH_COLUMNS} FROM import_batch WHERE 1 = 1"));
        push_area_filter(&mut query, "area", area);
        query.push(" ORDER BY created_at DESC, rowid DESC LIMIT 50");
        let rows = query.build().fetch_all(&self.reader).await.map_err(other)?;
        Ok(rows.iter().map(batch_of).collect())
    }

    async fn undo_import(&self, id: &str, actor: &Actor) -> Result<u32, StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let batch: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT area, undone_at FROM import_batch WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(other)?;
        let Some((area, undone_at)) = batch else {
            return Err(StoreError::NotFound);
        };
        let moved_on: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM enrolment e WHERE e.import_batch = ? AND (e.status != 'submitted' \
             OR e.revision != 1 OR e.deactivated != 0 \
             OR EXISTS (SELECT 1 FROM conflict_report c WHERE c.enrolment = e.id))",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(other)?;
        if undone_at.is_some() || moved_on > 0 {
            return Err(StoreError::WrongState);
        }
        let rows = sqlx::query(&format!(
            "SELECT {WORKER_COLUMNS} FROM enrolment e JOIN region r ON r.code = e.village WHERE e.import_batch = ?"
        ))
        .bind(id)
        .fetch_all(&mut *tx)
        .await
        .map_err(other)?;
        let rules = PremiumRules::default();
        let mut deltas = Deltas::default();
        for row in &rows {
            deltas.add(&Stored::of(row)?.enrolment, &rules, -1);
        }
        deltas.write(&mut tx).await?;
        sqlx::query("DELETE FROM enrolment WHERE import_batch = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        let removed = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        sqlx::query("UPDATE import_batch SET undone_at = ? WHERE id = ?")
            .bind(now_rfc3339()?)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        Audit::of("import.undo", format!("import/{id}"), &area)
            .after(&serde_json::json!({ "removed": removed }))
            .write(&mut tx, actor)
            .await?;
        self.commit_data_change(tx).await?;
        Ok(removed)
    }
}
