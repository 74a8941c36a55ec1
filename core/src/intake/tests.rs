use std::collections::HashSet;

use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::nik::NikError;

const TODAY: Date = date!(2026 - 11 - 23);
/// DOMAIN.md's example: a man born 5 July 1990, first registered in district 32.16.01.
const NIK: &str = "3216010507900012";
const NAME: &str = "Budi Santoso";

fn known(district: &str) -> bool {
    district == "32.16.01"
}

fn check(draft: &EnrolmentDraft) -> Assessment {
    assess(draft, TODAY, &PremiumRules::default(), &known)
}

fn valid(draft: &EnrolmentDraft) -> Result<ValidEnrolment, Vec<FieldProblem>> {
    validate(draft, TODAY, &PremiumRules::default(), &known)
}

fn good_draft() -> EnrolmentDraft {
    EnrolmentDraft {
        nik: NIK.into(),
        full_name: NAME.into(),
        birth_date: "1990-07-05".into(),
        sex: Some(Sex::Male),
        phone: "0812-3456-7890".into(),
        address: "RT 01/RW 02, Dusun Krajan".into(),
        segment: Some(Segment::Farmer),
        occupation_other: String::new(),
        village: "32.16.01.2001".into(),
        program: Some(Program::JkkJkm),
        income: Some(1_000_000),
        funding: Some(FundingSource::DanaDesa),
        sponsor: String::new(),
        coverage_start: "2026-11".into(),
        paid_months: Some(12),
        membership_number: String::new(),
        consent: true,
    }
}

fn with(change: impl FnOnce(&mut EnrolmentDraft)) -> EnrolmentDraft {
    let mut draft = good_draft();
    change(&mut draft);
    draft
}

#[test]
fn the_example_draft_validates_and_is_paid_through_eleven_months_after_start() {
    let draft = good_draft();
    assert!(check(&draft).problems.is_empty(), "{:?}", check(&draft).problems);
    let enrolment = valid(&draft).unwrap();
    assert_eq!(enrolment.nik.expose_digits(), NIK);
    assert_eq!(enrolment.nik.district_code(), "32.16.01");
    assert_eq!(enrolment.birth_date, date!(1990 - 07 - 05));
    assert_eq!(enrolment.sex, Sex::Male);
    assert_eq!(enrolment.phone.as_deref(), Some("081234567890"));
    assert_eq!(enrolment.start.to_string(), "2026-11");
    assert_eq!(enrolment.paid_through, coverage::paid_through(enrolment.start, 12));
    assert_eq!(enrolment.paid_through.to_string(), "2027-10");
    assert_eq!(enrolment.occupation_other, None);
    assert_eq!(enrolment.sponsor, None);
    assert!(enrolment.warnings.is_empty());
}

#[test]
fn paid_through_is_start_plus_months_minus_one_for_every_choice() {
    for months in PAID_MONTHS_CHOICES {
        let enrolment = valid(&with(|d| d.paid_months = Some(months))).unwrap();
        assert_eq!(enrolment.paid_through, enrolment.start.plus(i32::from(months) - 1));
    }
}

#[test]
fn a_womans_nik_adds_forty_to_the_day() {
    let draft = with(|d| {
        d.nik = "3216014507900012".into();
        d.full_name = "Siti Aminah".into();
        d.sex = Some(Sex::Female);
    });
    let enrolment = valid(&draft).unwrap();
    assert_eq!(enrolment.sex, Sex::Female);
    assert_eq!(enrolment.birth_date, date!(1990 - 07 - 05));
    // The man's sex on a woman's NIK is refused on the sex field only.
    let wrong = check(&with(|d| d.nik = "3216014507900012".into()));
    assert_eq!(wrong.problems.len(), 1);
    assert_eq!(wrong.problem_for(Field::Sex).unwrap().problem, Problem::SexNotInNik);
}

