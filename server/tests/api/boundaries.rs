//! Village boundaries imported for a regency whose villages the shipped data has only as
//! points: checked all or nothing, then drawn as polygons on their district's map.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use pantau_core::map::{GeometryKind, Topology};
use pantau_core::RegionCode;
use pantau_server::boundaries::{import, BoundaryError, ImportError};
use pantau_server::store::Actor;
use tower::ServiceExt;

use crate::helpers::TestApp;

/// The map of `path` with its ETag and Cache-Control.
pub async fn map(app: &TestApp, path: &str) -> (Topology, String, String) {
    let response = app
        .router
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let header = |name| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (etag, cache) = (header(header::ETAG), header(header::CACHE_CONTROL));
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (serde_json::from_slice(&bytes).unwrap(), etag, cache)
}

pub fn square_around(code: &str, [x, y]: [f64; 2]) -> String {
    let d = 0.003;
    format!(
        r#"{{"type":"Feature","properties":{{"code":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{},{}],[{},{}],[{},{}],[{},{}],[{},{}]]]}}}}"#,
        x - d,
        y - d,
        x + d,
        y - d,
        x + d,
        y + d,
        x - d,
        y + d,
        x - d,
        y - d
    )
}

pub fn collection(features: &[String]) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
}

#[tokio::test]
async fn imported_boundaries_replace_points_and_a_bad_file_stores_nothing() {
    let app = TestApp::fresh().await;
    let regency = RegionCode::parse("11.01").unwrap();
    let path = "/api/v1/areas/11.01.01/map";
    let (before, etag_before, _) = map(&app, path).await;
    let points: Vec<(String, [f64; 2])> = before
        .features()
        .into_iter()
        .map(|f| {
            assert!(f.is_point(), "{}: no shipped boundary, a point", f.code);
            (f.code, f.label)
        })
        .collect();
    assert!(points.len() >= 2);

    // One good village and one of another regency: refused whole.
    let bad = collection(&[
        square_around(&points[0].0, points[0].1),
        square_around("32.16.01.2001", [107.0, -6.1]),
    ]);
    match import(app.store.as_ref(), &regency, bad.clone(), &Actor::command_line()).await {
        Err(ImportError::Invalid(errors)) => assert!(
            matches!(errors.as_slice(), [BoundaryError::OutsideRegency { feature: 2, .. }]),
            "{errors:?}"
        ),
        other => panic!("a village of another regency must be refused: {other:?}"),
    }
    let (unchanged, etag_unchanged, _) = map(&app, path).await;
    assert_eq!(unchanged, before, "nothing stored");
    assert_eq!(etag_unchanged, etag_before);

    let good = collection(&[
        square_around(&points[0].0, points[0].1),
        square_around(&points[1].0, points[1].1),
    ]);
    assert_eq!(
        import(app.store.as_ref(), &regency, good.clone(), &Actor::command_line())
            .await
            .unwrap(),
        2
    );
    let (after, etag_after, cache) = map(&app, &format!("{path}?v={}", pantau_server::maps::version())).await;
    assert_ne!(etag_after, etag_before, "a new boundary is a new answer");
    assert!(!cache.contains("immutable"), "imported boundaries can change: {cache}");
    let kinds: Vec<(String, GeometryKind)> = after
        .objects
        .values()
        .flat_map(|c| c.geometries.iter().map(|g| (g.id.clone(), g.kind)))
        .collect();
    assert_eq!(kinds.len(), points.len(), "every village still on the map");
    for (code, kind) in kinds {
        let imported = code == points[0].0 || code == points[1].0;
        let expected = if imported {
            GeometryKind::MultiPolygon
        } else {
            GeometryKind::Point
        };
        assert_eq!(kind, expected, "{code}");
    }
    let drawn = after.features();
    let first = drawn.iter().find(|f| f.code == points[0].0).unwrap();
    assert_eq!(first.rings[0].len(), 5, "the imported ring as sent");
    // A village's map is its district's: it shows the import too.
    let village = format!("/api/v1/areas/{}/map", points[1].0);
    assert_eq!(map(&app, &village).await.0, after);
    // Importing again replaces, it does not add.
    assert_eq!(
        import(app.store.as_ref(), &regency, good.clone(), &Actor::command_line())
            .await
            .unwrap(),
        2
    );
    assert_eq!(map(&app, path).await.0.features().len(), points.len());
}

#[tokio::test]
async fn an_unknown_regency_or_a_district_code_is_refused() {
    let app = TestApp::fresh().await;
    let file = collection(&[square_around("11.99.01.2001", [97.0, 3.0])]);
    let unknown = RegionCode::parse("11.99").unwrap();
    assert!(matches!(
        import(app.store.as_ref(), &unknown, file.clone(), &Actor::command_line()).await,
        Err(ImportError::Store(pantau_server::store::StoreError::NotFound))
    ));
    let district = RegionCode::parse("11.01.01").unwrap();
    assert!(matches!(
        import(app.store.as_ref(), &district, file.clone(), &Actor::command_line()).await,
        Err(ImportError::Invalid(errors)) if errors == [BoundaryError::NotARegency]
    ));
}
