//! Sends the outbox: one tab per account owns the queue (a Web Lock), takes the oldest due
//! record, freezes it (`Sending`), sends it with its key and removes it only once the server
//! has answered. No network: the record waits again and the next try comes after 1 s, 2 s,
//! 4 s … up to 5 min, or at once when the browser says the network is back or a tab adds a
//! record. Every change is announced on the `pantau-outbox` broadcast channel, so every tab's
//! list and count follow.

use std::cell::Cell;

use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use pantau_core::error::ErrorBody;
use pantau_core::ErrorCode;
use time::format_description::well_known::Rfc3339;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::{is_refusal, store, Kept, KeptKind, Outbox, Pending, RecordState};
use crate::kerja::api::{self, KerjaError};
use crate::kerja::state::{Notice, Session};

const CHANNEL: &str = "pantau-outbox";
const FIRST_RETRY_MS: f64 = 1_000.0;
const LONGEST_RETRY_MS: f64 = 300_000.0;
/// How often the owner looks whether it was woken while waiting for a retry.
const TICK_MS: i32 = 250;

thread_local! {
    /// Set when something happened that is worth a try now (a new record, the network back).
    static WOKEN: Cell<bool> = const { Cell::new(false) };
    static CHANNEL_OPEN: Cell<Option<()>> = const { Cell::new(None) };
}

/// Starts the outbox of `user` in this tab: reads it, listens to the other tabs, asks the
/// browser to keep the storage, and queues for the account's lock; the tab that gets it sends.
pub fn start(user: i64, outbox: Outbox, session: Session) {
    if outbox.started_for.get_untracked() == Some(user) {
        return;
    }
    outbox.started_for.set(Some(user));
    listen(user, outbox);
    spawn_local(async move {
        refresh(user, outbox).await;
        outbox.persisted.set(Some(persist().await));
    });
    let owner = move || {
        future_to_promise(async move {
            run(user, outbox, session).await;
            Ok(JsValue::UNDEFINED)
        })
    };
    if !request_lock(&format!("pantau-outbox-{user}"), owner) {
        // No Web Locks (old browser): this tab sends; the keys keep a second tab's sends
        // from making a second record.
        spawn_local(async move { run(user, outbox, session).await });
    }
}

/// Tells the owner tab (this one or another) to try now, and the other tabs to read again.
pub fn kick() {
    WOKEN.with(|w| w.set(true));
    post(KICK);
}

/// Reads the account's records and receipts into the signals.
pub async fn refresh(user: i64, outbox: Outbox) {
    if let Ok(records) = store::records(user).await {
        outbox.records.set(Some(records));
    }
    if let Ok(kept) = store::receipts(user).await {
        outbox.receipts.set(kept);
    }
}

/// `navigator.locks.request(name, callback)`: `callback` runs when this tab holds the lock,
/// which it keeps until the promise returned settles (or the tab closes). False when the
/// browser has no Web Locks.
fn request_lock(name: &str, callback: impl FnOnce() -> Promise + 'static) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).unwrap_or(JsValue::UNDEFINED);
    let request = Reflect::get(&locks, &JsValue::from_str("request"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    let Some(request) = request else { return false };
    let callback = Closure::once_into_js(move |_lock: JsValue| callback());
    request.call2(&locks, &JsValue::from_str(name), &callback).is_ok()
}

fn channel() -> Option<web_sys::BroadcastChannel> {
    web_sys::BroadcastChannel::new(CHANNEL).ok()
}

/// The message that wakes the sender; any other only makes the tabs read again.
const KICK: &str = "kick";
const CHANGED: &str = "changed";

/// Tells every tab (this one too: the listener's channel is another object) to read again.
fn announce() {
    post(CHANGED);
}

fn post(message: &str) {
    if let Some(channel) = channel() {
        let _ = channel.post_message(&JsValue::from_str(message));
        channel.close();
    }
}

/// Every tab reads the outbox again when another announces a change, and wakes the sender
/// when the network comes back.
fn listen(user: i64, outbox: Outbox) {
    if CHANNEL_OPEN.with(|open| open.replace(Some(()))).is_some() {
        return;
    }
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        if event.data().as_string().as_deref() == Some(KICK) {
            WOKEN.with(|w| w.set(true));
        }
        spawn_local(refresh(user, outbox));
    });
    if let Some(channel) = channel() {
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The channel lives as long as the page.
        std::mem::forget(channel);
    }
    on_message.forget();
    let on_online = Closure::<dyn Fn()>::new(|| WOKEN.with(|w| w.set(true)));
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    }
    on_online.forget();
}

