//! The check of each field on its own, as pure functions of the raw input. Each returns the
//! field's usable value or its one most fundamental problem: first whether anything was given,
//! then whether it can be read at all, then whether it is in range, and last whether it agrees
//! with other fields.

use std::ops::RangeInclusive;

use time::Date;

use super::problem::Problem;
use super::{
    HIGHEST_INCOME, MEMBERSHIP_NUMBER_DIGITS, MONTHS_AHEAD, OLDEST_AGE, PAID_MONTHS_CHOICES, PHONE_DIGITS, YOUNGEST_AGE,
};
use crate::coverage::{Month, ARREARS_GRACE_MONTHS};
use crate::nik::{Nik, Sex};
use crate::premium::PremiumRules;
use crate::region::{Level, RegionCode};

/// A field's value, or why it cannot be used.
pub(super) type Checked<T> = Result<T, Problem>;

/// `Required` unless a choice was made.
pub(super) fn chosen<T: Copy>(choice: Option<T>) -> Checked<T> {
    choice.ok_or(Problem::Required)
}

/// Characters never accepted in typed text: control characters (NUL, tab, line breaks, …) and
/// the invisible format characters that hide or reorder text on screen (zero-width characters,
/// bidirectional overrides, the byte-order mark), with which a name could be made to look like
/// another.
pub(super) fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        )
}

/// Trimmed, every run of white space (including no-break spaces a phone keyboard or a paste
/// brings) made one plain space.
fn collapse(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `TooShort` or `TooLong` when `text` has a number of characters outside `limits`.
fn within(text: String, limits: &RangeInclusive<usize>) -> Checked<String> {
    let chars = text.chars().count();
    if chars < *limits.start() {
        Err(Problem::TooShort)
    } else if chars > *limits.end() {
        Err(Problem::TooLong)
    } else {
        Ok(text)
    }
}

/// A person's name: letters of any script, spaces, and the `'` `’` `.` `,` `-` that names such
/// as "Ni Luh Putu", "Ma'ruf" or "H. Abd. Rahman, S.Pd." need; at least one letter.
pub(super) fn name(raw: &str, limits: &RangeInclusive<usize>) -> Checked<String> {
    if raw.trim().is_empty() {
        return Err(Problem::Required);
    }
    let text = collapse(raw);
    let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '\'' | '’' | '.' | ',' | '-');
    // Hidden characters are checked on the raw text: collapsing would turn a tab into a space.
    if raw.chars().any(is_hidden) || !text.chars().all(allowed) || !text.chars().any(char::is_alphabetic) {
        return Err(Problem::NameCharacters);
    }
    within(text, limits)
}

/// Free text (address, occupation, company): anything printable except `<` and `>`, which
/// have no place in an address and would only serve markup injected into a page or export.
pub(super) fn text(raw: &str, limits: &RangeInclusive<usize>) -> Checked<String> {
    if raw.trim().is_empty() {
        return Err(Problem::Required);
    }
    if raw.chars().any(super::refused_in_text) {
        return Err(Problem::TextCharacters);
    }
    within(collapse(raw), limits)
}

/// Free text that is asked for only when `needed` (the occupation when the segment is
/// "other", the company when a CSR programme pays); otherwise whatever is left in the hidden
/// input is ignored.
pub(super) fn text_if(needed: bool, raw: &str, limits: &RangeInclusive<usize>) -> Checked<Option<String>> {
    if needed {
        text(raw, limits).map(Some)
    } else {
        Ok(None)
    }
}

/// The NIK: its form, then a birth date that exists in the century the NIK resolves to (29
/// February of a two-digit year that is not leap in either century passes [`Nik::parse`]).
pub(super) fn nik(raw: &str, today: Date) -> Checked<Nik> {
    if raw.trim().is_empty() {
        return Err(Problem::Required);
    }
    let nik = Nik::parse(raw)?;
    if nik.birth_date(today).is_none() {
        return Err(Problem::NikBirthDate);
    }
    Ok(nik)
}

/// `YYYY-MM-DD` with four-, two- and two-digit parts, as an HTML date input gives it.
fn parse_date(raw: &str) -> Option<Date> {
    let parts: Vec<&str> = raw.split('-').collect();
    let [year, month, day] = parts[..] else {
        return None;
    };
    let digits = |part: &str, width: usize| part.len() == width && part.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return None;
    }
    let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// The birth date, and that it is the one inside the NIK when the NIK is valid. The NIK keeps
/// only two digits of the year, so day, month and those two digits are compared: a worker
/// born in 1925 is not refused because the NIK alone cannot tell 1925 from 2025.
pub(super) fn birth_date(raw: &str, today: Date, nik: Option<&Nik>) -> Checked<Date> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Problem::Required);
    }
    let date = parse_date(raw)
        .filter(|date| date.year() >= 1900)
        .ok_or(Problem::BirthDateInvalid)?;
    if date > today {
        return Err(Problem::BirthDateFuture);
    }
    if let Some(in_nik) = nik.and_then(|nik| nik.birth_date(today)) {
        let same = in_nik.day() == date.day()
            && in_nik.month() == date.month()
            && in_nik.year().rem_euclid(100) == date.year().rem_euclid(100);
        if !same {
            return Err(Problem::BirthDateNotInNik);
        }
    }
    Ok(date)
}

