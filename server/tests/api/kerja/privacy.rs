//! Personal data: the full NIK only for the roles that need it, each view audited; the audit
//! log, lists and every public page without the NIK or the name.

use axum::http::StatusCode;
use pantau_core::account::Role;
use serde_json::json;

use super::enrolment_flow::{assert_no_nik, MASKED, NIK, NIK_SPACED};
use super::*;
use crate::helpers::TestApp;

#[tokio::test]
async fn the_full_nik_is_shown_to_whom_it_may_be_and_every_view_is_audited() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let verifier = official(&app, "bpjs.bekasi", Role::BpjsVerifier, REGENCY_A).await;
    let officer = official(&app, "camat.tarumajaya", Role::DistrictOfficer, DISTRICT_A).await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;
    let reply = operator
        .post(&app, "/api/v1/enrolments", &valid_draft(VILLAGE_A, NIK_SPACED))
        .await;
    let id = reply.json["worker"]["id"].as_i64().unwrap();
    let views = || async { count_rows(&app, "audit_log").await };
    let before = views().await;

    for (session, name) in [(&operator, "operator.a"), (&verifier, "bpjs.bekasi")] {
        let reply = session.get(&app, &format!("/api/v1/enrolments/{id}/nik")).await;
        reply.expect(StatusCode::OK, "");
        assert_eq!(reply.json, json!({ "nik": NIK }), "stored without the spaces typed");
        assert_eq!(reply.headers["cache-control"], "no-store");
        let audit = admin.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/audit")).await;
        let entry = &audit.json[0];
        assert_eq!(entry["action"], "enrolment.view_nik");
        assert_eq!(entry["actor"], name);
        assert_eq!(entry["subject"], format!("enrolment/{id}"));
        assert_eq!(entry["area"], VILLAGE_A);
        assert_no_nik(&entry["before"].to_string(), "the view's before");
        assert_no_nik(&entry["after"].to_string(), "the view's after");
        assert_no_nik(&audit.text, "the audit log");
    }
    assert_eq!(views().await, before + 2, "one audit row per view");
    for session in [&officer, &admin] {
        let reply = session.get(&app, &format!("/api/v1/enrolments/{id}/nik")).await;
        reply.expect(StatusCode::FORBIDDEN, "forbidden");
        assert_no_nik(&reply.text, "the refusal");
    }
    assert_eq!(views().await, before + 2, "a refused view is not a view");
    let unknown = operator.get(&app, "/api/v1/enrolments/999999/nik").await;
    unknown.expect(StatusCode::NOT_FOUND, "enrolment_not_found");
}

#[tokio::test]
async fn public_pages_never_show_the_nik_or_the_name() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let mut draft = valid_draft(VILLAGE_A, NIK);
    draft["full_name"] = json!("Sutrisno Wibisono");
    operator
        .post(&app, "/api/v1/enrolments", &draft)
        .await
        .expect(StatusCode::CREATED, "");
    let paths = [
        "/api/v1/areas/ID".to_owned(),
        "/api/v1/areas/32.16".into(),
        "/api/v1/areas/32.16.01".into(),
        format!("/api/v1/areas/{VILLAGE_A}"),
        format!("/api/v1/areas/{VILLAGE_A}/breakdowns"),
        format!("/api/v1/areas/{VILLAGE_A}/trend"),
        format!("/api/v1/areas/{VILLAGE_A}/breakdowns.csv"),
        "/api/v1/areas/32.16.01/children.csv".into(),
        "/api/v1/areas/32.16/descendants?level=village".into(),
        "/api/v1/search?q=Sutrisno".into(),
        "/api/v1/search?q=3216010507900012".into(),
        "/api/v1/search?q=Sagara".into(),
        format!("/embed/{VILLAGE_A}"),
        format!("/laporan/{VILLAGE_A}"),
        format!("/badge/{VILLAGE_A}.svg"),
    ];
    for path in paths {
        let (status, body) = app.get(&path).await;
        let text = String::from_utf8_lossy(&body);
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_no_nik(&text, &path);
        assert!(!text.contains(MASKED), "{path} shows the masked NIK");
        for part in ["Sutrisno", "Wibisono"] {
            assert!(
                !text.to_lowercase().contains(&part.to_lowercase()),
                "{path} shows the name"
            );
        }
    }
    // The record is there, so its absence above is not for want of data.
    assert_eq!(public_counts(&app, VILLAGE_A).await, (1, 1));
}
