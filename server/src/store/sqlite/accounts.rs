//! Accounts and password resets on SQLite.

use async_trait::async_trait;
use pantau_core::account::{Grant, Role, UserChange};
use pantau_core::AreaCode;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};

use super::audit::Audit;
use super::write::Tx;
use super::{corrupt, map_write_error, now_rfc3339, other, parse_stored, push_area_filter, SqliteStore};
use crate::store::{AccountRecord, AccountStore, Actor, NewAccount, StoreError};

pub(super) const ACCOUNT_COLUMNS: &str = "id, username, display_name, role, scope, password_hash, active";

/// An account from a row with [`ACCOUNT_COLUMNS`].
pub(super) fn account_of(row: &SqliteRow) -> Result<AccountRecord, StoreError> {
    let role: String = row.get("role");
    let scope: String = row.get("scope");
    Ok(AccountRecord {
        id: row.get("id"),
        username: row.get("username"),
        display_name: row.get("display_name"),
        grant: Grant {
            role: parse_stored::<Role>(&role)?,
            scope: AreaCode::parse(&scope).map_err(|_| corrupt("scope"))?,
        },
        password_hash: row.get("password_hash"),
        active: row.get::<i64, _>("active") != 0,
    })
}

/// The scope of an account, which is the area its audit entries belong to.
async fn scope_of(tx: &mut Tx<'_>, account: i64) -> Result<String, StoreError> {
    sqlx::query_scalar("SELECT scope FROM account WHERE id = ?")
        .bind(account)
        .fetch_optional(&mut **tx)
        .await
        .map_err(other)?
        .ok_or(StoreError::NotFound)
}

/// Deletes the rows of `table` that belong to `account` (its sessions, its reset tokens).
pub(super) async fn delete_of_account(tx: &mut Tx<'_>, table: &str, account: i64) -> Result<(), StoreError> {
    sqlx::query(&format!("DELETE FROM {table} WHERE account = ?"))
        .bind(account)
        .execute(&mut **tx)
        .await
        .map_err(other)?;
    Ok(())
}

impl SqliteStore {
    /// The account matching `condition`, with `?1` bound to `value`.
    async fn account_where<T>(&self, condition: &str, value: T) -> Result<Option<AccountRecord>, StoreError>
    where
        T: for<'q> sqlx::Encode<'q, Sqlite> + sqlx::Type<Sqlite> + Send + 'static,
    {
        let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE {condition}"))
            .bind(value)
            .fetch_optional(&self.reader)
            .await
            .map_err(other)?;
        row.as_ref().map(account_of).transpose()
    }
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn account_count(&self) -> Result<u64, StoreError> {
        self.count("account").await
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
        .bind(account.grant.role.as_str())
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
        let created = serde_json::json!({ "username": account.username, "grant": account.grant });
        Audit::of("user.create", format!("user/{id}"), account.grant.scope.as_str())
            .after(&created)
            .write(&mut tx, actor.unwrap_or(&system))
            .await?;
        tx.commit().await.map_err(other)?;
        Ok(id)
    }

    async fn account_by_login(&self, login: &str) -> Result<Option<AccountRecord>, StoreError> {
        self.account_where(
            "username = lower(?1) OR lower(email) = lower(?1)",
            login.trim().to_owned(),
        )
        .await
    }

    async fn account(&self, id: i64) -> Result<Option<AccountRecord>, StoreError> {
        self.account_where("id = ?1", id).await
    }

