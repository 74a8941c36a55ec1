use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let app = TestApp::fresh().await;
    for path in ["/api/v1/nope", "/api/v1/areas", "/api/v1/areas/32/extra"] {
        let (status, body) = app.get_json(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["error"]["code"], "route_not_found", "{path}");
    }
}

#[tokio::test]
async fn deep_links_get_the_app_shell() {
    let app = TestApp::fresh().await;
    for path in ["/tentang-data", "/wilayah/99.99", "/wilayah/not-a-code"] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("<title>Pantau</title>"), "{path}: index.html");
        assert!(!html.contains("pantau-area"), "{path}: no area to inline");
    }
}

#[tokio::test]
async fn area_links_carry_the_areas_title_preview_and_data() {
    let app = TestApp::demo().await;
    for (path, code) in [
        ("/", "ID"),
        ("/wilayah/32.16", "32.16"),
        ("/wilayah/32.16.01.2001", "32.16.01.2001"),
    ] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let html = String::from_utf8_lossy(&body).into_owned();
        let area = app.area(code).await;
        let title = format!("{} — Pantau", area.name);
        assert!(html.contains(&format!("<title>{title}</title>")), "{path}: {html}");
        assert_eq!(html.matches("<title>").count(), 1, "{path}: one title");
        assert!(
            html.contains(&format!("<meta property=\"og:title\" content=\"{title}\">")),
            "{path}"
        );
        assert_eq!(
            html.matches("name=\"description\"").count(),
            1,
            "{path}: one description"
        );
        assert!(
            html.contains("pekerja rentan terlindungi"),
            "{path}: the figure in the description"
        );
        // The inlined data is the API's answer, to the byte once parsed.
        let start = html.find("id=\"pantau-area\">").expect("inlined data") + "id=\"pantau-area\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        let inlined: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
        let (_, api) = app.get_json(&format!("/api/v1/areas/{code}")).await;
        assert_eq!(inlined, api, "{path}");
    }
}
