//! The texts of the top of an area page (header and headline) in each language, and what an
//! area is called. The server renders them into the page it sends, so the figure shows before
//! the app arrives; the app renders the same texts again. One source keeps the two identical.

use crate::display::Language;
use crate::region::{AreaCode, Level, RegionCode};

/// Fixed texts of the header and the headline card of an area page.
#[derive(Debug)]
pub struct AreaTop {
    pub tagline: &'static str,
    pub nav_label: &'static str,
    pub about_data: &'static str,
    pub open_data: &'static str,
    /// The language switch shows the other language's code…
    pub switch_to: &'static str,
    /// …and is named in that language.
    pub switch_label: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub demo_title: &'static str,
    pub demo_text: &'static str,
    pub breadcrumbs: &'static str,
    pub of: &'static str,
    pub protected_workers: &'static str,
    pub progress_label: &'static str,
    pub target_reached: &'static str,
    /// Before and after the number of workers still needed.
    pub short_of: (&'static str, &'static str),
    pub enrolled: &'static str,
    pub verified: &'static str,
    pub awaiting_verification: &'static str,
    pub headline_counts: &'static str,
    pub active: &'static str,
    pub inactive: &'static str,
    pub villages_at_target: &'static str,
    pub premium_per_year: &'static str,
    /// In place of a premium sum that would tell few people's declared incomes.
    pub premium_hidden: &'static str,
    pub data_as_of: &'static str,
    /// Around the position and the number of areas ranked.
    pub rank: (&'static str, &'static str, &'static str),
}

pub const AREA_TOP_ID: AreaTop = AreaTop {
    tagline: "1 Desa 100 Pekerja Rentan",
    nav_label: "Menu utama",
    about_data: "Tentang data",
    open_data: "Data terbuka",
    switch_to: "EN",
    switch_label: "Switch to English",
    search_label: "Cari wilayah",
    search_placeholder: "Cari provinsi, kabupaten, kecamatan, desa…",
    demo_title: "Data demo. ",
    demo_text: "Angka di halaman ini dibuat untuk peragaan, bukan data resmi BPJS Ketenagakerjaan.",
    breadcrumbs: "Jejak wilayah",
    of: "dari",
    protected_workers: "pekerja rentan terlindungi",
    progress_label: "Capaian target",
    target_reached: "Target sudah tercapai.",
    short_of: ("Kurang ", " pekerja lagi untuk mencapai target."),
    enrolled: "Terdaftar",
    verified: "Terverifikasi BPJS Ketenagakerjaan",
    awaiting_verification: "menunggu verifikasi",
    headline_counts: "Angka utama menghitung peserta yang sudah diverifikasi BPJS Ketenagakerjaan dan yang masih menunggu verifikasi; data yang ditolak tidak dihitung.",
    active: "Aktif (iuran bulan ini terbayar)",
    inactive: "Menunggak atau berhenti",
    villages_at_target: "Desa/kelurahan mencapai target",
    premium_per_year: "Iuran setahun untuk peserta aktif",
    premium_hidden: "tidak ditampilkan: melindungi penghasilan peserta yang sedikit",
    data_as_of: "Data per",
    rank: ("Peringkat ", " dari ", " menurut capaian"),
};

pub const AREA_TOP_EN: AreaTop = AreaTop {
    tagline: "1 Village 100 Vulnerable Workers",
    nav_label: "Main menu",
    about_data: "About the data",
    open_data: "Open data",
    switch_to: "ID",
    switch_label: "Ganti ke Bahasa Indonesia",
    search_label: "Search areas",
    search_placeholder: "Search provinces, regencies, districts, villages…",
    demo_title: "Demo data. ",
    demo_text: "The figures on this page are generated for demonstration, not official BPJS Ketenagakerjaan data.",
    breadcrumbs: "Area path",
    of: "of",
    protected_workers: "vulnerable workers protected",
    progress_label: "Progress to target",
    target_reached: "Target reached.",
    short_of: ("", " more workers needed to reach the target."),
    enrolled: "Enrolled",
    verified: "Verified by BPJS Ketenagakerjaan",
    awaiting_verification: "awaiting verification",
    headline_counts: "The headline counts members verified by BPJS Ketenagakerjaan and those still awaiting verification; rejected entries are not counted.",
    active: "Active (this month's premium paid)",
    inactive: "In arrears or lapsed",
    villages_at_target: "Villages at target",
    premium_per_year: "Premiums for a year of active members",
    premium_hidden: "not shown: it would tell a few members' incomes",
    data_as_of: "Data as of",
    rank: ("Ranked ", " of ", " by progress"),
};

/// The area-top texts of `lang`.
pub fn area_top(lang: Language) -> &'static AreaTop {
    match lang {
        Language::Id => &AREA_TOP_ID,
        Language::En => &AREA_TOP_EN,
    }
}

/// What an area is called: "Provinsi", "Kecamatan", "Desa", "Kelurahan", …
pub fn area_kind(code: &AreaCode, lang: Language) -> &'static str {
    let (id, en) = match code {
        AreaCode::Nation => ("Nasional", "National"),
        AreaCode::Region(region) => region_kind(region),
    };
    match lang {
        Language::Id => id,
        Language::En => en,
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(code: &str) -> &'static str {
        area_kind(&AreaCode::parse(code).unwrap(), Language::Id)
    }

    #[test]
    fn areas_are_called_by_their_kind() {
        assert_eq!(kind("ID"), "Nasional");
        assert_eq!(kind("32"), "Provinsi");
        assert_eq!(kind("32.16"), "Kabupaten");
        assert_eq!(kind("32.75"), "Kota");
        assert_eq!(kind("32.16.01"), "Kecamatan");
        assert_eq!(kind("32.16.01.2001"), "Desa");
        assert_eq!(kind("32.16.01.1001"), "Kelurahan");
        assert_eq!(area_kind(&AreaCode::parse("32.75").unwrap(), Language::En), "City");
    }
}