#[test]
fn values_are_normalised() {
    let enrolment = valid(&with(|d| {
        d.nik = " 3216 0105 0790 0012 ".into();
        d.full_name = "  Ni  Luh\u{a0}Putu   Ayu ".into();
        d.phone = "+62 812 3456 7890".into();
        d.address = " RT 01/RW 02,   Dusun Krajan ".into();
        d.segment = Some(Segment::Other);
        d.occupation_other = " Pengrajin  bambu ".into();
        d.funding = Some(FundingSource::Csr);
        d.sponsor = " PT Maju  Jaya ".into();
        d.membership_number = "123 4567 8901".into();
        d.village = " 32.16.01.2001 ".into();
    }))
    .unwrap();
    assert_eq!(enrolment.nik.expose_digits(), NIK);
    assert_eq!(enrolment.full_name, "Ni Luh Putu Ayu");
    assert_eq!(enrolment.phone.as_deref(), Some("081234567890"));
    assert_eq!(enrolment.address, "RT 01/RW 02, Dusun Krajan");
    assert_eq!(enrolment.occupation_other.as_deref(), Some("Pengrajin bambu"));
    assert_eq!(enrolment.sponsor.as_deref(), Some("PT Maju Jaya"));
    assert_eq!(enrolment.membership_number.as_deref(), Some("12345678901"));
    assert_eq!(enrolment.village.as_str(), "32.16.01.2001");
    for phone in ["6281234567890", "081234567890", "0812 3456 789", "+62-812-3456-7890"] {
        assert!(valid(&with(|d| d.phone = phone.into())).is_ok(), "{phone}");
    }
    for name in ["Ma'ruf Amin", "H. Abd. Rahman, S.Pd.", "Jean-Pierre", "Ma’ruf", "Ömer"] {
        assert!(valid(&with(|d| d.full_name = name.into())).is_ok(), "{name}");
    }
}

#[test]
fn premium_follows_the_published_figures() {
    // JKK+JKM at Rp1.000.000: Rp16.800 a month, Rp201.600 for 12 months.
    let quote = check(&good_draft()).premium.unwrap();
    assert_eq!(
        quote,
        PremiumQuote {
            jkk: 10_000,
            jkm: 6_800,
            jht: 0,
            monthly: 16_800,
            months: 12,
            total: 201_600
        }
    );
    // With JHT: Rp36.800 a month.
    let with_jht = check(&with(|d| {
        d.program = Some(Program::JkkJkmJht);
        d.paid_months = Some(1);
    }))
    .premium
    .unwrap();
    assert_eq!(
        (with_jht.jht, with_jht.monthly, with_jht.total),
        (20_000, 36_800, 36_800)
    );
    // Until the months are valid, one month is quoted; without program or income, nothing.
    assert_eq!(check(&with(|d| d.paid_months = Some(2))).premium.unwrap().total, 16_800);
    assert_eq!(check(&with(|d| d.paid_months = None)).premium.unwrap().months, 1);
    assert_eq!(check(&with(|d| d.program = None)).premium, None);
    assert_eq!(check(&with(|d| d.income = Some(1_200_000))).premium, None);
}

#[test]
fn quote_parts_add_up_to_the_rules_monthly_premium() {
    let rules = PremiumRules::default();
    for program in Program::ALL {
        for income in [1_000_000, 1_500_000, 7_500_000, HIGHEST_INCOME] {
            let quote = PremiumQuote::new(&rules, program, income, 6);
            assert_eq!(quote.jkk + quote.jkm + quote.jht, quote.monthly);
            assert_eq!(quote.monthly, rules.monthly(program, income));
            assert_eq!(quote.total, rules.for_months(program, income, 6));
        }
    }
}

