//! API tests: the real router on a real SQLite database per test, called in-process.

mod areas;
mod embeds;
mod helpers;
mod openapi;
mod portal;
mod rollups;
mod routing;
