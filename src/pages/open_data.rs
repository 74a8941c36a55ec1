//! `/data-terbuka`: the public API and downloads, for journalists and developers.

use leptos::prelude::*;

use crate::i18n::{locale, Locale};

const ENDPOINTS: [(&str, &str, &str); 9] = [
    (
        "/api/v1/areas/ID",
        "Wilayah: angka, peringkat, daftar wilayah di bawahnya",
        "Area: figures, rank, children",
    ),
    (
        "/api/v1/areas/32.16/breakdowns",
        "Rincian peserta per sumber iuran, pekerjaan, program, jenis kelamin, umur",
        "Breakdowns by funding, occupation, programme, sex, age",
    ),
    ("/api/v1/areas/32.16/trend", "Tren 24 bulan", "24-month series"),
    (
        "/api/v1/areas/32.16/children.csv",
        "Daftar wilayah di bawahnya (CSV)",
        "Children table (CSV)",
    ),
    (
        "/api/v1/areas/32.16/breakdowns.csv",
        "Rincian (CSV)",
        "Breakdowns (CSV)",
    ),
    ("/api/v1/areas/32.16/trend.csv", "Tren (CSV)", "Series (CSV)"),
    ("/api/v1/search?q=bekasi", "Cari wilayah", "Search areas"),
    ("/api/v1/health", "Status layanan", "Service status"),
    (
        "/api/v1/openapi.json",
        "Dokumen OpenAPI 3.1 seluruh API",
        "OpenAPI 3.1 document of the whole API",
    ),
];

/// Lists every public endpoint with an example link.
#[component]
pub fn OpenData() -> impl IntoView {
    let id = locale() == Locale::Id;
    Effect::new(move |_| {
        document().set_title(if id {
            "Data terbuka — Pantau"
        } else {
            "Open data — Pantau"
        })
    });
    view! {
        <article class="card prose" data-testid="open-data">
            <h1>{if id { "Data terbuka" } else { "Open data" }}</h1>
            <p>
                {if id {
                    "Semua angka di Pantau dapat diunduh tanpa mendaftar, dalam JSON dan CSV, dengan angka yang sama seperti di halaman. Kode wilayah mengikuti Kepmendagri (ID = nasional). Setiap jawaban menyebut waktu data (data_as_of)."
                } else {
                    "Every figure in Pantau can be downloaded without signing up, as JSON and CSV, with the same numbers as the pages. Area codes follow Kemendagri (ID = the nation). Every answer states when the data was last changed (data_as_of)."
                }}
            </p>
            <table class="endpoints">
                <tbody>
                    {ENDPOINTS
                        .iter()
                        .map(|(path, in_id, in_en)| view! {
                            <tr>
                                <td><a href=*path><code>{*path}</code></a></td>
                                <td>{if id { *in_id } else { *in_en }}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </article>
    }
}
