//! Breakdowns of an area's workers by one dimension, and the rule that keeps small cells of a
//! village from identifying anybody.

use serde::{Deserialize, Serialize};

use crate::display::Language;
use crate::wire::WireName;
use crate::Level;
use crate::{FundingSource, Program, Segment, Sex};

/// Cells counting fewer people than this (but more than none) are shown as "<5" for villages.
pub const SMALL_CELL: u64 = 5;

/// How a suppressed cell is printed: "fewer than [`SMALL_CELL`]".
pub const SUPPRESSED_CELL: &str = "<5";

crate::wire_enum! {
    /// What a breakdown groups workers by, in display order.
    #[derive(PartialOrd, Ord)]
    pub enum Dimension: "dimension" {
        /// Who pays ([`crate::FundingSource`]).
        Funding = "funding",
        /// Occupation segment ([`crate::Segment`]).
        Segment = "segment",
        /// Program package ([`crate::Program`]).
        Program = "program",
        /// [`crate::Sex`].
        Sex = "sex",
        /// [`AgeBand`], from the birth year.
        AgeBand = "age_band",
    }
}

crate::wire_enum! {
    /// Age bands of working age (BPU members join from 15 and most stop before 65), youngest
    /// first.
    #[derive(PartialOrd, Ord)]
    pub enum AgeBand: "age band" {
        /// Under 25.
        Under25 = "under_25" { id: "Di bawah 25", en: "Under 25" },
        /// 25–34.
        From25To34 = "25_34" { id: "25–34", en: "25–34" },
        /// 35–44.
        From35To44 = "35_44" { id: "35–44", en: "35–44" },
        /// 45–54.
        From45To54 = "45_54" { id: "45–54", en: "45–54" },
        /// 55 and over.
        From55 = "55_plus" { id: "55 ke atas", en: "55 and over" },
    }
}

impl Dimension {
    /// The names of this dimension's categories, in display order: the rows of its breakdown.
    pub fn categories(self) -> &'static [&'static str] {
        match self {
            Dimension::Funding => FundingSource::NAMES,
            Dimension::Segment => Segment::NAMES,
            Dimension::Program => Program::NAMES,
            Dimension::Sex => Sex::NAMES,
            Dimension::AgeBand => AgeBand::NAMES,
        }
    }

    /// What the category named `value` of this dimension is called, `None` for a name it does
    /// not have.
    pub fn category_label(self, value: &str, language: Language) -> Option<&'static str> {
        match self {
            Dimension::Funding => FundingSource::parse(value).map(|v| v.label(language)),
            Dimension::Segment => Segment::parse(value).map(|v| v.label(language)),
            Dimension::Program => Program::parse(value).map(|v| v.label(language)),
            Dimension::Sex => Sex::parse(value).map(|v| v.label(language)),
            Dimension::AgeBand => AgeBand::parse(value).map(|v| v.label(language)),
        }
    }
}

impl AgeBand {
    /// The band of someone who turns `age` this year.
    pub fn of(age: i32) -> Self {
        match age {
            ..=24 => Self::Under25,
            25..=34 => Self::From25To34,
            35..=44 => Self::From35To44,
            45..=54 => Self::From45To54,
            _ => Self::From55,
        }
    }
}

/// One category of a breakdown. `None` means suppressed: shown as "<5".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakdownRow {
    /// Category, as its JSON name (`dana_desa`, `farmer`, `female`, `25_34`, …).
    pub value: String,
    /// Workers enrolled in this category.
    pub enrolled: Option<u64>,
    /// Of them, active now.
    pub active: Option<u64>,
}

/// Workers of an area by one dimension.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Breakdown {
    /// What the rows group by.
    pub dimension: Dimension,
    /// One row per category, in display order, zeros included.
    pub rows: Vec<BreakdownRow>,
}

/// Whether an area's breakdowns go out with small cells suppressed: in a village, a cell of
/// fewer than five people could point at someone; above it, cells mix many villages.
pub fn suppresses_small_cells(level: Level) -> bool {
    level == Level::Village
}

/// Makes an area's breakdowns fit to publish (the API, its CSV and the printed report all
/// call this): small cells suppressed where [`suppresses_small_cells`] says so. Returns
/// whether it suppressed them.
pub fn suppress_for_public(level: Level, breakdowns: &mut [Breakdown]) -> bool {
    let suppressed = suppresses_small_cells(level);
    if suppressed {
        breakdowns.iter_mut().for_each(|b| suppress_small_cells(&mut b.rows));
    }
    suppressed
}