/// Asks the browser not to evict this site's storage under pressure; whether it agreed.
async fn persist() -> bool {
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
        return false;
    };
    match storage.persist() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        Err(_) => false,
    }
}

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Waits until `due` (ms since 1970) or until woken.
async fn wait_until(due: f64) {
    while js_sys::Date::now() < due && !WOKEN.with(|w| w.replace(false)) {
        sleep(TICK_MS).await;
    }
}

fn signed_in_as(session: &Session, user: i64) -> bool {
    session.me().is_some_and(|me| me.user_id == user)
}

/// The owner's loop, until the account signs out in this tab.
async fn run(user: i64, outbox: Outbox, session: Session) {
    let mut delay = FIRST_RETRY_MS;
    let mut next_try = 0.0;
    while untrack(|| signed_in_as(&session, user)) {
        let Ok(records) = store::records(user).await else {
            wait_until(js_sys::Date::now() + LONGEST_RETRY_MS).await;
            continue;
        };
        outbox.records.set(Some(records.clone()));
        let Some(record) = records.into_iter().find(Pending::is_due) else {
            // Nothing to send: woken by a new record, or a look each minute whether the
            // official is still signed in.
            wait_until(js_sys::Date::now() + 60_000.0).await;
            continue;
        };
        if js_sys::Date::now() < next_try {
            wait_until(next_try).await;
            // Woken early by the network or a new record: try now, from the first delay.
            if js_sys::Date::now() < next_try {
                delay = FIRST_RETRY_MS;
                next_try = 0.0;
            }
            continue;
        }
        match send(record, user, &session).await {
            Outcome::Done => {
                delay = FIRST_RETRY_MS;
                next_try = 0.0;
            }
            Outcome::Later => {
                next_try = js_sys::Date::now() + delay;
                delay = (delay * 2.0).min(LONGEST_RETRY_MS);
            }
            Outcome::SignIn(code) => {
                // The records stay; they are sent once the official has signed in again.
                session.end(Notice::Refused(code));
            }
        }
        refresh(user, outbox).await;
        announce();
    }
    outbox.started_for.set(None);
}

enum Outcome {
    /// Answered: accepted, or refused for the official to act on.
    Done,
    /// No answer, or a passing failure: the record waits for the next try.
    Later,
    /// The session is over.
    SignIn(ErrorCode),
}

async fn send(mut record: Pending, user: i64, session: &Session) -> Outcome {
    // Frozen from here: the list shows it as being sent and offers no change.
    record.state = RecordState::Sending;
    if store::put(&record).await.is_err() {
        return Outcome::Later;
    }
    announce();
    if !api::has_csrf() {
        // The app opened offline: the session's token comes with the server's confirmation.
        match api::me().await {
            Ok(me) if me.user_id == user => session.start(me),
            // Another account's cookie (signed in elsewhere in this browser): not ours to send.
            Ok(_) => {
                let _ = record_waits(record).await;
                return Outcome::SignIn(ErrorCode::Unauthenticated);
            }
            Err(error) => return after_failure(record, error, session).await,
        }
    }
    match api::send_write(&record.write, &record.id).await {
        Ok((server_id, received_at)) => {
            session.online.set(true);
            let received_at = received_at
                .or_else(|| time::OffsetDateTime::from_unix_timestamp((js_sys::Date::now() / 1000.0) as i64).ok())
                .and_then(|t| t.format(&Rfc3339).ok())
                .unwrap_or_default();
            let kept = Kept {
                id: record.id.clone(),
                user,
                server_id,
                received_at,
                what: KeptKind::of(&record.write),
            };
            match store::settle(&kept).await {
                Ok(()) => Outcome::Done,
                // Sent, but not yet crossed off: the resend gets the same answer.
                Err(_) => Outcome::Later,
            }
        }
        Err(error) => after_failure(record, error, session).await,
    }
}