/// The sex chosen, and that it is the one the NIK encodes when the NIK is valid.
pub(super) fn sex(chosen_sex: Option<Sex>, nik: Option<&Nik>) -> Checked<Sex> {
    let sex = chosen(chosen_sex)?;
    match nik {
        Some(nik) if nik.sex() != sex => Err(Problem::SexNotInNik),
        _ => Ok(sex),
    }
}

/// Whole years from `birth` to `on`.
fn age_on(birth: Date, on: Date) -> i32 {
    let before_birthday = (u8::from(on.month()), on.day()) < (u8::from(birth.month()), birth.day());
    on.year() - birth.year() - i32::from(before_birthday)
}

/// Whether the worker is outside the enrolment ages on the first day of `start`.
pub(super) fn age_outside_range(birth: Date, start: Month) -> bool {
    let first_day = time::Month::try_from(start.month_number())
        .ok()
        .and_then(|month| Date::from_calendar_date(start.year(), month, 1).ok());
    first_day.is_some_and(|day| !(YOUNGEST_AGE..=OLDEST_AGE).contains(&age_on(birth, day)))
}

/// An optional Indonesian mobile number, normalised to the national `08…` form. Spaces and
/// dashes are how people group the digits, so they are dropped; `+62`/`62` stand for the
/// leading `0`.
pub(super) fn phone(raw: &str) -> Checked<Option<String>> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if compact.is_empty() {
        return Ok(None);
    }
    let national = match compact.strip_prefix("+62").or_else(|| compact.strip_prefix("62")) {
        Some(rest) => format!("0{rest}"),
        None => compact,
    };
    let valid = national.starts_with("08")
        && national.bytes().all(|b| b.is_ascii_digit())
        && PHONE_DIGITS.contains(&national.len());
    if valid {
        Ok(Some(national))
    } else {
        Err(Problem::PhoneInvalid)
    }
}

/// A village-level region code (the form's village picker gives one).
pub(super) fn village(raw: &str) -> Checked<RegionCode> {
    if raw.trim().is_empty() {
        return Err(Problem::Required);
    }
    RegionCode::parse(raw)
        .ok()
        .filter(|code| code.level() == Level::Village)
        .ok_or(Problem::VillageInvalid)
}

/// A declared income tier. The ceiling is checked first: it catches typos with extra zeros
/// and keeps every premium product far from overflowing.
pub(super) fn income(declared: Option<u64>, rules: &PremiumRules) -> Checked<u64> {
    let income = chosen(declared)?;
    if income > HIGHEST_INCOME {
        return Err(Problem::IncomeTooHigh);
    }
    Ok(rules.check_income(income)?)
}

/// The month cover starts, `YYYY-MM` as an HTML month input gives it, from three months back
/// (the arrears that may still be paid) to twelve months ahead of today's month.
pub(super) fn coverage_start(raw: &str, today: Date) -> Checked<Month> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Problem::Required);
    }
    // `Month::parse` also takes `+2026-1`; the form only ever sends four and two digits.
    let well_formed = raw.len() == 7
        && raw
            .bytes()
            .enumerate()
            .all(|(i, b)| if i == 4 { b == b'-' } else { b.is_ascii_digit() });
    let start = well_formed
        .then(|| Month::parse(raw).ok())
        .flatten()
        .ok_or(Problem::CoverageStartInvalid)?;
    let now = Month::of(today);
    if start < now.plus(-ARREARS_GRACE_MONTHS) {
        Err(Problem::CoverageStartTooEarly)
    } else if start > now.plus(MONTHS_AHEAD) {
        Err(Problem::CoverageStartTooLate)
    } else {
        Ok(start)
    }
}

/// Months paid at once: one of [`PAID_MONTHS_CHOICES`].
pub(super) fn paid_months(months: Option<u16>) -> Checked<u16> {
    let months = chosen(months)?;
    if PAID_MONTHS_CHOICES.contains(&months) {
        Ok(months)
    } else {
        Err(Problem::PaidMonthsInvalid)
    }
}

/// An optional BPJS Ketenagakerjaan KPJ number: 11 digits, spaces between groups dropped.
pub(super) fn membership_number(raw: &str) -> Checked<Option<String>> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        Ok(None)
    } else if compact.len() == MEMBERSHIP_NUMBER_DIGITS && compact.bytes().all(|b| b.is_ascii_digit()) {
        Ok(Some(compact))
    } else {
        Err(Problem::MembershipNumberInvalid)
    }
}

/// The worker's agreement to [`super::CONSENT_TEXT_ID`].
pub(super) fn consent(given: bool) -> Checked<()> {
    if given {
        Ok(())
    } else {
        Err(Problem::ConsentRequired)
    }
}
