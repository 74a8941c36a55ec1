//! The map's canvas: sizing it to its box, painting the scene (once per animation frame at
//! most) and finding the area under a point.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::gestures::Gesture;
use crate::components::map_canvas::{Scene, Viewport};

/// Everything the event handlers share. The scene is not reactive: it is redrawn on demand.
#[derive(Default)]
pub(super) struct MapState {
    pub scene: Option<Scene>,
    pub gesture: Gesture,
    frame_pending: Cell<bool>,
}

/// The canvas element and the state drawn on it.
#[derive(Clone)]
pub(super) struct MapCanvas {
    pub node: NodeRef<Canvas>,
    pub state: Rc<RefCell<MapState>>,
}

impl MapCanvas {
    pub fn new() -> Self {
        Self {
            node: NodeRef::new(),
            state: Rc::new(RefCell::new(MapState::default())),
        }
    }

    /// Schedules a paint, once the canvas is in the page.
    pub fn repaint(&self) {
        if let Some(canvas) = self.node.get_untracked() {
            request_paint(&canvas, &self.state);
        }
    }

    /// Changes the scene (pan, zoom) and schedules a paint.
    pub fn with_scene(&self, f: &dyn Fn(&mut Scene, Viewport)) {
        let Some(canvas) = self.node.get_untracked() else {
            return;
        };
        let view = viewport(&canvas);
        if let Some(scene) = self.state.borrow_mut().scene.as_mut() {
            f(scene, view);
        }
        request_paint(&canvas, &self.state);
    }

    /// The canvas, its size and the area at (x, y) CSS pixels, once the map is drawn.
    pub fn hit_test(&self, x: f64, y: f64) -> Option<(HtmlCanvasElement, Viewport, Option<usize>)> {
        let canvas = self.node.get_untracked()?;
        let ctx = context(&canvas)?;
        let view = viewport(&canvas);
        let hit = self.state.borrow().scene.as_ref()?.hit(&ctx, x, y, view);
        Some((canvas, view, hit))
    }
}

fn viewport(canvas: &HtmlCanvasElement) -> Viewport {
    let rect = canvas.get_bounding_client_rect();
    Viewport {
        width: rect.width().max(1.0),
        height: rect.height().max(1.0),
        dpr: window().device_pixel_ratio().max(1.0),
    }
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// Whether a test or the benchmark asked the map to report its drawing (`data-map-probe`
/// on the root element): draw times, forced to pixels, and label positions.
fn probing() -> bool {
    document()
        .document_element()
        .is_some_and(|root| root.has_attribute("data-map-probe"))
}

/// Paints the scene now, sizing the canvas to its box first.
fn paint(canvas: &HtmlCanvasElement, state: &MapState) {
    let Some(scene) = &state.scene else { return };
    let view = viewport(canvas);
    let (w, h) = ((view.width * view.dpr) as u32, (view.height * view.dpr) as u32);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let Some(ctx) = context(canvas) else { return };
    let probe = probing();
    let started = probe.then(|| window().performance().map(|p| p.now())).flatten();
    scene.draw(&ctx, view);
    if let Some(started) = started {
        // Reading a pixel back makes the browser rasterise now, so the time covers pixels.
        let _ = ctx.get_image_data(0.0, 0.0, 1.0, 1.0);
        let elapsed = window().performance().map(|p| p.now()).unwrap_or(started) - started;
        let micros = (elapsed * 1000.0) as u64;
        let log = canvas.get_attribute("data-draw-us").unwrap_or_default();
        let log = if log.is_empty() {
            micros.to_string()
        } else {
            format!("{log},{micros}")
        };
        let _ = canvas.set_attribute("data-draw-us", &log);
        let labels: Vec<String> = (0..scene.shapes.len())
            .map(|i| {
                let (x, y) = scene.screen_label(i, view);
                format!("{}:{}:{}", scene.shapes[i].code, x.round() as i64, y.round() as i64)
            })
            .collect();
        let _ = canvas.set_attribute("data-labels", &labels.join(";"));
    }
}

/// Schedules one paint on the next animation frame; repeated calls before it coalesce.
pub(super) fn request_paint(canvas: &HtmlCanvasElement, state: &Rc<RefCell<MapState>>) {
    if state.borrow().frame_pending.replace(true) {
        return;
    }
    let (canvas, state) = (canvas.clone(), state.clone());
    request_animation_frame(move || {
        let state = state.borrow();
        state.frame_pending.set(false);
        paint(&canvas, &state);
    });
}
