//! Backend-neutral roll-up rules: which areas a village's figures count towards, what one
//! enrolment adds to them and to each breakdown, how a breakdown is read back, and until
//! when a village stays at its target.

use std::collections::BTreeMap;

use pantau_core::premium::PremiumRules;
use pantau_core::region::NATION_CODE;
use pantau_core::workers::Status;
use pantau_core::{AgeBand, Dimension, FundingSource, Month, Program, RegionCode, Segment, Sex};

use super::NewEnrolment;

/// "Gerakan 1 Desa 100 Pekerja Rentan": every village covers at least 100 vulnerable workers.
pub const DEFAULT_VILLAGE_TARGET: u64 = 100;

/// Month number used for "at target in every month", e.g. a village with target 0.
pub const FOREVER: i32 = i32::MAX;

/// The areas a village's figures count towards: the nation, its province, regency,
/// district and the village itself.
pub fn chain(village: &RegionCode) -> Vec<String> {
    let mut codes = vec![NATION_CODE.to_owned()];
    codes.extend(village.ancestors().into_iter().map(String::from));
    codes.push(village.as_str().to_owned());
    codes
}

/// The last month in which a village with `target` still has `target` paid-up workers, given
/// its workers counted by last paid month. `None` when it does not reach the target at all.
pub fn target_until(target: u64, workers_by_paid_through: &BTreeMap<i32, u64>) -> Option<i32> {
    if target == 0 {
        return Some(FOREVER);
    }
    let mut paid_up = 0;
    for (&month, &workers) in workers_by_paid_through.iter().rev() {
        paid_up += workers;
        if paid_up >= target {
            return Some(month);
        }
    }
    None
}

/// How a stored breakdown dimension is keyed. Age is stored as the birth year so that the
/// band can follow the calendar; everything else as the category's JSON name.
pub fn stored_dimension(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Segment => "segment",
        Dimension::Program => "program",
        Dimension::Funding => "funding",
        Dimension::Sex => "sex",
        Dimension::AgeBand => "birth_year",
    }
}

/// The category a stored value of `dimension` counts in during `now`: the birth year's age
/// band for age, the value itself otherwise.
pub fn category_in(dimension: Dimension, stored: &str, now: Month) -> String {
    match dimension {
        Dimension::AgeBand => {
            let age = stored.parse::<i32>().map(|year| now.year() - year).unwrap_or(0);
            AgeBand::of(age).as_str().to_owned()
        }
        Dimension::Segment | Dimension::Program | Dimension::Funding | Dimension::Sex => stored.to_owned(),
    }
}

/// What the aggregates count an enrolment by. Incremental writes take it from the enrolment,
/// the rebuild from the stored row; both then go through [`Contribution::of`], so what a
/// worker adds to the figures and to each breakdown is decided in one place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counted {
    /// First covered month.
    pub start: Month,
    /// Last paid month.
    pub paid_through: Month,
    /// Program package.
    pub program: Program,
    /// Declared monthly income tier, rupiah.
    pub income: u64,
    /// Whether BPJS has verified the enrolment.
    pub verified: bool,
    /// Occupation segment.
    pub segment: Segment,
    /// Who pays.
    pub funding: FundingSource,
    /// Sex.
    pub sex: Sex,
    /// Birth year (the age band follows from it and the month read).
    pub birth_year: i32,
}

impl From<&NewEnrolment> for Counted {
    fn from(e: &NewEnrolment) -> Self {
        Self {
            start: e.start,
            paid_through: e.paid_through,
            program: e.program,
            income: e.income,
            verified: e.status == Status::Verified,
            segment: e.segment,
            funding: e.funding,
            sex: e.sex,
            birth_year: e.birth_date.year(),
        }
    }
}

impl Counted {
    /// The worker's category in `dimension` as stored (see [`stored_dimension`]).
    fn stored_category(&self, dimension: Dimension) -> String {
        match dimension {
            Dimension::Segment => self.segment.as_str().to_owned(),
            Dimension::Program => self.program.as_str().to_owned(),
            Dimension::Funding => self.funding.as_str().to_owned(),
            Dimension::Sex => self.sex.as_str().to_owned(),
            Dimension::AgeBand => self.birth_year.to_string(),
        }
    }
}

/// What one enrolment adds to each area of its chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contribution {
    /// First covered month.
    pub start: i32,
    /// Last paid month.
    pub paid_through: i32,
    /// Monthly premium, rupiah.
    pub premium: u64,
    /// 1 when BPJS has verified the enrolment.
    pub verified: i64,
    /// `(stored dimension, stored category)` for every breakdown.
    pub categories: Vec<(&'static str, String)>,
}

