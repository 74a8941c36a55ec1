//! Worker lists and the workload counts: coverage, status, segment and funding filters, pages,
//! renewal of lapsed workers, and a worker who moves.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use pantau_core::account::Role;
use pantau_core::Month;
use serde_json::json;
use time::{Date, OffsetDateTime};

use super::*;
use crate::helpers::{enrolment, now, TestApp};

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// The documented rule, written out here: coverage ends on the last day of the last paid
/// month; ended → lapsed, ends within 30 days → lapsing, else active.
fn expected_coverage(paid_through: Month) -> &'static str {
    let next = paid_through.plus(1);
    let month = time::Month::try_from(next.month_number()).unwrap();
    let end = Date::from_calendar_date(next.year(), month, 1)
        .unwrap()
        .previous_day()
        .unwrap();
    let today = today();
    if end < today {
        "lapsed"
    } else if (end - today).whole_days() < 30 {
        "lapsing"
    } else {
        "active"
    }
}

/// Stores a verified worker paid through `now + offset` directly; returns its id.
async fn stored(app: &TestApp, village: &str, serial: u16, offset: i32) -> i64 {
    app.store
        .enrol(&enrolment(village, serial, now().plus(offset)))
        .await
        .unwrap()
        .0
}

fn ids(reply: &Reply) -> BTreeSet<i64> {
    let workers = reply.json["workers"]
        .as_array()
        .unwrap_or_else(|| panic!("no list: {}", reply.text));
    workers.iter().map(|w| w["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn coverage_status_segment_and_funding_filters_and_the_workload() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let verifier = official(&app, "bpjs.bekasi", Role::BpjsVerifier, REGENCY_A).await;
    let mut by_coverage: [(&str, BTreeSet<i64>); 3] = [
        ("active", BTreeSet::new()),
        ("lapsing", BTreeSet::new()),
        ("lapsed", BTreeSet::new()),
    ];
    let mut verified = BTreeSet::new();
    for (serial, offset) in [(1, -5), (2, -1), (3, 0), (4, 1), (5, 2), (6, 6)] {
        let id = stored(&app, VILLAGE_A, serial, offset).await;
        verified.insert(id);
        let coverage = expected_coverage(now().plus(offset));
        by_coverage
            .iter_mut()
            .find(|(c, _)| *c == coverage)
            .unwrap()
            .1
            .insert(id);
    }
    // Submitted and rejected records, paid 12 months ahead.
    let (submitted, _) = seed(&app, VILLAGE_A).await;
    let (rejected, _) = seed(&app, VILLAGE_A).await;
    let reply = verifier
        .step(&app, rejected, "reject", &json!({ "reason": "KTP tidak jelas" }))
        .await;
    reply.expect(StatusCode::OK, "");
    by_coverage[0].1.extend([submitted, rejected]);
    // A deactivated lapsed worker is in no coverage list and no count.
    let gone = stored(&app, VILLAGE_A, 7, -2).await;
    let reply = operator
        .step(&app, gone, "deactivate", &json!({ "reason": "died" }))
        .await;
    reply.expect(StatusCode::OK, "");
    // A worker of the next village is not in village A's lists.
    stored(&app, VILLAGE_A2, 8, -1).await;

    let list = |query: String| {
        let operator = &operator;
        let app = &app;
        async move {
            let reply = operator
                .get(app, &format!("/api/v1/areas/{VILLAGE_A}/workers{query}"))
                .await;
            reply.expect(StatusCode::OK, "");
            assert_eq!(reply.json["total"], ids(&reply).len(), "{query}: total");
            reply
        }
    };
    for (coverage, expected) in &by_coverage {
        let reply = list(format!("?coverage={coverage}")).await;
        assert_eq!(&ids(&reply), expected, "coverage={coverage}");
        for worker in reply.json["workers"].as_array().unwrap() {
            assert_eq!(worker["coverage"], *coverage);
        }
    }
    assert_eq!(ids(&list("?status=verified".into()).await), verified);
    assert_eq!(
        ids(&list("?status=submitted".into()).await),
        BTreeSet::from([submitted])
    );
    assert_eq!(ids(&list("?status=rejected".into()).await), BTreeSet::from([rejected]));
    assert_eq!(ids(&list("?deactivated=true".into()).await), BTreeSet::from([gone]));
    let current: BTreeSet<i64> = by_coverage.iter().flat_map(|(_, ids)| ids.iter().copied()).collect();
    assert_eq!(ids(&list(String::new()).await), current);
    assert_eq!(ids(&list("?segment=farmer&funding=dana_desa".into()).await), current);
    assert!(ids(&list("?segment=fisher".into()).await).is_empty());
    assert!(ids(&list("?funding=csr".into()).await).is_empty());
    let verified_lapsed: BTreeSet<i64> = by_coverage[2].1.intersection(&verified).copied().collect();
    assert_eq!(
        ids(&list("?status=verified&coverage=lapsed".into()).await),
        verified_lapsed
    );
    // Newest first.
    let order: Vec<i64> = list(String::new()).await.json["workers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_i64().unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] > w[1]), "not newest first: {order:?}");

    let workload = operator.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workload")).await;
    workload.expect(StatusCode::OK, "");
    assert_eq!(
        workload.json,
        json!({
            "conflicts": 0,
            "submitted": 1,
            "verified": verified.len(),
            "rejected": 1,
            "lapsing": by_coverage[1].1.len(),
            "lapsed": by_coverage[2].1.len(),
        })
    );
    // The district sees village A2's lapsed worker too.
    let officer = official(&app, "camat.tarumajaya", Role::DistrictOfficer, DISTRICT_A).await;
    let district = officer.get(&app, &format!("/api/v1/areas/{DISTRICT_A}/workload")).await;
    assert_eq!(district.json["lapsed"], by_coverage[2].1.len() + 1);

    for bad in [
        "coverage=soon",
        "status=approved",
        "segment=pilot",
        "funding=apbn",
        "deactivated=maybe",
        "page=-1",
        "page=abc",
        "page=100001",
    ] {
        let reply = operator
            .get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workers?{bad}"))
            .await;
        reply.expect(StatusCode::BAD_REQUEST, "invalid_filter");
    }
    for bad in ["32.16.01.2001.1", "ABC", "32-16"] {
        let reply = operator.get(&app, &format!("/api/v1/areas/{bad}/workers")).await;
        reply.expect(StatusCode::BAD_REQUEST, "invalid_region_code");
    }
}

#[tokio::test]
async fn pages_of_fifty_newest_first_with_and_without_a_coverage_filter() {
    let app = TestApp::fresh().await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;
    let mut all = BTreeSet::new();
    for serial in 1..=120 {
        let village = if serial % 2 == 0 { VILLAGE_A } else { VILLAGE_A2 };
        all.insert(stored(&app, village, serial, 6).await);
    }
    for query in ["", "coverage=active&"] {
        let mut seen = Vec::new();
        for (page, size) in [(0, 50), (1, 50), (2, 20), (3, 0)] {
            let reply = admin
                .get(&app, &format!("/api/v1/areas/{DISTRICT_A}/workers?{query}page={page}"))
                .await;
            reply.expect(StatusCode::OK, "");
            if size > 0 {
                // A page past the end is checked in `a_page_past_the_end_still_reports_the_total`.
                assert_eq!(reply.json["total"], 120, "{query}page={page}");
            }
            let rows: Vec<i64> = reply.json["workers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w["id"].as_i64().unwrap())
                .collect();
            assert_eq!(rows.len(), size, "{query}page={page}");
            seen.extend(rows);
        }
        assert!(
            seen.windows(2).all(|w| w[0] > w[1]),
            "{query}: pages overlap or are not newest first"
        );
        assert_eq!(
            seen.into_iter().collect::<BTreeSet<_>>(),
            all,
            "{query}: every worker once"
        );
    }
}

/// `WorkerPage::total` is documented as "all matches, beyond this page too", but the SQLite
/// store reads it from `COUNT(*) OVER ()` of the page's first row: a page past the end has no
/// row and reports 0. See the report of the workspace tests.
#[tokio::test]
async fn a_page_past_the_end_still_reports_the_total() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    for serial in 1..=3 {
        stored(&app, VILLAGE_A, serial, 6).await;
    }
    for query in ["page=1", "coverage=active&page=1", "status=verified&page=1"] {
        let reply = operator
            .get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workers?{query}"))
            .await;
        reply.expect(StatusCode::OK, "");
        assert_eq!(reply.json["workers"], json!([]), "{query}");
        assert_eq!(reply.json["total"], 3, "{query}");
    }
}

#[tokio::test]
async fn renewal_pays_arrears_up_to_three_months_and_otherwise_starts_again() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let recent = stored(&app, VILLAGE_A, 1, -2).await;
    let long_ago = stored(&app, VILLAGE_A, 2, -5).await;
    assert_eq!(public_counts(&app, VILLAGE_A).await, (2, 0));
    let renew = |id: i64| {
        let operator = &operator;
        let app = &app;
        async move {
            let reply = operator.step(app, id, "renew", &json!({ "months": 3 })).await;
            reply.expect(StatusCode::OK, "");
            reply.json["paid_through"].as_str().unwrap().to_owned()
        }
    };
    // Two months owed: paid, and one month ahead.
    assert_eq!(renew(recent).await, now().plus(1).to_string());
    // Five months lapsed: cover starts again this month.
    assert_eq!(renew(long_ago).await, now().plus(2).to_string());
    assert_eq!(public_counts(&app, VILLAGE_A).await, (2, 2), "both are active again");
    let lapsed = operator
        .get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workers?coverage=lapsed"))
        .await;
    assert_eq!(lapsed.json["total"], 0);
}

/// The VillageFixed message tells operators: "Bila pindah, nonaktifkan dengan alasan pindah
/// lalu daftarkan di desa baru" (if they moved, deactivate with reason moved and enrol them
/// in the new village). The store refuses that new enrolment: `enrolment.nik` is UNIQUE over
/// every record, deactivated ones included, and `enrol_by` looks the NIK up without
/// `deactivated = 0`. See the report of the workspace tests.
#[tokio::test]
async fn a_worker_who_moved_can_be_enrolled_in_the_new_village() {
    let app = TestApp::fresh().await;
    let old = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let new = official(&app, "operator.a2", Role::VillageOperator, VILLAGE_A2).await;
    let nik = nik_for("321601", 31, false);
    let reply = old
        .post(&app, "/api/v1/enrolments", &valid_draft(VILLAGE_A, &nik))
        .await;
    let id = reply.json["worker"]["id"].as_i64().unwrap();
    let reply = old.step(&app, id, "deactivate", &json!({ "reason": "moved" })).await;
    reply.expect(StatusCode::OK, "");
    let reply = new
        .post(&app, "/api/v1/enrolments", &valid_draft(VILLAGE_A2, &nik))
        .await;
    reply.expect(StatusCode::CREATED, "");
    assert_eq!(public_counts(&app, VILLAGE_A).await, (0, 0));
    assert_eq!(public_counts(&app, VILLAGE_A2).await, (1, 1));
}
