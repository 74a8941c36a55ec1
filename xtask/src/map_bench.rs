//! Map figures for `cargo xtask bench`: geometry bytes per view, and drawing time in
//! headless Chromium (measured by the browser test `bench_map_drawing`, run on demand).

use std::path::Path;

use crate::build::{brotli_bytes, dist_dir};
use crate::process::{cargo, root, Result};
use crate::tools::path_with_tools;

/// A view's geometry must stay within this many brotli bytes (maps issue).
const VIEW_BUDGET: usize = 300 * 1024;

/// Largest and total brotli size of every view of every layer, as the server sends them
/// (the same quality-11 brotli).
pub fn geometry_sizes() -> Result {
    println!("\n## Map geometry per view (TopoJSON, brotli quality 11, as served)\n");
    println!("| layer file | views | largest view | its raw bytes | its brotli bytes | all views, brotli |\n|---|---:|---|---:|---:|---:|");
    let dir = root().join("data").join("geo");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    // Every view counts, the two parts of the national district layer included.
    let mut worst = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let mut largest = ("", 0, 0);
        let (mut views, mut total) = (0, 0);
        for (view, json) in text.lines().filter_map(|l| l.split_once('\t')) {
            let compressed = brotli_bytes(json.as_bytes()).len();
            views += 1;
            total += compressed;
            if compressed > largest.2 {
                largest = (view, json.len(), compressed);
            }
        }
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        worst = worst.max(largest.2);
        println!(
            "| {name} | {views} | {} | {} | {} | {total} |",
            largest.0, largest.1, largest.2
        );
    }
    let verdict = if worst <= VIEW_BUDGET { "within" } else { "OVER" };
    println!(
        "\nLargest single view: {worst} bytes brotli ({verdict} the {} KB bar).",
        VIEW_BUDGET / 1024
    );
    Ok(())
}

/// Runs the on-demand browser test that draws the national district layer and pans and
/// zooms a regency, and prints the lines it reports.
pub fn drawing(server: &Path, chromedriver: &Path) -> Result {
    println!("\n## Map drawing in headless Chromium (software rendering, this machine)\n");
    println!("| what | draws | median | p95 | max |\n|---|---:|---:|---:|---:|");
    for line in browser_bench(server, chromedriver, "bench_map_drawing")? {
        println!("{line}");
    }
    Ok(())
}

/// Runs the on-demand browser test that opens pages cold on emulated slow 3G.
pub fn slow_3g(server: &Path, chromedriver: &Path) -> Result {
    println!("\n## Slow 3G cold start (Chromium's emulation: 400 ms round trips, 400 Kbps; 412×915; nothing cached)\n");
    println!(
        "| page | largest paint (the headline, from the server's HTML) | the app's figure shown |\n|---|---:|---:|"
    );
    for line in browser_bench(server, chromedriver, "bench_slow_3g_cold_start")? {
        println!("{line}");
    }
    Ok(())
}

/// The `BENCH` lines an ignored browser test prints.
fn browser_bench(server: &Path, chromedriver: &Path, test: &str) -> Result<Vec<String>> {
    let output = cargo()
        .args(["test", "--package", "pantau", "--test", "browser", "--"])
        .args(["--ignored", "--exact", test, "--nocapture"])
        .env("PATH", path_with_tools())
        .env("PANTAU_E2E_SERVER", server)
        .env("PANTAU_E2E_DIST", dist_dir())
        .env("CHROMEDRIVER", chromedriver)
        .output()
        .map_err(|e| format!("cannot run {test}: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "{test} failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(stdout
        .lines()
        .filter_map(|l| l.strip_prefix("BENCH "))
        .map(str::to_owned)
        .collect())
}
