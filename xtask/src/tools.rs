//! Pinned tools, installed once and skipped when the right version is present.

use std::path::PathBuf;
use std::process::Command;

use crate::process::{cargo, output, root, run, Result};

/// binaryen's wasm-opt from npm; Debian's 108 produces a wasm that crashes.
const BINARYEN_VERSION: &str = "132.0.0";
/// esbuild from npm minifies the JS glue and the CSS of the browser apps.
const ESBUILD_VERSION: &str = "0.28.2";
/// mapshaper for the boundary files (../shared/TOOLCHAIN.md: 0.7.70 works here).
const MAPSHAPER_VERSION: &str = "0.7.70";

/// Folder for tools that do not live in `~/.cargo/bin`.
fn tools_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(root);
    home.join(".cache").join("pantau-tools")
}

/// `PATH` with the npm-installed wasm-opt and cargo's bin folder in front.
pub fn path_with_tools() -> std::ffi::OsString {
    let mut dirs = vec![tools_dir().join("node_modules").join(".bin")];
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo").join("bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

fn version_of(program: &str, arg: &str) -> Option<String> {
    output(Command::new(program).arg(arg).env("PATH", path_with_tools()))
}

/// Whether `program --version` runs and its answer is the one wanted.
fn has_version(program: &str, wanted: impl Fn(&str) -> bool) -> bool {
    version_of(program, "--version").is_some_and(|v| wanted(v.trim()))
}

/// The `wasm-bindgen` version Cargo.lock resolved; the CLI must match it exactly.
fn locked_wasm_bindgen() -> Result<String> {
    let lock =
        std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

/// Everything needed to build the app: the wasm target and wasm-opt. wasm-bindgen and the
/// splitter are libraries inside xtask (see `web.rs`).
pub fn ensure_build_tools() -> Result {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let major = BINARYEN_VERSION.split('.').next().unwrap_or_default();
    if !has_version("wasm-opt", |v| v.contains(&format!("version {major}"))) {
        std::fs::create_dir_all(tools_dir()).map_err(|e| format!("cannot create {}: {e}", tools_dir().display()))?;
        run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(tools_dir())
            .arg(format!("binaryen@{BINARYEN_VERSION}")))?;
    }
    Ok(())
}

/// The wasm-bindgen CLI of the exact version in Cargo.lock: its `wasm-bindgen-test-runner`
/// runs the wasm tests in Chromium (the build itself uses the library).
pub fn ensure_wasm_test_runner() -> Result {
    let bindgen = locked_wasm_bindgen()?;
    if !has_version("wasm-bindgen-test-runner", |v| v.ends_with(&bindgen)) {
        run(cargo().args(["install", "wasm-bindgen-cli", "--version", &bindgen]))?;
    }
    Ok(())
}

/// esbuild from npm, the minifier of the browser build; returns its path.
pub fn ensure_esbuild() -> Result<PathBuf> {
    ensure_npm_tool("esbuild", ESBUILD_VERSION)
}

/// mapshaper from npm, for `cargo xtask geodata`; returns its path.
pub fn ensure_mapshaper() -> Result<PathBuf> {
    ensure_npm_tool("mapshaper", MAPSHAPER_VERSION)
}

/// An npm package's program in the tools folder, installed at `version` unless present.
fn ensure_npm_tool(name: &str, version: &str) -> Result<PathBuf> {
    let bin = tools_dir().join("node_modules").join(".bin").join(name);
    if !has_version(bin.to_str().unwrap_or(name), |v| v.starts_with(version)) {
        std::fs::create_dir_all(tools_dir()).map_err(|e| format!("cannot create {}: {e}", tools_dir().display()))?;
        run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(tools_dir())
            .arg(format!("{name}@{version}")))?;
    }
    Ok(bin)
}

/// Lighthouse 12 from npm, for the benchmark; returns its path.
pub fn ensure_lighthouse() -> Result<PathBuf> {
    ensure_npm_tool("lighthouse", "12")
}

/// Debian's Chromium and the matching ChromeDriver, for wasm and browser tests.
pub fn ensure_chromium() -> Result {
    let present = |p: &str| version_of(p, "--version").is_some();
    if present("chromium") && present("chromedriver") {
        return Ok(());
    }
    let is_root = output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    if !is_root {
        return Err(
            "Chromium and ChromeDriver are missing: install Debian's `chromium` and `chromium-driver` \
                    (sudo apt-get install -y chromium chromium-driver), then run again"
                .into(),
        );
    }
    run(Command::new("apt-get").args(["update", "-q"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}