    async fn accounts_in(&self, scope: &AreaCode) -> Result<Vec<AccountRecord>, StoreError> {
        let mut query = QueryBuilder::new(format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE 1 = 1"));
        push_area_filter(&mut query, "scope", scope);
        query.push(" ORDER BY username");
        let rows = query.build().fetch_all(&self.reader).await.map_err(other)?;
        rows.iter().map(account_of).collect()
    }

    async fn set_password(
        &self,
        account: i64,
        password_hash: &str,
        actor: &Actor,
        link_by: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let scope: String = sqlx::query_scalar(
            "UPDATE account SET password_hash = ?, first_sign_in_link_by = ? WHERE id = ? RETURNING scope",
        )
        .bind(password_hash)
        .bind(link_by)
        .bind(account)
        .fetch_optional(&mut *tx)
        .await
        .map_err(other)?
        .ok_or(StoreError::NotFound)?;
        delete_of_account(&mut tx, "session", account).await?;
        let mut entry = Audit::of("user.set_password", format!("user/{account}"), &scope);
        if let Some(issuer) = link_by {
            entry = entry.after(&serde_json::json!({ "link_by": issuer }));
        }
        entry.write(&mut tx, actor).await?;
        tx.commit().await.map_err(other)
    }

    async fn note_sign_in(&self, account: i64) -> Result<(), StoreError> {
        // Nearly every sign-in finds nothing pending: one read, no write.
        let pending: Option<(String, String, Option<String>)> =
            sqlx::query_as("SELECT username, scope, first_sign_in_link_by FROM account WHERE id = ?")
                .bind(account)
                .fetch_optional(&self.reader)
                .await
                .map_err(other)?;
        let Some((username, scope, Some(link_by))) = pending else {
            return Ok(());
        };
        let mut tx = self.writer.begin().await.map_err(other)?;
        let taken = sqlx::query(
            "UPDATE account SET first_sign_in_link_by = NULL WHERE id = ? AND first_sign_in_link_by IS NOT NULL",
        )
        .bind(account)
        .execute(&mut *tx)
        .await
        .map_err(other)?;
        if taken.rows_affected() == 1 {
            let holder = Actor { id: account, username };
            Audit::of("user.first_sign_in", format!("user/{account}"), &scope)
                .after(&serde_json::json!({ "link_by": link_by }))
                .write(&mut tx, &holder)
                .await?;
        }
        tx.commit().await.map_err(other)
    }

    async fn update_account(&self, account: i64, change: &UserChange, actor: &Actor) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE id = ?"))
            .bind(account)
            .fetch_optional(&mut *tx)
            .await
            .map_err(other)?
            .ok_or(StoreError::NotFound)?;
        let old = account_of(&row)?;
        sqlx::query("UPDATE account SET display_name = ?, role = ?, scope = ?, active = ? WHERE id = ?")
            .bind(&change.display_name)
            .bind(change.grant.role.as_str())
            .bind(change.grant.scope.as_str())
            .bind(change.active)
            .bind(account)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        if old.grant != change.grant || !change.active {
            delete_of_account(&mut tx, "session", account).await?;
            delete_of_account(&mut tx, "password_reset", account).await?;
        }
        let snapshot = |display_name: &str, grant: &Grant, active: bool| serde_json::json!({ "display_name": display_name, "role": grant.role, "scope": grant.scope, "active": active });
        // Entered in the old scope: the admins who could see the account before see the move.
        Audit::of("user.update", format!("user/{account}"), old.grant.scope.as_str())
            .before(&snapshot(&old.display_name, &old.grant, old.active))
            .after(&snapshot(&change.display_name, &change.grant, change.active))
            .write(&mut tx, actor)
            .await?;
        tx.commit().await.map_err(other)
    }

    async fn sign_out_account(&self, account: i64, actor: &Actor) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let scope = scope_of(&mut tx, account).await?;
        delete_of_account(&mut tx, "session", account).await?;
        Audit::of("user.sign_out_all", format!("user/{account}"), &scope)
            .write(&mut tx, actor)
            .await?;
        tx.commit().await.map_err(other)
    }

    async fn create_reset(
        &self,
        token_hash: &str,
        account: i64,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let scope = scope_of(&mut tx, account).await?;
        delete_of_account(&mut tx, "password_reset", account).await?;
        sqlx::query("INSERT INTO password_reset (token_hash, account, expires_at, issued_by) VALUES (?, ?, ?, ?)")
            .bind(token_hash)
            .bind(account)
            .bind(expires_at)
            .bind(&actor.username)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        Audit::of("user.reset_link", format!("user/{account}"), &scope)
            .write(&mut tx, actor)
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

    async fn take_reset(&self, token_hash: &str, now: i64) -> Result<Option<(i64, String)>, StoreError> {
        let found: Option<(i64, i64, String)> =
            sqlx::query_as("DELETE FROM password_reset WHERE token_hash = ? RETURNING account, expires_at, issued_by")
                .bind(token_hash)
                .fetch_optional(&self.writer)
                .await
                .map_err(other)?;
        Ok(found
            .filter(|(_, expires, _)| *expires > now)
            .map(|(account, _, issuer)| (account, issuer)))
    }
}
