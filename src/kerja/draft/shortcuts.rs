//! The pure rules behind the new form's shortcuts, testable natively: what a NIK fills in and
//! when, and the last choices kept per official on the device.

use leptos::prelude::window;
use pantau_core::intake::{EnrolmentDraft, PAID_MONTHS_CHOICES};
use pantau_core::{FundingSource, Month, Nik, Program, Sex};
use time::Date;

/// The birth date (`YYYY-MM-DD`, a date input's value) and the sex a complete, valid NIK
/// encodes; the date is `None` when no century makes it a past date.
pub fn nik_encodes(raw: &str, today: Date) -> Option<(Option<String>, Sex)> {
    let nik = Nik::parse(raw).ok()?;
    let birth_date = nik.birth_date(today).map(iso_date);
    Some((birth_date, nik.sex()))
}

/// Whether an automatic fill may write an input holding `current`: it is empty, or it still
/// holds `previous_fill` (the last automatic fill, if any).
pub fn may_fill(current: &str, previous_fill: Option<&str>) -> bool {
    current.is_empty() || previous_fill == Some(current)
}

pub(super) fn iso_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// The choices of an official's last enrolment, offered again for the next worker. Not
/// personal data; kept on the device per account, so another official signing in on the same
/// phone gets the usual choices, not these.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LastChoices {
    pub program: Option<Program>,
    pub funding: Option<FundingSource>,
    pub paid_months: Option<u16>,
}

impl LastChoices {
    /// The choices of an enrolled draft.
    pub fn of(draft: &EnrolmentDraft) -> Self {
        Self {
            program: draft.program,
            funding: draft.funding,
            paid_months: draft.paid_months,
        }
    }

    /// As stored on the device: JSON with the values' wire names.
    pub fn encode(&self) -> String {
        serde_json::json!({
            "program": self.program.map(Program::as_str),
            "funding": self.funding.map(FundingSource::as_str),
            "paid_months": self.paid_months,
        })
        .to_string()
    }

    /// Reads what [`LastChoices::encode`] stored. A value a later version no longer offers
    /// (a renamed program, a dropped number of months) is left out, not an error.
    pub fn decode(stored: &str) -> Self {
        let value: serde_json::Value = serde_json::from_str(stored).unwrap_or_default();
        let name = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
        Self {
            program: name("program").and_then(Program::parse),
            funding: name("funding").and_then(FundingSource::parse),
            paid_months: value
                .get("paid_months")
                .and_then(serde_json::Value::as_u64)
                .and_then(|m| u16::try_from(m).ok())
                .filter(|m| PAID_MONTHS_CHOICES.contains(m)),
        }
    }
}

/// The device storage key of `user`'s last choices.
pub fn choices_key(user: i64) -> String {
    format!("pantau.kerja.choices.{user}")
}

pub(super) fn remembered_choices(user: i64) -> Option<LastChoices> {
    let storage = window().local_storage().ok().flatten()?;
    let stored = storage.get_item(&choices_key(user)).ok().flatten()?;
    Some(LastChoices::decode(&stored))
}

pub(super) fn remember_choices(user: i64, choices: LastChoices) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        // Full or blocked storage only costs the shortcut.
        let _ = storage.set_item(&choices_key(user), &choices.encode());
    }
}

/// An empty form with `last` choices where there are some, else the usual ones: the JKK + JKM
/// package, no funding source, paid one month at a time; cover from this month.
pub fn starting_draft(today: Date, last: Option<LastChoices>) -> EnrolmentDraft {
    let last = last.unwrap_or_default();
    EnrolmentDraft {
        program: last.program.or(Some(Program::JkkJkm)),
        funding: last.funding,
        coverage_start: Month::of(today).to_string(),
        paid_months: last.paid_months.or(Some(1)),
        ..EnrolmentDraft::default()
    }
}

