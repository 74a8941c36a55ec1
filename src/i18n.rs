//! Bahasa Indonesia (default) and English. The locale comes from `?lang=` in the URL (so a
//! link can be shared in either language), else the reader's last choice, else Indonesian.

use leptos::prelude::*;
use pantau_core::texts::{AreaTop, AREA_TOP_EN, AREA_TOP_ID};
use pantau_core::{Dimension, ErrorCode, Level};

const STORAGE_KEY: &str = "pantau.lang";

/// A UI language (the core type, so the app formats exactly as the server does).
pub use pantau_core::display::Language as Locale;

/// The reader's stored choice.
pub fn stored_locale() -> Option<Locale> {
    let storage = window().local_storage().ok().flatten()?;
    storage
        .get_item(STORAGE_KEY)
        .ok()
        .flatten()
        .as_deref()
        .and_then(Locale::parse)
}

/// Remembers the choice for the next visit and marks the document's language.
pub fn store_locale(locale: Locale) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.set_item(STORAGE_KEY, locale.code());
    }
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", locale.code());
    }
}

/// App-wide locale, provided by the App.
#[derive(Clone, Copy)]
pub struct CurrentLocale(pub RwSignal<Locale>);

/// The current locale, read without tracking: the tree below is rebuilt when it changes.
pub fn locale() -> Locale {
    use_context::<CurrentLocale>().map_or(Locale::Id, |c| c.0.get_untracked())
}

/// The texts of the current locale.
pub fn texts() -> &'static Texts {
    match locale() {
        Locale::Id => &ID,
        Locale::En => &EN,
    }
}

/// Every fixed text of the UI in one language.
pub struct Texts {
    /// The header and headline texts, shared with the page the server renders.
    pub top: &'static AreaTop,
    pub commitments: &'static str,
    pub readiness_title: &'static str,
    pub readiness_note: &'static str,
    pub readiness_regulation: &'static str,
    pub readiness_coverage: &'static str,
    pub readiness_funding: &'static str,
    pub regulations: &'static str,
    pub no_regulations: &'static str,
    pub read_regulation: &'static str,
    pub yes: &'static str,
    pub not_yet: &'static str,
    pub none: &'static str,
    pub skip_to_content: &'static str,
    pub loading_area: &'static str,
    pub loading: &'static str,
    pub active_short: &'static str,
    pub sort_by: &'static str,
    pub sort_progress: &'static str,
    pub sort_enrolled: &'static str,
    pub sort_gap: &'static str,
    pub sort_name: &'static str,
    pub villages_reaching: &'static str,
    pub download: &'static str,
    pub breakdowns: &'static str,
    pub breakdowns_note: &'static str,
    pub breakdowns_empty: &'static str,
    pub suppressed_note: &'static str,
    pub category: &'static str,
    pub share_active: &'static str,
    pub trend: &'static str,
    pub trend_note: &'static str,
    pub month: &'static str,
    pub show_table: &'static str,
    pub search_none: &'static str,
    pub load_failed: &'static str,
    pub retry: &'static str,
    pub to_national: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub network_error: &'static str,
    pub unreadable_error: &'static str,
    pub embed_title: &'static str,
    pub embed_note: &'static str,
    pub print_report: &'static str,
    pub footer_about: &'static str,
    pub footer_source: &'static str,
    pub footer_method: &'static str,
    pub view_list: &'static str,
    pub view_map: &'static str,
    pub views_label: &'static str,
    pub map_label: &'static str,
    pub map_loading: &'static str,
    pub map_failed: &'static str,
    pub map_layers: &'static str,
    pub legend_title: &'static str,
    pub legend_no_target: &'static str,
    pub legend_points: &'static str,
    pub zoom_in: &'static str,
    pub zoom_out: &'static str,
    pub zoom_reset: &'static str,
    pub map_hint: &'static str,
    pub map_open: &'static str,
    pub siblings_map: &'static str,
}

