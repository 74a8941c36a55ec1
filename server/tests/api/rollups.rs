use pantau_core::api::{AreaView, Figures};
use pantau_core::workers::{DeactivationReason, Status};
use pantau_core::{Breakdown, FundingSource, Program, Segment, Sex};
use pantau_server::store::{Actor, NewEnrolment, Store, StoreError, WorkerStore};

use crate::helpers::{enrol, enrolment, now, TestApp};

const VILLAGE: &str = "32.16.01.2001";
const CHAIN: [&str; 5] = ["ID", "32", "32.16", "32.16.01", VILLAGE];

async fn figures_along_chain(app: &TestApp) -> Vec<Figures> {
    let mut out = Vec::new();
    for code in CHAIN {
        out.push(app.area(code).await.figures);
    }
    out
}

#[tokio::test]
async fn an_enrolment_updates_its_village_and_every_ancestor() {
    let app = TestApp::fresh().await;
    let before = figures_along_chain(&app).await;
    enrol(&app, &enrolment(VILLAGE, 1, now())).await;
    let after = figures_along_chain(&app).await;
    for ((code, b), a) in CHAIN.iter().zip(&before).zip(&after) {
        assert_eq!(a.enrolled, b.enrolled + 1, "{code}: enrolled");
        assert_eq!(a.active, b.active + 1, "{code}: active");
        assert_eq!(a.target, b.target, "{code}: target unchanged");
    }
    // The neighbouring village and district are untouched.
    assert_eq!(app.area("32.16.01.2002").await.figures.enrolled, 0);
    assert_eq!(app.area("32.16.02").await.figures.enrolled, 0);
    // The parent's list shows the same figures as the child's own page.
    let district = app.area("32.16.01").await;
    let row = district.children.iter().find(|c| c.code.as_str() == VILLAGE).unwrap();
    assert_eq!(row.figures, app.area(VILLAGE).await.figures);
}

#[tokio::test]
async fn unpaid_members_are_enrolled_but_not_active() {
    let app = TestApp::fresh().await;
    enrol(&app, &enrolment(VILLAGE, 1, now().plus(-1))).await; // one month in arrears
    enrol(&app, &enrolment(VILLAGE, 2, now().plus(-6))).await; // lapsed
    enrol(&app, &enrolment(VILLAGE, 3, now().plus(5))).await; // paid ahead
    for code in CHAIN {
        let f = app.area(code).await.figures;
        assert_eq!((f.enrolled, f.active), (3, 1), "{code}");
    }
}

#[tokio::test]
async fn a_village_at_target_counts_at_every_level() {
    let app = TestApp::fresh().await;
    let village = pantau_core::RegionCode::parse(VILLAGE).unwrap();
    app.store
        .set_village_target(&village, 2, &Actor::command_line())
        .await
        .unwrap();
    for code in CHAIN {
        let f = app.area(code).await.figures;
        assert_eq!(f.villages_at_target, 0, "{code}: none at target yet");
    }
    assert_eq!(
        app.area("32.16").await.figures.target,
        186 * 100 + 2,
        "regency target is the sum of its villages'"
    );
    enrol(&app, &enrolment(VILLAGE, 1, now())).await;
    enrol(&app, &enrolment(VILLAGE, 2, now().plus(3))).await;
    for code in CHAIN {
        let f = app.area(code).await.figures;
        assert_eq!(f.villages_at_target, 1, "{code}: the village reached its target of 2");
    }
    assert_eq!(app.area(VILLAGE).await.figures.progress_pct, 100.0);
    // Raising the target takes it away again.
    app.store
        .set_village_target(&village, 3, &Actor::command_line())
        .await
        .unwrap();
    assert_eq!(app.area("ID").await.figures.villages_at_target, 0);
}

#[tokio::test]
async fn a_nik_is_enrolled_once() {
    let app = TestApp::fresh().await;
    let first = enrolment(VILLAGE, 1, now());
    enrol(&app, &first).await;
    let mut again = first.clone();
    again.village = pantau_core::RegionCode::parse("32.16.01.2002").unwrap();
    assert!(matches!(app.store.enrol(&again).await, Err(StoreError::Conflict)));
    assert_eq!(
        app.area("ID").await.figures.enrolled,
        1,
        "nothing stored by the refused write"
    );
}

