//! The map view of an area's children: a choropleth of progress to target with a legend,
//! pan, pinch and wheel zoom, a tooltip, and tap or click to drill down. The list beside it
//! holds the same figures and is its text alternative.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::ev;
use leptos::html::Canvas;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use pantau_core::api::AreaChild;
use pantau_core::map::{progress_class, GeometryKind, CLASS_BOUNDS, CLASS_COLOURS, NO_TARGET_COLOUR};
use pantau_core::{AreaCode, Level};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, PointerEvent, WheelEvent};

use crate::api;
use crate::components::map_canvas::{Scene, Viewport};
use crate::format::{count, percent};
use crate::i18n::{children_heading, locale, texts};

/// Zoom factor from which the finer outlines are fetched, where the layer has them.
const FINER_FROM_ZOOM: f64 = 4.0;
/// Pointer travel (CSS px) that turns a tap into a drag.
const DRAG_THRESHOLD: f64 = 5.0;

/// What the map shows for an area: which level of areas, with whose figures.
#[derive(Clone, Debug, PartialEq)]
struct Layer {
    shown: Level,
    detail: u8,
}

/// Where the map's two fetches (geometry and figures) stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Loading {
    Pending,
    Ready,
    Failed,
}

/// Pointers currently down, for drag and pinch.
#[derive(Default)]
struct Gesture {
    pointers: Vec<(i32, f64, f64)>,
    moved: f64,
    start_distance: f64,
}

/// Everything the event handlers share. The scene is not reactive: it is redrawn on demand.
#[derive(Default)]
struct MapState {
    scene: Option<Scene>,
    gesture: Gesture,
    frame_pending: Cell<bool>,
}

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
fn find<'a>(children: &'a [AreaChild], code: &str) -> Option<&'a AreaChild> {
    children
        .binary_search_by(|c| c.code.as_str().cmp(code))
        .ok()
        .map(|i| &children[i])
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

/// The canvas, its size and the area at (x, y) CSS pixels, once the map is drawn.
fn hit_test(
    canvas_ref: NodeRef<Canvas>,
    state: &MapState,
    x: f64,
    y: f64,
) -> Option<(HtmlCanvasElement, Viewport, Option<usize>)> {
    let canvas = canvas_ref.get_untracked()?;
    let ctx = context(&canvas)?;
    let view = viewport(&canvas);
    let hit = state.scene.as_ref()?.hit(&ctx, x, y, view);
    Some((canvas, view, hit))
}

