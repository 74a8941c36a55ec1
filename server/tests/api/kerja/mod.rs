//! Officials' workspace API: sessions, scope rules, enrolment checks and the worker workflow.
//!
//! A small client over the in-process router: sign in, then send requests with the session
//! cookie and the CSRF header the way the app does.

mod accounts;
mod bad_enrolments;
mod bad_enrolments_cases;
mod conflicts;
mod enrolment_flow;
mod guards;
mod hostile;
mod idempotency;
mod imports;
mod lists;
mod privacy;
mod scope_matrix;
mod scope_matrix_commitments;
mod sessions;
mod sync;
mod targets;

use std::sync::atomic::{AtomicU16, Ordering};

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use pantau_core::account::{Grant, NewUser, Role};
use pantau_core::intake::{self, EnrolmentDraft};
use pantau_core::premium::PremiumRules;
use pantau_core::workers::Status;
use pantau_core::{AreaCode, RegionCode};
use pantau_server::store::{AccountStore, Actor, NewEnrolment, Store, WorkerStore};
use serde_json::{json, Value};
use sqlx::{Connection, SqliteConnection};
use time::OffsetDateTime;
use tower::ServiceExt;

use crate::helpers::{now, TestApp};

/// Every test account's password: long, not on the common list.
pub const PASSWORD: &str = "kopi tubruk di pematang sawah";
/// The session cookie's name (the app runs with `Secure` cookies).
pub const COOKIE: &str = "__Host-pantau_session";

/// Village A: Sagara Makmur, district 32.16.01, regency 32.16 (Bekasi).
pub const VILLAGE_A: &str = "32.16.01.2001";
/// Another village of the same district.
pub const VILLAGE_A2: &str = "32.16.01.2002";
/// A village of another district of the same regency.
pub const VILLAGE_OTHER_DISTRICT: &str = "32.16.02.2001";
/// A village of another regency (Cipasung, 32.10.01).
pub const VILLAGE_B: &str = "32.10.01.2001";
/// The district and regency of village A.
pub const DISTRICT_A: &str = "32.16.01";
pub const REGENCY_A: &str = "32.16";

/// One answer: status, JSON body (`Null` when empty or not JSON), headers and the raw text.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub json: Value,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    /// `error.code` of an error envelope, or "" when there is none.
    pub fn code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or("")
    }

    /// `error.field` of an error envelope.
    pub fn field(&self) -> Option<&str> {
        self.json["error"]["field"].as_str()
    }

    /// `error.message` of an error envelope.
    pub fn message(&self) -> &str {
        self.json["error"]["message"].as_str().unwrap_or("")
    }

    /// The `action` of every entry of an audit log answer, in its order (newest first).
    #[track_caller]
    pub fn audit_actions(&self) -> Vec<&str> {
        let entries = self.json.as_array().expect("an audit log");
        entries.iter().map(|e| e["action"].as_str().unwrap()).collect()
    }

    /// Asserts the status, the error code and the field it names.
    #[track_caller]
    pub fn expect_at(&self, status: StatusCode, code: &str, field: &str) -> &Self {
        self.expect(status, code);
        assert_eq!(self.field(), Some(field), "unexpected field; body: {}", self.text);
        self
    }

    /// Asserts the status and, for errors, the code; returns self for chaining.
    #[track_caller]
    pub fn expect(&self, status: StatusCode, code: &str) -> &Self {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text);
        if !code.is_empty() {
            assert_eq!(self.code(), code, "unexpected error code; body: {}", self.text);
        }
        self
    }
}

/// Sends one request to the app. `body` is sent as is with `content_type` when given.
pub async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Reply {
    send_via(&app.router, method, path, headers, content_type, body).await
}

/// As [`send`], to `router` (e.g. a second server on the same database).
pub async fn send_via(
    router: &axum::Router,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Reply {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        json,
        headers,
        text,
    }
}

/// Sends JSON without a session.
pub async fn anonymous(app: &TestApp, method: Method, path: &str, body: Option<&Value>) -> Reply {
    let bytes = body.map(|b| serde_json::to_vec(b).unwrap()).unwrap_or_default();
    let content_type = body.map(|_| "application/json");
    send(app, method, path, &[], content_type, bytes).await
}

