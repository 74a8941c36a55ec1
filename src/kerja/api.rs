//! Every HTTP call of the workspace: typed functions returning core DTOs or a [`KerjaError`].
//!
//! The session is an HttpOnly cookie the browser sends by itself (same origin); every
//! state-changing request also carries the session's CSRF token in `X-CSRF-Token`.

use std::cell::RefCell;
use std::fmt;

use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::on_cleanup;
use pantau_core::account::{CreatedUser, Me, NewUser, PasswordReset, ResetLink, SignIn, UserChange, UserSummary};
use pantau_core::api::Crumb;
use pantau_core::commitments::{Allocation, BudgetView, Regulation, RegulationDraft};
use pantau_core::error::ErrorBody;
use pantau_core::intake::EnrolmentDraft;
use pantau_core::workers::{
    AuditEntry, Conflict, ConflictReport, Coverage, Deactivate, DeactivationReason, Enrolled, FullNik, Reject, Renew,
    Status, Verify, WorkerDetail, WorkerPage, Workload,
};
use pantau_core::{AreaCode, ErrorCode, FundingSource, Level, RegionCode, Segment};
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::i18n::{error_message, texts};
use super::outbox::Write;

/// What went wrong with a call.
#[derive(Clone, Debug, PartialEq)]
pub enum KerjaError {
    /// The API answered with our error envelope: code, field, form problems, duplicate.
    Api(Box<ErrorBody>),
    /// No answer: offline, timed out, or the server is down.
    Network,
    /// The server answered something the app cannot read.
    Unreadable,
    /// This device could not store the record (storage full, private mode).
    Storage,
}

impl KerjaError {
    /// The API's error code, if the API answered.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Api(body) => Some(body.code),
            _ => None,
        }
    }

    /// Whether the session is missing or over, so the official must sign in again.
    pub fn needs_sign_in(&self) -> bool {
        matches!(
            self.code(),
            Some(ErrorCode::Unauthenticated | ErrorCode::SessionExpired)
        )
    }
}

impl fmt::Display for KerjaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Api(body) => error_message(body.code),
            Self::Network => texts().network_error,
            Self::Unreadable => texts().unreadable_error,
            Self::Storage => super::i18n::texts().storage_failed,
        })
    }
}

impl std::error::Error for KerjaError {}

thread_local! {
    /// The signed-in session's CSRF token (the browser runs the app on one thread).
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Remembers the token of the session just started (empty once signed out).
pub fn set_csrf(token: &str) {
    CSRF.with(|csrf| token.clone_into(&mut csrf.borrow_mut()));
}

/// Whether a session's token is known (not when the app opened offline).
pub fn has_csrf() -> bool {
    CSRF.with(|csrf| !csrf.borrow().is_empty())
}

fn csrf() -> String {
    CSRF.with(|csrf| csrf.borrow().clone())
}

/// Filters of a worker list; `page` counts from 0.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListFilter {
    pub status: Option<Status>,
    pub segment: Option<Segment>,
    pub funding: Option<FundingSource>,
    pub coverage: Option<Coverage>,
    pub deactivated: bool,
    pub page: u32,
}

impl ListFilter {
    /// The API query string, without `?`.
    fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(status) = self.status {
            parts.push(format!("status={}", status.as_str()));
        }
        if let Some(segment) = self.segment {
            parts.push(format!("segment={}", segment.as_str()));
        }
        if let Some(funding) = self.funding {
            parts.push(format!("funding={}", funding.as_str()));
        }
        if let Some(coverage) = self.coverage {
            parts.push(format!("coverage={}", coverage.as_str()));
        }
        if self.deactivated {
            parts.push("deactivated=true".to_owned());
        }
        parts.push(format!("page={}", self.page));
        parts.join("&")
    }
}

/// `GET /api/v1/session`: who is signed in (401 when nobody).
pub async fn me() -> Result<Me, KerjaError> {
    get_json("/api/v1/session").await
}

