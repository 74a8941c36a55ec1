//! The choropleth on a canvas: projection, one `Path2D` per area built once, drawing with a
//! pan/zoom transform, and hit testing. No JavaScript map library: the browser's Canvas 2D
//! does the filling and the point-in-path tests.

use pantau_core::map::{MapFeature, CLASS_COLOURS, NO_TARGET_COLOUR};
use web_sys::{CanvasRenderingContext2d, CanvasWindingRule, Path2d};

/// Largest zoom factor over the fitted view.
const MAX_ZOOM: f64 = 64.0;
/// Radius of a village drawn as a point, in CSS pixels.
const POINT_RADIUS: f64 = 6.0;
/// How near a tap must be to a point to hit it, in CSS pixels.
const POINT_HIT: f64 = 12.0;
/// Room kept around the fitted view, in CSS pixels (a point's marker stays whole).
const MARGIN: f64 = 16.0;

/// One area as drawn.
pub struct Shape {
    /// Region code.
    pub code: String,
    /// Outline in projected coordinates; `None` for an area drawn as a point.
    path: Option<Path2d>,
    /// Label point, projected.
    label: (f64, f64),
    /// Colour class, `None` when the area has no target.
    pub class: Option<usize>,
}

impl Shape {
    /// Whether the area is drawn as a point (no boundary).
    pub fn is_point(&self) -> bool {
        self.path.is_none()
    }
}

/// Size of the canvas in CSS pixels and the device pixel ratio.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub width: f64,
    pub height: f64,
    pub dpr: f64,
}

/// Everything drawn, and where the reader has moved the view.
pub struct Scene {
    /// The areas, in the order drawn.
    pub shapes: Vec<Shape>,
    /// Every outline in one path, stroked once.
    borders: Path2d,
    /// Projected bounds: west, north (min y), east, south (max y).
    bounds: [f64; 4],
    /// Zoom over the fitted view, 1 = fitted.
    pub zoom: f64,
    /// Offset from the fitted centre, CSS pixels.
    pub pan: (f64, f64),
    /// Area under the pointer or tapped once.
    pub hovered: Option<usize>,
    /// The page's own area, outlined.
    pub selected: Option<usize>,
}

impl Scene {
    /// Builds the paths of `features`; `class_of` gives each area's colour class.
    pub fn new(features: &[MapFeature], class_of: impl Fn(&str) -> Option<usize>, selected: Option<&str>) -> Self {
        let mut lat_range = (f64::MAX, f64::MIN);
        for feature in features {
            let points = feature.rings.iter().flatten().chain(std::iter::once(&feature.label));
            for [_, lat] in points {
                lat_range = (lat_range.0.min(*lat), lat_range.1.max(*lat));
            }
        }
        let mid_lat = if lat_range.0 <= lat_range.1 {
            (lat_range.0 + lat_range.1) / 2.0
        } else {
            0.0
        };
        // Equirectangular with the middle latitude's scale: Indonesia straddles the equator,
        // so shapes keep their proportions without a projection library.
        // The browser's cosine: Rust's would add its trigonometry to the wasm.
        let k = js_sys::Math::cos(mid_lat.to_radians());
        let project = |[lng, lat]: [f64; 2]| (lng * k, -lat);
        let mut bounds = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        let mut grow = |(x, y): (f64, f64)| {
            bounds = [bounds[0].min(x), bounds[1].min(y), bounds[2].max(x), bounds[3].max(y)];
        };
        let borders = Path2d::new().expect("Path2D is supported by every browser the app runs in");
        let shapes = features
            .iter()
            .map(|feature| {
                let label = project(feature.label);
                grow(label);
                let path = (!feature.is_point()).then(|| {
                    let path = Path2d::new().expect("Path2D is supported");
                    for ring in &feature.rings {
                        for (i, point) in ring.iter().enumerate() {
                            let (x, y) = project(*point);
                            grow((x, y));
                            if i == 0 {
                                path.move_to(x, y);
                            } else {
                                path.line_to(x, y);
                            }
                        }
                        path.close_path();
                    }
                    borders.add_path(&path);
                    path
                });
                Shape {
                    code: feature.code.clone(),
                    path,
                    label,
                    class: class_of(&feature.code),
                }
            })
            .collect::<Vec<_>>();
        if bounds[0] > bounds[2] {
            bounds = [0.0, 0.0, 1.0, 1.0];
        }
        let selected = selected.and_then(|code| shapes.iter().position(|s| s.code == code));
        Self {
            shapes,
            borders,
            bounds,
            zoom: 1.0,
            pan: (0.0, 0.0),
            hovered: None,
            selected,
        }
    }

    /// Width over height of the fitted view.
    pub fn aspect(&self) -> f64 {
        let [x0, y0, x1, y1] = self.bounds;
        (x1 - x0).max(0.01) / (y1 - y0).max(0.01)
    }

