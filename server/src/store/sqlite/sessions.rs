//! Sessions on SQLite. Sessions change on every request, outside any other change, so each
//! write is one statement on the writer without a transaction of its own.

use async_trait::async_trait;
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Row, Sqlite};

use super::accounts::account_of;
use super::{map_write_error, other, SqliteStore};
use crate::store::{SessionRecord, SessionStore, StoreError};

impl SqliteStore {
    /// Runs one session statement on the writer.
    async fn write_session<'q>(&self, statement: Query<'q, Sqlite, SqliteArguments<'q>>) -> Result<(), StoreError> {
        statement.execute(&self.writer).await.map_err(map_write_error)?;
        Ok(())
    }
}

#[async_trait]
impl SessionStore for SqliteStore {
    async fn create_session(&self, token_hash: &str, account: i64, csrf: &str, now: i64) -> Result<(), StoreError> {
        let insert = sqlx::query(
            "INSERT INTO session (token_hash, account, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)",
        );
        self.write_session(insert.bind(token_hash).bind(account).bind(csrf).bind(now).bind(now))
            .await
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
        let update = sqlx::query("UPDATE session SET last_seen = ? WHERE token_hash = ?");
        self.write_session(update.bind(now).bind(token_hash)).await
    }

    async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.write_session(sqlx::query("DELETE FROM session WHERE token_hash = ?").bind(token_hash))
            .await
    }

    async fn end_all_sessions(&self, account: i64) -> Result<(), StoreError> {
        self.write_session(sqlx::query("DELETE FROM session WHERE account = ?").bind(account))
            .await
    }

    async fn remember_device(&self, token_hash: &str, account: i64, now: i64) -> Result<(), StoreError> {
        let insert =
            sqlx::query("INSERT OR IGNORE INTO known_device (token_hash, account, created_at) VALUES (?, ?, ?)");
        self.write_session(insert.bind(token_hash).bind(account).bind(now))
            .await
    }

    async fn device_account(&self, token_hash: &str) -> Result<Option<i64>, StoreError> {
        sqlx::query_scalar("SELECT account FROM known_device WHERE token_hash = ?")
            .bind(token_hash)
            .fetch_optional(&self.reader)
            .await
            .map_err(other)
    }
}
