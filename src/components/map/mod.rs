//! The map view of an area's children: a choropleth of progress to target with a legend,
//! pan, pinch and wheel zoom, a tooltip, and tap or click to drill down. The list beside it
//! holds the same figures and is its text alternative.

mod gestures;
mod loading;
mod paint;
mod tooltip;

use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use pantau_core::api::AreaChild;
use pantau_core::map::{CLASS_BOUNDS, CLASS_COLOURS, NO_TARGET_COLOUR};
use pantau_core::{AreaCode, Level};

use crate::i18n::{children_heading, texts};
use gestures::Controls;
use loading::{Layer, MapData};
use paint::MapCanvas;
use tooltip::Tips;

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
    let data = MapData::new(&code, level, children);
    let layer = data.layer;
    let canvas = MapCanvas::new();
    let canvas_ref = canvas.node;
    let tips = Tips::new();
    // The frame takes the view's proportions (within limits), in hundredths.
    let aspect = RwSignal::new(133u32);
    let selected = match &code {
        AreaCode::Region(r) if r.level() == Level::Village => Some(r.as_str().to_owned()),
        _ => None,
    };
    data.build_scene(canvas.clone(), tips, selected, aspect);

    let controls = Controls {
        canvas: canvas.clone(),
        tips,
        data,
    };
    let navigate = use_navigate();
    let open = move |code: &str| navigate(&format!("/wilayah/{code}"), Default::default());
    let on = |handler: fn(&Controls, ev::PointerEvent)| {
        let controls = controls.clone();
        move |e: ev::PointerEvent| handler(&controls, e)
    };
    let (on_pointer_down, on_pointer_move, on_pointer_cancel) = (
        on(Controls::pointer_down),
        on(Controls::pointer_move),
        on(Controls::pointer_cancel),
    );
    let on_pointer_up = {
        let controls = controls.clone();
        move |e: ev::PointerEvent| controls.pointer_up(e, &open)
    };
    let on_leave = {
        let controls = controls.clone();
        move |_| controls.leave()
    };
    let on_wheel = {
        let controls = controls.clone();
        move |e: ev::WheelEvent| controls.wheel(e)
    };
    let on_key = {
        let controls = controls.clone();
        move |e: ev::KeyboardEvent| controls.key(e)
    };
    let zoom = move |factor: f64| {
        let controls = controls.clone();
        move |_| controls.zoom(factor)
    };
    // Repaint when the box changes size (window resize, list/map switch, rotation).
    {
        let canvas = canvas.clone();
        let handle = window_event_listener(ev::resize, move |_| canvas.repaint());
        on_cleanup(move || handle.remove());
    }

    let layer_buttons = (level == Level::Nation).then(|| {
        let button = move |shown: Level, id: &'static str| {
            view! {
                <button
                    type="button"
                    class="chip"
                    data-testid=id
                    aria-pressed=move || (layer.with(|l| l.shown) == shown).to_string()
                    on:click=move |_| layer.set(Layer::coarse(shown))
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

    view! {
        <div class="map" data-testid="area-map">
            {layer_buttons}
            <div class="map-frame" style=move || format!("aspect-ratio: {} / 100", aspect.get())>
                <canvas
                    node_ref=canvas_ref
                    class="map-canvas"
                    data-testid="map-canvas"
                    data-ready=move || data.ready().to_string()
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
                {tips.view()}
                {data.status()}
                <div class="map-zoom">
                    <button type="button" aria-label=t.zoom_in title=t.zoom_in data-testid="map-zoom-in" on:click=zoom(1.5)>"+"</button>
                    <button type="button" aria-label=t.zoom_out title=t.zoom_out data-testid="map-zoom-out" on:click=zoom(1.0 / 1.5)>"−"</button>
                    <button type="button" aria-label=t.zoom_reset title=t.zoom_reset data-testid="map-zoom-reset" on:click=zoom(0.0)>"⟲"</button>
                </div>
            </div>
            <Legend has_points=move || data.has_points()/>
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