/// Whether nothing has been typed or chosen in `draft` yet: it is the usual starting form,
/// its village aside (an operator's is filled in when the form opens).
pub fn is_untouched(draft: &EnrolmentDraft, today: Date) -> bool {
    let usual = starting_draft(today, None);
    *draft
        == EnrolmentDraft {
            village: draft.village.clone(),
            ..usual
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 03 - 10);

    #[test]
    fn a_complete_nik_gives_its_birth_date_and_sex() {
        // Man born 15 Aug 1985; woman born 3 Jan 2001 (day + 40); spaces between groups.
        let cases = [
            ("3216011508850012", Some("1985-08-15"), Sex::Male),
            ("3216 0143 0101 0007", Some("2001-01-03"), Sex::Female),
            // Born in '25 is 2025, not 1925; in '27 (after today) is 1927.
            ("3216011008250001", Some("2025-08-10"), Sex::Male),
            ("3216011008270001", Some("1927-08-10"), Sex::Male),
        ];
        for (nik, birth, sex) in cases {
            let (got_birth, got_sex) = nik_encodes(nik, TODAY).unwrap_or_else(|| panic!("{nik} encodes"));
            assert_eq!(got_birth.as_deref(), birth, "birth date of {nik}");
            assert_eq!(got_sex, sex, "sex of {nik}");
        }
    }

    #[test]
    fn an_incomplete_or_invalid_nik_fills_nothing() {
        for nik in [
            "",
            "321601150885001",
            "32160115O8850012",
            "3216013208850012",
            "3216011508850000",
        ] {
            assert_eq!(nik_encodes(nik, TODAY), None, "{nik:?}");
        }
    }

    #[test]
    fn only_empty_inputs_or_the_previous_fill_are_written() {
        assert!(may_fill("", None), "empty");
        assert!(may_fill("", Some("1985-08-15")), "emptied");
        assert!(may_fill("1985-08-15", Some("1985-08-15")), "still the previous fill");
        assert!(!may_fill("1985-08-16", Some("1985-08-15")), "corrected by the official");
        assert!(!may_fill("1985-08-16", None), "typed by the official");
    }

    #[test]
    fn stored_choices_read_back_and_unknown_values_are_left_out() {
        let last = LastChoices {
            program: Some(Program::JkkJkmJht),
            funding: Some(FundingSource::Baznas),
            paid_months: Some(6),
        };
        assert_eq!(LastChoices::decode(&last.encode()), last);
        let odd = LastChoices::decode(r#"{"program":"jkk_only","funding":"csr","paid_months":5}"#);
        assert_eq!(
            odd,
            LastChoices {
                funding: Some(FundingSource::Csr),
                ..LastChoices::default()
            }
        );
        assert_eq!(LastChoices::decode("not json"), LastChoices::default());
        assert_ne!(choices_key(7), choices_key(8), "one key per official");
    }

    #[test]
    fn a_new_form_starts_with_the_last_choices_or_the_usual_ones() {
        let usual = starting_draft(TODAY, None);
        assert_eq!(usual.program, Some(Program::JkkJkm));
        assert_eq!(usual.funding, None);
        assert_eq!(usual.paid_months, Some(1));
        assert_eq!(usual.coverage_start, "2026-03");
        let last = LastChoices {
            program: Some(Program::JkkJkmJht),
            funding: Some(FundingSource::DanaDesa),
            paid_months: Some(3),
        };
        let next = starting_draft(TODAY, Some(last));
        assert_eq!(LastChoices::of(&next), last);
        assert!(
            next.nik.is_empty() && next.full_name.is_empty() && !next.consent,
            "nothing personal carried"
        );
        // Partial choices keep the usual ones for the rest.
        let partial = starting_draft(
            TODAY,
            Some(LastChoices {
                funding: Some(FundingSource::SelfPaid),
                ..LastChoices::default()
            }),
        );
        assert_eq!((partial.program, partial.paid_months), (Some(Program::JkkJkm), Some(1)));
    }

    #[test]
    fn a_form_is_untouched_until_something_is_typed_or_chosen() {
        let mut draft = starting_draft(TODAY, None);
        assert!(is_untouched(&draft, TODAY));
        draft.village = "32.16.01.2001".to_owned();
        assert!(
            is_untouched(&draft, TODAY),
            "the operator's village is filled in by the form"
        );
        let typed = EnrolmentDraft {
            full_name: "A".to_owned(),
            ..draft.clone()
        };
        assert!(!is_untouched(&typed, TODAY));
        let chosen = EnrolmentDraft {
            paid_months: Some(12),
            ..draft
        };
        assert!(!is_untouched(&chosen, TODAY));
    }
}
