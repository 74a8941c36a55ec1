//! A horizontal progress bar for a percentage of target.

use leptos::prelude::*;

pub use pantau_core::display::{band, decimal, tenths};

/// `pct` of target reached, capped visually at 100 %; `label` names what is measured.
#[component]
pub fn ProgressBar(pct: f64, #[prop(into)] label: String) -> impl IntoView {
    let value = decimal(tenths(pct));
    let width = format!("width: {value}%");
    view! {
        <div
            class=format!("bar {}", band(pct))
            role="progressbar"
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=value
            aria-label=label
        >
            <span style=width></span>
        </div>
    }
}
