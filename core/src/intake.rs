//! Checking an enrolment form. The app runs [`assess`] on every keystroke and the server runs
//! [`validate`] on `POST /api/v1/enrolments`: both are this code, so a form the app accepts is
//! one the server accepts, and the message under a field is the one the API returns.
//!
//! The form holds personal data protected by the Adminduk law (art. 84) and UU 27/2022 "PDP":
//! no message repeats the input, and the `Debug` output of [`EnrolmentDraft`] and
//! [`ValidEnrolment`] shows neither NIK, name, birth date, phone nor address.

mod fields;
mod problem;
#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::coverage::{self, Month};
use crate::enrolment::{FundingSource, Segment};
use crate::error::Field;
use crate::nik::{Nik, Sex};
use crate::premium::{PremiumRules, Program};
use crate::region::RegionCode;

pub use problem::{FieldProblem, Problem, Severity};

/// Characters refused in any free text officials type (addresses, reasons, notes, titles):
/// control and invisible format characters, and `<` `>`, which only serve injected markup.
/// Multi-line fields allow `\n` before asking this.
pub fn refused_in_text(c: char) -> bool {
    fields::is_hidden(c) || c == '<' || c == '>'
}

/// A BPJS Ketenagakerjaan membership (KPJ) number as the form checks it: 11 digits, spaces
/// between groups dropped; `None` when empty.
pub fn membership_number(raw: &str) -> Result<Option<String>, Problem> {
    fields::membership_number(raw)
}

/// Characters of a full name, after trimming and collapsing white space.
pub const FULL_NAME_CHARS: RangeInclusive<usize> = 2..=100;
/// Characters of the address in the village (RT/RW, dusun).
pub const ADDRESS_CHARS: RangeInclusive<usize> = 5..=200;
/// Characters of the occupation written in when the segment is "other".
pub const OCCUPATION_OTHER_CHARS: RangeInclusive<usize> = 2..=60;
/// Characters of the sponsoring company's name.
pub const SPONSOR_CHARS: RangeInclusive<usize> = 2..=100;
/// Digits of a mobile number in the national `08…` form.
pub const PHONE_DIGITS: RangeInclusive<usize> = 10..=13;
/// Digits of a BPJS Ketenagakerjaan membership (KPJ) number.
pub const MEMBERSHIP_NUMBER_DIGITS: usize = 11;
/// Youngest age, in the month cover starts, without a warning.
pub const YOUNGEST_AGE: i32 = 15;
/// Oldest age, in the month cover starts, without a warning.
pub const OLDEST_AGE: i32 = 65;
/// Highest monthly income that can be declared, rupiah. Far above any vulnerable worker's
/// income: a value beyond it is a typo, and the cap keeps premium arithmetic from overflowing.
pub const HIGHEST_INCOME: u64 = 100_000_000;
/// How many months after today's month cover may start.
pub const MONTHS_AHEAD: i32 = 12;
/// Months for which premiums can be paid at once: monthly, or 3, 6 or 12 in advance.
pub const PAID_MONTHS_CHOICES: [u16; 4] = [1, 3, 6, 12];

/// Version of the consent text below, recorded with each enrolment. A new wording gets a new
/// version so that what each worker agreed to stays known.
pub const CONSENT_VERSION: &str = "2026-11";

/// The statement the worker agrees to, in Bahasa Indonesia (read out by the operator when the
/// worker cannot read it).
pub const CONSENT_TEXT_ID: &str = "Saya setuju data pribadi saya (NIK, nama, tanggal lahir, jenis kelamin, nomor HP, \
     alamat, pekerjaan dan penghasilan) diolah oleh pemerintah desa dan pemerintah kabupaten/kota untuk \
     mendaftarkan saya sebagai peserta BPJS Ketenagakerjaan Bukan Penerima Upah (BPU) dan untuk memantau \
     kepesertaan saya, sesuai Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi. NIK saya \
     tidak akan pernah dipublikasikan. Saya dapat meminta untuk melihat atau memperbaiki data saya melalui \
     operator desa.";

/// The same statement in English.
pub const CONSENT_TEXT_EN: &str = "I agree that my personal data (NIK, name, date of birth, sex, phone number, \
     address, occupation and income) are processed by the village government and the regency/city \
     government to register me as a BPJS Ketenagakerjaan non-wage (BPU) participant and to monitor my \
     coverage, under Law No. 27 of 2022 on Personal Data Protection. My NIK will never be published. I may \
     ask the village operator to show me or correct my data.";

