//! WebDriver steps the workspace tests share: elements found by `data-testid` (or a CSS
//! selector), waited for up to [`WAIT`], and the workspace's sign-in form.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

use super::WAIT;

/// The selector of the element with this `data-testid`.
pub fn css(testid: &str) -> String {
    format!("[data-testid='{testid}']")
}

/// The element matching `selector`, once it is shown. When it never is, the panic says what
/// the page showed instead, and a screenshot of it is left in the temporary folder.
pub async fn find_css(client: &Client, selector: &str) -> Element {
    match client.wait().at_most(WAIT).for_element(Locator::Css(selector)).await {
        Ok(element) => element,
        Err(error) => {
            let url = client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
            let shown = client
                .execute("return document.body ? document.body.innerText : '';", vec![])
                .await
                .ok()
                .and_then(|v| v.as_str().map(|s| s.chars().take(600).collect::<String>()))
                .unwrap_or_default();
            let shot = std::env::temp_dir().join(format!("pantau-e2e-{}.png", std::process::id()));
            if let Ok(png) = client.screenshot().await {
                let _ = std::fs::write(&shot, png);
            }
            panic!(
                "{selector} not shown: {error}\nat {url} ({}), the page showed:\n{shown}",
                shot.display()
            )
        }
    }
}

/// The element `testid`, once it is shown.
pub async fn find(client: &Client, testid: &str) -> Element {
    find_css(client, &css(testid)).await
}

pub async fn text(client: &Client, testid: &str) -> String {
    find(client, testid).await.text().await.unwrap()
}

/// Waits until the element matching `selector` shows a text containing `wanted`.
pub async fn wait_for_css_text(client: &Client, selector: &str, wanted: &str) -> String {
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

/// Waits until the element `testid` shows a text containing `wanted`.
pub async fn wait_for_text(client: &Client, testid: &str, wanted: &str) -> String {
    wait_for_css_text(client, &css(testid), wanted).await
}

/// Waits until the element `testid` shows no text.
pub async fn wait_for_empty(client: &Client, testid: &str) {
    let deadline = Instant::now() + WAIT;
    while !text(client, testid).await.is_empty() {
        assert!(Instant::now() < deadline, "{testid} never emptied");
        // Polling a condition, not waiting for time.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Replaces the input's value with `keys`.
pub async fn type_into(client: &Client, testid: &str, keys: &str) {
    let input = find(client, testid).await;
    input.clear().await.unwrap();
    input.send_keys(keys).await.unwrap();
}

pub async fn click(client: &Client, testid: &str) {
    find(client, testid).await.click().await.unwrap();
}

pub async fn click_css(client: &Client, selector: &str) {
    find_css(client, selector).await.click().await.unwrap();
}

pub async fn select(client: &Client, testid: &str, value: &str) {
    find(client, testid).await.select_by_value(value).await.unwrap();
}

/// Scrolls the element `testid` into view, for a screenshot.
pub async fn scroll_to(client: &Client, testid: &str) {
    let element = find(client, testid).await;
    client
        .execute(
            "arguments[0].scrollIntoView({ block: 'center' });",
            vec![serde_json::to_value(&element).unwrap()],
        )
        .await
        .unwrap();
}

/// Writes docs/screenshots/`{name}`.png when PANTAU_SCREENSHOTS is set.
pub async fn screenshot(client: &Client, name: &str) {
    if std::env::var_os("PANTAU_SCREENSHOTS").is_none() {
        return;
    }
    let png = client.screenshot().await.unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs").join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// Signs in through the workspace's form and waits for the signed-in header.
pub async fn sign_in(client: &Client, base: &str, (login, password): (&str, &str)) {
    client.goto(&format!("{base}/kerja/")).await.unwrap();
    type_into(client, "sign-in-login", login).await;
    type_into(client, "sign-in-password", password).await;
    click(client, "sign-in-submit").await;
    find(client, "who").await;
}

/// Chromium's network emulation (chromedriver's `network_conditions` command).
#[derive(Debug)]
pub struct NetworkConditions {
    pub latency_ms: u64,
    pub bytes_per_second: u64,
}

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/chromium/network_conditions",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let conditions = serde_json::json!({ "network_conditions": {
            "offline": false,
            "latency": self.latency_ms,
            "download_throughput": self.bytes_per_second,
            "upload_throughput": self.bytes_per_second,
        }});
        (http::Method::POST, Some(conditions.to_string()))
    }
}

/// Emulates slow 3G in `client`: 400 ms round trips, 400 Kbps each way.
pub async fn slow_3g(client: &Client) {
    let slow = NetworkConditions {
        latency_ms: 400,
        bytes_per_second: 50_000,
    };
    client.issue_cmd(slow).await.expect("network emulation");
}

/// Ends [`slow_3g`]: no added latency, a fast line.
pub async fn fast_network(client: &Client) {
    let fast = NetworkConditions {
        latency_ms: 0,
        bytes_per_second: 100_000_000,
    };
    client.issue_cmd(fast).await.expect("network emulation");
}
