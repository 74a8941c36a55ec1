//! `cargo xtask bench` (and `cargo xtask bench load` alone): issue 18's load check on
//! loopback. Public reads and enrolments each for 60 s at saturation, then a burst of
//! password guesses, with the server's memory sampled throughout. Prints figures; fails
//! only when it cannot measure.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::process::{root, ChildGuard, Result};

/// Public answers read in turn: area, breakdowns (the suppression walk), trend, badge, widget.
const PUBLIC: &str = r#"
local paths = {"/api/v1/areas/32.16", "/api/v1/areas/32.16.01.2001", "/api/v1/areas/32.16.01.2001/breakdowns",
               "/api/v1/areas/61.11/trend", "/badge/61.11.svg", "/embed/61.11"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"#;

/// Enrolments with NIKs unique per thread and request (birth date and serial from a counter),
/// counted by answer: stored (201), NIK enrolled already (409, a demo worker's), other.
const WRITES: &str = r#"
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args) stored = 0 taken = 0 other = 0 other_status = 0 end
response = function(status)
  if status == 201 then stored = stored + 1 elseif status == 409 then taken = taken + 1
  else other = other + 1 other_status = status end
end
function done()
  local s, t, o, last = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    s = s + thread:get("stored") t = t + thread:get("taken") o = o + thread:get("other")
    if thread:get("other_status") ~= 0 then last = thread:get("other_status") end
  end
  io.write(string.format("WRITES %d %d %d %d\n", s, t, o, last))
end
local n = 0
request = function()
  n = n + 1
  local c = n * 2 + id
  local serial = c % 9999 + 1
  local day = math.floor(c / 9999) % 28 + 1
  local month = math.floor(c / 279972) % 12 + 1
  local nik = string.format("%s%02d%02d85%04d", DISTRICT, day, month, serial)
  local body = string.format('{"nik":"%s","full_name":"Beban Uji","birth_date":"1985-%02d-%02d","sex":"male",' ..
    '"phone":"","address":"RT 01/RW 02 Dusun Beban","segment":"farmer","occupation_other":"","village":"%s","program":"jkk_jkm",' ..
    '"income":1000000,"funding":"dana_desa","sponsor":"","coverage_start":"%s","paid_months":12,' ..
    '"membership_number":"","consent":true}', nik, month, day, VILLAGE, MONTH)
  return wrk.format("POST", "/api/v1/enrolments", {["Content-Type"] = "application/json",
    ["Cookie"] = COOKIE, ["X-CSRF-Token"] = CSRF}, body)
end
"#;

/// Wrong passwords for one account, counted by answer.
const GUESSES: &str = r#"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) refused = 0 throttled = 0 other = 0 end
request = function()
  return wrk.format("POST", "/api/v1/session", {["Content-Type"] = "application/json"},
    '{"login":"admin.bekasi","password":"tebak tebak buah manggis"}')
end
response = function(status)
  if status == 401 then refused = refused + 1 elseif status == 429 then throttled = throttled + 1 else other = other + 1 end
end
function done()
  local r, t, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    r = r + thread:get("refused") t = t + thread:get("throttled") o = o + thread:get("other")
  end
  io.write(string.format("GUESSES %d %d %d\n", r, t, o))
end
"#;

/// A release server on a free loopback port seeding the demo into `db`, answering with
/// errors only in its log: the guard that kills it, its pid and its address.
pub(crate) fn start_demo(server: &Path, dist: &Path, db: &Path) -> Result<(ChildGuard, u32, String)> {
    crate::process::spawn_listening(
        Command::new(server)
            .args(["--addr", "127.0.0.1:0", "--demo", "--static-dir"])
            .arg(dist)
            .arg("--db")
            .arg(db)
            .env("PANTAU_LOG", "error"),
    )
}

