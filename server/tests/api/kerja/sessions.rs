//! Sign-in, its throttle, sign-out, idle and absolute expiry, and the cookie and caching rules
//! of the workspace's answers.

use axum::http::{header, Method, StatusCode};
use pantau_core::account::Role;
use serde_json::json;
use time::OffsetDateTime;

use super::*;
use crate::helpers::TestApp;

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let app = TestApp::fresh().await;
    create_user(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let wrong_password = try_sign_in(&app, "operator.a", "kopi tubruk di pematang kali").await;
    let unknown_user = try_sign_in(&app, "operator.zz", PASSWORD).await;
    for reply in [&wrong_password, &unknown_user] {
        reply.expect_at(StatusCode::UNAUTHORIZED, "invalid_credentials", "login");
        assert_eq!(reply.message(), "Nama pengguna atau kata sandi salah.");
        assert!(
            reply.headers.get(header::SET_COOKIE).is_none(),
            "a refused sign-in sets no cookie"
        );
        assert!(!reply.text.contains("kopi"), "the answer repeats the password");
    }
    assert_eq!(
        wrong_password.text, unknown_user.text,
        "the answers tell the cases apart"
    );
    // The login is not case-sensitive, the password is.
    sign_in(&app, "Operator.A", PASSWORD).await;
    let reply = try_sign_in(&app, "operator.a", &PASSWORD.to_uppercase()).await;
    reply.expect(StatusCode::UNAUTHORIZED, "invalid_credentials");
    // A body that is not a sign-in.
    for body in ["", "{}", "{\"login\":\"operator.a\"}", "[1,2]"] {
        let reply = send(
            &app,
            Method::POST,
            "/api/v1/session",
            &[],
            Some("application/json"),
            body.into(),
        )
        .await;
        reply.expect(StatusCode::BAD_REQUEST, "bad_request");
    }
}