/// A published cell as text: its count written by `count`, or [`SUPPRESSED_CELL`].
pub fn cell_text(cell: Option<u64>, count: impl FnOnce(u64) -> String) -> String {
    cell.map_or_else(|| SUPPRESSED_CELL.to_owned(), count)
}

/// Hides small cells so that no one in a village can be singled out, in either column:
/// every cell from 1 to 4 is suppressed, and when that leaves a single suppressed cell the
/// smallest other cell is suppressed too, so the area total minus the visible cells does
/// not give it back. An active cell is hidden wherever its enrolled cell is.
pub fn suppress_small_cells(rows: &mut [BreakdownRow]) {
    let enrolled: Vec<u64> = rows.iter().map(|r| r.enrolled.unwrap_or(0)).collect();
    let hide_enrolled = cells_to_hide(&enrolled, &vec![false; rows.len()]);
    let active: Vec<u64> = rows.iter().map(|r| r.active.unwrap_or(0)).collect();
    let hide_active = cells_to_hide(&active, &hide_enrolled);
    for ((row, he), ha) in rows.iter_mut().zip(hide_enrolled).zip(hide_active) {
        if he {
            row.enrolled = None;
        }
        if ha {
            row.active = None;
        }
    }
}

/// Which of the sibling areas under one parent, given their active workers, publish no
/// premium sum: a premium follows from the declared incomes, so an area with 1–4 active
/// workers hides it, and so does a partner (the smallest other area with workers) wherever
/// the parent's sum minus the visible ones would give back one hidden area's sum, or the
/// hidden parent's. Applied from the nation down (`parent_hidden` is the parent's decision),
/// the same areas are hidden on every page and export, so no subtraction across levels
/// undoes it.
pub fn premiums_to_hide(actives: &[u64], parent_hidden: bool) -> Vec<bool> {
    let mut hide: Vec<bool> = actives.iter().map(|&a| premium_hidden_alone(a)).collect();
    let hidden = hide.iter().filter(|&&h| h).count();
    let partner_needed = if parent_hidden { hidden == 0 } else { hidden == 1 };
    if partner_needed {
        // An area without workers has a known premium of 0: hiding it protects nothing.
        let partner = (0..actives.len())
            .filter(|&i| !hide[i] && actives[i] > 0)
            .min_by_key(|&i| actives[i]);
        if let Some(i) = partner {
            hide[i] = true;
        }
    }
    hide
}

/// Whether an area's premium sum is hidden on its own count: 1–4 active workers. The nation,
/// which has no siblings, is decided by this alone.
pub fn premium_hidden_alone(active: u64) -> bool {
    (1..SMALL_CELL).contains(&active)
}

