//! Map boundaries and `GET /api/v1/areas/{code}/map`: the shipped geometry keeps its
//! topology (checked by [`crate::geometry`]), and the endpoint serves it.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use geo::{MultiPolygon, Polygon};
use http_body_util::BodyExt;
use pantau_core::api::AreaView;
use pantau_core::map::{MapFeature, Topology};
use pantau_core::{ErrorCode, Level, RegionCode};
use pantau_server::maps;
use tower::ServiceExt;

use crate::geometry::{assert_layers_keep_topology, closest, polygon, problems, shape_contacts, Shape, GAP_TOLERANCE};
use crate::helpers::TestApp;

#[test]
fn the_checks_see_gaps_overlaps_and_invalid_rings() {
    let square = |x: f64, y: f64, size: f64| {
        polygon(vec![vec![
            [x, y],
            [x, y + size],
            [x + size, y + size],
            [x + size, y],
            [x, y],
        ]])
    };
    let shape = |code: &str, polygons: Vec<Polygon>| Shape::new(code.to_owned(), MultiPolygon(polygons));
    let west = shape("a", vec![square(0.0, 0.0, 0.01)]);
    let touching = shape("b", vec![square(0.01, 0.0, 0.01)]);
    let apart = shape("c", vec![square(0.0111, 0.0, 0.01)]);
    let near = shape_contacts(&[&west, &touching, &apart], GAP_TOLERANCE);
    assert_eq!(near[&(0, 1)].distance, 0.0, "shared edge");
    assert!(
        (near[&(0, 1)].border - 0.01).abs() < 1e-12,
        "border along the shared edge"
    );
    assert!(!near.contains_key(&(0, 2)), "a gap of 0.0011° is not a contact");
    assert!((closest(&west.polygons, &apart.polygons).0 - 0.0011).abs() < 1e-12);

    assert!(problems(&west.polygons).is_empty(), "a square is valid");
    let bow_tie = MultiPolygon(vec![polygon(vec![vec![
        [0.0, 0.0],
        [0.01, 0.01],
        [0.01, 0.0],
        [0.0, 0.01],
        [0.0, 0.0],
    ]])]);
    assert!(problems(&bow_tie).contains_key("ring crossing itself"));
    let spike = MultiPolygon(vec![polygon(vec![vec![
        [0.0, 0.0],
        [0.0, 0.01],
        [0.01, 0.01],
        [0.02, 0.02],
        [0.01, 0.01],
        [0.01, 0.0],
        [0.0, 0.0],
    ]])]);
    assert!(problems(&spike).contains_key("ring running back over itself (zero-width spike)"));
    let overlapping = MultiPolygon(vec![square(0.0, 0.0, 0.01), square(0.005, 0.005, 0.01)]);
    assert!(problems(&overlapping).contains_key("overlapping parts"));
    let islands = MultiPolygon(vec![square(0.0, 0.0, 0.01), square(0.02, 0.0, 0.01)]);
    assert!(problems(&islands).is_empty(), "separate islands are valid");
}

#[test]
fn simplified_provinces_keep_topology() {
    assert_layers_keep_topology(&["provinces"]);
}

#[test]
fn simplified_regencies_keep_topology() {
    assert_layers_keep_topology(&["regencies-national", "regencies"]);
}

#[test]
fn simplified_districts_keep_topology() {
    assert_layers_keep_topology(&["districts-national", "districts"]);
}

#[test]
fn simplified_villages_keep_topology() {
    assert_layers_keep_topology(&["villages"]);
}

// ---------------------------------------------------------------------------------------------
// The endpoint
// ---------------------------------------------------------------------------------------------

/// GET with headers: status, headers and body.
async fn fetch(app: &TestApp, uri: &str, headers: &[(header::HeaderName, &str)]) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let res = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (
        status,
        headers,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
    )
}

async fn topology(app: &TestApp, uri: &str) -> Topology {
    let (status, headers, body) = fetch(app, uri, &[]).await;
    assert_eq!(status, StatusCode::OK, "{uri}");
    assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{uri}");
    serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{uri}: not a topology ({e})"))
}

fn codes(features: &[MapFeature]) -> Vec<String> {
    let mut codes: Vec<String> = features.iter().map(|f| f.code.clone()).collect();
    codes.sort();
    codes
}

async fn children(app: &TestApp, code: &str) -> Vec<String> {
    let area: AreaView = app.area(code).await;
    let mut codes: Vec<String> = area.children.iter().map(|c| c.code.as_str().to_owned()).collect();
    codes.sort();
    codes
}

