//! Breakdowns of an area's workers by one dimension, and the rule that keeps small cells
//! from identifying anybody.

use serde::{Deserialize, Serialize};

use crate::display::Language;
use crate::wire::WireName;
use crate::{FundingSource, Program, Segment, Sex};

/// Cells counting fewer people than this (but more than none) are published as "<5".
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

/// Whether any cell of these breakdowns is suppressed.
pub fn any_suppressed(breakdowns: &[Breakdown]) -> bool {
    breakdowns
        .iter()
        .flat_map(|b| &b.rows)
        .any(|r| r.enrolled.is_none() || r.active.is_none())
}

/// A published cell as text: its count written by `count`, or [`SUPPRESSED_CELL`].
pub fn cell_text(cell: Option<u64>, count: impl FnOnce(u64) -> String) -> String {
    cell.map_or_else(|| SUPPRESSED_CELL.to_owned(), count)
}

/// Suppresses the cells of sibling areas' breakdowns (every area under one parent, each with
/// all of [`Dimension::ALL`] and all categories, raw counts) so that no one can be singled out
/// at any level, by reading or by subtraction:
///
/// - every cell of 1–4 people is hidden, enrolled or active, and so is an active cell whose
///   enrolled minus active (the lapsed) is 1–4, or whose enrolled cell is hidden;
/// - no published sum has exactly one hidden term: not an area's total (its categories), and
///   not the parent's cell (its children's same cells, the parent's own cell counting as a
///   term when it is hidden); where one would, the smallest other cell with people in it is
///   hidden too, until none does.
///
/// `parent` is the parent's breakdowns as published (decided first, from the nation down),
/// `None` for the nation, which has no siblings. Applied that way, a cell is hidden on every
/// page and export alike.
pub fn suppress_siblings(siblings: &mut [Vec<Breakdown>], parent: Option<&[Breakdown]>) {
    let Some(first) = siblings.first() else {
        return;
    };
    for d in 0..first.len() {
        let cells = |s: &Vec<Breakdown>, pick: fn(&BreakdownRow) -> Option<u64>| -> Vec<u64> {
            s[d].rows.iter().map(|r| pick(r).unwrap_or(0)).collect()
        };
        let enrolled: Vec<Vec<u64>> = siblings.iter().map(|s| cells(s, |r| r.enrolled)).collect();
        let active: Vec<Vec<u64>> = siblings.iter().map(|s| cells(s, |r| r.active)).collect();
        let parent_hidden = |pick: fn(&BreakdownRow) -> Option<u64>| -> Option<Vec<bool>> {
            parent.map(|p| p[d].rows.iter().map(|r| pick(r).is_none()).collect())
        };
        let mut hide_enrolled: Vec<Vec<bool>> = enrolled
            .iter()
            .map(|row| row.iter().map(|&e| small(e)).collect())
            .collect();
        settle(&enrolled, &mut hide_enrolled, parent_hidden(|r| r.enrolled).as_deref());
        let mut hide_active: Vec<Vec<bool>> = (0..siblings.len())
            .map(|s| {
                (0..active[s].len())
                    .map(|c| {
                        let (e, a) = (enrolled[s][c], active[s][c]);
                        hide_enrolled[s][c] || small(a) || small(e.saturating_sub(a))
                    })
                    .collect()
            })
            .collect();
        settle(&active, &mut hide_active, parent_hidden(|r| r.active).as_deref());
        for (s, sibling) in siblings.iter_mut().enumerate() {
            for (c, row) in sibling[d].rows.iter_mut().enumerate() {
                if hide_enrolled[s][c] {
                    row.enrolled = None;
                }
                if hide_active[s][c] {
                    row.active = None;
                }
            }
        }
    }
}

/// A count that could point at someone: 1–4.
fn small(n: u64) -> bool {
    (1..SMALL_CELL).contains(&n)
}

