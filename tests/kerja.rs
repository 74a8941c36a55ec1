//! Browser test of the officials' workspace (`/kerja/`): the release build served by the real
//! server on an empty database, driven in headless Chromium through WebDriver at 412×915.
//!
//! A national admin is made with the server's `create-admin` command, then creates a village
//! operator and a BPJS verifier over the API. The operator enrols a worker through the form
//! (after the inline message has caught a mistyped NIK), the public page counts one more
//! enrolment, and the verifier verifies the record. The neighbouring village then tries to
//! enrol the same NIK, is refused with where it is enrolled, and reports the conflict, which the
//! first operator finds on their home page.
//!
//! Run by `cargo xtask test`. With PANTAU_SCREENSHOTS set it also writes
//! docs/screenshots/kerja-*.png.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use support::api::{http, serve_with_admin, ApiSession};
use support::page::{
    click, click_css, css, find, screenshot, scroll_to, select, sign_in, text, type_into, wait_for_empty, wait_for_text,
};
use support::{start_emulated_browser, WAIT};

/// The national admin made with `create-admin`.
const ADMIN: (&str, &str) = ("admin", "kuda-laut-biru-sembilan");
const OPERATOR: (&str, &str) = ("operator.sagara", "perahu-nelayan-pagi-tujuh");
const VERIFIER: (&str, &str) = ("verifikator.bekasi", "gunung-salak-hijau-tiga");
/// Operator of the neighbouring Desa Segarajaya (32.16.01.2002).
const NEIGHBOUR: (&str, &str) = ("operator.segarajaya", "sawah-hijau-bulan-purnama");
/// Desa Sagara Makmur, Kec. Tarumajaya, Kab. Bekasi.
const VILLAGE: &str = "32.16.01.2001";
/// A man born 15 Aug 1985, registered in Kec. Tarumajaya (32.16.01), serial 0012.
const NIK: &str = "3216011508850012";
const NIK_MASKED: &str = "3216••••••••0012";
const WORKER: &str = "Ahmad Suryadi";

/// Signs the national admin in and creates the two operators and the verifier; returns the
/// admin's session and the operator's account id.
async fn create_officials(base: &str) -> (ApiSession, i64) {
    let admin = ApiSession::sign_in(base, ADMIN).await;
    let users = [
        (OPERATOR, "Siti Operator", "village_operator", VILLAGE),
        (VERIFIER, "Budi Verifikator", "bpjs_verifier", "32.16"),
        (NEIGHBOUR, "Dewi Operator", "village_operator", "32.16.01.2002"),
    ];
    let mut ids = Vec::new();
    for ((username, password), display_name, role, scope) in users {
        let user = json!({
            "username": username,
            "display_name": display_name,
            "grant": { "role": role, "scope": scope },
        });
        ids.push(admin.create_account(&user, password).await);
    }
    // Without the token the same request is refused.
    let refused = http(
        base,
        "POST",
        "/api/v1/users",
        &[("Cookie", admin.cookie.as_str())],
        Some(&json!({})),
    )
    .await;
    assert_eq!(refused.status, 403, "a POST without X-CSRF-Token is refused");
    assert_eq!(refused.body["error"]["code"], "csrf_mismatch");
    (admin, ids[0])
}

/// "1.234" → 1234.
fn count(shown: &str) -> u64 {
    shown
        .trim()
        .replace('.', "")
        .parse()
        .unwrap_or_else(|_| panic!("not a count: {shown:?}"))
}

/// The API's answer, fetched by the page itself.
async fn api(client: &Client, path: &str) -> Value {
    client
        .execute_async(
            "const [path, done] = arguments; fetch(path).then(r => r.json()).then(done);",
            vec![json!(path)],
        )
        .await
        .unwrap()
}

