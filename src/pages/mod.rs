//! One module per page.

pub mod about;
pub mod area;
pub mod not_found;
pub mod open_data;
