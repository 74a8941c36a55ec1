//! App-wide state of the workspace, provided by its `App`: the session, a notice carried to the
//! next page, and the new-enrolment form (kept while the official looks elsewhere, cleared on
//! sign-out).

use leptos::prelude::*;
use pantau_core::account::{Action, Me};
use pantau_core::{AreaCode, ErrorCode};

use super::api::set_csrf;
use super::draft::FormFields;

/// Why the sign-in page is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The official signed out.
    SignedOut,
    /// The API refused the session (ended, expired).
    Refused(ErrorCode),
    /// A new password was set through a reset link.
    PasswordSet,
}

/// Who is signed in.
#[derive(Clone, Debug, PartialEq)]
pub enum Auth {
    /// Asking the server.
    Checking,
    /// Nobody; with the reason, when there is one to tell.
    SignedOut(Option<Notice>),
    /// An official.
    SignedIn(Box<Me>),
}

/// The session, as context.
#[derive(Clone, Copy)]
pub struct Session {
    pub auth: RwSignal<Auth>,
    /// The new-enrolment form: an interrupted enrolment is still there after signing in again.
    pub draft: FormFields,
    /// Whose form `draft` is: another official signing in on the same device starts afresh.
    pub draft_owner: RwSignal<Option<i64>>,
}

impl Session {
    /// The signed-in official (tracked).
    pub fn me(&self) -> Option<Me> {
        self.auth.with(|auth| match auth {
            Auth::SignedIn(me) => Some((**me).clone()),
            _ => None,
        })
    }

    /// Whether the signed-in official may do `action` at `area` (the server checks again).
    pub fn may(&self, action: Action, area: &AreaCode) -> bool {
        self.auth.with(|auth| match auth {
            Auth::SignedIn(me) => me.grant.allows(action, area),
            _ => false,
        })
    }

    /// Starts using a session the server confirmed.
    pub fn start(&self, me: Me) {
        set_csrf(&me.csrf_token);
        if self.draft_owner.get_untracked() != Some(me.user_id) {
            self.draft.clear();
            self.draft_owner.set(Some(me.user_id));
        }
        self.auth.set(Auth::SignedIn(Box::new(me)));
    }

    /// Ends the session in the app. Signing out on purpose also forgets the unsent form; a
    /// session that expired keeps it for the same official to finish.
    pub fn end(&self, notice: Notice) {
        set_csrf("");
        if notice != Notice::Refused(ErrorCode::SessionExpired) {
            self.draft.clear();
        }
        self.auth.set(Auth::SignedOut(Some(notice)));
    }
}

/// The session context.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// A confirmation to show on the next page (e.g. "enrolled" on the list).
#[derive(Clone, Copy)]
pub struct Flash(pub RwSignal<Option<String>>);

/// The flash context.
pub fn use_flash() -> Flash {
    expect_context::<Flash>()
}

/// The reset-link token read from `#atur-sandi=…` when the app opened, if any.
#[derive(Clone, Copy)]
pub struct ResetToken(pub RwSignal<Option<String>>);

/// Today in the browser's time zone (core has no clock).
pub fn today() -> time::Date {
    let now = js_sys::Date::new_0();
    // get_month is 0–11 and get_date 1–31, so the casts cannot truncate.
    let month = time::Month::try_from(now.get_month() as u8 + 1).unwrap_or(time::Month::January);
    time::Date::from_calendar_date(now.get_full_year() as i32, month, now.get_date() as u8).unwrap_or(time::Date::MIN)
}
