//! Component tests in headless Chromium (wasm-bindgen-test): the area view renders the
//! figures it is given, formatted the Indonesian way. No network here; pages that fetch are
//! covered by tests/browser.rs.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_router::components::Router;
use pantau::components::area_summary::AreaSummary;
use pantau_core::api::{AreaChild, AreaView, Crumb, Figures, Rank};
use pantau_core::{AreaCode, Level, RegionCode};
use time::macros::datetime;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn figures(target: u64, enrolled: u64, active: u64, villages: u64, at_target: u64) -> Figures {
    Figures {
        target,
        enrolled,
        verified: enrolled,
        active,
        progress_pct: pantau_core::coverage::progress_pct(active, target),
        villages,
        villages_at_target: at_target,
        premium_per_year: Some(active * 16_800 * 12),
    }
}

fn bekasi(demo: bool) -> AreaView {
    AreaView {
        code: AreaCode::parse("32.16").unwrap(),
        name: "Kabupaten Bekasi".into(),
        level: Level::Regency,
        breadcrumbs: vec![
            Crumb {
                code: AreaCode::Nation,
                name: "Indonesia".into(),
                level: Level::Nation,
            },
            Crumb {
                code: AreaCode::parse("32").unwrap(),
                name: "Jawa Barat".into(),
                level: Level::Province,
            },
        ],
        figures: figures(18_700, 10_675, 8_351, 187, 23),
        rank: Some(Rank { position: 1, of: 27 }),
        children: vec![
            AreaChild {
                code: RegionCode::parse("32.16.01").unwrap(),
                name: "Tarumajaya".into(),
                level: Level::District,
                figures: figures(800, 518, 409, 8, 1),
            },
            AreaChild {
                code: RegionCode::parse("32.16.02").unwrap(),
                name: "Babelan".into(),
                level: Level::District,
                figures: figures(900, 960, 930, 9, 9),
            },
        ],
        data_as_of: datetime!(2026-11-23 03:00 UTC),
        demo,
    }
}

fn mount(area: AreaView) -> (web_sys::HtmlElement, leptos::mount::UnmountHandle<impl Mountable>) {
    let document = document();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(
        host.clone(),
        move || view! { <Router><AreaSummary area=area.clone()/></Router> },
    );
    (host, handle)
}

fn text(host: &web_sys::HtmlElement, testid: &str) -> Option<String> {
    host.query_selector(&format!("[data-testid='{testid}']"))
        .unwrap()
        .and_then(|el| el.text_content())
}

#[wasm_bindgen_test]
async fn headline_shows_figures_in_indonesian_format() {
    let (host, _mounted) = mount(bekasi(false));
    leptos::task::tick().await;
    assert_eq!(text(&host, "area-name").as_deref(), Some("Kabupaten Bekasi"));
    assert_eq!(text(&host, "area-active").as_deref(), Some("8.351"));
    assert_eq!(text(&host, "area-target").as_deref(), Some("18.700"));
    assert_eq!(text(&host, "area-progress").as_deref(), Some("44,7%"));
    assert_eq!(text(&host, "area-inactive").as_deref(), Some("2.324"));
    assert_eq!(
        text(&host, "area-gap").as_deref(),
        Some("Kurang 10.349 pekerja lagi untuk mencapai target.")
    );
    assert_eq!(text(&host, "area-villages-at-target").as_deref(), Some("23 dari 187"));
    assert_eq!(
        text(&host, "data-as-of").as_deref(),
        Some("Data per 23 Nov 2026 10.00 WIB")
    );
    assert_eq!(text(&host, "area-premium").as_deref(), Some("Rp1.683.561.600"));
    assert_eq!(
        text(&host, "area-rank").as_deref(),
        Some("Peringkat 1 dari 27 menurut capaian")
    );
    assert_eq!(text(&host, "demo-banner"), None, "no demo label on real data");
}

#[wasm_bindgen_test]
async fn a_hidden_premium_shows_a_dash_and_why() {
    let mut area = bekasi(false);
    area.figures.premium_per_year = None;
    let (host, _mounted) = mount(area);
    leptos::task::tick().await;
    assert_eq!(
        text(&host, "area-premium").as_deref(),
        Some("—tidak ditampilkan: melindungi penghasilan peserta yang sedikit")
    );
}

