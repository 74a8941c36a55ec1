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
