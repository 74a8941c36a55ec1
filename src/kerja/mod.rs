//! Pantau Kerja, the officials' workspace under `/kerja/`: sign-in, home, enrolment form,
//! worker list and record, password reset, and the administration pages (`admin`). Built as its own app (`src/bin/kerja.rs`,
//! `kerja/index.html`); nothing in the public app refers to this module, so none of it
//! reaches what citizens download.
//!
//! No personal data goes into an address: records are opened by their numeric id, filters
//! are codes, and the full NIK is fetched on request only.

pub mod admin;
pub mod api;
pub mod conflicts;
pub mod deferred;
pub mod detail;
pub mod draft;
pub mod enrol;
pub mod fields;
pub mod form;
pub mod form_parts;
pub mod home;
pub mod i18n;
pub mod import;
pub mod layout;
pub mod list;
pub mod outbox;
pub mod reset;
pub mod sign_in;
pub mod state;
pub mod steps;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::path;

use self::admin::Page;
use self::deferred::{
    admin_page, confirm_session, detail_page, form_page, home_page, import_page, list_page, outbox_page, reset_page,
    start_outbox,
};
use self::draft::FormFields;
use self::i18n::texts;
use self::layout::{Header, KerjaNotFound};
use self::outbox::Outbox;
use self::reset::take_token_from_url;
use self::sign_in::SignInPage;
use self::state::{Auth, Flash, Notice, ResetToken, Session};
use crate::deferred::deferred;
use crate::i18n::{store_locale, stored_locale, CurrentLocale, Locale};

/// The workspace: header and the routed page, in the official's language.
#[component]
pub fn App() -> impl IntoView {
    let initial = stored_locale().unwrap_or(Locale::Id);
    store_locale(initial);
    let locale = RwSignal::new(initial);
    provide_context(CurrentLocale(locale));
    // Read before the router starts, so the token never appears in its location.
    provide_context(ResetToken(RwSignal::new(take_token_from_url())));
    let session = Session {
        auth: RwSignal::new(Auth::Checking),
        draft: FormFields::new(),
        draft_owner: RwSignal::new(None),
        online: RwSignal::new(true),
    };
    provide_context(session);
    provide_context(Flash(RwSignal::new(None)));
    let outbox = Outbox::new();
    provide_context(outbox);
    // The outbox starts for whoever signs in, online or from the device's last session.
    Effect::new(move |_| {
        if let Some(me) = session.me() {
            if outbox.started_for.get_untracked() != Some(me.user_id) {
                spawn_local(start_outbox(me.user_id, outbox, session));
            }
        }
    });
    let signed_out_here = state::take_signed_out().then_some(Notice::SignedOut);
    spawn_local(async move {
        match api::me().await {
            Ok(me) => session.start(me),
            // No network: the device's last official works on, the outbox keeps the records.
            Err(api::KerjaError::Network) => match state::last_session() {
                Some(me) => {
                    session.start_offline(me);
                    confirm_session(session).await;
                }
                None => session.auth.set(Auth::SignedOut(signed_out_here)),
            },
            Err(_) => session.auth.set(Auth::SignedOut(signed_out_here)),
        }
    });
    view! {
        <Router base="/kerja">
            // Everything below is rebuilt in the new language when the locale changes.
            {move || {
                locale.track();
                view! {
                    <a class="skip-link" href="#konten">{texts().skip_to_content}</a>
                    <Header/>
                    <main id="konten" class="ws-main" tabindex="-1">
                        <Routes fallback=|| view! { <Gate><KerjaNotFound/></Gate> }>
                            // Every page is behind the sign-in: one gate around them all.
                            <ParentRoute path=path!("") view=|| view! { <Gate><Outlet/></Gate> }>
                                <Route path=path!("/") view=|| deferred(home_page())/>
                                <Route path=path!("/daftar-baru") view=|| deferred(form_page(false))/>
                                <Route path=path!("/pekerja") view=|| deferred(list_page())/>
                                <Route path=path!("/impor") view=|| deferred(import_page())/>
                                <Route path=path!("/kotak-keluar") view=|| deferred(outbox_page())/>
                                <Route path=path!("/pekerja/:id") view=|| deferred(detail_page())/>
                                <Route path=path!("/pekerja/:id/ubah") view=|| deferred(form_page(true))/>
                                <Route path=path!("/admin/pengguna") view=|| deferred(admin_page(Page::Users))/>
                                <Route path=path!("/admin/target") view=|| deferred(admin_page(Page::Targets))/>
                                <Route path=path!("/admin/anggaran") view=|| deferred(admin_page(Page::Budgets))/>
                                <Route path=path!("/admin/regulasi") view=|| deferred(admin_page(Page::Regulations))/>
                                <Route path=path!("/admin/audit") view=|| deferred(admin_page(Page::Audit))/>
                                <Route path=path!("/admin/batas-desa") view=|| deferred(admin_page(Page::Boundaries))/>
                                <Route path=path!("/admin/sinkron") view=|| deferred(admin_page(Page::Sync))/>
                            </ParentRoute>
                        </Routes>
                    </main>
                }
            }}
        </Router>
    }
}

/// What the gate shows: the page once signed in, else the sign-in (or the password reset of a
/// reset link).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Reset,
    Checking,
    SignedOut,
    SignedIn,
}

#[component]
fn Gate(children: ChildrenFn) -> impl IntoView {
    let session = state::use_session();
    let reset = expect_context::<ResetToken>().0;
    let stage = Memo::new(move |_| {
        if reset.with(Option::is_some) {
            return Stage::Reset;
        }
        session.auth.with(|auth| match auth {
            Auth::Checking => Stage::Checking,
            Auth::SignedOut(_) => Stage::SignedOut,
            Auth::SignedIn(_) => Stage::SignedIn,
        })
    });
    move || match stage.get() {
        Stage::Reset => deferred(reset_page()).into_any(),
        Stage::Checking => view! { <p class="loading" data-testid="session-loading">{texts().loading}</p> }.into_any(),
        Stage::SignedOut => view! { <SignInPage/> }.into_any(),
        Stage::SignedIn => children().into_any(),
    }
}
