//! `/tentang-data`: where the data comes from, how every figure is counted, privacy.

use leptos::prelude::*;

use crate::i18n::{locale, Locale};

/// Sources, licences, definitions and the privacy rule, in the reader's language.
#[component]
pub fn AboutData() -> impl IntoView {
    let id = locale() == Locale::Id;
    Effect::new(move |_| {
        document().set_title(if id {
            "Tentang data — Pantau"
        } else {
            "About the data — Pantau"
        })
    });
    view! { <article class="card prose" data-testid="about-data">{if id { about_id().into_any() } else { about_en().into_any() }}</article> }
}

fn about_id() -> impl IntoView {
    view! {
        <h1>"Tentang data"</h1>
        <h2>"Cara menghitung"</h2>
        <dl>
            <dt>"Target"</dt>
            <dd>
                "Setiap desa/kelurahan menargetkan 100 pekerja rentan terlindungi (gerakan “1 Desa 100 Pekerja Rentan”, "
                "Kemendagri dan BPJS Ketenagakerjaan, September 2022), kecuali pemerintah daerah menetapkan angka lain. "
                "Target kecamatan, kabupaten/kota, provinsi dan nasional adalah jumlah target desa/kelurahan di dalamnya."
            </dd>
            <dt>"Terdaftar"</dt>
            <dd>"Pekerja rentan yang didaftarkan sebagai peserta Bukan Penerima Upah (BPU) dan belum dinonaktifkan."</dd>
            <dt>"Terlindungi (aktif)"</dt>
            <dd>
                "Peserta terdaftar yang iurannya sudah dibayar untuk bulan berjalan. Capaian = aktif ÷ target. "
                "Peserta yang menunggak sampai 3 bulan masih dapat melunasi; lewat dari itu kepesertaannya berhenti."
            </dd>
            <dt>"Desa mencapai target"</dt>
            <dd>"Desa/kelurahan yang jumlah peserta aktifnya sama dengan atau melebihi targetnya."</dd>
            <dt>"Iuran setahun"</dt>
            <dd>"Iuran bulanan peserta aktif × 12: JKK 1% dari penghasilan yang dilaporkan, JKM Rp6.800, JHT 2% bila diikuti (JKK+JKM terendah Rp16.800/bulan)."</dd>
            <dt>"Peringkat"</dt>
            <dd>"Urutan capaian di antara wilayah dengan induk yang sama; capaian sama mendapat peringkat sama."</dd>
        </dl>
        <p>"Angka setiap wilayah adalah penjumlahan angka desa/kelurahan di dalamnya, diperbarui pada saat data dicatat. Setiap halaman dan unduhan menyebut waktu data terakhir berubah."</p>
        <h2>"Privasi"</h2>
        <p>
            "Portal publik hanya menampilkan jumlah, tidak pernah orang. NIK, nama, tanggal lahir dan nomor telepon peserta tidak "
            "ditampilkan atau dikirim ke halaman publik (UU 27/2022 tentang Pelindungan Data Pribadi; UU Adminduk pasal 84)."
        </p>
        <p>
            "Di setiap tingkat, sel rincian yang berisi 1 sampai 4 orang ditampilkan sebagai “<5”, begitu pula angka aktif bila "
            "selisih terdaftar dan aktif 1 sampai 4 orang. Tidak ada jumlah yang terbit dengan tepat satu sel tersamar: bila hanya "
            "satu sel di rincian sebuah wilayah, atau di sel yang sama wilayah-wilayah bertetangga di bawah satu induk, yang "
            "disamarkan, sel terkecil lain ikut disamarkan, agar angka itu tidak dapat dihitung dari total dikurangi sel lain. "
            "Karena itu “<5” dapat juga menandai angka yang lebih besar yang ikut disamarkan. "
            "Sel yang angka terdaftarnya disamarkan juga disamarkan angka aktifnya."
        </p>
        <h2>"Data demo"</h2>
        <p>
            "Selama tanda “Data demo” tampil, angka peserta dibuat oleh program untuk peragaan di Kab. Bekasi, Kab. Kayong Utara, "
            "Kab. Serang dan Kab. Majalengka. Orang, nama dan NIK di dalamnya fiktif."
        </p>
        <h2>"Sumber wilayah"</h2>
        <ul>
            <li>
                "Kode dan nama 38 provinsi, 514 kabupaten/kota, 7.285 kecamatan dan 83.762 desa/kelurahan: Kepmendagri No. 300.2.2-2138 "
                "Tahun 2025 sebagaimana diubah dengan No. 300.2.2-2430 Tahun 2025, dari repositori cahyadsn/wilayah (commit b7ad440, "
                "berkas db/wilayah.sql), lisensi MIT, © 2017–2025 Cahya DSN."
            </li>
            <li>"Titik label wilayah: repositori cahyadsn/wilayah_boundaries (commit 3c5a796), lisensi MIT, © 2024 Cahya DSN."</li>
        </ul>
        <p>"Data wilayah ini disusun komunitas, bukan rilis resmi Kemendagri atau BIG. Daftar wilayah dapat dimuat ulang saat keputusan baru terbit tanpa kehilangan data peserta."</p>
    }
}