/// One draft per problem, each differing from the good draft in one field (or in the fields
/// that must change together).
fn cases() -> Vec<(&'static str, EnrolmentDraft, Field, Problem)> {
    use Problem as P;
    vec![
        (
            "empty name",
            with(|d| d.full_name = "   ".into()),
            Field::FullName,
            P::Required,
        ),
        (
            "one letter",
            with(|d| d.full_name = "A".into()),
            Field::FullName,
            P::TooShort,
        ),
        (
            "address of four characters",
            with(|d| d.address = "RT 1".into()),
            Field::Address,
            P::TooShort,
        ),
        (
            "name of 101 letters",
            with(|d| d.full_name = "a".repeat(101)),
            Field::FullName,
            P::TooLong,
        ),
        (
            "address of 201",
            with(|d| d.address = "x".repeat(201)),
            Field::Address,
            P::TooLong,
        ),
        (
            "digits in name",
            with(|d| d.full_name = "Budi 2".into()),
            Field::FullName,
            P::NameCharacters,
        ),
        (
            "markup in name",
            with(|d| d.full_name = "<script>".into()),
            Field::FullName,
            P::NameCharacters,
        ),
        (
            "symbols in name",
            with(|d| d.full_name = "Budi;(x)=\"1\"".into()),
            Field::FullName,
            P::NameCharacters,
        ),
        (
            "tab in name",
            with(|d| d.full_name = "Budi\tSantoso".into()),
            Field::FullName,
            P::NameCharacters,
        ),
        (
            "NUL in name",
            with(|d| d.full_name = "Budi\u{0}".into()),
            Field::FullName,
            P::NameCharacters,
        ),
        (
            "bidi override",
            with(|d| d.full_name = "Budi\u{202e}".into()),
            Field::FullName,
            P::NameCharacters,
        ),
        (
            "punctuation only",
            with(|d| d.full_name = "..".into()),
            Field::FullName,
            P::NameCharacters,
        ),
        (
            "markup in address",
            with(|d| d.address = "RT 01 <b>x</b>".into()),
            Field::Address,
            P::TextCharacters,
        ),
        (
            "line break in address",
            with(|d| d.address = "RT 01\nRW 02".into()),
            Field::Address,
            P::TextCharacters,
        ),
        (
            "markup in sponsor",
            with(|d| {
                d.funding = Some(FundingSource::Csr);
                d.sponsor = "PT <i>".into();
            }),
            Field::Sponsor,
            P::TextCharacters,
        ),
        (
            "15 digits",
            with(|d| d.nik = "321601050790001".into()),
            Field::Nik,
            P::NikLength,
        ),
        (
            "17 digits",
            with(|d| d.nik = "32160105079000123".into()),
            Field::Nik,
            P::NikLength,
        ),
        (
            "letter O",
            with(|d| d.nik = "32160105079O0012".into()),
            Field::Nik,
            P::NikNotDigits,
        ),
        (
            "short and a letter",
            with(|d| d.nik = "3216x".into()),
            Field::Nik,
            P::NikNotDigits,
        ),
        (
            "province 09",
            with(|d| d.nik = "0916010507900012".into()),
            Field::Nik,
            P::NikRegion,
        ),
        (
            "day 32",
            with(|d| d.nik = "3216013207900012".into()),
            Field::Nik,
            P::NikBirthDate,
        ),
        (
            "29 Feb '01",
            with(|d| d.nik = "3216012902010012".into()),
            Field::Nik,
            P::NikBirthDate,
        ),
        (
            "serial 0000",
            with(|d| d.nik = "3216010507900000".into()),
            Field::Nik,
            P::NikSerial,
        ),
        (
            "district 32.99.01",
            with(|d| d.nik = "3299010507900012".into()),
            Field::Nik,
            P::NikDistrictUnknown,
        ),
        (
            "30 February",
            with(|d| d.birth_date = "1990-02-30".into()),
            Field::BirthDate,
            P::BirthDateInvalid,
        ),
        (
            "day first",
            with(|d| d.birth_date = "05-07-1990".into()),
            Field::BirthDate,
            P::BirthDateInvalid,
        ),
        (
            "before 1900",
            with(|d| d.birth_date = "1890-07-05".into()),
            Field::BirthDate,
            P::BirthDateInvalid,
        ),
        (
            "tomorrow",
            with(|d| d.birth_date = "2026-11-24".into()),
            Field::BirthDate,
            P::BirthDateFuture,
        ),
        (
            "a day off",
            with(|d| d.birth_date = "1990-07-06".into()),
            Field::BirthDate,
            P::BirthDateNotInNik,
        ),
        (
            "a century off is fine, but 1991 is not",
            with(|d| d.birth_date = "1991-07-05".into()),
            Field::BirthDate,
            P::BirthDateNotInNik,
        ),
        (
            "female on a man's NIK",
            with(|d| d.sex = Some(Sex::Female)),
            Field::Sex,
            P::SexNotInNik,
        ),
        (
            "eleven years old",
            with(|d| {
                d.nik = "3216010501150012".into();
                d.birth_date = "2015-01-05".into();
            }),
            Field::BirthDate,
            P::AgeOutsideRange,
        ),
        (
            "66 when cover starts",
            with(|d| {
                d.nik = "3216011510600012".into();
                d.birth_date = "1960-10-15".into();
            }),
            Field::BirthDate,
            P::AgeOutsideRange,
        ),
        (
            "landline",
            with(|d| d.phone = "021-1234567".into()),
            Field::Phone,
            P::PhoneInvalid,
        ),
        (
            "nine digits",
            with(|d| d.phone = "081234567".into()),
            Field::Phone,
            P::PhoneInvalid,
        ),
        (
            "fourteen digits",
            with(|d| d.phone = "08123456789012".into()),
            Field::Phone,
            P::PhoneInvalid,
        ),
        (
            "+62 then 0",
            with(|d| d.phone = "+62 0812 3456 7890".into()),
            Field::Phone,
            P::PhoneInvalid,
        ),
        (
            "half a million",
            with(|d| d.income = Some(500_000)),
            Field::Income,
            P::IncomeBelowLowest,
        ),
        (
            "between tiers",
            with(|d| d.income = Some(1_200_000)),
            Field::Income,
            P::IncomeNotTier,
        ),
        (
            "a tier above the cap",
            with(|d| d.income = Some(100_500_000)),
            Field::Income,
            P::IncomeTooHigh,
        ),
        (
            "u64::MAX",
            with(|d| d.income = Some(u64::MAX)),
            Field::Income,
            P::IncomeTooHigh,
        ),
        (
            "month 13",
            with(|d| d.coverage_start = "2026-13".into()),
            Field::CoverageStart,
            P::CoverageStartInvalid,
        ),
        (
            "one-digit month",
            with(|d| d.coverage_start = "2026-1".into()),
            Field::CoverageStart,
            P::CoverageStartInvalid,
        ),
        (
            "a full date",
            with(|d| d.coverage_start = "2026-11-01".into()),
            Field::CoverageStart,
            P::CoverageStartInvalid,
        ),
        (
            "four months back",
            with(|d| d.coverage_start = "2026-07".into()),
            Field::CoverageStart,
            P::CoverageStartTooEarly,
        ),
        (
            "thirteen months on",
            with(|d| d.coverage_start = "2027-12".into()),
            Field::CoverageStart,
            P::CoverageStartTooLate,
        ),
        (
            "two months",
            with(|d| d.paid_months = Some(2)),
            Field::PaidMonths,
            P::PaidMonthsInvalid,
        ),
        (
            "zero months",
            with(|d| d.paid_months = Some(0)),
            Field::PaidMonths,
            P::PaidMonthsInvalid,
        ),
        (
            "ten digits",
            with(|d| d.membership_number = "1234567890".into()),
            Field::MembershipNumber,
            P::MembershipNumberInvalid,
        ),
        (
            "letters",
            with(|d| d.membership_number = "KPJ12345678".into()),
            Field::MembershipNumber,
            P::MembershipNumberInvalid,
        ),
        (
            "no consent",
            with(|d| d.consent = false),
            Field::Consent,
            P::ConsentRequired,
        ),
        (
            "a district",
            with(|d| d.village = "32.16.01".into()),
            Field::Village,
            P::VillageInvalid,
        ),
        (
            "a name",
            with(|d| d.village = "Sukamaju".into()),
            Field::Village,
            P::VillageInvalid,
        ),
        (
            "other occupation missing",
            with(|d| d.segment = Some(Segment::Other)),
            Field::OccupationOther,
            P::Required,
        ),
        (
            "CSR without company",
            with(|d| d.funding = Some(FundingSource::Csr)),
            Field::Sponsor,
            P::Required,
        ),
    ]
}

