//! The gate in front of every workspace endpoint: no session means 401, a state-changing
//! request without the session's CSRF token means 403, and neither changes anything.

use axum::http::{Method, StatusCode};
use pantau_core::account::Role;
use serde_json::{json, Value};

use super::scope_matrix::new_user_body;
use super::*;
use crate::helpers::TestApp;

/// The endpoints that need a session, with a body where they take one.
fn protected(id: i64, account: i64) -> Vec<(Method, String, Option<Value>)> {
    let draft = valid_draft(VILLAGE_A, &nik_for("321601", 7777, false));
    vec![
        (Method::GET, "/api/v1/session".into(), None),
        (Method::DELETE, "/api/v1/session".into(), None),
        (Method::DELETE, "/api/v1/sessions".into(), None),
        (Method::GET, "/api/v1/users".into(), None),
        (
            Method::POST,
            "/api/v1/users".into(),
            Some(new_user_body("tanpa.sesi", "village_operator", VILLAGE_A)),
        ),
        (
            Method::POST,
            format!("/api/v1/users/{account}/reset-link"),
            Some(json!({})),
        ),
        (Method::POST, "/api/v1/enrolments".into(), Some(draft.clone())),
        (Method::GET, format!("/api/v1/enrolments/{id}"), None),
        (Method::PUT, format!("/api/v1/enrolments/{id}"), Some(draft)),
        (Method::GET, format!("/api/v1/enrolments/{id}/nik"), None),
        (
            Method::POST,
            format!("/api/v1/enrolments/{id}/deactivate"),
            Some(json!({ "reason": "died" })),
        ),
        (
            Method::POST,
            format!("/api/v1/enrolments/{id}/renew"),
            Some(json!({ "months": 3 })),
        ),
        (
            Method::POST,
            format!("/api/v1/enrolments/{id}/verify"),
            Some(json!({ "membership_number": "12345678901" })),
        ),
        (
            Method::POST,
            format!("/api/v1/enrolments/{id}/reject"),
            Some(json!({ "reason": "Tidak lengkap" })),
        ),
        (Method::GET, format!("/api/v1/areas/{VILLAGE_A}/workers"), None),
        (Method::GET, format!("/api/v1/areas/{VILLAGE_A}/workload"), None),
        (
            Method::PUT,
            format!("/api/v1/areas/{VILLAGE_A}/target"),
            Some(json!({ "target": 5 })),
        ),
        (Method::GET, format!("/api/v1/areas/{VILLAGE_A}/audit"), None),
    ]
}

#[tokio::test]
async fn without_a_session_every_endpoint_answers_401_and_changes_nothing() {
    let app = TestApp::fresh().await;
    let (id, _) = seed(&app, VILLAGE_A).await;
    let account = create_user(&app, "target.a", Role::VillageOperator, VILLAGE_A).await;
    let before = (
        enrolment_count(&app).await,
        count_rows(&app, "audit_log").await,
        count_rows(&app, "account").await,
    );
    for (method, path, body) in protected(id, account) {
        let reply = anonymous(&app, method.clone(), &path, body.as_ref()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path}: {}",
            reply.text
        );
        assert_eq!(reply.code(), "unauthenticated", "{method} {path}");
        assert_eq!(reply.headers["cache-control"], "no-store", "{method} {path}");
        // A token the server never issued, and the cookie under a name without `__Host-`.
        let bytes = body
            .as_ref()
            .map(|b| serde_json::to_vec(b).unwrap())
            .unwrap_or_default();
        let content_type = body.as_ref().map(|_| "application/json");
        for cookie in [
            "__Host-pantau_session=Zm9yZ2VkLXRva2VuLW5vdC1pc3N1ZWQtYnktdGhlLXNlcnZlcg",
            "pantau_session=Zm9yZ2Vk",
        ] {
            let headers = [("cookie", cookie), ("x-csrf-token", "anything")];
            let reply = send(&app, method.clone(), &path, &headers, content_type, bytes.clone()).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path} with {cookie}");
            assert_eq!(reply.code(), "unauthenticated", "{method} {path}");
        }
    }
    let after = (
        enrolment_count(&app).await,
        count_rows(&app, "audit_log").await,
        count_rows(&app, "account").await,
    );
    assert_eq!(
        before, after,
        "(enrolments, audit rows, accounts) changed without a session"
    );
}

