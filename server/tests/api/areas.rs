use axum::http::StatusCode;
use pantau_core::api::AreaView;
use pantau_core::{ErrorCode, Level};

use crate::helpers::TestApp;

#[tokio::test]
async fn area_endpoint_answers_at_every_level() {
    let app = TestApp::fresh().await;
    let cases: [(&str, Level, &str, usize, usize, u64); 5] = [
        // code, level, name, breadcrumbs, children, villages
        ("ID", Level::Nation, "Indonesia", 0, 38, 83_762),
        ("32", Level::Province, "Jawa Barat", 1, 27, 5_957),
        ("32.16", Level::Regency, "Kabupaten Bekasi", 2, 23, 187),
        ("32.16.01", Level::District, "Tarumajaya", 3, 8, 8),
        ("32.16.01.2001", Level::Village, "Sagara Makmur", 4, 0, 1),
    ];
    for (code, level, name, crumbs, children, villages) in cases {
        let area: AreaView = app.area(code).await;
        assert_eq!(area.level, level, "{code}: level");
        assert_eq!(area.name, name, "{code}: name");
        assert_eq!(area.breadcrumbs.len(), crumbs, "{code}: breadcrumbs up to the nation");
        assert_eq!(area.children.len(), children, "{code}: children");
        assert_eq!(area.figures.villages, villages, "{code}: villages");
        assert_eq!(
            area.figures.target,
            villages * 100,
            "{code}: default target of 100 per village"
        );
        assert_eq!(area.figures.enrolled, 0, "{code}: nothing enrolled yet");
        assert!(
            area.children.iter().all(|c| Some(c.level) == level.child()),
            "{code}: children one level down"
        );
        assert!(!area.demo, "{code}: not demo data");
    }
    let village = app.area("32.16.01.2001").await;
    let names: Vec<&str> = village.breadcrumbs.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Indonesia", "Jawa Barat", "Kabupaten Bekasi", "Tarumajaya"]);
}

#[tokio::test]
async fn bad_codes_get_400_and_unknown_codes_404() {
    let app = TestApp::fresh().await;
    let cases = [
        (
            "32.1",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidRegionCode,
            "regency part of one digit",
        ),
        (
            "32.16.01.201",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidRegionCode,
            "village part of three digits",
        ),
        ("abc", StatusCode::BAD_REQUEST, ErrorCode::InvalidRegionCode, "letters"),
        (
            "32.16.01.2001.1",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidRegionCode,
            "five parts",
        ),
        ("3216", StatusCode::BAD_REQUEST, ErrorCode::InvalidRegionCode, "no dots"),
        ("99", StatusCode::NOT_FOUND, ErrorCode::AreaNotFound, "no province 99"),
        (
            "32.98",
            StatusCode::NOT_FOUND,
            ErrorCode::AreaNotFound,
            "no regency 32.98",
        ),
        (
            "32.16.01.2999",
            StatusCode::NOT_FOUND,
            ErrorCode::AreaNotFound,
            "no such village",
        ),
    ];
    for (code, status, error, why) in cases {
        let (got, body) = app.get_json(&format!("/api/v1/areas/{code}")).await;
        assert_eq!(got, status, "{why}");
        assert_eq!(body["error"]["code"], serde_json::to_value(error).unwrap(), "{why}");
        assert_eq!(body["error"]["field"], "code", "{why}");
        assert!(
            body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{why}: a message"
        );
    }
}

#[tokio::test]
async fn health_says_ok_with_the_region_version() {
    let app = TestApp::fresh().await;
    let (status, body) = app.get_json("/api/v1/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert!(body["regions_version"]
        .as_str()
        .is_some_and(|v| v.starts_with("kepmendagri")));
}

#[tokio::test]
async fn descendants_list_every_area_of_a_level_with_the_same_figures_as_children() {
    let app = TestApp::demo().await;
    let cases = [
        ("ID", "province", 38),
        ("ID", "regency", 514),
        ("ID", "district", 7_285),
        ("32", "district", 627),
        ("32.16", "village", 187),
    ];
    for (code, level, count) in cases {
        let (status, body) = app
            .get_json(&format!("/api/v1/areas/{code}/descendants?level={level}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{code} {level}");
        let list: Vec<pantau_core::api::AreaChild> = serde_json::from_value(body).unwrap();
        assert_eq!(list.len(), count, "{code}: every {level}");
        assert!(
            list.windows(2).all(|w| w[0].code < w[1].code),
            "{code} {level}: by code"
        );
    }
    // A regency's districts, listed from the nation, carry the figures the regency's page lists.
    let (_, body) = app.get_json("/api/v1/areas/ID/descendants?level=district").await;
    let all: Vec<pantau_core::api::AreaChild> = serde_json::from_value(body).unwrap();
    let bekasi = app.area("32.16").await;
    assert!(bekasi.figures.enrolled > 0, "demo data in Bekasi");
    for child in &bekasi.children {
        let listed = all.iter().find(|d| d.code == child.code).unwrap();
        assert_eq!(listed, child, "{}: same figures both ways", child.code);
    }
    let total: u64 = all.iter().map(|d| d.figures.active).sum();
    assert_eq!(
        total,
        app.area("ID").await.figures.active,
        "districts add up to the nation"
    );

    for (path, status, code) in [
        (
            "/api/v1/areas/ID/descendants?level=village",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidDescendantLevel,
        ),
        (
            "/api/v1/areas/32.16/descendants?level=province",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidDescendantLevel,
        ),
        (
            "/api/v1/areas/32.16/descendants?level=regency",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidDescendantLevel,
        ),
        (
            "/api/v1/areas/32.16/descendants?level=desa",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidDescendantLevel,
        ),
        (
            "/api/v1/areas/32.16/descendants",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidDescendantLevel,
        ),
        (
            "/api/v1/areas/32.99/descendants?level=district",
            StatusCode::NOT_FOUND,
            ErrorCode::AreaNotFound,
        ),
        (
            "/api/v1/areas/3x/descendants?level=district",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidRegionCode,
        ),
    ] {
        let (got, body) = app.get_json(path).await;
        assert_eq!(got, status, "{path}");
        let envelope: pantau_core::ErrorEnvelope = serde_json::from_value(body).unwrap();
        assert_eq!(envelope.error.code, code, "{path}");
    }
}
