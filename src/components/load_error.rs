//! What a page shows when its data could not be loaded: the reason and a way forward.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::search::SearchBox;
use crate::error::AppError;
use crate::i18n::texts;
use pantau_core::ErrorCode;

/// The first error's message, a "Coba lagi" button, and a way back to the national page.
#[component]
pub fn LoadError(errors: ArcRwSignal<Errors>, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let t = texts();
    let first = {
        let errors = errors.clone();
        move || errors.with(|errors| errors.iter().next().map(|(_, e)| e.clone()))
    };
    let message = {
        let first = first.clone();
        move || first().map(|e| e.to_string()).unwrap_or_default()
    };
    // A wrong or unknown area code: offer the search right here.
    let not_found = move || {
        first()
            .and_then(|e| e.downcast_ref::<AppError>().cloned())
            .is_some_and(|e| matches!(e, AppError::Api(ErrorCode::AreaNotFound | ErrorCode::InvalidRegionCode)))
    };
    view! {
        <section class="card load-error" role="alert" data-testid="load-error">
            <h1>{t.load_failed}</h1>
            <p data-testid="load-error-message">{message}</p>
            <Show when=not_found>
                <SearchBox id="error-search"/>
            </Show>
            <div class="actions">
                <button type="button" class="button" data-testid="retry" on:click=move |_| retry()>{t.retry}</button>
                <A href="/">{t.to_national}</A>
            </div>
        </section>
    }
}
