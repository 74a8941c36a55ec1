use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use pantau_core::api::AreaView;
use pantau_core::workers::Status;
use pantau_core::{FundingSource, Month, Nik, Program, RegionCode, Segment, Sex};
use pantau_server::store::sqlite::SqliteStore;
use pantau_server::store::{NewEnrolment, Particulars, Store};
use pantau_server::{app, AppState};
use tempfile::TempDir;
use time::{Date, OffsetDateTime};
use tower::ServiceExt;

/// A fresh database with the shipped region list, and the app on top of it.
pub struct TestApp {
    pub store: Arc<SqliteStore>,
    pub router: Router,
    /// Kept so the database folder lives as long as the app.
    pub _dir: TempDir,
}

/// A database file prepared once per test binary and copied for each test: loading 91,599
/// regions (and seeding the demo) per test would make the suite slow.
pub fn template(demo: bool) -> &'static Path {
    static PLAIN: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    static DEMO: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    let cell = if demo { &DEMO } else { &PLAIN };
    let (_, path) = cell.get_or_init(|| {
        // Its own thread and runtime: the pools must not outlive the test that happens to build it.
        std::thread::spawn(move || {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("template.sqlite");
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async {
                let store = SqliteStore::open(&path).await.unwrap();
                pantau_server::prepare(&store, demo, now()).await.unwrap();
                store.close().await;
            });
            (dir, path)
        })
        .join()
        .unwrap()
    });
    path
}

impl TestApp {
    /// The shipped regions, no enrolments.
    pub async fn fresh() -> Self {
        Self::from_template(false).await
    }

    /// The shipped regions and the demo data set.
    pub async fn demo() -> Self {
        Self::from_template(true).await
    }

    async fn from_template(demo: bool) -> Self {
        init_logs();
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(template(demo), dir.path().join("test.sqlite")).unwrap();
        let store = Arc::new(SqliteStore::open(&dir.path().join("test.sqlite")).await.unwrap());
        std::fs::create_dir_all(dir.path().join("dist")).unwrap();
        // The app's page template, as the build leaves it but for the head's scripts.
        std::fs::write(dir.path().join("dist/index.html"), include_str!("../../../index.html")).unwrap();
        let state = AppState::new(store.clone(), dir.path().join("dist")).await.unwrap();
        Self {
            router: app(state),
            store,
            _dir: dir,
        }
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Vec<u8>) {
        let res = self
            .router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        (status, res.into_body().collect().await.unwrap().to_bytes().to_vec())
    }

    pub async fn get_json(&self, path: &str) -> (StatusCode, serde_json::Value) {
        let (status, body) = self.get(path).await;
        let json = serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{path}: not JSON ({e})"));
        (status, json)
    }

    pub async fn area(&self, code: &str) -> AreaView {
        let (status, body) = self.get(&format!("/api/v1/areas/{code}")).await;
        assert_eq!(status, StatusCode::OK, "GET area {code}");
        serde_json::from_slice(&body).unwrap()
    }
}

/// Logs stay silent unless TEST_LOG is set (then on the test's output), or PANTAU_TEST_LOGS
/// names a folder: then every line at production level, and the requests' spans, go to a
/// file there, which `logs::the_logs_of_the_whole_test_run_hold_no_personal_data` reads.
fn init_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(init_logs_once);
}

fn init_logs_once() {
    if let Some(dir) = std::env::var_os("PANTAU_TEST_LOGS") {
        std::fs::create_dir_all(&dir).unwrap();
        let file = std::fs::File::create(Path::new(&dir).join(format!("api-{}.log", std::process::id()))).unwrap();
        let _ = tracing_subscriber::fmt()
            .with_writer(std::sync::Mutex::new(file))
            .with_ansi(false)
            .with_env_filter(tracing_subscriber::EnvFilter::new(LOGGED))
            .try_init();
    } else if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    }
}

/// What the logs of a test run hold: the server's default level, and the requests' spans.
pub const LOGGED: &str = "info,sqlx=warn,tower_http=debug";

pub fn now() -> Month {
    Month::of(OffsetDateTime::now_utc().date())
}

/// A valid enrolment in `village` whose premium is paid through `paid_through`. `serial`
/// makes the NIK unique.
pub fn enrolment(village: &str, serial: u16, paid_through: Month) -> NewEnrolment {
    let village = RegionCode::parse(village).unwrap();
    let district = village.district_digits().unwrap();
    let nik = Nik::parse(&format!("{district}150885{serial:04}")).unwrap();
    NewEnrolment {
        nik,
        village,
        full_name: "Contoh Peserta".into(),
        birth_date: Date::from_calendar_date(1985, time::Month::August, 15).unwrap(),
        sex: Sex::Male,
        segment: Segment::Farmer,
        program: Program::JkkJkm,
        income: 1_000_000,
        funding: FundingSource::DanaDesa,
        start: paid_through.plus(-2),
        paid_through,
        status: Status::Verified,
        particulars: Particulars::default(),
    }
}

pub async fn enrol(app: &TestApp, e: &NewEnrolment) {
    app.store.enrol(e).await.unwrap();
}

/// Writes one line of a hostile-suite test's counts for the test command's closing summary
/// (`cargo xtask test` prints `target/hostile/*.txt` at the end).
pub fn record_hostile(name: &str, line: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/hostile");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.txt")), line).unwrap();
}
