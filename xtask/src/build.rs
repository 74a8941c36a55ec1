//! `serve` and `test`, and the builds they share.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{cargo, root, run, Result};
use crate::tools::{ensure_build_tools, ensure_chromium, path_with_tools};

/// Files a browser downloads, precompressed so the server can send `.br` siblings.
const COMPRESSIBLE: [&str; 5] = ["html", "js", "wasm", "css", "svg"];

/// Folder of the built app.
pub fn dist_dir() -> PathBuf {
    root().join("dist")
}

/// Release build of the public app and of the officials' workspace with Trunk, then a brotli
/// sibling for every text and wasm file.
///
/// The workspace is a second Trunk entry built into `dist/kerja` (served under `/kerja/`), so
/// none of its code reaches what citizens download. It is built after the public app, whose
/// build replaces the whole of `dist`.
pub fn build_app() -> Result {
    ensure_build_tools()?;
    run(&mut trunk_build("index.html"))?;
    run(trunk_build("workspace/index.html")
        .arg("--dist")
        .arg(dist_dir().join("kerja"))
        .args(["--public-url", "/kerja/"]))?;
    precompress(&dist_dir())
}

/// `trunk build <target> --release` with the pinned tools. The target comes first: Trunk's
/// `--release` takes an optional value and would swallow it.
fn trunk_build(target: &str) -> Command {
    let mut cmd = Command::new("trunk");
    cmd.args(["build", target, "--release"])
        .current_dir(root())
        .env("PATH", path_with_tools())
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    cmd
}

fn precompress(dir: &Path) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e));
        if path.is_dir() {
            precompress(&path)?;
        } else if compressible {
            let raw = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let mut target = path.clone().into_os_string();
            target.push(".br");
            std::fs::write(&target, brotli_bytes(&raw)).map_err(|e| format!("cannot write {target:?}: {e}"))?;
        }
    }
    Ok(())
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
    ensure_chromium()?;
    let chromedriver = which("chromedriver")?;
    run(cargo_with("fmt --all --check"))?;
    // `pantau/workspace` compiles the officials' workspace into the app crate (off for the
    // public build, see Cargo.toml), so it is linted and tested too.
    run(cargo_with(
        "clippy --workspace --all-targets --features pantau/workspace -- -D warnings",
    ))?;
    // Core and app must build for the browser too; core's property tests (proptest) are native only.
    run(cargo_with(
        "clippy --package pantau-core --target wasm32-unknown-unknown -- -D warnings",
    ))?;
    run(cargo_with(
        "clippy --package pantau --target wasm32-unknown-unknown --all-targets --features workspace -- -D warnings",
    ))?;
    run(cargo_with("test --workspace --exclude pantau"))?;
    run(cargo_with("test --package pantau --lib --features workspace"))?;
    run(
        cargo_with("test --package pantau --target wasm32-unknown-unknown --test web")
            .env("PATH", path_with_tools())
            .env("CHROMEDRIVER", &chromedriver)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;
    build_app()?;
    let server = build_server("dev")?;
    // Two at a time: each test runs its own server, chromedriver and Chromium.
    for test in ["browser", "workspace", "workspace_admin"] {
        run(
            cargo_with(&format!("test --package pantau --test {test} -- --test-threads=2"))
                .env("PANTAU_E2E_SERVER", &server)
                .env("PANTAU_E2E_DIST", dist_dir())
                .env("CHROMEDRIVER", &chromedriver),
        )?;
    }
    Ok(())
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