fn about_en() -> impl IntoView {
    view! {
        <h1>"About the data"</h1>
        <h2>"How figures are counted"</h2>
        <dl>
            <dt>"Target"</dt>
            <dd>
                "Each village aims to protect 100 vulnerable workers (the “1 Village 100 Vulnerable Workers” movement of the Ministry "
                "of Home Affairs and BPJS Ketenagakerjaan, September 2022) unless its government sets another figure. District, "
                "regency, province and national targets are the sums of their villages' targets."
            </dd>
            <dt>"Enrolled"</dt>
            <dd>"Vulnerable workers registered as non-wage (BPU) members and not deactivated."</dd>
            <dt>"Protected (active)"</dt>
            <dd>
                "Enrolled members whose premium is paid for the current month. Progress = active ÷ target. Members up to 3 months in "
                "arrears can still pay; after that their membership lapses."
            </dd>
            <dt>"Villages at target"</dt>
            <dd>"Villages whose active members reach or exceed their target."</dd>
            <dt>"Premiums per year"</dt>
            <dd>"Monthly premiums of active members × 12: JKK 1% of declared income, JKM Rp6,800, JHT 2% where taken (lowest JKK+JKM Rp16,800 a month)."</dd>
            <dt>"Rank"</dt>
            <dd>"Position by progress among areas with the same parent; equal progress shares a rank."</dd>
        </dl>
        <p>"Every area's figures are the sums of its villages', updated when data is recorded. Every page and download states when the data last changed."</p>
        <h2>"Privacy"</h2>
        <p>
            "The public portal shows counts, never people. Members' NIK, names, birth dates and phone numbers are never shown or "
            "sent to public pages (Personal Data Protection Law 27/2022; Population Administration Law art. 84)."
        </p>
        <p>
            "At every level, a breakdown cell of 1 to 4 people is shown as “<5”, and so is an active count that differs from the "
            "enrolled one by 1 to 4. No total is published with exactly one masked cell: when only one cell of an area's breakdown, "
            "or of the same cell across sibling areas under one parent, would be masked, the next smallest is masked too, so the "
            "hidden figure cannot be worked out by subtraction. So “<5” may also mark a larger figure masked with it. A cell whose "
            "enrolled count is masked also has its active count masked."
        </p>
        <h2>"Demo data"</h2>
        <p>
            "While the “Demo data” banner shows, member figures are generated for demonstration in Bekasi, Kayong Utara, Serang "
            "and Majalengka regencies. The people, names and NIKs in them are fictional."
        </p>
        <h2>"Region sources"</h2>
        <ul>
            <li>
                "Codes and names of 38 provinces, 514 regencies/cities, 7,285 districts and 83,762 villages: Kepmendagri "
                "300.2.2-2138/2025 as amended by 300.2.2-2430/2025, from the cahyadsn/wilayah repository (commit b7ad440, "
                "db/wilayah.sql), MIT licence, © 2017–2025 Cahya DSN."
            </li>
            <li>"Label points: the cahyadsn/wilayah_boundaries repository (commit 3c5a796), MIT licence, © 2024 Cahya DSN."</li>
        </ul>
        <p>"This region data is community-compiled, not an official Kemendagri or BIG release. The list can be reloaded when a new decree is issued without losing member data."</p>
    }
}