#[tokio::test]
async fn nation_map_shows_provinces_regencies_or_districts() {
    let app = TestApp::fresh().await;
    let cases = [
        ("/api/v1/areas/ID/map", 38, Level::Province, "provinces by default"),
        ("/api/v1/areas/ID/map?level=province", 38, Level::Province, "provinces"),
        ("/api/v1/areas/ID/map?level=regency", 514, Level::Regency, "regencies"),
        (
            "/api/v1/areas/ID/map?level=district&part=1",
            4_112,
            Level::District,
            "districts of Sumatra and Java",
        ),
        (
            "/api/v1/areas/ID/map?level=district&part=2",
            3_173,
            Level::District,
            "districts east of Java",
        ),
    ];
    // The two parts together are the whole national district layer, each district once.
    let mut whole = topology(&app, "/api/v1/areas/ID/map?level=district&part=1").await;
    whole.absorb(topology(&app, "/api/v1/areas/ID/map?level=district&part=2").await);
    let all = codes(&whole.features());
    assert_eq!(all.len(), 7_285, "every district in one of the parts");
    assert_eq!(
        topology(&app, "/api/v1/areas/ID/map?level=district").await,
        topology(&app, "/api/v1/areas/ID/map?level=district&part=1").await,
        "part 1 by default"
    );
    for (uri, count, level, what) in cases {
        let features = topology(&app, uri).await.features();
        let codes = codes(&features);
        assert_eq!(features.len(), count, "{what}: areas");
        assert!(codes.windows(2).all(|w| w[0] != w[1]), "{what}: each area once");
        assert!(
            codes
                .iter()
                .all(|c| RegionCode::parse(c).is_ok_and(|c| c.level() == level)),
            "{what}: codes of the level"
        );
        assert!(features.iter().all(|f| !f.is_point()), "{what}: all have boundaries");
    }
    let provinces = codes(&topology(&app, "/api/v1/areas/ID/map").await.features());
    assert_eq!(provinces, children(&app, "ID").await, "the nation's children");
}

#[tokio::test]
async fn region_map_shows_the_areas_children_and_a_village_its_neighbours() {
    let app = TestApp::fresh().await;
    // code, children: Jawa Barat's regencies, Kab. Bekasi's districts, Tarumajaya's villages.
    for (code, count) in [("32", 27), ("32.16", 23), ("32.16.01", 8)] {
        let features = topology(&app, &format!("/api/v1/areas/{code}/map")).await.features();
        assert_eq!(features.len(), count, "{code}: areas");
        assert_eq!(codes(&features), children(&app, code).await, "{code}: its children");
        assert!(features.iter().all(|f| !f.is_point()), "{code}: all have boundaries");
    }
    let district = topology(&app, "/api/v1/areas/32.16.01/map").await;
    let village = &children(&app, "32.16.01").await[0];
    let around = topology(&app, &format!("/api/v1/areas/{village}/map")).await;
    assert_eq!(around, district, "a village shows its district's villages");
}

#[tokio::test]
async fn villages_without_boundaries_are_points_at_their_location() {
    let app = TestApp::fresh().await;
    let path = format!("{}/../data/centroids.csv", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let located: HashMap<&str, [f64; 2]> = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split(',');
            let (code, lat, lng) = (fields.next()?, fields.next()?, fields.next()?);
            Some((code, [lng.parse().ok()?, lat.parse().ok()?]))
        })
        .collect();
    // Bakongan (Aceh Selatan): 7 villages, all located; Kejuruan Muda (Aceh Tamiang): 16
    // villages, Alur Mentawak without a location.
    for (district, located_children) in [("11.01.01", 7), ("11.16.06", 15)] {
        let features = topology(&app, &format!("/api/v1/areas/{district}/map"))
            .await
            .features();
        assert!(features.iter().all(MapFeature::is_point), "{district}: points only");
        let expected: BTreeMap<String, [f64; 2]> = children(&app, district)
            .await
            .into_iter()
            .filter_map(|c| Some((c.clone(), *located.get(c.as_str())?)))
            .collect();
        assert_eq!(expected.len(), located_children, "{district}: located villages");
        let got: BTreeMap<String, [f64; 2]> = features.into_iter().map(|f| (f.code, f.label)).collect();
        assert_eq!(got, expected, "{district}: each located village at its location");
    }
    let district = topology(&app, "/api/v1/areas/11.01.01/map").await;
    let village = topology(&app, "/api/v1/areas/11.01.01.2001/map").await;
    assert_eq!(village, district, "a village shows its district's villages");
}