/// What the enrolment form holds and `POST /api/v1/enrolments` accepts: raw text where a
/// person types, so the same check runs on every keystroke in the app and on the server.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EnrolmentDraft {
    /// NIK as typed; spaces between groups are allowed.
    pub nik: String,
    /// Full name as on the ID card.
    pub full_name: String,
    /// Birth date `YYYY-MM-DD` (an HTML date input's value).
    pub birth_date: String,
    /// Sex, which must agree with the NIK.
    pub sex: Option<Sex>,
    /// Mobile number; optional.
    pub phone: String,
    /// Address in the village (RT/RW, dusun); required.
    pub address: String,
    /// Occupation segment.
    pub segment: Option<Segment>,
    /// The occupation, required when the segment is [`Segment::Other`] and ignored otherwise.
    pub occupation_other: String,
    /// Village region code, e.g. `32.16.01.2001`.
    pub village: String,
    /// Program package.
    pub program: Option<Program>,
    /// Declared monthly income tier, rupiah.
    pub income: Option<u64>,
    /// Who pays the premium.
    pub funding: Option<FundingSource>,
    /// Company name, required when [`FundingSource::Csr`] pays and ignored otherwise.
    pub sponsor: String,
    /// First covered month `YYYY-MM` (an HTML month input's value).
    pub coverage_start: String,
    /// Months paid at once: 1, 3, 6 or 12.
    pub paid_months: Option<u16>,
    /// BPJS Ketenagakerjaan KPJ number when the worker already has one (11 digits); optional.
    pub membership_number: String,
    /// Whether the worker agreed to [`CONSENT_TEXT_ID`].
    pub consent: bool,
}

impl fmt::Debug for EnrolmentDraft {
    /// Only choices and codes, and those only once they parse: raw text is whatever a person
    /// typed, possibly into the wrong box, so none of it is printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnrolmentDraft")
            .field("village", &RegionCode::parse(&self.village).ok().map(String::from))
            .field("segment", &self.segment)
            .field("program", &self.program)
            .field("funding", &self.funding)
            .field(
                "coverage_start",
                &Month::parse(&self.coverage_start).ok().map(String::from),
            )
            .field("paid_months", &self.paid_months)
            .field("consent", &self.consent)
            .finish_non_exhaustive()
    }
}

/// The premium a form's choices come to, shown while the form is filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PremiumQuote {
    /// Work-accident premium per month, rupiah.
    pub jkk: u64,
    /// Death-benefit premium per month, rupiah.
    pub jkm: u64,
    /// Old-age savings premium per month, rupiah (0 when the package has no JHT).
    pub jht: u64,
    /// All premiums of the package per month.
    pub monthly: u64,
    /// Months paid at once.
    pub months: u16,
    /// `monthly × months`, the amount to pay now.
    pub total: u64,
}

impl PremiumQuote {
    /// The premiums for `program` at a declared `income` (already checked) for `months` months.
    pub fn new(rules: &PremiumRules, program: Program, income: u64, months: u16) -> Self {
        // The parts use the same rates as `PremiumRules::monthly`, which stays the one source
        // of the sum (a test checks that the parts add up to it).
        let jkk = income * rules.jkk_bps / 10_000;
        let jht = match program {
            Program::JkkJkm => 0,
            Program::JkkJkmJht => income * rules.jht_bps / 10_000,
        };
        Self {
            jkk,
            jkm: rules.jkm_flat,
            jht,
            monthly: rules.monthly(program, income),
            months,
            total: rules.for_months(program, income, months),
        }
    }
}

/// The state of a form: its problems (at most one per field, in the order of the fields) and
/// the premium once program and income are known.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    /// Every field's problem, errors and warnings, in the order of the form.
    pub problems: Vec<FieldProblem>,
    /// The premium, when program and a valid income are chosen; for one month until a valid
    /// number of months is.
    pub premium: Option<PremiumQuote>,
}

impl Assessment {
    /// Problems that block the enrolment.
    pub fn errors(&self) -> impl Iterator<Item = &FieldProblem> + '_ {
        self.problems.iter().filter(|p| p.severity == Severity::Error)
    }

    /// Problems worth a look that do not block it.
    pub fn warnings(&self) -> impl Iterator<Item = &FieldProblem> + '_ {
        self.problems.iter().filter(|p| p.severity == Severity::Warning)
    }

    /// Whether the form can be submitted.
    pub fn is_valid(&self) -> bool {
        self.errors().next().is_none()
    }

    /// The one problem to show under `field`: its first error, else its first warning.
    pub fn problem_for(&self, field: Field) -> Option<&FieldProblem> {
        let of_field = || self.problems.iter().filter(move |p| p.field == field);
        of_field().find(|p| p.is_error()).or_else(|| of_field().next())
    }
}

