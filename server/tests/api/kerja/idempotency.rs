//! `Idempotency-Key` on the writes of the offline outbox: one record however often (and
//! however concurrently) a phone resends, the first answer byte for byte on every replay,
//! refusals of a reused key, keys per account, across a restart and across two servers on
//! one database, and the purge after 30 days.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use axum::Router;
use futures_util::future::join_all;
use pantau_core::account::Role;
use pantau_server::http::idempotency::{fingerprint, purge_expired, KEEP_SECS};
use pantau_server::store::sqlite::SqliteStore;
use pantau_server::AppState;
use serde_json::{json, Value};
use time::OffsetDateTime;

use super::*;
use crate::helpers::TestApp;

const ENROLMENTS: &str = "/api/v1/enrolments";

/// Another server process on the same database file: its own pools, state and router.
async fn server_on(app: &TestApp) -> (Arc<SqliteStore>, Router) {
    let store = Arc::new(SqliteStore::open(&app._dir.path().join("test.sqlite")).await.unwrap());
    let state = AppState::new(store.clone(), app._dir.path().join("dist"))
        .await
        .unwrap();
    (store, pantau_server::app(state))
}

/// Rows of `idempotency_key` of `key`.
async fn key_rows(app: &TestApp, key: &str) -> i64 {
    let mut db = raw_db(app).await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM idempotency_key WHERE key = ?")
        .bind(key)
        .fetch_one(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();
    n
}

fn replayed(reply: &Reply) -> bool {
    reply.headers.get("idempotent-replayed").is_some_and(|v| v == "true")
}

/// Asserts that `again` is `first` replayed: same status and body bytes, marked as a replay.
#[track_caller]
fn assert_replay_of(again: &Reply, first: &Reply) {
    assert_eq!(again.status, first.status, "replayed status; body: {}", again.text);
    assert_eq!(again.text, first.text, "replayed body");
    assert_eq!(
        again.headers.get("content-type"),
        first.headers.get("content-type"),
        "replayed content type"
    );
    assert!(replayed(again), "marked as replayed");
    assert!(!replayed(first), "the first answer is not a replay");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_with_one_key_make_one_record_and_identical_answers() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let draft = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    let before = enrolment_count(&app).await;
    const N: usize = 10;
    let key = "0b1f6c8e-3d2a-4f5b-9c7d-1e2f3a4b5c6d";
    let replies = join_all((0..N).map(|_| operator.keyed(&app, Method::POST, ENROLMENTS, key, &draft))).await;
    assert_eq!(enrolment_count(&app).await, before + 1, "one record");
    let first = replies
        .iter()
        .find(|r| !replayed(r))
        .expect("one answer ran the request");
    first.expect(StatusCode::CREATED, "");
    for reply in &replies {
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        assert_eq!(reply.text, first.text, "identical bodies");
    }
    assert_eq!(replies.iter().filter(|r| !replayed(r)).count(), 1, "exactly one ran");
    assert_eq!(key_rows(&app, key).await, 1);
    let id = first.json["worker"]["id"].as_i64().unwrap();
    let audit: i64 = {
        let mut db = raw_db(&app).await;
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'enrolment.create' AND subject = ?")
            .bind(format!("enrolment/{id}"))
            .fetch_one(&mut db)
            .await
            .unwrap()
    };
    assert_eq!(audit, 1, "one write in the audit log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_database_run_a_key_once() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let (_other_store, other) = server_on(&app).await;
    let draft = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    let before = enrolment_count(&app).await;
    let key = "two-servers-one-key";
    let replies = join_all((0..8).map(|i| {
        let router = if i % 2 == 0 { &app.router } else { &other };
        operator.keyed_via(router, Method::POST, ENROLMENTS, key, &draft)
    }))
    .await;
    assert_eq!(enrolment_count(&app).await, before + 1, "one record");
    assert_eq!(replies.iter().filter(|r| !replayed(r)).count(), 1, "exactly one ran");
    for reply in &replies {
        reply.expect(StatusCode::CREATED, "");
        assert_eq!(reply.text, replies[0].text);
    }
}

#[tokio::test]
async fn the_same_key_with_another_request_is_refused_and_stores_nothing() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let key = "a-key-for-one-record";
    let first_draft = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    let first = operator.keyed(&app, Method::POST, ENROLMENTS, key, &first_draft).await;
    first.expect(StatusCode::CREATED, "");
    let count = enrolment_count(&app).await;

    let other_draft = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    let refused = operator.keyed(&app, Method::POST, ENROLMENTS, key, &other_draft).await;
    refused.expect(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    assert!(!replayed(&refused));
    // The same body to another path is another request too.
    let id = first.json["worker"]["id"].as_i64().unwrap();
    let elsewhere = operator
        .keyed(&app, Method::PUT, &format!("{ENROLMENTS}/{id}"), key, &first_draft)
        .await;
    elsewhere.expect(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    assert_eq!(enrolment_count(&app).await, count, "nothing stored");
    let detail = operator.get(&app, &format!("{ENROLMENTS}/{id}")).await;
    assert_eq!(detail.json["revision"], 1, "the record was not edited");

    // The key still answers its own request as the first time.
    let again = operator.keyed(&app, Method::POST, ENROLMENTS, key, &first_draft).await;
    assert_replay_of(&again, &first);
}

#[tokio::test]
async fn keys_of_two_accounts_never_meet() {
    let app = TestApp::fresh().await;
    let a = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let b = official(&app, "operator.b", Role::VillageOperator, VILLAGE_A2).await;
    let key = "7d9e2b1a-0000-4000-8000-000000000001";
    let draft_a = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    let draft_b = valid_draft(VILLAGE_A2, &fresh_nik(VILLAGE_A2));
    let before = enrolment_count(&app).await;
    let first_a = a.keyed(&app, Method::POST, ENROLMENTS, key, &draft_a).await;
    let first_b = b.keyed(&app, Method::POST, ENROLMENTS, key, &draft_b).await;
    first_a.expect(StatusCode::CREATED, "");
    first_b.expect(StatusCode::CREATED, "");
    assert!(!replayed(&first_b), "b's request ran: a's key is not b's");
    assert_ne!(first_a.json["worker"]["id"], first_b.json["worker"]["id"]);
    assert_eq!(enrolment_count(&app).await, before + 2, "two records");
    assert_eq!(key_rows(&app, key).await, 2);
    assert_replay_of(&a.keyed(&app, Method::POST, ENROLMENTS, key, &draft_a).await, &first_a);
    assert_replay_of(&b.keyed(&app, Method::POST, ENROLMENTS, key, &draft_b).await, &first_b);
    // Even the same body under the same key is each account's own request.
    let shared = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    let by_a = a.keyed(&app, Method::POST, ENROLMENTS, "same-body-key", &shared).await;
    let by_b = b.keyed(&app, Method::POST, ENROLMENTS, "same-body-key", &shared).await;
    by_a.expect(StatusCode::CREATED, "");
    assert!(!replayed(&by_b), "b never sees a's answer");
    by_b.expect(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn an_answer_is_replayed_after_a_restart_on_the_same_database() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let draft = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    let key = "survives-a-restart";
    let first = operator.keyed(&app, Method::POST, ENROLMENTS, key, &draft).await;
    first.expect(StatusCode::CREATED, "");
    let count = enrolment_count(&app).await;
    app.store.close().await;

    let (store, restarted) = server_on(&app).await;
    let again = operator
        .keyed_via(&restarted, Method::POST, ENROLMENTS, key, &draft)
        .await;
    assert_replay_of(&again, &first);
    assert_eq!(
        pantau_server::store::Store::enrolment_count(store.as_ref())
            .await
            .unwrap(),
        count
    );
}

#[tokio::test]
async fn refusals_are_replayed_identically() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let before = enrolment_count(&app).await;
    let mut invalid = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    invalid["consent"] = json!(false);
    invalid["full_name"] = json!("");
    let first = operator
        .keyed(&app, Method::POST, ENROLMENTS, "refused-once", &invalid)
        .await;
    first.expect(StatusCode::UNPROCESSABLE_ENTITY, "invalid_enrolment");
    let again = operator
        .keyed(&app, Method::POST, ENROLMENTS, "refused-once", &invalid)
        .await;
    assert_replay_of(&again, &first);
    assert_eq!(enrolment_count(&app).await, before, "nothing stored");

    // A duplicate NIK (409) likewise: the answer says where, and stays what it was.
    let nik = fresh_nik(VILLAGE_A);
    operator
        .post(&app, ENROLMENTS, &valid_draft(VILLAGE_A, &nik))
        .await
        .expect(StatusCode::CREATED, "");
    let duplicate = valid_draft(VILLAGE_A, &nik);
    let first = operator
        .keyed(&app, Method::POST, ENROLMENTS, "duplicate", &duplicate)
        .await;
    first.expect(StatusCode::CONFLICT, "duplicate_nik");
    assert_replay_of(
        &operator
            .keyed(&app, Method::POST, ENROLMENTS, "duplicate", &duplicate)
            .await,
        &first,
    );
}

#[tokio::test]
async fn steps_on_a_record_are_applied_once() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let verifier = official(&app, "verifikator", Role::BpjsVerifier, REGENCY_A).await;
    let (id, nik) = seed(&app, VILLAGE_A).await;
    let path = |step: &str| format!("{ENROLMENTS}/{id}/{step}");

    // Renewed twice by a resend: paid one year more, not two.
    let before = operator.get(&app, &format!("{ENROLMENTS}/{id}")).await.json["paid_through"].clone();
    let renew = json!({ "months": 12 });
    let first = operator
        .keyed(&app, Method::POST, &path("renew"), "renew-1", &renew)
        .await;
    first.expect(StatusCode::OK, "");
    assert_replay_of(
        &operator
            .keyed(&app, Method::POST, &path("renew"), "renew-1", &renew)
            .await,
        &first,
    );
    let after = operator.get(&app, &format!("{ENROLMENTS}/{id}")).await.json["paid_through"].clone();
    assert_ne!(after, before);
    assert_eq!(after, first.json["paid_through"]);

    // An edit resent: one revision.
    let mut edit = valid_draft(VILLAGE_A, &nik);
    edit["address"] = json!("Dusun Kulon RT 03 RW 01");
    let first = operator
        .keyed(&app, Method::PUT, &format!("{ENROLMENTS}/{id}"), "edit-1", &edit)
        .await;
    first.expect(StatusCode::OK, "");
    let revision = first.json["revision"].clone();
    let again = operator
        .keyed(&app, Method::PUT, &format!("{ENROLMENTS}/{id}"), "edit-1", &edit)
        .await;
    assert_replay_of(&again, &first);
    assert_eq!(
        operator.get(&app, &format!("{ENROLMENTS}/{id}")).await.json["revision"],
        revision
    );

    // Verified once; the resend gets the same 200, not "wrong state".
    let verify = json!({ "membership_number": "24012345678" });
    let first = verifier
        .keyed(&app, Method::POST, &path("verify"), "verify-1", &verify)
        .await;
    first.expect(StatusCode::OK, "");
    assert_replay_of(
        &verifier
            .keyed(&app, Method::POST, &path("verify"), "verify-1", &verify)
            .await,
        &first,
    );
    verifier
        .step(&app, id, "verify", &verify)
        .await
        .expect(StatusCode::CONFLICT, "wrong_state");

    let deactivate = json!({ "reason": "moved" });
    let first = operator
        .keyed(&app, Method::POST, &path("deactivate"), "deactivate-1", &deactivate)
        .await;
    first.expect(StatusCode::OK, "");
    assert_replay_of(
        &operator
            .keyed(&app, Method::POST, &path("deactivate"), "deactivate-1", &deactivate)
            .await,
        &first,
    );

    // Rejection, on another record.
    let (other, _) = seed(&app, VILLAGE_A).await;
    let reject = json!({ "reason": "Nama tidak sesuai KTP" });
    let reject_path = format!("{ENROLMENTS}/{other}/reject");
    let first = verifier
        .keyed(&app, Method::POST, &reject_path, "reject-1", &reject)
        .await;
    first.expect(StatusCode::OK, "");
    assert_replay_of(
        &verifier
            .keyed(&app, Method::POST, &reject_path, "reject-1", &reject)
            .await,
        &first,
    );
}

#[tokio::test]
async fn sign_in_and_csrf_come_before_the_key_and_bad_keys_are_refused() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let draft = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    let body = serde_json::to_vec(&draft).unwrap();
    let before = enrolment_count(&app).await;

    let anonymous = send(
        &app,
        Method::POST,
        ENROLMENTS,
        &[("idempotency-key", "bad key!")],
        Some("application/json"),
        body.clone(),
    )
    .await;
    anonymous.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    let no_csrf = operator.with_csrf("");
    no_csrf
        .keyed(&app, Method::POST, ENROLMENTS, "fine-key", &draft)
        .await
        .expect(StatusCode::FORBIDDEN, "csrf_mismatch");
    assert_eq!(key_rows(&app, "fine-key").await, 0, "a refused session claims nothing");

    let long = "k".repeat(101);
    for bad in ["", "with space", "semi;colon", long.as_str()] {
        operator
            .keyed(&app, Method::POST, ENROLMENTS, bad, &draft)
            .await
            .expect(StatusCode::BAD_REQUEST, "invalid_idempotency_key");
    }
    let cookie = format!("{COOKIE}={}", operator.cookie);
    let twice = send(
        &app,
        Method::POST,
        ENROLMENTS,
        &[
            ("cookie", cookie.as_str()),
            ("x-csrf-token", operator.csrf.as_str()),
            ("idempotency-key", "one"),
            ("idempotency-key", "two"),
        ],
        Some("application/json"),
        body,
    )
    .await;
    twice.expect(StatusCode::BAD_REQUEST, "invalid_idempotency_key");
    assert_eq!(enrolment_count(&app).await, before, "nothing stored");
    assert_eq!(count_rows(&app, "idempotency_key").await, 0);

    // Without the header: as before, every request runs.
    operator
        .post(&app, ENROLMENTS, &draft)
        .await
        .expect(StatusCode::CREATED, "");
    operator
        .post(&app, ENROLMENTS, &draft)
        .await
        .expect(StatusCode::CONFLICT, "duplicate_nik");
}

#[tokio::test]
async fn permission_refusals_are_not_kept() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    // Outside the operator's village: 403, and the key stays free for a request that may pass.
    let draft = valid_draft(VILLAGE_B, &fresh_nik(VILLAGE_B));
    operator
        .keyed(&app, Method::POST, ENROLMENTS, "not-mine", &draft)
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(key_rows(&app, "not-mine").await, 0);
    let again = operator.keyed(&app, Method::POST, ENROLMENTS, "not-mine", &draft).await;
    again.expect(StatusCode::FORBIDDEN, "forbidden");
    assert!(!replayed(&again));
}

