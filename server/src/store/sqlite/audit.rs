//! The audit log on SQLite. Other modules write their entries through [`Audit`] inside the
//! transaction of the change they record.

use async_trait::async_trait;
use pantau_core::workers::AuditEntry;
use pantau_core::AreaCode;
use serde::Serialize;
use sqlx::{QueryBuilder, Row, Sqlite};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::write::Tx;
use super::{corrupt, now_rfc3339, other, push_area_filter, SqliteStore};
use crate::store::{Actor, AuditStore, StoreError};

/// One entry to write: what was done to which record in which area, with the record before
/// and after where there is one.
pub(super) struct Audit<'a> {
    pub(super) action: &'a str,
    pub(super) subject: String,
    pub(super) area: &'a str,
    pub(super) before: Option<serde_json::Value>,
    pub(super) after: Option<serde_json::Value>,
}

impl<'a> Audit<'a> {
    /// An entry without records, e.g. `("user.set_password", "user/7", "32.16")`.
    pub(super) fn of(action: &'a str, subject: String, area: &'a str) -> Self {
        Self {
            action,
            subject,
            area,
            before: None,
            after: None,
        }
    }

    /// With the record as it was.
    pub(super) fn before(self, record: &impl Serialize) -> Self {
        Self {
            before: serde_json::to_value(record).ok(),
            ..self
        }
    }

    /// With the record as it is now.
    pub(super) fn after(self, record: &impl Serialize) -> Self {
        Self {
            after: serde_json::to_value(record).ok(),
            ..self
        }
    }

    /// Writes the entry inside `tx`, so it commits or rolls back with the change.
    pub(super) async fn write(self, tx: &mut Tx<'_>, actor: &Actor) -> Result<(), StoreError> {
        self.write_at(tx, actor, &now_rfc3339()?).await
    }

    /// As [`Audit::write`], for a change made at `at` (RFC 3339, UTC, whole seconds).
    pub(super) async fn write_at(self, tx: &mut Tx<'_>, actor: &Actor, at: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, subject, area, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(at)
        .bind(&actor.username)
        .bind(self.action)
        .bind(self.subject)
        .bind(self.area)
        .bind(self.before.map(|v| v.to_string()))
        .bind(self.after.map(|v| v.to_string()))
        .execute(&mut **tx)
        .await
        .map_err(other)?;
        Ok(())
    }
}

#[async_trait]
impl AuditStore for SqliteStore {
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
        let entry = Audit {
            before,
            after,
            ..Audit::of(action, subject.to_owned(), area.as_str())
        };
        entry.write(&mut tx, actor).await?;
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
                    hidden_changes: Vec::new(),
                })
            })
            .collect()
    }
}
