//! Kemendagri region codes: `PP` province, `PP.KK` regency/city, `PP.KK.CC` district,
//! `PP.KK.CC.DDDD` village (Kepmendagri 300.2.2-2138/2025 as amended by -2430/2025).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Digits in each dotted part of a code, from province down to village.
const PART_WIDTHS: [usize; 4] = [2, 2, 2, 4];

/// The code the API uses for the whole country.
pub const NATION_CODE: &str = "ID";

/// Administrative level of an area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Indonesia as a whole.
    Nation,
    /// *Provinsi*.
    Province,
    /// *Kabupaten* (regency) or *kota* (city).
    Regency,
    /// *Kecamatan*.
    District,
    /// *Desa*, *kelurahan* or *desa adat*.
    Village,
}

impl Level {
    /// The level directly below this one, if any.
    pub fn child(self) -> Option<Level> {
        match self {
            Level::Nation => Some(Level::Province),
            Level::Province => Some(Level::Regency),
            Level::Regency => Some(Level::District),
            Level::District => Some(Level::Village),
            Level::Village => None,
        }
    }

    /// The level's name in the API, as serialised: `nation`, `province`, `regency`,
    /// `district` or `village`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Nation => "nation",
            Level::Province => "province",
            Level::Regency => "regency",
            Level::District => "district",
            Level::Village => "village",
        }
    }

    /// The level named `name` (see [`Level::as_str`]).
    pub fn from_name(name: &str) -> Option<Level> {
        (0..5).filter_map(Level::from_depth).find(|l| l.as_str() == name)
    }

    /// Depth below the nation: 0 for the nation, 4 for a village.
    pub fn depth(self) -> usize {
        self as usize
    }

    fn from_depth(depth: usize) -> Option<Level> {
        [
            Level::Nation,
            Level::Province,
            Level::Regency,
            Level::District,
            Level::Village,
        ]
        .get(depth)
        .copied()
    }
}

/// Why a region code was refused. Messages never repeat the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    /// Not of the form `PP`, `PP.KK`, `PP.KK.CC` or `PP.KK.CC.DDDD`.
    #[error("region code must look like 32, 32.16, 32.16.01 or 32.16.01.2001")]
    Malformed,
}

/// A Kemendagri region code of a province, regency, district or village, always in the
/// dotted form. Only [`RegionCode::parse`] builds one, so every value is well formed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "32.16"))]
pub struct RegionCode(String);

impl RegionCode {
    /// Parses a dotted code, tolerating surrounding white space.
    pub fn parse(raw: &str) -> Result<Self, RegionCodeError> {
        let parts: Vec<&str> = raw.trim().split('.').collect();
        let is_part = |p: &&str, width: usize| p.len() == width && p.bytes().all(|b| b.is_ascii_digit());
        let well_formed = parts.len() <= PART_WIDTHS.len()
            && parts.iter().zip(PART_WIDTHS).all(|(p, w)| is_part(p, w))
            && parts.iter().all(|p| p.bytes().any(|b| b != b'0'));
        if well_formed {
            Ok(Self(parts.join(".")))
        } else {
            Err(RegionCodeError::Malformed)
        }
    }

    /// The dotted code, e.g. `32.16`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level this code names.
    pub fn level(&self) -> Level {
        Level::from_depth(self.0.split('.').count()).unwrap_or(Level::Village)
    }

    /// The code one level up; `None` for a province.
    pub fn parent(&self) -> Option<RegionCode> {
        self.0.rsplit_once('.').map(|(head, _)| RegionCode(head.to_owned()))
    }

    /// Every enclosing region code from the province down to this one's parent.
    pub fn ancestors(&self) -> Vec<RegionCode> {
        let mut out = Vec::with_capacity(3);
        let mut current = self.parent();
        while let Some(code) = current {
            current = code.parent();
            out.push(code);
        }
        out.reverse();
        out
    }

    /// The six digits a NIK begins with for this district (`PPKKCC`); `None` above district level.
    pub fn district_digits(&self) -> Option<String> {
        let digits: String = self.0.split('.').take(3).collect();
        (self.level() >= Level::District).then_some(digits)
    }

    /// Whether `other` is this region or lies inside it.
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.0 == self.0 || (other.0.starts_with(&self.0) && other.0.as_bytes()[self.0.len()] == b'.')
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = RegionCodeError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<RegionCode> for String {
    fn from(code: RegionCode) -> Self {
        code.0
    }
}

/// What an area page or the area API is about: the whole nation or one region.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum AreaCode {
    /// Indonesia, written `ID`.
    Nation,
    /// A province, regency, district or village.
    Region(RegionCode),
}

impl AreaCode {
    /// Path of the area's page in the portal: `/` for the nation, `/wilayah/{code}` otherwise
    /// (the app's routes and the server's page for them).
    pub fn page_path(&self) -> String {
        match self {
            Self::Nation => "/".to_owned(),
            Self::Region(region) => format!("/wilayah/{region}"),
        }
    }

    /// Parses `ID` (any case) or a dotted region code.
    pub fn parse(raw: &str) -> Result<Self, RegionCodeError> {
        if raw.trim().eq_ignore_ascii_case(NATION_CODE) {
            Ok(Self::Nation)
        } else {
            RegionCode::parse(raw).map(Self::Region)
        }
    }