/// `POST /api/v1/session`.
pub async fn sign_in(credentials: &SignIn) -> Result<Me, KerjaError> {
    let me: Me = send_json(Request::post("/api/v1/session"), credentials).await?;
    set_csrf(&me.csrf_token);
    Ok(me)
}

/// `DELETE /api/v1/session`.
pub async fn sign_out() -> Result<(), KerjaError> {
    send_empty(Request::delete("/api/v1/session")).await
}

/// `DELETE /api/v1/sessions`: every session of the account.
pub async fn sign_out_everywhere() -> Result<(), KerjaError> {
    send_empty(Request::delete("/api/v1/sessions")).await
}

/// `POST /api/v1/password-reset`.
pub async fn reset_password(reset: &PasswordReset) -> Result<(), KerjaError> {
    let body = json_body(reset)?;
    let request = Request::post("/api/v1/password-reset")
        .header("Content-Type", "application/json")
        .body(body)
        .map_err(|_| KerjaError::Unreadable)?;
    let response = request.send().await.map_err(|_| KerjaError::Network)?;
    empty(response).await
}

/// `GET /api/v1/areas/{code}/workload`.
pub async fn workload(area: &AreaCode) -> Result<Workload, KerjaError> {
    get_json(&format!("/api/v1/areas/{area}/workload")).await
}

/// `GET /api/v1/areas/{code}/workers?…`.
pub async fn workers(area: &AreaCode, filter: &ListFilter) -> Result<WorkerPage, KerjaError> {
    get_json(&format!("/api/v1/areas/{area}/workers?{}", filter.query())).await
}

/// `GET /api/v1/enrolments/{id}`.
pub async fn worker(id: i64) -> Result<WorkerDetail, KerjaError> {
    get_json(&format!("/api/v1/enrolments/{id}")).await
}

/// `GET /api/v1/enrolments/{id}/nik`: the full NIK (the server writes the view to the audit log).
pub async fn full_nik(id: i64) -> Result<FullNik, KerjaError> {
    get_json(&format!("/api/v1/enrolments/{id}/nik")).await
}

/// `POST /api/v1/enrolments`.
pub async fn enrol(draft: &EnrolmentDraft) -> Result<Enrolled, KerjaError> {
    send_json(Request::post("/api/v1/enrolments"), draft).await
}

/// `PUT /api/v1/enrolments/{id}`: edit, or resubmit a rejected record.
pub async fn update(id: i64, draft: &EnrolmentDraft) -> Result<WorkerDetail, KerjaError> {
    send_json(Request::put(&format!("/api/v1/enrolments/{id}")), draft).await
}

/// One write of the outbox, sent with its client id as the `Idempotency-Key`: a resend after
/// a lost answer gets the first answer back, not a second record. Returns the record's id on
/// the server and, for a new enrolment, the server's receipt time.
pub async fn send_write(write: &Write, key: &str) -> Result<(i64, Option<time::OffsetDateTime>), KerjaError> {
    let once = |builder: RequestBuilder| builder.header("Idempotency-Key", key);
    let path = |id: &i64, what: &str| format!("/api/v1/enrolments/{id}/{what}");
    let detail: WorkerDetail = match write {
        Write::Enrol { draft } => {
            let enrolled: Enrolled = send_json(once(Request::post("/api/v1/enrolments")), draft).await?;
            return Ok((enrolled.receipt.id, Some(enrolled.receipt.received_at)));
        }
        Write::Update { id, draft } => {
            send_json(once(Request::put(&format!("/api/v1/enrolments/{id}"))), draft).await?
        }
        Write::Renew { id, months } => {
            send_json(once(Request::post(&path(id, "renew"))), &Renew { months: *months }).await?
        }
        Write::Deactivate { id, reason } => {
            send_json(
                once(Request::post(&path(id, "deactivate"))),
                &Deactivate { reason: *reason },
            )
            .await?
        }
    };
    Ok((detail.row.id, None))
}

