//! A horizontal progress bar for a percentage of target.

use leptos::prelude::*;

/// Colour band of a percentage: the bar and its text share it.
pub fn band(pct: f64) -> &'static str {
    if pct >= 100.0 {
        "band-done"
    } else if pct >= 50.0 {
        "band-high"
    } else if pct >= 25.0 {
        "band-mid"
    } else {
        "band-low"
    }
}

/// `pct` of target reached, capped visually at 100 %; `label` names what is measured.
#[component]
pub fn ProgressBar(pct: f64, #[prop(into)] label: String) -> impl IntoView {
    let width = format!("width: {:.1}%", pct.clamp(0.0, 100.0));
    view! {
        <div
            class=format!("bar {}", band(pct))
            role="progressbar"
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=format!("{:.1}", pct.min(100.0))
            aria-label=label
        >
            <span style=width></span>
        </div>
    }
}
