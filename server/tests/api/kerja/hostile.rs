//! Issue 18's hostile bodies: every write endpoint of the OpenAPI document (so a new one is
//! covered without touching this file), as every role and signed out, gets malformed JSON,
//! wrong types, missing and extra fields, invalid UTF-8, an oversize body, control characters,
//! script and SQL strings, path traversal in codes, and huge and negative numbers. Each answer
//! must be a 4xx with the error envelope and no internals, and nothing may be stored.

use axum::http::Method;
use pantau_core::account::Role;
use serde_json::{json, Map, Value};
use sqlx::{Row, SqliteConnection};

use super::*;
use crate::helpers::TestApp;

/// A string every text check must refuse, carrying script, SQL and a path.
const HOSTILE_TEXT: &str = "\u{0}<script>alert(1)</script>'; DROP TABLE enrolment; -- ../../etc/passwd \u{202e}";

/// What must never be in an error answer: traces of the code, the database or a panic.
const INTERNALS: [&str; 8] = [
    "sqlx",
    "sqlite",
    "SQLITE",
    "panicked",
    "src/",
    ".rs:",
    "Error {",
    "backtrace",
];

/// The bodies sent to every endpoint, by name.
fn hostile_bodies(properties: &[String]) -> Vec<(&'static str, Vec<u8>)> {
    let with = |value: &dyn Fn(&str) -> Value| {
        let fields: Map<String, Value> = properties.iter().map(|p| (p.clone(), value(p))).collect();
        serde_json::to_vec(&Value::Object(fields)).unwrap()
    };
    let mut extra = with(&|_| json!(HOSTILE_TEXT));
    extra.splice(1..1, br#""is_admin":true,"__proto__":{"x":1},"#.iter().copied());
    vec![
        ("malformed JSON", br#"{"nik": "3216"#.to_vec()),
        ("a list, not an object", b"[1, 2, 3]".to_vec()),
        ("a bare string", br#""hello""#.to_vec()),
        ("null", b"null".to_vec()),
        ("missing fields", b"{}".to_vec()),
        ("invalid UTF-8", b"{\"note\": \"\xff\xfe\xfd\"}".to_vec()),
        ("wrong types", with(&|_| json!([{ "nested": [true] }]))),
        ("hostile strings", with(&|_| json!(HOSTILE_TEXT))),
        ("hostile strings and extra fields", extra),
        (
            "traversal in codes",
            with(&|p| {
                if p.contains("code") || p == "village" || p == "scope" {
                    json!("../../../etc/passwd")
                } else {
                    json!(HOSTILE_TEXT)
                }
            }),
        ),
        ("huge numbers", with(&|_| json!(1e300))),
        ("negative numbers", with(&|_| json!(-1))),
        (
            "too big integers",
            with(&|_| serde_json::from_str::<Value>("18446744073709551616").unwrap()),
        ),
        ("a 2 MiB string", with(&|_| json!("x".repeat(2 * 1024 * 1024)))),
    ]
}

/// The property names of an operation's JSON body, from the document's schemas.
fn body_properties(openapi: &Value, operation: &Value) -> Vec<String> {
    let content = &operation["requestBody"]["content"];
    let schema = content
        .as_object()
        .and_then(|c| c.values().next())
        .map(|c| &c["schema"])
        .cloned()
        .unwrap_or(Value::Null);
    let resolved = match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap();
            openapi["components"]["schemas"][name].clone()
        }
        None => schema,
    };
    resolved["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// A fingerprint of everything stored but sessions' last activity: counts, sums of every
/// number and lengths of every text, per table.
async fn stored(db: &mut SqliteConnection) -> Vec<(String, String)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(&mut *db)
    .await
    .unwrap();
    let mut prints = Vec::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query(&format!("PRAGMA table_info({table})"))
            .fetch_all(&mut *db)
            .await
            .unwrap()
            .iter()
            .map(|row| row.get::<String, _>("name"))
            .filter(|c| table != "session" || c != "last_seen")
            .collect();
        let parts: Vec<String> = columns
            .iter()
            .map(|c| format!("TOTAL(CASE WHEN typeof({c}) IN ('integer', 'real') THEN {c} ELSE length({c}) END)"))
            .collect();
        let sql = format!("SELECT COUNT(*) || ':' || {} FROM {table}", parts.join(" || ':' || "));
        let print: String = sqlx::query_scalar(&sql).fetch_one(&mut *db).await.unwrap();
        prints.push((table, print));
    }
    prints
}

#[tokio::test]
async fn hostile_bodies_on_every_write_endpoint_are_refused_and_store_nothing() {
    let app = TestApp::fresh().await;
    let sessions = [
        official(&app, "operator.a", Role::VillageOperator, VILLAGE_A).await,
        official(&app, "camat.tarumajaya", Role::DistrictOfficer, DISTRICT_A).await,
        official(&app, "admin.bekasi", Role::RegencyAdmin, REGENCY_A).await,
        official(&app, "bpjs.bekasi", Role::BpjsVerifier, REGENCY_A).await,
        official(&app, "admin.pusat", Role::NationalAdmin, "ID").await,
    ];
    let signed_out = Session {
        cookie: String::new(),
        csrf: String::new(),
        me: Value::Null,
    };
    let (worker, _) = seed(&app, VILLAGE_A).await;
    let account = sessions[0].me["user_id"].as_i64().unwrap();
    let (_, openapi) = app.get_json("/api/v1/openapi.json").await;
    let mut db = raw_db(&app).await;
    let mut before = stored(&mut db).await;

    let (mut tried, mut failures) = (0, Vec::new());
    for (path, operations) in openapi["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            if method == "get" || operation.get("requestBody").is_none() {
                continue;
            }
            // Each area path at the level its endpoint serves; ids of real records.
            let code = match path.as_str() {
                p if p.contains("budgets") || p.contains("regulations") => REGENCY_A,
                p if p.contains("village-boundaries") => DISTRICT_A,
                _ => VILLAGE_A,
            };
            let id = if path.starts_with("/api/v1/users") {
                account
            } else {
                worker
            };
            let target = path
                .replace("{code}", code)
                .replace("{year}", "2026")
                .replace("{id}", &id.to_string());
            assert!(!target.contains('{'), "the suite does not know a parameter of {path}");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let content_type = operation["requestBody"]["content"]
                .as_object()
                .and_then(|c| c.keys().next().cloned())
                .unwrap();
            let bodies = hostile_bodies(&body_properties(&openapi, operation));
            for session in sessions.iter().chain([&signed_out]) {
                let who = session.me["username"].as_str().unwrap_or("signed out");
                for (name, body) in &bodies {
                    let reply = session
                        .raw(&app, method.clone(), &target, Some(&content_type), body.clone())
                        .await;
                    tried += 1;
                    let mut wrong = Vec::new();
                    if !reply.status.is_client_error() {
                        wrong.push(format!("status {}", reply.status));
                    }
                    if reply.code().is_empty() || reply.message().is_empty() {
                        wrong.push("no error envelope".to_owned());
                    }
                    if let Some(internal) = INTERNALS.iter().find(|i| reply.text.contains(**i)) {
                        wrong.push(format!("shows {internal:?}"));
                    }
                    if reply.text.contains("<script>") || reply.text.contains("DROP TABLE") {
                        wrong.push("repeats the input".to_owned());
                    }
                    if !wrong.is_empty() {
                        failures.push(format!(
                            "{method} {target} as {who}, {name}: {} ({})",
                            wrong.join(", "),
                            reply.text.chars().take(200).collect::<String>()
                        ));
                    }
                }
                let after = stored(&mut db).await;
                if after != before {
                    let changed: Vec<&str> = before
                        .iter()
                        .zip(&after)
                        .filter(|(b, a)| b != a)
                        .map(|(b, _)| b.0.as_str())
                        .collect();
                    failures.push(format!("{method} {target} as {who}: stored something in {changed:?}"));
                    // Judged afresh from here, so each endpoint's fault is its own.
                    before = after;
                }
            }
        }
    }
    eprintln!(
        "hostile bodies: {tried} requests tried, {} answered wrongly",
        failures.len()
    );
    assert!(tried > 1_000, "too few requests: {tried}");
    crate::helpers::record_hostile(
        "bodies",
        &format!("{tried} hostile bodies on every write endpoint as every role, 0 accepted, nothing stored"),
    );
    assert!(
        failures.is_empty(),
        "{} wrong answers:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The same sessions still work: the refusals were the bodies' fault.
    sessions[0].expect_signed_in(&app).await;
}
