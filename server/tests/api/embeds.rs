//! Badge, embed widget, printable report, HTTP caching and framing rules.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use pantau_core::account::Role;

use crate::commitments::perbup;
use crate::helpers::{enrol, enrolment, now, TestApp};
use crate::kerja::official;

async fn get_with(app: &TestApp, path: &str, if_none_match: Option<&str>) -> axum::response::Response {
    let mut req = Request::get(path);
    if let Some(tag) = if_none_match {
        req = req.header(header::IF_NONE_MATCH, tag);
    }
    app.router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

async fn body_text(res: axum::response::Response) -> String {
    String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

#[tokio::test]
async fn badges_are_valid_accessible_svg() {
    let app = TestApp::demo().await;
    let area = app.area("61.11").await;
    let cases = [
        ("/badge/61.11.svg", "1 Desa 100"),
        ("/badge/61.11.svg?metric=active", "Pekerja rentan terlindungi"),
        ("/badge/61.11.svg?lang=en&style=flat-square", "1 Village 100"),
        ("/badge/ID.svg?label=Cakupan", "Cakupan"),
    ];
    for (path, label) in cases {
        let res = get_with(&app, path, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.headers()[header::CONTENT_TYPE], "image/svg+xml; charset=utf-8");
        let svg = body_text(res).await;
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{path}: not XML: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"), "{path}");
        let name = root.attribute("aria-label").unwrap();
        assert!(name.contains(label), "{path}: {name}");
        let title = root
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|t| t.text())
            .unwrap();
        assert_eq!(title, name, "{path}: title = accessible name");
    }
    let svg = body_text(get_with(&app, "/badge/61.11.svg?metric=active", None).await).await;
    let shown = area.figures.active.to_string();
    let grouped = if shown.len() > 3 {
        format!("{}.{}", &shown[..shown.len() - 3], &shown[shown.len() - 3..])
    } else {
        shown
    };
    assert!(svg.contains(&grouped), "the badge shows the API's {grouped}");
}

#[tokio::test]
async fn unknown_areas_get_a_grey_badge_with_404() {
    let app = TestApp::fresh().await;
    for (path, status) in [
        ("/badge/99.99.svg", StatusCode::NOT_FOUND),
        ("/badge/32.1x.svg", StatusCode::BAD_REQUEST),
        ("/badge/32.16.png", StatusCode::NOT_FOUND),
    ] {
        let res = get_with(&app, path, None).await;
        assert_eq!(res.status(), status, "{path}");
        let svg = body_text(res).await;
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert!(
            doc.root_element()
                .attribute("aria-label")
                .unwrap()
                .contains("wilayah tidak dikenal"),
            "{path}"
        );
        assert!(svg.contains("#5f6b7a"), "{path}: grey");
    }
}

#[tokio::test]
async fn the_widget_is_light_frameable_and_shows_the_apis_numbers() {
    let app = TestApp::demo().await;
    let area = app.area("61.11").await;
    let res = get_with(&app, "/embed/61.11?theme=dark&lang=en", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers().get(header::X_FRAME_OPTIONS).is_none(),
        "the widget may be framed"
    );
    let html = body_text(res).await;
    assert!(html.len() < 30 * 1024, "widget is {} bytes", html.len());
    assert!(!html.contains(".wasm"), "no WebAssembly");
    assert!(html.contains("class=\"dark\""));
    assert!(html.contains("pantau:height"), "reports its height to the parent");
    let active = format!("{}", area.figures.active);
    let en = if active.len() > 3 {
        format!("{},{}", &active[..active.len() - 3], &active[active.len() - 3..])
    } else {
        active
    };
    assert!(
        html.contains(&format!("data-testid=\"embed-active\">{en}<")),
        "active = API ({en})"
    );
    // Everything else refuses to be framed, the app's page at an /embed/ address too.
    for path in [
        "/",
        "/wilayah/61.11",
        "/api/v1/areas/61.11",
        "/laporan/61.11",
        "/badge/61.11.svg",
        "/embed/a/b",
        "/kerja/",
    ] {
        let res = get_with(&app, path, None).await;
        assert_eq!(res.headers()[header::X_FRAME_OPTIONS], "DENY", "{path}");
        assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert!(res.headers().contains_key(header::REFERRER_POLICY), "{path}");
    }
}

#[tokio::test]
async fn the_widget_runs_only_its_own_script() {
    let app = TestApp::demo().await;
    let res = get_with(&app, "/embed/61.11", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let policy = res.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("frame-ancestors *"), "{policy}");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    let html = body_text(res).await;
    // The one inline script is the one the policy names by hash.
    let start = html.find("<script>").unwrap() + "<script>".len();
    let script = &html[start..start + html[start..].find("</script>").unwrap()];
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
    assert!(policy.contains(&format!("script-src 'sha256-{hash}'")), "{policy}");
}

#[tokio::test]
async fn the_report_has_the_figures_tables_and_source() {
    let app = TestApp::demo().await;
    let res = get_with(&app, "/laporan/61.11", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = body_text(res).await;
    for expected in [
        "Kabupaten Kayong Utara",
        "Wilayah di bawahnya (6)",
        "Sumber pembiayaan iuran",
        "Dana Desa",
        "Regulasi daerah",
        "Data per",
        "Kepmendagri",
    ] {
        assert!(html.contains(expected), "report has {expected}");
    }
    // The demo data records no regulation: the report says so, in its language.
    assert!(html.contains("data-testid=\"report-no-regulations\""));
    assert!(html.contains("Belum ada regulasi daerah"));
    let en = body_text(get_with(&app, "/laporan/61.11?lang=en", None).await).await;
    assert!(en.contains("<html lang=\"en\">"));
    for expected in [
        "Local regulations",
        "No local regulation",
        "Areas within (6)",
        "Data as of",
    ] {
        assert!(en.contains(expected), "English report has {expected}");
    }
    assert_eq!(
        get_with(&app, "/laporan/99.99", None).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_report_lists_the_regulations_in_force_that_an_admin_records() {
    let app = TestApp::fresh().await;
    let admin = official(&app, "admin.bekasi", Role::RegencyAdmin, "32.16").await;
    admin
        .post(&app, "/api/v1/areas/32.16/regulations", &perbup())
        .await
        .expect(StatusCode::CREATED, "");
    // The regency's regulation applies to its villages, as on the area page.
    for (path, heading) in [
        ("/laporan/32.16.01.2001", "Regulasi daerah"),
        ("/laporan/32.16?lang=en", "Local regulations"),
    ] {
        let res = get_with(&app, path, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let html = body_text(res).await;
        for expected in [
            heading,
            "data-testid=\"report-regulations\"",
            "Perbup/Perwal 74 Tahun 2022",
            "Kabupaten Bekasi",
            "2022-08-01",
            "Alokasi iuran BPJS Ketenagakerjaan dalam APBDes",
            "Setiap desa menganggarkan iuran pekerja rentan.",
            "https://jdih.example.go.id/perbup-74-2022",
        ] {
            assert!(html.contains(expected), "{path} has {expected}");
        }
        assert!(!html.contains("report-no-regulations"), "{path}");
    }
    // Another regency's report still has none.
    let elsewhere = body_text(get_with(&app, "/laporan/32.10", None).await).await;
    assert!(elsewhere.contains("Belum ada regulasi daerah"));
    assert!(!elsewhere.contains("74 Tahun 2022"));
}

#[tokio::test]
async fn public_gets_revalidate_with_etags_that_change_with_the_data() {
    let app = TestApp::fresh().await;
    let first = get_with(&app, "/api/v1/areas/32.16", None).await;
    let tag = first.headers()[header::ETAG].to_str().unwrap().to_owned();
    assert!(first.headers()[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("stale-while-revalidate"));
    let again = get_with(&app, "/api/v1/areas/32.16", Some(&tag)).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(body_text(again).await.is_empty());
    enrol(&app, &enrolment("32.16.01.2001", 1, now())).await;
    let changed = get_with(&app, "/api/v1/areas/32.16", Some(&tag)).await;
    assert_eq!(changed.status(), StatusCode::OK, "a write makes the old ETag stale");
    assert_ne!(changed.headers()[header::ETAG].to_str().unwrap(), tag);
    // Errors are not cached.
    assert!(get_with(&app, "/api/v1/areas/99", None)
        .await
        .headers()
        .get(header::ETAG)
        .is_none());
}

#[tokio::test]
async fn full_public_answers_are_kept_until_a_write_and_errors_never_are() {
    let app = TestApp::fresh().await;
    let village = "/api/v1/areas/32.16.01.2001";
    let read = |accept: Option<&'static str>| {
        let mut req = Request::get(village);
        if let Some(encodings) = accept {
            req = req.header(header::ACCEPT_ENCODING, encodings);
        }
        app.router.clone().oneshot(req.body(Body::empty()).unwrap())
    };
    let enrolled = |body: &[u8]| {
        serde_json::from_slice::<pantau_core::api::AreaView>(body)
            .unwrap()
            .figures
            .enrolled
    };

    let first = read(None).await.unwrap();
    let tag = first.headers()[header::ETAG].clone();
    let first = first.into_body().collect().await.unwrap().to_bytes();
    let kept = read(None).await.unwrap();
    assert_eq!(kept.headers()[header::ETAG], tag);
    assert_eq!(
        kept.into_body().collect().await.unwrap().to_bytes(),
        first,
        "the same bytes again"
    );

    // A phone that takes brotli gets the same answer compressed.
    let compressed = read(Some("gzip, deflate, br")).await.unwrap();
    assert_eq!(compressed.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(compressed.headers()[header::VARY], "accept-encoding");
    let compressed = compressed.into_body().collect().await.unwrap().to_bytes();
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &compressed[..], &mut decoded).unwrap();
    assert_eq!(decoded, first);
    assert_eq!(enrolled(&first), 0);

    // A write: the next answer counts it, plain and compressed.
    enrol(&app, &enrolment("32.16.01.2001", 1, now())).await;
    let after = read(None).await.unwrap();
    assert_ne!(after.headers()[header::ETAG], tag);
    assert_eq!(enrolled(&after.into_body().collect().await.unwrap().to_bytes()), 1);
    let compressed = read(Some("br"))
        .await
        .unwrap()
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes();
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &compressed[..], &mut decoded).unwrap();
    assert_eq!(enrolled(&decoded), 1);

    // An error is answered afresh each time, never kept or tagged.
    for _ in 0..2 {
        let missing = get_with(&app, "/api/v1/areas/32.16.01.2999", None).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert!(missing.headers().get(header::ETAG).is_none());
    }
}
