//! Setting a new password with a one-time link `/kerja/#atur-sandi=<token>`. The token sits
//! in the fragment, which browsers never send, so it stays out of server logs; the app takes
//! it from the address at start and removes it from the address bar and history.

use leptos::prelude::*;
use pantau_core::account::{PasswordReset, MIN_PASSWORD_CHARS};
use pantau_core::ErrorCode;

use super::api;
use super::i18n::{error_message, texts};
use super::state::{use_session, Notice, ResetToken};

/// Fragment key of a reset link.
const FRAGMENT_KEY: &str = "#atur-sandi=";

/// The token of a reset link the app was opened with, removed from the address.
pub fn take_token_from_url() -> Option<String> {
    let location = window().location();
    let hash = location.hash().ok()?;
    let token = hash.strip_prefix(FRAGMENT_KEY)?.trim().to_owned();
    // Replace the address without the fragment, so neither the address bar, the history nor a
    // bookmark keeps the token.
    let path = location.pathname().unwrap_or_else(|_| "/kerja/".to_owned());
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    (!token.is_empty()).then_some(token)
}

/// New password twice, then sign in with it.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let t = texts();
    let session = use_session();
    let token = expect_context::<ResetToken>().0;
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let send = Action::new_local(move |reset: &PasswordReset| {
        let reset = reset.clone();
        async move {
            match api::reset_password(&reset).await {
                Ok(()) => {
                    token.set(None);
                    session.end(Notice::PasswordSet);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    let pending = send.pending();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let (new, again) = (password.get_untracked(), repeat.get_untracked());
        if new != again {
            error.set(Some(t.passwords_differ.to_owned()));
        } else if new.chars().count() < MIN_PASSWORD_CHARS {
            error.set(Some(error_message(ErrorCode::PasswordTooShort).to_owned()));
        } else {
            error.set(None);
            send.dispatch_local(PasswordReset {
                token: token.get_untracked().unwrap_or_default(),
                password: new,
            });
        }
    };
    view! {
        <section class="card narrow" data-testid="reset-password">
            <h1>{t.reset_title}</h1>
            <p class="intro">{t.reset_intro}</p>
            <form on:submit=on_submit>
                <div class="field">
                    <label for="new-password">{t.new_password}</label>
                    <input
                        id="new-password"
                        type="password"
                        autocomplete="new-password"
                        minlength=MIN_PASSWORD_CHARS.to_string()
                        required
                        data-testid="reset-password-new"
                        bind:value=password
                    />
                </div>
                <div class="field">
                    <label for="repeat-password">{t.repeat_password}</label>
                    <input
                        id="repeat-password"
                        type="password"
                        autocomplete="new-password"
                        required
                        data-testid="reset-password-repeat"
                        bind:value=repeat
                    />
                </div>
                {move || error.get().map(|e| view! { <p class="notice is-error" role="alert" data-testid="reset-error">{e}</p> })}
                <button type="submit" class="button big" data-testid="reset-submit" disabled=move || pending.get()>
                    {t.reset_button}
                </button>
            </form>
            <p><a href="/kerja/" on:click=move |_| token.set(None)>{t.to_sign_in}</a></p>
        </section>
    }
}
