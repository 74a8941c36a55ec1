//! `GET /areas/{code}/sync`: per operator, the last accepted write and what arrived on each
//! of the last 14 days (WIB), for supervisors of the area only.

use axum::http::StatusCode;
use pantau_core::account::Role;
use pantau_core::workers::{OperatorSync, Status, SyncReport};
use pantau_server::store::{Actor, NewEnrolment, PastWorker, PastWrite, WorkerStore};
use serde_json::json;
use time::{Duration, OffsetDateTime, UtcOffset};

use super::*;
use crate::helpers::TestApp;

fn report(reply: &Reply) -> SyncReport {
    reply.expect(StatusCode::OK, "");
    serde_json::from_value(reply.json.clone()).unwrap()
}

#[track_caller]
fn row<'a>(report: &'a SyncReport, username: &str) -> &'a OperatorSync {
    report
        .operators
        .iter()
        .find(|r| r.username == username)
        .unwrap_or_else(|| panic!("{username} listed in {report:?}"))
}

/// A worker of `village` that `actor` entered at `at`, straight into the store.
async fn entered_at(app: &TestApp, village: &str, actor: &Actor, at: OffsetDateTime) {
    let draft: pantau_core::intake::EnrolmentDraft =
        serde_json::from_value(valid_draft(village, &fresh_nik(village))).unwrap();
    let valid = pantau_core::intake::validate(&draft, at.date(), &Default::default(), &|_| true).unwrap();
    let worker = PastWorker {
        enrolment: NewEnrolment::from_valid(valid, Status::Submitted),
        entered: PastWrite {
            actor: actor.clone(),
            at,
        },
        decided: None,
        reject_reason: None,
    };
    app.store.import_past_worker(&worker).await.unwrap();
}

