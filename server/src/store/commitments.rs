//! Local commitments: regulations and premium budgets.

use async_trait::async_trait;
use pantau_core::commitments::{Allocation, BudgetView, Regulation, ValidRegulation};
use pantau_core::RegionCode;

use super::{Actor, StoreError};

/// Storage of local commitments: regulations and premium budgets.
#[async_trait]
pub trait CommitmentStore {
    /// Regulations registered for any of `areas` (codes), newest first.
    async fn regulations(&self, areas: &[RegionCode]) -> Result<Vec<Regulation>, StoreError>;
    /// Registers a regulation of a regency or province; a data change for public caching.
    async fn add_regulation(
        &self,
        area: &RegionCode,
        regulation: &ValidRegulation,
        actor: &Actor,
    ) -> Result<Regulation, StoreError>;
    /// The area a regulation belongs to.
    async fn regulation_area(&self, id: i64) -> Result<Option<RegionCode>, StoreError>;
    /// Removes a regulation.
    async fn delete_regulation(&self, id: i64, actor: &Actor) -> Result<(), StoreError>;
    /// A regency's premium budget for a year, with what its enrolments commit.
    async fn budget(&self, regency: &RegionCode, year: i32) -> Result<BudgetView, StoreError>;
    /// Sets allocations (other sources keep theirs).
    async fn set_budget(
        &self,
        regency: &RegionCode,
        year: i32,
        allocations: &[Allocation],
        actor: &Actor,
    ) -> Result<(), StoreError>;
}
