//! NIK (*Nomor Induk Kependudukan*), the 16-digit national identity number:
//! `PPKKCC` district of first registration, `DDMMYY` birth date (women: day + 40),
//! then a four-digit serial that is never `0000`.
//!
//! A NIK is protected personal data (Adminduk law art. 84, UU 27/2022 "PDP"): [`Nik`] has no
//! `Display`, its `Debug` is masked, and the digits leave only through [`Nik::expose_digits`].

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// Sex, as the NIK encodes it and as forms ask for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// *Laki-laki*.
    Male,
    /// *Perempuan*; the NIK adds 40 to the birth day.
    Female,
}

impl Sex {
    /// Both, in display order.
    pub const ALL: [Sex; 2] = [Sex::Male, Sex::Female];
}

/// Why a NIK was refused. Messages never repeat the digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NikError {
    /// Not exactly 16 characters after removing spaces.
    #[error("NIK must have 16 digits")]
    Length,
    /// Something other than the digits 0–9.
    #[error("NIK may contain digits only")]
    NotDigits,
    /// Province, regency or district part cannot be a Kemendagri code.
    #[error("the region part of the NIK is not a possible region code")]
    Region,
    /// Day or month of the encoded birth date does not exist.
    #[error("the birth date inside the NIK is not a valid date")]
    BirthDate,
    /// The last four digits are `0000`.
    #[error("the serial part of the NIK cannot be 0000")]
    Serial,
}

/// A NIK of valid form. Built only by [`Nik::parse`].
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nik(String);

impl Nik {
    /// Parses 16 digits (spaces allowed between groups, as NIKs are often written).
    pub fn parse(raw: &str) -> Result<Self, NikError> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(NikError::NotDigits);
        }
        if compact.len() != 16 {
            return Err(NikError::Length);
        }
        let num = |range: std::ops::Range<usize>| compact[range].parse::<u8>().unwrap_or(0);
        let (province, regency, district) = (num(0..2), num(2..4), num(4..6));
        if !(11..=99).contains(&province) || regency == 0 || district == 0 {
            return Err(NikError::Region);
        }
        let (day, month) = (num(6..8), num(8..10));
        let day = if day > 40 { day - 40 } else { day };
        let month = Month::try_from(month).map_err(|_| NikError::BirthDate)?;
        // Feb 29 exists in some years: check the day against a leap year here; the
        // century-resolved date is checked in `birth_date`.
        if day == 0 || day > month.length(2000) {
            return Err(NikError::BirthDate);
        }
        if &compact[12..16] == "0000" {
            return Err(NikError::Serial);
        }
        Ok(Self(compact))
    }

    /// The district of first registration as a dotted code, e.g. `32.16.01`.
    pub fn district_code(&self) -> String {
        format!("{}.{}.{}", &self.0[0..2], &self.0[2..4], &self.0[4..6])
    }

    /// The sex the NIK encodes.
    pub fn sex(&self) -> Sex {
        if self.0[6..8].parse::<u8>().unwrap_or(0) > 40 {
            Sex::Female
        } else {
            Sex::Male
        }
    }

    /// The encoded birth date. The NIK holds a two-digit year: the latest century that does
    /// not put the birth after `today` is taken.
    pub fn birth_date(&self, today: Date) -> Option<Date> {
        let raw_day: u8 = self.0[6..8].parse().ok()?;
        let day = if raw_day > 40 { raw_day - 40 } else { raw_day };
        let month = Month::try_from(self.0[8..10].parse::<u8>().ok()?).ok()?;
        let yy: i32 = self.0[10..12].parse().ok()?;
        let this_century = today.year() - today.year().rem_euclid(100);
        [this_century + yy, this_century - 100 + yy]
            .into_iter()
            .filter_map(|year| Date::from_calendar_date(year, month, day).ok())
            .find(|date| *date <= today)
    }

    /// Masked for display: first four and last four digits, e.g. `3216••••••••0012`.
    pub fn masked(&self) -> String {
        format!("{}••••••••{}", &self.0[..4], &self.0[12..])
    }

    /// The full 16 digits. Only for storage and for roles that must see them; never log it.
    pub fn expose_digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl TryFrom<String> for Nik {
    type Error = NikError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Nik> for String {
    fn from(nik: Nik) -> Self {
        nik.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 23);

    #[test]
    fn reads_a_man_and_a_woman() {
        let man = Nik::parse("3216010507900012").unwrap();
        assert_eq!(man.sex(), Sex::Male);
        assert_eq!(man.birth_date(TODAY), Some(date!(1990 - 07 - 05)));
        assert_eq!(man.district_code(), "32.16.01");

        let woman = Nik::parse("3216 0145 0703 0001").unwrap();
        assert_eq!(woman.sex(), Sex::Female);
        assert_eq!(woman.birth_date(TODAY), Some(date!(2003 - 07 - 05)));
    }

    #[test]
    fn refuses_each_malformation_with_its_own_error() {
        let cases = [
            ("321601050790001", NikError::Length, "15 digits"),
            ("32160105079000123", NikError::Length, "17 digits"),
            ("32160105079O0012", NikError::NotDigits, "letter O for zero"),
            ("3216-0105-0790-0012", NikError::NotDigits, "dashes"),
            ("0916010507900012", NikError::Region, "province below 11"),
            ("3200010507900012", NikError::Region, "regency 00"),
            ("3216000507900012", NikError::Region, "district 00"),
            ("3216013207900012", NikError::BirthDate, "day 32"),
            ("3216017207900012", NikError::BirthDate, "woman's day 72 = 32"),
            ("3216010513900012", NikError::BirthDate, "month 13"),
            ("3216013002900012", NikError::BirthDate, "30 February"),
            ("3216010507900000", NikError::Serial, "serial 0000"),
        ];
        for (raw, expected, why) in cases {
            assert_eq!(Nik::parse(raw), Err(expected), "{why}");
        }
    }

    #[test]
    fn leap_day_needs_a_leap_year() {
        let nik = Nik::parse("3216012902010001").unwrap(); // 29 Feb of '01: no such day
        assert_eq!(nik.birth_date(TODAY), None);
        let leap = Nik::parse("3216012902000001").unwrap();
        assert_eq!(leap.birth_date(TODAY), Some(date!(2000 - 02 - 29)));
    }

    #[test]
    fn debug_and_masked_never_show_the_middle() {
        let nik = Nik::parse("3216010507900012").unwrap();
        assert_eq!(nik.masked(), "3216••••••••0012");
        assert_eq!(format!("{nik:?}"), "3216••••••••0012");
    }

    proptest! {
        #[test]
        fn any_sixteen_characters_parse_or_fail_cleanly(raw in "[0-9a-z ]{16}") {
            let _ = Nik::parse(&raw);
        }

        #[test]
        fn valid_niks_round_trip(pp in 11u8..99, kk in 1u8..99, cc in 1u8..99, day in 1u8..29, month in 1u8..=12, yy in 0u8..100, female: bool, serial in 1u16..=9999) {
            let raw = format!("{pp:02}{kk:02}{cc:02}{:02}{month:02}{yy:02}{serial:04}", if female { day + 40 } else { day });
            let nik = Nik::parse(&raw).unwrap();
            prop_assert_eq!(nik.expose_digits(), raw.as_str());
            prop_assert_eq!(nik.sex() == Sex::Female, female);
            prop_assert!(nik.birth_date(TODAY).is_some());
        }
    }
}