async fn after_failure(mut record: Pending, error: KerjaError, session: &Session) -> Outcome {
    if matches!(error, KerjaError::Network) && session.online.get_untracked() {
        // The header says so until the server answers again.
        session.online.set(false);
        spawn_local(confirm_session(*session));
    }
    let outcome = match &error {
        KerjaError::Api(body) if error.needs_sign_in() => Outcome::SignIn(body.code),
        KerjaError::Api(body) if body.code == ErrorCode::CsrfMismatch => {
            api::set_csrf("");
            Outcome::Later
        }
        KerjaError::Api(body) if is_refusal(body.code) => {
            record.state = RecordState::Refused {
                error: (**body).clone(),
            };
            let _ = store::put(&record).await;
            return Outcome::Done;
        }
        _ => Outcome::Later,
    };
    record.state = RecordState::Waiting;
    record.attempts += 1;
    let _ = store::put(&record).await;
    outcome
}

async fn record_waits(mut record: Pending) -> Result<(), ()> {
    record.state = RecordState::Waiting;
    store::put(&record).await.map_err(|_| ())
}

/// While the workspace runs on the device's last session, asks the server every few seconds
/// (at once when the browser reports the network back) until it confirms the session, which
/// brings the CSRF token, or refuses it, which shows the sign-in with the form kept.
pub async fn confirm_session(session: Session) {
    const EVERY_MS: f64 = 10_000.0;
    let on_line = || web_sys::window().is_none_or(|w| w.navigator().on_line());
    let mut next = 0.0;
    let mut was_on_line = on_line();
    loop {
        if untrack(|| session.online.get() || session.me().is_none()) {
            return;
        }
        let now_on_line = on_line();
        if js_sys::Date::now() >= next || (now_on_line && !was_on_line) {
            match api::me().await {
                Ok(me) => {
                    session.start(me);
                    kick();
                    return;
                }
                Err(error) if error.needs_sign_in() => {
                    session.end(Notice::Refused(ErrorCode::SessionExpired));
                    return;
                }
                Err(_) => next = js_sys::Date::now() + EVERY_MS,
            }
        }
        was_on_line = now_on_line;
        sleep(TICK_MS * 4).await;
    }
}

/// The server's answer to a record just stored, as the form waits for it.
pub enum Answer {
    /// Accepted: the record has left the outbox.
    Accepted,
    /// Refused: the official has to fix it.
    Refused(Box<ErrorBody>),
    /// No answer yet (no network, or slow): it waits in the outbox.
    Waiting,
}

/// How long the form waits for an answer before telling the official the record waits.
const ANSWER_WAIT_MS: f64 = 15_000.0;

/// Watches record `id` of `user` until the tab that owns the queue (this one or another) has
/// an answer for it, or the first try found no network, or [`ANSWER_WAIT_MS`] passed.
pub async fn answer(id: &str, user: i64) -> Answer {
    let deadline = js_sys::Date::now() + ANSWER_WAIT_MS;
    loop {
        sleep(100).await;
        let Ok(records) = store::records(user).await else {
            return Answer::Waiting;
        };
        let Some(record) = records.into_iter().find(|r| r.id == id) else {
            return Answer::Accepted;
        };
        match record.state {
            RecordState::Refused { error } => return Answer::Refused(Box::new(error)),
            RecordState::Waiting if record.attempts > 0 => return Answer::Waiting,
            _ if js_sys::Date::now() > deadline => return Answer::Waiting,
            _ => {}
        }
    }
}
