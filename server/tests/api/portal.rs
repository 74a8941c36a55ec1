//! Breakdowns, trend, search and open-data exports.

use std::collections::HashMap;

use axum::http::StatusCode;
use pantau_core::api::{AreaBreakdowns, AreaTrend, AreaView, SearchHit};
use pantau_core::{AreaCode, Breakdown, BreakdownRow, Dimension, FundingSource, Level, Segment};
use pantau_server::store::{NewEnrolment, Store};

use crate::helpers::{enrol, enrolment, now, TestApp};

async fn demo_app() -> (TestApp, Vec<NewEnrolment>) {
    let regions = pantau_server::reference::shipped().unwrap();
    let demo = pantau_server::demo::enrolments(&regions, now(), pantau_server::DEMO_SEED);
    (TestApp::demo().await, demo)
}

fn totals(breakdowns: &[Breakdown]) -> HashMap<(Dimension, String), (u64, u64)> {
    breakdowns
        .iter()
        .flat_map(|b| {
            b.rows
                .iter()
                .map(move |r| ((b.dimension, r.value.clone()), (r.enrolled.unwrap(), r.active.unwrap())))
        })
        .collect()
}

/// For the area: every dimension sums to the area's own figures, and each cell is the sum
/// of the same cell over its children (read raw from the store, villages included).
async fn assert_breakdowns_roll_up(app: &TestApp, code: &str) {
    let area: AreaView = app.area(code).await;
    let own = app
        .store
        .breakdowns(&AreaCode::parse(code).unwrap(), now())
        .await
        .unwrap();
    for b in &own {
        let enrolled: u64 = b.rows.iter().map(|r| r.enrolled.unwrap()).sum();
        let active: u64 = b.rows.iter().map(|r| r.active.unwrap()).sum();
        assert_eq!(
            (enrolled, active),
            (area.figures.enrolled, area.figures.active),
            "{code} {:?}: sums to the area",
            b.dimension
        );
    }
    let mut children_sum: HashMap<(Dimension, String), (u64, u64)> = HashMap::new();
    for child in &area.children {
        let raw = app
            .store
            .breakdowns(&AreaCode::Region(child.code.clone()), now())
            .await
            .unwrap();
        for (key, (e, a)) in totals(&raw) {
            let cell = children_sum.entry(key).or_default();
            cell.0 += e;
            cell.1 += a;
        }
    }
    assert_eq!(
        totals(&own),
        children_sum,
        "{code}: children sum to the parent in every cell"
    );
}

#[tokio::test]
async fn breakdowns_roll_up_at_every_level_even_after_new_enrolments() {
    let (app, _) = demo_app().await;
    let mut rng = fastrand::Rng::with_seed(7);
    // A random path of areas with enrolments, nation to district.
    let mut path = vec!["ID".to_owned()];
    let mut code = "ID".to_owned();
    for _ in 0..3 {
        let area = app.area(&code).await;
        let populated: Vec<_> = area.children.iter().filter(|c| c.figures.enrolled > 0).collect();
        code = populated[rng.usize(..populated.len())].code.to_string();
        path.push(code.clone());
    }
    for code in &path {
        assert_breakdowns_roll_up(&app, code).await;
    }
    let district = app.area(&path[3]).await;
    for (i, village) in district.children.iter().take(3).enumerate() {
        for serial in 0..7 {
            enrol(
                &app,
                &enrolment(
                    village.code.as_str(),
                    9000 + (i as u16) * 10 + serial,
                    now().plus(i32::from(serial) - 3),
                ),
            )
            .await;
        }
    }
    for code in &path {
        assert_breakdowns_roll_up(&app, code).await;
    }
}

#[tokio::test]
async fn trend_ends_with_the_current_figures() {
    let (app, _) = demo_app().await;
    for code in ["ID", "61.11", "36.04.05"] {
        let (status, body) = app.get(&format!("/api/v1/areas/{code}/trend")).await;
        assert_eq!(status, StatusCode::OK);
        let trend: AreaTrend = serde_json::from_slice(&body).unwrap();
        let area = app.area(code).await;
        assert_eq!(trend.points.len(), 24, "{code}");
        let last = trend.points.last().unwrap();
        assert_eq!(last.month, now(), "{code}: ends this month");
        assert_eq!(
            (last.enrolled, last.active),
            (area.figures.enrolled, area.figures.active),
            "{code}: last point = today"
        );
        assert!(
            trend.points.windows(2).all(|w| w[0].enrolled <= w[1].enrolled),
            "{code}: registrations only grow"
        );
    }
}

