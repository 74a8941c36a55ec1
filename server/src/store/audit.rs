//! The audit log: who changed what, with the record before and after.

use async_trait::async_trait;
use pantau_core::workers::AuditEntry;
use pantau_core::AreaCode;

use super::StoreError;

/// Who makes a change, as the audit log records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// Account id.
    pub id: i64,
    /// Username, written into the log so it stays readable if the account goes.
    pub username: String,
}

impl Actor {
    /// Whoever runs the server's command line on its host (`pantau-server import-boundaries`).
    pub fn command_line() -> Self {
        Self {
            id: 0,
            username: "(command line)".to_owned(),
        }
    }
}

/// Storage of the audit log. Changes made through the other stores write their own entries;
/// this one records the rest and reads the log.
#[async_trait]
pub trait AuditStore {
    /// Records a change that is not a worker's (accounts, targets).
    async fn record_audit(
        &self,
        actor: &Actor,
        action: &str,
        subject: &str,
        area: &AreaCode,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<(), StoreError>;
    /// The latest entries about records inside `area`, newest first.
    async fn audit_log(&self, area: &AreaCode, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;
}
