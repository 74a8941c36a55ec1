//! `cargo xtask bench`: figures for the performance bars, printed as a table. Never fails on
//! a timing; fails only when it cannot measure.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::build::{brotli_bytes, build_app, build_server, dist_dir};
use crate::process::{root, ChildGuard, Result};
use crate::web::{KERJA_BAR, PORTAL_BAR};

const AREA_REQUESTS: usize = 2_000;

pub fn run() -> Result {
    let [portal, kerja] = build_app()?;
    let dist = dist_dir();
    for (bundle, bar, title) in [
        (&portal, PORTAL_BAR, "Public first load (`/`, `/wilayah/{code}`)"),
        (&kerja, KERJA_BAR, "Operator's first load (`/kerja/`)"),
    ] {
        println!("\n## {title}: release build, brotli quality 11\n");
        println!("| file | raw bytes | brotli bytes |\n|---|---:|---:|");
        let mut total = 0;
        for w in bundle.first_load_weights()? {
            total += w.brotli;
            println!("| {} | {} | {} |", w.file, w.raw, w.brotli);
        }
        let verdict = if total <= bar { "within" } else { "OVER" };
        println!("| **total** | | **{total}** ({verdict} the {} KB bar) |", bar / 1024);
        if bar == PORTAL_BAR {
            println!(
                "\nRatio to the 113 KB of a minimal React 19 + React Router 7 + Leaflet drill-down: {:.2}",
                total as f64 / (113.0 * 1024.0)
            );
        }
        println!("\nFetched when first used (not part of the first load):\n");
        println!("| file | raw bytes | brotli bytes |\n|---|---:|---:|");
        for w in bundle.lazy_weights()? {
            println!("| {} | {} | {} |", w.file, w.raw, w.brotli);
        }
    }

    let server = build_server("server")?;
    let data = tempdir()?;
    let (_server, _, addr) = crate::load::start_demo(&server, &dist, &data.join("bench.sqlite"))?;

    // The page as served: the server inlines the area's data and preview tags into it.
    let scripts: usize = portal.first_load_weights()?.iter().skip(1).map(|w| w.brotli).sum();
    println!("\n## Public first load as served (the page with its area inlined, plus JS and wasm)\n");
    println!("| path | page brotli bytes | first load brotli bytes | ratio to 113 KB |\n|---|---:|---:|---:|");
    for path in ["/", "/wilayah/32.16", "/wilayah/61.11.01", "/wilayah/32.16.01.2001"] {
        let page = brotli_bytes(&get_body(&addr, path)?).len();
        let total = page + scripts;
        println!("| {path} | {page} | {total} | {:.2} |", total as f64 / (113.0 * 1024.0));
    }

    println!(
        "\n## Area API on loopback (demo data, {AREA_REQUESTS} sequential requests each, one connection per request)\n"
    );
    println!("| path | p50 | p99 | max |\n|---|---:|---:|---:|");
    for path in [
        "/api/v1/areas/ID",
        "/api/v1/areas/32",
        "/api/v1/areas/32.16",
        "/api/v1/areas/32.16.01",
        "/api/v1/areas/32.16.01.2001",
        "/api/v1/areas/32.16/breakdowns",
        "/api/v1/areas/32.16/trend",
        "/api/v1/areas/32.16/map",
        "/api/v1/areas/11.01.01/map",
        "/api/v1/areas/ID/descendants?level=regency",
        "/api/v1/search?q=bekasi",
        "/api/v1/search?q=sukamaju%20tambelang",
        "/api/v1/search?q=majalenka",
        "/embed/61.11",
        "/badge/61.11.svg",
    ] {
        let mut times = Vec::with_capacity(AREA_REQUESTS);
        for _ in 0..AREA_REQUESTS {
            let started = Instant::now();
            get(&addr, path)?;
            times.push(started.elapsed());
        }
        times.sort();
        let at = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
        println!("| {path} | {} | {} | {} |", ms(at(0.5)), ms(at(0.99)), ms(at(1.0)));
    }

    let embed = get_body(&addr, "/embed/61.11")?;
    println!("\n## Embed widget\n");
    println!("| what | raw bytes | brotli bytes |\n|---|---:|---:|");
    println!(
        "| /embed/61.11 (whole page: HTML, CSS, SVG, script) | {} | {} |",
        embed.len(),
        brotli_bytes(&embed).len()
    );

    crate::map_bench::geometry_sizes()?;
    crate::tools::ensure_chromium()?;
    crate::map_bench::drawing(&server, &crate::build::which("chromedriver")?)?;
    crate::map_bench::slow_3g(&server, &crate::build::which("chromedriver")?)?;
    lighthouse(&addr)?;
    throughput(&server, &addr)?;
    let _ = std::fs::remove_dir_all(&data);
    crate::import_bench::run(&server, &dist)?;
    crate::load::run(&server, &dist)
}