pub static ID: Texts = Texts {
    top: &AREA_TOP_ID,
    skip_to_content: "Langsung ke isi",
    loading_area: "Memuat data wilayah…",
    loading: "Memuat…",
    commitments: "Komitmen daerah",
    readiness_title: "Kesiapan Paritrana",
    readiness_note: "Hal yang dinilai Paritrana Award: regulasi daerah, cakupan, desa mencapai target, dan sumber pembiayaan iuran.",
    readiness_regulation: "Regulasi daerah tercatat",
    readiness_coverage: "Cakupan terhadap target",
    readiness_funding: "Sumber pembiayaan yang dipakai",
    regulations: "Peraturan dan kesepakatan",
    no_regulations: "Belum ada peraturan daerah yang dicatat untuk wilayah ini.",
    read_regulation: "Baca dokumen",
    yes: "Ada",
    not_yet: "Belum ada",
    none: "Belum ada",
    active_short: "Aktif",
    sort_by: "Urutkan",
    sort_progress: "Capaian",
    sort_enrolled: "Terdaftar",
    sort_gap: "Kekurangan",
    sort_name: "Nama",
    villages_reaching: "desa capai target",
    download: "Unduh",
    breakdowns: "Rincian peserta",
    breakdowns_note: "Kategori tanpa peserta tidak ditampilkan.",
    breakdowns_empty: "Belum ada peserta terdaftar di wilayah ini, jadi belum ada rincian.",
    suppressed_note: "“<5” menandai angka yang disamarkan: kurang dari 5 orang, atau angka lain yang ikut disamarkan agar angka kecil tidak dapat dihitung dari selisih.",
    category: "Kategori",
    share_active: "Porsi aktif",
    trend: "Tren 24 bulan",
    trend_note: "Terdaftar = peserta yang sudah didaftarkan sampai bulan itu; aktif = peserta yang iurannya menanggung bulan itu.",
    month: "Bulan",
    show_table: "Tampilkan tabel",
    search_none: "Tidak ada wilayah dengan nama itu.",
    load_failed: "Data belum dapat ditampilkan",
    retry: "Coba lagi",
    to_national: "Ke halaman nasional",
    not_found_title: "Halaman tidak ditemukan",
    not_found_text: "Alamat ini tidak ada di Pantau. Cari wilayahnya, atau mulai dari halaman nasional.",
    network_error: "Tidak dapat terhubung ke server. Periksa koneksi internet Anda, lalu coba lagi.",
    unreadable_error: "Jawaban server tidak dapat dibaca. Coba muat ulang halaman.",
    embed_title: "Sematkan di situs Anda",
    embed_note: "Tampilkan capaian wilayah ini di situs pemerintah daerah: widget yang selalu terbarui atau lencana. Salin kodenya.",
    print_report: "Cetak laporan (A4)",
    footer_about: "Pantau memantau cakupan jaminan sosial ketenagakerjaan (BPJS Ketenagakerjaan) bagi pekerja rentan, dengan target gerakan “1 Desa 100 Pekerja Rentan”.",
    footer_source: "Kode dan nama wilayah: Kepmendagri 300.2.2-2138/2025 jo. 300.2.2-2430/2025, disusun oleh cahyadsn/wilayah (lisensi MIT).",
    footer_method: "Sumber dan cara hitung",
    view_list: "Daftar",
    view_map: "Peta",
    views_label: "Tampilan",
    map_label: "Peta capaian target per wilayah. Daftar di halaman ini memuat angka yang sama.",
    map_loading: "Memuat peta…",
    map_failed: "Peta tidak dapat dimuat.",
    map_layers: "Tampilkan",
    legend_title: "Capaian target (aktif ÷ target)",
    legend_no_target: "Tanpa target",
    legend_points: "Titik: desa/kelurahan tanpa batas wilayah, digambar di lokasinya",
    zoom_in: "Perbesar",
    zoom_out: "Perkecil",
    zoom_reset: "Tampilan awal",
    map_hint: "Seret untuk menggeser, cubit atau gulir untuk memperbesar. Klik wilayah untuk membukanya; di layar sentuh, ketuk sekali untuk melihat angkanya dan ketuk lagi untuk membukanya.",
    map_open: "Buka wilayah →",
    siblings_map: "Peta desa/kelurahan di kecamatan ini",
};