fn cells_to_hide(values: &[u64], already: &[bool]) -> Vec<bool> {
    let mut hide: Vec<bool> = values
        .iter()
        .zip(already)
        .map(|(&v, &a)| a || (1..SMALL_CELL).contains(&v))
        .collect();
    if hide.iter().filter(|&&h| h).count() == 1 {
        // Complementary suppression: the smallest visible cell, preferring one with people in it.
        let partner = (0..values.len())
            .filter(|&i| !hide[i])
            .min_by_key(|&i| (values[i] == 0, values[i]));
        if let Some(i) = partner {
            hide[i] = true;
        }
    }
    hide
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn premiums_of_few_workers_are_hidden_with_a_partner_so_no_subtraction_gives_them_back() {
        // One small village in a visible district: it and the smallest other with workers.
        assert_eq!(premiums_to_hide(&[3, 40, 0, 12], false), [true, false, false, true]);
        // Two small ones hide each other.
        assert_eq!(premiums_to_hide(&[3, 40, 2], false), [true, false, true]);
        // Nothing small: all visible.
        assert_eq!(premiums_to_hide(&[30, 40, 0], false), [false, false, false]);
        // A hidden parent with no small child: its smallest child with workers is hidden, or
        // the children would add up to it.
        assert_eq!(premiums_to_hide(&[30, 40, 0], true), [true, false, false]);
        assert_eq!(premiums_to_hide(&[0, 60], true), [false, true]);
        // A hidden parent with a small child is safe as it is.
        assert_eq!(premiums_to_hide(&[3, 40], true), [true, false]);
        assert!(premium_hidden_alone(4) && !premium_hidden_alone(0) && !premium_hidden_alone(5));
    }

    fn rows(cells: &[(u64, u64)]) -> Vec<BreakdownRow> {
        cells
            .iter()
            .enumerate()
            .map(|(i, &(e, a))| BreakdownRow {
                value: i.to_string(),
                enrolled: Some(e),
                active: Some(a),
            })
            .collect()
    }

    fn shown(rows: &[BreakdownRow]) -> Vec<(Option<u64>, Option<u64>)> {
        rows.iter().map(|r| (r.enrolled, r.active)).collect()
    }

    #[test]
    fn large_cells_and_zeros_stay() {
        let mut r = rows(&[(40, 30), (0, 0), (12, 9)]);
        suppress_small_cells(&mut r);
        assert_eq!(
            shown(&r),
            [(Some(40), Some(30)), (Some(0), Some(0)), (Some(12), Some(9))]
        );
    }

    #[test]
    fn a_lone_small_cell_takes_the_next_smallest_with_it() {
        let mut r = rows(&[(40, 30), (3, 3), (12, 9), (0, 0)]);
        suppress_small_cells(&mut r);
        assert_eq!(
            shown(&r),
            [(Some(40), Some(30)), (None, None), (None, None), (Some(0), Some(0))]
        );
    }

    #[test]
    fn two_small_cells_protect_each_other() {
        let mut r = rows(&[(40, 30), (3, 2), (4, 4), (12, 9)]);
        suppress_small_cells(&mut r);
        assert_eq!(
            shown(&r),
            [(Some(40), Some(30)), (None, None), (None, None), (Some(12), Some(9))]
        );
    }

    #[test]
    fn a_small_active_cell_is_hidden_even_when_enrolled_is_large() {
        let mut r = rows(&[(40, 38), (20, 2), (30, 25)]);
        suppress_small_cells(&mut r);
        assert_eq!(shown(&r), [(Some(40), Some(38)), (Some(20), None), (Some(30), None)]);
    }

    #[test]
    fn a_single_small_category_hides_a_zero_so_all_or_nothing_is_not_revealed() {
        let mut r = rows(&[(3, 3), (0, 0)]);
        suppress_small_cells(&mut r);
        assert_eq!(shown(&r), [(None, None), (None, None)]);
    }

    #[test]
    fn only_village_breakdowns_are_published_suppressed() {
        let breakdown = |cells: &[(u64, u64)]| Breakdown {
            dimension: Dimension::Sex,
            rows: rows(cells),
        };
        let mut village = [breakdown(&[(3, 3), (40, 30)])];
        assert!(suppress_for_public(Level::Village, &mut village));
        assert_eq!(shown(&village[0].rows), [(None, None), (None, None)]);
        let mut district = [breakdown(&[(3, 3), (40, 30)])];
        assert!(!suppress_for_public(Level::District, &mut district));
        assert_eq!(shown(&district[0].rows), [(Some(3), Some(3)), (Some(40), Some(30))]);
    }

    #[test]
    fn a_suppressed_cell_reads_fewer_than_the_small_cell_limit() {
        assert_eq!(SUPPRESSED_CELL, format!("<{SMALL_CELL}"));
        assert_eq!(cell_text(None, |n| n.to_string()), "<5");
        assert_eq!(cell_text(Some(1234), |n| format!("{n}!")), "1234!");
    }

    #[test]
    fn every_category_has_a_label_in_both_languages() {
        for d in Dimension::ALL {
            assert!(!d.categories().is_empty(), "{d:?}");
            for value in d.categories() {
                for language in [Language::Id, Language::En] {
                    let label = d.category_label(value, language);
                    assert!(label.is_some_and(|l| !l.is_empty()), "{d:?} {value}");
                }
            }
            assert_eq!(d.category_label("nope", Language::Id), None);
        }
    }

    #[test]
    fn age_bands() {
        assert_eq!(AgeBand::of(18), AgeBand::Under25);
        assert_eq!(AgeBand::of(25), AgeBand::From25To34);
        assert_eq!(AgeBand::of(54), AgeBand::From45To54);
        assert_eq!(AgeBand::of(64), AgeBand::From55);
    }
}