#[test]
fn each_problem_is_found_on_its_field_and_nowhere_else() {
    let mut seen = HashSet::new();
    for (why, draft, field, problem) in cases() {
        let assessment = check(&draft);
        assert_eq!(assessment.problems, vec![FieldProblem::new(field, problem)], "{why}");
        assert_eq!(assessment.problem_for(field).map(|p| p.problem), Some(problem), "{why}");
        match valid(&draft) {
            Ok(enrolment) => {
                assert_eq!(problem.severity(), Severity::Warning, "{why}");
                assert_eq!(enrolment.warnings, assessment.problems, "{why}");
            }
            Err(errors) => {
                assert_eq!(problem.severity(), Severity::Error, "{why}");
                assert_eq!(errors, assessment.problems, "{why}");
            }
        }
        seen.insert(problem);
    }
    // Found by the server against its database, not by the form's own check.
    let server_only = [
        Problem::VillageUnknown,
        Problem::VillageFixed,
        Problem::NikFixed,
        Problem::NikChangedByExcel,
        Problem::ChoiceUnknown,
        Problem::DuplicateInFile,
        Problem::AlreadyEnrolled,
        Problem::VillageOutsideArea,
    ];
    let all: HashSet<Problem> = Problem::ALL.into_iter().filter(|p| !server_only.contains(p)).collect();
    assert_eq!(seen, all, "every problem needs a case");
}