#[tokio::test]
async fn enrolling_outside_a_village_is_refused() {
    let app = TestApp::fresh().await;
    let mut e = enrolment(VILLAGE, 1, now());
    e.village = pantau_core::RegionCode::parse("32.16.01").unwrap();
    assert!(matches!(app.store.enrol(&e).await, Err(StoreError::NotFound)));
    assert_eq!(app.store.enrolment_count().await.unwrap(), 0);
}

fn assert_children_sum_to_parent(area: &AreaView) {
    if area.children.is_empty() {
        return; // a village
    }
    let sum = |f: fn(&Figures) -> u64| area.children.iter().map(|c| f(&c.figures)).sum::<u64>();
    let code = &area.code;
    assert_eq!(sum(|f| f.target), area.figures.target, "{code}: target");
    assert_eq!(sum(|f| f.enrolled), area.figures.enrolled, "{code}: enrolled");
    assert_eq!(sum(|f| f.active), area.figures.active, "{code}: active");
    assert_eq!(sum(|f| f.villages), area.figures.villages, "{code}: villages");
    assert_eq!(
        sum(|f| f.villages_at_target),
        area.figures.villages_at_target,
        "{code}: villages at target"
    );
}

#[tokio::test]
async fn demo_data_rolls_up_and_incremental_writes_match_a_rebuild() {
    let app = TestApp::demo().await;
    let regions = pantau_server::reference::shipped().unwrap();
    let demo = pantau_server::demo::enrolments(&regions, now(), pantau_server::DEMO_SEED);
    for code in ["ID", "32", "32.16", "32.16.01", "61.11", "61.11.01", "36.04", "32.10"] {
        let area = app.area(code).await;
        assert!(area.demo, "{code}: labelled demo");
        assert_children_sum_to_parent(&area);
    }
    // The demo operator's village adds its fortnight of work, the rejected record uncounted.
    let nobody = pantau_server::store::Actor {
        id: 0,
        username: String::new(),
    };
    let history = pantau_server::demo::village_history(
        time::OffsetDateTime::now_utc(),
        pantau_server::DEMO_SEED,
        &nobody,
        &nobody,
    );
    let counted = history
        .iter()
        .filter(|w| w.enrolment.status != pantau_core::workers::Status::Rejected)
        .count();
    let nation = app.area("ID").await.figures;
    assert_eq!(nation.enrolled, (demo.len() + counted) as u64);
    assert!(
        nation.active < nation.enrolled && nation.active > nation.enrolled / 2,
        "some lapsed, most active"
    );
    assert!(nation.villages_at_target > 0);

    // Incremental writes on top, then a full rebuild must give the same figures and breakdowns.
    for serial in 1..=120 {
        enrol(&app, &varied(serial)).await;
    }
    workflow_changes(&app).await;
    let village = pantau_core::RegionCode::parse("32.16.01.2002").unwrap();
    app.store
        .set_village_target(&village, 7, &Actor::command_line())
        .await
        .unwrap();
    let mut incremental = Vec::new();
    for code in CHAIN.iter().chain(&["32.16.01.2002", "61.11"]) {
        let area = app.area(code).await;
        let breakdowns = breakdowns(&app, code).await;
        assert_breakdowns_count_everyone(&area, &breakdowns);
        incremental.push((area, breakdowns));
    }
    app.store.rebuild_aggregates().await.unwrap();
    for (before, breakdowns_before) in incremental {
        let after = app.area(before.code.as_str()).await;
        assert_eq!(after.figures, before.figures, "{}: figures", before.code);
        assert_eq!(after.children, before.children, "{}: children", before.code);
        assert_children_sum_to_parent(&after);
        let breakdowns_after = breakdowns(&app, before.code.as_str()).await;
        assert_eq!(breakdowns_after, breakdowns_before, "{}: breakdowns", before.code);
    }
}

/// An enrolment in VILLAGE whose categories, payment and status vary with `serial`.
fn varied(serial: u16) -> NewEnrolment {
    let n = usize::from(serial);
    let mut e = enrolment(VILLAGE, 9000 + serial, now().plus(i32::from(serial % 5) - 2));
    e.segment = Segment::ALL[n % Segment::ALL.len()];
    e.funding = FundingSource::ALL[n % FundingSource::ALL.len()];
    e.program = Program::ALL[n % Program::ALL.len()];
    e.sex = Sex::ALL[n % Sex::ALL.len()];
    e.birth_date = time::Date::from_calendar_date(1950 + i32::from(serial % 55), time::Month::March, 3).unwrap();
    e.status = if serial % 3 == 0 {
        Status::Submitted
    } else {
        Status::Verified
    };
    e
}