    /// `ID` or the dotted code.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Nation => NATION_CODE,
            Self::Region(code) => code.as_str(),
        }
    }

    /// The level of the area.
    pub fn level(&self) -> Level {
        match self {
            Self::Nation => Level::Nation,
            Self::Region(code) => code.level(),
        }
    }

    /// Whether `other` is this area or lies inside it (the nation contains everything).
    pub fn contains(&self, other: &AreaCode) -> bool {
        match (self, other) {
            (AreaCode::Nation, _) => true,
            (AreaCode::Region(_), AreaCode::Nation) => false,
            (AreaCode::Region(area), AreaCode::Region(other)) => area.contains(other),
        }
    }

    /// The enclosing area, from the nation's point of view; `None` for the nation.
    pub fn parent(&self) -> Option<AreaCode> {
        match self {
            Self::Nation => None,
            Self::Region(code) => Some(code.parent().map_or(Self::Nation, Self::Region)),
        }
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<RegionCode> for AreaCode {
    fn from(code: RegionCode) -> Self {
        Self::Region(code)
    }
}

impl TryFrom<String> for AreaCode {
    type Error = RegionCodeError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<AreaCode> for String {
    fn from(code: AreaCode) -> Self {
        code.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_names_are_the_serialised_ones() {
        for depth in 0..5 {
            let level = Level::from_depth(depth).unwrap();
            assert_eq!(serde_json::to_value(level).unwrap(), level.as_str());
            assert_eq!(Level::from_name(level.as_str()), Some(level));
        }
        assert_eq!(Level::from_name("desa"), None);
    }
    use proptest::prelude::*;

    #[test]
    fn parses_every_level() {
        let cases = [
            ("32", Level::Province),
            ("32.16", Level::Regency),
            ("32.16.01", Level::District),
            ("32.16.01.2001", Level::Village),
            (" 61.11 ", Level::Regency),
        ];
        for (raw, level) in cases {
            let code = RegionCode::parse(raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
            assert_eq!(code.level(), level, "{raw:?}");
        }
    }

    #[test]
    fn rejects_malformed_codes() {
        for raw in [
            "",
            "3",
            "321",
            "32.1",
            "32.16.1",
            "32.16.01.201",
            "32.16.01.2001.1",
            "3a",
            "32..16",
            "00",
            "32.00",
            "32-16",
            "ID.32",
        ] {
            assert_eq!(RegionCode::parse(raw), Err(RegionCodeError::Malformed), "{raw:?}");
        }
    }

    #[test]
    fn ancestors_run_from_province_down() {
        let village = RegionCode::parse("32.16.01.2001").unwrap();
        let names: Vec<String> = village.ancestors().into_iter().map(String::from).collect();
        assert_eq!(names, ["32", "32.16", "32.16.01"]);
        assert!(RegionCode::parse("32").unwrap().ancestors().is_empty());
    }

    #[test]
    fn containment_respects_part_boundaries() {
        let bekasi = RegionCode::parse("32.16").unwrap();
        assert!(bekasi.contains(&RegionCode::parse("32.16.01.2001").unwrap()));
        assert!(bekasi.contains(&bekasi));
        assert!(!bekasi.contains(&RegionCode::parse("32.17").unwrap()));
        assert!(RegionCode::parse("32.1").is_err());
    }

    #[test]
    fn nation_is_written_id() {
        assert_eq!(AreaCode::parse("id").unwrap(), AreaCode::Nation);
        assert_eq!(AreaCode::parse("32").unwrap().parent(), Some(AreaCode::Nation));
        assert_eq!(serde_json::to_string(&AreaCode::Nation).unwrap(), "\"ID\"");
    }

    #[test]
    fn district_digits_start_a_nik() {
        assert_eq!(
            RegionCode::parse("32.16.01.2001").unwrap().district_digits().as_deref(),
            Some("321601")
        );
        assert_eq!(RegionCode::parse("32.16").unwrap().district_digits(), None);
    }

    #[test]
    fn serde_goes_through_parse() {
        assert!(serde_json::from_str::<RegionCode>("\"32.16\"").is_ok());
        assert!(serde_json::from_str::<RegionCode>("\"32.1x\"").is_err());
    }

    proptest! {
        #[test]
        fn parsing_what_we_print_gives_the_same_code(parts in proptest::collection::vec(1u32..99, 1..=4)) {
            let raw: Vec<String> = parts.iter().enumerate()
                .map(|(i, p)| if i == 3 { format!("{:04}", 2000 + p) } else { format!("{p:02}") })
                .collect();
            let code = RegionCode::parse(&raw.join(".")).unwrap();
            prop_assert_eq!(RegionCode::parse(&code.to_string()).unwrap(), code);
        }

        #[test]
        fn any_input_parses_or_is_malformed(raw in ".{0,20}") {
            let _ = RegionCode::parse(&raw);
        }
    }
}

#[cfg(feature = "openapi")]
mod openapi {
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    use utoipa::openapi::RefOr;

    impl utoipa::PartialSchema for super::AreaCode {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some(
                    "`ID` for the nation or a Kemendagri code: `32`, `32.16`, `32.16.01`, `32.16.01.2001`",
                ))
                .examples(["32.16"])
                .into()
        }
    }

    impl utoipa::ToSchema for super::AreaCode {}
}