#[test]
fn limits_are_inclusive() {
    let fine = [
        with(|d| d.full_name = "Al".into()),
        with(|d| d.full_name = "a".repeat(100)),
        with(|d| d.address = "RT 01".into()),
        with(|d| d.address = "x".repeat(200)),
        with(|d| d.coverage_start = "2026-08".into()),
        with(|d| d.coverage_start = "2027-11".into()),
        with(|d| d.income = Some(HIGHEST_INCOME)),
        with(|d| {
            // 65 on the first day of the start month (born 1 November 1961).
            d.nik = "3216010111610012".into();
            d.birth_date = "1961-11-01".into();
        }),
        with(|d| {
            // 15 on the first day of the start month.
            d.nik = "3216010111110012".into();
            d.birth_date = "2011-11-01".into();
        }),
        with(|d| {
            // A century before the NIK's own reading of '25: the NIK cannot tell them apart.
            d.nik = "3216010507250012".into();
            d.birth_date = "1925-07-05".into();
        }),
    ];
    for draft in fine {
        let errors: Vec<_> = check(&draft).errors().cloned().collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
}

#[test]
fn an_empty_form_asks_for_every_required_field_once() {
    let assessment = check(&EnrolmentDraft::default());
    let fields: Vec<Field> = assessment.problems.iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [
            Field::Nik,
            Field::FullName,
            Field::BirthDate,
            Field::Sex,
            Field::Address,
            Field::Segment,
            Field::Village,
            Field::Program,
            Field::Income,
            Field::Funding,
            Field::CoverageStart,
            Field::PaidMonths,
            Field::Consent,
        ]
    );
    for problem in &assessment.problems {
        let expected = if problem.field == Field::Consent {
            Problem::ConsentRequired
        } else {
            Problem::Required
        };
        assert_eq!(problem.problem, expected, "{:?}", problem.field);
    }
    assert_eq!(assessment.premium, None);
    assert!(!assessment.is_valid());
}

