//! `cargo xtask <task>`: the project's commands. Run without a task to list them.

mod bench;
mod build;
mod geodata;
mod import_bench;
mod load;
mod map_bench;
mod process;
mod tools;
mod web;

use std::process::ExitCode;

const TASKS: &str = "\
Tasks:
  serve   install pinned tools, build the app and server in release, seed the demo database,
          serve on http://127.0.0.1:8080 (PANTAU_ADDR, PANTAU_DB, PANTAU_STATIC_DIR pass through)
  build   build the public portal and the officials' workspace in release into dist/
  test    install tools and Chromium, then fmt, clippy, unit, API, wasm and browser tests
  bench   build in release and report transfer sizes, area API latency, throughput and load
          (`bench load`: only the 60 s load phases, memory and the password-guessing burst;
           `bench import`: only the 100,000-row import;
           `bench answers`: only the throughput of full public answers beside axum's ceiling)
  geodata regenerate the map boundary files in data/geo/ from data/boundaries/ (mapshaper)";

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    let result = match task.as_deref() {
        Some("serve") => build::serve(),
        Some("build") => build::build_app().map(|_| ()),
        Some("test") => build::test(),
        Some("bench") if std::env::args().nth(2).as_deref() == Some("load") => bench::load_only(),
        Some("bench") if std::env::args().nth(2).as_deref() == Some("import") => bench::import_only(),
        Some("bench") if std::env::args().nth(2).as_deref() == Some("answers") => bench::answers_only(),
        Some("bench") => bench::run(),
        Some("geodata") => geodata::run_all(),
        _ => {
            eprintln!("{TASKS}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err}");
            ExitCode::FAILURE
        }
    }
}
