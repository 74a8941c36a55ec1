//! Signing in, shown in place of any workspace page while nobody is signed in.

use leptos::prelude::*;
use pantau_core::account::SignIn;

use super::api::{self, KerjaError};
use super::i18n::{error_message, texts};
use super::state::{use_session, Auth, Notice};

/// Username or e-mail and password; the API's message when they are refused.
#[component]
pub fn SignInPage() -> impl IntoView {
    let t = texts();
    let session = use_session();
    super::deferred::prefetch_home();
    let notice = session.auth.with_untracked(|auth| match auth {
        Auth::SignedOut(notice) => *notice,
        _ => None,
    });
    let notice = notice.map(|notice| match notice {
        Notice::SignedOut => t.signed_out,
        Notice::PasswordSet => t.reset_done,
        Notice::Refused(code) => error_message(code),
    });
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let reveal = RwSignal::new(false);
    let error: RwSignal<Option<KerjaError>> = RwSignal::new(None);
    let send = Action::new_local(move |credentials: &SignIn| {
        let credentials = credentials.clone();
        async move {
            match api::sign_in(&credentials).await {
                Ok(me) => session.start(me),
                Err(refused) => {
                    password.set(String::new());
                    error.set(Some(refused));
                }
            }
        }
    });
    let pending = send.pending();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        error.set(None);
        send.dispatch_local(SignIn {
            login: login.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        });
    };
    view! {
        <section class="card narrow" data-testid="sign-in">
            <h1>{t.sign_in_title}</h1>
            <p class="intro">{t.sign_in_intro}</p>
            {notice.map(|n| view! { <p class="notice" role="status" data-testid="sign-in-notice">{n}</p> })}
            <form on:submit=on_submit>
                <div class="field">
                    <label for="login">{t.login_label}</label>
                    <input
                        id="login"
                        name="username"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        data-testid="sign-in-login"
                        bind:value=login
                    />
                </div>
                <div class="field">
                    <label for="password">{t.password_label}</label>
                    <input
                        id="password"
                        name="password"
                        type=move || if reveal.get() { "text" } else { "password" }
                        autocomplete="current-password"
                        required
                        data-testid="sign-in-password"
                        bind:value=password
                    />
                    <label class="choice small">
                        <input type="checkbox" bind:checked=reveal/>
                        <span>{t.show_password}</span>
                    </label>
                </div>
                {move || {
                    error.get().map(|e| view! { <p class="notice is-error" role="alert" data-testid="sign-in-error">{e.to_string()}</p> })
                }}
                <button type="submit" class="button big" data-testid="sign-in-submit" disabled=move || pending.get()>
                    {move || if pending.get() { t.signing_in } else { t.sign_in_button }}
                </button>
            </form>
            <p class="hint">{t.forgot_password}</p>
        </section>
    }
}
