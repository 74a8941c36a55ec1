//! A worker already enrolled in a village the caller cannot see: the caller reports a
//! conflict, and the officials of that village see it, masked, until they resolve it.

use axum::http::StatusCode;
use pantau_core::account::Role;
use serde_json::json;

use super::{official, seed, valid_draft, VILLAGE_A, VILLAGE_B};
use crate::helpers::TestApp;

#[tokio::test]
async fn a_refused_duplicate_is_reported_to_the_village_that_has_the_worker() {
    let app = TestApp::fresh().await;
    let owner = official(&app, "op.a", Role::VillageOperator, VILLAGE_A).await;
    let claimant = official(&app, "op.b", Role::VillageOperator, VILLAGE_B).await;
    let (id, nik) = seed(&app, VILLAGE_A).await;

    let refused = claimant
        .post(&app, "/api/v1/enrolments", &valid_draft(VILLAGE_B, &nik))
        .await;
    refused.expect(StatusCode::CONFLICT, "duplicate_nik");
    assert!(
        refused.json["error"]["duplicate"]["enrolment_id"].is_null(),
        "out of scope: no link"
    );

    let report = json!({ "nik": nik, "village": VILLAGE_B, "note": "Pindah ke desa kami sejak Agustus." });
    // Only for a village one may enrol in, and only about a NIK that is enrolled.
    claimant
        .post(
            &app,
            "/api/v1/conflicts",
            &json!({ "nik": nik, "village": VILLAGE_A, "note": "" }),
        )
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    claimant
        .post(
            &app,
            "/api/v1/conflicts",
            &json!({ "nik": "3210010507900999", "village": VILLAGE_B }),
        )
        .await
        .expect(StatusCode::NOT_FOUND, "enrolment_not_found");
    claimant
        .post(&app, "/api/v1/conflicts", &report)
        .await
        .expect(StatusCode::CREATED, "");

    let workload = owner.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workload")).await;
    assert_eq!(workload.json["conflicts"], 1);
    let open = owner.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/conflicts")).await;
    open.expect(StatusCode::OK, "");
    assert_eq!(open.json[0]["enrolment_id"], id);
    assert_eq!(open.json[0]["claimed_by"], VILLAGE_B);
    assert_eq!(open.json[0]["note"], "Pindah ke desa kami sejak Agustus.");
    assert!(!open.text.contains(&nik), "the list shows the NIK masked only");
    claimant
        .get(&app, &format!("/api/v1/areas/{VILLAGE_A}/conflicts"))
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    claimant
        .post(
            &app,
            &format!("/api/v1/conflicts/{}/resolve", open.json[0]["id"]),
            &json!({}),
        )
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");

    let conflict = open.json[0]["id"].as_i64().unwrap();
    owner
        .post(&app, &format!("/api/v1/conflicts/{conflict}/resolve"), &json!({}))
        .await
        .expect(StatusCode::NO_CONTENT, "");
    owner
        .post(&app, &format!("/api/v1/conflicts/{conflict}/resolve"), &json!({}))
        .await
        .expect(StatusCode::CONFLICT, "wrong_state");
    let after = owner.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workload")).await;
    assert_eq!(after.json["conflicts"], 0);
}

