//! Storage behind one trait, so the HTTP layer does not know which database it talks to.

mod accounts;
mod audit;
mod commitments;
mod idempotency;
mod imports;
mod rollup;
mod sessions;
pub mod sqlite;
pub mod sync;
mod workers;

use async_trait::async_trait;
use pantau_core::api::{AreaChild, AreaView, Health, TrendPoint};
use pantau_core::breakdown::suppress_siblings;
use pantau_core::intake::{ValidEnrolment, CONSENT_VERSION};
use pantau_core::workers::Status;
use pantau_core::{AreaCode, Breakdown, FundingSource, Level, Month, Nik, Program, RegionCode, Segment, Sex};
use time::{Date, OffsetDateTime};

pub use accounts::{AccountRecord, AccountStore, NewAccount};
pub use audit::{Actor, AuditStore};
pub use commitments::CommitmentStore;
pub use idempotency::{Claim, IdempotencyStore, KeyRecord, KeyState, StoredAnswer};
pub use imports::{Existing, ImportStore};
pub use rollup::DEFAULT_VILLAGE_TARGET;
pub use sessions::{SessionRecord, SessionStore};
pub use sync::SyncStore;
pub use workers::{ConflictStore, NikLookup, Particulars, PastWorker, PastWrite, WorkerFilter, WorkerStore};

use crate::boundaries::VillageBoundary;

/// One region of the reference list (province, regency, district or village).
#[derive(Clone, Debug, PartialEq)]
pub struct RegionRecord {
    /// Kemendagri code.
    pub code: RegionCode,
    /// Official name.
    pub name: String,
    /// Label point, when the boundary source has one.
    pub point: Option<(f64, f64)>,
}

/// A versioned reference list of regions.
#[derive(Clone, Debug)]
pub struct RegionList {
    /// Label of the decree and source revision, e.g. `kepmendagri-300.2.2-2430-2025+…`.
    pub version: String,
    /// Every region, parents before children.
    pub regions: Vec<RegionRecord>,
}

/// An enrolment ready to store: every field already a checked domain value.
#[derive(Clone, Debug)]
pub struct NewEnrolment {
    /// National identity number.
    pub nik: Nik,
    /// Village the worker is covered in.
    pub village: RegionCode,
    /// Full name (personal data).
    pub full_name: String,
    /// Birth date (personal data).
    pub birth_date: Date,
    /// Sex.
    pub sex: Sex,
    /// Occupation segment.
    pub segment: Segment,
    /// Program package.
    pub program: Program,
    /// Declared monthly income tier, rupiah.
    pub income: u64,
    /// Who pays.
    pub funding: FundingSource,
    /// First covered month.
    pub start: Month,
    /// Last month the premium is paid for.
    pub paid_through: Month,
    /// Where it stands in verification.
    pub status: Status,
    /// What the workspace form adds (empty for bulk loads).
    pub particulars: Particulars,
}

impl NewEnrolment {
    /// A checked enrolment form, ready to store with `status` and the current consent text.
    pub fn from_valid(valid: ValidEnrolment, status: Status) -> Self {
        Self {
            nik: valid.nik,
            village: valid.village,
            full_name: valid.full_name,
            birth_date: valid.birth_date,
            sex: valid.sex,
            segment: valid.segment,
            program: valid.program,
            income: valid.income,
            funding: valid.funding,
            start: valid.start,
            paid_through: valid.paid_through,
            status,
            particulars: Particulars {
                phone: valid.phone,
                address: valid.address,
                occupation_other: valid.occupation_other,
                sponsor: valid.sponsor,
                membership_number: valid.membership_number,
                consent_version: CONSENT_VERSION.to_owned(),
            },
        }
    }
}

/// Identifier of a stored enrolment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnrolmentId(pub i64);

/// What a store can fail with. Backends map their own errors onto these.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The area or village does not exist.
    #[error("not found")]
    NotFound,
    /// A unique rule was violated (a username already taken).
    #[error("conflict")]
    Conflict,
    /// The NIK is already enrolled: the existing record and its village.
    #[error("NIK already enrolled")]
    DuplicateNik(EnrolmentId, RegionCode),
    /// The record changed in a way that forbids this step (e.g. verifying a rejected one).
    #[error("not allowed in the record's current state")]
    WrongState,
    /// The disk is full: the transaction was rolled back, nothing is stored.
    #[error("storage full")]
    Full,
    /// Anything else; logged, never shown.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Everything the API needs from storage: the public figures here, the officials' records in
