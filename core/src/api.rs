//! Request and response bodies of the JSON API under `/api/v1`: the contract between the
//! server and the app.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::breakdown::Breakdown;
use crate::coverage::Month;
use crate::region::{AreaCode, Level, RegionCode};

/// Coverage figures of one area. Counts at every level are roll-ups of its villages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    /// Sum of the village targets (100 per village unless set otherwise).
    pub target: u64,
    /// Workers enrolled and not deactivated, whether or not their premium is paid up:
    /// verified by BPJS Ketenagakerjaan or submitted and waiting (rejected ones are not counted).
    pub enrolled: u64,
    /// Of `enrolled`, those BPJS Ketenagakerjaan has verified.
    #[serde(default)]
    pub verified: u64,
    /// Enrolled workers whose premium is paid for the current month: protected now.
    pub active: u64,
    /// `active` as a percentage of `target`, one decimal.
    pub progress_pct: f64,
    /// Villages in the area (1 for a village).
    pub villages: u64,
    /// Villages whose active workers reach their target.
    pub villages_at_target: u64,
    /// Premiums committed for a year of the active workers' cover, rupiah. `null` where it
    /// would tell the declared income of fewer than 5 people (see
    /// [`crate::breakdown::premiums_to_hide`]).
    pub premium_per_year: Option<u64>,
}

/// One step of the path from the nation down to an area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Crumb {
    /// `ID` or a region code.
    pub code: AreaCode,
    /// Official name, e.g. "Kabupaten Bekasi".
    pub name: String,
    /// Level of this step.
    pub level: Level,
}

/// A child area as listed on its parent's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaChild {
    /// Region code.
    pub code: RegionCode,
    /// Official name.
    pub name: String,
    /// Level (one below the parent).
    pub level: Level,
    /// The child's figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// `GET /api/v1/areas/{code}`: an area with its figures and its children's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaView {
    /// `ID` or the region code.
    pub code: AreaCode,
    /// Official name ("Indonesia" for the nation).
    pub name: String,
    /// Level of the area.
    pub level: Level,
    /// From the nation down to this area's parent.
    pub breadcrumbs: Vec<Crumb>,
    /// The area's own figures.
    #[serde(flatten)]
    pub figures: Figures,
    /// Position by progress among the areas with the same parent; `None` for the nation.
    pub rank: Option<Rank>,
    /// Children one level down, by code.
    pub children: Vec<AreaChild>,
    /// When the figures were last changed.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub data_as_of: OffsetDateTime,
    /// True when the database holds the generated demonstration data set, not real enrolments.
    pub demo: bool,
}

/// `GET /api/v1/health`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `ok` when the server answers and its database is reachable.
    pub status: String,
    /// Version of the loaded region list.
    pub regions_version: String,
    /// True when serving demonstration data.
    pub demo: bool,
}

/// Where an area stands among its siblings, 1 = highest progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rank {
    /// 1-based position by `progress_pct`, ties sharing the better position.
    pub position: u64,
    /// Number of siblings, the area included.
    pub of: u64,
}

/// `GET /api/v1/areas/{code}/breakdowns`: the area's workers by every dimension.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaBreakdowns {
    /// `ID` or the region code.
    pub code: AreaCode,
    /// Official name.
    pub name: String,
    /// One breakdown per dimension.
    pub breakdowns: Vec<Breakdown>,
    /// Whether any cell is suppressed (`null`): 1–4 people, or a complement that would give
    /// one back by subtraction.
    pub small_cells_suppressed: bool,
    /// When the figures were last changed.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub data_as_of: OffsetDateTime,
    /// Demonstration data.
    pub demo: bool,
}

/// One month of an area's series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    /// The month.
    pub month: Month,
    /// Workers registered by the end of the month (deactivations not subtracted).
    pub enrolled: u64,
    /// Workers whose premium covered the month.
    pub active: u64,
}

/// `GET /api/v1/areas/{code}/trend`: the last 24 months, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaTrend {
    /// `ID` or the region code.
    pub code: AreaCode,
    /// Official name.
    pub name: String,
    /// Oldest first, ending with the current month.
    pub points: Vec<TrendPoint>,
    /// When the figures were last changed.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub data_as_of: OffsetDateTime,
    /// Demonstration data.
    pub demo: bool,
}

/// `GET /api/v1/search?q=`: one matching region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// Region code.
    pub code: RegionCode,
    /// Official name.
    pub name: String,
    /// Level.
    pub level: Level,
    /// Enclosing regions from the district up to the province (nearest first).
    pub parents: Vec<Crumb>,
}

/// Id of the `<script type="application/json">` element in which the server inlines the
/// first area's `AreaView` into the portal's page, read once by the app.
pub const INLINED_AREA_ID: &str = "pantau-area";

/// Id of the element holding the top of the first area's page as the server rendered it
/// (header and headline), shown until the app has rendered its own and then removed.
pub const FIRST_PAINT_ID: &str = "pantau-first-paint";
