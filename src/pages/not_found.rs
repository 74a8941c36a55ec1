//! Any path the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::search::SearchBox;
use crate::i18n::texts;

/// Says the page does not exist and offers search and the way back.
#[component]
pub fn NotFound() -> impl IntoView {
    let t = texts();
    view! {
        <section class="card" data-testid="not-found">
            <h1>{t.not_found_title}</h1>
            <p>{t.not_found_text}</p>
            <SearchBox id="not-found-search"/>
            <p><A href="/">{t.to_national}</A></p>
        </section>
    }
}