#[test]
fn sex_and_birth_date_are_checked_against_the_nik_only_when_it_is_valid() {
    let assessment = check(&with(|d| {
        d.nik = "3216".into();
        d.sex = Some(Sex::Female);
        d.birth_date = "2000-01-01".into();
    }));
    let problems: Vec<_> = assessment.problems.iter().map(|p| (p.field, p.problem)).collect();
    assert_eq!(problems, [(Field::Nik, Problem::NikLength)]);
}

#[test]
fn an_error_hides_the_warning_of_the_same_field() {
    // Unknown district and serial 0000: the serial is the error, no warning besides.
    let assessment = check(&with(|d| d.nik = "3299010507900000".into()));
    assert_eq!(assessment.problems.len(), 1);
    assert_eq!(assessment.problem_for(Field::Nik).unwrap().problem, Problem::NikSerial);
}

#[test]
fn problem_for_prefers_an_error_and_warnings_do_not_block() {
    let assessment = Assessment {
        problems: vec![
            FieldProblem::new(Field::Nik, Problem::NikDistrictUnknown),
            FieldProblem::new(Field::Nik, Problem::NikSerial),
        ],
        premium: None,
    };
    assert_eq!(assessment.problem_for(Field::Nik).unwrap().problem, Problem::NikSerial);
    assert_eq!(assessment.problem_for(Field::Phone), None);
    assert_eq!(assessment.errors().count(), 1);
    assert_eq!(assessment.warnings().count(), 1);

    let enrolment = valid(&with(|d| d.nik = "3299010507900012".into())).unwrap();
    assert_eq!(
        enrolment.warnings,
        [FieldProblem::new(Field::Nik, Problem::NikDistrictUnknown)]
    );
}

#[test]
fn the_occupation_and_company_are_ignored_when_not_asked_for() {
    let enrolment = valid(&with(|d| {
        d.occupation_other = "<left over>".into();
        d.sponsor = "\u{0}".into();
    }))
    .unwrap();
    assert_eq!((enrolment.occupation_other, enrolment.sponsor), (None, None));
}

#[test]
fn debug_output_is_masked() {
    let draft = good_draft();
    let shown = format!("{draft:?}");
    assert!(
        shown.starts_with("EnrolmentDraft { village: Some(\"32.16.01.2001\")"),
        "{shown}"
    );
    assert!(shown.ends_with(", .. }"), "{shown}");
    let enrolment = valid(&draft).unwrap();
    let shown = format!("{enrolment:?}");
    assert!(shown.contains("3216••••••••0012"), "{shown}");
    for secret in [NIK, NAME, "1990", "0812", "Krajan"] {
        assert!(!format!("{draft:?}").contains(secret), "{secret}");
        assert!(!shown.contains(secret), "{secret}");
    }
}

