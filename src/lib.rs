//! Pantau's browser app: the public coverage portal, rendered client-side by Leptos.

pub mod api;
pub mod components;
pub mod deferred;
pub mod error;
pub mod format;
pub mod i18n;
#[cfg(feature = "kerja")]
pub mod kerja;
pub mod pages;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_query_map;
use leptos_router::path;

use crate::components::layout::{SiteFooter, SiteHeader};
use crate::deferred::{about_page, deferred, open_data_page};
use crate::i18n::{store_locale, stored_locale, texts, CurrentLocale, Locale};
use crate::pages::area::AreaPage;
use crate::pages::not_found::NotFound;

/// Mounts the app in place of the top of the area's page the server rendered
/// (`server/src/http/shell.rs`), if the page has it. In one task, so no frame shows both or
/// neither: the first area's data is inlined and renders before the browser paints again.
///
/// The mount runs in a task of its own, after the one in which the browser finished compiling
/// the wasm: two shorter tasks instead of one long one, so a slow phone can answer a tap in
/// between (Lighthouse's total blocking time halves).
pub fn start() {
    set_timeout(
        || {
            leptos::mount::mount_to_body(App);
            if let Some(first_paint) = document().get_element_by_id(pantau_core::api::FIRST_PAINT_ID) {
                first_paint.remove();
            }
        },
        std::time::Duration::ZERO,
    );
}

/// `?lang=` of the address the app was opened with.
fn locale_in_url() -> Option<Locale> {
    let search = window().location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Locale::parse)
}

/// The whole app: header, routed page, footer, in the reader's language.
#[component]
pub fn App() -> impl IntoView {
    let initial = locale_in_url().or_else(stored_locale).unwrap_or(Locale::Id);
    store_locale(initial);
    let locale = RwSignal::new(initial);
    provide_context(CurrentLocale(locale));
    view! {
        <Router>
            <LocaleFromUrl/>
            // Everything below is rebuilt in the new language when the locale changes.
            {move || {
                locale.track();
                view! {
                    <a class="skip-link" href="#konten">{texts().skip_to_content}</a>
                    <SiteHeader/>
                    <main id="konten" tabindex="-1">
                        <Routes fallback=|| view! { <NotFound/> }>
                            <Route path=path!("/") view=AreaPage/>
                            <Route path=path!("/wilayah/:kode") view=AreaPage/>
                            <Route path=path!("/tentang-data") view=|| deferred(about_page())/>
                            <Route path=path!("/data-terbuka") view=|| deferred(open_data_page())/>
                        </Routes>
                    </main>
                    <SiteFooter/>
                }
            }}
        </Router>
    }
}

/// Follows `?lang=` when the reader uses the language switch.
#[component]
fn LocaleFromUrl() -> impl IntoView {
    let query = use_query_map();
    let current = expect_context::<CurrentLocale>().0;
    Effect::new(move |_| {
        if let Some(wanted) = query.read().get("lang").as_deref().and_then(Locale::parse) {
            if current.get_untracked() != wanted {
                store_locale(wanted);
                current.set(wanted);
            }
        }
    });
}
