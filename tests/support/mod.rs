//! What the browser tests share: the real server on a fresh database, chromedriver, and a
//! headless Chromium session, each killed when dropped.
//!
//! The environment comes from `cargo xtask test`: PANTAU_E2E_SERVER (the server binary),
//! PANTAU_E2E_DIST (the built apps) and CHROMEDRIVER.
// Each test binary (`browser`, `kerja`, `kerja_admin`) compiles this module and uses a part of it.
#![allow(dead_code)]

pub mod api;
pub mod page;

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

/// Generous: on the 2-core CI machine several browsers and servers share the CPU.
pub const WAIT: Duration = Duration::from_secs(60);

/// A child process, killed when dropped.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A required environment variable.
pub fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run the browser tests with `cargo xtask test`"))
}

/// The built apps.
pub fn dist() -> PathBuf {
    PathBuf::from(env("PANTAU_E2E_DIST"))
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts pantau-server on a free port with `static_dir` and a new database in `dir`, seeded
/// with the demo data when `demo`; returns it with the URL it prints.
pub fn spawn_server(dir: &Path, static_dir: &Path, demo: bool) -> (Killed, String) {
    spawn_server_on(&dir.join(format!("e2e-{}.sqlite", free_port())), static_dir, demo)
}

/// Starts pantau-server on a free port over the database file `db`.
pub fn spawn_server_on(db: &Path, static_dir: &Path, demo: bool) -> (Killed, String) {
    let mut cmd = Command::new(env("PANTAU_E2E_SERVER"));
    cmd.args(["--addr", "127.0.0.1:0", "--static-dir"]).arg(static_dir);
    if demo {
        cmd.arg("--demo");
    }
    cmd.arg("--db").arg(db).stdout(Stdio::piped());
    // The test command keeps every server's log at production level for its closing scan
    // for personal data (server/tests/api/logs.rs); otherwise only warnings, on stderr.
    match std::env::var_os("PANTAU_TEST_LOGS") {
        Some(dir) => {
            std::fs::create_dir_all(&dir).unwrap();
            let name = db.file_stem().unwrap().to_string_lossy().into_owned();
            let log = std::fs::File::create(Path::new(&dir).join(format!("e2e-{name}-{}.log", free_port()))).unwrap();
            cmd.env("PANTAU_LOG", "info,sqlx=warn,tower_http=debug").stderr(log)
        }
        None => cmd.env("PANTAU_LOG", "warn"),
    };
    let mut server = cmd.spawn().expect("start pantau-server");
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("Pantau listening on ")
        .expect("server prints its URL")
        .to_owned();
    (Killed(server), base)
}

/// Chromedriver on a free port and a headless Chromium session with a fresh profile in `dir`,
/// its window `width`×`height` (headless Chromium keeps windows at least 500 px wide).
pub async fn start_browser(dir: &Path, width: u32, height: u32) -> (Client, Killed) {
    start_chromium(dir, &format!("--window-size={width},{height}"), json!(null)).await
}

/// Like [`start_browser`], but the page sees exactly `width`×`height` CSS pixels at device
/// pixel ratio 1, as on a phone when `mobile` (Chromium's device emulation).
pub async fn start_emulated_browser(dir: &Path, width: u32, height: u32, mobile: bool) -> (Client, Killed) {
    let metrics = json!({ "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "mobile": mobile } });
    start_chromium(dir, "--window-size=1400,1000", metrics).await
}

async fn start_chromium(dir: &Path, window: &str, mobile_emulation: serde_json::Value) -> (Client, Killed) {
    let port = free_port();
    let driver = Killed(
        Command::new(env("CHROMEDRIVER"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let deadline = Instant::now() + WAIT;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start listening");
        // Polling a condition, not waiting for time.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let profile = dir.join(format!("chromium-profile-{port}"));
    let mut options = json!({
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            window, format!("--user-data-dir={}", profile.display()),
        ]
    });
    if !mobile_emulation.is_null() {
        options["mobileEmulation"] = mobile_emulation;
    }
    let caps = json!({ "goog:chromeOptions": options });
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps.as_object().unwrap().clone())
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("WebDriver session");
    (client, driver)
}