/// A signed-in official.
#[derive(Clone, Debug)]
pub struct Session {
    /// Value of the session cookie.
    pub cookie: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// The `Me` answer of the sign-in.
    pub me: Value,
}

impl Session {
    fn cookie_header(&self) -> String {
        format!("{COOKIE}={}", self.cookie)
    }

    /// Any request with this session's cookie and CSRF header.
    pub async fn raw(
        &self,
        app: &TestApp,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        let cookie = self.cookie_header();
        let mut headers = vec![("cookie", cookie.as_str())];
        if !self.csrf.is_empty() {
            headers.push(("x-csrf-token", self.csrf.as_str()));
        }
        send(app, method, path, &headers, content_type, body).await
    }

    /// A JSON request with this session (the body only when given).
    pub async fn call(&self, app: &TestApp, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let bytes = body.map(|b| serde_json::to_vec(b).unwrap()).unwrap_or_default();
        let content_type = body.map(|_| "application/json");
        self.raw(app, method, path, content_type, bytes).await
    }

    /// A JSON write with this session and `Idempotency-Key: key`, sent to `router`.
    pub async fn keyed_via(&self, router: &axum::Router, method: Method, path: &str, key: &str, body: &Value) -> Reply {
        let cookie = self.cookie_header();
        let headers = [
            ("cookie", cookie.as_str()),
            ("x-csrf-token", self.csrf.as_str()),
            ("idempotency-key", key),
        ];
        let body = serde_json::to_vec(body).unwrap();
        send_via(router, method, path, &headers, Some("application/json"), body).await
    }

    /// A JSON write with this session and `Idempotency-Key: key`.
    pub async fn keyed(&self, app: &TestApp, method: Method, path: &str, key: &str, body: &Value) -> Reply {
        self.keyed_via(&app.router, method, path, key, body).await
    }

    pub async fn get(&self, app: &TestApp, path: &str) -> Reply {
        self.call(app, Method::GET, path, None).await
    }

