//! The sync report on SQLite, from the audit log. The days are counted village by village
//! (`region` drives the join, each village a seek in `audit_by_area_time`), so a regency costs
//! its villages and its writes of the period, not the whole log; each account's last write is
//! one backward step in `audit_by_actor_time`.

use std::collections::HashMap;

use async_trait::async_trait;
use pantau_core::account::Role;
use pantau_core::workers::{OperatorSync, SyncDay, SyncReport};
use pantau_core::AreaCode;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::{corrupt, other, push_area_filter, unsigned, SqliteStore};
use crate::store::sync::{CREATE_ACTION, WIB, WRITE_ACTIONS};
use crate::store::{StoreError, SyncStore};

/// `action IN (…)` of the writes of a worker record, for column `column`.
fn writes_in(column: &str) -> String {
    let names: Vec<String> = WRITE_ACTIONS.iter().map(|a| format!("'{a}'")).collect();
    format!("{column} IN ({})", names.join(", "))
}

/// Midnight WIB of `day`, as the audit log writes times (RFC 3339, UTC, whole seconds).
fn wib_midnight(day: Date) -> Result<String, StoreError> {
    PrimitiveDateTime::new(day, Time::MIDNIGHT)
        .assume_offset(WIB)
        .to_offset(UtcOffset::UTC)
        .format(&Rfc3339)
        .map_err(|e| StoreError::Other(e.into()))
}

/// An account's row before its figures: id, username, display name, scope and its name.
const ACCOUNT_COLUMNS: &str =
    "a.id, a.username, a.display_name, a.scope, COALESCE(r.name, a.scope) AS scope_name FROM account a \
     LEFT JOIN region r ON r.code = a.scope";

fn row_of(row: &SqliteRow, days: usize) -> Result<OperatorSync, StoreError> {
    Ok(OperatorSync {
        user_id: row.get("id"),
        username: row.get("username"),
        display_name: row.get("display_name"),
        scope: AreaCode::parse(row.get("scope")).map_err(|_| corrupt("account scope"))?,
        scope_name: row.get("scope_name"),
        last_sync: None,
        enrolled_per_day: vec![0; days],
        writes_per_day: vec![0; days],
    })
}

fn count(n: i64) -> u32 {
    u32::try_from(unsigned(n)).unwrap_or(u32::MAX)
}

#[async_trait]
impl SyncStore for SqliteStore {
    async fn sync_report(&self, area: &AreaCode, days: &[Date]) -> Result<SyncReport, StoreError> {
        let (Some(first), Some(last)) = (days.first(), days.last()) else {
            return Ok(SyncReport {
                days: Vec::new(),
                operators: Vec::new(),
            });
        };
        let column: HashMap<String, usize> = days.iter().enumerate().map(|(i, d)| (d.to_string(), i)).collect();

        let mut operators =
            QueryBuilder::<Sqlite>::new(format!("SELECT {ACCOUNT_COLUMNS} WHERE a.active = 1 AND a.role = "));
        operators.push_bind(Role::VillageOperator.as_str());
        push_area_filter(&mut operators, "a.scope", area);
        operators.push(" ORDER BY a.scope, a.username");
        let mut rows: Vec<OperatorSync> = operators
            .build()
            .fetch_all(&self.reader)
            .await
            .map_err(other)?
            .iter()
            .map(|row| row_of(row, days.len()))
            .collect::<Result<_, _>>()?;

        // CROSS JOIN keeps `region` as the outer loop: one index seek per village.
        let mut activity = QueryBuilder::<Sqlite>::new(format!(
            "SELECT a.actor, date(a.at, '+7 hours') AS day, SUM(a.action = '{CREATE_ACTION}') AS created, \
             COUNT(*) AS writes FROM region r CROSS JOIN audit_log a ON a.area = r.code WHERE r.level = 4 AND {}",
            writes_in("a.action")
        ));
        push_area_filter(&mut activity, "r.code", area);
        activity.push(" AND a.at >= ").push_bind(wib_midnight(*first)?);
        let after_last = last.next_day().ok_or_else(|| corrupt("sync day"))?;
        activity.push(" AND a.at < ").push_bind(wib_midnight(after_last)?);
        activity.push(" GROUP BY a.actor, day");
        let activity = activity.build().fetch_all(&self.reader).await.map_err(other)?;

        let operator_count = rows.len();
        let mut by_username: HashMap<String, usize> =
            rows.iter().enumerate().map(|(i, r)| (r.username.clone(), i)).collect();
        let mut others = Vec::new();
        for entry in &activity {
            let actor: String = entry.get("actor");
            let index = match by_username.get(&actor) {
                Some(&index) => Some(index),
                None => {
                    // Someone else who wrote here: a district officer, a verifier, an admin.
                    let account = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} WHERE a.username = ?"))
                        .bind(&actor)
                        .fetch_optional(&self.reader)
                        .await
                        .map_err(other)?;
                    match account {
                        Some(account) => {
                            others.push(row_of(&account, days.len())?);
                            let index = operator_count + others.len() - 1;
                            by_username.insert(actor.clone(), index);
                            Some(index)
                        }
                        // Written by no account (a bulk import): nobody to show it for.
                        None => None,
                    }
                }
            };
            let (Some(index), Some(&day)) = (index, column.get(entry.get::<&str, _>("day"))) else {
                continue;
            };
            let row = if index < operator_count {
                &mut rows[index]
            } else {
                &mut others[index - operator_count]
            };
            row.enrolled_per_day[day] += count(entry.get("created"));
            row.writes_per_day[day] += count(entry.get("writes"));
        }
        others.sort_by(|a, b| (a.scope.as_str(), &a.username).cmp(&(b.scope.as_str(), &b.username)));
        rows.extend(others);

        let usernames: Vec<&str> = rows.iter().map(|r| r.username.as_str()).collect();
        let mut last_write = QueryBuilder::<Sqlite>::new(format!(
            "SELECT j.value AS actor, (SELECT a.at FROM audit_log a WHERE a.actor = j.value AND {}",
            writes_in("a.action")
        ));
        push_area_filter(&mut last_write, "a.area", area);
        last_write.push(" ORDER BY a.at DESC LIMIT 1) AS at FROM json_each(");
        last_write.push_bind(serde_json::to_string(&usernames).map_err(|e| StoreError::Other(e.into()))?);
        last_write.push(") j");
        let last_writes: HashMap<String, Option<String>> = last_write
            .build()
            .fetch_all(&self.reader)
            .await
            .map_err(other)?
            .iter()
            .map(|row| (row.get("actor"), row.get("at")))
            .collect();
        for row in &mut rows {
            if let Some(Some(at)) = last_writes.get(&row.username) {
                row.last_sync = Some(OffsetDateTime::parse(at, &Rfc3339).map_err(|_| corrupt("audit time"))?);
            }
        }
        Ok(SyncReport {
            days: days.iter().copied().map(SyncDay).collect(),
            operators: rows,
        })
    }
}
