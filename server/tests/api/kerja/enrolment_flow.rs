//! A worker's way through the workspace: enrolment, duplicates, verification, rejection and
//! resubmission, deactivation, renewal, the audited full-NIK view, and what the public sees.

use axum::http::StatusCode;
use pantau_core::account::Role;
use serde_json::json;

use super::*;
use crate::helpers::{now, TestApp};

pub(super) const NIK: &str = "3216010507900012";
pub(super) const NIK_SPACED: &str = "3216 0105 0790 0012";
pub(super) const MASKED: &str = "3216••••••••0012";

/// The NIK must not appear in `text`, grouped or not.
#[track_caller]
pub(super) fn assert_no_nik(text: &str, what: &str) {
    assert!(!text.contains(NIK), "{what} holds the full NIK: {text}");
    assert!(!text.contains(NIK_SPACED), "{what} holds the full NIK: {text}");
}

#[tokio::test]
async fn a_valid_enrolment_is_listed_masked_and_counted_publicly() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let areas = [VILLAGE_A, DISTRICT_A, REGENCY_A, "32", "ID"];
    let mut before = Vec::new();
    for area in areas {
        before.push(public_counts(&app, area).await);
    }

    let reply = operator
        .post(&app, "/api/v1/enrolments", &valid_draft(VILLAGE_A, NIK))
        .await;
    reply.expect(StatusCode::CREATED, "");
    assert_eq!(reply.headers["cache-control"], "no-store");
    assert_no_nik(&reply.text, "the created worker");
    let worker = &reply.json["worker"];
    let id = worker["id"].as_i64().unwrap();
    assert_eq!(worker["nik_masked"], MASKED);
    assert_eq!(worker["full_name"], "Budi Santoso");
    assert_eq!(worker["village"], VILLAGE_A);
    assert_eq!(worker["village_name"], "Sagara Makmur");
    assert_eq!(worker["status"], "submitted");
    assert_eq!(worker["paid_through"], now().plus(11).to_string());
    assert_eq!(worker["coverage"], "active");
    assert_eq!(worker["deactivated"], serde_json::Value::Null);

    let detail = operator.get(&app, &format!("/api/v1/enrolments/{id}")).await;
    detail.expect(StatusCode::OK, "");
    assert_no_nik(&detail.text, "the worker's detail");
    assert_eq!(detail.json["phone"], "081234567890", "phone normalised to the 08 form");
    assert_eq!(detail.json["birth_date"], "1990-07-05");
    assert_eq!(detail.json["sex"], "male");
    assert_eq!(detail.json["coverage_start"], this_month());
    assert_eq!(detail.json["monthly_premium"], 16_800, "1% of Rp1,000,000 plus Rp6,800");
    assert_eq!(detail.json["consent_version"], "2026-11");

    for (session, area) in [(&operator, VILLAGE_A)] {
        let list = session.get(&app, &format!("/api/v1/areas/{area}/workers")).await;
        list.expect(StatusCode::OK, "");
        assert_no_nik(&list.text, "the worker list");
        assert_eq!(list.json["total"], 1);
        assert_eq!(list.json["workers"][0]["id"], id);
        assert_eq!(list.json["workers"][0]["nik_masked"], MASKED);
    }
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;
    let list = admin.get(&app, &format!("/api/v1/areas/{REGENCY_A}/workers")).await;
    assert_no_nik(&list.text, "the regency's worker list");
    assert_eq!(list.json["total"], 1);

    for (area, (enrolled, active)) in areas.iter().zip(before) {
        assert_eq!(
            public_counts(&app, area).await,
            (enrolled + 1, active + 1),
            "public figures of {area}"
        );
    }
    let audit = admin.get(&app, &format!("/api/v1/areas/{REGENCY_A}/audit")).await;
    assert_no_nik(&audit.text, "the audit log");
    let entries = audit.json.as_array().unwrap();
    let entry = entries
        .iter()
        .find(|e| e["action"] == "enrolment.create")
        .expect("enrolment.create entry");
    assert_eq!(entry["actor"], "operator.a");
    assert_eq!(entry["subject"], format!("enrolment/{id}"));
    assert_eq!(entry["area"], VILLAGE_A);
    assert_eq!(entry["after"]["nik_masked"], MASKED);
}

