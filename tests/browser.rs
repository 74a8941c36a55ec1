//! Browser tests: the release build of the app, served by the real server over HTTP with
//! the demo database, driven in headless Chromium through WebDriver.
//!
//! Run by `cargo xtask test`, which builds the app and server and sets PANTAU_E2E_SERVER,
//! PANTAU_E2E_DIST and CHROMEDRIVER.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use support::page::slow_3g;
use support::{spawn_server, start_browser, Killed, WAIT};

/// A server on a fresh demo database, a chromedriver, and a browser session at 412×915.
struct Harness {
    client: Client,
    base: String,
    _server: Killed,
    _driver: Killed,
    _dir: tempfile::TempDir,
}

impl Harness {
    async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (server, base) = spawn_server(dir.path(), &support::dist(), true);
        let (client, driver) = start_browser(dir.path(), 412, 915).await;
        Self {
            client,
            base,
            _server: server,
            _driver: driver,
            _dir: dir,
        }
    }

    /// The API's answer, fetched by the page itself from the same server.
    async fn api(&self, path: &str) -> Value {
        self.client
            .execute_async(
                "const [path, done] = arguments; fetch(path).then(r => r.json()).then(done);",
                vec![json!(path)],
            )
            .await
            .unwrap()
    }

    async fn wait_for_area(&self, code: &str) {
        let css = format!("[data-testid='area-summary'][data-code='{code}']");
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&css))
            .await
            .unwrap_or_else(|e| panic!("area {code} not shown: {e}"));
    }

    async fn text(&self, testid: &str) -> String {
        let css = format!("[data-testid='{testid}']");
        self.client
            .find(Locator::Css(&css))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Checks the headline and every child row against the API, then returns the API answer.
    async fn check_figures(&self, code: &str) -> Value {
        let api = self.api(&format!("/api/v1/areas/{code}")).await;
        assert_eq!(
            self.text("area-name").await,
            api["name"].as_str().unwrap(),
            "{code}: name"
        );
        assert_eq!(number(&self.text("area-active").await), api["active"], "{code}: active");
        assert_eq!(number(&self.text("area-target").await), api["target"], "{code}: target");
        assert_eq!(
            number(&self.text("area-enrolled").await),
            api["enrolled"],
            "{code}: enrolled"
        );
        assert_eq!(
            percent(&self.text("area-progress").await),
            api["progress_pct"].as_f64().unwrap(),
            "{code}: progress"
        );
        let rows = self
            .client
            .find_all(Locator::Css("[data-testid='child-row']"))
            .await
            .unwrap();
        let children = api["children"].as_array().unwrap();
        assert_eq!(rows.len(), children.len(), "{code}: one row per child");
        for child in children {
            let css = format!(
                "[data-testid='child-row'][data-code='{}']",
                child["code"].as_str().unwrap()
            );
            let row = self.client.find(Locator::Css(&css)).await.unwrap();
            let active = inner_text(&row, "child-active").await;
            let target = inner_text(&row, "child-target").await;
            assert_eq!(
                number(&active),
                child["active"],
                "{code}: child {} active",
                child["code"]
            );
            assert_eq!(
                number(&target),
                child["target"],
                "{code}: child {} target",
                child["code"]
            );
        }
        api
    }

    async fn wait_for_text(&self, css: &str, wanted: &str) -> String {
        support::page::wait_for_css_text(&self.client, css, wanted).await
    }

    /// Clicks the element matching `css`, which is shown already.
    async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    /// Opens `path` of the portal and waits for the area `code`.
    async fn open(&self, path: &str, code: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap();
        self.wait_for_area(code).await;
    }

    /// Asks the map to report what it draws (`data-map-probe`).
    async fn probe_map(&self) {
        self.client
            .execute("document.documentElement.setAttribute('data-map-probe', '');", vec![])
            .await
            .unwrap();
    }

    /// The body of a download link's target, fetched by the page.
    async fn fetch_text(&self, path: &str) -> String {
        let text = self
            .client
            .execute_async(
                "const [path, done] = arguments; fetch(path).then(r => r.text()).then(done);",
                vec![json!(path)],
            )
            .await
            .unwrap();
        text.as_str().unwrap().to_owned()
    }

    async fn click_child(&self, code: &str) {
        let css = format!("[data-testid='child-row'][data-code='{code}'] a");
        self.click(&css).await;
        self.wait_for_area(code).await;
    }
}

