//! API tests: the real router on a real SQLite database per test, called in-process.

mod areas;
mod boundaries;
mod commitments;
mod crawl;
mod embeds;
mod geometry;
mod helpers;
mod kerja;
mod logs;
mod maps;
mod openapi;
mod portal;
mod process;
mod rollups;
mod routing;
