//! What a page shows when its data could not be loaded: the reason and a way forward.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::texts;

/// The first error's message, a "Coba lagi" button, and a way back to the national page.
#[component]
pub fn LoadError(errors: ArcRwSignal<Errors>, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let t = texts();
    let message = move || {
        errors
            .with(|errors| errors.iter().next().map(|(_, e)| e.to_string()))
            .unwrap_or_default()
    };
    view! {
        <section class="card load-error" role="alert" data-testid="load-error">
            <h1>{t.load_failed}</h1>
            <p data-testid="load-error-message">{message}</p>
            <div class="actions">
                <button type="button" class="button" data-testid="retry" on:click=move |_| retry()>{t.retry}</button>
                <A href="/">{t.to_national}</A>
            </div>
        </section>
    }
}
