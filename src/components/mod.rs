//! Reusable pieces of the portal's pages.

pub mod area_summary;
pub mod breakdowns;
pub mod children;
pub mod commitments;
pub mod downloads;
pub mod embed_panel;
pub mod labels;
pub mod layout;
pub mod load_error;
pub mod map;
pub mod map_canvas;
pub mod progress;
pub mod search;
pub mod trend;