/// the stores it extends.
#[async_trait]
pub trait Store:
    AccountStore
    + SessionStore
    + WorkerStore
    + ConflictStore
    + AuditStore
    + CommitmentStore
    + IdempotencyStore
    + ImportStore
    + SyncStore
    + Send
    + Sync
    + 'static
{
    /// Version label of the loaded region list, `None` before the first load.
    async fn regions_version(&self) -> Result<Option<String>, StoreError>;

    /// Loads or reloads the region list in one transaction: new codes are added, names
    /// updated, codes no longer listed retired (enrolments keep them), aggregates rebuilt.
    async fn load_regions(&self, list: &RegionList) -> Result<(), StoreError>;

    /// An area with its figures and its children's, counting as active whoever is paid up in `now`.
    async fn area(&self, code: &AreaCode, now: Month) -> Result<AreaView, StoreError>;

    /// Official name of an area; `NotFound` if there is none.
    async fn area_name(&self, code: &AreaCode) -> Result<String, StoreError>;

    /// The area's workers by every dimension (raw counts; the caller applies privacy rules).
    async fn breakdowns(&self, code: &AreaCode, now: Month) -> Result<Vec<Breakdown>, StoreError>;

    /// The raw breakdowns of every child of `parent` that has enrolments, by code (as
    /// [`Store::breakdowns`] reads each).
    async fn child_breakdowns(
        &self,
        parent: &AreaCode,
        now: Month,
    ) -> Result<Vec<(RegionCode, Vec<Breakdown>)>, StoreError>;

    /// The area's breakdowns as every page, export and embed publishes them: suppressed by
    /// [`suppress_siblings`] from the nation down through its ancestors' children, so a cell
    /// is hidden alike wherever it appears and no subtraction across levels gives it back.
    async fn published_breakdowns(&self, code: &AreaCode, now: Month) -> Result<Vec<Breakdown>, StoreError> {
        let mut path = vec![code.clone()];
        while let Some(parent) = path.last().and_then(AreaCode::parent) {
            path.push(parent);
        }
        path.reverse();
        let mut published = self.breakdowns(&AreaCode::Nation, now).await?;
        suppress_siblings(std::slice::from_mut(&mut published), None);
        for pair in path.windows(2) {
            let (codes, mut siblings): (Vec<RegionCode>, Vec<Vec<Breakdown>>) =
                self.child_breakdowns(&pair[0], now).await?.into_iter().unzip();
            suppress_siblings(&mut siblings, Some(&published));
            published = match codes.iter().position(|c| c.as_str() == pair[1].as_str()) {
                Some(i) => siblings.swap_remove(i),
                // Without enrolments: zeros, which hide nothing.
                None => self.breakdowns(&pair[1], now).await?,
            };
        }
        Ok(published)
    }

    /// The `months` months ending with `now`, oldest first.
    async fn trend(&self, code: &AreaCode, now: Month, months: i32) -> Result<Vec<TrendPoint>, StoreError>;

    /// Every area of `level` inside `code` with its figures, by code (retired ones only while
    /// they still have enrolments, as in children lists).
    async fn descendants(&self, code: &AreaCode, level: Level, now: Month) -> Result<Vec<AreaChild>, StoreError>;

    /// Stores checked village boundaries of `regency` in one transaction with its audit entry
    /// (`village_boundaries.upload` by `actor`), replacing earlier ones of the same villages.
    async fn save_village_boundaries(
        &self,
        regency: &RegionCode,
        boundaries: &[VillageBoundary],
        actor: &Actor,
    ) -> Result<(), StoreError>;

    /// Imported boundaries of the villages of `district`, by code.
    async fn village_boundaries(&self, district: &RegionCode) -> Result<Vec<VillageBoundary>, StoreError>;

    /// Label points `(lat, lng)` of the current children of `parent` that have one, by code.
    async fn child_points(&self, parent: &RegionCode) -> Result<Vec<(RegionCode, (f64, f64))>, StoreError>;

    /// Every current region with its name, for the search index.
    async fn region_names(&self) -> Result<Vec<(RegionCode, String)>, StoreError>;

    /// A number that changes whenever any figure may have changed (cheap: no database read).
    fn data_version(&self) -> u64;

    /// When the data last changed, and whether it is demonstration data.
    async fn data_facts(&self) -> Result<(OffsetDateTime, bool), StoreError>;

    /// Stores one enrolment and updates the aggregates of its village and every ancestor.
    async fn enrol(&self, enrolment: &NewEnrolment) -> Result<EnrolmentId, StoreError>;

    /// Sets a village's target and updates its ancestors' sums.
    /// The audit entry (`village.target` by `actor`, before and after) is written in the same
    /// transaction.
    async fn set_village_target(&self, village: &RegionCode, target: u32, actor: &Actor) -> Result<(), StoreError>;

    /// Stores many enrolments at once (demo seeding, imports), then rebuilds the aggregates.
    /// `demo` marks the whole database as demonstration data.
    async fn bulk_enrol(&self, enrolments: &[NewEnrolment], demo: bool) -> Result<(), StoreError>;

    /// Number of enrolments stored.
    async fn enrolment_count(&self) -> Result<u64, StoreError>;

    /// Recomputes every aggregate from the enrolments and targets.
    async fn rebuild_aggregates(&self) -> Result<(), StoreError>;

    /// Reachability and data facts for `GET /health`.
    async fn health(&self) -> Result<Health, StoreError>;
}
