//! Names of kinds of area in the current language.

use pantau_core::{AreaCode, Level};

use crate::i18n::{locale, Locale};

/// What an area is called: "Provinsi", "Kecamatan", "Desa", "Kelurahan", …
pub fn area_kind(code: &AreaCode) -> &'static str {
    pantau_core::texts::area_kind(code, locale())
}

/// Short prefix for a parent in a search result: "Kec.", "Kab."… (names of regencies
/// already carry "Kabupaten"/"Kota").
pub fn parent_prefix(level: Level) -> &'static str {
    match (level, locale()) {
        (Level::District, Locale::Id) => "Kec. ",
        (Level::District, Locale::En) => "District ",
        _ => "",
    }
}
