//! Bahasa Indonesia names of levels and kinds of area.

use pantau_core::{AreaCode, Level};

/// What an area is called: "Provinsi", "Kecamatan", "Desa", "Kelurahan", …
pub fn area_kind(code: &AreaCode) -> &'static str {
    match code {
        AreaCode::Nation => "Nasional",
        AreaCode::Region(region) => match region.level() {
            Level::Nation => "Nasional",
            Level::Province => "Provinsi",
            Level::Regency => {
                // Kabupaten use 01–69, kota 71–99.
                let regency: u8 = region.as_str()[3..5].parse().unwrap_or(0);
                if regency >= 71 {
                    "Kota"
                } else {
                    "Kabupaten"
                }
            }
            Level::District => "Kecamatan",
            Level::Village => match region.as_str().as_bytes().get(9) {
                Some(b'1') => "Kelurahan",
                Some(b'3') => "Desa adat",
                _ => "Desa",
            },
        },
    }
}

/// Heading over a list of children at `level`.
pub fn children_heading(level: Level) -> &'static str {
    match level {
        Level::Nation | Level::Province => "Provinsi",
        Level::Regency => "Kabupaten/Kota",
        Level::District => "Kecamatan",
        Level::Village => "Desa/Kelurahan",
    }
}
