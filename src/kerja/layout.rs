//! The workspace's header, its error box and its "not found" page.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use pantau_core::ErrorCode;

use super::api::KerjaError;
use super::deferred::sign_out_here;
use super::i18n::texts;
use super::outbox::use_outbox;
use super::state::{use_session, Notice};
use crate::i18n::{locale, store_locale, CurrentLocale, Locale};

/// Name, language switch, and for a signed-in official the menu and "sign out".
#[component]
pub fn Header() -> impl IntoView {
    let t = texts();
    let session = use_session();
    let current = expect_context::<CurrentLocale>().0;
    let other = if locale() == Locale::Id { Locale::En } else { Locale::Id };
    // The switch is a button, not a `?lang=` link: workspace addresses stay as they are, and
    // a half-filled form survives (its values live above the rebuilt view).
    let switch = move |_| {
        store_locale(other);
        current.set(other);
    };
    let outbox = use_outbox();
    let navigate = use_navigate();
    let sign_out = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            // Unsent records are never removed unasked: the outbox shows what would be lost.
            if outbox.count().unwrap_or(0) > 0 {
                navigate(
                    "/kerja/kotak-keluar?keluar=1",
                    NavigateOptions {
                        resolve: false,
                        ..Default::default()
                    },
                );
                return;
            }
            // Ended here whatever the server says: an expired session is signed out already.
            sign_out_here(session, outbox).await;
        }
    });
    let signed_in = move || session.me().is_some();
    view! {
        <header class="site-header ws-header">
            <div class="header-row">
                <a href="/kerja/" class="brand">
                    <span class="brand-mark" aria-hidden="true">"P"</span>
                    <span class="brand-text">
                        <strong>{t.app_name}</strong>
                        <small>{t.tagline}</small>
                    </span>
                </a>
                <div class="header-tools">
                    <button
                        type="button"
                        class="lang"
                        lang=other.code()
                        aria-label=format!("{} ({})", t.switch_to, t.switch_label)
                        data-testid="language-switch"
                        on:click=switch
                    >
                        {t.switch_to}
                    </button>
                    <Show when=signed_in>
                        <PressButton class="header-button" testid="sign-out" pending=sign_out.pending() press=move || { sign_out.dispatch_local(()); }>
                            {t.sign_out}
                        </PressButton>
                    </Show>
                </div>
            </div>
            <Show when=signed_in>
                <nav class="ws-nav" aria-label=t.nav_label>
                    <A href="/kerja/" exact=true>{t.nav_home}</A>
                    <A href="/kerja/pekerja">{t.nav_list}</A>
                    <A href="/kerja/kotak-keluar" attr:data-testid="nav-outbox">
                        {t.nav_outbox}
                        {move || {
                            outbox.count().map(|n| {
                                let class = if n > 0 { "count is-waiting" } else { "count" };
                                view! {
                                    <span class=class data-testid="outbox-count" aria-label=t.outbox_count_label>{n}</span>
                                }
                            })
                        }}
                    </A>
                </nav>
                <Show when=move || !session.online.get()>
                    <p class="ws-offline" role="status" data-testid="offline">
                        <strong>{t.offline}</strong>
                        " · "
                        {t.offline_detail}
                    </p>
                </Show>
            </Show>
        </header>
    }
}

/// Why data could not be loaded, with "try again", or "sign in again" when the session is over.
/// A button that runs `press`, disabled while `pending` (its action in flight), so that a
/// second tap on a slow network does not send twice.
#[component]
pub fn PressButton(
    class: &'static str,
    testid: &'static str,
    #[prop(into)] pending: Signal<bool>,
    press: impl Fn() + Send + Sync + 'static,
    children: Children,
) -> impl IntoView {
    view! {
        <button type="button" class=class data-testid=testid disabled=move || pending.get() on:click=move |_| press()>
            {children()}
        </button>
    }
}

#[component]
pub fn KerjaLoadError(error: KerjaError, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let t = texts();
    let session = use_session();
    let needs_sign_in = error.needs_sign_in();
    let code = error.code().unwrap_or(ErrorCode::Unauthenticated);
    view! {
        <section class="card load-error" role="alert" data-testid="load-error">
            <h2>{t.load_failed}</h2>
            <p data-testid="load-error-message">{error.to_string()}</p>
            <div class="actions">
                {if needs_sign_in {
                    view! {
                        <button type="button" class="button" on:click=move |_| session.end(Notice::Refused(code))>
                            {t.sign_in_again}
                        </button>
                    }
                        .into_any()
                } else {
                    view! {
                        <button type="button" class="button" data-testid="retry" on:click=move |_| retry()>
                            {t.retry}
                        </button>
                    }
                        .into_any()
                }}
            </div>
        </section>
    }
}

/// An address the workspace does not have.
#[component]
pub fn KerjaNotFound() -> impl IntoView {
    let t = texts();
    view! {
        <section class="card" data-testid="not-found">
            <h1>{t.not_found_title}</h1>
            <p>{t.not_found_text}</p>
            <p><a href="/kerja/">{t.nav_home}</a></p>
        </section>
    }
}

/// A confirmation carried over from the previous page, shown once.
#[component]
pub fn FlashNotice() -> impl IntoView {
    let flash = super::state::use_flash();
    let message = flash.0.get_untracked();
    // Shown on this page only: gone once the official moves on.
    on_cleanup(move || flash.0.set(None));
    message.map(|m| view! { <p class="notice is-success" role="status" data-testid="flash">{m}</p> })
}
