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

/// Finding 1 of the review: the mask hides digits 5–12, the district (known from the village)
/// and the birth date. A role that may not see the NIK must not be given the date either, in
/// the record, a correction's answer or the audit log, or the NIK is rebuilt.
#[tokio::test]
async fn a_role_without_the_nik_cannot_rebuild_it_from_the_record_or_the_audit_log() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let verifier = official(&app, "bpjs.bekasi", Role::BpjsVerifier, REGENCY_A).await;
    let officer = official(&app, "camat.tarumajaya", Role::DistrictOfficer, DISTRICT_A).await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;
    let created = operator
        .post(&app, "/api/v1/enrolments", &valid_draft(VILLAGE_A, NIK))
        .await;
    created.expect(StatusCode::CREATED, "");
    let id = created.json["worker"]["id"].as_i64().unwrap();
    let path = format!("/api/v1/enrolments/{id}");

    // Those who may see the NIK see the date it holds.
    for session in [&operator, &verifier] {
        let reply = session.get(&app, &path).await;
        assert_eq!(reply.json["birth_date"], "1990-07-05");
        assert_eq!(reply.json["birth_year"], 1990);
    }

    // The district officer corrects the address, typing the NIK from the ID card and leaving
    // the birth date it was not shown empty: the stored date stays.
    let mut correction = valid_draft(VILLAGE_A, NIK);
    correction["birth_date"] = json!("");
    correction["address"] = json!("Dusun Krajan RT 04 RW 02");
    let corrected = officer.put(&app, &path, &correction).await;
    corrected.expect(StatusCode::OK, "");
    assert_eq!(corrected.json["address"], "Dusun Krajan RT 04 RW 02");
    let stored = operator.get(&app, &path).await;
    assert_eq!(stored.json["birth_date"], "1990-07-05", "the stored date is kept");

    let mut seen = vec![corrected.text.clone()];
    for session in [&officer, &admin] {
        let reply = session.get(&app, &path).await;
        reply.expect(StatusCode::OK, "");
        assert_eq!(reply.json["nik_masked"], MASKED);
        assert_eq!(reply.json["birth_date"], serde_json::Value::Null);
        assert_eq!(reply.json["birth_year"], 1990);
        seen.push(reply.text.clone());
        let list = session.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workers")).await;
        list.expect(StatusCode::OK, "");
        seen.push(list.text.clone());
    }
    let audit = admin.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/audit")).await;
    assert!(audit.audit_actions().contains(&"enrolment.update"), "{}", audit.text);
    seen.push(audit.text.clone());

    // What the admin and the officer were given leaves digits 7–10 (day and month of birth)
    // open: 365 candidates in 1990, none singled out.
    let seen = seen.concat();
    for clue in ["1990-07-05", "07-05", "05-07", "050790", "0507"] {
        assert!(!seen.contains(clue), "{clue} given to a role without the NIK: {seen}");
    }
}

/// Finding 5 of the review: a premium sum follows from the declared incomes, so an area with
/// 1–4 active workers publishes none, nor does a partner that would give it back by
/// subtraction, and the same areas are hidden on their own pages, in their parents' lists,
/// in `descendants` and in the CSV.
#[tokio::test]
async fn premiums_of_fewer_than_five_people_are_published_nowhere() {
    let app = TestApp::fresh().await;
    for _ in 0..2 {
        seed(&app, VILLAGE_A).await;
    }
    for _ in 0..6 {
        seed(&app, VILLAGE_A2).await;
    }
    // A district with one worker in one village: the district hides it too.
    seed(&app, VILLAGE_OTHER_DISTRICT).await;

    assert_eq!(
        app.area(VILLAGE_A).await.figures.premium_per_year,
        None,
        "two people's incomes"
    );
    assert_eq!(
        app.area("32.16.02").await.figures.premium_per_year,
        None,
        "one person's income"
    );
    // Every area with workers, from the nation down: the rule holds everywhere.
    let mut pending = vec!["ID".to_owned()];
    let mut checked = 0;
    while let Some(code) = pending.pop() {
        let area = app.area(&code).await;
        let own_hidden = area.figures.premium_per_year.is_none();
        if (1..5).contains(&area.figures.active) {
            assert!(own_hidden, "{code}: {} active, premium shown", area.figures.active);
        }
        let with_workers: Vec<_> = area.children.iter().filter(|c| c.figures.active > 0).collect();
        let hidden = with_workers
            .iter()
            .filter(|c| c.figures.premium_per_year.is_none())
            .count();
        if own_hidden {
            assert!(
                with_workers.is_empty() || hidden >= 1,
                "{code}: hidden, but its children add up to it"
            );
        } else {
            assert_ne!(hidden, 1, "{code}: one hidden child is {code} minus the others");
        }
        for child in with_workers {
            let page = app.area(child.code.as_str()).await;
            assert_eq!(
                page.figures.premium_per_year, child.figures.premium_per_year,
                "{} listed as on its own page",
                child.code
            );
            pending.push(child.code.to_string());
        }
        checked += 1;
    }
    assert_eq!(
        checked,
        1 + 1 + 1 + 2 + 3,
        "nation, province, regency, two districts, three villages"
    );

    let (status, body) = app
        .get(&format!("/api/v1/areas/{REGENCY_A}/descendants?level=village"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let villages: Vec<pantau_core::api::AreaChild> = serde_json::from_slice(&body).unwrap();
    for code in [VILLAGE_A, VILLAGE_A2, VILLAGE_OTHER_DISTRICT] {
        let listed = villages.iter().find(|v| v.code.as_str() == code).unwrap();
        let page = app.area(code).await;
        assert_eq!(
            listed.figures.premium_per_year, page.figures.premium_per_year,
            "{code} in descendants"
        );
    }
    let (_, csv) = app.get(&format!("/api/v1/areas/{DISTRICT_A}/children.csv")).await;
    let csv = String::from_utf8(csv).unwrap();
    let line = csv.lines().find(|l| l.contains(&format!(",{VILLAGE_A},"))).unwrap();
    assert!(line.ends_with(','), "the CSV leaves the premium empty: {line}");
}
