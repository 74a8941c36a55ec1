//! Browser test of the workspace's administration pages (`/kerja/admin/…`): the release build
//! served by the real server on an empty database, driven in headless Chromium at 412×915.
//!
//! A national admin made with `create-admin` creates a regency admin over the API. Through the
//! pages, the regency admin creates a village operator (after the server refused a malformed
//! username next to its field) and a reset link, with which the operator sets a password in a
//! fresh browser and signs in. The admin then sets a village target, which the public village
//! page shows; adds a regulation, which the public regency page lists under its commitments;
//! sets a budget allocation; and finds each of these steps in the audit log.
//!
//! Run by `cargo xtask test`. With PANTAU_SCREENSHOTS set it also writes
//! docs/screenshots/kerja-admin-*.png.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use support::{spawn_server_on, start_emulated_browser, WAIT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const NATIONAL: (&str, &str) = ("admin", "kuda-laut-biru-sembilan");
const REGENCY_ADMIN: (&str, &str) = ("admin.bekasi", "sungai-citarum-pagi-lima");
const OPERATOR: &str = "operator.sagara";
const OPERATOR_PASSWORD: &str = "perahu-nelayan-pagi-tujuh";
/// Kabupaten Bekasi.
const REGENCY: &str = "32.16";
/// Kec. Tarumajaya.
const DISTRICT: &str = "32.16.01";
/// Desa Sagara Makmur.
const VILLAGE: &str = "32.16.01.2001";
const REGULATION: &str = "Perlindungan jaminan sosial ketenagakerjaan bagi pekerja rentan";

/// One HTTP/1.1 request over a fresh connection; returns status, `Set-Cookie` and JSON body.
async fn http(base: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &Value) -> (u16, String, Value) {
    let host = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let body = body.to_string();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, payload) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let cookie = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.trim().split(';').next().unwrap().to_owned())
        .unwrap_or_default();
    // Small JSON answers; a chunked one is a single chunk.
    let json_text = payload
        .find('{')
        .map_or("", |start| &payload[start..payload.rfind('}').unwrap() + 1]);
    (status, cookie, serde_json::from_str(json_text).unwrap_or(Value::Null))
}

/// `create-admin` on the database the server will then serve.
fn create_admin(db: &Path) {
    let status = Command::new(support::env("PANTAU_E2E_SERVER"))
        .arg("--db")
        .arg(db)
        .args([
            "create-admin",
            "--username",
            NATIONAL.0,
            "--display-name",
            "Admin Nasional",
        ])
        .env("PANTAU_ADMIN_PASSWORD", NATIONAL.1)
        .env("PANTAU_LOG", "warn")
        .status()
        .expect("run create-admin");
    assert!(status.success(), "create-admin failed");
}

/// The national admin creates the regency admin of Kabupaten Bekasi over the API.
async fn create_regency_admin(base: &str) {
    let login = json!({ "login": NATIONAL.0, "password": NATIONAL.1 });
    let (status, cookie, me) = http(base, "POST", "/api/v1/session", &[], &login).await;
    assert_eq!(status, 200, "national admin signs in: {me}");
    let csrf = me["csrf_token"].as_str().unwrap().to_owned();
    let user = json!({
        "username": REGENCY_ADMIN.0,
        "display_name": "Rina Admin Bekasi",
        "grant": { "role": "regency_admin", "scope": REGENCY },
        "password": REGENCY_ADMIN.1,
    });
    let headers = [("Cookie", cookie.as_str()), ("X-CSRF-Token", csrf.as_str())];
    let (status, _, created) = http(base, "POST", "/api/v1/users", &headers, &user).await;
    assert_eq!(status, 201, "regency admin created: {created}");
}

fn css(testid: &str) -> String {
    format!("[data-testid='{testid}']")
}

async fn find_css(client: &Client, selector: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("{selector} not shown: {e}"))
}

async fn find(client: &Client, testid: &str) -> fantoccini::elements::Element {
    find_css(client, &css(testid)).await
}

async fn text(client: &Client, testid: &str) -> String {
    find(client, testid).await.text().await.unwrap()
}

/// Waits until the element matching `selector` shows a text containing `wanted`.
async fn wait_for_css_text(client: &Client, selector: &str, wanted: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(el) = client.find(Locator::Css(selector)).await {
            let shown = el.text().await.unwrap_or_default();
            if shown.contains(wanted) {
                return shown;
            }
        }
        assert!(Instant::now() < deadline, "{selector} never showed {wanted:?}");
        // Polling a condition, not waiting for time.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_for_text(client: &Client, testid: &str, wanted: &str) -> String {
    wait_for_css_text(client, &css(testid), wanted).await
}

async fn type_into(client: &Client, testid: &str, keys: &str) {
    let input = find(client, testid).await;
    input.clear().await.unwrap();
    input.send_keys(keys).await.unwrap();
}

async fn click(client: &Client, testid: &str) {
    find(client, testid).await.click().await.unwrap();
}

async fn click_css(client: &Client, selector: &str) {
    find_css(client, selector).await.click().await.unwrap();
}