#[tokio::test]
async fn a_server_failure_is_not_kept_and_the_retry_runs_for_real() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let draft = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    let before = enrolment_count(&app).await;
    // The audit log goes missing (as on a damaged database): the enrolment's transaction fails.
    let mut db = raw_db(&app).await;
    sqlx::query("ALTER TABLE audit_log RENAME TO audit_log_away")
        .execute(&mut db)
        .await
        .unwrap();
    let failed = operator
        .keyed(&app, Method::POST, ENROLMENTS, "fails-once", &draft)
        .await;
    failed.expect(StatusCode::INTERNAL_SERVER_ERROR, "internal");
    assert_eq!(key_rows(&app, "fails-once").await, 0, "the claim was released");
    assert_eq!(enrolment_count(&app).await, before, "rolled back");

    sqlx::query("ALTER TABLE audit_log_away RENAME TO audit_log")
        .execute(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();
    let retried = operator
        .keyed(&app, Method::POST, ENROLMENTS, "fails-once", &draft)
        .await;
    retried.expect(StatusCode::CREATED, "");
    assert!(!replayed(&retried));
    assert_eq!(enrolment_count(&app).await, before + 1);
}

/// Puts a pending claim of `key` for `operator` straight into the database, as a server that
/// died (or still runs) while holding it would have left it.
async fn pending_claim(app: &TestApp, account: i64, key: &str, fingerprint: &str, claimed_at: i64) {
    let mut db = raw_db(app).await;
    sqlx::query(
        "INSERT INTO idempotency_key (account, key, fingerprint, state, claim, claimed_at, created_at) \
         VALUES (?, ?, ?, 'pending', 'a-dead-servers-claim', ?, ?)",
    )
    .bind(account)
    .bind(key)
    .bind(fingerprint)
    .bind(claimed_at)
    .bind(claimed_at)
    .execute(&mut db)
    .await
    .unwrap();
    db.close().await.unwrap();
}

