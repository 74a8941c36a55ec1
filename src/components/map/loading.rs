//! What the map loads: the layer shown (which level of areas, how detailed), its geometry and
//! its figures, the scene built from both, and the loading or error line while they are not in.

use leptos::prelude::*;
use pantau_core::api::AreaChild;
use pantau_core::map::{progress_class, GeometryKind, Topology};
use pantau_core::{AreaCode, Level};

use super::paint::MapCanvas;
use super::tooltip::{find, Tips};
use crate::api;
use crate::components::map_canvas::Scene;
use crate::error::AppError;
use crate::i18n::texts;

/// Zoom factor from which the finer outlines are fetched, where the layer has them.
const FINER_FROM_ZOOM: f64 = 4.0;

/// What the map shows for an area: which level of areas, with whose figures.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Layer {
    pub shown: Level,
    detail: u8,
}

impl Layer {
    /// `shown` at the coarse detail.
    pub fn coarse(shown: Level) -> Self {
        Self { shown, detail: 0 }
    }
}

/// Where the map's two fetches (geometry and figures) stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Loading {
    Pending,
    Ready,
    Failed,
}

/// The layer and the two fetches it drives.
#[derive(Clone, Copy)]
pub(super) struct MapData {
    pub layer: RwSignal<Layer>,
    is_nation: bool,
    geometry: LocalResource<Result<Topology, AppError>>,
    figures: LocalResource<Result<Vec<AreaChild>, AppError>>,
}

impl MapData {
    /// Fetches the map of `code`'s children; their figures are `children` (for a village,
    /// empty: its siblings are fetched; for the nation's finer layers, its descendants).
    pub fn new(code: &AreaCode, level: Level, children: Vec<AreaChild>) -> Self {
        let layer = RwSignal::new(Layer::coarse(level.child().unwrap_or(Level::Village)));
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
        Self {
            layer,
            is_nation: level == Level::Nation,
            geometry,
            figures,
        }
    }

    /// Builds the scene on `canvas` once geometry and figures are both in, keeping the
    /// reader's zoom; `selected` is outlined. Sets the frame's `aspect` in hundredths.
    pub fn build_scene(self, canvas: MapCanvas, tips: Tips, selected: Option<String>, aspect: RwSignal<u32>) {
        Effect::new(move |_| {
            // Read in place: the topology can be megabytes, and only its features are kept.
            let features = self.geometry.with(|g| match g {
                Some(Ok(topology)) => Some(topology.features()),
                _ => None,
            });
            let (Some(features), Some(Ok(mut map))) = (features, self.figures.get()) else {
                return;
            };
            map.sort_by(|a, b| a.code.cmp(&b.code));
            let class_of = |code: &str| {
                find(&map, code)
                    .filter(|c| c.figures.target > 0)
                    .map(|c| progress_class(c.figures.progress_pct))
            };
            let mut scene = Scene::new(&features, class_of, selected.as_deref());
            if let Some(old) = canvas.state.borrow().scene.as_ref() {
                scene.zoom = old.zoom;
                scene.pan = old.pan;
            }
            tips.set_figures(map);
            aspect.set((scene.aspect().clamp(0.75, 2.2) * 100.0) as u32);
            canvas.state.borrow_mut().scene = Some(scene);
            canvas.repaint();
        });
    }

    /// Finer outlines once zoomed in to `zoom`, where the layer has them (provinces and
    /// regencies).
    pub fn zoomed_to(self, zoom: f64) {
        let has_finer = matches!(
            (self.is_nation, self.layer.with_untracked(|l| l.shown)),
            (true, Level::Province) | (false, Level::Regency)
        );
        if has_finer && zoom >= FINER_FROM_ZOOM && self.layer.with_untracked(|l| l.detail) == 0 {
            self.layer.update(|l| l.detail = 1);
        }
    }

    /// Both fetches' state, read without cloning what they hold.
    fn loading(self) -> Loading {
        let geometry = self.geometry.with(|g| g.as_ref().map(Result::is_ok));
        let figures = self.figures.with(|f| f.as_ref().map(Result::is_ok));
        match (geometry, figures) {
            (Some(true), Some(true)) => Loading::Ready,
            (Some(false), _) | (_, Some(false)) => Loading::Failed,
            _ => Loading::Pending,
        }
    }

    pub fn ready(self) -> bool {
        self.loading() == Loading::Ready
    }

    /// Whether some areas are drawn as points (villages without a boundary).
    pub fn has_points(self) -> bool {
        self.geometry.with(|g| {
            let any_point = |topo: &Topology| {
                topo.objects
                    .values()
                    .any(|c| c.geometries.iter().any(|g| g.kind == GeometryKind::Point))
            };
            matches!(g, Some(Ok(topo)) if any_point(topo))
        })
    }

    /// "Loading", or the error with a retry, until the map is drawn.
    pub fn status(self) -> impl IntoView {
        let t = texts();
        move || {
            match self.loading() {
            Loading::Ready => None,
            Loading::Failed => Some(
                view! {
                    <p class="map-status" role="alert" data-testid="map-error">
                        {t.map_failed} " "
                        <button type="button" class="chip" on:click=move |_| { self.geometry.refetch(); self.figures.refetch(); }>{t.retry}</button>
                    </p>
                }
                .into_any(),
            ),
            Loading::Pending => Some(view! { <p class="map-status" data-testid="map-loading">{t.map_loading}</p> }.into_any()),
        }
        }
    }
}
