//! Header and footer around every page.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::components::search::SearchBox;
use crate::i18n::{locale, texts, Locale};

/// Site name, search, navigation and the language switch.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let t = texts();
    let location = use_location();
    let other = if locale() == Locale::Id { Locale::En } else { Locale::Id };
    // The switch is a link: it works before the app loads and the URL can be shared.
    let switch_href = move || format!("{}?lang={}", location.pathname.get(), other.code());
    view! {
        <header class="site-header">
            <div class="header-row">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"P"</span>
                    <span class="brand-text">
                        <strong>"Pantau"</strong>
                        <small>{t.top.tagline}</small>
                    </span>
                </A>
                <nav aria-label=t.top.nav_label>
                    <A href="/tentang-data">{t.top.about_data}</A>
                    <A href="/data-terbuka">{t.top.open_data}</A>
                    <a
                        class="lang"
                        href=switch_href
                        hreflang=other.code()
                        lang=other.code()
                        aria-label=format!("{} ({})", t.top.switch_to, t.top.switch_label)
                        data-testid="language-switch"
                    >
                        {t.top.switch_to}
                    </a>
                </nav>
            </div>
            <SearchBox id="site-search"/>
        </header>
    }
}

/// Sources and licence of the data.
#[component]
pub fn SiteFooter() -> impl IntoView {
    let t = texts();
    view! {
        <footer class="site-footer">
            <p>{t.footer_about}</p>
            <p>{t.footer_source} " " <A href="/tentang-data">{t.footer_method}</A></p>
        </footer>
    }
}