/// The village's public page as a citizen opens it: enrolled and verified counts shown,
/// checked against the API. Each look is a new browser: public answers may be reused for a
/// minute (Cache-Control), so a browser that looked before would show the same figures.
async fn public_counts(dir: &Path, base: &str) -> (u64, u64) {
    let (client, _driver) = start_emulated_browser(dir, 412, 915, true).await;
    client.goto(&format!("{base}/wilayah/{VILLAGE}")).await.unwrap();
    find(&client, "area-summary").await;
    let enrolled = count(&text(&client, "area-enrolled").await);
    let verified = count(&text(&client, "area-verified-count").await);
    let api = api(&client, &format!("/api/v1/areas/{VILLAGE}")).await;
    assert_eq!(json!(enrolled), api["enrolled"], "page and API agree on enrolled");
    assert_eq!(json!(verified), api["verified"], "page and API agree on verified");
    client.close().await.unwrap();
    (enrolled, verified)
}

/// Every field of the form but the NIK and the consent, for the worker of this test.
async fn fill_all_but_nik(client: &Client) {
    type_into(client, "input-full-name", WORKER).await;
    // Typed as the date control takes it in Chromium's default (en-US) locale: month, day, year.
    type_into(client, "input-birth-date", "08151985").await;
    let birth = find(client, "input-birth-date").await.prop("value").await.unwrap();
    assert_eq!(birth.as_deref(), Some("1985-08-15"), "date input value");
    click(client, "input-sex-male").await;
    type_into(client, "input-phone", "0812 3456 7890").await;
    select(client, "input-segment", "farmer").await;
    type_into(client, "input-address", "RT 02/RW 05, Dusun Krajan").await;
    select(client, "input-income", "1000000").await;
    select(client, "input-funding", "dana_desa").await;
    select(client, "input-paid-months", "3").await;
}

