//! Malformed enrolments: each is refused with the field at fault and a Bahasa message that
//! repeats nothing typed, and none of them leaves a trace (no record, no figure, no audit row).

use axum::http::{Method, StatusCode};
use pantau_core::account::Role;
use pantau_core::{ErrorCode, Problem};
use serde_json::{json, Value};

use super::bad_enrolments_cases::{cases, Case, Payload, NIK};
use super::*;
use crate::helpers::TestApp;

/// Everything a stored enrolment would change.
async fn traces(app: &TestApp) -> Vec<(String, u64)> {
    let mut traces = vec![
        ("enrolments".to_owned(), enrolment_count(app).await),
        ("audit rows".to_owned(), count_rows(app, "audit_log").await as u64),
    ];
    for area in [VILLAGE_A, VILLAGE_B, VILLAGE_OTHER_DISTRICT, DISTRICT_A, "ID"] {
        traces.push((format!("{area} enrolled"), public_counts(app, area).await.0));
    }
    traces
}

/// The typed values a response must never repeat: the draft's text fields, raw and as JSON
/// would escape them.
fn personal_values(case: &Case) -> Vec<String> {
    let mut values = vec![NIK.to_owned(), "Budi Santoso".to_owned()];
    if let Payload::Draft(draft) = &case.payload {
        for field in [
            "nik",
            "full_name",
            "address",
            "sponsor",
            "occupation_other",
            "birth_date",
        ] {
            if let Some(text) = draft[field].as_str() {
                values.push(text.to_owned());
            }
        }
    }
    let mut all = Vec::new();
    for value in values {
        if value.trim().chars().count() < 4 {
            continue;
        }
        let escaped = serde_json::to_string(&value).unwrap();
        all.push(escaped.trim_matches('"').to_owned());
        all.push(value);
    }
    all
}

/// Everything wrong with one answer.
fn judge(case: &Case, reply: &Reply) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            wrong.push(what);
        }
    };
    check(
        reply.status == case.status,
        format!("status {} (expected {})", reply.status, case.status),
    );
    check(
        reply.code() == case.code,
        format!("code {:?} (expected {:?})", reply.code(), case.code),
    );
    check(
        reply.field() == case.field,
        format!("field {:?} (expected {:?})", reply.field(), case.field),
    );
    check(!reply.message().trim().is_empty(), "empty message".into());
    check(
        reply.headers.get("cache-control").is_some_and(|v| v == "no-store"),
        "no Cache-Control: no-store".into(),
    );
    let problems = reply.json["error"]["problems"].as_array().cloned().unwrap_or_default();
    if let Some(problem) = case.problem {
        let first = problems.first().cloned().unwrap_or(Value::Null);
        check(
            first["problem"] == problem,
            format!("first problem {} (expected {problem})", first["problem"]),
        );
        check(
            first["field"] == json!(case.field),
            format!("first problem's field {}", first["field"]),
        );
        check(first["severity"] == "error", format!("severity {}", first["severity"]));
        check(
            reply.message() == first["message"],
            "headline is not the first problem's message".into(),
        );
        for p in &problems {
            // Each problem carries its fixed Bahasa sentence, not the English one.
            let code: Problem = serde_json::from_value(p["problem"].clone()).unwrap();
            check(
                p["message"] == code.message_id(),
                format!("message of {code:?} is not its Bahasa text"),
            );
        }
    } else if reply.status != StatusCode::CONFLICT {
        check(problems.is_empty(), format!("unexpected problems {problems:?}"));
        if let Ok(code) = serde_json::from_value::<ErrorCode>(json!(reply.code())) {
            check(
                reply.message() == code.message_id(),
                "message is not the code's Bahasa text".into(),
            );
        }
    }
    for value in personal_values(case) {
        check(
            !reply.text.contains(&value),
            format!("response repeats the input {value:?}"),
        );
    }
    wrong
}

async fn submit(app: &TestApp, session: &Session, method: Method, path: &str, payload: &Payload) -> Reply {
    match payload {
        Payload::Draft(draft) => session.call(app, method, path, Some(draft)).await,
        Payload::Raw(content_type, bytes) => session.raw(app, method, path, *content_type, bytes.clone()).await,
    }
}

