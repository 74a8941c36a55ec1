//! Reusable pieces of the portal's pages.

pub mod area_summary;
pub mod labels;
pub mod layout;
pub mod load_error;
pub mod progress;