/// Scrolls the element `testid` into view, for a screenshot.
async fn scroll_to(client: &Client, testid: &str) {
    let element = find(client, testid).await;
    client
        .execute(
            "arguments[0].scrollIntoView({ block: 'center' });",
            vec![serde_json::to_value(&element).unwrap()],
        )
        .await
        .unwrap();
}

/// Writes a screenshot to docs/screenshots/ when PANTAU_SCREENSHOTS is set.
async fn screenshot(client: &Client, name: &str) {
    if std::env::var_os("PANTAU_SCREENSHOTS").is_none() {
        return;
    }
    let png = client.screenshot().await.unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs").join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("kerja-admin-{name}.png")), png).unwrap();
}

async fn sign_in(client: &Client, base: &str, (login, password): (&str, &str)) {
    client.goto(&format!("{base}/kerja/")).await.unwrap();
    type_into(client, "sign-in-login", login).await;
    type_into(client, "sign-in-password", password).await;
    click(client, "sign-in-submit").await;
    find(client, "who").await;
}

/// A public page opened by a citizen in a new browser: public answers may be reused for a
/// minute (Cache-Control), so a browser that looked before could show old figures.
async fn public_text(dir: &Path, base: &str, path: &str, testid: &str, wanted: &str) -> String {
    let (client, _driver) = start_emulated_browser(dir, 412, 915, true).await;
    client.goto(&format!("{base}{path}")).await.unwrap();
    let shown = wait_for_text(&client, testid, wanted).await;
    client.close().await.unwrap();
    shown
}

