//! Idempotency keys on SQLite. Each change is one statement on the writer, so a claim is
//! atomic on its own: the primary key (account, key) lets exactly one request insert the row,
//! also when several servers share the file.

use async_trait::async_trait;
use sqlx::Row;

use super::{corrupt, other, unsigned, SqliteStore};
use crate::store::{Claim, IdempotencyStore, KeyRecord, KeyState, StoreError, StoredAnswer};

#[async_trait]
impl IdempotencyStore for SqliteStore {
    async fn claim_key(
        &self,
        account: i64,
        key: &str,
        fingerprint: &str,
        now: i64,
        stale_before: i64,
    ) -> Result<Claim, StoreError> {
        // A claim released between the insert and the read leaves nothing to read: try again.
        for _ in 0..3 {
            let token = crate::auth::new_token();
            let claimed: Option<String> = sqlx::query_scalar(
                "INSERT INTO idempotency_key (account, key, fingerprint, state, claim, claimed_at, created_at) \
                 VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?5) \
                 ON CONFLICT (account, key) DO UPDATE SET claim = excluded.claim, claimed_at = excluded.claimed_at \
                 WHERE idempotency_key.state = 'pending' AND idempotency_key.claimed_at < ?6 \
                   AND idempotency_key.fingerprint = excluded.fingerprint \
                 RETURNING claim",
            )
            .bind(account)
            .bind(key)
            .bind(fingerprint)
            .bind(&token)
            .bind(now)
            .bind(stale_before)
            .fetch_optional(&self.writer)
            .await
            .map_err(other)?;
            if let Some(claim) = claimed {
                return Ok(Claim::Claimed(claim));
            }
            if let Some(record) = self.key_record(account, key).await? {
                return Ok(Claim::Taken(record));
            }
        }
        Err(StoreError::Other(anyhow::anyhow!(
            "idempotency key claimed and released repeatedly"
        )))
    }

    async fn key_record(&self, account: i64, key: &str) -> Result<Option<KeyRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT fingerprint, state, claimed_at, status, content_type, body FROM idempotency_key \
             WHERE account = ? AND key = ?",
        )
        .bind(account)
        .bind(key)
        .fetch_optional(&self.reader)
        .await
        .map_err(other)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let state = match row.get::<&str, _>("state") {
            "pending" => KeyState::Pending {
                claimed_at: row.get("claimed_at"),
            },
            "done" => {
                let status: Option<i64> = row.get("status");
                let status = status
                    .and_then(|s| u16::try_from(unsigned(s)).ok())
                    .ok_or_else(|| corrupt("idempotent answer"))?;
                KeyState::Done(StoredAnswer {
                    status,
                    content_type: row.get("content_type"),
                    body: row.get::<Option<Vec<u8>>, _>("body").unwrap_or_default(),
                })
            }
            _ => return Err(corrupt("idempotency key state")),
        };
        Ok(Some(KeyRecord {
            fingerprint: row.get("fingerprint"),
            state,
        }))
    }

    async fn complete_key(
        &self,
        account: i64,
        key: &str,
        token: &str,
        answer: &StoredAnswer,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE idempotency_key SET state = 'done', status = ?, content_type = ?, body = ? \
             WHERE account = ? AND key = ? AND claim = ? AND state = 'pending'",
        )
        .bind(i64::from(answer.status))
        .bind(&answer.content_type)
        .bind(&answer.body)
        .bind(account)
        .bind(key)
        .bind(token)
        .execute(&self.writer)
        .await
        .map_err(other)?;
        Ok(done.rows_affected() == 1)
    }

    async fn release_key(&self, account: i64, key: &str, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM idempotency_key WHERE account = ? AND key = ? AND claim = ? AND state = 'pending'")
            .bind(account)
            .bind(key)
            .bind(token)
            .execute(&self.writer)
            .await
            .map_err(other)?;
        Ok(())
    }

    async fn purge_keys(&self, before: i64) -> Result<u64, StoreError> {
        let purged = sqlx::query("DELETE FROM idempotency_key WHERE created_at < ?")
            .bind(before)
            .execute(&self.writer)
            .await
            .map_err(other)?;
        Ok(purged.rows_affected())
    }
}
