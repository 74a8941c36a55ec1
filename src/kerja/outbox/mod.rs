//! The outbox: every write the workspace makes (a new enrolment, an edit, a renewal, a
//! deactivation) is first stored on this device, in IndexedDB, and leaves it only after the
//! server has answered. A village operator on patchy signal can close the tab, lose the
//! network or let the battery die between typing and sending: the record is still here, and it
//! is sent once.
//!
//! - Each record's client id is made when its form opens and stored with the record in one
//!   IndexedDB write; it travels as the `Idempotency-Key`, so a resend after a lost answer
//!   gets the first answer back instead of a second record (see `server/src/http/idempotency.rs`).
//! - One tab owns the queue (a Web Lock per account), sends in order, one at a time, with
//!   backoff from 1 s doubling to 5 min while the network is away; a record being sent is
//!   frozen (`Sending`) and a record refused by the server waits for the official (`Refused`).
//! - Every tab shows the same list: a change is announced on a `BroadcastChannel`.
//!
//! The signals here are in the workspace's first download (the header shows the count on
//! every page); the IndexedDB code, the sender and the outbox page are in `deferred` modules.

pub mod page;
pub mod sender;
pub mod store;
pub mod texts;
pub mod vault;

use leptos::prelude::*;
use pantau_core::error::ErrorBody;
use pantau_core::intake::EnrolmentDraft;
use pantau_core::workers::DeactivationReason;
use pantau_core::ErrorCode;
use serde::{Deserialize, Serialize};

/// A write waiting to reach the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Write {
    /// `POST /api/v1/enrolments`.
    Enrol { draft: EnrolmentDraft },
    /// `PUT /api/v1/enrolments/{id}`.
    Update { id: i64, draft: EnrolmentDraft },
    /// `POST /api/v1/enrolments/{id}/renew`.
    Renew { id: i64, months: u16 },
    /// `POST /api/v1/enrolments/{id}/deactivate`.
    Deactivate { id: i64, reason: DeactivationReason },
}

impl Write {
    /// The stored record this write is about, if it exists on the server already.
    pub fn record(&self) -> Option<i64> {
        match self {
            Self::Enrol { .. } => None,
            Self::Update { id, .. } | Self::Renew { id, .. } | Self::Deactivate { id, .. } => Some(*id),
        }
    }

    /// The worker's name as typed, for the official's own list on this device.
    pub fn name(&self) -> Option<&str> {
        match self {
            Self::Enrol { draft } | Self::Update { draft, .. } => Some(draft.full_name.as_str()),
            Self::Renew { .. } | Self::Deactivate { .. } => None,
        }
    }
}

/// Where a record stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RecordState {
    /// Not sent yet, or the last try found no network.
    Waiting,
    /// A request is (or was, when the tab closed) under way: resent with the same key.
    Sending,
    /// The server refused it (form problems, duplicate NIK, no permission): it waits for the
    /// official to fix and resend, or remove it.
    Refused { error: ErrorBody },
}

/// One record of the outbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// The client id, a UUID made when the form opened; the `Idempotency-Key`.
    pub id: String,
    /// The account it belongs to.
    pub user: i64,
    /// When it was stored (milliseconds since 1970, the browser's clock).
    pub created: f64,
    pub write: Write,
    pub state: RecordState,
    /// Sends that found no network or no server.
    pub attempts: u32,
}

impl Pending {
    /// A new record of `user`, waiting.
    pub fn new(id: String, user: i64, write: Write) -> Self {
        Self {
            id,
            user,
            created: js_sys::Date::now(),
            write,
            state: RecordState::Waiting,
            attempts: 0,
        }
    }

    /// The server's refusal, if it refused.
    pub fn refusal(&self) -> Option<&ErrorBody> {
        match &self.state {
            RecordState::Refused { error } => Some(error),
            _ => None,
        }
    }

    /// Whether the sender still has to send it.
    pub fn is_due(&self) -> bool {
        matches!(self.state, RecordState::Waiting | RecordState::Sending)
    }
}

/// What the server gave back for a record it accepted, kept on the device to reconcile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    /// The record's client id.
    pub id: String,
    pub user: i64,
    /// The id of the record on the server.
    pub server_id: i64,
    /// When the server stored it (RFC 3339), or when it answered, for writes without a receipt.
    pub received_at: String,
    pub what: KeptKind,
}

/// What was sent, for the receipts list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeptKind {
    Enrol,
    Update,
    Renew,
    Deactivate,
}

impl KeptKind {
    pub fn of(write: &Write) -> Self {
        match write {
            Write::Enrol { .. } => Self::Enrol,
            Write::Update { .. } => Self::Update,
            Write::Renew { .. } => Self::Renew,
            Write::Deactivate { .. } => Self::Deactivate,
        }
    }
}

/// The outbox of the signed-in official, as context: what every page shows.
#[derive(Clone, Copy)]
pub struct Outbox {
    /// The records on this device, oldest first; `None` until first read.
    pub records: RwSignal<Option<Vec<Pending>>>,
    /// The last receipts, newest first.
    pub receipts: RwSignal<Vec<Kept>>,
    /// Whether the browser promised to keep this site's storage (`navigator.storage.persist`).
    pub persisted: RwSignal<Option<bool>>,
    /// The account whose outbox is running, once started.
    pub started_for: RwSignal<Option<i64>>,
    /// The refused record being fixed in the form: replaced by the fixed one when it is saved.
    pub fixing: RwSignal<Option<String>>,
}

impl Outbox {
    pub fn new() -> Self {
        Self {
            records: RwSignal::new(None),
            receipts: RwSignal::new(Vec::new()),
            persisted: RwSignal::new(None),
            started_for: RwSignal::new(None),
            fixing: RwSignal::new(None),
        }
    }

    /// Records not yet accepted by the server (tracked); `None` until read.
    pub fn count(&self) -> Option<usize> {
        self.records.with(|records| records.as_ref().map(Vec::len))
    }
}

impl Default for Outbox {
    fn default() -> Self {
        Self::new()
    }
}

/// The outbox context.
pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

/// A new client id (RFC 4122 version 4, from the browser's CSPRNG).
pub fn client_id() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| {
            format!(
                "{:x}-{:x}",
                js_sys::Date::now() as u64,
                (js_sys::Math::random() * 1e15) as u64
            )
        })
}

/// Whether `code` is an answer the official has to act on (the record waits for them), rather
/// than a passing failure to retry.
pub fn is_refusal(code: ErrorCode) -> bool {
    !matches!(
        code,
        ErrorCode::Internal
            | ErrorCode::StorageFull
            | ErrorCode::IdempotencyKeyInProgress
            | ErrorCode::CsrfMismatch
            | ErrorCode::Unauthenticated
            | ErrorCode::SessionExpired
            | ErrorCode::TooManyAttempts
            | ErrorCode::TooManyNikLookups
    )
}
