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
    for path in ["/", "/wilayah/32.16", "/wilayah/32.16.01.2001", "/tentang-data"] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            String::from_utf8_lossy(&body).contains("<title>Pantau</title>"),
            "{path}: index.html"
        );
    }
}