/// `cargo xtask bench import`: the import speed alone, on a release server.
pub fn import_only() -> Result {
    let server = build_server("server")?;
    let dist = dist_dir();
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create {}: {e}", dist.display()))?;
    crate::import_bench::run(&server, &dist)
}

/// `cargo xtask bench load`: the load phases alone, on a release server.
pub fn load_only() -> Result {
    let server = build_server("server")?;
    let dist = dist_dir();
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create {}: {e}", dist.display()))?;
    crate::load::run(&server, &dist)
}

/// Lighthouse 12 mobile (simulated slow 4G, mid-range phone) on the main pages.
fn lighthouse(addr: &str) -> Result {
    crate::tools::ensure_chromium()?;
    let lighthouse = crate::tools::ensure_lighthouse()?;
    let report = root().join("target").join("lighthouse.json");
    println!("\n## Lighthouse mobile\n");
    println!("| page | performance | accessibility | best practices | FCP | LCP | TBT | CLS |\n|---|---:|---:|---:|---:|---:|---:|---:|");
    for path in ["/", "/wilayah/32.16", "/wilayah/61.11.01"] {
        let profile = root()
            .join("target")
            .join(format!("lighthouse-profile-{}", std::process::id()));
        let flags = format!(
            "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic --no-first-run \
             --disable-background-networking --disable-component-update --disable-sync --user-data-dir={}",
            profile.display()
        );
        let status = Command::new(&lighthouse)
            .arg(format!("http://{addr}{path}"))
            .args([
                "--quiet",
                "--output=json",
                "--only-categories=performance,accessibility,best-practices",
            ])
            .arg(format!("--output-path={}", report.display()))
            .arg(format!("--chrome-flags={flags}"))
            .env("CHROME_PATH", "/usr/bin/chromium")
            .status()
            .map_err(|e| format!("lighthouse: {e}"))?;
        let _ = std::fs::remove_dir_all(&profile);
        if !status.success() {
            println!("| {path} | failed | | | | | | |");
            continue;
        }
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report).map_err(|e| e.to_string())?)
                .map_err(|e| format!("lighthouse report: {e}"))?;
        let score = |c: &str| {
            json["categories"][c]["score"]
                .as_f64()
                .map_or("?".to_owned(), |s| format!("{:.0}", s * 100.0))
        };
        let audit = |a: &str| json["audits"][a]["displayValue"].as_str().unwrap_or("?").to_owned();
        println!(
            "| {path} | {} | {} | {} | {} | {} | {} | {} |",
            score("performance"),
            score("accessibility"),
            score("best-practices"),
            audit("first-contentful-paint"),
            audit("largest-contentful-paint"),
            audit("total-blocking-time"),
            audit("cumulative-layout-shift")
        );
    }
    Ok(())
}