#[tokio::test]
async fn a_duplicate_nik_names_the_village_masks_the_nik_and_links_only_within_scope() {
    let app = TestApp::fresh().await;
    let operator_a = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let id = operator_a
        .post(&app, "/api/v1/enrolments", &valid_draft(VILLAGE_A, NIK))
        .await;
    let id = id.json["worker"]["id"].as_i64().unwrap();
    let count = enrolment_count(&app).await;

    let operator_b = official(&app, "operator.b", Role::VillageOperator, VILLAGE_B).await;
    let operator_a2 = official(&app, "operator.a2", Role::VillageOperator, VILLAGE_A2).await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;
    let attempts = [
        (&operator_b, VILLAGE_B, NIK, None),
        (&operator_a2, VILLAGE_A2, NIK, None),
        // Grouped with spaces it is the same NIK.
        (&operator_a2, VILLAGE_A2, NIK_SPACED, None),
        (&admin, VILLAGE_A2, NIK, Some(id)),
        (&operator_a, VILLAGE_A, NIK, Some(id)),
    ];
    for (session, village, nik, link) in attempts {
        let who = session.me["username"].as_str().unwrap();
        let reply = session
            .post(&app, "/api/v1/enrolments", &valid_draft(village, nik))
            .await;
        reply.expect(StatusCode::CONFLICT, "duplicate_nik");
        assert_eq!(reply.field(), Some("nik"), "{who}");
        assert_eq!(
            reply.message(),
            format!("NIK {MASKED} sudah terdaftar sebagai peserta di Sagara Makmur.")
        );
        assert_no_nik(&reply.text, "the duplicate answer");
        let duplicate = &reply.json["error"]["duplicate"];
        assert_eq!(duplicate["nik_masked"], MASKED);
        assert_eq!(duplicate["village"], VILLAGE_A);
        assert_eq!(duplicate["village_name"], "Sagara Makmur");
        assert_eq!(
            duplicate["enrolment_id"],
            json!(link),
            "{who}: link to the first record"
        );
    }
    assert_eq!(enrolment_count(&app).await, count);
    assert_eq!(public_counts(&app, VILLAGE_A).await, (1, 1));
    assert_eq!(public_counts(&app, VILLAGE_B).await, (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_double_submit_stores_one_record() {
    let app = std::sync::Arc::new(TestApp::fresh().await);
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let before = enrolment_count(&app).await;
    let draft = valid_draft(VILLAGE_A, NIK);
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(8));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (app, operator, draft, barrier) = (app.clone(), operator.clone(), draft.clone(), barrier.clone());
        tasks.spawn(async move {
            barrier.wait().await;
            operator.post(&app, "/api/v1/enrolments", &draft).await
        });
    }
    let mut statuses = Vec::new();
    while let Some(reply) = tasks.join_next().await {
        let reply = reply.unwrap();
        if reply.status == StatusCode::CONFLICT {
            assert_eq!(reply.code(), "duplicate_nik");
        }
        statuses.push(reply.status.as_u16());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409, 409, 409, 409, 409, 409, 409]);
    assert_eq!(enrolment_count(&app).await, before + 1);
    assert_eq!(public_counts(&app, VILLAGE_A).await, (1, 1));
}

