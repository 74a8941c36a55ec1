//! Accounts: valid details, who may create whom where, one-time reset links and the password
//! policy they enforce, separation of duties, and an admin's change, disabling and sign-out of
//! an account.

use axum::http::StatusCode;
use pantau_core::account::Role;
use serde_json::{json, Value};

use super::scope_matrix::new_user_body;
use super::*;
use crate::helpers::TestApp;

const NEW_PASSWORD: &str = "teh manis di beranda rumah nenek";

#[tokio::test]
async fn new_accounts_need_valid_details_and_get_a_link_never_a_password() {
    let app = TestApp::fresh().await;
    let national = official(&app, "admin.pusat", Role::NationalAdmin, "ID").await;
    let accounts = count_rows(&app, "account").await;
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut body = new_user_body("siti.desa", "village_operator", VILLAGE_A);
        edit(&mut body);
        body
    };
    // One defect each: the key changed, the value sent and the error expected on that key.
    let cases = [
        ("username", json!("Siti.Desa"), "invalid_username"),
        ("username", json!("siti desa"), "invalid_username"),
        ("username", json!("si"), "invalid_username"),
        ("username", json!("siti<script>"), "invalid_username"),
        ("display_name", json!("  "), "invalid_display_name"),
        ("display_name", json!("Siti\nDesa"), "invalid_display_name"),
        ("display_name", json!("S".repeat(101)), "invalid_display_name"),
        ("email", json!("siti.desa.go.id"), "invalid_email"),
        ("email", json!("<siti>@desa.id"), "invalid_email"),
        ("email", json!("siti@desa"), "invalid_email"),
    ];
    let mut failures = Vec::new();
    for (key, value, code) in cases {
        let body = with(&|b| b[key] = value.clone());
        let reply = national.post(&app, "/api/v1/users", &body).await;
        if reply.status != StatusCode::UNPROCESSABLE_ENTITY || reply.code() != code || reply.field() != Some(key) {
            failures.push(format!("{key} {value}: {} {}", reply.status, reply.text));
        }
        if let Some(text) = value.as_str().filter(|t| t.trim().len() > 3) {
            if reply.text.contains(text) {
                failures.push(format!("{key} {value}: the answer repeats the input"));
            }
        }
    }
    let unknown_role = national
        .post(&app, "/api/v1/users", &with(&|b| b["grant"]["role"] = json!("camat")))
        .await;
    unknown_role.expect(StatusCode::BAD_REQUEST, "bad_request");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        count_rows(&app, "account").await,
        accounts,
        "a refused account was stored"
    );

    // A password sent along is not taken: the admin never knows the holder's password.
    let reply = national
        .post(
            &app,
            "/api/v1/users",
            &with(&|b| {
                b["email"] = json!("Siti@Desa.ID");
                b["password"] = json!(PASSWORD);
            }),
        )
        .await;
    reply.expect(StatusCode::CREATED, "");
    assert_eq!(reply.json["user"]["username"], "siti.desa");
    assert_eq!(
        reply.json["user"]["grant"],
        json!({ "role": "village_operator", "scope": VILLAGE_A })
    );
    assert!(!reply.text.contains("argon2") && !reply.text.contains(PASSWORD));
    try_sign_in(&app, "siti.desa", PASSWORD)
        .await
        .expect(StatusCode::UNAUTHORIZED, "invalid_credentials");
    let taken = national.post(&app, "/api/v1/users", &with(&|_| {})).await;
    taken.expect(StatusCode::CONFLICT, "username_taken");
    // The holder sets the password with the link; the e-mail signs in too, in any case.
    reset(&app, &creation_link(&reply), NEW_PASSWORD)
        .await
        .expect(StatusCode::NO_CONTENT, "");
    sign_in(&app, "siti@desa.id", NEW_PASSWORD).await;
}