#[tokio::test]
async fn malformed_enrolments_are_refused_with_the_field_at_fault_and_store_nothing() {
    let app = TestApp::fresh().await;
    // A district officer: may enrol anywhere in 32.16.01, so an unknown code there is a form
    // problem, not a scope one.
    let officer = official(&app, "camat.tarumajaya", Role::DistrictOfficer, DISTRICT_A).await;
    let cases = cases();
    assert!(cases.len() >= 50, "only {} cases", cases.len());
    let before = traces(&app).await;
    let mut failures = Vec::new();
    for case in &cases {
        let reply = submit(&app, &officer, Method::POST, "/api/v1/enrolments", &case.payload).await;
        let wrong = judge(case, &reply);
        if !wrong.is_empty() {
            let body: String = reply.text.chars().take(400).collect();
            failures.push(format!("{}: {}\n    body: {body}", case.name, wrong.join("; ")));
        }
    }
    assert_eq!(before, traces(&app).await, "a refused enrolment left a trace");
    assert!(
        failures.is_empty(),
        "{} of {} malformed enrolments answered wrongly:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    // The same session and form, made valid, is accepted: the refusals were the form's fault.
    let reply = officer
        .post(&app, "/api/v1/enrolments", &valid_draft(VILLAGE_A, NIK))
        .await;
    reply.expect(StatusCode::CREATED, "");
    assert_eq!(enrolment_count(&app).await, before[0].1 + 1);
}

#[tokio::test]
async fn malformed_edits_are_refused_and_leave_the_record_as_it_was() {
    let app = TestApp::fresh().await;
    let officer = official(&app, "camat.tarumajaya", Role::DistrictOfficer, DISTRICT_A).await;
    let id = seed_draft(&app, &valid_draft(VILLAGE_A, NIK)).await;
    let path = format!("/api/v1/enrolments/{id}");
    let stored = officer.get(&app, &path).await;
    let before = traces(&app).await;
    let mut failures = Vec::new();
    for mut case in cases() {
        // An edit leaves coverage months to renewal and takes an empty NIK or birth date as
        // "keep the stored one" (for roles that may not see them): those fields are not
        // checked on edits.
        let ignored_on_edit = matches!(case.field, Some("coverage_start" | "paid_months"))
            || (matches!(case.field, Some("nik" | "birth_date")) && case.problem == Some("required"));
        if ignored_on_edit {
            continue;
        }
        // An edit never moves a worker: another village, known or not, in scope or not, is
        // refused as such.
        if case.problem == Some("village_unknown") || case.code == "forbidden" {
            case.status = StatusCode::UNPROCESSABLE_ENTITY;
            case.code = "invalid_enrolment";
            case.field = Some("village");
            case.problem = Some("village_fixed");
        }
        let reply = submit(&app, &officer, Method::PUT, &path, &case.payload).await;
        let wrong = judge(&case, &reply);
        if !wrong.is_empty() {
            failures.push(format!("{}: {}", case.name, wrong.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "malformed edits answered wrongly:\n{}",
        failures.join("\n")
    );
    assert_eq!(before, traces(&app).await, "a refused edit left a trace");
    assert_eq!(
        officer.get(&app, &path).await.json,
        stored.json,
        "a refused edit changed the record"
    );
    // Another valid NIK is refused too: the NIK identifies the person.
    let other = valid_draft(VILLAGE_A, &nik_for("321601", 13, false));
    let reply = officer.put(&app, &path, &other).await;
    reply.expect(StatusCode::UNPROCESSABLE_ENTITY, "invalid_enrolment");
    assert_eq!(reply.json["error"]["problems"][0]["problem"], "nik_fixed");
    assert_eq!(reply.field(), Some("nik"));
}

#[tokio::test]
async fn markup_and_sql_where_text_is_free_are_stored_verbatim_and_harmless() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await;
    let mut draft = valid_draft(VILLAGE_A, NIK);
    // An apostrophe and a hyphen belong in names; SQL syntax is ordinary text in an address.
    draft["full_name"] = json!("Ma'ruf O'Neil-Siregar");
    draft["address"] = json!("Robert'); DROP TABLE enrolment;-- RT 01");
    draft["segment"] = json!("other");
    draft["occupation_other"] = json!("Tukang \"las\" & cat; 100%");
    let reply = operator.post(&app, "/api/v1/enrolments", &draft).await;
    reply.expect(StatusCode::CREATED, "");
    let id = reply.json["worker"]["id"].as_i64().unwrap();
    let worker = operator.get(&app, &format!("/api/v1/enrolments/{id}")).await;
    assert_eq!(worker.json["full_name"], "Ma'ruf O'Neil-Siregar");
    assert_eq!(worker.json["address"], "Robert'); DROP TABLE enrolment;-- RT 01");
    assert_eq!(worker.json["occupation_other"], "Tukang \"las\" & cat; 100%");
    // The table is still there and holds exactly this one record.
    assert_eq!(enrolment_count(&app).await, 1);
    assert_eq!(public_counts(&app, VILLAGE_A).await, (1, 1));
}
