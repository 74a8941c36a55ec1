//! Property tests of `core`'s parsers and disclosure rules on arbitrary input (issue 18's
//! hostile suite): none panics, what is printed parses back, what is malformed is refused, and
//! the privacy rules hold for every input, not only the examples of the unit tests. The
//! parsers with their own properties beside them (region codes, NIK, the enrolment intake)
//! are covered there.

use pantau_core::account::{AccountFields, Role};
use pantau_core::breakdown::{premium_hidden_alone, premiums_to_hide, suppress_siblings, SMALL_CELL};
use pantau_core::workers::{AuditEntry, DeactivationReason, Status, NIK_CLUES};
use pantau_core::{Breakdown, BreakdownRow, Dimension, FundingSource, Month, Nik, Program, Segment, WireName};
use proptest::prelude::*;
use serde_json::json;
use time::OffsetDateTime;

/// A breakdown cell: (enrolled, active).
type Cell = (u64, u64);

/// Any text, control characters, scripts and far-away code points included.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f<>'\";=%&\\\\/ .a-zA-Z0-9-]{0,40}",
        Just("<script>alert(1)</script>".to_owned()),
        Just("'; DROP TABLE enrolment; --".to_owned()),
        Just("../../etc/passwd".to_owned()),
    ]
}

/// A wire enum's names parse back, and nothing else parses.
fn wire_round_trip<T: WireName + Copy + PartialEq + std::fmt::Debug>(other: &str) {
    for (&value, &name) in T::VALUES.iter().zip(T::NAMES) {
        assert_eq!(T::from_wire(name), Some(value), "{name}");
    }
    if !T::NAMES.contains(&other) {
        assert_eq!(T::from_wire(other), None, "{other:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn months_parse_back_what_they_print_and_refuse_the_rest(year in 1900i32..=9999, month in 1u8..=12, raw in hostile_text()) {
        let printed = format!("{year:04}-{month:02}");
        let parsed = Month::parse(&printed).unwrap();
        prop_assert_eq!(parsed.to_string(), printed);
        prop_assert_eq!((parsed.year(), parsed.month_number()), (year, month));
        // Anything else parses only to a month that prints as itself, trimmed.
        if let Ok(month) = Month::parse(&raw) {
            prop_assert_eq!(Month::parse(&month.to_string()), Ok(month));
        }
    }

    #[test]
    fn months_out_of_range_are_refused(year in 0i32..1900, month in 13u32..100) {
        let too_early = format!("{year:04}-01");
        let bad_month = format!("2026-{month}");
        prop_assert!(Month::parse(&too_early).is_err());
        prop_assert!(Month::parse(&bad_month).is_err());
        prop_assert!(Month::parse("2026-00").is_err());
    }

    #[test]
    fn account_fields_accept_only_what_the_rules_allow(username in hostile_text(), display in hostile_text(), email in hostile_text()) {
        match AccountFields::check(&username, &display, Some(&email)) {
            Ok(fields) => {
                prop_assert!((3..=32).contains(&fields.username.len()));
                prop_assert!(fields.username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c)));
                prop_assert!(!fields.display_name.is_empty() && !fields.display_name.chars().any(char::is_control));
                prop_assert_eq!(fields.display_name.trim(), fields.display_name.as_str());
                if let Some(email) = fields.email {
                    prop_assert!(email.contains('@') && !email.chars().any(|c| c.is_whitespace() || c == '<' || c == '>'));
                }
            }
            Err(problems) => prop_assert!(!problems.is_empty()),
        }
    }

    #[test]
    fn wire_names_parse_back_and_nothing_else_does(other in hostile_text()) {
        wire_round_trip::<Role>(&other);
        wire_round_trip::<Segment>(&other);
        wire_round_trip::<FundingSource>(&other);
        wire_round_trip::<Program>(&other);
        wire_round_trip::<Status>(&other);
        wire_round_trip::<DeactivationReason>(&other);
    }

    #[test]
    fn a_nik_of_any_text_parses_or_fails_cleanly_and_never_prints_itself_masked(raw in hostile_text()) {
        if let Ok(nik) = Nik::parse(&raw) {
            let masked = nik.masked();
            prop_assert!(!masked.contains(nik.expose_digits()));
            prop_assert_eq!(masked.chars().filter(|c| *c == '•').count(), 8);
        }
    }

    #[test]
    fn premiums_of_few_people_never_come_back_by_subtraction(actives in proptest::collection::vec(prop_oneof![Just(0u64), 1u64..5, 5u64..200], 0..12), hide_parent: bool) {
        let sum: u64 = actives.iter().sum();
        // The parent's own decision: forced for a parent of 1–4, free above (a partner).
        let parent_hidden = premium_hidden_alone(sum) || (hide_parent && sum > 0);
        let hidden = premiums_to_hide(&actives, parent_hidden);
        let hidden_with_people = actives.iter().zip(&hidden).filter(|(a, h)| **a > 0 && **h).count();
        for (a, h) in actives.iter().zip(&hidden) {
            if (1..SMALL_CELL).contains(a) {
                prop_assert!(*h, "{a} active shown");
            }
        }
        if parent_hidden {
            prop_assert!(sum == 0 || hidden_with_people >= 1, "the visible children add up to the hidden parent");
        } else {
            prop_assert!(hidden_with_people != 1, "parent minus the visible children gives one hidden area");
        }
    }

    #[test]
    fn small_breakdown_cells_never_come_back_by_subtraction(
        children in (2usize..6).prop_flat_map(|categories| proptest::collection::vec(proptest::collection::vec((prop_oneof![Just(0u64), 1u64..5, 5u64..40], 0u64..40), categories), 1..6))
    ) {
        // Cells (enrolled, active ≤ enrolled) of sibling areas, their parent the sum.
        let area = |cells: Vec<(u64, u64)>| vec![Breakdown {
            dimension: Dimension::Segment,
            rows: cells.into_iter().enumerate().map(|(i, (e, a))| BreakdownRow { value: i.to_string(), enrolled: Some(e), active: Some(a) }).collect(),
        }];
        let children: Vec<Vec<(u64, u64)>> = children.into_iter().map(|row| row.into_iter().map(|(e, a)| (e, a.min(e))).collect()).collect();
        let categories = children[0].len();
        let sums: Vec<(u64, u64)> = (0..categories).map(|c| children.iter().fold((0, 0), |s, row| (s.0 + row[c].0, s.1 + row[c].1))).collect();
        let mut parent = [area(sums.clone())];
        suppress_siblings(&mut parent, None);
        let mut siblings: Vec<_> = children.iter().cloned().map(area).collect();
        suppress_siblings(&mut siblings, Some(&parent[0]));
        let small = |n: u64| (1..SMALL_CELL).contains(&n);
        // Each published area with its raw cells, the parent last.
        let all: Vec<(&Vec<Breakdown>, &[Cell])> = siblings.iter().zip(children.iter().map(Vec::as_slice)).chain([(&parent[0], sums.as_slice())]).collect();
        for (published, raw) in &all {
            let rows = &published[0].rows;
            for (row, &(e, a)) in rows.iter().zip(raw.iter()) {
                prop_assert!(!small(e) || row.enrolled.is_none(), "{e} enrolled shown");
                prop_assert!(!(small(a) || small(e - a)) || row.active.is_none(), "{a} of {e} active shown");
                prop_assert!(row.enrolled.is_some() || row.active.is_none(), "active shown where enrolled is hidden");
            }
            if raw.iter().any(|&(e, _)| e > 0) {
                prop_assert_ne!(rows.iter().filter(|r| r.enrolled.is_none()).count(), 1, "area total minus its visible cells");
                prop_assert_ne!(rows.iter().filter(|r| r.active.is_none()).count(), 1, "area total minus its visible cells");
            }
        }
        for c in 0..categories {
            let column = |pick: fn(&BreakdownRow) -> Option<u64>| all.iter().filter(|(p, _)| pick(&p[0].rows[c]).is_none()).count();
            prop_assert_ne!(column(|r| r.enrolled), 1, "parent cell minus its children's visible cells");
            prop_assert_ne!(column(|r| r.active), 1, "parent cell minus its children's visible cells");
        }
    }

    #[test]
    fn an_audit_entry_without_nik_clues_holds_no_birth_date(date in "[0-9]{4}-[0-9]{2}-[0-9]{2}", other in "[0-9]{4}-[0-9]{2}-[0-9]{2}", created: bool) {
        let entry = AuditEntry {
            at: OffsetDateTime::UNIX_EPOCH,
            actor: "admin".into(),
            action: "enrolment.update".into(),
            subject: "enrolment/1".into(),
            area: "32.16.01.2001".into(),
            before: (!created).then(|| json!({ "birth_date": date, "sex": "male" })),
            after: Some(json!({ "birth_date": other, "sex": "male" })),
            hidden_changes: Vec::new(),
        };
        let entry = entry.without_nik_clues();
        let shown = format!("{:?} {:?}", entry.before, entry.after);
        for clue in NIK_CLUES {
            prop_assert!(!shown.contains(clue), "{shown}");
        }
        prop_assert!(!shown.contains(&date) && !shown.contains(&other));
    }
}
