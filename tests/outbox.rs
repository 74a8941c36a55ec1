//! Browser tests of the workspace's offline outbox (`src/kerja/outbox/`): the release build
//! served by the real server over a demo database, in headless Chromium at 412×915.
//!
//! The network goes away the way it does in a village: the server process is killed (or
//! frozen with SIGSTOP, for a request that never gets its answer), not the browser's network
//! emulation. The records typed meanwhile wait on the phone and reach the server once, which
//! the tests check through the public count and by replaying the records' keys.
//!
//! Run by `cargo xtask test`. With PANTAU_SCREENSHOTS set it also writes
//! docs/screenshots/kerja-outbox-*.png.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::Client;
use serde_json::{json, Value};
use support::api::{http, ApiSession};
use support::page::{click, find, screenshot, select, sign_in, text, type_into, wait_for_text};
use support::{free_port, start_emulated_browser, Killed, WAIT};

/// The demo's village operator (Desa Sagara Makmur, 32.16.01.2001) and regency admin.
const OPERATOR: (&str, &str) = ("operator.sagaramakmur", "coba pantau desa");
const ADMIN: (&str, &str) = ("admin.bekasi", "coba pantau desa");
const VILLAGE: &str = "32.16.01.2001";
/// The neighbouring village, where the admin enrols a worker the operator then claims too.
const NEIGHBOUR: &str = "32.16.01.2002";

/// A worker to type into the form: the NIK encodes the birth date and sex given.
struct Worker {
    nik: &'static str,
    name: &'static str,
    /// As Chromium's date control takes it in the en-US locale: month, day, year.
    birth_keys: &'static str,
    birth: &'static str,
    sex: &'static str,
}

const SITI: Worker = Worker {
    nik: "3216014203900031",
    name: "Siti Aminah",
    birth_keys: "03021990",
    birth: "1990-03-02",
    sex: "female",
};
const JOKO: Worker = Worker {
    nik: "3216010107880045",
    name: "Joko Santoso",
    birth_keys: "07011988",
    birth: "1988-07-01",
    sex: "male",
};
const RUDI: Worker = Worker {
    nik: "3216011508850012",
    name: "Rudi Hartono",
    birth_keys: "08151985",
    birth: "1985-08-15",
    sex: "male",
};

/// The server on a fixed address over one database file, so it can be stopped and started
/// again where the browser (and its service worker) knows it.
struct Server {
    db: PathBuf,
    dist: PathBuf,
    port: u16,
    process: Option<Killed>,
}

impl Server {
    fn start(dir: &Path) -> Self {
        Self::serving(dir, support::dist())
    }

    /// The server of the built apps in `dist`.
    fn serving(dir: &Path, dist: PathBuf) -> Self {
        let mut server = Self {
            db: dir.join("outbox.sqlite"),
            dist,
            port: free_port(),
            process: None,
        };
        server.resume();
        server
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts the server again on the same port and database.
    fn resume(&mut self) {
        let mut process = std::process::Command::new(support::env("PANTAU_E2E_SERVER"))
            .args(["--demo", "--addr", &format!("127.0.0.1:{}", self.port), "--static-dir"])
            .arg(&self.dist)
            .arg("--db")
            .arg(&self.db)
            .env("PANTAU_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start pantau-server");
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(process.stdout.take().unwrap()), &mut line).unwrap();
        assert!(line.starts_with("Pantau listening on "), "server started: {line}");
        self.process = Some(Killed(process));
    }

    /// Kills the server: no answer at all, as with no signal.
    fn stop(&mut self) {
        self.process = None;
    }

