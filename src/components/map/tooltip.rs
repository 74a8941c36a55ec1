//! The tooltip over the map: an area's name and figures, and a link to its page.

use leptos::prelude::*;
use pantau_core::api::AreaChild;

use crate::components::map_canvas::{Scene, Viewport};
use crate::format::{count, percent};
use crate::i18n::{locale, texts};

/// The tooltip's content and position.
#[derive(Clone, Debug, PartialEq)]
struct Tip {
    code: String,
    name: String,
    active: u64,
    target: u64,
    pct: f64,
    x: f64,
    y: f64,
}

/// The child with `code` in a list sorted by code.
pub(super) fn find<'a>(children: &'a [AreaChild], code: &str) -> Option<&'a AreaChild> {
    children
        .binary_search_by(|c| c.code.as_str().cmp(code))
        .ok()
        .map(|i| &children[i])
}

/// The tooltip shown, and the figures it is filled from.
#[derive(Clone, Copy)]
pub(super) struct Tips {
    tip: RwSignal<Option<Tip>>,
    // Children by code, sorted for binary search (a hash map costs the wasm more).
    by_code: StoredValue<Vec<AreaChild>, LocalStorage>,
}

impl Tips {
    pub fn new() -> Self {
        Self {
            tip: RwSignal::new(None),
            by_code: StoredValue::new_local(Vec::new()),
        }
    }

    /// The figures to show, sorted by code.
    pub fn set_figures(self, sorted: Vec<AreaChild>) {
        self.by_code.set_value(sorted);
    }

    pub fn hide(self) {
        self.tip.set(None);
    }

    /// Shows the figures of the scene's shape `index` at its label, or hides the tooltip.
    pub fn show(self, index: Option<usize>, scene: &Scene, view: Viewport) {
        let next = index.and_then(|i| {
            let shape = &scene.shapes[i];
            let (x, y) = scene.screen_label(i, view);
            self.by_code.with_value(|m| {
                find(m, &shape.code).map(|c| Tip {
                    code: shape.code.clone(),
                    name: c.name.clone(),
                    active: c.figures.active,
                    target: c.figures.target,
                    pct: c.figures.progress_pct,
                    x,
                    y,
                })
            })
        });
        self.tip.set(next);
    }

    /// The tooltip, while one is shown.
    pub fn view(self) -> impl IntoView {
        let t = texts();
        let l = locale();
        move || {
            self.tip.get().map(|tip| {
                let style = format!("left: {}px; top: {}px", tip.x.round() as i64, tip.y.round() as i64);
                let href = format!("/wilayah/{}", tip.code);
                view! {
                    <div class="map-tip" style=style data-testid="map-tip" role="status">
                        <strong>{tip.name}</strong>
                        <span>{count(tip.active, l)} " / " {count(tip.target, l)} " · " {percent(tip.pct, l)}</span>
                        <a href=href>{t.map_open}</a>
                    </div>
                }
            })
        }
    }
}