#[tokio::test]
async fn supervisors_see_per_operator_what_arrived_per_day() {
    let app = TestApp::fresh().await;
    let a = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let a2 = official(&app, "operator.a2", Role::VillageOperator, VILLAGE_A2).await;
    let idle_id = create_user(&app, "operator.idle", Role::VillageOperator, VILLAGE_A).await;
    let far = official(&app, "operator.far", Role::VillageOperator, VILLAGE_OTHER_DISTRICT).await;
    let verifier = official(&app, "verifikator", Role::BpjsVerifier, REGENCY_A).await;
    let district = official(&app, "camat", Role::DistrictOfficer, DISTRICT_A).await;
    let regency = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;

    // Today: A enrols three, corrects one and renews one; A2 enrols one; the verifier
    // verifies one of A's; the far operator enrols one in the other district.
    let mut ids = Vec::new();
    for _ in 0..3 {
        let nik = fresh_nik(VILLAGE_A);
        let reply = a.post(&app, "/api/v1/enrolments", &valid_draft(VILLAGE_A, &nik)).await;
        reply.expect(StatusCode::CREATED, "");
        ids.push((reply.json["worker"]["id"].as_i64().unwrap(), nik));
    }
    let mut edit = valid_draft(VILLAGE_A, &ids[0].1);
    edit["address"] = json!("Dusun Kidul RT 02 RW 03");
    a.put(&app, &format!("/api/v1/enrolments/{}", ids[0].0), &edit)
        .await
        .expect(StatusCode::OK, "");
    a.step(&app, ids[1].0, "renew", &json!({ "months": 3 }))
        .await
        .expect(StatusCode::OK, "");
    verifier
        .step(&app, ids[2].0, "verify", &json!({ "membership_number": "24012345678" }))
        .await
        .expect(StatusCode::OK, "");
    a2.post(
        &app,
        "/api/v1/enrolments",
        &valid_draft(VILLAGE_A2, &fresh_nik(VILLAGE_A2)),
    )
    .await
    .expect(StatusCode::CREATED, "");
    far.post(
        &app,
        "/api/v1/enrolments",
        &valid_draft(VILLAGE_OTHER_DISTRICT, &fresh_nik(VILLAGE_OTHER_DISTRICT)),
    )
    .await
    .expect(StatusCode::CREATED, "");
    // Earlier: A entered two records three days ago; the idle operator one 20 days ago.
    let wib = UtcOffset::from_hms(7, 0, 0).unwrap();
    let now = OffsetDateTime::now_utc();
    let actor_a = Actor {
        id: a.me["user_id"].as_i64().unwrap(),
        username: "operator.a".into(),
    };
    let three_days_ago = now - Duration::days(3);
    entered_at(&app, VILLAGE_A, &actor_a, three_days_ago).await;
    entered_at(&app, VILLAGE_A, &actor_a, three_days_ago + Duration::minutes(5)).await;
    let idle = Actor {
        id: idle_id,
        username: "operator.idle".into(),
    };
    let long_ago = (now - Duration::days(20)).replace_nanosecond(0).unwrap();
    entered_at(&app, VILLAGE_A, &idle, long_ago).await;

    let seen = report(&district.get(&app, &format!("/api/v1/areas/{DISTRICT_A}/sync")).await);
    let today = now.to_offset(wib).date();
    assert_eq!(seen.days.len(), 14);
    assert_eq!(seen.days.last().unwrap().0, today);
    assert_eq!(seen.days[0].0, today - Duration::days(13));
    let usernames: Vec<&str> = seen.operators.iter().map(|r| r.username.as_str()).collect();
    assert_eq!(
        usernames,
        ["operator.a", "operator.idle", "operator.a2", "verifikator"],
        "operators by village then username, then others who wrote"
    );
    let a_row = row(&seen, "operator.a");
    assert_eq!(a_row.display_name, "Akun operator.a");
    assert_eq!(a_row.scope.as_str(), VILLAGE_A);
    assert_eq!(a_row.scope_name, "Sagara Makmur");
    assert_eq!(a_row.enrolled_per_day.len(), 14);
    assert_eq!(a_row.enrolled_per_day[13], 3, "three new today");
    assert_eq!(a_row.writes_per_day[13], 5, "and two more changes");
    let back = usize::try_from((today - three_days_ago.to_offset(wib).date()).whole_days()).unwrap();
    assert_eq!(a_row.enrolled_per_day[13 - back], 2);
    assert_eq!(a_row.writes_per_day[13 - back], 2);
    assert_eq!(a_row.enrolled_per_day.iter().sum::<u32>(), 5);
    let last = a_row.last_sync.expect("A has synced");
    assert!((now - last).abs() < Duration::seconds(30), "{last}");

    let idle_row = row(&seen, "operator.idle");
    assert_eq!(idle_row.enrolled_per_day, vec![0; 14], "nothing in the last 14 days");
    assert_eq!(idle_row.last_sync, Some(long_ago), "its last write, even an old one");
    let a2_row = row(&seen, "operator.a2");
    assert_eq!((a2_row.enrolled_per_day[13], a2_row.writes_per_day[13]), (1, 1));
    let verifier_row = row(&seen, "verifikator");
    assert_eq!(verifier_row.scope.as_str(), REGENCY_A);
    assert_eq!(
        (verifier_row.enrolled_per_day[13], verifier_row.writes_per_day[13]),
        (0, 1)
    );
    assert!(
        !usernames.contains(&"operator.far"),
        "another district's operator is not listed"
    );

    // The regency sees its other district too; an operator who never wrote shows no sync.
    let never = official(&app, "operator.new", Role::VillageOperator, VILLAGE_OTHER_DISTRICT).await;
    let whole = report(&regency.get(&app, &format!("/api/v1/areas/{REGENCY_A}/sync")).await);
    assert_eq!(row(&whole, "operator.far").enrolled_per_day[13], 1);
    assert_eq!(row(&whole, "operator.new").last_sync, None);
    assert_eq!(row(&whole, "operator.a"), a_row);
    let raw = regency.get(&app, &format!("/api/v1/areas/{REGENCY_A}/sync")).await;
    assert_eq!(raw.headers["cache-control"], "no-store");
    let never_row = raw.json["operators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["username"] == "operator.new")
        .unwrap()
        .clone();
    assert_eq!(never_row["last_sync"], serde_json::Value::Null);
    drop(never);
}

#[tokio::test]
async fn only_supervisors_of_the_area_see_its_sync_report() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let verifier = official(&app, "verifikator", Role::BpjsVerifier, REGENCY_A).await;
    let district = official(&app, "camat", Role::DistrictOfficer, DISTRICT_A).await;
    let regency = official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await;
    let other_regency = official(&app, "admin.majalengka", Role::RegencyAdmin, "32.10").await;
    let national = official(&app, "admin.nasional", Role::NationalAdmin, "ID").await;
    let sync = |area: &str| format!("/api/v1/areas/{area}/sync");

    for area in [VILLAGE_A, DISTRICT_A] {
        operator
            .get(&app, &sync(area))
            .await
            .expect(StatusCode::FORBIDDEN, "forbidden");
    }
    verifier
        .get(&app, &sync(REGENCY_A))
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    district.get(&app, &sync(DISTRICT_A)).await.expect(StatusCode::OK, "");
    district.get(&app, &sync(VILLAGE_A)).await.expect(StatusCode::OK, "");
    district
        .get(&app, &sync(REGENCY_A))
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    district
        .get(&app, &sync("32.16.02"))
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    regency.get(&app, &sync(REGENCY_A)).await.expect(StatusCode::OK, "");
    other_regency
        .get(&app, &sync(REGENCY_A))
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    other_regency.get(&app, &sync("32.10")).await.expect(StatusCode::OK, "");
    national.get(&app, &sync("ID")).await.expect(StatusCode::OK, "");
    regency
        .get(&app, &sync("32.16.99"))
        .await
        .expect(StatusCode::NOT_FOUND, "area_not_found");
    anonymous(&app, axum::http::Method::GET, &sync(REGENCY_A), None)
        .await
        .expect(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn the_demo_operator_has_two_weeks_of_work_to_show() {
    let app = TestApp::demo().await;
    let admin = sign_in(&app, "admin.bekasi", pantau_server::demo::DEMO_PASSWORD).await;
    let started = std::time::Instant::now();
    let seen = report(&admin.get(&app, &format!("/api/v1/areas/{REGENCY_A}/sync")).await);
    let elapsed = started.elapsed();
    let operator = row(&seen, "operator.sagaramakmur");
    assert_eq!(operator.scope_name, "Sagara Makmur");
    assert!(operator.last_sync.is_some());
    assert_eq!(operator.enrolled_per_day.iter().sum::<u32>(), 25, "{operator:?}");
    assert!(operator.enrolled_per_day.iter().filter(|&&n| n > 0).count() >= 10);
    let verifier = row(&seen, "verifikator.bekasi");
    assert!(
        verifier.writes_per_day.iter().sum::<u32>() >= 15,
        "the verifier's decisions"
    );
    assert!(elapsed < std::time::Duration::from_secs(2), "a regency in {elapsed:?}");

    let workload = admin.get(&app, "/api/v1/areas/32.16.01.2001/workload").await;
    workload.expect(StatusCode::OK, "");
    assert!(workload.json["verified"].as_u64().unwrap() >= 14, "{}", workload.text);
    assert!(workload.json["submitted"].as_u64().unwrap() >= 5, "{}", workload.text);
    assert_eq!(workload.json["rejected"], 1);
    assert!(workload.json["lapsing"].as_u64().unwrap() >= 3, "{}", workload.text);
    let rejected = admin
        .get(&app, "/api/v1/areas/32.16.01.2001/workers?status=rejected")
        .await;
    let id = rejected.json["workers"][0]["id"].as_i64().unwrap();
    let detail = admin.get(&app, &format!("/api/v1/enrolments/{id}")).await;
    assert!(detail.json["reject_reason"].as_str().unwrap().contains("KTP"));
}
