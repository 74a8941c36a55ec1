//! Header and footer around every page.

use leptos::prelude::*;
use leptos_router::components::A;

/// Site name and main navigation.
#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"P"</span>
                <span class="brand-text">
                    <strong>"Pantau"</strong>
                    <small>"1 Desa 100 Pekerja Rentan"</small>
                </span>
            </A>
            <nav aria-label="Menu utama">
                <A href="/tentang-data">"Tentang data"</A>
            </nav>
        </header>
    }
}

/// Sources and licence of the data.
#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Pantau memantau cakupan jaminan sosial ketenagakerjaan (BPJS Ketenagakerjaan) bagi pekerja rentan, "
                "dengan target gerakan “1 Desa 100 Pekerja Rentan”."
            </p>
            <p>
                "Kode dan nama wilayah: Kepmendagri 300.2.2-2138/2025 jo. 300.2.2-2430/2025, "
                "disusun oleh cahyadsn/wilayah (lisensi MIT). "
                <A href="/tentang-data">"Sumber dan cara hitung"</A>
            </p>
        </footer>
    }
}