#[tokio::test]
async fn regency_admin_manages_users_targets_regulations_and_budgets() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("admin.sqlite");
    create_admin(&db);
    let (_server, base) = spawn_server_on(&db, &support::dist(), false);
    create_regency_admin(&base).await;
    let (client, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;

    // Home lists the administration pages of a regency admin.
    sign_in(&client, &base, REGENCY_ADMIN).await;
    assert_eq!(text(&client, "me-role").await, "Admin kabupaten/kota");
    for page in [
        "admin-users",
        "admin-targets",
        "admin-budgets",
        "admin-regulations",
        "admin-audit",
        "admin-boundaries",
    ] {
        find(&client, page).await;
    }
    scroll_to(&client, "admin-links").await;
    screenshot(&client, "home-412x915").await;

    // A new village operator: a malformed username is refused next to its field.
    click(&client, "admin-users").await;
    find(&client, "new-user").await;
    type_into(&client, "user-username", "Operator Sagara").await;
    type_into(&client, "user-display-name", "Siti Operator").await;
    assert_eq!(
        find(&client, "user-role").await.prop("value").await.unwrap().as_deref(),
        Some("village_operator"),
        "the first role a regency admin may create"
    );
    type_into(&client, "user-scope", VILLAGE).await;
    wait_for_text(&client, "user-scope-name", "Sagara Makmur").await;
    click(&client, "user-submit").await;
    wait_for_text(&client, "error-user-username", "huruf kecil").await;
    let username = find(&client, "user-username").await;
    assert_eq!(username.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    screenshot(&client, "user-error-412x915").await;
    // Fixed; no password: the operator sets their own through a reset link.
    type_into(&client, "user-username", OPERATOR).await;
    click(&client, "user-submit").await;
    wait_for_text(&client, "user-created", OPERATOR).await;
    let row = format!("[data-testid='user-row'][data-username='{OPERATOR}']");
    wait_for_css_text(&client, &row, "Operator desa").await;
    click_css(&client, &format!("{row} [data-testid='reset-link-make']")).await;
    let link = find_css(&client, &format!("{row} [data-testid='reset-link-url']"))
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        link.starts_with(&format!("{base}/kerja/#atur-sandi=")),
        "full link with the origin: {link}"
    );
    assert!(text(&client, "reset-link-expiry").await.contains("WIB"));
    scroll_to(&client, "reset-link").await;
    screenshot(&client, "reset-link-412x915").await;

    // The operator, in a fresh browser, sets a password with the link and signs in.
    {
        let (operator, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;
        operator.goto(&link).await.unwrap();
        type_into(&operator, "reset-password-new", OPERATOR_PASSWORD).await;
        type_into(&operator, "reset-password-repeat", OPERATOR_PASSWORD).await;
        click(&operator, "reset-submit").await;
        wait_for_text(&operator, "sign-in-notice", "Kata sandi baru tersimpan").await;
        sign_in(&operator, &base, (OPERATOR, OPERATOR_PASSWORD)).await;
        assert_eq!(text(&operator, "me-role").await, "Operator desa");
        assert_eq!(text(&operator, "me-scope").await, "Sagara Makmur");
        assert!(
            operator.find(Locator::Css(&css("admin-links"))).await.is_err(),
            "an operator has no administration"
        );
        // An address typed in says plainly that the page is not theirs.
        operator.goto(&format!("{base}/kerja/admin/pengguna")).await.unwrap();
        wait_for_text(&operator, "not-allowed", "tidak berwenang").await;
        operator.close().await.unwrap();
    }

    // A village target: from the regency down to the district, then the village.
    client.goto(&format!("{base}/kerja/")).await.unwrap();
    click(&client, "admin-targets").await;
    click_css(
        &client,
        &format!("[data-testid='target-area-link'][data-code='{DISTRICT}']"),
    )
    .await;
    let village = format!("[data-testid='village-target'][data-code='{VILLAGE}']");
    let input = find_css(&client, &format!("{village} [data-testid='village-target-input']")).await;
    input.clear().await.unwrap();
    input.send_keys("150").await.unwrap();
    click_css(&client, &format!("{village} [data-testid='village-target-save']")).await;
    wait_for_css_text(
        &client,
        &format!("{village} [data-testid='village-target-saved']"),
        "150",
    )
    .await;
    wait_for_css_text(
        &client,
        &format!("{village} [data-testid='village-target-current']"),
        "150",
    )
    .await;
    screenshot(&client, "targets-412x915").await;
    let public = public_text(dir.path(), &base, &format!("/wilayah/{VILLAGE}"), "area-target", "150").await;
    assert_eq!(public.trim(), "150", "the public village page shows the new target");

    // A regulation: a short title is named before sending; the public regency page lists it.
    client.goto(&format!("{base}/kerja/")).await.unwrap();
    click(&client, "admin-regulations").await;
    find(&client, "new-regulation").await;
    find(&client, "regulation-kind")
        .await
        .select_by_value("perbup")
        .await
        .unwrap();
    type_into(&client, "regulation-number", "12 Tahun 2025").await;
    // Typed as the date control takes it in Chromium's default (en-US) locale.
    type_into(&client, "regulation-date", "03172025").await;
    type_into(&client, "regulation-title", "Abc").await;
    type_into(
        &client,
        "regulation-summary",
        "Desa menganggarkan iuran JKK dan JKM bagi pekerja rentan dari Dana Desa.",
    )
    .await;
    type_into(&client, "regulation-link", "https://jdih.bekasikab.go.id/").await;
    click(&client, "regulation-submit").await;
    wait_for_text(&client, "error-regulation-title", "5–300 karakter").await;
    type_into(&client, "regulation-title", REGULATION).await;
    click(&client, "regulation-submit").await;
    find(&client, "regulation-added").await;
    wait_for_text(&client, "regulation-item-title", REGULATION).await;
    scroll_to(&client, "regulation-list").await;
    screenshot(&client, "regulations-412x915").await;
    let public = public_text(
        dir.path(),
        &base,
        &format!("/wilayah/{REGENCY}"),
        "regulations",
        REGULATION,
    )
    .await;
    assert!(public.contains("12 Tahun 2025"), "{public}");

    // A budget allocation for this year.
    client.goto(&format!("{base}/kerja/")).await.unwrap();
    click(&client, "admin-budgets").await;
    let line = "[data-testid='budget-line'][data-funding='dana_desa']";
    let input = find_css(&client, &format!("{line} [data-testid='budget-input']")).await;
    input.clear().await.unwrap();
    input.send_keys("250.000.000").await.unwrap();
    wait_for_css_text(
        &client,
        &format!("{line} [data-testid='budget-input-rupiah']"),
        "Rp250.000.000",
    )
    .await;
    click(&client, "budget-save").await;
    find(&client, "budget-saved").await;
    wait_for_css_text(
        &client,
        &format!("{line} [data-testid='budget-allocated']"),
        "Rp250.000.000",
    )
    .await;
    wait_for_css_text(
        &client,
        &format!("{line} [data-testid='budget-balance']"),
        "Rp250.000.000",
    )
    .await;
    scroll_to(&client, "budget-year").await;
    screenshot(&client, "budgets-412x915").await;

    // The audit log names each step, newest first.
    client.goto(&format!("{base}/kerja/")).await.unwrap();
    click(&client, "admin-audit").await;
    find(&client, "audit-list").await;
    let mut actions = Vec::new();
    for entry in client.find_all(Locator::Css(&css("audit-entry"))).await.unwrap() {
        actions.push(entry.attr("data-action").await.unwrap().unwrap_or_default());
    }
    for (position, action) in [
        "budget.set",
        "regulation.create",
        "village.target",
        "user.set_password",
        "user.reset_link",
        "user.create",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(actions.get(position).map(String::as_str), Some(*action), "{actions:?}");
    }
    let target = wait_for_css_text(
        &client,
        "[data-testid='audit-entry'][data-action='village.target']",
        "Target desa diubah",
    )
    .await;
    assert!(target.contains("target: 100 → 150"), "{target}");
    assert!(target.contains(REGENCY_ADMIN.0), "{target}");
    let budget = wait_for_css_text(
        &client,
        "[data-testid='audit-entry'][data-action='budget.set']",
        "Anggaran iuran diubah",
    )
    .await;
    assert!(budget.contains("Dana Desa: Rp250.000.000"), "{budget}");
    assert!(!budget.contains("BAZNAS"), "only the changed line: {budget}");
    screenshot(&client, "audit-412x915").await;
    client.close().await.unwrap();
}