/// An enrolment whose every field passed: normalised values ready to store.
#[derive(Clone, PartialEq)]
pub struct ValidEnrolment {
    /// The NIK.
    pub nik: Nik,
    /// Full name, trimmed, inner white space collapsed.
    pub full_name: String,
    /// Birth date, the one inside the NIK.
    pub birth_date: Date,
    /// Sex, the one the NIK encodes.
    pub sex: Sex,
    /// Mobile number in the national `08…` form.
    pub phone: Option<String>,
    /// Address in the village, white space collapsed.
    pub address: String,
    /// Occupation segment.
    pub segment: Segment,
    /// The occupation when the segment is [`Segment::Other`].
    pub occupation_other: Option<String>,
    /// Village region code.
    pub village: RegionCode,
    /// Program package.
    pub program: Program,
    /// Declared monthly income tier, rupiah.
    pub income: u64,
    /// Who pays.
    pub funding: FundingSource,
    /// The company, when a CSR programme pays.
    pub sponsor: Option<String>,
    /// First covered month.
    pub start: Month,
    /// Months paid at once.
    pub paid_months: u16,
    /// Last covered month: `start + paid_months − 1`.
    pub paid_through: Month,
    /// KPJ number, digits only.
    pub membership_number: Option<String>,
    /// Warnings the operator saw and submitted anyway (kept for verification).
    pub warnings: Vec<FieldProblem>,
}

impl fmt::Debug for ValidEnrolment {
    /// The masked NIK and the choices; nothing else a person could be recognised by.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidEnrolment")
            .field("nik", &self.nik)
            .field("village", &self.village.as_str())
            .field("segment", &self.segment)
            .field("program", &self.program)
            .field("funding", &self.funding)
            .field("start", &self.start.to_string())
            .field("paid_months", &self.paid_months)
            .field("paid_through", &self.paid_through.to_string())
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

/// Checks every field of `draft`. `today` is the caller's date (core has no clock);
/// `district_known` answers whether a dotted district code such as `32.16.01` is in the
/// current region list, and a `false` only warns.
///
/// Each field gets at most one problem, the most fundamental: empty (`Required`), then
/// unreadable (characters, NIK digits before NIK length, then the NIK's region, birth date and
/// serial; dates and months before their range), then out of range (length, age, income,
/// months), and last disagreement with the NIK (birth date, sex), which is only checked once
/// the NIK itself is valid. A warning is given only to a field without an error. Empty
/// optional fields (phone, membership number) and the occupation and sponsor when their
/// segment or funding does not ask for them give no problem.
pub fn assess(
    draft: &EnrolmentDraft,
    today: Date,
    rules: &PremiumRules,
    district_known: &dyn Fn(&str) -> bool,
) -> Assessment {
    let checked = Checks::run(draft, today, rules, district_known);
    Assessment {
        problems: checked.problems(),
        premium: checked.quote(rules),
    }
}

/// Checks `draft` as [`assess`] does and, when no field has an error, returns the normalised
/// enrolment with its warnings; otherwise only the errors (warnings never block).
pub fn validate(
    draft: &EnrolmentDraft,
    today: Date,
    rules: &PremiumRules,
    district_known: &dyn Fn(&str) -> bool,
) -> Result<ValidEnrolment, Vec<FieldProblem>> {
    let checked = Checks::run(draft, today, rules, district_known);
    let (errors, warnings): (Vec<_>, Vec<_>) = checked.problems().into_iter().partition(FieldProblem::is_error);
    // Every field that fails records an error, so without errors every value is there.
    match checked.into_valid(warnings) {
        Some(valid) if errors.is_empty() => Ok(valid),
        _ => Err(errors),
    }
}

/// Every field's outcome, computed once for both [`assess`] and [`validate`].
struct Checks {
    nik: fields::Checked<Nik>,
    nik_warning: Option<Problem>,
    full_name: fields::Checked<String>,
    birth_date: fields::Checked<Date>,
    birth_date_warning: Option<Problem>,
    sex: fields::Checked<Sex>,
    phone: fields::Checked<Option<String>>,
    address: fields::Checked<String>,
    segment: fields::Checked<Segment>,
    occupation_other: fields::Checked<Option<String>>,
    village: fields::Checked<RegionCode>,
    program: fields::Checked<Program>,
    income: fields::Checked<u64>,
    funding: fields::Checked<FundingSource>,
    sponsor: fields::Checked<Option<String>>,
    start: fields::Checked<Month>,
    paid_months: fields::Checked<u16>,
    membership_number: fields::Checked<Option<String>>,
    consent: fields::Checked<()>,
}

impl Checks {
    fn run(draft: &EnrolmentDraft, today: Date, rules: &PremiumRules, district_known: &dyn Fn(&str) -> bool) -> Self {
        let nik = fields::nik(&draft.nik, today);
        let valid_nik = nik.as_ref().ok();
        let nik_warning = valid_nik
            .filter(|nik| !district_known(&nik.district_code()))
            .map(|_| Problem::NikDistrictUnknown);
        let birth_date = fields::birth_date(&draft.birth_date, today, valid_nik);
        let start = fields::coverage_start(&draft.coverage_start, today);
        // Age counts from the start of cover; until that month is valid, from today's month.
        let age_month = start.unwrap_or_else(|_| Month::of(today));
        let birth_date_warning = birth_date
            .as_ref()
            .ok()
            .filter(|birth| fields::age_outside_range(**birth, age_month))
            .map(|_| Problem::AgeOutsideRange);
        Self {
            full_name: fields::name(&draft.full_name, &FULL_NAME_CHARS),
            sex: fields::sex(draft.sex, valid_nik),
            phone: fields::phone(&draft.phone),
            address: fields::text(&draft.address, &ADDRESS_CHARS),
            segment: fields::chosen(draft.segment),
            occupation_other: fields::text_if(
                draft.segment == Some(Segment::Other),
                &draft.occupation_other,
                &OCCUPATION_OTHER_CHARS,
            ),
            village: fields::village(&draft.village),
            program: fields::chosen(draft.program),
            income: fields::income(draft.income, rules),
            funding: fields::chosen(draft.funding),
            sponsor: fields::text_if(
                draft.funding == Some(FundingSource::Csr),
                &draft.sponsor,
                &SPONSOR_CHARS,
            ),
            paid_months: fields::paid_months(draft.paid_months),
            membership_number: fields::membership_number(&draft.membership_number),
            consent: fields::consent(draft.consent),
            nik,
            nik_warning,
            birth_date,
            birth_date_warning,
            start,
        }
    }