/// The officials' changes, each of which moves a worker between categories or out of the
/// figures: a correction, a renewal, a rejection and a deactivation.
async fn workflow_changes(app: &TestApp) {
    let actor = Actor {
        id: 0,
        username: "rollup-test".to_owned(),
    };
    let corrected = app.store.enrol(&varied(121)).await.unwrap();
    let mut correction = varied(121);
    correction.segment = Segment::ALL[0];
    correction.funding = FundingSource::ALL[0];
    correction.sex = Sex::Female;
    correction.birth_date = time::Date::from_calendar_date(2001, time::Month::July, 1).unwrap();
    app.store.update_worker(corrected.0, &correction, &actor).await.unwrap();
    let renewed = app.store.enrol(&varied(122)).await.unwrap();
    app.store
        .renew_worker(renewed.0, 6, time::OffsetDateTime::now_utc().date(), &actor)
        .await
        .unwrap();
    let rejected = app.store.enrol(&varied(123)).await.unwrap();
    app.store
        .reject_worker(rejected.0, "data tidak cocok", &actor)
        .await
        .unwrap();
    let deactivated = app.store.enrol(&varied(124)).await.unwrap();
    app.store
        .deactivate_worker(deactivated.0, DeactivationReason::Withdrew, &actor)
        .await
        .unwrap();
}

async fn breakdowns(app: &TestApp, code: &str) -> Vec<Breakdown> {
    let code = pantau_core::AreaCode::parse(code).unwrap();
    app.store.breakdowns(&code, now()).await.unwrap()
}

/// Every breakdown lists every worker of the area in exactly one of its categories.
fn assert_breakdowns_count_everyone(area: &AreaView, breakdowns: &[Breakdown]) {
    for b in breakdowns {
        let sum = |cell: fn(&pantau_core::BreakdownRow) -> Option<u64>| b.rows.iter().filter_map(cell).sum::<u64>();
        let (code, dimension) = (&area.code, b.dimension);
        assert_eq!(
            sum(|r| r.enrolled),
            area.figures.enrolled,
            "{code} {dimension:?}: enrolled"
        );
        assert_eq!(sum(|r| r.active), area.figures.active, "{code} {dimension:?}: active");
    }
}

#[tokio::test]
async fn reloading_a_newer_region_list_keeps_enrolments() {
    let app = TestApp::fresh().await;
    enrol(&app, &enrolment(VILLAGE, 1, now())).await;
    let mut list = pantau_server::reference::shipped().unwrap();
    list.version = "test-next-decree".into();
    let renamed = list.regions.iter_mut().find(|r| r.code.as_str() == VILLAGE).unwrap();
    renamed.name = "Sagara Makmur Baru".into();
    // A village dropped by the new decree disappears from its district's list.
    list.regions.retain(|r| r.code.as_str() != "32.16.01.2002");
    app.store.load_regions(&list).await.unwrap();

    assert_eq!(
        app.store.regions_version().await.unwrap().as_deref(),
        Some("test-next-decree")
    );
    let village = app.area(VILLAGE).await;
    assert_eq!(village.name, "Sagara Makmur Baru");
    assert_eq!(village.figures.enrolled, 1, "enrolment kept");
    let district = app.area("32.16.01").await;
    assert!(
        district.children.iter().all(|c| c.code.as_str() != "32.16.01.2002"),
        "retired village not listed"
    );
    assert_eq!(district.figures.enrolled, 1);
}

#[tokio::test]
async fn verify_aggregates_agrees_with_the_writes_and_names_a_table_that_drifted() {
    let app = TestApp::demo().await;
    enrol(&app, &enrolment("32.16.01.2001", 4321, now())).await;
    assert_eq!(app.store.verify_aggregates().await.unwrap(), []);
    let mut db = crate::kerja::raw_db(&app).await;
    sqlx::query("UPDATE area_stats SET enrolled = enrolled + 1 WHERE code = 'ID'")
        .execute(&mut db)
        .await
        .unwrap();
    // The stored row and the recounted one.
    assert_eq!(app.store.verify_aggregates().await.unwrap(), [("area_stats", 2)]);
}