/// A step on one worker's record.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Verify(String),
    Reject(String),
    Deactivate(DeactivationReason),
    Renew(u16),
}

/// `POST /api/v1/enrolments/{id}/{verify|reject|deactivate|renew}`.
pub async fn step(id: i64, step: &Step) -> Result<WorkerDetail, KerjaError> {
    let path = |what: &str| format!("/api/v1/enrolments/{id}/{what}");
    match step {
        Step::Verify(number) => {
            let body = Verify {
                membership_number: number.clone(),
            };
            send_json(Request::post(&path("verify")), &body).await
        }
        Step::Reject(reason) => {
            let body = Reject { reason: reason.clone() };
            send_json(Request::post(&path("reject")), &body).await
        }
        Step::Deactivate(reason) => {
            send_json(Request::post(&path("deactivate")), &Deactivate { reason: *reason }).await
        }
        Step::Renew(months) => send_json(Request::post(&path("renew")), &Renew { months: *months }).await,
    }
}

/// `POST /api/v1/conflicts`: tells the officials of the village where the NIK is enrolled
/// that this village claims the worker.
pub async fn report_conflict(report: &ConflictReport) -> Result<(), KerjaError> {
    let request = Request::post("/api/v1/conflicts")
        .header("Content-Type", "application/json")
        .header("X-CSRF-Token", &csrf())
        .body(json_body(report)?)
        .map_err(|_| KerjaError::Unreadable)?;
    let response = request.send().await.map_err(|_| KerjaError::Network)?;
    empty(response).await
}

/// `GET /api/v1/areas/{code}/conflicts`: open reports about the area's workers.
pub async fn conflicts(area: &AreaCode) -> Result<Vec<Conflict>, KerjaError> {
    get_json(&format!("/api/v1/areas/{area}/conflicts")).await
}

/// `POST /api/v1/conflicts/{id}/resolve`.
pub async fn resolve_conflict(id: i64) -> Result<(), KerjaError> {
    send_empty(Request::post(&format!("/api/v1/conflicts/{id}/resolve"))).await
}

#[derive(Deserialize)]
struct AreaName {
    name: String,
}

#[derive(Deserialize)]
struct AreaChildren {
    children: Vec<AreaChildName>,
}

#[derive(Deserialize)]
struct AreaChildName {
    code: RegionCode,
    name: String,
}

/// An area's official name; `Ok(None)` when no area has this code. Without a network, the
/// service worker answers areas seen before, and a village is also found among the children
/// of its district's answer (which the workspace keeps for the official's scope, see
/// [`keep_scope_offline`]).
pub async fn area_name(code: &AreaCode) -> Result<Option<String>, KerjaError> {
    match get_json::<AreaName>(&format!("/api/v1/areas/{code}")).await {
        Ok(area) => Ok(Some(area.name)),
        Err(error) if error.code() == Some(ErrorCode::AreaNotFound) => Ok(None),
        Err(KerjaError::Network) => {
            let AreaCode::Region(region) = code else {
                return Err(KerjaError::Network);
            };
            let parent = region.parent().ok_or(KerjaError::Network)?;
            let district = get_json::<AreaChildren>(&format!("/api/v1/areas/{parent}")).await?;
            district
                .children
                .into_iter()
                .find(|child| child.code == *region)
                .map(|child| Some(child.name))
                .ok_or(KerjaError::Network)
        }
        Err(error) => Err(error),
    }
}

/// Asks for the public answer of the official's scope (for a district, with its villages), so
/// the service worker holds the names the form shows once the network is gone.
pub async fn keep_scope_offline(scope: &AreaCode) {
    let _ = area_name(scope).await;
}

/// Whether a dotted district code (from a NIK) is in the current region list. Anything but
/// a clear "not found" counts as known: an unknown district only ever warns.
pub async fn district_known(code: &str) -> bool {
    match AreaCode::parse(code) {
        Ok(area) => !matches!(area_name(&area).await, Ok(None)),
        Err(_) => true,
    }
}

