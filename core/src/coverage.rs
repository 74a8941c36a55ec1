//! Coverage periods. BPU premiums are paid per calendar month (monthly by the 15th, or 3, 6
//! or 12 months in advance), so coverage is counted in whole months.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

/// Highest target a village may be given: far above any village's workforce, and a guard
/// against a typo of extra zeros.
pub const MAX_VILLAGE_TARGET: u64 = 10_000;

/// A calendar month, stored as months since January of year 0 so that months compare and
/// subtract as integers (the database keeps this number). JSON writes it `2026-11`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "2026-11"))]
pub struct Month(i32);

/// A month that is not written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("month must be written YYYY-MM")]
pub struct MonthError;

impl Month {
    /// The month a date falls in.
    pub fn of(date: Date) -> Self {
        Self(date.year() * 12 + i32::from(u8::from(date.month())) - 1)
    }

    /// Month `month` (1–12) of `year`.
    pub fn of_year_month(year: i32, month: u8) -> Self {
        Self(year * 12 + i32::from(month.clamp(1, 12)) - 1)
    }

    /// From the stored month number.
    pub fn from_index(index: i32) -> Self {
        Self(index)
    }

    /// The stored month number.
    pub fn index(self) -> i32 {
        self.0
    }

    /// Calendar year.
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// Calendar month, 1–12.
    pub fn month_number(self) -> u8 {
        // rem_euclid(12) is 0..=11, so the cast cannot truncate.
        (self.0.rem_euclid(12) + 1) as u8
    }

    /// Parses `YYYY-MM`.
    pub fn parse(raw: &str) -> Result<Self, MonthError> {
        let (year, month) = raw.trim().split_once('-').ok_or(MonthError)?;
        let year: i32 = year.parse().map_err(|_| MonthError)?;
        let month: i32 = month.parse().map_err(|_| MonthError)?;
        if !(1..=12).contains(&month) || !(1900..=9999).contains(&year) {
            return Err(MonthError);
        }
        Ok(Self(year * 12 + month - 1))
    }

    /// This month plus `months` (which may be negative).
    pub fn plus(self, months: i32) -> Self {
        Self(self.0 + months)
    }
}

impl fmt::Display for Month {
    /// ISO form `2026-11`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month_number())
    }
}

impl TryFrom<String> for Month {
    type Error = MonthError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Month> for String {
    fn from(month: Month) -> Self {
        month.to_string()
    }
}

/// Unpaid months after which membership lapses: arrears can be paid for up to three months.
pub const ARREARS_GRACE_MONTHS: i32 = 3;

/// Where a member stands in a given month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    /// Premium paid for this month: protected now.
    Active,
    /// One to three months unpaid: still a member, arrears can be paid.
    Arrears,
    /// More than three months unpaid: membership has lapsed.
    Lapsed,
}

/// Status in `now` of a member whose premiums are paid through `paid_through` (inclusive).
pub fn status(paid_through: Month, now: Month) -> CoverageStatus {
    let unpaid = now.index() - paid_through.index();
    if unpaid <= 0 {
        CoverageStatus::Active
    } else if unpaid <= ARREARS_GRACE_MONTHS {
        CoverageStatus::Arrears
    } else {
        CoverageStatus::Lapsed
    }
}

/// Last month covered when `paid_months` months are paid from `start` on.
pub fn paid_through(start: Month, paid_months: u16) -> Month {
    start.plus(i32::from(paid_months.max(1)) - 1)
}

/// Share of a target reached, in percent with one decimal. A zero target counts as reached.
pub fn progress_pct(covered: u64, target: u64) -> f64 {
    if target == 0 {
        return 100.0;
    }
    // Counts stay far below 2^52, so the conversions are exact.
    (covered as f64 * 1000.0 / target as f64).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_count_across_years() {
        let dec = Month::of(date!(2025 - 12 - 31));
        let jan = Month::of(date!(2026 - 01 - 01));
        assert_eq!(jan.index() - dec.index(), 1);
        assert_eq!(dec.to_string(), "2025-12");
        assert_eq!(dec.plus(3).to_string(), "2026-03");
    }

    #[test]
    fn months_are_written_year_dash_month() {
        let month = Month::parse("2026-03").unwrap();
        assert_eq!(month.to_string(), "2026-03");
        assert_eq!(serde_json::to_string(&month).unwrap(), "\"2026-03\"");
        for bad in ["2026-13", "2026-00", "2026", "26-01", "x-y"] {
            assert_eq!(Month::parse(bad), Err(MonthError), "{bad}");
        }
    }

    #[test]
    fn membership_lapses_after_three_unpaid_months() {
        let paid = Month::of(date!(2026 - 06 - 01));
        let cases = [
            (0, CoverageStatus::Active),
            (-2, CoverageStatus::Active),
            (1, CoverageStatus::Arrears),
            (3, CoverageStatus::Arrears),
            (4, CoverageStatus::Lapsed),
        ];
        for (later, expected) in cases {
            assert_eq!(
                status(paid, paid.plus(later)),
                expected,
                "{later} months after the last paid month"
            );
        }
    }

    #[test]
    fn twelve_months_paid_cover_through_the_eleventh_month_after_start() {
        let start = Month::of(date!(2026 - 01 - 10));
        assert_eq!(paid_through(start, 12).to_string(), "2026-12");
        assert_eq!(paid_through(start, 1), start);
    }

    #[test]
    fn progress_is_rounded_to_one_decimal() {
        assert_eq!(progress_pct(73, 100), 73.0);
        assert_eq!(progress_pct(1, 3), 33.3);
        assert_eq!(progress_pct(250, 200), 125.0);
        assert_eq!(progress_pct(0, 0), 100.0);
    }
}
