//! The JSON names of core's enums, for form values, list filters in the URL and the labels of
//! `crate::i18n::category_label`. Written out rather than produced by serde at run time (which
//! would bundle a JSON writer); a test checks each against serde.

use pantau_core::workers::{Coverage, DeactivationReason, Status};
use pantau_core::{Field, FundingSource, Program, Segment, Sex};

/// `value`'s name, looked up in `table`.
fn name_in<T: PartialEq + Copy>(table: &[(T, &'static str)], value: T) -> &'static str {
    table.iter().find(|(v, _)| *v == value).map_or("", |(_, name)| name)
}

/// The value named `name` in `table`.
fn value_in<T: Copy>(table: &[(T, &'static str)], name: &str) -> Option<T> {
    table.iter().find(|(_, n)| *n == name).map(|(v, _)| *v)
}

/// Generates a name and a parse function over one table.
macro_rules! codes {
    ($name:ident, $parse:ident, $table:ident, $ty:ty) => {
        #[doc = concat!("JSON name of a [`", stringify!($ty), "`].")]
        pub fn $name(value: $ty) -> &'static str {
            name_in(&$table, value)
        }
        #[doc = concat!("The [`", stringify!($ty), "`] with this JSON name.")]
        pub fn $parse(name: &str) -> Option<$ty> {
            value_in(&$table, name)
        }
    };
}

const SEGMENTS: [(Segment, &str); 15] = [
    (Segment::Farmer, "farmer"),
    (Segment::Fisher, "fisher"),
    (Segment::StreetVendor, "street_vendor"),
    (Segment::MotorcycleTaxi, "motorcycle_taxi"),
    (Segment::Scavenger, "scavenger"),
    (Segment::HouseholdHelper, "household_helper"),
    (Segment::QuranTeacher, "quran_teacher"),
    (Segment::MosqueCaretaker, "mosque_caretaker"),
    (Segment::NeighbourhoodHead, "neighbourhood_head"),
    (Segment::HealthCadre, "health_cadre"),
    (Segment::Linmas, "linmas"),
    (Segment::DayLabourer, "day_labourer"),
    (Segment::Masseur, "masseur"),
    (Segment::LivestockKeeper, "livestock_keeper"),
    (Segment::Other, "other"),
];

const FUNDING: [(FundingSource, &str); 8] = [
    (FundingSource::DanaDesa, "dana_desa"),
    (FundingSource::OtherApbdes, "other_apbdes"),
    (FundingSource::ApbdRegency, "apbd_regency"),
    (FundingSource::ApbdProvince, "apbd_province"),
    (FundingSource::Csr, "csr"),
    (FundingSource::Baznas, "baznas"),
    (FundingSource::SelfPaid, "self_paid"),
    (FundingSource::Employer, "employer"),
];

const PROGRAMS: [(Program, &str); 2] = [(Program::JkkJkm, "jkk_jkm"), (Program::JkkJkmJht, "jkk_jkm_jht")];

const SEXES: [(Sex, &str); 2] = [(Sex::Male, "male"), (Sex::Female, "female")];

const STATUSES: [(Status, &str); 3] = [
    (Status::Submitted, "submitted"),
    (Status::Verified, "verified"),
    (Status::Rejected, "rejected"),
];

const COVERAGES: [(Coverage, &str); 3] = [
    (Coverage::Active, "active"),
    (Coverage::Lapsing, "lapsing"),
    (Coverage::Lapsed, "lapsed"),
];

const REASONS: [(DeactivationReason, &str); 5] = [
    (DeactivationReason::Moved, "moved"),
    (DeactivationReason::Died, "died"),
    (DeactivationReason::WageEmployed, "wage_employed"),
    (DeactivationReason::Duplicate, "duplicate"),
    (DeactivationReason::Withdrew, "withdrew"),
];

codes!(segment, parse_segment, SEGMENTS, Segment);
codes!(funding, parse_funding, FUNDING, FundingSource);
codes!(program, parse_program, PROGRAMS, Program);
codes!(sex, parse_sex, SEXES, Sex);
codes!(status, parse_status, STATUSES, Status);
codes!(coverage, parse_coverage, COVERAGES, Coverage);
codes!(reason, parse_reason, REASONS, DeactivationReason);

/// Every field of the enrolment form, in its order, with the kebab-case name used in element
/// ids and `data-testid`s.
pub const FORM_FIELDS: [(Field, &str); 17] = [
    (Field::Nik, "nik"),
    (Field::FullName, "full-name"),
    (Field::BirthDate, "birth-date"),
    (Field::Sex, "sex"),
    (Field::Phone, "phone"),
    (Field::Address, "address"),
    (Field::Segment, "segment"),
    (Field::OccupationOther, "occupation-other"),
    (Field::Village, "village"),
    (Field::Program, "program"),
    (Field::Income, "income"),
    (Field::Funding, "funding"),
    (Field::Sponsor, "sponsor"),
    (Field::CoverageStart, "coverage-start"),
    (Field::PaidMonths, "paid-months"),
    (Field::MembershipNumber, "membership-number"),
    (Field::Consent, "consent"),
];

/// Kebab-case name of a form field.
pub fn field(field: Field) -> &'static str {
    name_in(&FORM_FIELDS, field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn check<T: Serialize + Copy + std::fmt::Debug>(table: &[(T, &str)], all: &[T]) {
        assert_eq!(table.len(), all.len(), "every value is in the table");
        for (value, name) in table {
            assert_eq!(serde_json::to_value(value).unwrap(), *name, "{value:?}");
        }
    }

    #[test]
    fn names_are_the_json_names() {
        check(&SEGMENTS, &Segment::ALL);
        check(&FUNDING, &FundingSource::ALL);
        check(&PROGRAMS, &Program::ALL);
        check(&SEXES, &[Sex::Male, Sex::Female]);
        check(&STATUSES, &[Status::Submitted, Status::Verified, Status::Rejected]);
        check(&COVERAGES, &[Coverage::Active, Coverage::Lapsing, Coverage::Lapsed]);
        check(&REASONS, &DeactivationReason::ALL);
        for (field, kebab) in FORM_FIELDS {
            let snake = serde_json::to_value(field).unwrap();
            assert_eq!(snake, kebab.replace('-', "_"), "{field:?}");
        }
    }

    #[test]
    fn names_parse_back() {
        for value in Segment::ALL {
            assert_eq!(parse_segment(segment(value)), Some(value));
        }
        assert_eq!(parse_status("verified"), Some(Status::Verified));
        assert_eq!(parse_status("nope"), None);
    }
}