pub static EN: Texts = Texts {
    top: &AREA_TOP_EN,
    skip_to_content: "Skip to content",
    loading_area: "Loading area data…",
    loading: "Loading…",
    commitments: "Local commitments",
    readiness_title: "Paritrana readiness",
    readiness_note: "What the Paritrana Award looks at: local regulation, coverage, villages at target and premium funding sources.",
    readiness_regulation: "Local regulation registered",
    readiness_coverage: "Coverage against target",
    readiness_funding: "Funding sources in use",
    regulations: "Regulations and agreements",
    no_regulations: "No local regulation has been registered for this area yet.",
    read_regulation: "Read the document",
    yes: "Yes",
    not_yet: "Not yet",
    none: "None yet",
    active_short: "Active",
    sort_by: "Sort by",
    sort_progress: "Progress",
    sort_enrolled: "Enrolled",
    sort_gap: "Shortfall",
    sort_name: "Name",
    villages_reaching: "villages at target",
    download: "Download",
    breakdowns: "Who is covered",
    breakdowns_note: "Categories without members are not shown.",
    breakdowns_empty: "No workers are enrolled in this area yet, so there is no breakdown.",
    suppressed_note: "“<5” marks a masked figure: fewer than 5 people, or another figure masked with it so that a small one cannot be worked out by subtraction.",
    category: "Category",
    share_active: "Share active",
    trend: "24-month trend",
    trend_note: "Enrolled = members registered by that month; active = members whose premium covered that month.",
    month: "Month",
    show_table: "Show table",
    search_none: "No area has that name.",
    load_failed: "The data cannot be shown yet",
    retry: "Try again",
    to_national: "Go to the national page",
    not_found_title: "Page not found",
    not_found_text: "This address does not exist in Pantau. Search for the area, or start from the national page.",
    network_error: "Cannot reach the server. Check your internet connection, then try again.",
    unreadable_error: "The server's answer could not be read. Try reloading the page.",
    embed_title: "Embed on your site",
    embed_note: "Show this area's progress on a local government website: an always-current widget or a badge. Copy the code.",
    print_report: "Print report (A4)",
    footer_about: "Pantau tracks social-security coverage (BPJS Ketenagakerjaan) of vulnerable workers against the “1 Village 100 Vulnerable Workers” target.",
    footer_source: "Region codes and names: Kepmendagri 300.2.2-2138/2025 as amended by 300.2.2-2430/2025, compiled by cahyadsn/wilayah (MIT licence).",
    footer_method: "Sources and method",
    view_list: "List",
    view_map: "Map",
    views_label: "View",
    map_label: "Map of progress to target by area. The list on this page has the same figures.",
    map_loading: "Loading map…",
    map_failed: "The map could not be loaded.",
    map_layers: "Show",
    legend_title: "Progress to target (active ÷ target)",
    legend_no_target: "No target",
    legend_points: "Dots: villages without a boundary, drawn at their location",
    zoom_in: "Zoom in",
    zoom_out: "Zoom out",
    zoom_reset: "Reset view",
    map_hint: "Drag to pan, pinch or scroll to zoom. Click an area to open it; on a touch screen, tap once for its figures and again to open it.",
    map_open: "Open area →",
    siblings_map: "Map of the villages in this district",
};

/// Message for an API error code in the current language.
pub fn error_message(code: ErrorCode) -> &'static str {
    match locale() {
        Locale::Id => code.message_id(),
        Locale::En => code.message_en(),
    }
}

/// Heading over a list of children at `level`.
pub fn children_heading(level: Level) -> &'static str {
    let id = locale() == Locale::Id;
    match level {
        Level::Nation | Level::Province => {
            if id {
                "Provinsi"
            } else {
                "Provinces"
            }
        }
        Level::Regency => {
            if id {
                "Kabupaten/Kota"
            } else {
                "Regencies and cities"
            }
        }
        Level::District => {
            if id {
                "Kecamatan"
            } else {
                "Districts"
            }
        }
        Level::Village => {
            if id {
                "Desa/Kelurahan"
            } else {
                "Villages"
            }
        }
    }
}

/// Title of a breakdown.
pub fn dimension_title(dimension: Dimension) -> &'static str {
    let id = locale() == Locale::Id;
    match dimension {
        Dimension::Funding => {
            if id {
                "Sumber pembiayaan iuran"
            } else {
                "Who pays the premium"
            }
        }
        Dimension::Segment => {
            if id {
                "Pekerjaan"
            } else {
                "Occupation"
            }
        }
        Dimension::Program => {
            if id {
                "Program"
            } else {
                "Programme"
            }
        }
        Dimension::Sex => {
            if id {
                "Jenis kelamin"
            } else {
                "Sex"
            }
        }
        Dimension::AgeBand => {
            if id {
                "Kelompok umur"
            } else {
                "Age group"
            }
        }
    }
}