    pub async fn post(&self, app: &TestApp, path: &str, body: &Value) -> Reply {
        self.call(app, Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, app: &TestApp, path: &str, body: &Value) -> Reply {
        self.call(app, Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, app: &TestApp, path: &str) -> Reply {
        self.call(app, Method::DELETE, path, None).await
    }

    /// `POST /enrolments/{id}/{step}`: deactivate, renew, verify or reject a worker.
    pub async fn step(&self, app: &TestApp, id: i64, step: &str, body: &Value) -> Reply {
        self.post(app, &format!("/api/v1/enrolments/{id}/{step}"), body).await
    }

    /// Asserts that the session still opens `GET /session`.
    pub async fn expect_signed_in(&self, app: &TestApp) {
        self.get(app, "/api/v1/session").await.expect(StatusCode::OK, "");
    }

    /// Asserts that the session is over: `GET /session` is refused as unauthenticated.
    pub async fn expect_signed_out(&self, app: &TestApp) {
        self.get(app, "/api/v1/session")
            .await
            .expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    }

    /// This session with another CSRF token (no header at all when `csrf` is empty).
    pub fn with_csrf(&self, csrf: &str) -> Self {
        Self {
            csrf: csrf.to_owned(),
            ..self.clone()
        }
    }
}

/// `POST /api/v1/session`, the raw answer.
pub async fn try_sign_in(app: &TestApp, login: &str, password: &str) -> Reply {
    let body = json!({ "login": login, "password": password });
    anonymous(app, Method::POST, "/api/v1/session", Some(&body)).await
}

/// Signs in; panics unless it works.
pub async fn sign_in(app: &TestApp, login: &str, password: &str) -> Session {
    let reply = try_sign_in(app, login, password).await;
    assert_eq!(reply.status, StatusCode::OK, "sign-in of {login}: {}", reply.text);
    let cookie = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .find_map(|value| session_cookie(value.to_str().unwrap()))
        .unwrap_or_else(|| panic!("no session cookie in {:?}", reply.headers));
    Session {
        cookie,
        csrf: reply.json["csrf_token"].as_str().unwrap().to_owned(),
        me: reply.json,
    }
}

/// The token of a `Set-Cookie: __Host-pantau_session=…; …` header.
pub fn session_cookie(set_cookie: &str) -> Option<String> {
    let first = set_cookie.split(';').next()?;
    let (name, value) = first.split_once('=')?;
    (name.trim() == COOKIE && !value.is_empty()).then(|| value.to_owned())
}

/// Creates an account directly in the store; returns its id.
pub async fn create_user(app: &TestApp, username: &str, role: Role, scope: &str) -> i64 {
    let user = NewUser {
        username: username.to_owned(),
        email: None,
        display_name: format!("Akun {username}"),
        grant: Grant {
            role,
            scope: AreaCode::parse(scope).unwrap(),
        },
    };
    let account = pantau_server::http::users::prepare_account(app.store.as_ref(), user, Some(PASSWORD.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("account {username}: {e}"));
    app.store.create_account(&account, None).await.unwrap()
}

/// Creates an account and signs it in.
pub async fn official(app: &TestApp, username: &str, role: Role, scope: &str) -> Session {
    create_user(app, username, role, scope).await;
    sign_in(app, username, PASSWORD).await
}

/// A NIK of district `district_digits` (e.g. `321601`) for someone born 5 July 1990; women's
/// NIKs add 40 to the day.
pub fn nik_for(district_digits: &str, serial: u16, female: bool) -> String {
    assert_eq!(district_digits.len(), 6);
    let day = if female { 45 } else { 5 };
    format!("{district_digits}{day:02}0790{serial:04}")
}

/// A NIK never used before in this test binary, registered in `village`'s district.
pub fn fresh_nik(village: &str) -> String {
    static SERIAL: AtomicU16 = AtomicU16::new(100);
    let serial = SERIAL.fetch_add(1, Ordering::Relaxed);
    let district = RegionCode::parse(village).unwrap().district_digits().unwrap();
    nik_for(&district, serial, false)
}

/// The current month, `YYYY-MM`.
pub fn this_month() -> String {
    now().to_string()
}

/// A complete, valid enrolment form for `nik` in `village` (sex taken from the NIK).
pub fn valid_draft(village: &str, nik: &str) -> Value {
    let female = nik[6..8].parse::<u8>().unwrap() > 40;
    json!({
        "nik": nik,
        "full_name": "Budi Santoso",
        "birth_date": "1990-07-05",
        "sex": if female { "female" } else { "male" },
        "phone": "0812 3456 7890",
        "address": "Dusun Krajan RT 01 RW 02",
        "segment": "farmer",
        "occupation_other": "",
        "village": village,
        "program": "jkk_jkm",
        "income": 1_000_000,
        "funding": "dana_desa",
        "sponsor": "",
        "coverage_start": this_month(),
        "paid_months": 12,
        "membership_number": "",
        "consent": true
    })
}

/// Stores `draft` as submitted, the way `POST /enrolments` does, without going through HTTP.
pub async fn seed_draft(app: &TestApp, draft: &Value) -> i64 {
    let draft: EnrolmentDraft = serde_json::from_value(draft.clone()).unwrap();
    let today = OffsetDateTime::now_utc().date();
    let valid = intake::validate(&draft, today, &PremiumRules::default(), &|_| true).expect("seed draft is valid");
    let enrolment = NewEnrolment::from_valid(valid, Status::Submitted);
    let seeder = Actor {
        id: 0,
        username: "seeder".into(),
    };
    app.store.enrol_by(&enrolment, &seeder).await.unwrap().0
}

/// A fresh submitted worker in `village`; returns its id and NIK.
pub async fn seed(app: &TestApp, village: &str) -> (i64, String) {
    let nik = fresh_nik(village);
    let id = seed_draft(app, &valid_draft(village, &nik)).await;
    (id, nik)
}

/// A second connection to the test database, for what the API cannot do (move a session's
/// clock back, count audit rows).
pub async fn raw_db(app: &TestApp) -> SqliteConnection {
    let path = app._dir.path().join("test.sqlite");
    SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap()
}

/// Rows of a table, counted directly in the database.
pub async fn count_rows(app: &TestApp, table: &str) -> i64 {
    let mut db = raw_db(app).await;
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();
    n
}

/// `enrolled` and `active` of an area's public figures.
pub async fn public_counts(app: &TestApp, code: &str) -> (u64, u64) {
    let area = app.area(code).await;
    (area.figures.enrolled, area.figures.active)
}

/// Total enrolments stored.
pub async fn enrolment_count(app: &TestApp) -> u64 {
    app.store.enrolment_count().await.unwrap()
}
