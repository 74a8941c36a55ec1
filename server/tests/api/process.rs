//! The server binary as it runs in production, over TCP: connection limits, slow clients,
//! and a `kill -9` in the middle of writes (issue 18's faults).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{record_hostile, template};
use crate::kerja::{nik_for, session_cookie, valid_draft};

const SERVER: &str = env!("CARGO_BIN_EXE_pantau-server");

/// A running `pantau-server`, killed with SIGKILL when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(db: &Path, extra: &[&str]) -> Self {
        let static_dir = db.with_file_name("dist");
        std::fs::create_dir_all(&static_dir).unwrap();
        let mut child = Command::new(SERVER)
            .args(["--addr", "127.0.0.1:0", "--db"])
            .arg(db)
            .arg("--static-dir")
            .arg(&static_dir)
            .args(extra)
            .env("PANTAU_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start pantau-server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line
            .trim()
            .strip_prefix("Pantau listening on http://")
            .unwrap_or_else(|| panic!("server printed {line:?}"))
            .to_owned();
        Self { child, address }
    }

    /// `kill -9`: no shutdown, no flush, whatever was in flight is cut.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request on a new connection; the status and the body, or the I/O error of
/// a server that went away.
async fn http(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> std::io::Result<(u16, Value, Vec<String>)> {
    let mut stream = TcpStream::connect(address).await?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        request.push_str("Content-Type: application/json\r\n");
    }
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("cut off before the body"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let headers = head.lines().skip(1).map(str::to_owned).collect();
    Ok((status, serde_json::from_str(body).unwrap_or(Value::Null), headers))
}

/// Signs in a demo account; the session's cookie header, CSRF token and scope.
async fn sign_in(address: &str, login: &str) -> (String, String, String) {
    let body = json!({ "login": login, "password": pantau_server::demo::DEMO_PASSWORD });
    let (status, me, headers) = http(address, "POST", "/api/v1/session", &[], Some(&body))
        .await
        .unwrap();
    assert_eq!(status, 200, "{me}");
    let cookie = headers
        .iter()
        .filter_map(|h| h.strip_prefix("set-cookie: "))
        .find_map(session_cookie)
        .expect("a session cookie");
    let scope = me["grant"]["scope"].as_str().unwrap().to_owned();
    (
        format!("{}={cookie}", crate::kerja::COOKIE),
        me["csrf_token"].as_str().unwrap().to_owned(),
        scope,
    )
}

/// `pantau-server verify-aggregates` on `db` finds no difference from a full recount.
fn assert_aggregates_verified(db: &Path) {
    let check = Command::new(SERVER)
        .arg("--db")
        .arg(db)
        .arg("verify-aggregates")
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

#[tokio::test]
async fn a_kill_9_during_writes_loses_no_accepted_record_and_leaves_the_aggregates_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pantau.sqlite");
    std::fs::copy(template(true), &db).unwrap();
    let server = Server::start(&db, &[]);
    let address = server.address.clone();
    let (cookie, csrf, village) = sign_in(&address, "operator.sagaramakmur").await;
    let district = pantau_core::RegionCode::parse(&village)
        .unwrap()
        .district_digits()
        .unwrap();
    // Four phones enrol as fast as the server answers; the server dies under them.
    let serial = Arc::new(AtomicU16::new(1));
    let accepted: Arc<Mutex<Vec<i64>>> = Arc::default();
    let dead = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let (address, cookie, csrf, district, village) = (
                address.clone(),
                cookie.clone(),
                csrf.clone(),
                district.clone(),
                village.clone(),
            );
            let (serial, accepted, dead) = (serial.clone(), accepted.clone(), dead.clone());
            tokio::spawn(async move {
                let mut sent = 0;
                while !dead.load(Ordering::Relaxed) {
                    let nik = nik_for(&district, 5000 + serial.fetch_add(1, Ordering::Relaxed), false);
                    let headers = [("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())];
                    sent += 1;
                    match http(
                        &address,
                        "POST",
                        "/api/v1/enrolments",
                        &headers,
                        Some(&valid_draft(&village, &nik)),
                    )
                    .await
                    {
                        Ok((201, answer, _)) => {
                            accepted.lock().unwrap().push(answer["receipt"]["id"].as_i64().unwrap())
                        }
                        // A demo worker happens to hold this NIK.
                        Ok((409, _, _)) => continue,
                        Ok((status, answer, _)) => panic!("{status}: {answer}"),
                        // The server died with this request in flight: not accepted.
                        Err(_) => break,
                    }
                }
                sent
            })
        })
        .collect();
    while accepted.lock().unwrap().len() < 40 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    dead.store(true, Ordering::Relaxed);
    let mut sent = 0;
    for writer in writers {
        sent += writer.await.unwrap();
    }
    let accepted = accepted.lock().unwrap().clone();

    // The database opens again, every accepted record is there, and the aggregates equal a
    // full recount of the enrolments.
    assert_aggregates_verified(&db);
    let server = Server::start(&db, &[]);
    let (cookie, csrf, _) = sign_in(&server.address, "operator.sagaramakmur").await;
    let headers = [("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())];
    let mut lost = 0;
    for id in &accepted {
        let (status, _, _) = http(
            &server.address,
            "GET",
            &format!("/api/v1/enrolments/{id}"),
            &headers,
            None,
        )
        .await
        .unwrap();
        lost += usize::from(status != 200);
    }
    assert_eq!(lost, 0, "{lost} of {} accepted records lost", accepted.len());
    record_hostile(
        "faults",
        &format!(
            "faults injected: kill -9 during {sent} concurrent enrolments ({} accepted before it), records lost {lost}",
            accepted.len()
        ),
    );
}

#[tokio::test]
async fn slow_and_surplus_connections_cannot_hold_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pantau.sqlite");
    std::fs::copy(template(false), &db).unwrap();
    let server = Server::start(&db, &["--max-connections", "2"]);
    let address = server.address.clone();
    // Two clients take both connections and send half a request each.
    let mut slow = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(&address).await.unwrap();
        stream
            .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        slow.push(stream);
    }
    // A third is not served while they hold them …
    let third = tokio::spawn({
        let address = address.clone();
        async move { http(&address, "GET", "/api/v1/health", &[], None).await }
    });
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(!third.is_finished(), "served past the connection limit");
    // … and is, once the slow clients are cut off for not finishing their headers in time.
    for stream in &mut slow {
        let mut rest = Vec::new();
        let read = tokio::time::timeout(
            pantau_server::http::serve::HEADER_READ_TIMEOUT * 2,
            stream.read_to_end(&mut rest),
        )
        .await;
        assert!(
            read.is_ok(),
            "a client that never finishes its headers keeps its connection"
        );
    }
    let (status, health, _) = tokio::time::timeout(Duration::from_secs(10), third)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(status, 200, "{health}");
}

/// A tmpfs of `bytes` mounted on `dir` (root only), unmounted when dropped.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(dir: &Path, bytes: u64) -> Result<Self, String> {
        std::fs::create_dir_all(dir).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
        }
        Ok(Self(dir.to_owned()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[tokio::test]
async fn a_full_disk_answers_a_clear_error_and_corrupts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let template = template(true);
    let size = std::fs::metadata(template).unwrap().len();
    // Room for the database and a little more: the WAL fills it after some writes.
    let disk = match SmallDisk::mount(&dir.path().join("disk"), size + 1024 * 1024) {
        Ok(disk) => disk,
        Err(why) => {
            eprintln!("\n*** FULL-DISK FAULT NOT INJECTED: mounting a small tmpfs needs root ({why}) ***\n");
            record_hostile("faults-disk", &format!("full disk: NOT injected ({why})"));
            return;
        }
    };
    let db = disk.0.join("pantau.sqlite");
    std::fs::copy(template, &db).unwrap();
    let server = Server::start(&db, &[]);
    let (cookie, csrf, village) = sign_in(&server.address, "operator.sagaramakmur").await;
    let district = pantau_core::RegionCode::parse(&village)
        .unwrap()
        .district_digits()
        .unwrap();
    let headers = [("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())];
    let (mut accepted, mut refused) = (Vec::new(), 0);
    for serial in 1..=3000u16 {
        let nik = nik_for(&district, 6000 + serial, true);
        let (status, answer, _) = http(
            &server.address,
            "POST",
            "/api/v1/enrolments",
            &headers,
            Some(&valid_draft(&village, &nik)),
        )
        .await
        .unwrap();
        match status {
            201 => accepted.push(answer["receipt"]["id"].as_i64().unwrap()),
            409 => {}
            507 => {
                assert_eq!(answer["error"]["code"], "storage_full", "{answer}");
                assert!(
                    answer["error"]["message"].as_str().unwrap().contains("penuh"),
                    "{answer}"
                );
                refused += 1;
                if refused == 5 {
                    break;
                }
            }
            other => panic!("{other}: {answer}"),
        }
    }
    assert_eq!(refused, 5, "the disk never filled after {} enrolments", accepted.len());
    assert!(!accepted.is_empty(), "the disk was full before the first enrolment");
    // Reads still work on a full disk.
    let (status, _, _) = http(&server.address, "GET", "/api/v1/areas/32.16", &[], None)
        .await
        .unwrap();
    assert_eq!(status, 200);
    server.kill();
    // Moved to a disk with room, the database is whole: integrity, aggregates, every record.
    let roomy = dir.path().join("after");
    std::fs::create_dir_all(&roomy).unwrap();
    for entry in std::fs::read_dir(&disk.0).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, roomy.join(path.file_name().unwrap())).unwrap();
        }
    }
    drop(disk);
    let db = roomy.join("pantau.sqlite");
    assert_aggregates_verified(&db);
    let mut connection = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    let server = Server::start(&db, &[]);
    let (cookie, csrf, _) = sign_in(&server.address, "operator.sagaramakmur").await;
    let headers = [("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())];
    for id in &accepted {
        let (status, _, _) = http(
            &server.address,
            "GET",
            &format!("/api/v1/enrolments/{id}"),
            &headers,
            None,
        )
        .await
        .unwrap();
        assert_eq!(status, 200, "accepted record {id} lost");
    }
    record_hostile(
        "faults-disk",
        &format!(
            "full disk after {} enrolments: {refused} answered 507 storage_full, integrity ok, records lost 0",
            accepted.len()
        ),
    );
}

/// `POST` of a file's bytes; the status, or the I/O error of a server that went away.
async fn post_file(address: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect(address).await?;
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: text/csv\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let text = String::from_utf8_lossy(&answer);
    text.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))
}

