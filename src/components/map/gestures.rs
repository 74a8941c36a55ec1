//! How the reader moves the map: drag, pinch and wheel zoom, the zoom buttons and keys, hover
//! and tap for the tooltip, and click (or a second tap) to open an area.

use leptos::ev;
use leptos::prelude::*;
use web_sys::{PointerEvent, WheelEvent};

use super::loading::MapData;
use super::paint::{request_paint, MapCanvas};
use super::tooltip::Tips;

/// Pointer travel (CSS px) that turns a tap into a drag.
const DRAG_THRESHOLD: f64 = 5.0;

/// Pointers currently down, for drag and pinch.
#[derive(Default)]
pub(super) struct Gesture {
    pointers: Vec<(i32, f64, f64)>,
    moved: f64,
    start_distance: f64,
}

/// The event handlers' shared parts.
#[derive(Clone)]
pub(super) struct Controls {
    pub canvas: MapCanvas,
    pub tips: Tips,
    pub data: MapData,
}

impl Controls {
    fn after_zoom(&self) {
        let zoom = self.canvas.state.borrow().scene.as_ref().map_or(1.0, |s| s.zoom);
        self.data.zoomed_to(zoom);
    }

    pub fn pointer_down(&self, e: PointerEvent) {
        if let Some(canvas) = self.canvas.node.get_untracked() {
            let _ = canvas.set_pointer_capture(e.pointer_id());
        }
        let mut s = self.canvas.state.borrow_mut();
        let g = &mut s.gesture;
        g.pointers.retain(|p| p.0 != e.pointer_id());
        g.pointers
            .push((e.pointer_id(), f64::from(e.offset_x()), f64::from(e.offset_y())));
        g.moved = 0.0;
        if let [a, b] = g.pointers[..] {
            g.start_distance = (a.1 - b.1).hypot(a.2 - b.2);
        }
    }

    pub fn pointer_move(&self, e: PointerEvent) {
        let state = &self.canvas.state;
        let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
        let mut s = state.borrow_mut();
        let pointers = s.gesture.pointers.len();
        if pointers == 0 {
            // Hover (mouse): outline and tooltip.
            drop(s);
            let Some((canvas, view, hit)) = self.canvas.hit_test(x, y) else {
                return;
            };
            let mut s = state.borrow_mut();
            let Some(scene) = s.scene.as_mut() else { return };
            if hit != scene.hovered {
                scene.hovered = hit;
                self.tips.show(hit, scene, view);
                drop(s);
                request_paint(&canvas, state);
            }
            return;
        }
        let g = &mut s.gesture;
        let Some(slot) = g.pointers.iter().position(|p| p.0 == e.pointer_id()) else {
            return;
        };
        let (_, px, py) = g.pointers[slot];
        g.pointers[slot] = (e.pointer_id(), x, y);
        if pointers == 1 {
            g.moved += (x - px).hypot(y - py);
            if g.moved < DRAG_THRESHOLD {
                return;
            }
            drop(s);
            self.tips.hide();
            self.canvas.with_scene(&|scene, _| scene.pan_by(x - px, y - py));
        } else if let [a, b] = g.pointers[..] {
            let distance = (a.1 - b.1).hypot(a.2 - b.2);
            let factor = if g.start_distance > 0.0 {
                distance / g.start_distance
            } else {
                1.0
            };
            g.start_distance = distance;
            g.moved = f64::MAX;
            let (mx, my) = ((a.1 + b.1) / 2.0, (a.2 + b.2) / 2.0);
            drop(s);
            self.canvas
                .with_scene(&|scene, view| scene.zoom_at(factor, mx, my, view));
        }
    }

    /// Ends a drag or pinch; a tap shows or opens (`open`) the area under it.
    pub fn pointer_up(&self, e: PointerEvent, open: &dyn Fn(&str)) {
        let state = &self.canvas.state;
        let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
        let mut s = state.borrow_mut();
        let was_tap = s.gesture.pointers.len() == 1 && s.gesture.moved < DRAG_THRESHOLD;
        s.gesture.pointers.retain(|p| p.0 != e.pointer_id());
        drop(s);
        self.after_zoom();
        if !was_tap {
            return;
        }
        let Some((canvas, view, hit)) = self.canvas.hit_test(x, y) else {
            return;
        };
        let mut s = state.borrow_mut();
        let Some(scene) = s.scene.as_mut() else { return };
        let Some(index) = hit else {
            scene.hovered = None;
            self.tips.hide();
            drop(s);
            request_paint(&canvas, state);
            return;
        };
        // A mouse click opens the area; a first tap on a touch screen shows its figures,
        // a second tap on the same area opens it.
        let touch = e.pointer_type() != "mouse";
        if touch && scene.hovered != Some(index) {
            scene.hovered = Some(index);
            self.tips.show(Some(index), scene, view);
            drop(s);
            request_paint(&canvas, state);
            return;
        }
        let code = scene.shapes[index].code.clone();
        drop(s);
        open(&code);
    }

    pub fn pointer_cancel(&self, e: PointerEvent) {
        self.canvas
            .state
            .borrow_mut()
            .gesture
            .pointers
            .retain(|p| p.0 != e.pointer_id());
    }

    pub fn leave(&self) {
        let Some(canvas) = self.canvas.node.get_untracked() else {
            return;
        };
        let mut s = self.canvas.state.borrow_mut();
        if let Some(scene) = s.scene.as_mut() {
            if scene.hovered.take().is_some() {
                self.tips.hide();
                drop(s);
                request_paint(&canvas, &self.canvas.state);
            }
        }
    }

    pub fn wheel(&self, e: WheelEvent) {
        e.prevent_default();
        let factor = js_sys::Math::exp(-e.delta_y() * 0.002);
        let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
        self.tips.hide();
        self.canvas.with_scene(&|scene, view| scene.zoom_at(factor, x, y, view));
        self.after_zoom();
    }

    /// Zooms about the middle by `factor`; 0 resets the view.
    pub fn zoom(&self, factor: f64) {
        self.tips.hide();
        if factor == 0.0 {
            self.canvas.with_scene(&|scene, _| scene.reset());
        } else {
            self.canvas
                .with_scene(&|scene, view| scene.zoom_at(factor, view.width / 2.0, view.height / 2.0, view));
        }
        self.after_zoom();
    }

    /// Arrows pan, `+`/`-` zoom, `0` resets.
    pub fn key(&self, e: ev::KeyboardEvent) {
        let step = 40.0;
        match e.key().as_str() {
            "ArrowLeft" => self.canvas.with_scene(&|scene, _| scene.pan_by(step, 0.0)),
            "ArrowRight" => self.canvas.with_scene(&|scene, _| scene.pan_by(-step, 0.0)),
            "ArrowUp" => self.canvas.with_scene(&|scene, _| scene.pan_by(0.0, step)),
            "ArrowDown" => self.canvas.with_scene(&|scene, _| scene.pan_by(0.0, -step)),
            "+" | "=" => self.zoom(1.5),
            "-" => self.zoom(1.0 / 1.5),
            "0" => self.zoom(0.0),
            _ => return,
        }
        e.prevent_default();
    }
}
