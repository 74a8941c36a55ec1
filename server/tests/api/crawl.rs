//! Issue 18's crawler: every public route (the OpenAPI document's public GETs, the app's
//! pages, embeds, report, badges and cards) for areas at every level, on the demo data set,
//! and not one answer holds a NIK-shaped number or any worker's NIK, name, phone or birth date.

use aho_corasick::AhoCorasick;
use axum::http::StatusCode;
use serde_json::Value;
use sqlx::Connection;

use crate::helpers::TestApp;

/// Areas at each level, with the village whose workers have a full history.
const CODES: [&str; 6] = ["ID", "32", "32.16", "32.16.01", "32.16.01.2001", "32.16.01.2002"];

/// Runs of exactly 16 digits not part of a longer number or a decimal (map coordinates).
fn nik_shaped(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let before = start.checked_sub(1).map(|b| bytes[b]);
        let after = bytes.get(i).copied();
        if i - start == 16 && before != Some(b'.') && after != Some(b'.') {
            found.push(text[start..i].to_owned());
        }
    }
    found
}

/// The public GET paths of the OpenAPI document for `code`.
fn documented_paths(code: &str, openapi: &Value) -> Vec<String> {
    let mut paths = Vec::new();
    for (path, operations) in openapi["paths"].as_object().unwrap() {
        let Some(get) = operations.get("get") else { continue };
        if get["tags"].as_array().unwrap().iter().any(|t| t == "kerja") {
            continue;
        }
        let path = path.replace("{code}", code);
        assert!(!path.contains('{'), "the crawler does not know a parameter of {path}");
        let query = match path.rsplit('/').next() {
            Some("descendants") => "?level=village",
            Some("search") => "?q=Sagara",
            _ => "",
        };
        paths.push(format!("{path}{query}"));
    }
    paths
}

#[tokio::test]
async fn no_public_answer_holds_personal_data() {
    let app = TestApp::demo().await;
    let mut db =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}", app._dir.path().join("test.sqlite").display()))
            .await
            .unwrap();
    let people: Vec<(String, String, Option<String>, String)> =
        sqlx::query_as("SELECT nik, full_name, phone, birth_date FROM enrolment")
            .fetch_all(&mut db)
            .await
            .unwrap();
    let places: Vec<String> = sqlx::query_scalar("SELECT name FROM region")
        .fetch_all(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();
    assert!(people.len() > 10_000, "the demo data set is there: {}", people.len());
    let mut secrets: Vec<String> = Vec::new();
    for (nik, name, phone, birth) in &people {
        secrets.push(nik.clone());
        secrets.push(name.clone());
        secrets.extend(phone.clone());
        secrets.push(birth.clone());
    }
    secrets.sort();
    secrets.dedup();
    // A one-word name that is also a place's (a worker "Ginanjar", a village Ginanjar) is the
    // place when it shows.
    let places = places.join("\n");
    let in_places: std::collections::HashSet<usize> = AhoCorasick::new(&secrets)
        .unwrap()
        .find_overlapping_iter(&places)
        .map(|m| m.pattern().as_usize())
        .collect();
    let secrets: Vec<&String> = secrets
        .iter()
        .enumerate()
        .filter(|(i, _)| !in_places.contains(i))
        .map(|(_, s)| s)
        .collect();
    let matcher = AhoCorasick::new(&secrets).unwrap();

    let (_, openapi) = app.get_json("/api/v1/openapi.json").await;
    let mut paths = vec![
        "/api/v1/health".to_owned(),
        "/api/v1/openapi.json".to_owned(),
        "/".to_owned(),
    ];
    for code in CODES {
        paths.extend(documented_paths(code, &openapi));
        for page in [
            "/wilayah/{c}",
            "/embed/{c}",
            "/laporan/{c}",
            "/badge/{c}.svg",
            "/badge/{c}.svg?metric=active",
            "/card/{c}.png",
        ] {
            paths.push(page.replace("{c}", code));
        }
    }
    // Searches for what a curious visitor might type: a worker's name and NIK.
    let (nik, name, _, _) = &people[0];
    paths.push(format!("/api/v1/search?q={}", name.replace(' ', "%20")));
    paths.push(format!("/api/v1/search?q={nik}"));
    paths.sort();
    paths.dedup();

    let (mut answers, mut bytes, mut hits) = (0, 0, Vec::new());
    for path in &paths {
        let (status, body) = app.get(path).await;
        assert!(!status.is_server_error(), "{path}: {status}");
        let text = String::from_utf8_lossy(&body);
        if let Some(found) = matcher.find(text.as_ref()) {
            hits.push(format!("{path}: {:?}", &text[found.start()..found.end()]));
        }
        hits.extend(nik_shaped(&text).into_iter().map(|n| format!("{path}: NIK-shaped {n}")));
        answers += usize::from(status == StatusCode::OK);
        bytes += body.len();
    }
    eprintln!(
        "PII crawl: {} routes, {answers} answered 200, {bytes} bytes, {} people's data sought, {} hits",
        paths.len(),
        people.len(),
        hits.len()
    );
    assert!(hits.is_empty(), "personal data in public answers:\n{}", hits.join("\n"));
    assert!(answers > 80, "too few routes answered: {answers} of {}", paths.len());
    crate::helpers::record_hostile(
        "crawl",
        &format!(
            "{} public routes crawled for {} people's data, 0 PII hits",
            paths.len(),
            people.len()
        ),
    );
}