#[test]
fn serialised_names_are_snake_case() {
    let json = serde_json::to_value(FieldProblem::new(Field::CoverageStart, Problem::CoverageStartTooEarly)).unwrap();
    assert_eq!(json["field"], "coverage_start");
    assert_eq!(json["problem"], "coverage_start_too_early");
    assert_eq!(json["severity"], "error");
    assert_eq!(
        serde_json::to_value(Problem::NikDistrictUnknown).unwrap(),
        "nik_district_unknown"
    );
    assert_eq!(serde_json::to_value(Severity::Warning).unwrap(), "warning");
    // A partial body reads with defaults, as the form starts empty.
    let draft: EnrolmentDraft = serde_json::from_str(r#"{"nik":"3216010507900012","sex":"male"}"#).unwrap();
    assert_eq!((draft.sex, draft.consent), (Some(Sex::Male), false));
}

#[test]
fn every_nik_error_maps_to_its_own_problem() {
    let errors = [
        NikError::Length,
        NikError::NotDigits,
        NikError::Region,
        NikError::BirthDate,
        NikError::Serial,
    ];
    let problems: HashSet<Problem> = errors.into_iter().map(Problem::from).collect();
    assert_eq!(problems.len(), errors.len());
}

#[test]
fn messages_are_present_distinct_and_fixed_text() {
    let mut id = HashSet::new();
    let mut en = HashSet::new();
    for problem in Problem::ALL {
        let (bahasa, english) = (problem.message_id(), problem.message_en());
        for message in [bahasa, english] {
            assert!(message.len() > 10, "{problem:?}");
            assert!(!message.contains('{') && !message.contains('}'), "{problem:?}");
            assert!(message.ends_with('.'), "{problem:?}");
        }
        assert_ne!(bahasa, english, "{problem:?}");
        assert!(id.insert(bahasa), "{problem:?} repeats a Bahasa message");
        assert!(en.insert(english), "{problem:?} repeats an English message");
        assert_eq!(FieldProblem::new(Field::Nik, problem).message, bahasa);
    }
    assert_eq!(id.len(), Problem::ALL.len());
}

#[test]
fn messages_state_the_limits_in_force() {
    let both = |problem: Problem, figure: &str| {
        assert!(problem.message_id().contains(figure), "{problem:?} {figure}");
        assert!(problem.message_en().contains(figure), "{problem:?} {figure}");
    };
    both(Problem::AgeOutsideRange, &format!("{YOUNGEST_AGE}–{OLDEST_AGE}"));
    both(
        Problem::PhoneInvalid,
        &format!("{}–{}", PHONE_DIGITS.start(), PHONE_DIGITS.end()),
    );
    both(Problem::MembershipNumberInvalid, &MEMBERSHIP_NUMBER_DIGITS.to_string());
    both(
        Problem::CoverageStartTooEarly,
        &coverage::ARREARS_GRACE_MONTHS.to_string(),
    );
    both(Problem::CoverageStartTooLate, &MONTHS_AHEAD.to_string());
    for limits in [FULL_NAME_CHARS, ADDRESS_CHARS, OCCUPATION_OTHER_CHARS, SPONSOR_CHARS] {
        both(Problem::TooShort, &limits.start().to_string());
        both(Problem::TooLong, &limits.end().to_string());
    }
    let months = PAID_MONTHS_CHOICES.map(|m| m.to_string());
    both(
        Problem::PaidMonthsInvalid,
        &format!("{}, {}, {}", months[0], months[1], months[2]),
    );
    assert!(Problem::IncomeTooHigh.message_id().contains("Rp100.000.000"));
    assert_eq!(HIGHEST_INCOME, 100_000_000);
}

#[test]
fn consent_text_states_purpose_law_and_nik() {
    for needle in ["BPJS Ketenagakerjaan", "27 Tahun 2022", "NIK", "desa"] {
        assert!(CONSENT_TEXT_ID.contains(needle), "{needle}");
    }
    for needle in ["BPJS Ketenagakerjaan", "27 of 2022", "NIK", "village"] {
        assert!(CONSENT_TEXT_EN.contains(needle), "{needle}");
    }
    assert_eq!(CONSENT_VERSION, "2026-11");
}

/// Text that is mostly the good value or nearly it, sometimes anything at all: weighted so
/// that a fair share of whole drafts validate and both outcomes are exercised.
fn text_or(good: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        12 => Just(good.to_owned()),
        2 => Just(format!(" {good} ")),
        1 => any::<String>(),
        1 => "[0-9 .+-]{0,20}",
    ]
}