#[tokio::test]
async fn operator_enrols_with_inline_checks_and_verifier_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve_with_admin(dir.path(), ADMIN);
    create_officials(&base).await;
    let (client, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;

    let (enrolled_before, verified_before) = public_counts(dir.path(), &base).await;

    // A wrong password: the API's message, and no way in.
    client.goto(&format!("{base}/kerja/")).await.unwrap();
    find(&client, "sign-in").await;
    screenshot(&client, "kerja-sign-in-412x915").await;
    type_into(&client, "sign-in-login", OPERATOR.0).await;
    type_into(&client, "sign-in-password", "bukan-kata-sandinya").await;
    click(&client, "sign-in-submit").await;
    wait_for_text(&client, "sign-in-error", "Nama pengguna atau kata sandi salah").await;

    sign_in(&client, &base, OPERATOR).await;
    assert_eq!(text(&client, "me-name").await, "Siti Operator");
    assert_eq!(text(&client, "me-role").await, "Operator desa");
    assert_eq!(text(&client, "me-scope").await, "Sagara Makmur");
    screenshot(&client, "kerja-home-412x915").await;

    click(&client, "go-enrol").await;
    find(&client, "enrol-form").await;
    assert!(
        text(&client, "fixed-village").await.contains("Sagara Makmur"),
        "the operator's village is fixed and named"
    );

    // A letter in the NIK is named while typing.
    type_into(&client, "input-nik", "32160115O8850012").await;
    let message = wait_for_text(&client, "problem-nik", "hanya boleh berisi angka").await;
    assert!(
        !message.contains("3216"),
        "the message never repeats the input: {message}"
    );
    // Fifteen digits: named once the operator leaves the field.
    type_into(&client, "input-nik", "321601150885001").await;
    click(&client, "input-full-name").await;
    wait_for_text(&client, "problem-nik", "NIK harus 16 angka").await;
    let nik = find(&client, "input-nik").await;
    assert_eq!(nik.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    assert_eq!(
        nik.attr("aria-describedby").await.unwrap().as_deref(),
        Some("f-nik-hint f-nik-msg"),
        "the message is tied to the input"
    );
    let problem = find(&client, "problem-nik").await;
    assert!(problem.is_displayed().await.unwrap(), "the NIK message is visible");
    assert_eq!(problem.attr("data-severity").await.unwrap().as_deref(), Some("error"));
    screenshot(&client, "kerja-form-error-412x915").await;

    // Fixed, and the rest filled in.
    type_into(&client, "input-nik", NIK).await;
    click(&client, "input-full-name").await;
    wait_for_empty(&client, "problem-nik").await;
    assert_eq!(
        find(&client, "input-nik")
            .await
            .attr("aria-invalid")
            .await
            .unwrap()
            .as_deref(),
        Some("false")
    );
    fill_all_but_nik(&client).await;
    // JKK 1% of Rp1.000.000 + JKM Rp6.800, for three months.
    wait_for_text(&client, "premium-monthly", "Rp16.800").await;
    wait_for_text(&client, "premium-total", "Rp50.400").await;
    // Without consent the form is not sent.
    click(&client, "enrol-submit").await;
    wait_for_text(&client, "problem-consent", "menyetujui").await;
    click(&client, "input-consent").await;
    click(&client, "enrol-submit").await;

    // The list, with a notice and the worker, NIK masked.
    wait_for_text(&client, "flash", WORKER).await;
    wait_for_text(&client, "worker-name", WORKER).await;
    assert_eq!(text(&client, "worker-nik").await, NIK_MASKED);
    assert_eq!(text(&client, "worker-status").await, "Menunggu verifikasi");
    assert_eq!(text(&client, "list-total").await, "1 pekerja");
    screenshot(&client, "kerja-list-412x915").await;
    let url = client.current_url().await.unwrap();
    assert!(!url.as_str().contains(NIK), "no NIK in the address");

    // The public page counts one more enrolment, still unverified.
    let (enrolled_after, verified_after) = public_counts(dir.path(), &base).await;
    assert_eq!(enrolled_after, enrolled_before + 1, "public enrolled count");
    assert_eq!(verified_after, verified_before, "not verified yet");

    // The verifier, in a new session.
    client.delete_all_cookies().await.unwrap();
    sign_in(&client, &base, VERIFIER).await;
    assert_eq!(text(&client, "me-role").await, "Verifikator BPJS Ketenagakerjaan");
    assert_eq!(text(&client, "wl-submitted-count").await, "1");
    click(&client, "wl-submitted").await;
    wait_for_text(&client, "worker-name", WORKER).await;
    assert!(client
        .current_url()
        .await
        .unwrap()
        .as_str()
        .contains("status=submitted"));
    click_css(&client, "[data-testid='worker-row'] a").await;
    wait_for_text(&client, "detail-name", WORKER).await;
    assert_eq!(text(&client, "detail-nik").await, NIK_MASKED);
    // The verifier may see the full NIK, on request.
    click(&client, "toggle-nik").await;
    wait_for_text(&client, "detail-nik", NIK).await;
    click(&client, "toggle-nik").await;
    wait_for_text(&client, "detail-nik", NIK_MASKED).await;
    screenshot(&client, "kerja-detail-412x915").await;
    // A short number is refused before sending; eleven digits verify.
    type_into(&client, "verify-membership", "1234").await;
    click(&client, "verify-submit").await;
    wait_for_text(&client, "step-error", "11 angka").await;
    type_into(&client, "verify-membership", "12345678901").await;
    click(&client, "verify-submit").await;
    wait_for_text(&client, "detail-status", "Terverifikasi").await;
    wait_for_text(&client, "detail-membership", "12345678901").await;
    find(&client, "step-done").await;

    let (_, verified_final) = public_counts(dir.path(), &base).await;
    assert_eq!(verified_final, verified_before + 1, "public verified count");

    // The neighbouring village enrols the same person: refused, with where, and a report to
    // Sagara Makmur's officials. The verifier signs out first.
    click(&client, "sign-out").await;
    wait_for_text(&client, "sign-in-notice", "Anda sudah keluar").await;
    sign_in(&client, &base, NEIGHBOUR).await;
    click(&client, "go-enrol").await;
    type_into(&client, "input-nik", NIK).await;
    fill_all_but_nik(&client).await;
    click(&client, "input-consent").await;
    click(&client, "enrol-submit").await;
    let notice = wait_for_text(&client, "duplicate-notice", "Sagara Makmur").await;
    assert!(notice.contains(NIK_MASKED), "the notice names the NIK masked: {notice}");
    assert!(!notice.contains(NIK), "never the full NIK: {notice}");
    screenshot(&client, "kerja-duplicate-412x915").await;
    click(&client, "duplicate-report").await;
    type_into(&client, "conflict-note", "Pindah ke Segarajaya sejak Maret").await;
    click(&client, "conflict-send").await;
    wait_for_text(&client, "conflict-sent", "Sagara Makmur").await;

    client.delete_all_cookies().await.unwrap();
    sign_in(&client, &base, OPERATOR).await;
    assert_eq!(text(&client, "wl-conflicts-count").await, "1");
    let report = wait_for_text(&client, "conflict", "Segarajaya").await;
    assert!(report.contains(NIK_MASKED), "{report}");
    assert!(report.contains("Pindah ke Segarajaya"), "{report}");

    client.close().await.unwrap();

    // The same list on a desktop screen, in a new session of the verifier.
    if std::env::var_os("PANTAU_SCREENSHOTS").is_some() {
        let (client, _driver) = start_emulated_browser(dir.path(), 1366, 768, false).await;
        sign_in(&client, &base, VERIFIER).await;
        client.goto(&format!("{base}/kerja/pekerja")).await.unwrap();
        wait_for_text(&client, "worker-status", "Terverifikasi").await;
        screenshot(&client, "kerja-list-1366x768").await;
        client.close().await.unwrap();
    }
}

/// This month as `YYYY-MM` (UTC, as the server counts).
fn this_month() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let today = time::OffsetDateTime::from_unix_timestamp(now as i64).unwrap();
    format!("{:04}-{:02}", today.year(), u8::from(today.month()))
}