#[tokio::test]
async fn village_breakdowns_hide_small_cells_in_json_and_csv() {
    let app = TestApp::fresh().await;
    let village = "32.16.01.2001";
    for serial in 1..=3 {
        enrol(&app, &enrolment(village, serial, now())).await; // 3 farmers, Dana Desa
    }
    for serial in 4..=15 {
        let mut e = enrolment(village, serial, now());
        e.segment = Segment::Fisher;
        e.funding = FundingSource::ApbdRegency;
        enrol(&app, &e).await;
    }
    let (_, body) = app.get_json(&format!("/api/v1/areas/{village}/breakdowns")).await;
    let b: AreaBreakdowns = serde_json::from_value(body).unwrap();
    assert!(b.small_cells_suppressed);
    let segment = b.breakdowns.iter().find(|b| b.dimension == Dimension::Segment).unwrap();
    let cell = |value: &str| segment.rows.iter().find(|r| r.value == value).unwrap().enrolled;
    assert_eq!(cell("farmer"), None, "3 farmers hidden");
    assert_eq!(
        cell("fisher"),
        None,
        "and the only other group, or 15 - 12 would give it away"
    );
    assert_eq!(cell("scavenger"), Some(0));
    let (status, csv) = app.get(&format!("/api/v1/areas/{village}/breakdowns.csv")).await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.lines().any(|l| l.contains(",segment,farmer,<5,<5")), "{csv}");
    // The district above holds only this village's workers: it hides the same cells, or it
    // would publish what the village hides.
    let (_, district) = app.get_json("/api/v1/areas/32.16.01/breakdowns").await;
    let district: AreaBreakdowns = serde_json::from_value(district).unwrap();
    assert_eq!(district.breakdowns, b.breakdowns);
}

/// Published breakdowns of `code`.
async fn published(app: &TestApp, code: &str) -> AreaBreakdowns {
    let (status, body) = app.get_json(&format!("/api/v1/areas/{code}/breakdowns")).await;
    assert_eq!(status, StatusCode::OK, "{code}");
    serde_json::from_value(body).unwrap()
}

/// Every published cell of `area` and its children is 0 or at least 5, or hidden; no area's
/// categories and no parent cell over its children's same cells have exactly one hidden term.
async fn assert_no_subtraction_reveals(app: &TestApp, code: &str) -> usize {
    let area = app.area(code).await;
    let parent = published(app, code).await;
    let mut children = Vec::new();
    for child in area.children.iter().filter(|c| c.figures.enrolled > 0) {
        children.push(published(app, child.code.as_str()).await);
    }
    let mut hidden_cells = 0;
    for (d, breakdown) in parent.breakdowns.iter().enumerate() {
        for (c, row) in breakdown.rows.iter().enumerate() {
            let column: Vec<&BreakdownRow> = std::iter::once(row)
                .chain(children.iter().map(|child| &child.breakdowns[d].rows[c]))
                .collect();
            for (what, pick) in [
                (
                    "enrolled",
                    (|r: &BreakdownRow| r.enrolled) as fn(&BreakdownRow) -> Option<u64>,
                ),
                ("active", |r| r.active),
            ] {
                let hidden = column.iter().filter(|r| pick(r).is_none()).count();
                assert_ne!(
                    hidden, 1,
                    "{code} {:?} {} {what}: the parent minus the visible children",
                    breakdown.dimension, row.value
                );
                hidden_cells += hidden;
            }
        }
    }
    for published in children.iter().chain([&parent]) {
        for b in &published.breakdowns {
            for row in &b.rows {
                for cell in [row.enrolled, row.active].into_iter().flatten() {
                    assert!(
                        cell == 0 || cell >= 5,
                        "{} {:?} {}: {cell} published",
                        published.code,
                        b.dimension,
                        row.value
                    );
                }
            }
            for pick in [
                (|r: &BreakdownRow| r.enrolled) as fn(&BreakdownRow) -> Option<u64>,
                |r| r.active,
            ] {
                let hidden = b.rows.iter().filter(|r| pick(r).is_none()).count();
                assert_ne!(
                    hidden, 1,
                    "{} {:?}: the total minus the visible cells",
                    published.code, b.dimension
                );
            }
        }
    }
    hidden_cells
}

#[tokio::test]
async fn no_published_cell_of_1_to_4_people_comes_back_by_subtraction_at_any_level() {
    let (app, _) = demo_app().await;
    // A path through the demo data, nation to district, and every district of a regency.
    let mut hidden = 0;
    for code in ["ID", "32", "32.16", "61.11"] {
        hidden += assert_no_subtraction_reveals(&app, code).await;
    }
    for district in app.area("61.11").await.children {
        hidden += assert_no_subtraction_reveals(&app, district.code.as_str()).await;
    }
    assert!(hidden > 0, "the demo has small cells to hide");
}