/// `GET /api/v1/users`: the accounts inside the official's scope.
pub async fn users() -> Result<Vec<UserSummary>, KerjaError> {
    get_json("/api/v1/users").await
}

/// `POST /api/v1/users`: the account and the link for its holder to set a password.
pub async fn create_user(user: &NewUser) -> Result<CreatedUser, KerjaError> {
    send_json(Request::post("/api/v1/users"), user).await
}

/// `PUT /api/v1/users/{id}`.
pub async fn change_user(id: i64, change: &UserChange) -> Result<UserSummary, KerjaError> {
    send_json(Request::put(&format!("/api/v1/users/{id}")), change).await
}

/// `POST /api/v1/users/{id}/sign-out`: ends every session of the account.
pub async fn sign_out_user(id: i64) -> Result<(), KerjaError> {
    send_empty(Request::post(&format!("/api/v1/users/{id}/sign-out"))).await
}

/// `POST /api/v1/users/{id}/reset-link`: a one-time link for the admin to pass on.
pub async fn reset_link(id: i64) -> Result<ResetLink, KerjaError> {
    let response = Request::post(&format!("/api/v1/users/{id}/reset-link"))
        .header("X-CSRF-Token", &csrf())
        .send()
        .await
        .map_err(|_| KerjaError::Network)?;
    decode(response).await
}

/// An area with its children, as the target page needs it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AreaTree {
    pub code: AreaCode,
    pub name: String,
    pub level: Level,
    pub breadcrumbs: Vec<Crumb>,
    pub target: u64,
    pub active: u64,
    pub children: Vec<AreaTreeChild>,
}

/// One child of an [`AreaTree`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AreaTreeChild {
    pub code: RegionCode,
    pub name: String,
    pub level: Level,
    pub target: u64,
    pub active: u64,
}

/// `GET /api/v1/areas/{code}`, revalidated: a target just set shows at once, not after the
/// public answer's minute of caching.
pub async fn area_tree(code: &AreaCode) -> Result<AreaTree, KerjaError> {
    get_fresh(&format!("/api/v1/areas/{code}")).await
}

#[derive(Serialize)]
struct TargetBody {
    target: u32,
}

/// `PUT /api/v1/areas/{village}/target`.
pub async fn set_target(village: &RegionCode, target: u32) -> Result<(), KerjaError> {
    let request = Request::put(&format!("/api/v1/areas/{village}/target"))
        .header("Content-Type", "application/json")
        .header("X-CSRF-Token", &csrf())
        .body(json_body(&TargetBody { target })?)
        .map_err(|_| KerjaError::Unreadable)?;
    let response = request.send().await.map_err(|_| KerjaError::Network)?;
    empty(response).await
}

/// `GET /api/v1/areas/{regency}/budgets/{year}`.
pub async fn budget(regency: &RegionCode, year: i32) -> Result<BudgetView, KerjaError> {
    get_json(&format!("/api/v1/areas/{regency}/budgets/{year}")).await
}

#[derive(Serialize)]
struct BudgetUpdate<'a> {
    allocations: &'a [Allocation],
}

/// `PUT /api/v1/areas/{regency}/budgets/{year}`: the budget after the change.
pub async fn set_budget(regency: &RegionCode, year: i32, allocations: &[Allocation]) -> Result<BudgetView, KerjaError> {
    let path = format!("/api/v1/areas/{regency}/budgets/{year}");
    send_json(Request::put(&path), &BudgetUpdate { allocations }).await
}

/// `GET /api/v1/areas/{code}/regulations`, revalidated (see [`area_tree`]).
pub async fn regulations(code: &AreaCode) -> Result<Vec<Regulation>, KerjaError> {
    get_fresh(&format!("/api/v1/areas/{code}/regulations")).await
}

/// `POST /api/v1/areas/{code}/regulations`.
pub async fn add_regulation(area: &RegionCode, draft: &RegulationDraft) -> Result<Regulation, KerjaError> {
    send_json(Request::post(&format!("/api/v1/areas/{area}/regulations")), draft).await
}