#[tokio::test]
async fn a_kill_9_in_the_middle_of_a_100_000_row_import_leaves_all_rows_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pantau.sqlite");
    std::fs::copy(template(true), &db).unwrap();
    let villages: Vec<pantau_core::RegionCode> = {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        let codes: Vec<String> =
            sqlx::query_scalar("SELECT code FROM region WHERE level = 4 AND retired = 0 AND code LIKE '32.16.%'")
                .fetch_all(&mut conn)
                .await
                .unwrap();
        conn.close().await.unwrap();
        codes
            .iter()
            .map(|c| pantau_core::RegionCode::parse(c).unwrap())
            .collect()
    };
    let month = crate::helpers::now().to_string();
    let file = pantau_server::demo::import_file(100_000, &villages, &month);
    let server = Server::start(&db, &[]);
    let address = server.address.clone();
    let (cookie, csrf, regency) = sign_in(&address, "admin.bekasi").await;
    let wal = db.with_file_name("pantau.sqlite-wal");
    let wal_size = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    let start_size = wal_size();
    let upload = {
        let (address, path) = (address.clone(), format!("/api/v1/areas/{regency}/imports?mode=commit"));
        tokio::spawn(async move {
            let headers = [("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())];
            post_file(&address, &path, &headers, file.as_bytes()).await
        })
    };
    // The commit's transaction spills its pages into the write-ahead log: once it has grown
    // by 4 MB the batch is half written. Kill the server there.
    let mut waited = 0;
    while wal_size() < start_size + 4 * 1024 * 1024 && !upload.is_finished() && waited < 120_000 {
        tokio::time::sleep(Duration::from_millis(5)).await;
        waited += 5;
    }
    let finished_first = upload.is_finished();
    let mid_commit = wal_size() >= start_size + 4 * 1024 * 1024;
    assert!(
        finished_first || mid_commit,
        "the kill would not fall inside the commit"
    );
    server.kill();
    let answer = upload.await.unwrap();

    assert_aggregates_verified(&db);
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let imported: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM enrolment WHERE import_batch IS NOT NULL")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    assert!(
        imported == 0 || imported == 100_000,
        "{imported} of 100,000 rows stored"
    );
    if finished_first {
        assert_eq!(
            (answer.ok(), imported),
            (Some(200), 100_000),
            "the commit finished before the kill"
        );
    }
    let outcome = if imported == 0 { "none stored" } else { "all stored" };
    record_hostile(
        "faults-import",
        &format!("faults injected: kill -9 in a 100,000-row import commit ({outcome}, aggregates verified)"),
    );
}
