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
    /// Whether the server answered the last time it was asked; false while the workspace runs
    /// on the device's last session (see [`last_session`]).
    pub online: RwSignal<bool>,
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

    /// Starts using a session the server confirmed, and keeps it on the device for opening
    /// without a network.
    pub fn start(&self, me: Me) {
        set_csrf(&me.csrf_token);
        remember_session(&me);
        self.online.set(true);
        if self.draft_owner.get_untracked() != Some(me.user_id) {
            self.draft.clear();
            self.draft_owner.set(Some(me.user_id));
        }
        self.auth.set(Auth::SignedIn(Box::new(me)));
    }

    /// Opens the workspace without a network for the official of the device's last session:
    /// the form and the outbox work, and records wait until the server confirms the session.
    pub fn start_offline(&self, me: Me) {
        self.draft_owner.set(Some(me.user_id));
        self.online.set(false);
        self.auth.set(Auth::SignedIn(Box::new(me)));
    }

    /// Ends the session in the app. Signing out on purpose also forgets the unsent form and the
    /// device's copy of the session; a session that expired keeps both for the same official to
    /// finish (offline too), until the server refuses it.
    pub fn end(&self, notice: Notice) {
        set_csrf("");
        self.online.set(true);
        if notice != Notice::Refused(ErrorCode::SessionExpired) {
            self.draft.clear();
            forget_session();
        }
        self.auth.set(Auth::SignedOut(Some(notice)));
    }
}

/// Where the device keeps its last confirmed session.
const LAST_SESSION_KEY: &str = "pantau-kerja.session";
/// How long the last session opens the workspace without a network: a week in the field
/// without signal. The server's own session lasts 12 hours; records made after that are sent
/// once the official has signed in again.
const OFFLINE_DAYS: f64 = 7.0;

/// The device's copy of a confirmed session: who, and when the server last confirmed it. No
/// CSRF token and no cookie: it opens the app's pages, never the server's data.
#[derive(serde::Serialize, serde::Deserialize)]
struct LastSession {
    me: Me,
    confirmed_ms: f64,
}

fn remember_session(me: &Me) {
    let mut me = me.clone();
    me.csrf_token.clear();
    let last = LastSession {
        me,
        confirmed_ms: js_sys::Date::now(),
    };
    if let (Some(storage), Ok(json)) = (window().local_storage().ok().flatten(), serde_json::to_string(&last)) {
        let _ = storage.set_item(LAST_SESSION_KEY, &json);
    }
}

fn forget_session() {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.remove_item(LAST_SESSION_KEY);
    }
}

/// The official of the device's last session, when it was confirmed within [`OFFLINE_DAYS`].
pub fn last_session() -> Option<Me> {
    let storage = window().local_storage().ok().flatten()?;
    let json = storage.get_item(LAST_SESSION_KEY).ok().flatten()?;
    let last: LastSession = serde_json::from_str(&json).ok()?;
    (js_sys::Date::now() - last.confirmed_ms < OFFLINE_DAYS * 86_400_000.0).then_some(last.me)
}

/// Where a sign-out leaves its notice for the page it reloads into.
const SIGNED_OUT_KEY: &str = "pantau-kerja.signed-out";

/// Leaves "you signed out" for the next page of this tab.
pub fn mark_signed_out() {
    if let Some(storage) = window().session_storage().ok().flatten() {
        let _ = storage.set_item(SIGNED_OUT_KEY, "1");
    }
}

/// Whether this tab's previous page signed out (read once).
pub fn take_signed_out() -> bool {
    let Some(storage) = window().session_storage().ok().flatten() else {
        return false;
    };
    let marked = storage.get_item(SIGNED_OUT_KEY).ok().flatten().is_some();
    let _ = storage.remove_item(SIGNED_OUT_KEY);
    marked
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
