//! What a page shows when its data could not be loaded: the reason and a way forward.

use leptos::prelude::*;
use leptos_router::components::A;
use pantau_core::ErrorCode;

use crate::components::search::SearchBox;
use crate::error::AppError;
use crate::i18n::texts;

/// The error's message and a way back to the national page. An area code that is wrong or
/// unknown gets the search (asking again gives the same answer); anything else, such as a
/// network error, gets a "Coba lagi" button.
#[component]
pub fn LoadError(error: AppError, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let t = texts();
    let not_found = matches!(
        error,
        AppError::Api(ErrorCode::AreaNotFound | ErrorCode::InvalidRegionCode)
    );
    view! {
        <section class="card load-error" role="alert" data-testid="load-error">
            <h1>{if not_found { t.not_found_title } else { t.load_failed }}</h1>
            <p data-testid="load-error-message">{error.to_string()}</p>
            {not_found.then(|| view! { <SearchBox id="error-search"/> })}
            <div class="actions">
                {(!not_found).then(|| view! {
                    <button type="button" class="button" data-testid="retry" on:click=move |_| retry()>{t.retry}</button>
                })}
                <A href="/">{t.to_national}</A>
            </div>
        </section>
    }
}