#[tokio::test]
async fn admins_create_only_roles_below_them_inside_their_area() {
    let app = TestApp::fresh().await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;
    let national = official(&app, "admin.pusat", Role::NationalAdmin, "ID").await;
    let verifier = official(&app, "bpjs.bekasi", Role::BpjsVerifier, REGENCY_A).await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    create_user(&app, "operator.b", Role::VillageOperator, VILLAGE_B).await;
    const CREATED: StatusCode = StatusCode::CREATED;
    const FORBIDDEN: StatusCode = StatusCode::FORBIDDEN;
    const INVALID: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;
    #[rustfmt::skip]
    let cases: [(&Session, &str, &str, &str, StatusCode, &str); 17] = [
        (&admin, "new.operator", "village_operator", VILLAGE_A, CREATED, ""),
        (&admin, "new.officer", "district_officer", DISTRICT_A, CREATED, ""),
        (&admin, "new.admin", "regency_admin", REGENCY_A, FORBIDDEN, "forbidden"),
        (&admin, "new.verifier", "bpjs_verifier", REGENCY_A, FORBIDDEN, "forbidden"),
        (&admin, "new.national", "national_admin", "ID", FORBIDDEN, "forbidden"),
        (&admin, "far.operator", "village_operator", VILLAGE_B, FORBIDDEN, "forbidden"),
        (&admin, "far.officer", "district_officer", "32.10.01", FORBIDDEN, "forbidden"),
        // The right role for the area's level only.
        (&admin, "odd.operator", "village_operator", DISTRICT_A, INVALID, "invalid_scope"),
        (&admin, "odd.officer", "district_officer", VILLAGE_A, INVALID, "invalid_scope"),
        (&admin, "ghost.operator", "village_operator", "32.16.01.9999", INVALID, "invalid_scope"),
        (&national, "bpjs.jabar", "bpjs_verifier", "32", CREATED, ""),
        (&national, "bpjs.kecamatan", "bpjs_verifier", DISTRICT_A, INVALID, "invalid_scope"),
        (&national, "admin.majalengka", "regency_admin", "32.10", CREATED, ""),
        (&national, "admin.kedua", "national_admin", "ID", CREATED, ""),
        (&national, "admin.provinsi", "regency_admin", "32", INVALID, "invalid_scope"),
        (&verifier, "by.verifier", "village_operator", VILLAGE_A, FORBIDDEN, "forbidden"),
        (&operator, "by.operator", "village_operator", VILLAGE_A, FORBIDDEN, "forbidden"),
    ];
    for (session, username, role, scope, status, code) in cases {
        let reply = session
            .post(&app, "/api/v1/users", &new_user_body(username, role, scope))
            .await;
        assert_eq!(reply.status, status, "{username} as {role} of {scope}: {}", reply.text);
        assert_eq!(reply.code(), code, "{username}");
    }
    // Each admin lists the accounts of their own area only.
    let listed = |reply: Reply| -> Vec<String> {
        reply.expect(StatusCode::OK, "");
        reply
            .json
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["username"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        listed(admin.get(&app, "/api/v1/users").await),
        [
            "admin.bekasi",
            "bpjs.bekasi",
            "new.officer",
            "new.operator",
            "operator.a"
        ]
    );
    assert_eq!(listed(national.get(&app, "/api/v1/users").await).len(), 10);
    for session in [&verifier, &operator] {
        session
            .get(&app, "/api/v1/users")
            .await
            .expect(StatusCode::FORBIDDEN, "forbidden");
    }
}

/// The token of a reset link's path `/kerja/#atur-sandi=<token>`.
fn token_of(reply: &Reply) -> String {
    reply.expect(StatusCode::CREATED, "");
    let path = reply.json["path"].as_str().unwrap();
    let token = path
        .strip_prefix("/kerja/#atur-sandi=")
        .unwrap_or_else(|| panic!("link {path}"));
    assert!(!path.contains('?'), "the token must stay in the fragment: {path}");
    assert!(token.len() >= 43, "short token");
    token.to_owned()
}

async fn reset(app: &TestApp, token: &str, password: &str) -> Reply {
    let body = json!({ "token": token, "password": password });
    anonymous(app, axum::http::Method::POST, "/api/v1/password-reset", Some(&body)).await
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_the_old_sessions() {
    let app = TestApp::fresh().await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;
    let created = admin
        .post(
            &app,
            "/api/v1/users",
            &new_user_body("operator.a", "village_operator", VILLAGE_A),
        )
        .await;
    let id = created.json["user"]["id"].as_i64().unwrap();
    // The holder sets a first password with the link the creation answered.
    reset(&app, &creation_link(&created), PASSWORD)
        .await
        .expect(StatusCode::NO_CONTENT, "");
    let old_session = sign_in(&app, "operator.a", PASSWORD).await;

    let link = admin
        .post(&app, &format!("/api/v1/users/{id}/reset-link"), &json!({}))
        .await;
    let token = token_of(&link);
    let expires = time::OffsetDateTime::parse(
        link.json["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let hours = (expires - time::OffsetDateTime::now_utc()).whole_minutes() as f64 / 60.0;
    assert!((23.9..=24.0).contains(&hours), "the link lasts {hours} hours");

    // A weak password is refused and does not spend the link.
    for (weak, code) in [
        ("pendek", "password_too_short"),
        ("Bismillah2025!!", "password_common"),
        ("operator.a.2025", "password_common"),
    ] {
        let reply = reset(&app, &token, weak).await;
        reply.expect_at(StatusCode::UNPROCESSABLE_ENTITY, code, "password");
    }
    old_session.expect_signed_in(&app).await;

    reset(&app, &token, NEW_PASSWORD)
        .await
        .expect(StatusCode::NO_CONTENT, "");
    old_session.expect_signed_out(&app).await;
    try_sign_in(&app, "operator.a", PASSWORD)
        .await
        .expect(StatusCode::UNAUTHORIZED, "invalid_credentials");
    sign_in(&app, "operator.a", NEW_PASSWORD).await;

    for spent in [token.as_str(), "Zm9yZ2VkLXRva2VuLW5vdC1pc3N1ZWQtYnktdGhlLXNlcnZlcg", ""] {
        let reply = reset(&app, spent, "kopi susu di warung pojok").await;
        reply.expect_at(StatusCode::BAD_REQUEST, "invalid_reset_token", "token");
    }

    // A newer link replaces the older one.
    let older = token_of(
        &admin
            .post(&app, &format!("/api/v1/users/{id}/reset-link"), &json!({}))
            .await,
    );
    let newer = token_of(
        &admin
            .post(&app, &format!("/api/v1/users/{id}/reset-link"), &json!({}))
            .await,
    );
    assert_ne!(older, newer);
    reset(&app, &older, "kopi susu di warung pojok")
        .await
        .expect(StatusCode::BAD_REQUEST, "invalid_reset_token");
    reset(&app, &newer, "kopi susu di warung pojok")
        .await
        .expect(StatusCode::NO_CONTENT, "");

    // The log says who issued links and who changed the password, never the token.
    let audit = admin.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/audit")).await;
    let actions = audit.audit_actions();
    assert_eq!(
        actions.iter().filter(|a| **a == "user.reset_link").count(),
        4,
        "{actions:?}"
    );
    assert_eq!(
        actions.iter().filter(|a| **a == "user.set_password").count(),
        3,
        "{actions:?}"
    );
    for secret in [&token, &older, &newer] {
        assert!(
            !audit.text.contains(secret.as_str()),
            "the audit log holds a reset token"
        );
    }
    let unknown = admin.post(&app, "/api/v1/users/999999/reset-link", &json!({})).await;
    unknown.expect(StatusCode::NOT_FOUND, "user_not_found");
}

/// The link of a creation answer, as `token_of` reads it.
fn creation_link(created: &Reply) -> String {
    created.expect(StatusCode::CREATED, "");
    let link = Reply {
        status: StatusCode::CREATED,
        json: created.json["link"].clone(),
        headers: HeaderMap::new(),
        text: String::new(),
    };
    token_of(&link)
}

/// Finding 3 of the review: an admin cannot choose an account's password, and every step from
/// creation to the first sign-in names the admin who caused it.
#[tokio::test]
async fn every_account_is_traced_from_its_creation_to_its_first_sign_in() {
    let app = TestApp::fresh().await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;
    let created = admin
        .post(
            &app,
            "/api/v1/users",
            &new_user_body("operator.baru", "village_operator", VILLAGE_A),
        )
        .await;
    let token = creation_link(&created);
    reset(&app, &token, NEW_PASSWORD)
        .await
        .expect(StatusCode::NO_CONTENT, "");
    sign_in(&app, "operator.baru", NEW_PASSWORD).await;
    // A second sign-in is an ordinary one.
    sign_in(&app, "operator.baru", NEW_PASSWORD).await;

    let audit = admin.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/audit")).await;
    let entries: Vec<&Value> = audit.json.as_array().unwrap().iter().rev().collect();
    let trail: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["actor"].as_str().unwrap()))
        .collect();
    assert_eq!(
        trail,
        [
            ("user.create", "admin.bekasi"),
            ("user.reset_link", "admin.bekasi"),
            ("user.set_password", "operator.baru"),
            ("user.first_sign_in", "operator.baru"),
        ],
        "{}",
        audit.text
    );
    assert_eq!(entries[2]["after"]["link_by"], "admin.bekasi");
    assert_eq!(entries[3]["after"]["link_by"], "admin.bekasi");
    assert!(!audit.text.contains(&token), "the audit log holds a reset token");
}

/// Finding 7 of the review: an admin renames, moves, disables and signs out the accounts it
/// manages, never its own nor one above it, and each change is audited.
#[tokio::test]
async fn an_admin_changes_disables_and_signs_out_the_accounts_it_manages() {
    let app = TestApp::fresh().await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;
    let other_admin = official(&app, "admin.tasik", Role::RegencyAdmin, "32.10").await;
    let operator_id = create_user(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let operator = sign_in(&app, "operator.a", PASSWORD).await;
    let path = format!("/api/v1/users/{operator_id}");
    let change = |name: &str, role: &str, scope: &str, active: bool| json!({ "display_name": name, "grant": { "role": role, "scope": scope }, "active": active });

    // A rename keeps the sessions.
    let renamed = admin
        .put(
            &app,
            &path,
            &change(" Siti Rahma ", "village_operator", VILLAGE_A, true),
        )
        .await;
    renamed.expect(StatusCode::OK, "");
    assert_eq!(renamed.json["display_name"], "Siti Rahma");
    operator.expect_signed_in(&app).await;

    // Refused, with nothing changed: outside the admin's powers, the wrong level, bad names,
    // the admin's own account, another regency's admin.
    let admin_id = admin.me["user_id"].as_i64().unwrap();
    let own = format!("/api/v1/users/{admin_id}");
    const FORBIDDEN: StatusCode = StatusCode::FORBIDDEN;
    const INVALID: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;
    #[rustfmt::skip]
    let refusals = [
        (&admin, &path, change("Siti", "village_operator", VILLAGE_B, true), FORBIDDEN, "forbidden"),
        (&admin, &path, change("Siti", "regency_admin", REGENCY_A, true), FORBIDDEN, "forbidden"),
        (&admin, &path, change("Siti", "village_operator", DISTRICT_A, true), INVALID, "invalid_scope"),
        (&admin, &path, change("Siti\nRahma", "village_operator", VILLAGE_A, true), INVALID, "invalid_display_name"),
        (&admin, &own, change("Admin", "regency_admin", REGENCY_A, false), FORBIDDEN, "forbidden"),
        (&other_admin, &path, change("Siti", "village_operator", VILLAGE_A, false), FORBIDDEN, "forbidden"),
        (&operator, &path, change("Siti", "village_operator", VILLAGE_A, false), FORBIDDEN, "forbidden"),
    ];
    for (who, target, body, status, code) in refusals {
        who.put(&app, target, &body).await.expect(status, code);
    }
    operator.expect_signed_in(&app).await;
    admin
        .put(
            &app,
            "/api/v1/users/999999",
            &change("X", "village_operator", VILLAGE_A, true),
        )
        .await
        .expect(StatusCode::NOT_FOUND, "user_not_found");

    // Moving the account to another village ends its sessions; the new grant applies.
    admin
        .put(&app, &path, &change("Siti Rahma", "village_operator", VILLAGE_A2, true))
        .await
        .expect(StatusCode::OK, "");
    operator.expect_signed_out(&app).await;
    let moved = sign_in(&app, "operator.a", PASSWORD).await;
    assert_eq!(moved.me["grant"]["scope"], VILLAGE_A2);

    // "Sign out everywhere" ends every session without touching the account.
    admin
        .post(&app, &format!("{path}/sign-out"), &json!({}))
        .await
        .expect(StatusCode::NO_CONTENT, "");
    moved.expect_signed_out(&app).await;
    let again = sign_in(&app, "operator.a", PASSWORD).await;

    // Disabled: sessions end and the password no longer signs in; enabled again, it does.
    let disabled = admin
        .put(
            &app,
            &path,
            &change("Siti Rahma", "village_operator", VILLAGE_A2, false),
        )
        .await;
    disabled.expect(StatusCode::OK, "");
    assert_eq!(disabled.json["active"], false);
    again.expect_signed_out(&app).await;
    try_sign_in(&app, "operator.a", PASSWORD)
        .await
        .expect(StatusCode::UNAUTHORIZED, "invalid_credentials");
    admin
        .post(&app, &format!("{path}/reset-link"), &json!({}))
        .await
        .expect(StatusCode::CREATED, "");
    admin
        .put(&app, &path, &change("Siti Rahma", "village_operator", VILLAGE_A2, true))
        .await
        .expect(StatusCode::OK, "");
    sign_in(&app, "operator.a", PASSWORD).await;

    let audit = admin.get(&app, &format!("/api/v1/areas/{REGENCY_A}/audit")).await;
    let actions = audit.audit_actions();
    assert_eq!(
        actions.iter().filter(|a| **a == "user.update").count(),
        4,
        "{actions:?}"
    );
    assert_eq!(
        actions.iter().filter(|a| **a == "user.sign_out_all").count(),
        1,
        "{actions:?}"
    );
}