/// Text of the `data-testid` element inside `scope`.
async fn inner_text(scope: &fantoccini::elements::Element, testid: &str) -> String {
    let css = format!("[data-testid='{testid}']");
    scope.find(Locator::Css(&css)).await.unwrap().text().await.unwrap()
}

/// "10.675" → 10675.
fn number(shown: &str) -> Value {
    json!(shown
        .replace('.', "")
        .trim()
        .parse::<u64>()
        .unwrap_or_else(|_| panic!("not a count: {shown:?}")))
}

/// "44,7%" → 44.7.
fn percent(shown: &str) -> f64 {
    shown
        .trim_end_matches('%')
        .replace('.', "")
        .replace(',', ".")
        .parse()
        .unwrap_or_else(|_| panic!("not a percentage: {shown:?}"))
}

/// The code of the first child with enrolments in an area's API answer.
fn first_enrolled_child(area: &Value) -> &str {
    let child = area["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["enrolled"].as_u64() > Some(0))
        .unwrap();
    child["code"].as_str().unwrap()
}

#[tokio::test]
async fn drill_down_from_the_nation_to_a_village_shows_the_apis_figures() {
    let h = Harness::start().await;
    h.open("/", "ID").await;
    assert!(
        h.text("demo-banner").await.contains("Data demo"),
        "demo data is labelled"
    );
    h.check_figures("ID").await;

    h.click_child("32").await;
    h.check_figures("32").await;
    h.click_child("32.16").await;
    let regency = h.check_figures("32.16").await;
    assert!(
        regency["enrolled"].as_u64().unwrap() > 1_000,
        "Bekasi has demo enrolments"
    );

    // The first district with enrolments, then its first village with enrolments.
    let district = first_enrolled_child(&regency);
    h.click_child(district).await;
    let district_api = h.check_figures(district).await;
    let village = first_enrolled_child(&district_api);
    h.click_child(village).await;
    let village_api = h.check_figures(village).await;
    assert_eq!(village_api["level"], "village");
    assert!(
        h.client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with(&format!("/wilayah/{village}")),
        "URL follows the area"
    );

    // Back goes up one level with the right figures again.
    h.client.back().await.unwrap();
    h.wait_for_area(district).await;
    h.check_figures(district).await;
    h.client.clone().close().await.unwrap();
}

/// A wrong or unknown area code offers the search and the national page, not a retry that
/// would get the same answer; a network error offers the retry, and it works.
#[tokio::test]
async fn bad_and_unknown_codes_offer_search_and_a_network_error_a_retry() {
    let h = Harness::start().await;
    let cases = [
        ("/wilayah/32.99", "tidak ditemukan"),
        ("/wilayah/32.1x", "Kode wilayah tidak valid"),
    ];
    for (path, expected) in cases {
        h.client.goto(&format!("{}{path}", h.base)).await.unwrap();
        let error = h
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("[data-testid='load-error']"))
            .await
            .unwrap();
        let message = inner_text(&error, "load-error-message").await;
        assert!(message.contains(expected), "{path}: {message:?}");
        assert!(
            error.find(Locator::Css("[data-testid='search-input']")).await.is_ok(),
            "{path}: search offered on the error page"
        );
        assert!(
            error.find(Locator::Css("a[href='/']")).await.is_ok(),
            "{path}: the national page offered"
        );
        assert!(
            h.client.find(Locator::Css("[data-testid='retry']")).await.is_err(),
            "{path}: no retry"
        );
    }
    h.client.goto(&format!("{}/tidak-ada", h.base)).await.unwrap();
    let not_found = h
        .client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("[data-testid='not-found']"))
        .await
        .unwrap();
    assert!(not_found
        .find(Locator::Css("[data-testid='search-input']"))
        .await
        .is_ok());
    assert!(not_found.find(Locator::Css("a[href='/']")).await.is_ok());
    assert!(h.client.find(Locator::Css("[data-testid='retry']")).await.is_err());

    // The network drops while going down a level: the retry is offered and, back online, works.
    h.open("/wilayah/32", "32").await;
    h.client
        .execute(
            "window.__fetch = window.fetch; window.fetch = () => Promise.reject(new TypeError('offline'));",
            vec![],
        )
        .await
        .unwrap();
    h.click("[data-testid='child-row'][data-code='32.16'] a").await;
    let error = h
        .client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("[data-testid='load-error']"))
        .await
        .unwrap();
    let message = inner_text(&error, "load-error-message").await;
    assert!(message.contains("Tidak dapat terhubung"), "{message:?}");
    assert!(error.find(Locator::Css("[data-testid='search-input']")).await.is_err());
    h.client
        .execute("window.fetch = window.__fetch;", vec![])
        .await
        .unwrap();
    error
        .find(Locator::Css("[data-testid='retry']"))
        .await
        .expect("retry offered")
        .click()
        .await
        .unwrap();
    h.wait_for_area("32.16").await;
    h.client.clone().close().await.unwrap();
}