pub fn run(server: &Path, dist: &Path) -> Result {
    ensure_wrk()?;
    let data = root().join("target").join(format!("load-{}", std::process::id()));
    std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    let (_server, pid, addr) = start_demo(server, dist, &data.join("load.sqlite"))?;

    println!("\n## Load (issue 18): wrk, 2 threads, 64 connections, loopback, demo data\n");
    println!("| phase | requests | requests/s | errors (non-2xx/3xx, socket) | server memory before → peak → after |");
    println!("|---|---:|---:|---:|---|");
    let public = script(&data, "public.lua", PUBLIC)?;
    let (before, peak, out) = sampled(pid, || wrk(&addr, "", "60s", &["-s".as_ref(), public.as_os_str()]))?;
    let after = rss_kib(pid);
    println!(
        "| public reads (area, village, breakdowns, trend, badge, widget), 60 s | {} | {} | {} | {} → {} → {} MiB |",
        out.requests,
        out.rate,
        out.errors,
        before / 1024,
        peak / 1024,
        after / 1024
    );

    let (cookie, csrf, village) = sign_in(&addr, "operator.sagaramakmur")?;
    // NIKs registered in Tebet (31.74.01), where the demo has none: no row meets a demo
    // worker's NIK (which would be a 409 and count as a NIK lookup).
    let district = "317401";
    let month = time_month();
    let writes = script(
        &data,
        "writes.lua",
        &format!(
            "DISTRICT = {district:?}\nVILLAGE = {village:?}\nMONTH = {month:?}\nCOOKIE = {cookie:?}\nCSRF = {csrf:?}\n{WRITES}"
        ),
    )?;
    let (before, peak, out) = sampled(pid, || wrk(&addr, "", "60s", &["-s".as_ref(), writes.as_os_str()]))?;
    let after = rss_kib(pid);
    let counts: Vec<u64> = out
        .text
        .lines()
        .find_map(|l| l.strip_prefix("WRITES "))
        .map(|rest| rest.split_whitespace().filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    let [stored, taken, other, other_status] = counts[..] else {
        return Err("the enrolment script printed no counts".into());
    };
    println!(
        "| enrolments by one operator (each updates its village and 4 ancestors), 60 s | {} | {} | {} | {} → {} → {} MiB |",
        out.requests,
        out.rate,
        out.errors,
        before / 1024,
        peak / 1024,
        after / 1024
    );
    let writes_line = format!(
        "Of the enrolments, {stored} were stored (201), {taken} met a NIK enrolled already (409){}.",
        if other > 0 {
            format!(" and {other} were refused otherwise (last status {other_status})")
        } else {
            String::new()
        }
    );

    let guesses = script(&data, "guesses.lua", GUESSES)?;
    let (before, peak, out) = sampled(pid, || wrk(&addr, "", "15s", &["-s".as_ref(), guesses.as_os_str()]))?;
    let after = rss_kib(pid);
    let counts: Vec<u64> = out
        .text
        .lines()
        .find_map(|l| l.strip_prefix("GUESSES "))
        .map(|rest| rest.split_whitespace().filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    let [refused, throttled, other] = counts[..] else {
        return Err("the guessing script printed no counts".into());
    };
    println!(
        "| password guesses at one account, 15 s | {} | {} | {other} other | {} → {} → {} MiB |",
        out.requests,
        out.rate,
        before / 1024,
        peak / 1024,
        after / 1024
    );
    println!("\n{writes_line}");
    println!(
        "\nOf the {} guesses, {refused} were checked (401) and {throttled} refused unchecked by the throttle (429).",
        refused + throttled + other
    );
    let _ = std::fs::remove_dir_all(&data);
    Ok(())
}

pub(crate) struct WrkOut {
    pub(crate) requests: String,
    pub(crate) rate: String,
    pub(crate) errors: u64,
    pub(crate) text: String,
}

/// The answers wrk counted as errors: non-2xx/3xx statuses and socket errors of every kind.
fn wrk_errors(text: &str) -> u64 {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            if let Some(rest) = l.strip_prefix("Non-2xx or 3xx responses:") {
                return rest.trim().parse::<u64>().ok();
            }
            l.strip_prefix("Socket errors:").map(|rest| {
                rest.split(',')
                    .filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok())
                    .sum()
            })
        })
        .sum()
}

pub(crate) fn ensure_wrk() -> Result {
    if Command::new("wrk").arg("--version").output().is_err() {
        crate::process::run(Command::new("apt-get").args(["install", "-y", "-q", "wrk"]))?;
    }
    Ok(())
}

fn script(dir: &Path, name: &str, text: &str) -> Result<std::path::PathBuf> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// wrk with 2 threads and 64 connections for `duration` at `path`, with `options` (a Lua
/// script, a header) before the address.
pub(crate) fn wrk(addr: &str, path: &str, duration: &str, options: &[&std::ffi::OsStr]) -> Result<WrkOut> {
    let out = Command::new("wrk")
        .args(["-t2", "-c64", "-d", duration])
        .args(options)
        .arg(format!("http://{addr}{path}"))
        .output()
        .map_err(|e| format!("wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!("wrk failed: {text}{}", String::from_utf8_lossy(&out.stderr)));
    }
    let field = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| "?".into())
    };
    let requests = text
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("?")
        .to_owned();
    let errors = wrk_errors(&text);
    Ok(WrkOut {
        requests,
        rate: field("Requests/sec:"),
        errors,
        text,
    })
}

/// Runs `work` while sampling the server's resident memory every 200 ms: (before, peak, result).
pub(crate) fn sampled<T>(pid: u32, work: impl FnOnce() -> Result<T>) -> Result<(u64, u64, T)> {
    let before = rss_kib(pid);
    let peak = Arc::new(AtomicU64::new(before));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop) = (peak.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(200));
            }
        })
    };
    let result = work();
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    Ok((before, peak.load(Ordering::Relaxed), result?))
}

/// Resident memory of `pid` in KiB (0 if unreadable).
pub(crate) fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

/// This month as `YYYY-MM` (UTC), from the system clock.
fn time_month() -> String {
    let out = Command::new("date").args(["-u", "+%Y-%m"]).output();
    out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// Signs in with the demo password; the cookie header value, the CSRF token and the scope.
pub(crate) fn sign_in(addr: &str, login: &str) -> Result<(String, String, String)> {
    let body = format!(r#"{{"login":"{login}","password":"coba pantau desa"}}"#);
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    write!(
        stream,
        "POST /api/v1/session HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream.read_to_string(&mut response).map_err(|e| e.to_string())?;
    let (head, json) = response.split_once("\r\n\r\n").ok_or("sign-in answer cut off")?;
    let cookie = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.trim().split(';').next().unwrap_or_default().to_owned())
        .find(|c| c.starts_with("__Host-pantau_session="))
        .ok_or("sign-in set no session cookie")?;
    let me: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("sign-in answer: {e}"))?;
    let csrf = me["csrf_token"].as_str().ok_or("no csrf_token")?.to_owned();
    let scope = me["grant"]["scope"].as_str().ok_or("no scope")?.to_owned();
    Ok((cookie, csrf, scope))
}
