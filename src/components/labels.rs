//! Names of kinds of area in the current language.

use pantau_core::{AreaCode, Level, RegionCode};

use crate::i18n::{locale, Locale};

fn region_kind(region: &RegionCode) -> (&'static str, &'static str) {
    match region.level() {
        Level::Nation => ("Nasional", "National"),
        Level::Province => ("Provinsi", "Province"),
        Level::Regency => {
            // Kabupaten use 01–69, kota 71–99.
            let regency: u8 = region.as_str()[3..5].parse().unwrap_or(0);
            if regency >= 71 {
                ("Kota", "City")
            } else {
                ("Kabupaten", "Regency")
            }
        }
        Level::District => ("Kecamatan", "District"),
        Level::Village => match region.as_str().as_bytes().get(9) {
            Some(b'1') => ("Kelurahan", "Urban village (kelurahan)"),
            Some(b'3') => ("Desa adat", "Customary village"),
            _ => ("Desa", "Village"),
        },
    }
}

/// What an area is called: "Provinsi", "Kecamatan", "Desa", "Kelurahan", …
pub fn area_kind(code: &AreaCode) -> &'static str {
    let (id, en) = match code {
        AreaCode::Nation => ("Nasional", "National"),
        AreaCode::Region(region) => region_kind(region),
    };
    if locale() == Locale::Id {
        id
    } else {
        en
    }
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
