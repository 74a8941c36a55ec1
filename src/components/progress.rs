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

/// Tenths of a percent, capped to 0–100 %, as an integer: formatting integers keeps the
/// float-printing machinery out of the wasm.
pub fn tenths(pct: f64) -> u64 {
    (pct.clamp(0.0, 100.0) * 10.0).round() as u64
}

/// `12.3` written from tenths.
pub fn decimal(tenths: u64) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

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
