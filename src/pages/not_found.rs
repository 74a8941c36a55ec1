//! Any path the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

/// Says the page does not exist and offers the way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card" data-testid="not-found">
            <h1>"Halaman tidak ditemukan"</h1>
            <p>"Alamat ini tidak ada di Pantau. Mulai lagi dari halaman nasional, lalu pilih provinsi, kabupaten/kota, kecamatan dan desa."</p>
            <p><A href="/">"Ke halaman nasional"</A></p>
        </section>
    }
}
