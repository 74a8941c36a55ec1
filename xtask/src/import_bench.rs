//! `cargo xtask bench` (and `cargo xtask bench import` alone): issue 14's import speed. A
//! 100,000-row file of fictional workers (`pantau-server sample-import`) is checked (dry run)
//! and then committed by the demo's regency admin into Kabupaten Bekasi, on a server holding
//! the demo data, so every row's NIK is also looked up against it. Prints figures; fails only
//! when it cannot measure or the commit does not store every row.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::load::{rss_kib, sampled, sign_in, start_demo};
use crate::process::{root, Result};

const ROWS: usize = 100_000;

pub fn run(server: &Path, dist: &Path) -> Result {
    let data = root()
        .join("target")
        .join(format!("import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    let file = data.join("peserta.csv");
    let made = Command::new(server)
        .arg("--db")
        .arg(data.join("sample.sqlite"))
        .args(["sample-import", "--area", "32.16", "--rows", &ROWS.to_string()])
        .arg(&file)
        .env("PANTAU_LOG", "error")
        .status()
        .map_err(|e| format!("cannot run sample-import: {e}"))?;
    if !made.success() {
        return Err("sample-import failed".into());
    }
    let body = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;

    let (_server, pid, addr) = start_demo(server, dist, &data.join("import.sqlite"))?;
    let (cookie, csrf, regency) = sign_in(&addr, "admin.bekasi")?;

    println!(
        "\n## Import (issue 14): {ROWS} rows, {} KB of CSV, into {regency} on the demo data (loopback)\n",
        body.len() / 1024
    );
    println!("| phase | seconds | rows/s | server memory before → peak → after | answer |");
    println!("|---|---:|---:|---|---|");
    for (phase, query) in [
        ("dry run (every check, nothing written)", "mode=dry_run"),
        ("commit (checks, then one transaction)", "mode=commit"),
    ] {
        let started = Instant::now();
        let (before, peak, report) = sampled(pid, || post(&addr, &regency, query, &cookie, &csrf, &body))?;
        let seconds = started.elapsed().as_secs_f64();
        let after = rss_kib(pid);
        let created = report["created"].as_u64().unwrap_or(0);
        let valid = report["valid"].as_u64().unwrap_or(0);
        println!(
            "| {phase} | {seconds:.1} | {:.0} | {} → {} → {} MiB | valid {valid}, created {created} |",
            ROWS as f64 / seconds,
            before / 1024,
            peak / 1024,
            after / 1024
        );
        if query == "mode=commit" && created != ROWS as u64 {
            return Err(format!("the commit stored {created} of {ROWS} rows: {report}"));
        }
    }
    println!("\nBar: 100,000 rows validated and committed in ≤ 60 s.");
    let _ = std::fs::remove_dir_all(&data);
    Ok(())
}

/// `POST /api/v1/areas/{area}/imports?{query}` with the file; the JSON answer.
fn post(addr: &str, area: &str, query: &str, cookie: &str, csrf: &str, body: &[u8]) -> Result<serde_json::Value> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    write!(
        stream,
        "POST /api/v1/areas/{area}/imports?{query} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: text/csv\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    stream.write_all(body).map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream.read_to_string(&mut response).map_err(|e| e.to_string())?;
    let (head, json) = response.split_once("\r\n\r\n").ok_or("import answer cut off")?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("import answered {}", head.lines().next().unwrap_or_default()));
    }
    serde_json::from_str(json).map_err(|e| format!("import answer: {e}"))
}
