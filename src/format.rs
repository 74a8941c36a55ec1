//! Figures in the reader's language: the shared rules of `pantau_core::display`.

pub use pantau_core::display::{count, month_year, percent, rupiah, timestamp_wib};