/// Finding 6 of the review: the 409 of an enrolment and the 201/404 of a report tell whether a
/// NIK is enrolled and where. Each such answer is audited where the worker is enrolled, and an
/// account gets a limited number per hour; past it the answer is only "try later", given
/// before the NIK is looked up for a report, and new workers can still be enrolled.
#[tokio::test]
async fn nik_lookups_are_audited_where_the_worker_is_and_limited_per_account() {
    use pantau_core::workers::NIK_LOOKUPS_PER_HOUR;

    let app = TestApp::fresh().await;
    let prober = official(&app, "op.a", Role::VillageOperator, VILLAGE_A).await;
    let colleague = official(&app, "op.a2", Role::VillageOperator, super::VILLAGE_A2).await;
    let admin_b = official(&app, "admin.tasik", Role::RegencyAdmin, "32.10").await;
    let mut enrolled = Vec::new();
    for _ in 0..=NIK_LOOKUPS_PER_HOUR {
        enrolled.push(seed(&app, VILLAGE_B).await.1);
    }
    for nik in &enrolled[..NIK_LOOKUPS_PER_HOUR as usize] {
        let reply = prober
            .post(&app, "/api/v1/enrolments", &valid_draft(VILLAGE_A, nik))
            .await;
        reply.expect(StatusCode::CONFLICT, "duplicate_nik");
        assert_eq!(reply.json["error"]["duplicate"]["village"], VILLAGE_B);
    }
    let last = &enrolled[NIK_LOOKUPS_PER_HOUR as usize];
    let limited = prober
        .post(&app, "/api/v1/enrolments", &valid_draft(VILLAGE_A, last))
        .await;
    limited.expect(StatusCode::TOO_MANY_REQUESTS, "too_many_nik_lookups");
    assert!(
        !limited.text.contains(VILLAGE_B),
        "no place past the limit: {}",
        limited.text
    );
    // A report now gets the same answer for an enrolled NIK and for a free one.
    let free = super::fresh_nik(VILLAGE_A);
    for nik in [last, &free] {
        let report = json!({ "nik": nik, "village": VILLAGE_A, "note": "" });
        prober
            .post(&app, "/api/v1/conflicts", &report)
            .await
            .expect(StatusCode::TOO_MANY_REQUESTS, "too_many_nik_lookups");
    }
    // The useful work goes on: a new worker is enrolled, and other accounts are not limited.
    prober
        .post(&app, "/api/v1/enrolments", &valid_draft(VILLAGE_A, &free))
        .await
        .expect(StatusCode::CREATED, "");
    colleague
        .post(&app, "/api/v1/enrolments", &valid_draft(super::VILLAGE_A2, last))
        .await
        .expect(StatusCode::CONFLICT, "duplicate_nik");

    // The enrolled village's admin sees who asked about its workers.
    let audit = admin_b.get(&app, &format!("/api/v1/areas/{VILLAGE_B}/audit")).await;
    let actions = audit.audit_actions();
    let by = |action: &str, actor: &str| {
        audit
            .json
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == action && e["actor"] == actor)
            .count()
    };
    assert_eq!(
        by("nik.duplicate_shown", "op.a"),
        NIK_LOOKUPS_PER_HOUR as usize,
        "{actions:?}"
    );
    assert_eq!(by("nik.lookup_withheld", "op.a"), 1, "{actions:?}");
    assert_eq!(by("nik.duplicate_shown", "op.a2"), 1, "{actions:?}");
    for nik in &enrolled {
        assert!(!audit.text.contains(nik.as_str()), "the audit log holds a full NIK");
    }
}

#[tokio::test]
async fn an_account_has_a_bounded_number_of_open_reports() {
    use pantau_core::workers::MAX_OPEN_CONFLICT_REPORTS;

    let app = TestApp::fresh().await;
    let reporter = official(&app, "op.b", Role::VillageOperator, VILLAGE_B).await;
    let mut db = super::raw_db(&app).await;
    for _ in 0..MAX_OPEN_CONFLICT_REPORTS {
        let (_, nik) = seed(&app, VILLAGE_A).await;
        let report = json!({ "nik": nik, "village": VILLAGE_B, "note": "" });
        reporter
            .post(&app, "/api/v1/conflicts", &report)
            .await
            .expect(StatusCode::CREATED, "");
        // Reports spread over hours: the hourly lookup limit is not what stops the next one.
        sqlx::query("UPDATE audit_log SET at = '2026-01-01T00:00:00Z' WHERE actor = 'op.b'")
            .execute(&mut db)
            .await
            .unwrap();
    }
    let (_, nik) = seed(&app, VILLAGE_A).await;
    let report = json!({ "nik": nik, "village": VILLAGE_B, "note": "" });
    let refused = reporter.post(&app, "/api/v1/conflicts", &report).await;
    refused.expect(StatusCode::TOO_MANY_REQUESTS, "too_many_open_reports");
    assert!(
        refused.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains(&MAX_OPEN_CONFLICT_REPORTS.to_string()),
        "the message names the limit"
    );
    assert_eq!(
        super::count_rows(&app, "conflict_report").await,
        MAX_OPEN_CONFLICT_REPORTS as i64
    );
}
