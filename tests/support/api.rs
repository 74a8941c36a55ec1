//! The API as the browser tests' plain HTTP client sees it, and the server's `create-admin`
//! command, for the tests that set up officials before they open a browser.

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An answer of the API as the admin's plain client reads it.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

/// One HTTP/1.1 request over a fresh connection. The test package has no HTTP client with
/// request types (hyper-util alone has none), and the API needs nothing more.
pub async fn http(base: &str, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&Value>) -> Answer {
    let host = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let body = body.map(Value::to_string).unwrap_or_default();
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
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let payload = if chunked { unchunk(payload) } else { payload.to_owned() };
    let body = serde_json::from_str(&payload).unwrap_or(Value::Null);
    Answer { status, headers, body }
}

fn unchunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
    out
}

/// A session over the plain HTTP client: the cookie and the CSRF token to send back.
pub struct ApiSession {
    pub base: String,
    pub cookie: String,
    pub csrf: String,
}

impl ApiSession {
    pub async fn sign_in(base: &str, (login, password): (&str, &str)) -> Self {
        let signed_in = http(
            base,
            "POST",
            "/api/v1/session",
            &[],
            Some(&json!({ "login": login, "password": password })),
        )
        .await;
        assert_eq!(signed_in.status, 200, "{login} signs in: {}", signed_in.body);
        let cookie = signed_in
            .headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .find(|(_, v)| v.starts_with("__Host-pantau_session="))
            .map(|(_, v)| v.split(';').next().unwrap().to_owned())
            .expect("session cookie");
        assert!(cookie.starts_with("__Host-pantau_session="), "{cookie}");
        let csrf = signed_in.body["csrf_token"].as_str().unwrap().to_owned();
        Self {
            base: base.to_owned(),
            cookie,
            csrf,
        }
    }

    /// A state-changing request with the cookie and the CSRF header.
    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        let headers = [("Cookie", self.cookie.as_str()), ("X-CSRF-Token", self.csrf.as_str())];
        http(&self.base, "POST", path, &headers, Some(body)).await
    }

    /// Creates the account `user` (the API's `NewUser`) and sets its `password` with the
    /// link the creation answers, as its holder would; returns the account id.
    pub async fn create_account(&self, user: &Value, password: &str) -> i64 {
        let created = self.post("/api/v1/users", user).await;
        assert_eq!(created.status, 201, "{} created: {}", user["username"], created.body);
        let path = created.body["link"]["path"].as_str().unwrap();
        let token = path.strip_prefix("/kerja/#atur-sandi=").unwrap();
        let body = json!({ "token": token, "password": password });
        let set = http(&self.base, "POST", "/api/v1/password-reset", &[], Some(&body)).await;
        assert_eq!(set.status, 204, "{} sets a password: {}", user["username"], set.body);
        created.body["user"]["id"].as_i64().unwrap()
    }
}

/// `create-admin` on the database the server will then serve: a national admin `username`
/// with `password`.
pub fn create_admin(db: &Path, (username, password): (&str, &str)) {
    let status = Command::new(super::env("PANTAU_E2E_SERVER"))
        .arg("--db")
        .arg(db)
        .args([
            "create-admin",
            "--username",
            username,
            "--display-name",
            "Admin Nasional",
        ])
        .env("PANTAU_ADMIN_PASSWORD", password)
        .env("PANTAU_LOG", "warn")
        .status()
        .expect("run create-admin");
    assert!(status.success(), "create-admin failed");
}

/// The server over an empty database in `dir`, with the national `admin` made by
/// `create-admin` before it starts; returns it with its URL.
pub fn serve_with_admin(dir: &Path, admin: (&str, &str)) -> (super::Killed, String) {
    let db = dir.join("kerja.sqlite");
    create_admin(&db, admin);
    super::spawn_server_on(&db, &super::dist(), false)
}