#[tokio::test]
async fn reset_link_then_edit_renew_and_deactivate_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve_with_admin(dir.path(), ADMIN);
    let (admin, operator_id) = create_officials(&base).await;

    // A worker enrolled over the API by the operator, whose password the admin then resets.
    let operator = ApiSession::sign_in(&base, OPERATOR).await;
    let draft = json!({
        "nik": NIK, "full_name": WORKER, "birth_date": "1985-08-15", "sex": "male",
        "address": "RT 01/RW 01, Dusun Pantai", "segment": "fisher", "village": VILLAGE,
        "program": "jkk_jkm", "income": 1_000_000, "funding": "dana_desa",
        "coverage_start": this_month(), "paid_months": 3, "consent": true,
    });
    let enrolled = operator.post("/api/v1/enrolments", &draft).await;
    assert_eq!(enrolled.status, 201, "enrolled: {}", enrolled.body);
    let link = admin
        .post(&format!("/api/v1/users/{operator_id}/reset-link"), &json!({}))
        .await;
    assert_eq!(link.status, 201, "reset link: {}", link.body);
    let path = link.body["path"].as_str().unwrap();
    assert!(path.starts_with("/kerja/#atur-sandi="), "{path}");

    let (client, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;
    client.goto(&format!("{base}{path}")).await.unwrap();
    find(&client, "reset-password").await;
    let url = client.current_url().await.unwrap();
    assert!(
        !url.as_str().contains("atur-sandi"),
        "the token leaves the address: {url}"
    );
    let new_password = "layang-layang-sore-hari";
    type_into(&client, "reset-password-new", new_password).await;
    type_into(&client, "reset-password-repeat", "layang-layang-sore-hati").await;
    click(&client, "reset-submit").await;
    wait_for_text(&client, "reset-error", "tidak sama").await;
    type_into(&client, "reset-password-repeat", new_password).await;
    click(&client, "reset-submit").await;
    wait_for_text(&client, "sign-in-notice", "Kata sandi baru tersimpan").await;
    // Setting a password ends the sessions opened with the old one.
    let old = http(
        &base,
        "GET",
        "/api/v1/session",
        &[("Cookie", operator.cookie.as_str())],
        None,
    )
    .await;
    assert_eq!(old.status, 401, "old session ended: {}", old.body);
    sign_in(&client, &base, (OPERATOR.0, new_password)).await;

    // In English.
    click(&client, "language-switch").await;
    wait_for_text(&client, "me-role", "Village operator").await;
    client.goto(&format!("{base}/kerja/pekerja")).await.unwrap();
    wait_for_text(&client, "worker-name", WORKER).await;
    click_css(&client, "[data-testid='worker-row'] a").await;
    wait_for_text(&client, "detail-status", "Awaiting verification").await;

    // Edit: the form comes filled in, the NIK fixed.
    click(&client, "edit-link").await;
    find(&client, "enrol-form").await;
    let nik = find(&client, "input-nik").await;
    assert_eq!(nik.prop("value").await.unwrap().as_deref(), Some(NIK));
    assert!(
        nik.attr("readonly").await.unwrap().is_some(),
        "the NIK cannot be changed"
    );
    let name = find(&client, "input-full-name").await.prop("value").await.unwrap();
    assert_eq!(name.as_deref(), Some(WORKER));
    type_into(&client, "input-address", "RT 03/RW 04, Dusun Baru").await;
    click(&client, "enrol-submit").await;
    wait_for_text(&client, "flash", "Changes saved").await;
    wait_for_text(&client, "detail-address", "RT 03/RW 04, Dusun Baru").await;

    // Renew for a year.
    let before = text(&client, "detail-paid-through").await;
    select(&client, "renew-months", "12").await;
    click(&client, "renew-submit").await;
    find(&client, "step-done").await;
    let deadline = Instant::now() + WAIT;
    while text(&client, "detail-paid-through").await == before {
        assert!(Instant::now() < deadline, "paid-through month never moved");
        // Polling a condition, not waiting for time.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Deactivate: the record says why, and offers no more steps.
    select(&client, "deactivate-reason", "moved").await;
    click(&client, "deactivate-submit").await;
    wait_for_text(&client, "detail-deactivated", "Moved out of the village").await;
    assert!(
        client.find(Locator::Css(&css("edit-link"))).await.is_err(),
        "no edit after deactivation"
    );

    // Sign out on every device.
    client.goto(&format!("{base}/kerja/")).await.unwrap();
    click(&client, "sign-out-everywhere").await;
    wait_for_text(&client, "sign-in-notice", "You have signed out").await;
    client.close().await.unwrap();
}

/// The value of the input `testid` (a `value` property), once it equals `wanted`.
async fn wait_for_value(client: &Client, testid: &str, wanted: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        let value = find(client, testid).await.prop("value").await.unwrap();
        if value.as_deref() == Some(wanted) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{testid} never held {wanted:?}, last {value:?}"
        );
        // Polling a condition, not waiting for time.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn is_checked(client: &Client, testid: &str) -> bool {
    find(client, testid).await.prop("checked").await.unwrap().as_deref() == Some("true")
}