impl Contribution {
    /// The contribution of a counted enrolment: one category in every dimension.
    pub fn of(counted: &Counted, rules: &PremiumRules) -> Self {
        Self {
            start: counted.start.index(),
            paid_through: counted.paid_through.index(),
            premium: rules.monthly(counted.program, counted.income),
            verified: i64::from(counted.verified),
            categories: Dimension::ALL
                .iter()
                .map(|&dimension| (stored_dimension(dimension), counted.stored_category(dimension)))
                .collect(),
        }
    }
}

/// Monthly series from workers by first month and by last paid month: for each of the
/// `months` months ending with `now`, `(month, registered by then, covered that month)`.
pub fn series(
    starts: &BTreeMap<i32, u64>,
    paid_through: &BTreeMap<i32, u64>,
    now: Month,
    months: i32,
) -> Vec<(Month, u64, u64)> {
    (0..months)
        .rev()
        .map(|back| {
            let month = now.plus(-back);
            let started: u64 = starts.range(..=month.index()).map(|(_, n)| n).sum();
            let ended: u64 = paid_through.range(..month.index()).map(|(_, n)| n).sum();
            (month, started, started.saturating_sub(ended))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_runs_from_nation_to_village() {
        let village = RegionCode::parse("32.16.01.2001").unwrap();
        assert_eq!(chain(&village), ["ID", "32", "32.16", "32.16.01", "32.16.01.2001"]);
    }

    #[test]
    fn an_enrolment_counts_once_in_every_dimension_and_reads_back_as_a_listed_category() {
        let counted = Counted {
            start: Month::parse("2026-01").unwrap(),
            paid_through: Month::parse("2026-06").unwrap(),
            program: Program::JkkJkmJht,
            income: 1_000_000,
            verified: true,
            segment: Segment::Farmer,
            funding: FundingSource::DanaDesa,
            sex: Sex::Female,
            birth_year: 1990,
        };
        let c = Contribution::of(&counted, &PremiumRules::default());
        let now = Month::parse("2026-03").unwrap();
        assert_eq!(c.categories.len(), Dimension::ALL.len());
        for (&dimension, (stored, value)) in Dimension::ALL.iter().zip(&c.categories) {
            assert_eq!(*stored, stored_dimension(dimension));
            let category = category_in(dimension, value, now);
            assert!(
                dimension.categories().contains(&category.as_str()),
                "{dimension:?}: {category}"
            );
        }
        assert_eq!(category_in(Dimension::AgeBand, "1990", now), "35_44");
        assert_eq!(c.verified, 1);
    }

    #[test]
    fn village_stays_at_target_until_its_hundredth_latest_payment_runs_out() {
        let buckets = BTreeMap::from([(100, 30), (105, 50), (110, 40)]);
        // 40 paid through 110, 90 through 105, 120 through 100.
        assert_eq!(target_until(100, &buckets), Some(100));
        assert_eq!(target_until(90, &buckets), Some(105));
        assert_eq!(target_until(121, &buckets), None);
        assert_eq!(target_until(0, &BTreeMap::new()), Some(FOREVER));
    }

    #[test]
    fn series_counts_who_was_covered_each_month() {
        let jan = Month::parse("2026-01").unwrap();
        // Two start in January: one pays through February, one through April. One starts in March through June.
        let starts = BTreeMap::from([(jan.index(), 2), (jan.plus(2).index(), 1)]);
        let paid = BTreeMap::from([
            (jan.plus(1).index(), 1),
            (jan.plus(3).index(), 1),
            (jan.plus(5).index(), 1),
        ]);
        let got: Vec<(String, u64, u64)> = series(&starts, &paid, jan.plus(5), 7)
            .into_iter()
            .map(|(m, e, a)| (m.to_string(), e, a))
            .collect();
        let expected = [
            ("2025-12", 0, 0),
            ("2026-01", 2, 2),
            ("2026-02", 2, 2),
            ("2026-03", 3, 2),
            ("2026-04", 3, 2),
            ("2026-05", 3, 1),
            ("2026-06", 3, 1),
        ];
        let expected: Vec<(String, u64, u64)> = expected.iter().map(|&(m, e, a)| (m.to_owned(), e, a)).collect();
        assert_eq!(got, expected);
    }
}
