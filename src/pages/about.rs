//! `/tentang-data`: where the data comes from and how every figure is counted.

use leptos::prelude::*;

/// Sources, licences and definitions.
#[component]
pub fn AboutData() -> impl IntoView {
    Effect::new(move |_| document().set_title("Tentang data — Pantau"));
    view! {
        <article class="card prose" data-testid="about-data">
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
            </dl>
            <p>"Angka setiap wilayah adalah penjumlahan angka desa/kelurahan di dalamnya dan diperbarui pada saat data dicatat."</p>

            <h2>"Privasi"</h2>
            <p>
                "Portal publik hanya menampilkan jumlah. NIK, nama, tanggal lahir dan nomor telepon peserta tidak pernah "
                "ditampilkan atau dikirim ke halaman publik (UU 27/2022 tentang Pelindungan Data Pribadi)."
            </p>

            <h2>"Data demo"</h2>
            <p>
                "Selama tanda “Data demo” tampil, angka peserta dibuat oleh program untuk peragaan di Kab. Bekasi, "
                "Kab. Kayong Utara, Kab. Serang dan Kab. Majalengka. Orang, nama dan NIK di dalamnya fiktif."
            </p>

            <h2>"Sumber wilayah"</h2>
            <ul>
                <li>
                    "Kode dan nama 38 provinsi, 514 kabupaten/kota, 7.285 kecamatan dan 83.762 desa/kelurahan: "
                    "Kepmendagri No. 300.2.2-2138 Tahun 2025 sebagaimana diubah dengan No. 300.2.2-2430 Tahun 2025, "
                    "dari repositori cahyadsn/wilayah (commit b7ad440, berkas db/wilayah.sql), "
                    "lisensi MIT, © 2017–2025 Cahya DSN."
                </li>
                <li>
                    "Titik label wilayah: repositori cahyadsn/wilayah_boundaries (commit 3c5a796), lisensi MIT, © 2024 Cahya DSN."
                </li>
            </ul>
            <p>"Data ini disusun komunitas, bukan rilis resmi Kemendagri atau BIG. Daftar wilayah dapat dimuat ulang saat keputusan baru terbit tanpa kehilangan data peserta."</p>
        </article>
    }
}