/// `DELETE /api/v1/regulations/{id}`.
pub async fn delete_regulation(id: i64) -> Result<(), KerjaError> {
    send_empty(Request::delete(&format!("/api/v1/regulations/{id}"))).await
}

/// `GET /api/v1/areas/{code}/audit`.
pub async fn audit(code: &AreaCode) -> Result<Vec<AuditEntry>, KerjaError> {
    get_json(&format!("/api/v1/areas/{code}/audit")).await
}

#[derive(Deserialize)]
struct Uploaded {
    villages: usize,
}

/// `PUT /api/v1/areas/{regency}/village-boundaries` with a GeoJSON file's text: the number of
/// villages stored.
pub async fn upload_boundaries(regency: &RegionCode, geojson: &str) -> Result<usize, KerjaError> {
    let request = Request::put(&format!("/api/v1/areas/{regency}/village-boundaries"))
        .header("Content-Type", "application/geo+json")
        .header("X-CSRF-Token", &csrf())
        .body(geojson)
        .map_err(|_| KerjaError::Unreadable)?;
    let response = request.send().await.map_err(|_| KerjaError::Network)?;
    decode::<Uploaded>(response).await.map(|u| u.villages)
}

/// JSON text of `value`, as the browser's own `JSON.stringify` writes it (smaller in the wasm
/// than bundling a JSON writer).
fn json_body<T: Serialize>(value: &T) -> Result<JsValue, KerjaError> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|_| KerjaError::Unreadable)?;
    js_sys::JSON::stringify(&value)
        .map(JsValue::from)
        .map_err(|_| KerjaError::Unreadable)
}

/// A state-changing request: JSON body and the CSRF header.
async fn send_json<B: Serialize, T: DeserializeOwned>(builder: RequestBuilder, body: &B) -> Result<T, KerjaError> {
    let request = builder
        .header("Content-Type", "application/json")
        .header("X-CSRF-Token", &csrf())
        .body(json_body(body)?)
        .map_err(|_| KerjaError::Unreadable)?;
    let response = request.send().await.map_err(|_| KerjaError::Network)?;
    decode(response).await
}

/// A state-changing request without a body, answered with 204.
async fn send_empty(builder: RequestBuilder) -> Result<(), KerjaError> {
    let response = builder
        .header("X-CSRF-Token", &csrf())
        .send()
        .await
        .map_err(|_| KerjaError::Network)?;
    empty(response).await
}

async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, KerjaError> {
    get_with(path, web_sys::RequestCache::Default).await
}

/// A GET that asks the server again (`no-cache`) instead of reusing a public answer.
async fn get_fresh<T: DeserializeOwned>(path: &str) -> Result<T, KerjaError> {
    get_with(path, web_sys::RequestCache::NoCache).await
}

async fn get_with<T: DeserializeOwned>(path: &str, cache: web_sys::RequestCache) -> Result<T, KerjaError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(web_sys::AbortController::signal);
    // Abort the request if the page that asked for it goes away.
    let controller = SendWrapper::new(controller);
    on_cleanup(move || {
        if let Some(controller) = controller.take() {
            controller.abort();
        }
    });
    let response = Request::get(path)
        .cache(cache)
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|_| KerjaError::Network)?;
    decode(response).await
}