/// What a refused request must leave as it was.
async fn state(app: &TestApp, admin: &Session, id: i64) -> Vec<String> {
    let worker = admin.get(app, &format!("/api/v1/enrolments/{id}")).await;
    assert_eq!(worker.status, StatusCode::OK);
    vec![
        format!("enrolments {}", enrolment_count(app).await),
        format!("audit rows {}", count_rows(app, "audit_log").await),
        format!("accounts {}", count_rows(app, "account").await),
        format!("reset links {}", count_rows(app, "password_reset").await),
        format!("sessions {}", count_rows(app, "session").await),
        format!("village A target {}", app.area(VILLAGE_A).await.figures.target),
        format!("worker {}", worker.text),
    ]
}

#[tokio::test]
async fn a_wrong_or_missing_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::fresh().await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let (id, _) = seed(&app, VILLAGE_A).await;
    let account = create_user(&app, "target.a", Role::VillageOperator, VILLAGE_A).await;
    let before = state(&app, &admin, id).await;
    let wrong = [
        "wrong-token".to_owned(),
        String::new(),
        admin.csrf.to_uppercase(),
        format!("{}x", admin.csrf),
        admin.csrf[..admin.csrf.len() - 1].to_owned(),
        // Another session's token does not fit this session.
        operator.csrf.clone(),
    ];
    for csrf in &wrong {
        let bad = admin.with_csrf(csrf);
        for (method, path, body) in protected(id, account) {
            if method == Method::GET {
                continue;
            }
            let reply = bad.call(&app, method.clone(), &path, body.as_ref()).await;
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "{method} {path} csrf {csrf:?}: {}",
                reply.text
            );
            assert_eq!(reply.code(), "csrf_mismatch", "{method} {path} csrf {csrf:?}");
            assert!(!reply.message().is_empty());
        }
        // Reading needs no token.
        bad.expect_signed_in(&app).await;
    }
    assert_eq!(
        before,
        state(&app, &admin, id).await,
        "a refused request changed something"
    );
    // The right token still works, so nothing above was refused for another reason.
    let reply = admin.step(&app, id, "renew", &json!({ "months": 3 })).await;
    reply.expect(StatusCode::OK, "");
}

/// Log lines written while a test runs on its thread.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn refusals_are_logged_with_where_they_came_from() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = TestApp::fresh().await;
    // Tests on other threads, with no subscriber, may have cached "nobody listens" for the
    // refusal's call site meanwhile; ask again now that this thread's subscriber exists.
    tracing::callsite::rebuild_interest_cache();
    let admin = official(&app, "admin.tercatat", Role::RegencyAdmin, "32.16").await;
    let from = std::net::SocketAddr::from(([203, 0, 113, 7], 40_000));
    // Outside the admin's regency, then with a forged CSRF token.
    for (csrf, path, code) in [
        (admin.csrf.as_str(), "/api/v1/areas/36.04.05.2001/target", "forbidden"),
        ("forged", "/api/v1/areas/32.16.01.2001/target", "csrf_mismatch"),
    ] {
        let mut request = axum::http::Request::put(path)
            .header("cookie", format!("{COOKIE}={}", admin.cookie))
            .header("x-csrf-token", csrf)
            .header("content-type", "application/json")
            .body(axum::body::Body::from(r#"{"target":120}"#))
            .unwrap();
        request.extensions_mut().insert(axum::extract::ConnectInfo(from));
        let response = tower::ServiceExt::oneshot(app.router.clone(), request).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        let body = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["error"]["code"], code);
    }
    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let refusals: Vec<&str> = logged.lines().filter(|l| l.contains("request refused")).collect();
    assert_eq!(refusals.len(), 2, "{logged}");
    for (line, code) in refusals.iter().zip(["Forbidden", "CsrfMismatch"]) {
        assert!(line.contains("address=203.0.113.7") && line.contains(code), "{line}");
        assert!(
            line.contains("/api/v1/areas/{code}/target"),
            "the route, not the address: {line}"
        );
        assert!(
            !line.contains("36.04.05.2001") && !line.contains(&admin.cookie),
            "{line}"
        );
    }
}