    /// Scale (CSS px per projected unit) and translation of the current view.
    fn transform(&self, view: Viewport) -> (f64, f64, f64) {
        let [x0, y0, x1, y1] = self.bounds;
        // A single point (or a tiny area) still gets a sensible scale.
        let (w, h) = ((x1 - x0).max(0.01), (y1 - y0).max(0.01));
        let fit = ((view.width - 2.0 * MARGIN) / w)
            .min((view.height - 2.0 * MARGIN) / h)
            .max(1e-6);
        let scale = fit * self.zoom;
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let tx = view.width / 2.0 + self.pan.0 - cx * scale;
        let ty = view.height / 2.0 + self.pan.1 - cy * scale;
        (scale, tx, ty)
    }

    /// Where an area's label point is on screen, CSS pixels.
    pub fn screen_label(&self, index: usize, view: Viewport) -> (f64, f64) {
        let (s, tx, ty) = self.transform(view);
        let (x, y) = self.shapes[index].label;
        (x * s + tx, y * s + ty)
    }

    fn set_transform(&self, ctx: &CanvasRenderingContext2d, view: Viewport) -> f64 {
        let (s, tx, ty) = self.transform(view);
        let d = view.dpr;
        let _ = ctx.set_transform(d * s, 0.0, 0.0, d * s, d * tx, d * ty);
        s
    }

    /// Paints the whole view.
    pub fn draw(&self, ctx: &CanvasRenderingContext2d, view: Viewport) {
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, view.width * view.dpr, view.height * view.dpr);
        let scale = self.set_transform(ctx, view);
        // One fill style per class rather than per area: fewer state changes.
        for class in (0..CLASS_COLOURS.len()).map(Some).chain([None]) {
            ctx.set_fill_style_str(class.map_or(NO_TARGET_COLOUR, |c| CLASS_COLOURS[c]));
            for shape in self.shapes.iter().filter(|s| s.class == class) {
                if let Some(path) = &shape.path {
                    ctx.fill_with_path_2d_and_winding(path, CanvasWindingRule::Evenodd);
                }
            }
        }
        ctx.set_stroke_style_str("rgba(40, 40, 40, 0.55)");
        ctx.set_line_width(0.75 / scale);
        ctx.set_line_join("round");
        ctx.stroke_with_path(&self.borders);
        for (index, width) in [(self.selected, 3.0), (self.hovered, 2.0)] {
            if let Some(path) = index.and_then(|i| self.shapes[i].path.as_ref()) {
                ctx.set_stroke_style_str("#111");
                ctx.set_line_width(width / scale);
                ctx.stroke_with_path(path);
            }
        }
        // Points on top, at a fixed size whatever the zoom.
        let _ = ctx.set_transform(view.dpr, 0.0, 0.0, view.dpr, 0.0, 0.0);
        for (index, shape) in self.shapes.iter().enumerate().filter(|(_, s)| s.is_point()) {
            let (x, y) = self.screen_label(index, view);
            ctx.begin_path();
            let _ = ctx.arc(x, y, POINT_RADIUS, 0.0, std::f64::consts::TAU);
            ctx.set_fill_style_str(shape.class.map_or(NO_TARGET_COLOUR, |c| CLASS_COLOURS[c]));
            ctx.fill();
            let emphasised = Some(index) == self.selected || Some(index) == self.hovered;
            ctx.set_stroke_style_str("#111");
            ctx.set_line_width(if emphasised { 3.0 } else { 1.5 });
            ctx.stroke();
        }
    }

    /// The area at CSS pixel (x, y), points first (they are drawn on top).
    pub fn hit(&self, ctx: &CanvasRenderingContext2d, x: f64, y: f64, view: Viewport) -> Option<usize> {
        let near_point = self
            .shapes
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_point())
            .map(|(i, _)| {
                let (px, py) = self.screen_label(i, view);
                (i, (px - x).hypot(py - y))
            })
            .filter(|(_, d)| *d <= POINT_HIT)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((index, _)) = near_point {
            return Some(index);
        }
        self.set_transform(ctx, view);
        let (dx, dy) = (x * view.dpr, y * view.dpr);
        self.shapes.iter().rposition(|shape| {
            shape.path.as_ref().is_some_and(|path| {
                ctx.is_point_in_path_with_path_2d_and_f64_and_winding(path, dx, dy, CanvasWindingRule::Evenodd)
            })
        })
    }

    /// Zooms by `factor` keeping the point under (x, y) in place.
    pub fn zoom_at(&mut self, factor: f64, x: f64, y: f64, view: Viewport) {
        let (s, tx, ty) = self.transform(view);
        let world = ((x - tx) / s, (y - ty) / s);
        let zoom = (self.zoom * factor).clamp(1.0, MAX_ZOOM);
        let s2 = s * zoom / self.zoom;
        let [x0, y0, x1, y1] = self.bounds;
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        self.pan = (
            x - world.0 * s2 - view.width / 2.0 + cx * s2,
            y - world.1 * s2 - view.height / 2.0 + cy * s2,
        );
        self.zoom = zoom;
        if self.zoom <= 1.0 {
            self.pan = (0.0, 0.0);
        }
    }

    /// Moves the view by (dx, dy) CSS pixels.
    pub fn pan_by(&mut self, dx: f64, dy: f64) {
        self.pan = (self.pan.0 + dx, self.pan.1 + dy);
    }

    /// Back to the fitted view.
    pub fn reset(&mut self) {
        self.zoom = 1.0;
        self.pan = (0.0, 0.0);
    }
}