/// The body parsed by the browser's JSON parser, then read into `T`.
async fn json<T: DeserializeOwned>(response: &web_sys::Response) -> Option<T> {
    let promise = response.json().ok()?;
    let value = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

async fn failure(response: &web_sys::Response) -> KerjaError {
    #[derive(Deserialize)]
    struct Envelope {
        error: ErrorBody,
    }
    match json::<Envelope>(response).await {
        Some(envelope) => KerjaError::Api(Box::new(envelope.error)),
        // A proxy or gateway error without our envelope: the server is out of reach.
        None if response.status() >= 500 => KerjaError::Network,
        None => KerjaError::Unreadable,
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, KerjaError> {
    let response = web_sys::Response::from(response);
    if response.ok() {
        return json::<T>(&response).await.ok_or(KerjaError::Unreadable);
    }
    Err(failure(&response).await)
}

async fn empty(response: Response) -> Result<(), KerjaError> {
    let response = web_sys::Response::from(response);
    if response.ok() {
        Ok(())
    } else {
        Err(failure(&response).await)
    }
}

/// `GET /api/v1/areas/{code}/sync`: per operator of the area, the last sync and the records
/// that arrived on each of the last 14 days.
pub async fn sync_report(code: &AreaCode) -> Result<pantau_core::workers::SyncReport, KerjaError> {
    get_json(&format!("/api/v1/areas/{code}/sync")).await
}

/// The upload of `file` to `POST /api/v1/areas/{code}/imports?{query}`, answered.
async fn post_import(area: &AreaCode, query: &str, file: &JsValue, content_type: &str) -> Result<Response, KerjaError> {
    Request::post(&format!("/api/v1/areas/{area}/imports?{query}"))
        .header("Content-Type", content_type)
        .header("X-CSRF-Token", &csrf())
        .body(file.clone())
        .map_err(|_| KerjaError::Unreadable)?
        .send()
        .await
        .map_err(|_| KerjaError::Network)
}

/// `POST /api/v1/areas/{code}/imports?{query}` with the chosen file (a `File`, sent as it
/// is): the report, also for a commit refused because rows have problems (422).
pub async fn import_file(
    area: &AreaCode,
    query: &str,
    file: &JsValue,
    content_type: &str,
) -> Result<pantau_core::import::ImportReport, KerjaError> {
    let response = post_import(area, query, file, content_type).await?;
    // One read of the body: a report (also with 422, a refused commit) or an error envelope.
    #[derive(Deserialize)]
    struct Envelope {
        error: ErrorBody,
    }
    let response = web_sys::Response::from(response);
    let status = response.status();
    let unanswered = if status >= 500 {
        KerjaError::Network
    } else {
        KerjaError::Unreadable
    };
    let Some(promise) = response.json().ok() else {
        return Err(unanswered);
    };
    let Ok(value) = wasm_bindgen_futures::JsFuture::from(promise).await else {
        return Err(unanswered);
    };
    if response.ok() || status == 422 {
        if let Ok(report) = serde_wasm_bindgen::from_value::<pantau_core::import::ImportReport>(value.clone()) {
            return Ok(report);
        }
    }
    match serde_wasm_bindgen::from_value::<Envelope>(value) {
        Ok(envelope) => Err(KerjaError::Api(Box::new(envelope.error))),
        Err(_) => Err(unanswered),
    }
}

/// The errors file of `file` (its rows with a "Masalah" column), as text.
pub async fn import_errors_file(area: &AreaCode, file: &JsValue, content_type: &str) -> Result<String, KerjaError> {
    let response = post_import(area, "mode=dry_run&format=csv", file, content_type).await?;
    if response.ok() {
        return response.text().await.map_err(|_| KerjaError::Unreadable);
    }
    Err(failure(&web_sys::Response::from(response)).await)
}

/// `GET /api/v1/areas/{code}/imports`: the latest imports into the area.
pub async fn import_batches(area: &AreaCode) -> Result<Vec<pantau_core::import::ImportBatch>, KerjaError> {
    get_fresh(&format!("/api/v1/areas/{area}/imports")).await
}

/// `DELETE /api/v1/imports/{batch}`: undoes an import.
pub async fn undo_import(batch: &str) -> Result<pantau_core::import::ImportBatch, KerjaError> {
    let response = Request::delete(&format!("/api/v1/imports/{batch}"))
        .header("X-CSRF-Token", &csrf())
        .send()
        .await
        .map_err(|_| KerjaError::Network)?;
    decode(response).await
}