async fn is_shown(client: &Client, testid: &str) -> bool {
    client.find(Locator::Css(&css(testid))).await.is_ok()
}

/// Program, funding source and paid months as the new form shows them.
async fn choices_shown(client: &Client) -> [String; 3] {
    let mut shown = Vec::new();
    for testid in ["input-program", "input-funding", "input-paid-months"] {
        shown.push(
            find(client, testid)
                .await
                .prop("value")
                .await
                .unwrap()
                .unwrap_or_default(),
        );
    }
    shown.try_into().unwrap()
}

/// Fewer taps on a phone: a complete NIK fills the birth date and sex (the official's own
/// correction stays), and the next worker's form starts with the last program, funding source
/// and paid months of this official, not of another one on the same phone.
#[tokio::test]
async fn nik_fills_birth_date_and_sex_and_last_choices_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve_with_admin(dir.path(), ADMIN);
    create_officials(&base).await;
    let (client, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;
    sign_in(&client, &base, OPERATOR).await;
    click(&client, "go-enrol").await;
    find(&client, "enrol-form").await;
    let usual = ["jkk_jkm", "", "1"].map(str::to_owned);
    assert_eq!(choices_shown(&client).await, usual, "the usual choices at first");
    assert!(!is_shown(&client, "filled-birth-date").await, "no note before a NIK");

    // A complete NIK: born 15 Aug 1985, a man; both said to come from the NIK.
    type_into(&client, "input-nik", NIK).await;
    wait_for_value(&client, "input-birth-date", "1985-08-15").await;
    assert!(is_checked(&client, "input-sex-male").await, "sex from the NIK");
    wait_for_text(&client, "filled-birth-date", "Diisi dari NIK").await;
    wait_for_text(&client, "filled-sex", "periksa dengan KTP").await;
    let birth = find(&client, "input-birth-date").await;
    assert_eq!(
        birth.attr("aria-describedby").await.unwrap().as_deref(),
        Some("f-birth-date-filled f-birth-date-msg"),
        "the note is tied to the input"
    );
    scroll_to(&client, "input-birth-date").await;
    screenshot(&client, "kerja-form-nik-filled-412x915").await;

    // The official corrects the date: theirs stays, and core's cross-check still speaks.
    type_into(&client, "input-birth-date", "08161985").await;
    wait_for_value(&client, "input-birth-date", "1985-08-16").await;
    click(&client, "input-full-name").await;
    wait_for_text(
        &client,
        "problem-birth-date",
        "berbeda dengan tanggal lahir di dalam NIK",
    )
    .await;
    assert!(
        !is_shown(&client, "filled-birth-date").await,
        "the note goes with the correction"
    );
    assert!(
        is_shown(&client, "filled-sex").await,
        "the untouched sex keeps its note"
    );
    // Another NIK (a woman born 3 Jan 2001): the sex, still the NIK's, follows; the date typed
    // by hand does not.
    type_into(&client, "input-nik", "3216014301010007").await;
    let deadline = Instant::now() + WAIT;
    while !is_checked(&client, "input-sex-female").await {
        assert!(Instant::now() < deadline, "the sex never followed the new NIK");
        // Polling a condition, not waiting for time.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_for_value(&client, "input-birth-date", "1985-08-16").await;

    // Back to the worker's NIK, the date fixed by hand, and enrolled with other choices.
    type_into(&client, "input-nik", NIK).await;
    wait_for_text(&client, "filled-sex", "Diisi dari NIK").await;
    assert!(is_checked(&client, "input-sex-male").await);
    type_into(&client, "input-birth-date", "08151985").await;
    wait_for_value(&client, "input-birth-date", "1985-08-15").await;
    type_into(&client, "input-full-name", WORKER).await;
    select(&client, "input-segment", "fisher").await;
    type_into(&client, "input-address", "RT 01/RW 01, Dusun Pantai").await;
    select(&client, "input-program", "jkk_jkm_jht").await;
    select(&client, "input-income", "1000000").await;
    select(&client, "input-funding", "baznas").await;
    select(&client, "input-paid-months", "6").await;
    click(&client, "input-consent").await;
    click(&client, "enrol-submit").await;
    wait_for_text(&client, "flash", WORKER).await;

    // The next worker's form, opened in the app and after a reload, starts with those choices
    // and nothing of the last worker.
    let last = ["jkk_jkm_jht", "baznas", "6"].map(str::to_owned);
    click_css(&client, ".ws-nav a[href='/kerja/']").await;
    click(&client, "go-enrol").await;
    find(&client, "enrol-form").await;
    assert_eq!(choices_shown(&client).await, last, "the last choices, in the app");
    wait_for_value(&client, "input-nik", "").await;
    wait_for_value(&client, "input-birth-date", "").await;
    assert!(!is_checked(&client, "input-sex-male").await, "no sex carried over");
    assert!(!is_shown(&client, "filled-sex").await, "no note on an empty form");
    client.goto(&format!("{base}/kerja/daftar-baru")).await.unwrap();
    find(&client, "enrol-form").await;
    assert_eq!(choices_shown(&client).await, last, "the last choices, after a reload");
    scroll_to(&client, "input-program").await;
    screenshot(&client, "kerja-form-last-choices-412x915").await;

    // Another official on the same phone gets the usual choices.
    click(&client, "sign-out").await;
    wait_for_text(&client, "sign-in-notice", "Anda sudah keluar").await;
    sign_in(&client, &base, NEIGHBOUR).await;
    click(&client, "go-enrol").await;
    find(&client, "enrol-form").await;
    assert_eq!(choices_shown(&client).await, usual, "not the other official's choices");
    client.close().await.unwrap();
}

/// A row of the import template for a man born 5 July 1990 with `nik`, starting this month.
fn import_row(nik: &str) -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 86_400;
    // The Julian day of 1970-01-01 is 2,440,588.
    let month = time::Date::from_julian_day(2_440_588 + i32::try_from(days).unwrap()).unwrap();
    format!(
        "{nik};Joko Widodo;05/07/1990;L;0812 3456 7890;RT 03/RW 01 Dusun Krajan;Petani/buruh tani;;{VILLAGE};\
         JKK + JKM;1.000.000;Dana Desa;;{:02}/{};12;;Ya",
        u8::from(month.month()),
        month.year()
    )
}

