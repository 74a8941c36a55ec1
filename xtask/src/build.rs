//! `serve` and `test`, and the builds they share.

use std::path::PathBuf;
use std::process::Command;

use crate::process::{cargo, root, run, Result};
use crate::tools::{ensure_build_tools, ensure_chromium, ensure_wasm_test_runner, path_with_tools};
use crate::web::{self, Bundle};

/// Folder of the built app.
pub fn dist_dir() -> PathBuf {
    root().join("dist")
}

/// Release build of the public portal and of the officials' workspace (`dist/kerja`, served
/// under `/kerja/`, so none of its code reaches what citizens download), each split and
/// brotli-precompressed by the pipeline in `web.rs`.
pub fn build_app() -> Result<[Bundle; 2]> {
    ensure_build_tools()?;
    let dist = dist_dir();
    Ok([web::build(&web::PORTAL, &dist)?, web::build(&web::KERJA, &dist)?])
}

/// Brotli at the highest quality, as a CDN would precompress static files.
pub fn brotli_bytes(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    // Writing to a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut &raw[..], &mut out, &params);
    out
}

/// Builds the server with the given cargo profile and returns the binary's path.
pub fn build_server(profile: &str) -> Result<PathBuf> {
    run(cargo().args(["build", "--package", "pantau-server", "--profile", profile]))?;
    let folder = if profile == "dev" { "debug" } else { profile };
    Ok(root().join("target").join(folder).join("pantau-server"))
}

/// `cargo xtask serve`.
pub fn serve() -> Result {
    build_app()?;
    let server = build_server("server")?;
    let mut cmd = Command::new(server);
    cmd.current_dir(root()).arg("--demo");
    // Flags only where the environment does not already say otherwise.
    if std::env::var_os("PANTAU_DB").is_none() {
        let data = root().join(".pantau");
        std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
        cmd.arg("--db").arg(data.join("pantau.sqlite"));
    }
    if std::env::var_os("PANTAU_STATIC_DIR").is_none() {
        cmd.arg("--static-dir").arg(dist_dir());
    }
    run(&mut cmd)
}

/// `cargo xtask test`: cheapest checks first, stopping at the first failure.
pub fn test() -> Result {
    ensure_build_tools()?;
    ensure_wasm_test_runner()?;
    ensure_chromium()?;
    let chromedriver = which("chromedriver")?;
    run(cargo_with("fmt --all --check"))?;
    let hostile = root().join("target/hostile");
    let _ = std::fs::remove_dir_all(&hostile);
    // Every server the run starts logs here, scanned for personal data at the end.
    let logs = root().join("target/test-logs");
    let _ = std::fs::remove_dir_all(&logs);
    // `pantau/kerja` compiles the officials' workspace into the app crate (off for the
    // public build, see Cargo.toml), so it is linted and tested too.
    run(cargo_with(
        "clippy --workspace --all-targets --features pantau/kerja -- -D warnings",
    ))?;
    // Core and app must build for the browser too; core's property tests (proptest) are native only.
    run(cargo_with(
        "clippy --package pantau-core --target wasm32-unknown-unknown -- -D warnings",
    ))?;
    run(cargo_with(
        "clippy --package pantau --target wasm32-unknown-unknown --all-targets --features kerja -- -D warnings",
    ))?;
    run(cargo_with("test --workspace --exclude pantau").env("PANTAU_TEST_LOGS", &logs))?;
    run(cargo_with("test --package pantau --lib --features kerja"))?;
    run(
        cargo_with("test --package pantau --target wasm32-unknown-unknown --test web")
            .env("PATH", path_with_tools())
            .env("CHROMEDRIVER", &chromedriver)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;
    let [portal, kerja] = build_app()?;
    web::guard(&portal, &kerja)?;
    let server = build_server("dev")?;
    // Two at a time: each test runs its own server, chromedriver and Chromium.
    for test in ["browser", "kerja", "kerja_admin", "outbox"] {
        run(
            cargo_with(&format!("test --package pantau --test {test} -- --test-threads=2"))
                .env("PANTAU_E2E_SERVER", &server)
                .env("PANTAU_E2E_DIST", dist_dir())
                .env("CHROMEDRIVER", &chromedriver)
                .env("PANTAU_TEST_LOGS", &logs),
        )?;
    }
    run(cargo_with("test --package pantau-server --test api logs:: -- --ignored").env("PANTAU_TEST_LOGS", &logs))?;
    print_hostile_summary(&hostile);
    Ok(())
}

/// The one closing line of the hostile suite (issue 18): what its tests tried, as each
/// recorded it in `target/hostile/` (they fail the run on any wrong answer before this).
fn print_hostile_summary(dir: &std::path::Path) {
    let mut parts: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(std::result::Result::ok)
        .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
        .collect();
    parts.sort();
    println!("hostile suite: {}", parts.join(" · "));
}

/// `cargo` with space-separated arguments.
fn cargo_with(args: &str) -> Command {
    let mut cmd = cargo();
    cmd.args(args.split_whitespace());
    cmd
}

pub fn which(program: &str) -> Result<PathBuf> {
    std::env::split_paths(&path_with_tools())
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("{program} not found on PATH"))
}
