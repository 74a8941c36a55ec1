//! Bulk imports: rows of a spreadsheet stored as one batch in one transaction, and undone as
//! one while none of the batch's records has moved on.

use std::collections::HashMap;

use async_trait::async_trait;
use pantau_core::import::ImportBatch;
use pantau_core::{AreaCode, Nik};

use super::{Actor, EnrolmentId, NewEnrolment, StoreError};

/// A current enrolment found by NIK.
#[derive(Clone, Debug)]
pub struct Existing {
    /// Its id.
    pub id: EnrolmentId,
    /// The record.
    pub enrolment: NewEnrolment,
}

/// Storage of import batches.
#[async_trait]
pub trait ImportStore {
    /// The current enrolments with any of `niks`, by NIK digits.
    async fn current_by_nik(&self, niks: &[Nik]) -> Result<HashMap<String, Existing>, StoreError>;
    /// Stores `enrolments` (submitted, not yet verified) as one batch imported into `area`, with
    /// their figures and audit entries, in one transaction: all or none. `Conflict` when one
    /// of the NIKs was enrolled meanwhile (nothing stored).
    async fn commit_import(
        &self,
        area: &AreaCode,
        enrolments: &[NewEnrolment],
        actor: &Actor,
    ) -> Result<ImportBatch, StoreError>;
    /// The batch `id`, if there is one.
    async fn import_batch(&self, id: &str) -> Result<Option<ImportBatch>, StoreError>;
    /// Batches imported into areas inside `area`, newest first (at most 50).
    async fn import_batches(&self, area: &AreaCode) -> Result<Vec<ImportBatch>, StoreError>;
    /// Removes the batch's records and their figures, audited; `NotFound` for an unknown
    /// batch, `WrongState` when it was undone already or any record was verified, rejected,
    /// changed, deactivated or reported as a duplicate since. The number of records removed.
    async fn undo_import(&self, id: &str, actor: &Actor) -> Result<u32, StoreError>;
}
