//! Local commitments: regulations registered by admins and shown publicly, budgets with the
//! premiums their enrolments commit, and village-boundary uploads by regency admins.

use axum::http::{Method, StatusCode};
use pantau_core::account::Role;
use pantau_core::premium::PremiumRules;
use pantau_core::{FundingSource, Program};
use serde_json::{json, Value};

use pantau_core::RegionCode;
use pantau_server::store::Store;

use crate::boundaries::{collection, map, square_around};
use crate::helpers::{enrol, enrolment, now, TestApp};
use crate::kerja::{anonymous, official};

pub(crate) fn perbup() -> serde_json::Value {
    json!({
        "kind": "perbup",
        "number": "74 Tahun 2022",
        "date": "2022-08-01",
        "title": "Alokasi iuran BPJS Ketenagakerjaan dalam APBDes",
        "summary": "Setiap desa menganggarkan iuran pekerja rentan.",
        "link": "https://jdih.example.go.id/perbup-74-2022"
    })
}

#[tokio::test]
async fn a_regency_admins_regulation_shows_on_its_villages_public_pages_and_only_they_may_add_it() {
    let app = TestApp::fresh().await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, "32.16").await;
    let operator = official(&app, "op.sagara", Role::VillageOperator, "32.16.01.2001").await;
    let other_admin = official(&app, "admin.majalengka", Role::RegencyAdmin, "32.10").await;

    operator
        .post(&app, "/api/v1/areas/32.16/regulations", &perbup())
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    other_admin
        .post(&app, "/api/v1/areas/32.16/regulations", &perbup())
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    let created = admin.post(&app, "/api/v1/areas/32.16/regulations", &perbup()).await;
    created.expect(StatusCode::CREATED, "");
    let id = created.json["id"].as_i64().unwrap();

    for page in ["32.16", "32.16.01", "32.16.01.2001"] {
        let (status, list) = app.get_json(&format!("/api/v1/areas/{page}/regulations")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list[0]["number"], "74 Tahun 2022", "{page}");
        assert_eq!(list[0]["area_name"], "Kabupaten Bekasi");
    }
    let (_, elsewhere) = app.get_json("/api/v1/areas/32.10/regulations").await;
    assert_eq!(elsewhere, json!([]));

    admin
        .delete(&app, &format!("/api/v1/regulations/{id}"))
        .await
        .expect(StatusCode::NO_CONTENT, "");
    let (_, after) = app.get_json("/api/v1/areas/32.16/regulations").await;
    assert_eq!(after, json!([]));
    let audit = admin.get(&app, "/api/v1/areas/32.16/audit").await;
    let actions = audit.audit_actions();
    assert!(
        actions.contains(&"regulation.create") && actions.contains(&"regulation.delete"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn each_bad_regulation_field_is_named_and_nothing_is_stored() {
    let app = TestApp::fresh().await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, "32.16").await;
    let cases = [
        ("kind", json!(null)),
        ("number", json!("")),
        ("date", json!("2999-01-01")),
        ("date", json!("kemarin")),
        ("title", json!("<script>alert(1)</script>")),
        ("summary", json!("x".repeat(2_001))),
        ("link", json!("javascript:alert(1)")),
    ];
    for (field, value) in cases {
        let mut body = perbup();
        body[field] = value;
        let reply = admin.post(&app, "/api/v1/areas/32.16/regulations", &body).await;
        reply.expect_at(StatusCode::UNPROCESSABLE_ENTITY, "invalid_regulation", field);
        assert!(!reply.message().is_empty());
    }
    admin
        .post(&app, "/api/v1/areas/32.16.01/regulations", &perbup())
        .await
        .expect(StatusCode::BAD_REQUEST, "invalid_region_code");
    let (_, list) = app.get_json("/api/v1/areas/32.16/regulations").await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn budget_shows_allocations_against_the_premiums_enrolments_commit_this_year() {
    let app = TestApp::fresh().await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, "32.16").await;
    let officer = official(&app, "camat", Role::DistrictOfficer, "32.16.01").await;
    let now = now();
    let year = now.year();
    // Paid from two months ago through the current month: three months of this year at
    // most (fewer in January and February).
    enrol(&app, &enrolment("32.16.01.2001", 1, now)).await;
    let mut csr = enrolment("32.16.01.2002", 2, now);
    csr.funding = FundingSource::Csr;
    enrol(&app, &csr).await;
    enrol(&app, &enrolment("32.10.01.2001", 3, now)).await; // another regency

    let path = format!("/api/v1/areas/32.16/budgets/{year}");
    let put = admin
        .put(
            &app,
            &path,
            &json!({ "allocations": [{ "funding": "dana_desa", "allocated": 50_000_000u64 }] }),
        )
        .await;
    put.expect(StatusCode::OK, "");
    let line = |reply: &crate::kerja::Reply, funding: &str| {
        reply.json["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["funding"] == funding)
            .cloned()
            .unwrap()
    };
    let months = u64::from(now.month_number().min(3));
    let monthly = PremiumRules::default().monthly(Program::JkkJkm, 1_000_000);
    assert_eq!(line(&put, "dana_desa")["allocated"], 50_000_000u64);
    assert_eq!(line(&put, "dana_desa")["committed"], monthly * months);
    assert_eq!(line(&put, "csr")["committed"], monthly * months);
    assert_eq!(line(&put, "csr")["allocated"], 0);

    // Officers read it; only admins set it; a source twice or a silly amount is refused.
    officer
        .get(&app, &path)
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    admin.get(&app, &path).await.expect(StatusCode::OK, "");
    admin
        .put(
            &app,
            &path,
            &json!({ "allocations": [{ "funding": "csr", "allocated": 1 }, { "funding": "csr", "allocated": 2 }] }),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY, "invalid_budget");
    admin
        .put(&app, "/api/v1/areas/32.16/budgets/1999", &json!({ "allocations": [] }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY, "invalid_budget");
    admin
        .put(&app, &path.replace("32.16", "32.10"), &json!({ "allocations": [] }))
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    let after = admin.get(&app, &path).await;
    assert_eq!(line(&after, "csr")["allocated"], 0);
}

#[tokio::test]
async fn only_the_regencys_admin_uploads_village_boundaries_and_a_bad_file_stores_nothing() {
    let app = TestApp::fresh().await;
    let admin = official(&app, "admin.aceh", Role::RegencyAdmin, "11.01").await;
    let other = official(&app, "admin.bekasi", Role::RegencyAdmin, "32.16").await;
    let operator = official(&app, "op.aceh", Role::VillageOperator, "11.01.01.2001").await;
    let (points, _, _) = map(&app, "/api/v1/areas/11.01.01/map").await;
    let squares: Vec<String> = points
        .features()
        .iter()
        .take(2)
        .map(|f| square_around(&f.code, f.label))
        .collect();
    let file = collection(&squares);
    let path = "/api/v1/areas/11.01/village-boundaries";
    let upload = |session: crate::kerja::Session, body: String| {
        let app = &app;
        async move {
            session
                .raw(app, Method::PUT, path, Some("application/geo+json"), body.into_bytes())
                .await
        }
    };
    upload(other.clone(), file.clone())
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    upload(operator.clone(), file.clone())
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    anonymous(&app, Method::PUT, path, None)
        .await
        .expect(StatusCode::UNAUTHORIZED, "unauthenticated");

    let mut with_stranger = squares.clone();
    with_stranger.push(square_around("32.16.01.2001", [107.0, -6.1]));
    let bad = collection(&with_stranger);
    let refused = upload(admin.clone(), bad).await;
    refused.expect(StatusCode::UNPROCESSABLE_ENTITY, "invalid_boundaries");
    assert!(!refused.json["error"]["details"].as_array().unwrap().is_empty());
    assert!(app
        .store
        .village_boundaries(&RegionCode::parse("11.01.01").unwrap())
        .await
        .unwrap()
        .is_empty());

    let stored = upload(admin.clone(), file).await;
    stored.expect(StatusCode::OK, "");
    assert!(stored.json["villages"].as_u64().unwrap() > 0);
    // Audited with the upload, in its transaction: the refused upload left no entry.
    let audit = admin.get(&app, "/api/v1/areas/11.01/audit").await;
    let uploads: Vec<&Value> = audit
        .json
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "village_boundaries.upload")
        .collect();
    assert_eq!(uploads.len(), 1, "{}", audit.text);
    assert_eq!(uploads[0]["after"]["villages"], stored.json["villages"]);
    assert!(!app
        .store
        .village_boundaries(&RegionCode::parse("11.01.01").unwrap())
        .await
        .unwrap()
        .is_empty());
}