/// Schedules one paint on the next animation frame; repeated calls before it coalesce.
fn request_paint(canvas: &HtmlCanvasElement, state: &Rc<RefCell<MapState>>) {
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

/// The map of `code`'s children (for a village: its district's villages, itself outlined),
/// coloured by `figures`.
#[component]
pub fn AreaMap(
    code: AreaCode,
    level: Level,
    /// Children with figures; for a village, empty (its siblings are fetched).
    children: Vec<AreaChild>,
) -> impl IntoView {
    let t = texts();
    let l = locale();
    let default_level = level.child().unwrap_or(Level::Village);
    let layer = RwSignal::new(Layer {
        shown: default_level,
        detail: 0,
    });
    let is_nation = level == Level::Nation;
    let map_code = code.clone();
    let geometry = LocalResource::new(move || {
        let Layer { shown, detail } = layer.get();
        let code = map_code.clone();
        async move { api::map(&code, shown, detail).await }
    });
    let figures_code = code.clone();
    let figures = LocalResource::new(move || {
        let shown = layer.with(|l| l.shown);
        let code = figures_code.clone();
        let children = children.clone();
        async move {
            match &code {
                AreaCode::Region(region) if region.level() == Level::Village => {
                    let parent = AreaCode::Region(region.parent().unwrap_or_else(|| region.clone()));
                    api::area(&parent).await.map(|a| a.children)
                }
                AreaCode::Nation if shown != Level::Province => api::descendants(&code, shown).await,
                _ => Ok(children),
            }
        }
    });

    let canvas_ref = NodeRef::<Canvas>::new();
    let state = Rc::new(RefCell::new(MapState::default()));
    let tip = RwSignal::new(None::<Tip>);
    // The frame takes the view's proportions (within limits), in hundredths.
    let aspect = RwSignal::new(133u32);
    // Children by code, sorted for binary search (a hash map costs the wasm more).
    let by_code = StoredValue::new_local(Vec::<AreaChild>::new());
    let selected = match &code {
        AreaCode::Region(r) if r.level() == Level::Village => Some(r.as_str().to_owned()),
        _ => None,
    };

    // Build the scene once geometry and figures are both in; keep the reader's zoom.
    {
        let state = state.clone();
        Effect::new(move |_| {
            // Read in place: the topology can be megabytes, and only its features are kept.
            let features = geometry.with(|g| match g {
                Some(Ok(topology)) => Some(topology.features()),
                _ => None,
            });
            let (Some(features), Some(Ok(mut map))) = (features, figures.get()) else {
                return;
            };
            map.sort_by(|a, b| a.code.cmp(&b.code));
            let class_of = |code: &str| {
                find(&map, code)
                    .filter(|c| c.figures.target > 0)
                    .map(|c| progress_class(c.figures.progress_pct))
            };
            let mut scene = Scene::new(&features, class_of, selected.as_deref());
            if let Some(old) = state.borrow().scene.as_ref() {
                scene.zoom = old.zoom;
                scene.pan = old.pan;
            }
            by_code.set_value(map);
            aspect.set((scene.aspect().clamp(0.75, 2.2) * 100.0) as u32);
            state.borrow_mut().scene = Some(scene);
            if let Some(canvas) = canvas_ref.get_untracked() {
                request_paint(&canvas, &state);
            }
        });
    }

    let with_scene = {
        let state = state.clone();
        move |f: &dyn Fn(&mut Scene, Viewport)| {
            let Some(canvas) = canvas_ref.get_untracked() else {
                return;
            };
            let view = viewport(&canvas);
            if let Some(scene) = state.borrow_mut().scene.as_mut() {
                f(scene, view);
            }
            request_paint(&canvas, &state);
        }
    };
    // Finer outlines once zoomed in, where the layer has them (provinces and regencies).
    let after_zoom = {
        let state = state.clone();
        move || {
            let zoom = state.borrow().scene.as_ref().map_or(1.0, |s| s.zoom);
            let has_finer = matches!(
                (is_nation, layer.with_untracked(|l| l.shown)),
                (true, Level::Province) | (false, Level::Regency)
            );
            if has_finer && zoom >= FINER_FROM_ZOOM && layer.with_untracked(|l| l.detail) == 0 {
                layer.update(|l| l.detail = 1);
            }
        }
    };
    let show_tip = move |index: Option<usize>, scene: &Scene, view: Viewport| {
        let next = index.and_then(|i| {
            let shape = &scene.shapes[i];
            let (x, y) = scene.screen_label(i, view);
            by_code.with_value(|m| {
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
        tip.set(next);
    };
    let navigate = use_navigate();
    let open = move |code: &str| navigate(&format!("/wilayah/{code}"), Default::default());

    let on_pointer_down = {
        let state = state.clone();
        move |e: PointerEvent| {
            if let Some(canvas) = canvas_ref.get_untracked() {
                let _ = canvas.set_pointer_capture(e.pointer_id());
            }
            let mut s = state.borrow_mut();
            let g = &mut s.gesture;
            g.pointers.retain(|p| p.0 != e.pointer_id());
            g.pointers
                .push((e.pointer_id(), f64::from(e.offset_x()), f64::from(e.offset_y())));
            g.moved = 0.0;
            if let [a, b] = g.pointers[..] {
                g.start_distance = (a.1 - b.1).hypot(a.2 - b.2);
            }
        }
    };
    let on_pointer_move = {
        let state = state.clone();
        let with_scene = with_scene.clone();
        move |e: PointerEvent| {
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            let mut s = state.borrow_mut();
            let pointers = s.gesture.pointers.len();
            if pointers == 0 {
                // Hover (mouse): outline and tooltip.
                drop(s);
                let Some((canvas, view, hit)) = hit_test(canvas_ref, &state.borrow(), x, y) else {
                    return;
                };
                let mut s = state.borrow_mut();
                let Some(scene) = s.scene.as_mut() else { return };
                if hit != scene.hovered {
                    scene.hovered = hit;
                    show_tip(hit, scene, view);
                    drop(s);
                    request_paint(&canvas, &state);
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
                tip.set(None);
                with_scene(&|scene, _| scene.pan_by(x - px, y - py));
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
                with_scene(&|scene, view| scene.zoom_at(factor, mx, my, view));
            }
        }
    };
    let on_pointer_up = {
        let state = state.clone();
        let after_zoom = after_zoom.clone();
        move |e: PointerEvent| {
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            let mut s = state.borrow_mut();
            let was_tap = s.gesture.pointers.len() == 1 && s.gesture.moved < DRAG_THRESHOLD;
            s.gesture.pointers.retain(|p| p.0 != e.pointer_id());
            drop(s);
            after_zoom();
            if !was_tap {
                return;
            }
            let Some((canvas, view, hit)) = hit_test(canvas_ref, &state.borrow(), x, y) else {
                return;
            };
            let mut s = state.borrow_mut();
            let Some(scene) = s.scene.as_mut() else { return };
            let Some(index) = hit else {
                scene.hovered = None;
                tip.set(None);
                drop(s);
                request_paint(&canvas, &state);
                return;
            };
            // A mouse click opens the area; a first tap on a touch screen shows its figures,
            // a second tap on the same area opens it.
            let touch = e.pointer_type() != "mouse";
            if touch && scene.hovered != Some(index) {
                scene.hovered = Some(index);
                show_tip(Some(index), scene, view);
                drop(s);
                request_paint(&canvas, &state);
                return;
            }
            let code = scene.shapes[index].code.clone();
            drop(s);
            open(&code);
        }
    };
    let on_pointer_cancel = {
        let state = state.clone();
        move |e: PointerEvent| {
            state.borrow_mut().gesture.pointers.retain(|p| p.0 != e.pointer_id());
        }
    };
    let on_leave = {
        let state = state.clone();
        move |_| {
            let Some(canvas) = canvas_ref.get_untracked() else {
                return;
            };
            let mut s = state.borrow_mut();
            if let Some(scene) = s.scene.as_mut() {
                if scene.hovered.take().is_some() {
                    tip.set(None);
                    drop(s);
                    request_paint(&canvas, &state);
                }
            }
        }
    };
    let on_wheel = {
        let with_scene = with_scene.clone();
        let after_zoom = after_zoom.clone();
        move |e: WheelEvent| {
            e.prevent_default();
            let factor = js_sys::Math::exp(-e.delta_y() * 0.002);
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            tip.set(None);
            with_scene(&|scene, view| scene.zoom_at(factor, x, y, view));
            after_zoom();
        }
    };
    let zoom_button = {
        let with_scene = with_scene.clone();
        let after_zoom = after_zoom.clone();
        move |factor: f64| {
            tip.set(None);
            if factor == 0.0 {
                with_scene(&|scene, _| scene.reset());
            } else {
                with_scene(&|scene, view| scene.zoom_at(factor, view.width / 2.0, view.height / 2.0, view));
            }
            after_zoom();
        }
    };
    let on_key = {
        let with_scene = with_scene.clone();
        let zoom_button = zoom_button.clone();
        move |e: ev::KeyboardEvent| {
            let step = 40.0;
            match e.key().as_str() {
                "ArrowLeft" => with_scene(&|scene, _| scene.pan_by(step, 0.0)),
                "ArrowRight" => with_scene(&|scene, _| scene.pan_by(-step, 0.0)),
                "ArrowUp" => with_scene(&|scene, _| scene.pan_by(0.0, step)),
                "ArrowDown" => with_scene(&|scene, _| scene.pan_by(0.0, -step)),
                "+" | "=" => zoom_button(1.5),
                "-" => zoom_button(1.0 / 1.5),
                "0" => zoom_button(0.0),
                _ => return,
            }
            e.prevent_default();
        }
    };
    // Repaint when the box changes size (window resize, list/map switch, rotation).
    {
        let state = state.clone();
        let handle = window_event_listener(ev::resize, move |_| {
            if let Some(canvas) = canvas_ref.get_untracked() {
                request_paint(&canvas, &state);
            }
        });
        on_cleanup(move || handle.remove());
    }

    let layer_buttons = is_nation.then(|| {
        let button = move |shown: Level, id: &'static str| {
            view! {
                <button
                    type="button"
                    class="chip"
                    data-testid=id
                    aria-pressed=move || (layer.with(|l| l.shown) == shown).to_string()
                    on:click=move |_| layer.set(Layer { shown, detail: 0 })
                >
                    {children_heading(shown)}
                </button>
            }
        };
        view! {
            <div class="map-layers" role="group" aria-label=t.map_layers>
                <span class="sort-label">{t.map_layers} ":"</span>
                {button(Level::Province, "map-layer-province")}
                {button(Level::Regency, "map-layer-regency")}
                {button(Level::District, "map-layer-district")}
            </div>
        }
    });
    // Both fetches' state, read without cloning what they hold.
    let loading = move || {
        let geometry = geometry.with(|g| g.as_ref().map(Result::is_ok));
        let figures = figures.with(|f| f.as_ref().map(Result::is_ok));
        match (geometry, figures) {
            (Some(true), Some(true)) => Loading::Ready,
            (Some(false), _) | (_, Some(false)) => Loading::Failed,
            _ => Loading::Pending,
        }
    };
    let status = move || {
        match loading() {
        Loading::Ready => None,
        Loading::Failed => Some(view! {
            <p class="map-status" role="alert" data-testid="map-error">
                {t.map_failed} " "
                <button type="button" class="chip" on:click=move |_| { geometry.refetch(); figures.refetch(); }>{t.retry}</button>
            </p>
        }.into_any()),
        _ => Some(view! { <p class="map-status" data-testid="map-loading">{t.map_loading}</p> }.into_any()),
    }
    };
    let has_points = move || {
        geometry.with(|g| {
            let any_point = |topo: &pantau_core::map::Topology| {
                topo.objects
                    .values()
                    .any(|c| c.geometries.iter().any(|g| g.kind == GeometryKind::Point))
            };
            matches!(g, Some(Ok(topo)) if any_point(topo))
        })
    };
    let ready = move || loading() == Loading::Ready;
    let tooltip = move || {
        tip.get().map(|tip| {
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
    };

    view! {
        <div class="map" data-testid="area-map">
            {layer_buttons}
            <div class="map-frame" style=move || format!("aspect-ratio: {} / 100", aspect.get())>
                <canvas
                    node_ref=canvas_ref
                    class="map-canvas"
                    data-testid="map-canvas"
                    data-ready=move || ready().to_string()
                    tabindex="0"
                    role="img"
                    aria-label=t.map_label
                    on:pointerdown=on_pointer_down
                    on:pointermove=on_pointer_move
                    on:pointerup=on_pointer_up
                    on:pointercancel=on_pointer_cancel
                    on:pointerleave=on_leave
                    on:wheel=on_wheel
                    on:keydown=on_key
                ></canvas>
                {tooltip}
                {status}
                <div class="map-zoom">
                    <button type="button" aria-label=t.zoom_in title=t.zoom_in data-testid="map-zoom-in" on:click={let z = zoom_button.clone(); move |_| z(1.5)}>"+"</button>
                    <button type="button" aria-label=t.zoom_out title=t.zoom_out data-testid="map-zoom-out" on:click={let z = zoom_button.clone(); move |_| z(1.0 / 1.5)}>"−"</button>
                    <button type="button" aria-label=t.zoom_reset title=t.zoom_reset data-testid="map-zoom-reset" on:click=move |_| zoom_button(0.0)>"⟲"</button>
                </div>
            </div>
            <Legend has_points/>
            <p class="map-hint">{t.map_hint}</p>
        </div>
    }
}

/// Colour classes of the map, with the point marker when villages are drawn as points.
#[component]
fn Legend(has_points: impl Fn() -> bool + Send + Sync + 'static) -> impl IntoView {
    let t = texts();
    let mut lower = 0u64;
    let classes = CLASS_COLOURS
        .iter()
        .enumerate()
        .map(|(i, colour)| {
            let label = match CLASS_BOUNDS.get(i) {
                Some(upper) => format!("{lower}–{}%", *upper as u64 - 1),
                None => format!("≥ {lower}%"),
            };
            lower = CLASS_BOUNDS.get(i).map_or(lower, |u| *u as u64);
            view! {
                <li data-testid="legend-class" data-colour=*colour>
                    <span class="swatch" style=format!("background:{colour}")></span>{label}
                </li>
            }
        })
        .collect_view();
    view! {
        <figure class="map-legend" data-testid="map-legend">
            <figcaption>{t.legend_title}</figcaption>
            <ul>
                {classes}
                <li data-colour=NO_TARGET_COLOUR>
                    <span class="swatch" style=format!("background:{NO_TARGET_COLOUR}")></span>{t.legend_no_target}
                </li>
                <Show when=has_points>
                    <li data-testid="legend-points"><span class="swatch dot"></span>{t.legend_points}</li>
                </Show>
            </ul>
        </figure>
    }
}