/// Finding 8 of the review: refused guesses drained the account's bucket, so anyone could
/// lock out a known username. The holder's own browser (its device cookie from an earlier
/// sign-in) is throttled apart and still gets in; a new browser waits, as a guesser does.
#[tokio::test]
async fn guessing_at_a_username_does_not_lock_its_holder_out_of_their_own_browser() {
    let app = TestApp::fresh().await;
    create_user(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    create_user(&app, "operator.b", Role::VillageOperator, VILLAGE_B).await;
    let device_of = |reply: &Reply| {
        reply
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
            .find(|c| c.starts_with("__Host-pantau_device="))
    };
    let first = try_sign_in(&app, "operator.a", PASSWORD).await;
    first.expect(StatusCode::OK, "");
    let own_browser = device_of(&first).expect("a device cookie");
    let other_account = device_of(&try_sign_in(&app, "operator.b", PASSWORD).await).unwrap();
    for attempt in 1..=6 {
        try_sign_in(&app, "operator.a", &format!("tebakan nomor {attempt}")).await;
    }
    try_sign_in(&app, "operator.a", PASSWORD)
        .await
        .expect(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
    let again = sign_in_from(&app, &own_browser).await;
    again.expect(StatusCode::OK, "");
    assert!(device_of(&again).is_none(), "a known browser keeps its cookie");
    // Another account's browser, or a made-up cookie, is a new browser for this account.
    for cookie in [other_account, "__Host-pantau_device=erfundenes-token".to_owned()] {
        sign_in_from(&app, &cookie)
            .await
            .expect(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
    }
}

/// operator.a signs in from a browser holding `cookie`.
async fn sign_in_from(app: &TestApp, cookie: &str) -> Reply {
    let body = serde_json::to_vec(&json!({ "login": "operator.a", "password": PASSWORD })).unwrap();
    let headers = [("Cookie", cookie)];
    send(
        app,
        Method::POST,
        "/api/v1/session",
        &headers,
        Some("application/json"),
        body,
    )
    .await
}

#[tokio::test]
async fn the_sixth_rapid_attempt_on_one_account_is_refused_even_with_the_right_password() {
    let app = TestApp::fresh().await;
    create_user(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    create_user(&app, "operator.b", Role::VillageOperator, VILLAGE_B).await;
    for attempt in 1..=5 {
        let reply = try_sign_in(&app, "operator.a", &format!("salah sandi nomor {attempt}")).await;
        reply.expect(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    let sixth = try_sign_in(&app, "operator.a", "salah sandi nomor 6").await;
    sixth.expect(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
    assert!(!sixth.message().is_empty());
    for login in ["operator.a", "OPERATOR.A", " operator.a "] {
        let reply = try_sign_in(&app, login, PASSWORD).await;
        reply.expect(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
        assert!(
            reply.headers.get(header::SET_COOKIE).is_none(),
            "{login:?}: a throttled sign-in set a cookie"
        );
    }
    // Another account at the same address is not held back.
    sign_in(&app, "operator.b", PASSWORD).await;
}

/// The operator of village A, signed in on two devices.
async fn signed_in_twice(app: &TestApp) -> (Session, Session) {
    create_user(app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let first = sign_in(app, "operator.a", PASSWORD).await;
    let second = sign_in(app, "operator.a", PASSWORD).await;
    (first, second)
}

#[tokio::test]
async fn signing_out_ends_this_session_only() {
    let app = TestApp::fresh().await;
    let (first, second) = signed_in_twice(&app).await;
    assert_ne!(first.cookie, second.cookie);
    assert_ne!(first.csrf, second.csrf);
    let reply = first.delete(&app, "/api/v1/session").await;
    reply.expect(StatusCode::NO_CONTENT, "");
    let removal = reply.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        removal.starts_with(&format!("{COOKIE}=;")),
        "the cookie is not cleared: {removal}"
    );
    assert!(
        removal.contains("Max-Age=0") || removal.contains("1970"),
        "the cookie is not expired: {removal}"
    );
    for (method, path) in [(Method::GET, "/api/v1/session"), (Method::DELETE, "/api/v1/session")] {
        let reply = first.call(&app, method, path, None).await;
        reply.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    }
    let reply = first
        .post(
            &app,
            "/api/v1/enrolments",
            &valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A)),
        )
        .await;
    reply.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(enrolment_count(&app).await, 0);
    second.expect_signed_in(&app).await;
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_the_account() {
    let app = TestApp::fresh().await;
    let (laptop, phone) = signed_in_twice(&app).await;
    let someone_else = official(&app, "operator.b", Role::VillageOperator, VILLAGE_B).await;
    laptop
        .delete(&app, "/api/v1/sessions")
        .await
        .expect(StatusCode::NO_CONTENT, "");
    for session in [&laptop, &phone] {
        session.expect_signed_out(&app).await;
    }
    someone_else.expect_signed_in(&app).await;
    // Signing in again works.
    sign_in(&app, "operator.a", PASSWORD).await;
}

/// Moves a session's clock: `created_at` and `last_seen` this many seconds before now.
async fn age_session(app: &TestApp, session: &Session, created_ago: i64, seen_ago: i64) {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let mut db = raw_db(app).await;
    let changed = sqlx::query("UPDATE session SET created_at = ?, last_seen = ? WHERE token_hash = ?")
        .bind(now - created_ago)
        .bind(now - seen_ago)
        .bind(pantau_server::auth::token_hash(&session.cookie))
        .execute(&mut db)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(changed, 1, "the session is not in the database");
}

#[tokio::test]
async fn sessions_end_after_thirty_idle_minutes_or_twelve_hours() {
    let app = TestApp::fresh().await;
    create_user(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    create_user(&app, "operator.a2", Role::VillageOperator, VILLAGE_A2).await;
    let idle = sign_in(&app, "operator.a", PASSWORD).await;
    let busy = sign_in(&app, "operator.a", PASSWORD).await;
    let old = sign_in(&app, "operator.a2", PASSWORD).await;
    let nearly_old = sign_in(&app, "operator.a2", PASSWORD).await;
    age_session(&app, &idle, 40 * 60, 31 * 60).await;
    age_session(&app, &busy, 40 * 60, 29 * 60).await;
    age_session(&app, &old, 12 * 3600 + 60, 10).await;
    age_session(&app, &nearly_old, 12 * 3600 - 60, 10).await;

    for expired in [&idle, &old] {
        let reply = expired.get(&app, "/api/v1/session").await;
        reply.expect(StatusCode::UNAUTHORIZED, "session_expired");
        assert_eq!(reply.headers["cache-control"], "no-store");
        // Ended for good, not only refused once.
        let again = expired.get(&app, "/api/v1/session").await;
        again.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    }
    // Expired for writes too, and nothing is written.
    let (id, _) = seed(&app, VILLAGE_A).await;
    let fresh = sign_in(&app, "operator.a", PASSWORD).await;
    age_session(&app, &fresh, 31 * 60, 31 * 60).await;
    let reply = fresh.step(&app, id, "renew", &json!({ "months": 12 })).await;
    reply.expect(StatusCode::UNAUTHORIZED, "session_expired");
    let worker = busy.get(&app, &format!("/api/v1/enrolments/{id}")).await;
    assert_eq!(worker.json["paid_through"], crate::helpers::now().plus(11).to_string());

    // Activity keeps a session alive: the request above moved `last_seen` to now.
    for alive in [&busy, &nearly_old] {
        alive.expect_signed_in(&app).await;
    }
    let mut db = raw_db(&app).await;
    let last_seen: i64 = sqlx::query_scalar("SELECT last_seen FROM session WHERE token_hash = ?")
        .bind(pantau_server::auth::token_hash(&busy.cookie))
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert!(
        OffsetDateTime::now_utc().unix_timestamp() - last_seen < 60,
        "activity was not recorded"
    );
}

#[tokio::test]
async fn the_cookie_is_host_only_http_only_secure_and_strict_and_answers_are_not_cached() {
    let app = TestApp::fresh().await;
    create_user(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let reply = try_sign_in(&app, "operator.a", PASSWORD).await;
    reply.expect(StatusCode::OK, "");
    assert_eq!(reply.headers["cache-control"], "no-store");
    let mut cookies: Vec<&str> = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    // The session's, and the device cookie of a browser new to the account.
    cookies.sort_by_key(|c| !c.starts_with("__Host-pantau_session="));
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    for (cookie, name, max_age) in [
        (cookies[0], "__host-pantau_session=", "max-age=43200"),
        (cookies[1], "__host-pantau_device=", "max-age=31536000"),
    ] {
        let attributes: Vec<String> = cookie.split(';').map(|a| a.trim().to_lowercase()).collect();
        assert!(attributes[0].starts_with(name), "{attributes:?}");
        for wanted in ["httponly", "secure", "samesite=strict", "path=/", max_age] {
            assert!(
                attributes.iter().any(|a| a == wanted),
                "missing {wanted}: {attributes:?}"
            );
        }
        assert!(
            !attributes.iter().any(|a| a.starts_with("domain")),
            "a __Host- cookie has no Domain"
        );
    }
    let token = session_cookie(cookies[0]).unwrap();
    assert!(token.len() >= 43, "the token is short: {} characters", token.len());
    // The token is not in the body; the CSRF token is, and differs from it.
    assert!(!reply.text.contains(&token));
    let csrf = reply.json["csrf_token"].as_str().unwrap();
    assert_ne!(csrf, token);
    assert!(csrf.len() >= 43);

    let session = Session {
        cookie: token,
        csrf: csrf.to_owned(),
        me: reply.json.clone(),
    };
    let me = session.get(&app, "/api/v1/session").await;
    me.expect(StatusCode::OK, "");
    assert_eq!(
        me.json["csrf_token"], csrf,
        "GET /session gives the page its CSRF token"
    );
    assert_eq!(me.json["username"], "operator.a");
    assert_eq!(
        me.json["grant"],
        json!({ "role": "village_operator", "scope": VILLAGE_A })
    );
    assert_eq!(me.json["scope_name"], "Sagara Makmur");
    assert!(me.json.get("password_hash").is_none());
    assert!(!me.text.contains("argon2"), "the answer holds the password hash");

    let (id, _) = seed(&app, VILLAGE_A).await;
    let answers = [
        me,
        session.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workers")).await,
        session.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workload")).await,
        session.get(&app, &format!("/api/v1/enrolments/{id}")).await,
        session.get(&app, &format!("/api/v1/enrolments/{id}/nik")).await,
        session.get(&app, "/api/v1/enrolments/999999").await,
        session.get(&app, "/api/v1/users").await,
        anonymous(&app, Method::GET, "/api/v1/session", None).await,
    ];
    for reply in answers {
        assert_eq!(reply.headers["cache-control"], "no-store", "{}", reply.text);
        assert!(
            reply.headers.get(header::ETAG).is_none(),
            "a private answer has an ETag"
        );
    }
    // Public data keeps its public caching.
    let (status, _) = app.get(&format!("/api/v1/areas/{VILLAGE_A}")).await;
    assert_eq!(status, StatusCode::OK);
    let public = anonymous(&app, Method::GET, &format!("/api/v1/areas/{VILLAGE_A}"), None).await;
    assert!(public.headers["cache-control"].to_str().unwrap().starts_with("public"));
}
