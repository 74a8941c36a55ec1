//! Sign-in sessions, stored under the hash of their token.

use async_trait::async_trait;

use super::{AccountRecord, StoreError};

/// A live session with its account.
#[derive(Clone, Debug)]
pub struct SessionRecord {
    /// The signed-in account.
    pub account: AccountRecord,
    /// CSRF token of this session.
    pub csrf: String,
    /// Unix seconds at sign-in.
    pub created_at: i64,
    /// Unix seconds of the last request.
    pub last_seen: i64,
}

/// Storage of sessions.
#[async_trait]
pub trait SessionStore {
    /// Stores a session under the hash of its token.
    async fn create_session(&self, token_hash: &str, account: i64, csrf: &str, now: i64) -> Result<(), StoreError>;
    /// The session with this token hash, if its account is active.
    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError>;
    /// Records activity on a session.
    async fn touch_session(&self, token_hash: &str, now: i64) -> Result<(), StoreError>;
    /// Ends one session.
    async fn end_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Ends every session of an account.
    async fn end_all_sessions(&self, account: i64) -> Result<(), StoreError>;
    /// Remembers a browser the account signed in from, under the hash of its cookie's token.
    async fn remember_device(&self, token_hash: &str, account: i64, now: i64) -> Result<(), StoreError>;
    /// The account a remembered browser signed in as.
    async fn device_account(&self, token_hash: &str) -> Result<Option<i64>, StoreError>;
}