#[tokio::test]
async fn verification_rejection_resubmission_deactivation_and_renewal() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let verifier = official(&app, "bpjs.bekasi", Role::BpjsVerifier, REGENCY_A).await;
    let enrol = |nik: String| {
        let operator = &operator;
        let app = &app;
        async move {
            let reply = operator
                .post(app, "/api/v1/enrolments", &valid_draft(VILLAGE_A, &nik))
                .await;
            reply.expect(StatusCode::CREATED, "");
            reply.json["worker"]["id"].as_i64().unwrap()
        }
    };
    let first = enrol(nik_for("321601", 21, false)).await;
    let second_nik = nik_for("321601", 22, true);
    let second = enrol(second_nik.clone()).await;
    assert_eq!(public_counts(&app, VILLAGE_A).await, (2, 2));

    // Verify: 11 digits, once.
    for bad in ["1234567890", "1234567890A", "", "123456789012"] {
        let reply = verifier
            .step(&app, first, "verify", &json!({ "membership_number": bad }))
            .await;
        reply.expect_at(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_membership_number",
            "membership_number",
        );
    }
    let reply = verifier
        .step(&app, first, "verify", &json!({ "membership_number": "12345678901" }))
        .await;
    reply.expect(StatusCode::OK, "");
    assert_eq!(reply.json["status"], "verified");
    assert_eq!(reply.json["membership_number"], "12345678901");
    let again = verifier
        .step(&app, first, "verify", &json!({ "membership_number": "12345678901" }))
        .await;
    again.expect(StatusCode::CONFLICT, "wrong_state");
    assert_eq!(
        public_counts(&app, VILLAGE_A).await,
        (2, 2),
        "verifying changes no count"
    );

    // Reject: a reason of 5–300 characters without markup; no longer counted.
    for bad in ["ab", "    ", "<b>KTP buram</b>", &"x".repeat(301)] {
        let reply = verifier.step(&app, second, "reject", &json!({ "reason": bad })).await;
        reply.expect(StatusCode::UNPROCESSABLE_ENTITY, "invalid_reason");
    }
    let reason = "Foto KTP tidak terbaca";
    let reply = verifier
        .step(&app, second, "reject", &json!({ "reason": reason }))
        .await;
    reply.expect(StatusCode::OK, "");
    assert_eq!(reply.json["status"], "rejected");
    assert_eq!(reply.json["reject_reason"], reason);
    assert_eq!(
        public_counts(&app, VILLAGE_A).await,
        (1, 1),
        "a rejected record is not counted"
    );
    let workload = operator.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workload")).await;
    assert_eq!(workload.json["rejected"], 1);
    assert_eq!(workload.json["verified"], 1);
    assert_eq!(workload.json["submitted"], 0);

    // The operator corrects it: submitted again, counted again.
    let mut draft = valid_draft(VILLAGE_A, &second_nik);
    draft["address"] = json!("Dusun Krajan RT 03 RW 02");
    let reply = operator
        .put(&app, &format!("/api/v1/enrolments/{second}"), &draft)
        .await;
    reply.expect(StatusCode::OK, "");
    assert_eq!(reply.json["status"], "submitted");
    assert_eq!(reply.json["reject_reason"], serde_json::Value::Null);
    assert_eq!(reply.json["address"], "Dusun Krajan RT 03 RW 02");
    assert_eq!(
        public_counts(&app, VILLAGE_A).await,
        (2, 2),
        "a resubmitted record is counted again"
    );

    // Renewal: 12 more months on top of the 12 paid.
    let reply = operator.step(&app, second, "renew", &json!({ "months": 5 })).await;
    reply.expect(StatusCode::UNPROCESSABLE_ENTITY, "invalid_paid_months");
    let reply = operator.step(&app, second, "renew", &json!({ "months": 12 })).await;
    reply.expect(StatusCode::OK, "");
    assert_eq!(reply.json["paid_through"], now().plus(23).to_string());

    // Deactivation: no longer counted, listed only among the deactivated, frozen.
    let reply = operator
        .step(&app, first, "deactivate", &json!({ "reason": "bosan" }))
        .await;
    reply.expect_at(StatusCode::BAD_REQUEST, "bad_request", "reason");
    let reply = operator
        .step(&app, first, "deactivate", &json!({ "reason": "moved" }))
        .await;
    reply.expect(StatusCode::OK, "");
    assert_eq!(reply.json["deactivated"], "moved");
    assert_eq!(
        public_counts(&app, VILLAGE_A).await,
        (1, 1),
        "a deactivated worker is not counted"
    );
    let current = operator.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workers")).await;
    assert_eq!(current.json["total"], 1);
    assert_eq!(current.json["workers"][0]["id"], second);
    let gone = operator
        .get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workers?deactivated=true"))
        .await;
    assert_eq!(gone.json["total"], 1);
    assert_eq!(gone.json["workers"][0]["id"], first);
    let frozen = [
        operator
            .step(&app, first, "deactivate", &json!({ "reason": "died" }))
            .await,
        operator.step(&app, first, "renew", &json!({ "months": 1 })).await,
        operator
            .put(
                &app,
                &format!("/api/v1/enrolments/{first}"),
                &valid_draft(VILLAGE_A, &nik_for("321601", 21, false)),
            )
            .await,
    ];
    for reply in frozen {
        reply.expect(StatusCode::CONFLICT, "wrong_state");
    }
    assert_eq!(public_counts(&app, VILLAGE_A).await, (1, 1));

    // Every step is in the audit log, with the NIK masked.
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;
    let audit = admin.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/audit")).await;
    let mut actions = audit.audit_actions();
    actions.retain(|action| action.starts_with("enrolment."));
    assert_eq!(
        actions,
        [
            "enrolment.deactivate",
            "enrolment.renew",
            "enrolment.update",
            "enrolment.reject",
            "enrolment.verify",
            "enrolment.create",
            "enrolment.create"
        ]
    );
    for nik in [nik_for("321601", 21, false), second_nik] {
        assert!(!audit.text.contains(&nik), "the audit log holds a full NIK");
    }
}