#[tokio::test]
async fn a_district_with_one_village_hides_what_its_village_hides() {
    // Kec. Sungai Beremas has one village in the reference list: its figures are the village's.
    let app = TestApp::fresh().await;
    let district = app.area("13.12.01").await;
    assert_eq!(district.children.len(), 1, "the district has one village");
    let village = district.children[0].code.to_string();
    for serial in 1..=3 {
        enrol(&app, &enrolment(&village, serial, now())).await; // 3 farmers
    }
    for serial in 4..=15 {
        let mut e = enrolment(&village, serial, now());
        e.segment = Segment::Fisher;
        enrol(&app, &e).await;
    }
    let village = published(&app, &village).await;
    let segment = |b: &AreaBreakdowns| {
        b.breakdowns
            .iter()
            .find(|b| b.dimension == Dimension::Segment)
            .unwrap()
            .rows
            .clone()
    };
    assert_eq!(
        segment(&village).iter().find(|r| r.value == "farmer").unwrap().enrolled,
        None
    );
    // Every area above holds only these 15 workers: each hides the same cells.
    for code in ["13.12.01", "13.12", "13", "ID"] {
        let area = published(&app, code).await;
        assert!(area.small_cells_suppressed, "{code}");
        assert_eq!(area.breakdowns, village.breakdowns, "{code}");
    }
    assert_no_subtraction_reveals(&app, "13.12.01").await;
}

#[tokio::test]
async fn csv_exports_carry_the_same_numbers_and_the_data_date() {
    let (app, _) = demo_app().await;
    let area = app.area("32.16").await;
    let (status, body) = app.get("/api/v1/areas/32.16/children.csv").await;
    assert_eq!(status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(body.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "data_as_of");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), area.children.len());
    for (record, child) in records.iter().zip(&area.children) {
        assert_eq!(&record[1], child.code.as_str());
        assert_eq!(record[5].parse::<u64>().unwrap(), child.figures.enrolled);
        assert_eq!(record[6].parse::<u64>().unwrap(), child.figures.active);
        assert_eq!(
            &record[0],
            time::OffsetDateTime::format(area.data_as_of, &time::format_description::well_known::Rfc3339).unwrap()
        );
    }
}

#[tokio::test]
async fn search_finds_areas_by_name_and_refuses_empty_queries() {
    let app = TestApp::fresh().await;
    let (status, body) = app.get("/api/v1/search?q=kab%20bekasi").await;
    assert_eq!(status, StatusCode::OK);
    let hits: Vec<SearchHit> = serde_json::from_slice(&body).unwrap();
    assert_eq!(hits[0].code.as_str(), "32.16");
    assert_eq!(hits[0].level, Level::Regency);
    assert_eq!(hits[0].parents[0].name, "Jawa Barat");
    for q in ["", "%20%20", &"a".repeat(101)] {
        let (status, body) = app.get_json(&format!("/api/v1/search?q={q}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q:?}");
        assert_eq!(body["error"]["code"], "invalid_search", "{q:?}");
    }
}

/// Longest run of ASCII digits in `text`.
fn longest_digit_run(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

#[tokio::test]
async fn no_public_endpoint_reveals_a_person() {
    let (app, demo) = demo_app().await;
    let mut rng = fastrand::Rng::with_seed(11);
    let mut codes = vec!["ID".to_owned()];
    let mut level: Vec<String> = vec!["ID".to_owned()];
    for _ in 0..4 {
        let mut next = Vec::new();
        for code in &level {
            let area = app.area(code).await;
            let populated: Vec<String> = area
                .children
                .iter()
                .filter(|c| c.figures.enrolled > 0)
                .map(|c| c.code.to_string())
                .collect();
            for _ in 0..2.min(populated.len()) {
                next.push(populated[rng.usize(..populated.len())].clone());
            }
        }
        codes.extend(next.iter().cloned());
        level = next;
    }
    let names: Vec<&str> = demo
        .iter()
        .map(|e| e.full_name.as_str())
        .filter(|n| n.contains(' '))
        .collect();
    let births: std::collections::HashSet<String> = demo.iter().map(|e| e.birth_date.to_string()).collect();
    let mut pages = vec!["/api/v1/health".to_owned(), "/api/v1/search?q=bekasi".to_owned()];
    for code in &codes {
        // The portal's page with the area inlined.
        pages.push(if code == "ID" {
            "/".to_owned()
        } else {
            format!("/wilayah/{code}")
        });
        for suffix in [
            "",
            "/breakdowns",
            "/trend",
            "/children.csv",
            "/breakdowns.csv",
            "/trend.csv",
        ] {
            pages.push(format!("/api/v1/areas/{code}{suffix}"));
        }
    }
    assert!(codes.iter().any(|c| c.len() == 13), "villages are crawled");
    for page in &pages {
        let (status, body) = app.get(page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let text = String::from_utf8(body).unwrap();
        assert!(longest_digit_run(&text) < 16, "{page}: a NIK-shaped number");
        for name in &names {
            assert!(!text.contains(name), "{page}: a worker's name");
        }
        for word in text.split(|c: char| !(c.is_ascii_digit() || c == '-')) {
            assert!(!births.contains(word), "{page}: a birth date");
        }
    }
}