prop_compose! {
    fn any_draft()(
        nik in text_or(NIK),
        full_name in text_or(NAME),
        birth_date in text_or("1990-07-05"),
        sex in proptest::option::weighted(0.9, prop_oneof![9 => Just(Sex::Male), 1 => Just(Sex::Female)]),
        phone in text_or("081234567890"),
        address in text_or("RT 01/RW 02"),
        segment in proptest::option::weighted(0.9, proptest::sample::select(Segment::ALL.to_vec())),
        occupation_other in text_or("Pengrajin"),
        village in text_or("32.16.01.2001"),
        program in proptest::option::weighted(0.9, proptest::sample::select(Program::ALL.to_vec())),
        income in proptest::option::weighted(0.9, prop_oneof![2 => Just(1_000_000u64), 2 => Just(1_500_000), 1 => any::<u64>()]),
        funding in proptest::option::weighted(0.9, proptest::sample::select(FundingSource::ALL.to_vec())),
        sponsor in text_or("PT Maju"),
        coverage_start in text_or("2026-11"),
        paid_months in proptest::option::weighted(0.9, prop_oneof![4 => Just(12u16), 1 => any::<u16>()]),
        membership_number in text_or("12345678901"),
        consent in proptest::bool::weighted(0.9),
    ) -> EnrolmentDraft {
        EnrolmentDraft {
            nik, full_name, birth_date, sex, phone, address, segment, occupation_other, village,
            program, income, funding, sponsor, coverage_start, paid_months, membership_number, consent,
        }
    }
}

/// Everything the module lets out about a draft: both Debug outputs, the JSON of the
/// assessment, and every message.
fn everything_shown(draft: &EnrolmentDraft) -> String {
    let assessment = check(draft);
    let outcome = match valid(draft) {
        Ok(enrolment) => format!("{enrolment:?}"),
        Err(errors) => format!("{errors:?}"),
    };
    let messages: Vec<&str> = assessment
        .problems
        .iter()
        .flat_map(|p| [p.problem.message_id(), p.problem.message_en()])
        .collect();
    format!(
        "{draft:?}\n{assessment:?}\n{}\n{outcome}\n{}",
        serde_json::to_string(&assessment).unwrap(),
        messages.join("\n")
    )
}

proptest! {
    #[test]
    fn any_input_is_assessed_and_validate_agrees_with_assess(draft in any_draft()) {
        let assessment = check(&draft);
        let mut fields = HashSet::new();
        for problem in &assessment.problems {
            prop_assert!(fields.insert(problem.field), "two problems on {:?}", problem.field);
            prop_assert_eq!(problem.severity, problem.problem.severity());
        }
        let errors: Vec<FieldProblem> = assessment.errors().cloned().collect();
        match valid(&draft) {
            Ok(enrolment) => {
                prop_assert!(errors.is_empty());
                let warnings: Vec<FieldProblem> = assessment.warnings().cloned().collect();
                prop_assert_eq!(enrolment.warnings, warnings);
                prop_assert_eq!(enrolment.paid_through, coverage::paid_through(enrolment.start, enrolment.paid_months));
            }
            Err(refused) => {
                prop_assert!(!refused.is_empty());
                prop_assert_eq!(refused, errors);
            }
        }
    }

    #[test]
    fn nothing_shown_contains_the_nik_or_the_name(
        draft in any_draft(),
        digits in "[1-9][0-9]{15}",
        nik_is_real in any::<bool>(),
        name in "[A-Z][a-z]{4,9} [A-Z][a-z]{4,9}",
    ) {
        let mut draft = draft;
        draft.nik = if nik_is_real { NIK.to_owned() } else { digits };
        draft.full_name = name;
        let shown = everything_shown(&draft);
        prop_assert!(!shown.contains(&draft.nik));
        prop_assert!(!shown.contains(&draft.full_name));
    }

    #[test]
    fn a_valid_form_never_shows_its_personal_data(suffix in "[1-9][0-9]{3}", name in "[A-Z][a-z]{4,9} [A-Z][a-z]{4,9}") {
        let draft = with(|d| {
            d.nik = format!("321601050790{suffix}");
            d.full_name = name;
        });
        prop_assert!(valid(&draft).is_ok());
        let shown = everything_shown(&draft);
        for secret in [&draft.nik, &draft.full_name, &draft.birth_date, &draft.address, &draft.phone] {
            prop_assert!(!shown.contains(secret.as_str()));
        }
    }
}