#[tokio::test]
async fn an_edit_keeps_nik_and_coverage_and_needs_no_nik_from_roles_that_cannot_see_it() {
    let app = TestApp::fresh().await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;
    let (id, nik) = seed(&app, VILLAGE_A).await;
    let path = format!("/api/v1/enrolments/{id}");
    admin
        .post(&app, &format!("{path}/renew"), &json!({ "months": 12 }))
        .await
        .expect(StatusCode::OK, "");
    let renewed = admin.get(&app, &path).await.json;

    // The admin cannot see the NIK: the form goes without it, with stale coverage fields.
    let mut draft = valid_draft(VILLAGE_A, &nik);
    draft["nik"] = json!("");
    draft["address"] = json!("Dusun Pasir RT 03 RW 01");
    draft["coverage_start"] = json!("2020-01");
    draft["paid_months"] = json!(1);
    let edited = admin.put(&app, &path, &draft).await;
    edited.expect(StatusCode::OK, "");
    assert_eq!(edited.json["address"], "Dusun Pasir RT 03 RW 01");
    assert_eq!(edited.json["nik_masked"], renewed["nik_masked"]);
    assert_eq!(edited.json["coverage_start"], renewed["coverage_start"], "renewal kept");
    assert_eq!(edited.json["paid_through"], renewed["paid_through"], "renewal kept");

    // A different NIK is still refused.
    let mut other = valid_draft(VILLAGE_A, &fresh_nik(VILLAGE_A));
    other["address"] = json!("Dusun Pasir RT 03 RW 01");
    let refused = admin.put(&app, &path, &other).await;
    refused.expect(StatusCode::UNPROCESSABLE_ENTITY, "invalid_enrolment");
    assert_eq!(refused.json["error"]["problems"][0]["problem"], "nik_fixed");
}

/// Finding 9 of the review: what the verifier checked (the KPJ number, programme, declared
/// income, who pays) cannot change on a verified record without going back to them; an
/// address or a phone can.
#[tokio::test]
async fn a_verified_record_goes_back_to_the_verifier_when_what_was_verified_changes() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let verifier = official(&app, "bpjs.bekasi", Role::BpjsVerifier, REGENCY_A).await;
    let (id, nik) = seed(&app, VILLAGE_A).await;
    let path = format!("/api/v1/enrolments/{id}");
    let verify = || async {
        verifier
            .step(&app, id, "verify", &json!({ "membership_number": "12345678901" }))
            .await
            .expect(StatusCode::OK, "");
    };
    verify().await;
    let mut draft = valid_draft(VILLAGE_A, &nik);
    draft["address"] = json!("Dusun Baru RT 05 RW 01");
    draft["phone"] = json!("0813 1111 2222");
    let kept = operator.put(&app, &path, &draft).await;
    kept.expect(StatusCode::OK, "");
    assert_eq!(kept.json["status"], "verified", "an address is not what BPJS verified");
    for (field, value) in [
        ("income", json!(2_000_000)),
        ("funding", json!("apbd_regency")),
        ("program", json!("jkk_jkm_jht")),
        ("membership_number", json!("98765432109")),
    ] {
        let mut changed = draft.clone();
        changed[field] = value;
        let reply = operator.put(&app, &path, &changed).await;
        reply.expect(StatusCode::OK, "");
        assert_eq!(
            reply.json["status"], "submitted",
            "{field} changed on a verified record"
        );
        verify().await;
    }
}