#[tokio::test]
async fn bad_map_requests_get_the_error_envelope() {
    let app = TestApp::fresh().await;
    let cases = [
        (
            "/api/v1/areas/ID/map?level=village",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidMapLevel,
            "level",
            "no national village map",
        ),
        (
            "/api/v1/areas/32/map?level=district",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidMapLevel,
            "level",
            "a province shows its regencies only",
        ),
        (
            "/api/v1/areas/ID/map?level=kota",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidMapLevel,
            "level",
            "unknown level",
        ),
        (
            "/api/v1/areas/ID/map?level=district&part=3",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidMapPart,
            "part",
            "the national district layer has two parts",
        ),
        (
            "/api/v1/areas/32/map?part=1",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidMapPart,
            "part",
            "only the national district layer has parts",
        ),
        (
            "/api/v1/areas/ID/map?detail=7",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidMapDetail,
            "detail",
            "detail is 0 or 1",
        ),
        (
            "/api/v1/areas/99/map",
            StatusCode::NOT_FOUND,
            ErrorCode::AreaNotFound,
            "code",
            "no province 99",
        ),
        (
            "/api/v1/areas/3x/map",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidRegionCode,
            "code",
            "malformed code",
        ),
    ];
    for (uri, status, error, field, why) in cases {
        let (got, body) = app.get_json(uri).await;
        assert_eq!(got, status, "{why}");
        assert_eq!(body["error"]["code"], serde_json::to_value(error).unwrap(), "{why}");
        assert_eq!(body["error"]["field"], field, "{why}");
        assert!(
            body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{why}: a message"
        );
    }
}

#[tokio::test]
async fn maps_are_cached_by_version() {
    let app = TestApp::fresh().await;
    let uri = "/api/v1/areas/32/map";
    let (status, headers, _) = fetch(&app, uri, &[]).await;
    assert_eq!(status, StatusCode::OK);
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.contains(maps::version()), "ETag {etag} names the map data version");
    let cache = headers[header::CACHE_CONTROL].to_str().unwrap();
    assert!(!cache.contains("immutable"), "without ?v=: {cache}");
    assert!(headers[header::VARY].to_str().unwrap().contains("accept-encoding"));

    for (tag, fresh) in [
        (etag.clone(), true),
        (format!("\"other\", W/{etag}"), true),
        ("\"g0000000000000000\"".to_owned(), false),
    ] {
        let (status, headers, body) = fetch(&app, uri, &[(header::IF_NONE_MATCH, &tag)]).await;
        if fresh {
            assert_eq!(status, StatusCode::NOT_MODIFIED, "If-None-Match: {tag}");
            assert!(body.is_empty(), "no body with 304");
            assert_eq!(headers[header::ETAG], etag.as_str(), "304 repeats the ETag");
        } else {
            assert_eq!(status, StatusCode::OK, "If-None-Match: {tag}");
        }
    }

    for (v, immutable) in [(maps::version(), true), ("0000000000000000", false)] {
        let (status, headers, _) = fetch(&app, &format!("{uri}?v={v}"), &[]).await;
        assert_eq!(status, StatusCode::OK);
        let cache = headers[header::CACHE_CONTROL].to_str().unwrap();
        assert_eq!(cache.contains("immutable"), immutable, "?v={v}: {cache}");
        assert_eq!(cache.contains("max-age=31536000"), immutable, "?v={v}: {cache}");
    }
}

#[tokio::test]
async fn maps_go_out_brotli_compressed_when_accepted() {
    let app = TestApp::fresh().await;
    let uri = "/api/v1/areas/32.16/map";
    let (_, plain_headers, plain) = fetch(&app, uri, &[]).await;
    assert!(
        plain_headers.get(header::CONTENT_ENCODING).is_none(),
        "identity unless asked"
    );
    let (status, headers, body) = fetch(&app, uri, &[(header::ACCEPT_ENCODING, "gzip, deflate, br")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    let mut json = Vec::new();
    brotli::Decompressor::new(body.as_slice(), 4096)
        .read_to_end(&mut json)
        .unwrap();
    assert!(body.len() < json.len(), "compressed");
    let decompressed: Topology = serde_json::from_slice(&json).unwrap();
    let identity: Topology = serde_json::from_slice(&plain).unwrap();
    assert_eq!(decompressed, identity);
}

#[tokio::test]
async fn finer_detail_has_more_points_for_the_same_areas() {
    let app = TestApp::fresh().await;
    let points = |t: &Topology| t.arcs.iter().map(Vec::len).sum::<usize>();
    let coarse = topology(&app, "/api/v1/areas/ID/map").await;
    let fine = topology(&app, "/api/v1/areas/ID/map?detail=1").await;
    assert!(
        points(&fine) > points(&coarse),
        "{} points at detail 1, {} at 0",
        points(&fine),
        points(&coarse)
    );
    assert_eq!(codes(&fine.features()), codes(&coarse.features()));
    assert_eq!(fine.features().len(), 38);
    // Districts have one detail level: detail 1 falls back to it.
    let bekasi = topology(&app, "/api/v1/areas/32.16/map").await;
    assert_eq!(topology(&app, "/api/v1/areas/32.16/map?detail=1").await, bekasi);
}