/// Requests per second under load from wrk (Debian's), 30 s per request on loopback: full
/// public answers beside plain axum serving a fixed body of the same size in the same run
/// (the ceiling, `pantau-server fixed-body`), and a revalidation.
fn throughput(server: &std::path::Path, addr: &str) -> Result {
    crate::load::ensure_wrk()?;
    let etag = head_value(addr, "/badge/61.11.svg", "etag")?;
    println!("\n## Throughput (wrk, 2 threads, 64 connections, 30 s each, loopback)\n");
    println!("| request | body bytes | requests/s | errors (non-2xx/3xx, socket) | share of the ceiling |");
    println!("|---|---:|---:|---:|---:|");
    for path in ["/api/v1/areas/32.16", "/badge/61.11.svg"] {
        let size = get_body(addr, path)?.len();
        let (_ceiling, ceiling_addr) = start_fixed_body(server, size)?;
        let (ceiling, ceiling_errors) = wrk(&ceiling_addr, "/", None)?;
        println!("| axum, fixed body (ceiling) | {size} | {ceiling:.0} | {ceiling_errors} | 1.00 |");
        let (rate, errors) = wrk(addr, path, None)?;
        println!(
            "| {path} (full answer) | {size} | {rate:.0} | {errors} | {:.2} |",
            rate / ceiling
        );
    }
    let (rate, errors) = wrk(addr, "/badge/61.11.svg", Some(&etag))?;
    println!("| /badge/61.11.svg (If-None-Match → 304) | 0 | {rate:.0} | {errors} | |");
    Ok(())
}

/// `pantau-server fixed-body` on a free port.
fn start_fixed_body(server: &std::path::Path, bytes: usize) -> Result<(ChildGuard, String)> {
    let (guard, _, addr) = crate::process::spawn_listening(Command::new(server).args([
        "--addr",
        "127.0.0.1:0",
        "fixed-body",
        "--bytes",
        &bytes.to_string(),
    ]))?;
    Ok((guard, addr))
}

/// Requests per second and errors of 30 s of wrk at `path`.
fn wrk(addr: &str, path: &str, if_none_match: Option<&str>) -> Result<(f64, u64)> {
    let header = if_none_match.map(|tag| format!("If-None-Match: {tag}"));
    let options: Vec<&std::ffi::OsStr> = match &header {
        Some(header) => vec!["-H".as_ref(), header.as_ref()],
        None => Vec::new(),
    };
    let out = crate::load::wrk(addr, path, "30s", &options)?;
    let rate = out
        .rate
        .parse::<f64>()
        .map_err(|_| format!("wrk printed no rate for {path}: {}", out.text))?;
    Ok((rate, out.errors))
}

/// `cargo xtask bench answers`: the throughput table alone, on a release server.
pub fn answers_only() -> Result {
    let server = build_server("server")?;
    let dist = dist_dir();
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create {}: {e}", dist.display()))?;
    let data = tempdir()?;
    let (_demo, _, addr) = crate::load::start_demo(&server, &dist, &data.join("bench.sqlite"))?;
    throughput(&server, &addr)?;
    let _ = std::fs::remove_dir_all(&data);
    Ok(())
}

/// Files index.html makes the browser fetch before the app is interactive.
/// The body of a 200 answer (no compression asked for).
fn get_body(addr: &str, path: &str) -> Result<Vec<u8>> {
    let response = raw_get(addr, path)?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no HTTP header end")?;
    Ok(response[split + 4..].to_vec())
}

/// One response header of a GET.
fn head_value(addr: &str, path: &str, name: &str) -> Result<String> {
    let response = raw_get(addr, path)?;
    let text = String::from_utf8_lossy(&response);
    text.lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_owned())
        })
        .ok_or_else(|| format!("{path} has no {name} header"))
}

fn raw_get(addr: &str, path: &str) -> Result<Vec<u8>> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).map_err(|e| e.to_string())?;
    if response.starts_with(b"HTTP/1.1 200") {
        Ok(response)
    } else {
        Err(format!("{path} did not answer 200"))
    }
}

fn get(addr: &str, path: &str) -> Result {
    raw_get(addr, path).map(|_| ())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn tempdir() -> Result<std::path::PathBuf> {
    let dir = root().join("target").join(format!("bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}
