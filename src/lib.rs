//! Pantau's browser app: the public coverage portal, rendered client-side by Leptos.

pub mod api;
pub mod components;
pub mod error;
pub mod format;
pub mod pages;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::{SiteFooter, SiteHeader};
use crate::pages::about::AboutData;
use crate::pages::area::AreaPage;
use crate::pages::not_found::NotFound;

/// The whole app: header, routed page, footer.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <a class="skip-link" href="#konten">"Langsung ke isi"</a>
            <SiteHeader/>
            <main id="konten" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=AreaPage/>
                    <Route path=path!("/wilayah/:kode") view=AreaPage/>
                    <Route path=path!("/tentang-data") view=AboutData/>
                </Routes>
            </main>
            <SiteFooter/>
        </Router>
    }
}