#[wasm_bindgen_test]
async fn children_link_one_level_down_and_demo_is_labelled() {
    let (host, _mounted) = mount(bekasi(true));
    leptos::task::tick().await;
    assert!(text(&host, "demo-banner").is_some_and(|t| t.contains("Data demo")));
    let rows = host.query_selector_all("[data-testid='child-row']").unwrap();
    assert_eq!(rows.length(), 2);
    let first = rows.item(0).unwrap().unchecked_into::<web_sys::Element>();
    assert_eq!(
        first.get_attribute("data-code").as_deref(),
        Some("32.16.02"),
        "highest progress first"
    );
    let link = host.query_selector("[data-code='32.16.02'] a").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("/wilayah/32.16.02"));
    let over = host
        .query_selector("[data-code='32.16.02'] [data-testid='child-progress']")
        .unwrap()
        .unwrap();
    assert_eq!(
        over.text_content().as_deref(),
        Some("103,3%"),
        "over target is shown as it is"
    );
}

#[wasm_bindgen_test]
async fn sorting_reorders_the_children() {
    let (host, _mounted) = mount(bekasi(false));
    leptos::task::tick().await;
    let button: web_sys::HtmlElement = host
        .query_selector("[data-testid='sort-name']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    leptos::task::tick().await;
    let first = host.query_selector("[data-testid='child-row']").unwrap().unwrap();
    assert_eq!(
        first.get_attribute("data-code").as_deref(),
        Some("32.16.02"),
        "Babelan before Tarumajaya"
    );
    let button: web_sys::HtmlElement = host
        .query_selector("[data-testid='sort-gap']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    leptos::task::tick().await;
    let first = host.query_selector("[data-testid='child-row']").unwrap().unwrap();
    assert_eq!(
        first.get_attribute("data-code").as_deref(),
        Some("32.16.01"),
        "largest shortfall first"
    );
    assert_eq!(button.get_attribute("aria-pressed").as_deref(), Some("true"));
}

/// Two unit squares side by side (one shared border) and a village known only by its point.
fn two_squares_and_a_point() -> Vec<pantau_core::map::MapFeature> {
    use pantau_core::map::MapFeature;
    let square = |x: f64| vec![vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]]];
    vec![
        MapFeature {
            code: "west".into(),
            rings: square(100.0),
            label: [100.5, 0.5],
        },
        MapFeature {
            code: "east".into(),
            rings: square(101.0),
            label: [101.5, 0.5],
        },
        MapFeature {
            code: "dot".into(),
            rings: Vec::new(),
            label: [101.5, -0.5],
        },
    ]
}

#[wasm_bindgen_test]
fn map_scene_paints_classes_and_hits_what_is_under_the_pointer() {
    use pantau::components::map_canvas::{Scene, Viewport};
    use pantau_core::map::CLASS_COLOURS;
    let canvas: web_sys::HtmlCanvasElement = document().create_element("canvas").unwrap().unchecked_into();
    canvas.set_width(400);
    canvas.set_height(300);
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let view = Viewport {
        width: 400.0,
        height: 300.0,
        dpr: 1.0,
    };
    let class_of = |code: &str| match code {
        "west" => Some(0),
        "east" => Some(4),
        _ => Some(2),
    };
    let mut scene = Scene::new(&two_squares_and_a_point(), class_of, Some("east"));
    scene.draw(&ctx, view);

    let pixel = |(x, y): (f64, f64)| {
        let data = ctx.get_image_data(x.round(), y.round(), 1.0, 1.0).unwrap().data();
        format!("#{:02x}{:02x}{:02x}", data[0], data[1], data[2])
    };
    let west = scene.screen_label(0, view);
    let east = scene.screen_label(1, view);
    assert_eq!(pixel(west), CLASS_COLOURS[0], "west in class 0");
    assert_eq!(pixel(east), CLASS_COLOURS[4], "east in class 4");
    assert_eq!(scene.hit(&ctx, west.0, west.1, view), Some(0));
    assert_eq!(scene.hit(&ctx, east.0, east.1, view), Some(1));
    let dot = scene.screen_label(2, view);
    assert_eq!(
        scene.hit(&ctx, dot.0 + 4.0, dot.1, view),
        Some(2),
        "a point is hit near its marker"
    );
    assert_eq!(scene.hit(&ctx, 2.0, 2.0, view), None, "nothing in the corner");

    // Zooming keeps the point under the cursor where it was.
    scene.zoom_at(3.0, east.0, east.1, view);
    let after = scene.screen_label(1, view);
    assert!((after.0 - east.0).abs() < 1e-6 && (after.1 - east.1).abs() < 1e-6);
    assert!(scene.screen_label(0, view).0 < west.0, "the rest spreads out");
    scene.reset();
    assert_eq!(scene.screen_label(0, view), west);
}
