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
        assert!(
            html.contains("<title>Pantau — Perlindungan Pekerja Rentan</title>"),
            "{path}: index.html"
        );
        assert!(!html.contains("pantau-area"), "{path}: no area to inline");
        assert!(!html.contains("pantau-first-paint"), "{path}: no area to paint");
    }
}

#[tokio::test]
async fn a_missing_build_file_is_a_404_not_the_page() {
    let app = TestApp::fresh().await;
    for path in [
        "/pkg/0123456789abcdef/pantau_bg.wasm",
        "/kerja/pkg/0123456789abcdef/chunk_1.wasm",
    ] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!String::from_utf8_lossy(&body).contains("<html"), "{path}: no page");
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

/// The top of an area's page (header and headline) as the server rendered it: what a phone
/// on a slow network shows before the wasm arrives, with the API's figures in the reader's
/// language. The browser tests check that the app then replaces it.
#[tokio::test]
async fn area_pages_carry_the_headline_in_the_readers_language() {
    let app = TestApp::demo().await;
    let first_paint = |html: &str| {
        let start = html.find("<div id=\"pantau-first-paint\">").expect("first paint");
        let end = start + html[start..].find("</main></div>").expect("end of first paint");
        html[start..end].to_owned()
    };
    let (_, area) = app.get_json("/api/v1/areas/32.16").await;
    let figure = |key: &str| area[key].as_u64().unwrap();
    let grouped = |n: u64, sep: char| {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(sep);
            }
            out.push(c);
        }
        out
    };
    let name = area["name"].as_str().unwrap();

    let (status, body) = app.get("/wilayah/32.16").await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8_lossy(&body).into_owned();
    assert!(html.contains("<html lang=\"id\">"));
    let top = first_paint(&html);
    assert!(top.contains(&format!("<h1>{name}</h1>")), "{top}");
    assert!(top.contains("<p class=\"kind\">Kabupaten</p>"), "{top}");
    let active = grouped(figure("active"), '.');
    let target = grouped(figure("target"), '.');
    assert!(
        top.contains(&format!(
            "<span class=\"big-number\">{active}</span> dari <span>{target}</span> pekerja rentan terlindungi"
        )),
        "{top}"
    );
    assert!(top.contains("Data demo. "), "the demo banner as in the app");
    assert!(
        top.contains("href=\"/wilayah/32\">Jawa Barat</a>"),
        "breadcrumbs: {top}"
    );
    assert!(
        top.contains("href=\"/wilayah/32.16?lang=en\""),
        "language switch: {top}"
    );
    assert!(top.contains("readonly"), "the search box takes no input before the app");
    assert!(
        !top.contains("data-testid"),
        "nothing in it looks like the app to a test"
    );

    let (_, body) = app.get("/wilayah/32.16?lang=en").await;
    let html = String::from_utf8_lossy(&body).into_owned();
    assert!(html.contains("<html lang=\"en\">"));
    let top = first_paint(&html);
    let active = grouped(figure("active"), ',');
    let target = grouped(figure("target"), ',');
    assert!(
        top.contains(&format!(
            "<span class=\"big-number\">{active}</span> of <span>{target}</span> vulnerable workers protected"
        )),
        "{top}"
    );
    assert!(top.contains("<p class=\"kind\">Regency</p>"), "{top}");
    assert!(
        html.contains(&format!(
            "{active} of {target} vulnerable workers protected by BPJS Ketenagakerjaan"
        )),
        "English description"
    );
}

/// The preview image named by an area page's `og:image`: a 1200×630 PNG of that area, drawn
/// per language; an unknown area has none.
#[tokio::test]
async fn area_pages_name_a_png_card_of_the_area() {
    let app = TestApp::demo().await;
    let (_, body) = app.get("/wilayah/32.16?lang=en").await;
    let html = String::from_utf8_lossy(&body).into_owned();
    // No Host header in these requests: the page names the image under localhost.
    assert!(
        html.contains("<meta property=\"og:image\" content=\"http://localhost/card/32.16.png?lang=en\">"),
        "{html}"
    );
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    let mut cards = Vec::new();
    for path in ["/card/32.16.png", "/card/32.16.png?lang=en", "/card/ID.png"] {
        let (status, png) = app.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{path}: a PNG");
        let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        assert_eq!((size(16), size(20)), (1200, 630), "{path}: width and height");
        cards.push(png);
    }
    assert_ne!(cards[0], cards[1], "each language its own card");
    assert_ne!(cards[0], cards[2], "each area its own card");
    for path in ["/card/99.99.png", "/card/32.16", "/card/nope.png"] {
        let (status, _) = app.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
}
