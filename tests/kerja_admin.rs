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
//! On the demo database, the regency admin opens the operators' sync page and finds the demo
//! operator's fortnight of records.
//!
//! Run by `cargo xtask test`. With PANTAU_SCREENSHOTS set it also writes
//! docs/screenshots/kerja-admin-*.png and kerja-sync.png.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::path::Path;

use fantoccini::Locator;
use serde_json::json;
use support::api::{http, serve_with_admin, ApiSession};
use support::page::{
    click, click_css, css, find, find_css, screenshot, scroll_to, sign_in, text, type_into, wait_for_css_text,
    wait_for_text,
};
use support::{spawn_server, start_emulated_browser};

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

/// The national admin creates the regency admin of Kabupaten Bekasi over the API.
async fn create_regency_admin(base: &str) {
    let national = ApiSession::sign_in(base, NATIONAL).await;
    let user = json!({
        "username": REGENCY_ADMIN.0,
        "display_name": "Rina Admin Bekasi",
        "grant": { "role": "regency_admin", "scope": REGENCY },
    });
    national.create_account(&user, REGENCY_ADMIN.1).await;
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
    let (_server, base) = serve_with_admin(dir.path(), NATIONAL);
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
        "admin-sync",
    ] {
        find(&client, page).await;
    }
    scroll_to(&client, "admin-links").await;
    screenshot(&client, "kerja-admin-home-412x915").await;

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
    screenshot(&client, "kerja-admin-user-error-412x915").await;
    // Fixed; no password: the operator sets their own with the link the creation shows.
    type_into(&client, "user-username", OPERATOR).await;
    click(&client, "user-submit").await;
    wait_for_text(&client, "user-created", OPERATOR).await;
    let row = format!("[data-testid='user-row'][data-username='{OPERATOR}']");
    wait_for_css_text(&client, &row, "Operator desa").await;
    let link = find_css(&client, "[data-testid='new-user'] [data-testid='reset-link-url']")
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
    screenshot(&client, "kerja-admin-reset-link-412x915").await;

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

        // The admin ends the operator's sessions, then disables the account: the operator's
        // next page asks for a sign-in, and the password no longer opens one.
        client.refresh().await.unwrap();
        click_css(&client, &format!("{row} [data-testid='user-sign-out']")).await;
        wait_for_css_text(&client, &format!("{row} [data-testid='user-item-done']"), "diakhiri").await;
        operator.goto(&format!("{base}/kerja/pekerja")).await.unwrap();
        find(&operator, "sign-in-login").await;
        click_css(&client, &format!("{row} [data-testid='user-toggle-active']")).await;
        wait_for_css_text(&client, &format!("{row} [data-testid='user-grant']"), "nonaktif").await;
        scroll_to(&client, "user-list").await;
        screenshot(&client, "kerja-admin-user-disabled-412x915").await;
        let refused = http(
            &base,
            "POST",
            "/api/v1/session",
            &[],
            Some(&json!({ "login": OPERATOR, "password": OPERATOR_PASSWORD })),
        )
        .await;
        assert_eq!(
            refused.status, 401,
            "a disabled account cannot sign in: {}",
            refused.body
        );
        click_css(&client, &format!("{row} [data-testid='user-toggle-active']")).await;
        wait_for_css_text(
            &client,
            &format!("{row} [data-testid='user-toggle-active']"),
            "Nonaktifkan",
        )
        .await;
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
    screenshot(&client, "kerja-admin-targets-412x915").await;
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
    screenshot(&client, "kerja-admin-regulations-412x915").await;
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
    for shown in ["budget-allocated", "budget-balance"] {
        wait_for_css_text(&client, &format!("{line} [data-testid='{shown}']"), "Rp250.000.000").await;
    }
    scroll_to(&client, "budget-year").await;
    screenshot(&client, "kerja-admin-budgets-412x915").await;

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
        // Disabled, then enabled again; signed out before that; the first sign-in names the
        // admin whose link set the password.
        "user.update",
        "user.update",
        "user.sign_out_all",
        "user.first_sign_in",
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
    screenshot(&client, "kerja-admin-audit-412x915").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn regency_admin_sees_when_each_operator_last_synced() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = spawn_server(dir.path(), &support::dist(), true);
    let (client, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;
    sign_in(&client, &base, ("admin.bekasi", "coba pantau desa")).await;
    click(&client, "admin-sync").await;
    assert!(
        text(&client, "sync-intro").await.contains("40"),
        "says what the page settles"
    );
    let row = "[data-testid='sync-operator'][data-username='operator.sagaramakmur']";
    let shown = wait_for_css_text(&client, row, "Sagara Makmur").await;
    assert!(shown.contains("Operator Desa Sagara Makmur"), "{shown}");
    let last = find_css(&client, &format!("{row} [data-testid='sync-last']")).await;
    assert_eq!(last.attr("data-never").await.unwrap().as_deref(), Some("false"));
    assert!(last.text().await.unwrap().contains("WIB"));
    let total = find_css(&client, &format!("{row} [data-testid='sync-total']")).await;
    assert_eq!(total.text().await.unwrap(), "14 hari: 25 data baru");
    let days = client
        .find_all(Locator::Css(&format!("{row} [data-testid='sync-day']")))
        .await
        .unwrap();
    assert_eq!(days.len(), 14, "a line per day");
    // The verifier, who decided the operator's records, is listed after the operators.
    wait_for_css_text(
        &client,
        "[data-testid='sync-operator'][data-username='verifikator.bekasi']",
        "Verifikator BPJS Bekasi",
    )
    .await;
    // Phone first: nothing wider than the screen.
    let overflow = client
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await
        .unwrap();
    assert!(overflow.as_u64().unwrap() <= 412, "page is {overflow} px wide");
    client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({ block: 'start' }); window.scrollBy(0, -90);",
            vec![json!(row)],
        )
        .await
        .unwrap();
    screenshot(&client, "kerja-sync").await;

    client.close().await.unwrap();

    // The district officer finds it on home too and sees the district; an operator has no
    // link to it, and the address typed in says it is not theirs.
    let (district, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;
    sign_in(&district, &base, ("camat.tarumajaya", "coba pantau desa")).await;
    click(&district, "admin-sync").await;
    wait_for_text(&district, "admin-area", "32.16.01").await;
    wait_for_css_text(&district, row, "Sagara Makmur").await;
    district.close().await.unwrap();
    let (operator, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;
    sign_in(&operator, &base, ("operator.sagaramakmur", "coba pantau desa")).await;
    assert!(operator.find(Locator::Css(&css("admin-sync"))).await.is_err());
    operator.goto(&format!("{base}/kerja/admin/sinkron")).await.unwrap();
    wait_for_text(&operator, "not-allowed", "tidak berwenang").await;
    operator.close().await.unwrap();
}
