//! Idempotency keys of the workspace's writes: which request of an account used a key, and
//! what it was answered, so a retry of the same request gets the same answer and changes
//! nothing again. A key is claimed in the database before the request runs, so concurrent
//! requests with one key (on one server or several sharing the database) run it once.

use async_trait::async_trait;

use super::StoreError;

/// A final answer kept under a key: what the first request was answered, byte for byte.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` of the body, when it had one.
    pub content_type: Option<String>,
    /// The body as sent. It may hold personal data: never logged.
    pub body: Vec<u8>,
}

impl std::fmt::Debug for StoredAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredAnswer")
            .field("status", &self.status)
            .field("bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// Where a key stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyState {
    /// A request holds the key and is running since `claimed_at` (Unix seconds).
    Pending {
        /// When the claim was made or last taken over.
        claimed_at: i64,
    },
    /// The request ran; its answer.
    Done(StoredAnswer),
}

/// A key as stored: the request it belongs to and where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRecord {
    /// SHA-256 (hex) of the request that first used the key.
    pub fingerprint: String,
    /// Pending or done.
    pub state: KeyState,
}

/// What an attempt to claim a key gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The caller holds the key now (new, or a stale claim taken over): it runs the request,
    /// then completes or releases the key with this claim token.
    Claimed(String),
    /// Somebody else's claim or a stored answer.
    Taken(KeyRecord),
}

/// Storage of idempotency keys, per account: keys of two accounts never meet.
#[async_trait]
pub trait IdempotencyStore {
    /// Claims `key` for a request with `fingerprint` at `now` (Unix seconds). A pending claim
    /// older than `stale_before` with the same fingerprint is taken over (its server died);
    /// anything else already there is returned as it is.
    async fn claim_key(
        &self,
        account: i64,
        key: &str,
        fingerprint: &str,
        now: i64,
        stale_before: i64,
    ) -> Result<Claim, StoreError>;

    /// The key as stored, if it is.
    async fn key_record(&self, account: i64, key: &str) -> Result<Option<KeyRecord>, StoreError>;

    /// Stores the final answer of the claim `token`; false when the claim was taken over
    /// meanwhile (nothing is stored then).
    async fn complete_key(
        &self,
        account: i64,
        key: &str,
        token: &str,
        answer: &StoredAnswer,
    ) -> Result<bool, StoreError>;

    /// Gives up the claim `token` without an answer, so a retry runs for real.
    async fn release_key(&self, account: i64, key: &str, token: &str) -> Result<(), StoreError>;

    /// Deletes the keys first used before `before` (Unix seconds); how many.
    async fn purge_keys(&self, before: i64) -> Result<u64, StoreError>;
}