    /// One problem per field at most, in the order of the form.
    fn problems(&self) -> Vec<FieldProblem> {
        fn error<T>(checked: &fields::Checked<T>) -> Option<Problem> {
            checked.as_ref().err().copied()
        }
        let outcomes = [
            (Field::Nik, error(&self.nik).or(self.nik_warning)),
            (Field::FullName, error(&self.full_name)),
            (Field::BirthDate, error(&self.birth_date).or(self.birth_date_warning)),
            (Field::Sex, error(&self.sex)),
            (Field::Phone, error(&self.phone)),
            (Field::Address, error(&self.address)),
            (Field::Segment, error(&self.segment)),
            (Field::OccupationOther, error(&self.occupation_other)),
            (Field::Village, error(&self.village)),
            (Field::Program, error(&self.program)),
            (Field::Income, error(&self.income)),
            (Field::Funding, error(&self.funding)),
            (Field::Sponsor, error(&self.sponsor)),
            (Field::CoverageStart, error(&self.start)),
            (Field::PaidMonths, error(&self.paid_months)),
            (Field::MembershipNumber, error(&self.membership_number)),
            (Field::Consent, error(&self.consent)),
        ];
        outcomes
            .into_iter()
            .filter_map(|(field, problem)| problem.map(|problem| FieldProblem::new(field, problem)))
            .collect()
    }

    /// The premium once program and income are valid; one month until the months are.
    fn quote(&self, rules: &PremiumRules) -> Option<PremiumQuote> {
        let (program, income) = (*self.program.as_ref().ok()?, *self.income.as_ref().ok()?);
        let months = self.paid_months.as_ref().map_or(1, |months| *months);
        Some(PremiumQuote::new(rules, program, income, months))
    }

    /// The enrolment, when every field has a value.
    fn into_valid(self, warnings: Vec<FieldProblem>) -> Option<ValidEnrolment> {
        self.consent.ok()?;
        let (start, paid_months) = (self.start.ok()?, self.paid_months.ok()?);
        Some(ValidEnrolment {
            nik: self.nik.ok()?,
            full_name: self.full_name.ok()?,
            birth_date: self.birth_date.ok()?,
            sex: self.sex.ok()?,
            phone: self.phone.ok()?,
            address: self.address.ok()?,
            segment: self.segment.ok()?,
            occupation_other: self.occupation_other.ok()?,
            village: self.village.ok()?,
            program: self.program.ok()?,
            income: self.income.ok()?,
            funding: self.funding.ok()?,
            sponsor: self.sponsor.ok()?,
            start,
            paid_months,
            paid_through: coverage::paid_through(start, paid_months),
            membership_number: self.membership_number.ok()?,
            warnings,
        })
    }
}