    /// Freezes the server: requests are accepted by the kernel and never answered.
    fn freeze(&self, on: bool) {
        let pid = self.process.as_ref().unwrap().0.id().to_string();
        let signal = if on { "-STOP" } else { "-CONT" };
        let status = std::process::Command::new("kill")
            .args([signal, &pid])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

/// Enrolled workers of `code` as the public API counts them.
async fn enrolled(base: &str, code: &str) -> u64 {
    let answer = http(base, "GET", &format!("/api/v1/areas/{code}"), &[], None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["enrolled"].as_u64().unwrap()
}

/// Waits until the header's outbox count shows `n`.
async fn wait_for_count(client: &Client, n: usize) {
    let deadline = Instant::now() + WAIT;
    loop {
        let shown = text(client, "outbox-count").await;
        if shown.trim() == n.to_string() {
            return;
        }
        assert!(Instant::now() < deadline, "outbox count stayed {shown}, wanted {n}");
        // Polling a condition, not waiting for time.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Opens the new-enrolment form once the service worker holds the whole shell, as after a
/// user's first online visit: from then on every page's code comes from the phone. (Stopping
/// the server before the worker has finished installing is a different case: a page whose
/// code was never fetched cannot open.)
async fn open_form(client: &Client, base: &str) {
    client.goto(&format!("{base}/kerja/kotak-keluar")).await.unwrap();
    find(client, "outbox-list").await;
    wait_for_service_worker(client).await;
    client.goto(&format!("{base}/kerja/daftar-baru")).await.unwrap();
    find(client, "enrol-form").await;
}

/// Types `worker` into the open form and sends it.
async fn enrol(client: &Client, worker: &Worker) {
    type_into(client, "input-nik", worker.nik).await;
    type_into(client, "input-full-name", worker.name).await;
    type_into(client, "input-birth-date", worker.birth_keys).await;
    let birth = find(client, "input-birth-date").await.prop("value").await.unwrap();
    assert_eq!(birth.as_deref(), Some(worker.birth), "date input value");
    click(client, &format!("input-sex-{}", worker.sex)).await;
    type_into(client, "input-phone", "0812 3456 7890").await;
    select(client, "input-segment", "farmer").await;
    type_into(client, "input-address", "RT 02/RW 05, Dusun Krajan").await;
    select(client, "input-income", "1000000").await;
    select(client, "input-funding", "dana_desa").await;
    select(client, "input-paid-months", "3").await;
    let consent = find(client, "input-consent").await;
    if !consent.is_selected().await.unwrap() {
        consent.click().await.unwrap();
    }
    click(client, "enrol-submit").await;
}

/// Types `worker` into the open form with no server to answer, and waits until the form says
/// the record is kept on the phone (the form is then ready for the next worker).
async fn enrol_offline(client: &Client, worker: &Worker) {
    enrol(client, worker).await;
    wait_for_text(client, "queued-notice", "Tersimpan di HP ini").await;
}

/// "Send now" on the outbox page, unless the backoff has sent everything already.
async fn send_now(client: &Client) {
    find(client, "outbox-list").await;
    if let Ok(button) = client
        .find(fantoccini::Locator::Css("[data-testid='outbox-send-now']"))
        .await
    {
        // Gone meanwhile when the sender was quicker: fine either way.
        let _ = button.click().await;
    }
}

/// The outbox's records as IndexedDB holds them.
async fn stored_records(client: &Client) -> Vec<Value> {
    let script = r#"
        const done = arguments[arguments.length - 1];
        const open = indexedDB.open("pantau-kerja");
        open.onsuccess = () => {
            const all = open.result.transaction("outbox").objectStore("outbox").getAll();
            all.onsuccess = () => { open.result.close(); done(all.result); };
            all.onerror = () => done(null);
        };
        open.onerror = () => done(null);
    "#;
    let value = client.execute_async(script, vec![]).await.unwrap();
    value.as_array().cloned().unwrap_or_default()
}

/// Waits until the service worker controls the page, so a reload works without the server.
async fn wait_for_service_worker(client: &Client) {
    let script = r#"
        const done = arguments[arguments.length - 1];
        if (!("serviceWorker" in navigator)) { done(false); return; }
        navigator.serviceWorker.ready.then(() => done(true), () => done(false));
    "#;
    let ready = client.execute_async(script, vec![]).await.unwrap();
    assert_eq!(ready, json!(true), "the workspace's service worker is active");
    // A page opened before the worker was active is not controlled by it until a reload.
    let controlled = client
        .execute("return !!navigator.serviceWorker.controller;", vec![])
        .await
        .unwrap();
    if controlled != json!(true) {
        client.refresh().await.unwrap();
        find(client, "who").await;
    }
}

/// Signs the operator in over the API and sends `records` again with their keys: each answer
/// must be the first one, replayed.
async fn replay(base: &str, records: &[Value]) {
    let operator = ApiSession::sign_in(base, OPERATOR).await;
    for record in records {
        let key = record["id"].as_str().unwrap();
        let draft = &record["write"]["draft"];
        let headers = [
            ("Cookie", operator.cookie.as_str()),
            ("X-CSRF-Token", operator.csrf.as_str()),
            ("Idempotency-Key", key),
        ];
        let again = http(base, "POST", "/api/v1/enrolments", &headers, Some(draft)).await;
        assert_eq!(again.status, 201, "a replay answers the first answer: {}", again.body);
        assert!(
            again
                .headers
                .iter()
                .any(|(k, v)| k == "idempotent-replayed" && v == "true"),
            "marked as a replay"
        );
    }
}

#[tokio::test]
async fn enrolments_typed_while_the_server_is_down_are_sent_once_when_it_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    let base = server.base();
    let before = enrolled(&base, VILLAGE).await;
    let (client, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;

    sign_in(&client, &base, OPERATOR).await;
    wait_for_count(&client, 0).await;
    open_form(&client, &base).await;

    server.stop();
    client.refresh().await.unwrap();
    find(&client, "enrol-form").await;
    wait_for_text(&client, "offline", "Tanpa sinyal").await;
    for (n, worker) in [&SITI, &JOKO].into_iter().enumerate() {
        enrol_offline(&client, worker).await;
        wait_for_count(&client, n + 1).await;
    }
    client.goto(&format!("{base}/kerja/kotak-keluar")).await.unwrap();
    wait_for_text(&client, "outbox-on-device", "2").await;
    screenshot(&client, "kerja-outbox-waiting-412x915").await;
    let records = stored_records(&client).await;
    assert_eq!(records.len(), 2, "both records are in IndexedDB");
    assert_ne!(records[0]["id"], records[1]["id"], "each record has its own key");

    server.resume();
    // The browser never lost its network, so nothing tells it the server is back: the
    // official's "send now" does (the backoff would, later).
    send_now(&client).await;
    wait_for_count(&client, 0).await;
    find(&client, "outbox-all-sent").await;
    assert_eq!(enrolled(&base, VILLAGE).await, before + 2, "both arrived, once");
    let receipts = client
        .find_all(fantoccini::Locator::Css("[data-testid='receipt']"))
        .await
        .unwrap();
    assert_eq!(receipts.len(), 2, "a receipt for each");

    let marked = client
        .execute("return !!document.querySelector(\"[data-testid='offline']\");", vec![])
        .await
        .unwrap();
    assert_eq!(
        marked,
        json!(false),
        "the offline marker goes once the server confirmed the session"
    );

    replay(&base, &records).await;
    assert_eq!(
        enrolled(&base, VILLAGE).await,
        before + 2,
        "a replay of the same keys creates nothing"
    );
}

/// Copies the built apps, so a test can publish an update of its own.
fn copy_dist(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dist(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Publishes `dist/kerja/sw.js` as a new build (`build` in place of this one's id) that also
/// lists `extra` files, and asks the browser to update from a page outside the workspace (so
/// no outbox runs meanwhile); the worker's last state: `activated`, or `redundant` when its
/// install failed.
async fn publish_worker_update(client: &Client, base: &str, dist: &Path, build: &str, extra: &[&str]) -> String {
    let path = dist.join("kerja/sw.js");
    // Each update is made from the build's own worker.
    let original = dist.join("kerja/sw.js.built");
    if !original.exists() {
        std::fs::copy(&path, &original).unwrap();
    }
    let source = std::fs::read_to_string(&original).unwrap();
    let (_, rest) = source.split_once("const BUILD = \"").unwrap();
    let (current, _) = rest.split_once('"').unwrap();
    let mut updated = source.replace(current, build);
    for file in extra {
        updated = updated.replacen("const FILES = [", &format!("const FILES = [\"{file}\","), 1);
    }
    // `Last-Modified` counts whole seconds: a version written in the same second as the one
    // before would be answered 304 to the browser's update check, which would then install the
    // previous version again from its HTTP cache. So each one is dated a second after the last.
    let previous = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, updated).unwrap();
    let written = std::fs::File::options().write(true).open(&path).unwrap();
    let newer = std::time::SystemTime::now().max(previous + std::time::Duration::from_secs(1));
    written.set_modified(newer).unwrap();
    // The server would send the old precompressed sibling.
    let _ = std::fs::remove_file(dist.join("kerja/sw.js.br"));
    client.goto(&format!("{base}/tentang-data")).await.unwrap();
    let script = r#"
        const done = arguments[arguments.length - 1];
        navigator.serviceWorker.getRegistration("/kerja/").then(async (registration) => {
            let tracked = null;
            const track = (worker) => {
                if (!worker || tracked) return;
                tracked = worker;
                const settled = () => worker.state === "activated" || worker.state === "redundant";
                if (settled()) { done(worker.state); return; }
                worker.addEventListener("statechange", () => settled() && done(worker.state));
            };
            registration.addEventListener("updatefound", () => track(registration.installing));
            await registration.update().catch(() => {});
            track(registration.installing || registration.waiting);
            if (!tracked) setTimeout(() => tracked || done("none"), 2000);
        }, () => done("none"));
    "#;
    client
        .execute_async(script, vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The names of the page's caches.
async fn cache_names(client: &Client) -> Vec<String> {
    let script = "const done = arguments[arguments.length - 1]; caches.keys().then(done, () => done([]));";
    let names = client.execute_async(script, vec![]).await.unwrap();
    serde_json::from_value(names).unwrap_or_default()
}

#[tokio::test]
async fn an_update_keeps_the_shell_until_the_next_is_complete_and_never_touches_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    copy_dist(&support::dist(), &dist);
    let mut server = Server::serving(dir.path(), dist.clone());
    let base = server.base();
    let before = enrolled(&base, VILLAGE).await;
    let (client, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;
    sign_in(&client, &base, OPERATOR).await;
    wait_for_count(&client, 0).await;
    open_form(&client, &base).await;
    let first_shell = cache_names(&client).await;
    assert_eq!(
        first_shell
            .iter()
            .filter(|n| n.starts_with("pantau-kerja-shell-"))
            .count(),
        1,
        "one shell cached: {first_shell:?}"
    );

    // A record waits on the phone.
    server.stop();
    client.refresh().await.unwrap();
    find(&client, "enrol-form").await;
    enrol_offline(&client, &SITI).await;
    let waiting = stored_records(&client).await;
    assert_eq!(waiting.len(), 1);
    client.goto("about:blank").await.unwrap();

    // An update whose files cannot all be fetched never installs: the shell stays.
    server.resume();
    let broken = publish_worker_update(
        &client,
        &base,
        &dist,
        "broken-update",
        &["/kerja/pkg/missing/gone.wasm"],
    )
    .await;
    assert_eq!(broken, "redundant", "an incomplete update is dropped");
    let after_broken = cache_names(&client).await;
    assert!(
        after_broken.iter().any(|n| n == &first_shell[0]),
        "the shell in use survives a failed update: {after_broken:?}"
    );

    // A complete update takes over, and keeps the shell before it.
    let good = publish_worker_update(&client, &base, &dist, "next-update", &[]).await;
    assert_eq!(good, "activated");
    let after_good = cache_names(&client).await;
    assert!(
        after_good.iter().any(|n| n == "pantau-kerja-shell-next-update"),
        "{after_good:?}"
    );
    assert!(
        after_good.iter().any(|n| n == &first_shell[0]),
        "the previous shell is kept: {after_good:?}"
    );

    // Offline again: the updated worker opens the workspace, the record is as it was.
    server.stop();
    client.goto(&format!("{base}/kerja/kotak-keluar")).await.unwrap();
    find(&client, "outbox-list").await;
    wait_for_count(&client, 1).await;
    let kept = stored_records(&client).await;
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (&kept[0]["id"], &kept[0]["write"]),
        (&waiting[0]["id"], &waiting[0]["write"]),
        "the update left the record as it was"
    );

    server.resume();
    send_now(&client).await;
    wait_for_count(&client, 0).await;
    assert_eq!(enrolled(&base, VILLAGE).await, before + 1, "the record arrived once");
}

#[tokio::test]
async fn a_tab_closed_while_sending_leaves_the_record_to_the_next_tab_which_sends_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let base = server.base();
    let before = enrolled(&base, VILLAGE).await;
    let (client, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;
    sign_in(&client, &base, OPERATOR).await;
    wait_for_count(&client, 0).await;
    let first = client.window().await.unwrap();
    open_form(&client, &base).await;
    // A second tab, open before the signal goes: it waits for the queue's lock.
    let second = client.new_window(true).await.unwrap().handle;
    client.switch_to_window(second.clone()).await.unwrap();
    client.goto(&format!("{base}/kerja/")).await.unwrap();
    wait_for_count(&client, 0).await;
    client.switch_to_window(first).await.unwrap();

    // The request goes out and its answer never comes.
    server.freeze(true);
    enrol(&client, &SITI).await;
    let deadline = Instant::now() + WAIT;
    while stored_records(&client)
        .await
        .first()
        .is_none_or(|r| r["state"]["state"] != "sending")
    {
        assert!(Instant::now() < deadline, "the record never went to sending");
        // Polling a condition, not waiting for time.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client.close_window().await.unwrap();
    client.switch_to_window(second).await.unwrap();
    server.freeze(false);

    // The second tab gets the lock and sends the frozen record again, with its key.
    client.refresh().await.unwrap();
    wait_for_count(&client, 0).await;
    assert_eq!(enrolled(&base, VILLAGE).await, before + 1, "sent once");
}

#[tokio::test]
async fn two_tabs_share_one_outbox_and_each_record_arrives_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    let base = server.base();
    let before = enrolled(&base, VILLAGE).await;
    let (client, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;
    sign_in(&client, &base, OPERATOR).await;
    let first = client.window().await.unwrap();
    open_form(&client, &base).await;
    let second = client.new_window(true).await.unwrap().handle;
    client.switch_to_window(second.clone()).await.unwrap();
    open_form(&client, &base).await;

    server.stop();
    enrol_offline(&client, &JOKO).await;
    wait_for_count(&client, 1).await;
    client.switch_to_window(first.clone()).await.unwrap();
    // The other tab's record shows here too.
    wait_for_count(&client, 1).await;
    enrol_offline(&client, &SITI).await;
    wait_for_count(&client, 2).await;
    let records = stored_records(&client).await;
    assert_eq!(records.len(), 2);
    assert_ne!(records[0]["id"], records[1]["id"], "two forms, two keys");

    server.resume();
    click(&client, "nav-outbox").await;
    send_now(&client).await;
    wait_for_count(&client, 0).await;
    client.switch_to_window(second).await.unwrap();
    wait_for_count(&client, 0).await;
    assert_eq!(enrolled(&base, VILLAGE).await, before + 2, "each once");
}

#[tokio::test]
async fn refused_and_duplicate_records_wait_to_be_fixed_and_resent() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    let base = server.base();
    let (client, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;
    sign_in(&client, &base, OPERATOR).await;
    open_form(&client, &base).await;
    let month = client
        .execute("return new Date().toISOString().slice(0, 7);", vec![])
        .await
        .unwrap();

    // The regency admin enrols Rudi in the neighbouring village first.
    let admin = ApiSession::sign_in(&base, ADMIN).await;
    let rudi = json!({
        "nik": RUDI.nik, "full_name": RUDI.name, "birth_date": RUDI.birth, "sex": RUDI.sex,
        "phone": "", "address": "Dusun Pantai", "segment": "fisher", "village": NEIGHBOUR,
        "program": "jkk_jkm", "income": 1000000, "funding": "dana_desa",
        "coverage_start": month, "paid_months": 1, "consent": true,
    });
    let created = admin.post("/api/v1/enrolments", &rudi).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let before = enrolled(&base, VILLAGE).await;

    // Offline, the operator enrols Rudi as well, and Siti.
    server.stop();
    enrol_offline(&client, &RUDI).await;
    wait_for_count(&client, 1).await;
    enrol_offline(&client, &SITI).await;
    wait_for_count(&client, 2).await;
    click(&client, "nav-outbox").await;
    wait_for_text(&client, "outbox-on-device", "2").await;

    server.resume();
    send_now(&client).await;
    // Siti arrives; Rudi is refused as enrolled elsewhere and waits, with the online choices.
    wait_for_count(&client, 1).await;
    wait_for_text(&client, "outbox-state", "Ditolak").await;
    wait_for_text(&client, "duplicate-notice", "Segarajaya").await;
    screenshot(&client, "kerja-outbox-duplicate-412x915").await;
    assert_eq!(enrolled(&base, VILLAGE).await, before + 1);

    // The operator had mistyped the serial: fixes it in the form and sends again.
    click(&client, "outbox-fix").await;
    find(&client, "fixing-notice").await;
    let nik = find(&client, "input-nik").await.prop("value").await.unwrap();
    assert_eq!(nik.as_deref(), Some(RUDI.nik), "the refused record is in the form");
    type_into(&client, "input-nik", "3216011508850099").await;
    click(&client, "enrol-submit").await;
    wait_for_text(&client, "flash", RUDI.name).await;
    wait_for_count(&client, 0).await;
    assert_eq!(enrolled(&base, VILLAGE).await, before + 2, "the fixed record arrived");
}

#[tokio::test]
async fn the_encrypted_download_loads_back_on_a_fresh_profile() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    let base = server.base();
    let before = enrolled(&base, VILLAGE).await;
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();

    let (client, driver) = start_emulated_browser(dir.path(), 412, 915, true).await;
    allow_downloads(&client, &downloads).await;
    sign_in(&client, &base, OPERATOR).await;
    open_form(&client, &base).await;
    server.stop();
    enrol_offline(&client, &JOKO).await;
    wait_for_count(&client, 1).await;
    // The header tells the server is gone, though the page opened with it.
    wait_for_text(&client, "offline", "Tanpa sinyal").await;
    click(&client, "nav-outbox").await;
    type_into(&client, "vault-passphrase", "pendek").await;
    click(&client, "vault-download").await;
    wait_for_text(&client, "vault-message", "minimal 8").await;
    type_into(&client, "vault-passphrase", "kunci rahasia desa").await;
    click(&client, "vault-download").await;
    wait_for_text(&client, "vault-message", "sudah diunduh").await;
    let file = wait_for_file(&downloads).await;
    let sealed = std::fs::read_to_string(&file).unwrap();
    assert!(
        !sealed.contains(JOKO.nik) && !sealed.contains(JOKO.name),
        "the file is encrypted"
    );
    // Signing out warns first, then removes the official's data from this phone.
    click(&client, "sign-out").await;
    wait_for_text(&client, "sign-out-warning", "1").await;
    screenshot(&client, "kerja-outbox-sign-out-412x915").await;
    click(&client, "sign-out-anyway").await;
    find(&client, "sign-in-login").await;
    assert!(
        stored_records(&client).await.is_empty(),
        "no record is left on the phone"
    );
    let last = client
        .execute("return localStorage.getItem('pantau-kerja.session');", vec![])
        .await
        .unwrap();
    assert_eq!(last, Value::Null, "nor the last session");
    client.close().await.unwrap();
    drop(driver);

    // Another phone: a fresh profile, the same official.
    server.resume();
    let (client, _driver) = start_emulated_browser(&dir.path().join("fresh"), 412, 915, true).await;
    sign_in(&client, &base, OPERATOR).await;
    client.goto(&format!("{base}/kerja/kotak-keluar")).await.unwrap();
    wait_for_count(&client, 0).await;
    let input = find(&client, "vault-file").await;
    input.send_keys(file.to_str().unwrap()).await.unwrap();
    type_into(&client, "vault-passphrase", "kunci yang salah").await;
    click(&client, "vault-import").await;
    wait_for_text(&client, "vault-message", "salah").await;
    type_into(&client, "vault-passphrase", "kunci rahasia desa").await;
    click(&client, "vault-import").await;
    wait_for_text(&client, "vault-message", "1 data dimuat").await;
    wait_for_count(&client, 0).await;
    assert_eq!(enrolled(&base, VILLAGE).await, before + 1, "the loaded record was sent");
    // Loading the same file again adds nothing.
    click(&client, "vault-import").await;
    wait_for_text(&client, "vault-message", "0 data dimuat").await;
}

/// The first file that appears in `dir`, once fully written.
async fn wait_for_file(dir: &Path) -> PathBuf {
    let deadline = Instant::now() + WAIT;
    loop {
        let done = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "json"));
        if let Some(path) = done {
            return path;
        }
        assert!(Instant::now() < deadline, "no download in {}", dir.display());
        // Polling a condition, not waiting for time.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Chromium's DevTools command, through chromedriver, that lets downloads land in `dir`.
#[derive(Debug)]
struct AllowDownloads(PathBuf);

impl fantoccini::wd::WebDriverCompatibleCommand for AllowDownloads {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let command = json!({
            "cmd": "Browser.setDownloadBehavior",
            "params": { "behavior": "allow", "downloadPath": self.0.to_str().unwrap() },
        });
        (http::Method::POST, Some(command.to_string()))
    }
}

async fn allow_downloads(client: &Client, dir: &Path) {
    client
        .issue_cmd(AllowDownloads(dir.to_owned()))
        .await
        .expect("downloads allowed");
}