#[tokio::test]
async fn a_claim_left_by_a_dead_server_is_taken_over_and_a_live_one_waited_for() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let account = operator.me["user_id"].as_i64().unwrap();
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let draft = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    let print = fingerprint(&Method::POST, ENROLMENTS, &serde_json::to_vec(&draft).unwrap());

    // Two minutes old: its server is gone; the request runs.
    pending_claim(&app, account, "stale", &print, now - 120).await;
    let taken = operator.keyed(&app, Method::POST, ENROLMENTS, "stale", &draft).await;
    taken.expect(StatusCode::CREATED, "");
    assert!(!replayed(&taken));
    assert_replay_of(
        &operator.keyed(&app, Method::POST, ENROLMENTS, "stale", &draft).await,
        &taken,
    );

    // Held by another request for another body: refused at once.
    pending_claim(&app, account, "other-body", &"0".repeat(64), now).await;
    let started = std::time::Instant::now();
    operator
        .keyed(&app, Method::POST, ENROLMENTS, "other-body", &draft)
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    assert!(started.elapsed().as_secs() < 5);

    // Held by a live request that never answers: the wait is bounded.
    let other = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    let print = fingerprint(&Method::POST, ENROLMENTS, &serde_json::to_vec(&other).unwrap());
    pending_claim(&app, account, "busy", &print, now).await;
    let before = enrolment_count(&app).await;
    let started = std::time::Instant::now();
    operator
        .keyed(&app, Method::POST, ENROLMENTS, "busy", &other)
        .await
        .expect(StatusCode::CONFLICT, "idempotency_key_in_progress");
    let waited = started.elapsed().as_secs_f64();
    assert!((9.5..20.0).contains(&waited), "waited {waited} s");
    assert_eq!(enrolment_count(&app).await, before, "nothing ran");
}