/// Rows of a breakdown table as shown: value → (enrolled, active) texts.
async fn shown_breakdown(h: &Harness, dimension: &str) -> Vec<(String, String, String)> {
    let css = format!("[data-testid='breakdown-{dimension}'] tbody tr");
    h.client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&css))
        .await
        .unwrap();
    let mut out = Vec::new();
    for row in h.client.find_all(Locator::Css(&css)).await.unwrap() {
        let value = row.attr("data-value").await.unwrap().unwrap();
        let enrolled = inner_text(&row, "cell-enrolled").await;
        let active = inner_text(&row, "cell-active").await;
        out.push((value, enrolled, active));
    }
    out
}

#[tokio::test]
async fn search_then_funding_breakdown_matches_csv_and_api_in_both_languages() {
    let h = Harness::start().await;
    h.open("/", "ID").await;
    let input = h
        .client
        .find(Locator::Css("[data-testid='search-input']"))
        .await
        .unwrap();
    input.send_keys("bekasi").await.unwrap();
    // Each keystroke searches anew: wait until the list is the answer to the whole word, or
    // the click may land on a hit of "beka" that moved.
    let expected: Vec<String> = h
        .api("/api/v1/search?q=bekasi")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["code"].as_str().unwrap().to_owned())
        .collect();
    let deadline = Instant::now() + WAIT;
    loop {
        let shown = h
            .client
            .execute(
                "return [...document.querySelectorAll(\"[data-testid='search-hit']\")].map(e => e.getAttribute('data-code'));",
                vec![],
            )
            .await
            .unwrap();
        let shown: Vec<String> = serde_json::from_value(shown).unwrap_or_default();
        if shown == expected {
            break;
        }
        assert!(Instant::now() < deadline, "search results never settled: {shown:?}");
        // Polling a condition, not waiting for time.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let hit = h
        .client
        .find(Locator::Css("[data-testid='search-hit'][data-code='32.16'] a"))
        .await
        .unwrap();
    assert!(
        hit.text().await.unwrap().contains("Jawa Barat"),
        "a hit names its parent"
    );
    hit.click().await.unwrap();
    h.wait_for_area("32.16").await;

    let shown = shown_breakdown(&h, "funding").await;
    let api = h.api("/api/v1/areas/32.16/breakdowns").await;
    let funding = api["breakdowns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["dimension"] == "funding")
        .unwrap();
    let csv = h.fetch_text("/api/v1/areas/32.16/breakdowns.csv").await;
    let api_rows: Vec<&Value> = funding["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["enrolled"] != json!(0))
        .collect();
    assert_eq!(shown.len(), api_rows.len(), "one shown row per category with members");
    for ((value, enrolled, active), row) in shown.iter().zip(api_rows) {
        assert_eq!(value, row["value"].as_str().unwrap());
        assert_eq!(number(enrolled), row["enrolled"], "{value}: enrolled shown = API");
        assert_eq!(number(active), row["active"], "{value}: active shown = API");
        let line = format!(",32.16,funding,{value},{},{}", row["enrolled"], row["active"]);
        assert!(csv.lines().any(|l| l.ends_with(&line)), "{value}: CSV has {line}");
    }

    // English and back: same numbers, other words and separators.
    h.click("[data-testid='language-switch']").await;
    h.wait_for_text("[data-testid='breakdowns'] h2", "Who is covered").await;
    assert!(
        h.client
            .current_url()
            .await
            .unwrap()
            .query()
            .unwrap_or_default()
            .contains("lang=en"),
        "shareable URL"
    );
    let english = h.text("area-enrolled").await;
    assert_eq!(
        english.replace(',', ""),
        h.api("/api/v1/areas/32.16").await["enrolled"].to_string()
    );
    h.click("[data-testid='language-switch']").await;
    h.wait_for_text("[data-testid='breakdowns'] h2", "Rincian peserta")
        .await;
    // The choice is remembered: a fresh page load without ?lang stays Indonesian.
    h.client.goto(&format!("{}/wilayah/32.16", h.base)).await.unwrap();
    h.wait_for_text("[data-testid='breakdowns'] h2", "Rincian peserta")
        .await;
    h.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn a_village_shows_small_segments_as_less_than_five() {
    let h = Harness::start().await;
    h.client.goto(&format!("{}/tentang-data", h.base)).await.unwrap();
    // A village with members in Kayong Utara, where most segments are small.
    let district = h.api("/api/v1/areas/61.11.01").await;
    let village = district["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["enrolled"].as_u64() > Some(20))
        .unwrap();
    let code = village["code"].as_str().unwrap();
    h.open(&format!("/wilayah/{code}"), code).await;
    let shown = shown_breakdown(&h, "segment").await;
    let api = h.api(&format!("/api/v1/areas/{code}/breakdowns")).await;
    assert_eq!(api["small_cells_suppressed"], true);
    let segment = api["breakdowns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["dimension"] == "segment")
        .unwrap();
    let hidden: Vec<&str> = segment["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["enrolled"].is_null())
        .map(|r| r["value"].as_str().unwrap())
        .collect();
    assert!(!hidden.is_empty(), "{code}: some segment has fewer than 5 members");
    for value in hidden {
        let row = shown.iter().find(|(v, _, _)| v == value).unwrap();
        assert_eq!((row.1.as_str(), row.2.as_str()), ("<5", "<5"), "{code} {value}");
    }
    h.client.clone().close().await.unwrap();
}

/// Another website (a second server on another port, so another origin) that embeds the
/// widget with the documented snippet.
fn regency_site(dir: &std::path::Path, pantau: &str) -> (Killed, String) {
    let site = dir.join("regency-site");
    std::fs::create_dir_all(&site).unwrap();
    let page = format!(
        "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>Pemkab Kayong Utara</title></head><body>\
         <h1>Pemerintah Kabupaten Kayong Utara</h1>\
         <iframe id=\"widget\" data-pantau src=\"{pantau}/embed/61.11\" style=\"width:100%;max-width:420px;border:0\" height=\"40\"></iframe>\
         <script>addEventListener('message',function(e){{if(e.data&&e.data.type==='pantau:height'){{document.querySelectorAll('iframe[data-pantau]').forEach(function(f){{if(f.contentWindow===e.source)f.style.height=e.data.height+'px'}})}}}})</script>\
         </body></html>"
    );
    std::fs::write(site.join("index.html"), page).unwrap();
    spawn_server(dir, &site, false)
}

#[tokio::test]
async fn a_regency_site_embeds_the_widget_which_resizes_and_matches_the_api() {
    let h = Harness::start().await;
    h.client.goto(&format!("{}/tentang-data", h.base)).await.unwrap();
    let api = h.api("/api/v1/areas/61.11").await;
    let (_site, site) = regency_site(h._dir.path(), &h.base);
    assert_ne!(site, h.base, "another origin");
    h.client.goto(&format!("{site}/")).await.unwrap();
    // The iframe starts 40 px high and grows to its content when the widget reports its height.
    let deadline = Instant::now() + WAIT;
    let height = loop {
        let height = h
            .client
            .execute(
                "return document.getElementById('widget').getBoundingClientRect().height;",
                vec![],
            )
            .await
            .unwrap()
            .as_f64()
            .unwrap();
        if height > 100.0 {
            break height;
        }
        assert!(Instant::now() < deadline, "the iframe never resized (height {height})");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(height < 600.0, "sized to the widget, not the page: {height}");
    h.client.enter_frame(0).await.unwrap();
    let active = h
        .client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("[data-testid='embed-active']"))
        .await
        .unwrap();
    assert_eq!(number(&active.text().await.unwrap()), api["active"]);
    let target = h.text("embed-target").await;
    assert_eq!(number(&target), api["target"]);
    let progress = h.text("embed-progress").await;
    assert_eq!(percent(&progress), api["progress_pct"].as_f64().unwrap());
    h.client.clone().close().await.unwrap();
}

/// Label points the map drew last (`data-map-probe` on): code → CSS px inside the canvas.
async fn drawn_labels(h: &Harness, wanted: &str) -> std::collections::HashMap<String, (f64, f64)> {
    let deadline = Instant::now() + WAIT;
    loop {
        let labels = h
            .client
            .execute(
                "const c = document.querySelector(\"[data-testid='map-canvas'][data-ready='true']\");\
                 return c ? (c.getAttribute('data-labels') || '') : '';",
                vec![],
            )
            .await
            .unwrap();
        let parsed: std::collections::HashMap<String, (f64, f64)> = labels
            .as_str()
            .unwrap_or_default()
            .split(';')
            .filter_map(|entry| {
                let mut parts = entry.split(':');
                let code = parts.next()?.to_owned();
                let x = parts.next()?.parse().ok()?;
                let y = parts.next()?.parse().ok()?;
                Some((code, (x, y)))
            })
            .collect();
        if parsed.contains_key(wanted) {
            return parsed;
        }
        assert!(Instant::now() < deadline, "the map never drew {wanted}");
        // Polling a condition, not waiting for time.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks the canvas at the label point of `code` with a real (WebDriver) mouse, then waits
/// for that area's page.
async fn click_on_map(h: &Harness, code: &str) {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    let labels = drawn_labels(h, code).await;
    let (x, y) = labels[code];
    let canvas = h.client.find(Locator::Css("[data-testid='map-canvas']")).await.unwrap();
    let size = h
        .client
        .execute(
            "const c = arguments[0]; c.scrollIntoView({block: 'center'});\
             const r = c.getBoundingClientRect(); return [r.width, r.height];",
            vec![serde_json::to_value(&canvas).unwrap()],
        )
        .await
        .unwrap();
    let (w, hgt) = (size[0].as_f64().unwrap(), size[1].as_f64().unwrap());
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: canvas,
            duration: None,
            x: (x - w / 2.0).round(),
            y: (y - hgt / 2.0).round(),
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    h.client.perform_actions(mouse).await.unwrap();
    h.wait_for_area(code).await;
}

/// Opens the map view (phones show the list first) and asks it to report what it draws.
async fn open_map(h: &Harness) {
    h.probe_map().await;
    let switch = h.client.find(Locator::Css("[data-testid='view-map']")).await.unwrap();
    if switch.attr("aria-pressed").await.unwrap().as_deref() != Some("true") {
        switch.click().await.unwrap();
    }
}

#[tokio::test]
async fn map_drill_down_by_clicking_areas_colours_villages_as_the_list_says() {
    use pantau_core::map::{progress_class, CLASS_COLOURS};
    let h = Harness::start().await;
    h.open("/", "ID").await;
    // On a phone the list is the default and the map is not even loaded.
    assert!(
        h.client.find(Locator::Css("[data-testid='area-map']")).await.is_err(),
        "the map waits until it is asked for"
    );
    open_map(&h).await;
    click_on_map(&h, "32").await;
    // The choice of the map view is kept while drilling down.
    open_map(&h).await;
    click_on_map(&h, "32.16").await;
    open_map(&h).await;
    let regency = h.api("/api/v1/areas/32.16").await;
    let district = regency["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["enrolled"].as_u64() > Some(0))
        .unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    click_on_map(&h, &district).await;
    open_map(&h).await;

    // Every village is drawn as a polygon, in the colour of the class of the list's percentage.
    let villages = h.api(&format!("/api/v1/areas/{district}")).await["children"]
        .as_array()
        .unwrap()
        .clone();
    let first = villages[0]["code"].as_str().unwrap().to_owned();
    let labels = drawn_labels(&h, &first).await;
    assert!(
        h.client
            .find(Locator::Css("[data-testid='legend-points']"))
            .await
            .is_err(),
        "Bekasi's villages have boundaries: no points"
    );
    let mut classes_seen = std::collections::HashSet::new();
    for village in &villages {
        let code = village["code"].as_str().unwrap();
        let (x, y) = labels[code];
        let found = h
            .client
            .execute(
                "const [code, x, y] = arguments;\
                 const row = document.querySelector(`[data-testid='child-row'][data-code='${code}'] [data-testid='child-progress']`);\
                 const c = document.querySelector(\"[data-testid='map-canvas']\");\
                 const d = window.devicePixelRatio || 1;\
                 const p = c.getContext('2d').getImageData(Math.round(x * d), Math.round(y * d), 1, 1).data;\
                 const hex = '#' + [p[0], p[1], p[2]].map(v => v.toString(16).padStart(2, '0')).join('');\
                 return [row.textContent, hex];",
                vec![json!(code), json!(x), json!(y)],
            )
            .await
            .unwrap();
        let listed = percent(found[0].as_str().unwrap());
        let class = progress_class(listed);
        classes_seen.insert(class);
        assert_eq!(
            found[1].as_str().unwrap(),
            CLASS_COLOURS[class],
            "village {code}: listed {listed}% → class {class}"
        );
    }
    assert!(classes_seen.len() >= 2, "the demo villages span several classes");
    h.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn keyboard_alone_drills_down_through_the_list_and_moves_the_map() {
    use fantoccini::key::Key;
    let h = Harness::start().await;
    h.open("/", "ID").await;
    for code in ["32", "32.16", "32.16.01"] {
        // Tab until the focus is on the child's link, then Enter.
        let mut found = false;
        for _ in 0..120 {
            h.client
                .active_element()
                .await
                .unwrap()
                .send_keys(&Key::Tab.to_string())
                .await
                .unwrap();
            let focused = h
                .client
                .execute(
                    "const a = document.activeElement; const row = a && a.closest(\"[data-testid='child-row']\");\
                     return row ? row.getAttribute('data-code') : null;",
                    vec![],
                )
                .await
                .unwrap();
            if focused.as_str() == Some(code) {
                found = true;
                break;
            }
        }
        assert!(found, "{code} reachable with Tab");
        h.client
            .active_element()
            .await
            .unwrap()
            .send_keys(&Key::Enter.to_string())
            .await
            .unwrap();
        h.wait_for_area(code).await;
    }
    // The map itself takes the keyboard: focus, zoom in with "+", the label moves.
    open_map(&h).await;
    let before = drawn_labels(&h, "32.16.01.2001").await["32.16.01.2001"];
    let canvas = h.client.find(Locator::Css("[data-testid='map-canvas']")).await.unwrap();
    h.client
        .execute("arguments[0].focus();", vec![serde_json::to_value(&canvas).unwrap()])
        .await
        .unwrap();
    canvas.send_keys("+").await.unwrap();
    let deadline = Instant::now() + WAIT;
    while drawn_labels(&h, "32.16.01.2001").await["32.16.01.2001"] == before {
        assert!(Instant::now() < deadline, "+ zooms the map");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    h.client.clone().close().await.unwrap();
}

/// Draw times (ms) the map reported since the page loaded.
async fn draw_times(h: &Harness) -> Vec<f64> {
    let log = h
        .client
        .execute(
            "const c = document.querySelector(\"[data-testid='map-canvas']\"); return c ? (c.getAttribute('data-draw-us') || '') : '';",
            vec![],
        )
        .await
        .unwrap();
    log.as_str()
        .unwrap_or_default()
        .split(',')
        .filter_map(|v| v.parse::<f64>().ok())
        .map(|us| us / 1000.0)
        .collect()
}

/// One benchmark line: `BENCH | what | draws | median | p95 | max |`.
fn report(what: &str, mut times: Vec<f64>) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "BENCH | {what} | {} | {:.1} ms | {:.1} ms | {:.1} ms |",
        times.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
}

/// Not a test: `cargo xtask bench` runs it for the drawing figures. It asserts nothing about time.
#[tokio::test]
#[ignore = "benchmark, run by `cargo xtask bench`"]
async fn bench_map_drawing() {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    let h = Harness::start().await;
    h.client.set_window_size(1366, 768).await.unwrap();
    h.open("/", "ID").await;
    h.probe_map().await;
    h.click("[data-testid='map-layer-district']").await;
    let labels = drawn_labels(&h, "11.01.01").await;
    assert_eq!(labels.len(), 7_285, "the whole national district layer is drawn");
    // Each zoom press redraws all 7,285 districts from the paths in memory.
    for i in 0..20 {
        let before = draw_times(&h).await.len();
        let button = if i % 2 == 0 { "map-zoom-in" } else { "map-zoom-out" };
        h.click(&format!("[data-testid='{button}']")).await;
        let deadline = Instant::now() + WAIT;
        while draw_times(&h).await.len() == before {
            assert!(Instant::now() < deadline, "the map redraws after a zoom press");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let times = draw_times(&h).await;
    report(
        "national district layer, 7,285 polygons, 1366×768, data in memory → pixels",
        times[1..].to_vec(),
    );

    h.open("/wilayah/32.16", "32.16").await;
    h.probe_map().await;
    // Any draw after the probe is on: press reset, then drag across the map.
    h.click("[data-testid='map-zoom-in']").await;
    drawn_labels(&h, "32.16.01").await;
    let before = draw_times(&h).await.len();
    let canvas = h.client.find(Locator::Css("[data-testid='map-canvas']")).await.unwrap();
    h.client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![serde_json::to_value(&canvas).unwrap()],
        )
        .await
        .unwrap();
    let mut drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: canvas,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        });
    for i in 0..60 {
        let dx = if i < 30 { 6.0 } else { -6.0 };
        drag = drag.then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(16)),
            x: dx,
            y: 2.0,
        });
    }
    drag = drag.then(PointerAction::Up {
        button: MOUSE_BUTTON_LEFT,
    });
    let started = Instant::now();
    h.client.perform_actions(drag).await.unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    let times = draw_times(&h).await[before..].to_vec();
    let frames = times.len();
    report(
        "Kabupaten Bekasi districts while dragging, 1366×768, per frame",
        times.clone(),
    );
    let p95 = {
        let mut t = times;
        t.sort_by(f64::total_cmp);
        t[((t.len() as f64 - 1.0) * 0.95).round() as usize]
    };
    println!(
        "BENCH | pan at regency level: {frames} frames in {elapsed:.1} s of WebDriver drag; draw-bound rate at p95 {:.0} fps | | | | |",
        1000.0 / p95
    );
    h.client.clone().close().await.unwrap();
}

/// Not a test: writes the map screenshots in docs/screenshots/ (run on demand with
/// `cargo test --test browser -- --ignored docs_map_screenshots`, environment as for the tests).
#[tokio::test]
#[ignore = "writes docs/screenshots/, run on demand"]
async fn docs_map_screenshots() {
    let h = Harness::start().await;
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    for (width, height) in [(412, 915), (1366, 768)] {
        h.client.set_window_size(width, height).await.unwrap();
        for (name, path, code, sample) in [
            ("national", "/", "ID", "32"),
            ("regency-bekasi", "/wilayah/32.16", "32.16", "32.16.01"),
            ("district-tarumajaya", "/wilayah/32.16.01", "32.16.01", "32.16.01.2001"),
        ] {
            h.open(path, code).await;
            if width < 1000 {
                open_map(&h).await;
            } else {
                h.probe_map().await;
                // Any press repaints with the probe on; reset keeps the fitted view.
                h.click("[data-testid='map-zoom-reset']").await;
            }
            drawn_labels(&h, sample).await;
            h.client
                .execute(
                    "document.querySelector(\"[data-testid='area-map']\").scrollIntoView({block: 'start'});",
                    vec![],
                )
                .await
                .unwrap();
            let png = h.client.screenshot().await.unwrap();
            std::fs::write(out.join(format!("map-{name}-{width}x{height}.png")), png).unwrap();
        }
    }
    h.client.clone().close().await.unwrap();
}

/// Chromium's network emulation through chromedriver's own endpoint.
/// On slow 3G (400 Kbps, 400 ms round trips) a regency page shows its headline as the server
/// rendered it before the wasm arrives, the app takes over with the same figures, then the
/// split-off parts (sections below the list, the map) arrive as wasm modules of their own and
/// work; nothing on the page reports an error.
#[tokio::test]
async fn on_slow_3g_the_lazy_parts_arrive_after_the_first_paint_and_work() {
    let h = Harness::start().await;
    slow_3g(&h.client).await;
    let started = Instant::now();
    h.client.goto(&format!("{}/wilayah/32.16", h.base)).await.unwrap();
    // From the load event on: what fails later (the lazy parts) is caught.
    h.client
        .execute(
            "window.__errors = []; window.addEventListener('error', e => window.__errors.push(String(e.message))); \
             window.addEventListener('unhandledrejection', e => window.__errors.push(String(e.reason)));",
            vec![],
        )
        .await
        .unwrap();
    h.wait_for_area("32.16").await;
    assert!(!h.text("area-active").await.is_empty(), "headline painted");
    // The headline showed before the wasm arrived: the page's largest paint came before any
    // wasm could run, so it is the top the server rendered, and the app's copy of it, which
    // replaced it, is no larger.
    let first: Value = h
        .client
        .execute_async(
            "const done = arguments[0]; \
             new PerformanceObserver(list => { \
               const largest = list.getEntries().pop(); \
               const wasm = performance.getEntriesByType('resource').find(e => e.name.endsWith('/pantau_bg.wasm')); \
               done({ \
                 painted: largest.startTime, \
                 wasm_arrived: wasm.responseEnd, \
                 left_in_page: document.querySelectorAll('#pantau-first-paint').length, \
                 headings: document.querySelectorAll('h1').length, \
               }); \
             }).observe({ type: 'largest-contentful-paint', buffered: true });",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        first["painted"].as_f64().unwrap() < first["wasm_arrived"].as_f64().unwrap(),
        "the largest paint came before the wasm: {first}"
    );
    assert_eq!(first["left_in_page"], 0, "the app removed it: {first}");
    assert_eq!(first["headings"], 1, "one page, not two: {first}");
    // Reported, not asserted: timings belong to `cargo xtask bench`.
    eprintln!(
        "slow 3G: Kabupaten Bekasi painted {:.1} s after navigation",
        started.elapsed().as_secs_f64()
    );
    for lazy in ["breakdowns", "commitments", "trend", "embed-panel"] {
        h.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&format!("[data-testid='{lazy}']")))
            .await
            .unwrap_or_else(|e| panic!("{lazy} never arrived on slow 3G: {e}"));
    }
    open_map(&h).await;
    h.client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("[data-testid='map-legend']"))
        .await
        .expect("the map arrives on slow 3G");
    // The parts came as wasm modules of their own, after the main one.
    let wasm: Vec<String> = serde_json::from_value(
        h.client
            .execute(
                "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.wasm'));",
                vec![],
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(
        wasm.iter().any(|n| n.ends_with("/pantau_bg.wasm")),
        "main module: {wasm:?}"
    );
    for part in ["split_area_sections_", "split_area_map_"] {
        assert!(
            wasm.iter().any(|n| n.contains(part)),
            "{part} fetched on its own: {wasm:?}"
        );
    }
    let errors = h.client.execute("return window.__errors;", vec![]).await.unwrap();
    assert_eq!(errors, json!([]), "errors on the page");
}

/// Benchmark: a cold start on slow 3G (400 ms round trips, 400 Kbps) at 412×915, each page in
/// a new browser profile so nothing is cached: seconds from navigation until the page's largest
/// paint (the headline, as the server rendered it) and until the app shows the figure. Prints
/// `BENCH` lines for `cargo xtask bench`; asserts nothing on time.
#[tokio::test]
#[ignore = "benchmark, run by `cargo xtask bench`"]
async fn bench_slow_3g_cold_start() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = spawn_server(dir.path(), &support::dist(), true);
    for (path, code) in [
        ("/", "ID"),
        ("/wilayah/32.16", "32.16"),
        ("/wilayah/61.11.01", "61.11.01"),
    ] {
        let (client, _driver) = support::start_emulated_browser(dir.path(), 412, 915, true).await;
        slow_3g(&client).await;
        let started = Instant::now();
        client.goto(&format!("{base}{path}")).await.unwrap();
        let css = format!("[data-testid='area-summary'][data-code='{code}'] [data-testid='area-active']");
        client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&css))
            .await
            .unwrap();
        let app = started.elapsed().as_secs_f64();
        let largest = client
            .execute_async(
                "const done = arguments[0]; new PerformanceObserver(l => done(l.getEntries().pop().startTime)) \
                 .observe({ type: 'largest-contentful-paint', buffered: true });",
                vec![],
            )
            .await
            .unwrap();
        let largest = largest.as_f64().unwrap() / 1000.0;
        println!("BENCH | {path} | {largest:.1} s | {app:.1} s |");
        client.close().await.unwrap();
    }
}
