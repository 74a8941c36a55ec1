//! What a page shows when its data could not be loaded: the reason and a way forward.

use leptos::prelude::*;
use leptos_router::components::A;

/// The first error's message, a "Coba lagi" button, and a way back to the national page.
#[component]
pub fn LoadError(errors: ArcRwSignal<Errors>, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let message = move || {
        errors
            .with(|errors| errors.iter().next().map(|(_, e)| e.to_string()))
            .unwrap_or_default()
    };
    view! {
        <section class="card load-error" role="alert" data-testid="load-error">
            <h1>"Data belum dapat ditampilkan"</h1>
            <p data-testid="load-error-message">{message}</p>
            <div class="actions">
                <button type="button" class="button" data-testid="retry" on:click=move |_| retry()>"Coba lagi"</button>
                <A href="/">"Ke halaman nasional"</A>
            </div>
        </section>
    }
}