#[tokio::test]
async fn keys_are_kept_thirty_days_then_purged() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let draft = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    let first = operator
        .keyed(&app, Method::POST, ENROLMENTS, "a-month-old", &draft)
        .await;
    first.expect(StatusCode::CREATED, "");
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let day = 24 * 3600;
    assert_eq!(KEEP_SECS, 30 * day);

    // 29 days on: still there.
    assert_eq!(purge_expired(app.store.as_ref(), now + 29 * day).await.unwrap(), 0);
    assert_replay_of(
        &operator
            .keyed(&app, Method::POST, ENROLMENTS, "a-month-old", &draft)
            .await,
        &first,
    );
    // 31 days on: gone, and the same request runs again (and finds its NIK enrolled).
    assert_eq!(purge_expired(app.store.as_ref(), now + 31 * day).await.unwrap(), 1);
    assert_eq!(key_rows(&app, "a-month-old").await, 0);
    let again = operator
        .keyed(&app, Method::POST, ENROLMENTS, "a-month-old", &draft)
        .await;
    again.expect(StatusCode::CONFLICT, "duplicate_nik");
    assert!(!replayed(&again));
}

#[tokio::test]
async fn the_receipt_names_the_record_and_when_it_arrived() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let sent = OffsetDateTime::now_utc();
    let reply = operator
        .post(&app, ENROLMENTS, &valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A)))
        .await;
    reply.expect(StatusCode::CREATED, "");
    let receipt = &reply.json["receipt"];
    let id = receipt["id"].as_i64().unwrap();
    assert_eq!(reply.json["worker"]["id"], id);
    let detail = operator.get(&app, &format!("{ENROLMENTS}/{id}")).await;
    assert_eq!(receipt["received_at"], detail.json["created_at"]);
    let received = OffsetDateTime::parse(
        receipt["received_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert!(
        (received - sent).abs() < time::Duration::seconds(5),
        "{received} vs {sent}"
    );
    let value: &Value = receipt;
    assert_eq!(value.as_object().unwrap().len(), 2, "id and time only");
}