#[tokio::test]
async fn operator_imports_a_spreadsheet_after_a_trial_run_and_the_village_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve_with_admin(dir.path(), ADMIN);
    create_officials(&base).await;
    let (before, _) = public_counts(dir.path(), &base).await;
    let (client, _driver) = start_emulated_browser(dir.path(), 412, 915, true).await;
    sign_in(&client, &base, OPERATOR).await;
    click(&client, "go-import").await;
    find(&client, "import-file").await;

    // The template, downloaded as the page's link does it (the session's cookie).
    let href = find(&client, "template-csv").await.attr("href").await.unwrap().unwrap();
    let template: Value = client
        .execute_async(
            "const [path, done] = arguments; fetch(path).then(r => r.text()).then(done);",
            vec![json!(href)],
        )
        .await
        .unwrap();
    let template = template
        .as_str()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .trim_end()
        .to_owned();
    assert!(
        template.starts_with("NIK;Nama Lengkap;Tanggal Lahir;Jenis Kelamin;"),
        "{template}"
    );
    assert!(find(&client, "template-xlsx")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap()
        .ends_with(".xlsx"));

    // Filled as offices do: two good rows, one NIK that Excel rounded, one repeated row.
    let rows = [
        import_row("3216010507900501"),
        import_row("3216010507900502"),
        import_row("3,21601E+15"),
        import_row("3216010507900501"),
    ];
    let file = dir.path().join("peserta-desa.csv");
    std::fs::write(&file, format!("{template}\r\n{}\r\n", rows.join("\r\n"))).unwrap();
    find(&client, "import-file")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    // On slow 3G the upload takes a moment: the page says what it is doing.
    support::page::slow_3g(&client).await;
    click(&client, "import-check").await;
    find(&client, "import-progress").await;
    screenshot(&client, "kerja-import-progress").await;
    find(&client, "import-preview").await;
    support::page::fast_network(&client).await;
    assert_eq!(text(&client, "import-rows").await, "4");
    assert_eq!(text(&client, "import-valid").await, "2");
    assert_eq!(text(&client, "import-invalid").await, "2");
    let problems = text(&client, "import-problems").await;
    assert!(
        problems.contains("Baris 4 · NIK") && problems.contains("Excel"),
        "{problems}"
    );
    assert!(
        problems.contains("Baris 5 · NIK") && problems.contains("baris 2"),
        "{problems}"
    );
    assert!(!problems.contains("3216010507900501"), "a problem repeats the NIK");
    scroll_to(&client, "import-preview").await;
    screenshot(&client, "kerja-import-preview").await;
    assert_eq!(
        before,
        public_counts(dir.path(), &base).await.0,
        "the trial run stored nothing"
    );

    scroll_to(&client, "import-commit").await;
    click(&client, "import-commit").await;
    let done = wait_for_text(&client, "import-done", "2 data tersimpan").await;
    assert!(done.contains("2 baris tidak disimpan"), "{done}");
    find(&client, "import-batches").await;
    scroll_to(&client, "import-done").await;
    screenshot(&client, "kerja-import-done").await;
    client.close().await.unwrap();
    assert_eq!(
        public_counts(dir.path(), &base).await.0,
        before + 2,
        "the village page counts the imported workers"
    );
}