/// Hides more of `values` (one row per sibling, one column per category) until no row with
/// people in it has exactly one hidden cell, and no column has exactly one hidden cell
/// counting the parent's (`parent_hidden`, absent for the nation). A partner is the cell
/// that mends a second lone hidden cell at once if there is one, else the smallest visible
/// cell, one with people first. Columns go first: a lone child then takes exactly its
/// parent's hidden cells, which already satisfy its row.
fn settle(values: &[Vec<u64>], hide: &mut [Vec<bool>], parent_hidden: Option<&[bool]>) {
    let with_people: Vec<bool> = values.iter().map(|row| row.iter().any(|&v| v > 0)).collect();
    let in_row = |hide: &[Vec<bool>], s: usize| hide[s].iter().filter(|&&h| h).count();
    let in_column = |hide: &[Vec<bool>], parent: &[bool], c: usize| {
        (0..values.len()).filter(|&s| hide[s][c]).count() + usize::from(parent[c])
    };
    loop {
        let mut changed = false;
        if let Some(parent) = parent_hidden {
            for c in 0..parent.len() {
                if in_column(hide, parent, c) != 1 {
                    continue;
                }
                let partner = (0..values.len())
                    .filter(|&s| with_people[s] && !hide[s][c])
                    .min_by_key(|&s| (in_row(hide, s) != 1, values[s][c] == 0, values[s][c]));
                if let Some(s) = partner {
                    hide[s][c] = true;
                    changed = true;
                }
            }
        }
        for (s, row) in values.iter().enumerate() {
            if !with_people[s] || in_row(hide, s) != 1 {
                continue;
            }
            let mends_column = |c: usize| parent_hidden.is_some_and(|p| in_column(hide, p, c) == 1);
            let partner = (0..row.len())
                .filter(|&c| !hide[s][c])
                .min_by_key(|&c| (!mends_column(c), row[c] == 0, row[c]));
            if let Some(c) = partner {
                hide[s][c] = true;
                changed = true;
            }
        }
        if !changed {
            return;
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

    fn area(cells: &[(u64, u64)]) -> Vec<Breakdown> {
        vec![Breakdown {
            dimension: Dimension::Sex,
            rows: rows(cells),
        }]
    }

    /// A published cell: (enrolled, active), `None` where hidden.
    type Shown = (Option<u64>, Option<u64>);

    fn shown(area: &[Breakdown]) -> Vec<Shown> {
        area[0].rows.iter().map(|r| (r.enrolled, r.active)).collect()
    }

    /// The nation's cells, which have no siblings.
    fn alone(cells: &[(u64, u64)]) -> Vec<Shown> {
        let mut areas = [area(cells)];
        suppress_siblings(&mut areas, None);
        shown(&areas[0])
    }

    /// Sibling areas' cells under a parent whose own cells were decided alone.
    fn under_parent(children: &[&[(u64, u64)]]) -> (Vec<Shown>, Vec<Vec<Shown>>) {
        let mut parent_cells = vec![(0, 0); children[0].len()];
        for child in children {
            for (sum, (e, a)) in parent_cells.iter_mut().zip(child.iter()) {
                sum.0 += e;
                sum.1 += a;
            }
        }
        let mut parent = [area(&parent_cells)];
        suppress_siblings(&mut parent, None);
        let mut siblings: Vec<_> = children.iter().map(|c| area(c)).collect();
        suppress_siblings(&mut siblings, Some(&parent[0]));
        (shown(&parent[0]), siblings.iter().map(|s| shown(s)).collect())
    }

    #[test]
    fn large_cells_and_zeros_stay() {
        assert_eq!(
            alone(&[(40, 30), (0, 0), (12, 7)]),
            [(Some(40), Some(30)), (Some(0), Some(0)), (Some(12), Some(7))]
        );
    }

    #[test]
    fn a_lone_small_cell_takes_the_next_smallest_with_it() {
        assert_eq!(
            alone(&[(40, 30), (3, 3), (12, 7), (0, 0)]),
            [(Some(40), Some(30)), (None, None), (None, None), (Some(0), Some(0))]
        );
    }

    #[test]
    fn two_small_cells_protect_each_other() {
        assert_eq!(
            alone(&[(40, 30), (3, 2), (4, 4), (12, 7)]),
            [(Some(40), Some(30)), (None, None), (None, None), (Some(12), Some(7))]
        );
    }

    #[test]
    fn a_small_active_cell_is_hidden_even_when_enrolled_is_large() {
        assert_eq!(
            alone(&[(40, 30), (20, 2), (30, 25)]),
            [(Some(40), Some(30)), (Some(20), None), (Some(30), None)]
        );
    }

    #[test]
    fn a_few_lapsed_hide_the_active_cell_so_enrolled_minus_active_gives_nothing() {
        // 40 − 38: two people stopped paying.
        assert_eq!(
            alone(&[(40, 38), (20, 10), (30, 25)]),
            [(Some(40), None), (Some(20), None), (Some(30), Some(25))]
        );
    }

    #[test]
    fn a_single_small_category_hides_a_zero_so_all_or_nothing_is_not_revealed() {
        assert_eq!(alone(&[(3, 3), (0, 0)]), [(None, None), (None, None)]);
    }

    #[test]
    fn a_lone_village_publishes_exactly_what_its_district_does() {
        let village: &[(u64, u64)] = &[(3, 3), (30, 24), (12, 6)];
        let (district, villages) = under_parent(&[village, &[(0, 0); 3]]);
        assert_eq!(district, [(None, None), (Some(30), Some(24)), (None, None)]);
        assert_eq!(villages[0], district);
        assert_eq!(
            villages[1],
            [(Some(0), Some(0)); 3],
            "a village without people hides nothing"
        );
    }

    #[test]
    fn a_district_cell_is_never_its_villages_visible_cells_plus_one_hidden() {
        // Three villages by sex; the district shows all of its own cells.
        let (district, villages) = under_parent(&[&[(3, 3), (20, 15)], &[(10, 5), (10, 5)], &[(8, 8), (12, 7)]]);
        assert_eq!(district, [(Some(21), Some(16)), (Some(42), Some(27))]);
        // The small village and the one that closes its rectangle are hidden; the third shows.
        assert_eq!(villages[0], [(None, None), (None, None)]);
        assert_eq!(villages[1], [(Some(10), Some(5)), (Some(10), Some(5))]);
        assert_eq!(villages[2], [(None, None), (None, None)]);
    }

    #[test]
    fn a_hidden_district_cell_is_not_the_sum_of_its_villages_visible_cells() {
        // The district's 4 women are hidden: its villages may not all show theirs.
        let (district, villages) = under_parent(&[&[(0, 0), (20, 15)], &[(4, 4), (10, 5)], &[(0, 0), (12, 7)]]);
        assert_eq!(district[0], (None, None));
        let hidden_women = villages.iter().filter(|v| v[0].0.is_none()).count();
        assert!(hidden_women >= 1, "{villages:?}");
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
