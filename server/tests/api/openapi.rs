//! The served OpenAPI document is valid JSON, documents every public route, and matches the
//! committed docs/openapi.json (regenerate with `UPDATE_OPENAPI=1 cargo test -p pantau-server --test api openapi`).

use axum::http::StatusCode;

use crate::helpers::TestApp;

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json");

#[tokio::test]
async fn openapi_document_is_served_complete_and_committed() {
    let app = TestApp::fresh().await;
    let (status, served) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(served["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let paths = served["paths"].as_object().unwrap();
    for path in [
        "/api/v1/health",
        "/api/v1/areas/{code}",
        "/api/v1/areas/{code}/breakdowns",
        "/api/v1/areas/{code}/trend",
        "/api/v1/areas/{code}/children.csv",
        "/api/v1/areas/{code}/breakdowns.csv",
        "/api/v1/areas/{code}/trend.csv",
        "/api/v1/search",
        "/api/v1/areas/{code}/descendants",
        "/api/v1/areas/{code}/map",
    ] {
        assert!(paths.contains_key(path), "{path} documented");
        let example = path.replace("{code}", "32.16");
        let example = if example.ends_with("/search") {
            format!("{example}?q=bekasi")
        } else if example.ends_with("/descendants") {
            format!("{example}?level=village")
        } else {
            example
        };
        assert_eq!(app.get(&example).await.0, StatusCode::OK, "{example} answers");
    }
    let pretty = serde_json::to_string_pretty(&served).unwrap() + "\n";
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(COMMITTED, &pretty).unwrap();
    }
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    assert!(
        committed == pretty,
        "docs/openapi.json is not the served document: regenerate with UPDATE_OPENAPI=1 cargo test -p pantau-server --test api openapi"
    );
}

/// The router and the document come from the same registrations: every documented path
/// answers each documented method (never `route_not_found` or 405) and refuses every other
/// method with 405, so the router holds no method the document leaves out.
#[tokio::test]
async fn every_documented_route_is_served_with_exactly_its_documented_methods() {
    use axum::body::Body;
    use axum::http::{Method, Request};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let app = TestApp::fresh().await;
    let (_, served) = app.get_json("/api/v1/openapi.json").await;
    let paths = served["paths"].as_object().unwrap();
    assert!(paths.len() >= 33, "{} paths documented", paths.len());
    for (path, item) in paths {
        assert!(path.starts_with("/api/v1/"), "{path} under /api/v1");
        let example = path
            .replace("{code}", "32.16")
            .replace("{id}", "1")
            .replace("{year}", "2025");
        for method in [Method::GET, Method::POST, Method::PUT, Method::DELETE] {
            let documented = item.get(method.as_str().to_lowercase()).is_some();
            let request = Request::builder()
                .method(method.clone())
                .uri(&example)
                .body(Body::empty())
                .unwrap();
            let response = app.router.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            let code = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["error"]["code"].as_str().map(str::to_owned));
            if documented {
                assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {example}");
                assert_ne!(code.as_deref(), Some("route_not_found"), "{method} {example}");
            } else {
                assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {example}");
                assert_eq!(code.as_deref(), Some("method_not_allowed"), "{method} {example}");
            }
        }
    }
}
