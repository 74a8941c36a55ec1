//! Map boundaries and `GET /api/v1/areas/{code}/map`.
//!
//! The topology checks compare every shipped view (`data/geo/`, made by `cargo xtask geodata`)
//! with its source in `data/boundaries/`, at every layer and detail level: simplification must
//! keep every area (a), keep its polygons valid (b), keep neighbours sharing their border with
//! no gap wider than GAP_TOLERANCE and no overlap (c), and keep the areas about their size (d).
//! Each layer prints its figures (`cargo test -p pantau-server --test api maps -- --nocapture`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::sync::OnceLock;
use std::time::Instant;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::validation::{InvalidPolygon, RingRole, Validation};
use geo::{
    unary_union, Area, BooleanOps, BoundingRect, Coord, InteriorPoint, Intersects, Line, LineString, MultiPolygon,
    Polygon, Rect, Relate,
};
use http_body_util::BodyExt;
use pantau_core::api::AreaView;
use pantau_core::map::{GeometryKind, MapFeature, Nested, Topology};
use pantau_core::{ErrorCode, Level, RegionCode};
use pantau_server::maps::{self, MapLibrary};
use serde::Deserialize;
use tower::ServiceExt;

use crate::helpers::TestApp;

/// Source polygons closer than this (degrees, about 50 m) are neighbours: the source's
/// neighbours were digitised independently and often leave gaps of a few tens of metres.
const NEIGHBOUR_TOLERANCE: f64 = 0.0005;
/// Largest gap allowed between the shipped polygons of two neighbours, and widest empty hole
/// allowed among shipped areas where the source has areas (degrees, about 50 m), or the
/// layer's simplification interval where that is larger (see `Check::gap_tolerance`).
const GAP_TOLERANCE: f64 = 0.0005;
/// Neighbours share at least this much border (degrees, about 110 m) in the source: areas
/// meeting at a point, often on the coast, part when the coast is simplified.
const MIN_BORDER: f64 = 0.001;
/// Largest overlap of two shipped neighbours, as a share of the smaller one's area.
const OVERLAP_SHARE: f64 = 0.01;
/// Overlaps bigger than this share of an area are cut out of it to find its neighbours.
const MAJOR_OVERLAP: f64 = 0.01;
/// A view's total area may change by this share at most (views of at least a big area).
const VIEW_AREA_SHARE: f64 = 0.02;
/// An area may change by this share at most when it is big enough for its detail level…
const AREA_SHARE: f64 = 0.10;
/// …that is, at least this many squared simplification intervals. Simplifying moves an
/// outline by up to about one interval, so a compact area A (perimeter about 4√A) changes by
/// up to about 4 × interval / √A of itself: 10 % once √A is 40 intervals. Smaller polygons
/// (and islets, which simplification drops) are checked by their neighbours and their view.
const BIG_AREA_INTERVALS: f64 = 1600.0;
/// Metres per degree (of latitude; of longitude at the equator, near enough for Indonesia).
const METRES_PER_DEGREE: f64 = 111_320.0;

/// One shipped layer at one detail level, and what it was made from.
struct Layer {
    name: &'static str,
    detail: u8,
    source: &'static str,
    /// Length of the parent code naming an area's view; `None` when the view is the nation.
    view_prefix: Option<usize>,
    /// Simplification interval in metres: keep in step with `LAYERS` in xtask/src/geodata.rs.
    interval: f64,
}

const LAYERS: [Layer; 8] = [
    Layer {
        name: "provinces",
        detail: 0,
        source: "geo_provinsi.geojson",
        view_prefix: None,
        interval: 3000.0,
    },
    Layer {
        name: "provinces",
        detail: 1,
        source: "geo_provinsi.geojson",
        view_prefix: None,
        interval: 500.0,
    },
    Layer {
        name: "regencies-national",
        detail: 0,
        source: "geo_kabupaten_kota.geojson",
        view_prefix: None,
        interval: 3000.0,
    },
    Layer {
        name: "districts-national",
        detail: 0,
        source: "geo_kecamatan.geojson",
        view_prefix: None,
        interval: 4000.0,
    },
    Layer {
        name: "regencies",
        detail: 0,
        source: "geo_kabupaten_kota.geojson",
        view_prefix: Some(2),
        interval: 250.0,
    },
    Layer {
        name: "regencies",
        detail: 1,
        source: "geo_kabupaten_kota.geojson",
        view_prefix: Some(2),
        interval: 60.0,
    },
    Layer {
        name: "districts",
        detail: 0,
        source: "geo_kecamatan.geojson",
        view_prefix: Some(5),
        interval: 100.0,
    },
    Layer {
        name: "villages",
        detail: 0,
        source: "geo_desa_kelurahan_4kab.geojson",
        view_prefix: Some(8),
        interval: 20.0,
    },
];

// ---------------------------------------------------------------------------------------------
// Sources and shipped views as geo shapes
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct SourceCollection {
    features: Vec<SourceFeature>,
}

#[derive(Deserialize)]
struct SourceFeature {
    properties: SourceProperties,
    geometry: SourceGeometry,
}

#[derive(Deserialize)]
struct SourceProperties {
    code: String,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum SourceGeometry {
    Polygon { coordinates: Vec<Vec<[f64; 2]>> },
    MultiPolygon { coordinates: Vec<Vec<Vec<[f64; 2]>>> },
}

/// One area's polygons.
struct Shape {
    code: String,
    polygons: MultiPolygon,
    bbox: Option<Rect>,
    area: f64,
}

impl Shape {
    fn new(code: String, polygons: MultiPolygon) -> Self {
        Self {
            bbox: polygons.bounding_rect(),
            area: polygons.unsigned_area(),
            code,
            polygons,
        }
    }
}

fn polygon(rings: Vec<Vec<[f64; 2]>>) -> Polygon {
    let mut rings = rings.into_iter().map(LineString::from);
    let exterior = rings.next().unwrap_or_else(|| LineString::new(Vec::new()));
    Polygon::new(exterior, rings.collect())
}

/// A source file and what the checks must know of its flaws. Neighbours were digitised
/// independently, so their polygons overlap or leave gaps along borders, and a few newer
/// districts were drawn over the ones they were split from. mapshaper's `-clean` gives each
/// overlap to one side and fills the gaps, so an area ends up with at least its exclusive part
/// (its polygons minus every other area's) and at most its polygons plus the gaps beside them.
struct Source {
    /// By code.
    shapes: Vec<Shape>,
    index: HashMap<String, usize>,
    /// Area of each shape's exclusive part (at least: overlaps of three count twice).
    exclusive: Vec<f64>,
    /// Polygons of the exclusive parts, each with the index of its area.
    parts: Vec<(usize, Shape)>,
    /// Pairs of parts of different areas (by part index, smaller first) that come within
    /// NEIGHBOUR_TOLERANCE: whichever side gets the overlaps, they stay neighbours.
    part_contacts: HashMap<(usize, usize), Contact>,
    /// Holes in the union of all areas (gaps and lakes), by area.
    gaps: Vec<f64>,
    /// Gaps within NEIGHBOUR_TOLERANCE of each area.
    gaps_beside: Vec<Vec<usize>>,
}

/// A source file, prepared once per test binary (several layers share one).
fn source(file: &'static str) -> &'static Source {
    static SOURCES: OnceLock<HashMap<&'static str, OnceLock<Source>>> = OnceLock::new();
    let cells = SOURCES.get_or_init(|| LAYERS.iter().map(|l| (l.source, OnceLock::new())).collect());
    cells[file].get_or_init(|| {
        let path = format!("{}/../data/boundaries/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        let collection: SourceCollection = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut shapes: Vec<Shape> = collection
            .features
            .into_iter()
            .map(|feature| {
                let polygons = match feature.geometry {
                    SourceGeometry::Polygon { coordinates } => vec![polygon(coordinates)],
                    SourceGeometry::MultiPolygon { coordinates } => coordinates.into_iter().map(polygon).collect(),
                };
                Shape::new(feature.properties.code, MultiPolygon(polygons))
            })
            .collect();
        shapes.sort_by(|a, b| a.code.cmp(&b.code));
        let index = shapes.iter().enumerate().map(|(i, s)| (s.code.clone(), i)).collect();

        let boxes: Vec<Option<Rect>> = shapes.iter().map(|s| s.bbox).collect();
        // Overlapping areas, with the overlap.
        let mut overlapping: Vec<Vec<(usize, f64)>> = vec![Vec::new(); shapes.len()];
        for (i, j) in box_pairs(&boxes, 0.0) {
            let overlap = shapes[i].polygons.intersection(&shapes[j].polygons).unsigned_area();
            if overlap > 0.0 {
                overlapping[i].push((j, overlap));
                overlapping[j].push((i, overlap));
            }
        }
        let mut exclusive = Vec::new();
        let mut parts = Vec::new();
        for (i, (shape, others)) in shapes.iter().zip(&overlapping).enumerate() {
            exclusive.push((shape.area - others.iter().map(|(_, o)| o).sum::<f64>()).max(0.0));
            // Slivers along a border change nobody's neighbours: only big overlaps are cut
            // out of the parts (one difference each is the slowest step here).
            let rest = others
                .iter()
                .filter(|(_, overlap)| *overlap > MAJOR_OVERLAP * shape.area)
                .fold(shape.polygons.clone(), |rest, &(j, _)| {
                    rest.difference(&shapes[j].polygons)
                });
            parts.extend(
                rest.into_iter()
                    .map(|p| (i, Shape::new(shape.code.clone(), MultiPolygon(vec![p])))),
            );
        }

        let gaps: Vec<Shape> = unary_union(shapes.iter().map(|s| &s.polygons))
            .into_iter()
            .flat_map(|p| p.interiors().to_vec())
            .map(|ring| Shape::new(String::new(), MultiPolygon(vec![Polygon::new(ring, vec![])])))
            .collect();

        // Parts first, then gaps.
        let everything: Vec<&Shape> = parts.iter().map(|(_, s)| s).chain(&gaps).collect();
        let mut part_contacts = HashMap::new();
        let mut gaps_beside = vec![Vec::new(); shapes.len()];
        for ((p, q), contact) in shape_contacts(&everything, NEIGHBOUR_TOLERANCE) {
            match (parts.get(p), parts.get(q)) {
                (Some((a, _)), Some((b, _))) if a != b => {
                    part_contacts.insert((p, q), contact);
                }
                (Some((a, _)), None) => gaps_beside[*a].push(q - parts.len()),
                _ => {}
            }
        }
        Source {
            shapes,
            index,
            exclusive,
            parts,
            part_contacts,
            gaps: gaps.iter().map(|g| g.area).collect(),
            gaps_beside,
        }
    })
}

/// Pairs of boxes (by index, smaller first) that meet or come within `margin`.
fn box_pairs(boxes: &[Option<Rect>], margin: f64) -> Vec<(usize, usize)> {
    let mut order: Vec<(usize, Rect)> = boxes.iter().enumerate().filter_map(|(i, b)| Some((i, (*b)?))).collect();
    order.sort_by(|a, b| a.1.min().x.total_cmp(&b.1.min().x));
    let mut pairs = Vec::new();
    for (k, (i, a)) in order.iter().enumerate() {
        for (j, b) in &order[k + 1..] {
            if b.min().x > a.max().x + margin {
                break;
            }
            if boxes_meet(Some(*a), Some(*b), margin) {
                pairs.push(((*i).min(*j), (*i).max(*j)));
            }
        }
    }
    pairs
}

/// The shipped areas of a layer, every view, rebuilt as polygons from `Topology::features`
/// (which flattens the rings) and the polygon structure of each geometry.
struct Shipped {
    /// View and shape of each area.
    shapes: Vec<(String, Shape)>,
    /// Areas with an exterior ring not clockwise or a hole not anticlockwise.
    misoriented: Vec<String>,
    views: usize,
}

fn shipped(library: &MapLibrary, layer: &Layer) -> Shipped {
    let mut shapes = Vec::new();
    let mut misoriented = Vec::new();
    let mut views = 0;
    for (view, prepared) in library.views_of(layer.name, layer.detail) {
        views += 1;
        let topology: Topology = serde_json::from_str(prepared.json)
            .unwrap_or_else(|e| panic!("{}-{} view {view}: not a topology ({e})", layer.name, layer.detail));
        let geometries = topology.objects.values().flat_map(|c| c.geometries.iter());
        for (feature, geometry) in topology.features().into_iter().zip(geometries) {
            let arcs = geometry.arcs.as_ref().map_or(&[][..], Nested::items);
            let rings_per_polygon: Vec<usize> = match geometry.kind {
                GeometryKind::Polygon => vec![arcs.len()],
                GeometryKind::MultiPolygon => arcs.iter().map(|p| p.items().len()).collect(),
                GeometryKind::Point => Vec::new(),
            };
            let mut rings = feature.rings.into_iter();
            let polygons: Vec<Polygon> = rings_per_polygon
                .iter()
                .map(|&n| polygon(rings.by_ref().take(n).collect()))
                .collect();
            // TopoJSON from mapshaper: exterior rings clockwise, holes anticlockwise.
            let clockwise = |ring: &LineString| Polygon::new(ring.clone(), vec![]).signed_area() < 0.0;
            if polygons
                .iter()
                .any(|p| !clockwise(p.exterior()) || p.interiors().iter().any(clockwise))
            {
                misoriented.push(feature.code.clone());
            }
            shapes.push((view.to_owned(), Shape::new(feature.code, MultiPolygon(polygons))));
        }
    }
    Shipped {
        shapes,
        misoriented,
        views,
    }
}

// ---------------------------------------------------------------------------------------------
// Validity
// ---------------------------------------------------------------------------------------------

/// Kinds of invalidity of a multipolygon (so a shipped area can be compared with its source),
/// each with a detail for the message: geo's `Validation`, made fast enough for an
/// unoptimised test build. geo compares every pair of segments of a ring and relates every pair of parts,
/// which takes minutes over all layers; here geo validates only the polygons in which a
/// pair of segments whose boxes meet also meets geo's test for a self-intersection, and
/// relates only the parts whose boundaries meet or that lie one inside the other.
fn problems(shape: &MultiPolygon) -> BTreeMap<&'static str, String> {
    let mut found = BTreeMap::new();
    for polygon in shape.0.iter().filter(|p| may_be_invalid(p)) {
        let ring = |role: &RingRole| match role {
            RingRole::Exterior => polygon.exterior(),
            RingRole::Interior(i) => &polygon.interiors()[*i],
        };
        for error in polygon.validation_errors() {
            let (kind, detail) = match &error {
                InvalidPolygon::SelfIntersection(role) => self_intersection(ring(role)),
                InvalidPolygon::InteriorRingNotContainedInExteriorRing(role) => {
                    let hole = Polygon::new(ring(role).clone(), vec![]);
                    (
                        "hole outside its exterior",
                        format!("a hole of {:.0} m²", m2(hole.unsigned_area())),
                    )
                }
                InvalidPolygon::TooFewPointsInRing(_) => ("ring of fewer than 3 points", String::new()),
                InvalidPolygon::NonFiniteCoord(..) => ("non-finite coordinate", String::new()),
                InvalidPolygon::IntersectingRingsOnALine(..) => ("rings touching on a line", String::new()),
                InvalidPolygon::IntersectingRingsOnAnArea(..) => ("overlapping holes", String::new()),
            };
            found.entry(kind).or_insert(detail);
        }
    }
    let parts = &shape.0;
    let mut pairs: BTreeSet<(usize, usize)> = if parts.len() > 1 {
        let rings = parts
            .iter()
            .enumerate()
            .flat_map(|(i, p)| rings(p).map(move |r| (i, r)));
        contacts(rings, 1e-9).into_keys().collect()
    } else {
        BTreeSet::new()
    };
    let boxes: Vec<Option<Rect>> = parts.iter().map(BoundingRect::bounding_rect).collect();
    for (i, j) in box_pairs(&boxes, 0.0) {
        let inside = |a: &Polygon, b: &Polygon| b.exterior().0.first().is_some_and(|c| a.intersects(c));
        if inside(&parts[i], &parts[j]) || inside(&parts[j], &parts[i]) {
            pairs.insert((i, j));
        }
    }
    for (i, j) in pairs {
        let matrix = parts[i].relate(&parts[j]);
        if matrix.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
            let overlap = m2(parts[i].intersection(&parts[j]).unsigned_area());
            let at = at(parts[i].exterior().0[0]);
            found
                .entry("overlapping parts")
                .or_insert(format!("{overlap:.0} m² near {at}"));
        }
        if matrix.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
            found.entry("parts touching on a line").or_default();
        }
    }
    found
}

/// A position for messages.
fn at(c: Coord) -> String {
    format!("{:.4},{:.4}", c.x, c.y)
}

/// Square metres of an area in square degrees (near the equator).
fn m2(area: f64) -> f64 {
    area * METRES_PER_DEGREE * METRES_PER_DEGREE
}

fn rings(polygon: &Polygon) -> impl Iterator<Item = &LineString> {
    std::iter::once(polygon.exterior()).chain(polygon.interiors())
}

/// Whether geo's polygon validation could find a problem: anything with holes or few
/// points, or a ring with two segments that meet other than end to start (geo's test).
fn may_be_invalid(polygon: &Polygon) -> bool {
    let ring = polygon.exterior();
    !polygon.interiors().is_empty()
        || ring.0.len() < 8
        || ring.0.iter().any(|c| !c.x.is_finite() || !c.y.is_finite())
        || meeting_segments(ring).next().is_some()
}

/// Pairs of segments of a ring that intersect, other than consecutive ones at their
/// shared point: geo's `SelfIntersection`, over the pairs whose boxes meet.
fn meeting_segments(ring: &LineString) -> impl Iterator<Item = (Line, Line)> + '_ {
    let mut lines: Vec<Line> = ring.lines().collect();
    lines.sort_by(|a, b| a.start.x.min(a.end.x).total_cmp(&b.start.x.min(b.end.x)));
    (0..lines.len()).flat_map(move |k| {
        let a = lines[k];
        let (max_x, min_y, max_y) = (a.start.x.max(a.end.x), a.start.y.min(a.end.y), a.start.y.max(a.end.y));
        lines[k + 1..]
            .iter()
            .take_while(move |b| b.start.x.min(b.end.x) <= max_x)
            .filter(move |b| b.start.y.min(b.end.y) <= max_y && b.start.y.max(b.end.y) >= min_y)
            .filter(move |b| a.start != b.end && a.end != b.start && a.intersects(*b))
            .map(move |b| (a, *b))
            .collect::<Vec<_>>()
    })
}

/// What a self-intersection geo reports is, and where, for the failure message.
fn self_intersection(ring: &LineString) -> (&'static str, String) {
    let side = |o: Coord, p: Coord, q: Coord| ((p.x - o.x) * (q.y - o.y) - (p.y - o.y) * (q.x - o.x)).signum();
    if let Some((a, _)) = meeting_segments(ring).find(|(a, b)| {
        side(b.start, b.end, a.start) * side(b.start, b.end, a.end) < 0.0
            && side(a.start, a.end, b.start) * side(a.start, a.end, b.end) < 0.0
    }) {
        return ("ring crossing itself", format!("near {}", at(a.start)));
    }
    // A vertex whose neighbours coincide: the ring goes out and back along one line.
    let points = &ring.0;
    if let Some(w) = points.windows(3).find(|w| w[0] == w[2]) {
        return (
            "ring running back over itself (zero-width spike)",
            format!("at {}", at(w[1])),
        );
    }
    let (a, _) = meeting_segments(ring)
        .next()
        .unwrap_or((Line::new(points[0], points[0]), Line::new(points[0], points[0])));
    ("ring touching itself at a point", format!("near {}", at(a.start)))
}

fn boxes_meet(a: Option<Rect>, b: Option<Rect>, margin: f64) -> bool {
    let (Some(a), Some(b)) = (a, b) else { return false };
    a.min().x <= b.max().x + margin
        && b.min().x <= a.max().x + margin
        && a.min().y <= b.max().y + margin
        && b.min().y <= a.max().y + margin
}

// ---------------------------------------------------------------------------------------------
// Neighbours: which boundaries run close to which, and for how long
// ---------------------------------------------------------------------------------------------

/// How two areas' boundaries meet.
#[derive(Clone, Copy, Debug)]
struct Contact {
    /// Least distance between the two boundaries (0 when they touch or cross).
    distance: f64,
    /// Length of boundary (degrees, mean of both sides) whose segments run within the
    /// tolerance of the other's (by their middle).
    border: f64,
}

/// Every pair of owners (smaller first) whose rings come within `tolerance` of each other.
/// Segments are swept west to east, so only those whose boxes meet are compared.
fn contacts<'a>(
    rings: impl IntoIterator<Item = (usize, &'a LineString)>,
    tolerance: f64,
) -> HashMap<(usize, usize), Contact> {
    struct Segment {
        owner: usize,
        a: [f64; 2],
        b: [f64; 2],
        /// West, south, east, north.
        bbox: [f64; 4],
    }
    let mut segments = Vec::new();
    for (owner, ring) in rings {
        for line in ring.lines() {
            let (a, b) = ([line.start.x, line.start.y], [line.end.x, line.end.y]);
            segments.push(Segment {
                owner,
                a,
                b,
                bbox: [a[0].min(b[0]), a[1].min(b[1]), a[0].max(b[0]), a[1].max(b[1])],
            });
        }
    }
    segments.sort_by(|s, t| s.bbox[0].total_cmp(&t.bbox[0]));
    // (segment, other owner, distance, whether the segment's middle is near too) for every
    // segment near another owner's.
    let mut near: Vec<(usize, usize, f64, bool)> = Vec::new();
    let middle = |s: &Segment| [(s.a[0] + s.b[0]) / 2.0, (s.a[1] + s.b[1]) / 2.0];
    for (i, s) in segments.iter().enumerate() {
        let east = s.bbox[2] + tolerance;
        for (j, t) in segments.iter().enumerate().skip(i + 1) {
            if t.bbox[0] > east {
                break;
            }
            if t.owner == s.owner || t.bbox[1] > s.bbox[3] + tolerance || t.bbox[3] < s.bbox[1] - tolerance {
                continue;
            }
            let d = segment_distance(s.a, s.b, t.a, t.b);
            if d <= tolerance {
                near.push((i, t.owner, d, point_segment_distance(middle(s), t.a, t.b) <= tolerance));
                near.push((j, s.owner, d, point_segment_distance(middle(t), s.a, s.b) <= tolerance));
            }
        }
    }
    near.sort_by_key(|x| (x.0, x.1, !x.3));
    let mut found: HashMap<(usize, usize), Contact> = HashMap::new();
    for (k, &(i, other, d, along)) in near.iter().enumerate() {
        let s = &segments[i];
        let key = (s.owner.min(other), s.owner.max(other));
        let contact = found.entry(key).or_insert(Contact {
            distance: f64::INFINITY,
            border: 0.0,
        });
        contact.distance = contact.distance.min(d);
        // A segment running along the other owner's counts once, half for each side.
        let first = k == 0 || (near[k - 1].0, near[k - 1].1) != (i, other);
        if first && along {
            contact.border += (s.b[0] - s.a[0]).hypot(s.b[1] - s.a[1]) / 2.0;
        }
    }
    found
}

/// `contacts` between whole shapes.
fn shape_contacts(shapes: &[&Shape], tolerance: f64) -> HashMap<(usize, usize), Contact> {
    let rings = shapes
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.polygons.0.iter().flat_map(move |p| rings(p).map(move |r| (i, r))));
    contacts(rings, tolerance)
}

fn segment_distance(a: [f64; 2], b: [f64; 2], c: [f64; 2], d: [f64; 2]) -> f64 {
    let cross = |o: [f64; 2], p: [f64; 2], q: [f64; 2]| (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0]);
    let (d1, d2, d3, d4) = (cross(c, d, a), cross(c, d, b), cross(a, b, c), cross(a, b, d));
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0)) && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0)) {
        return 0.0;
    }
    point_segment_distance(a, c, d)
        .min(point_segment_distance(b, c, d))
        .min(point_segment_distance(c, a, b))
        .min(point_segment_distance(d, a, b))
}

fn point_segment_distance(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let q = nearest_on_segment(p, a, b);
    (p[0] - q[0]).hypot(p[1] - q[1])
}

fn nearest_on_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let length2 = dx * dx + dy * dy;
    let t = if length2 == 0.0 {
        0.0
    } else {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2).clamp(0.0, 1.0)
    };
    [a[0] + t * dx, a[1] + t * dy]
}

/// Least distance between two shapes' boundaries, and the middle of the shortest line
/// between them (for neighbours that drifted apart: is the space between them empty?).
fn closest(a: &MultiPolygon, b: &MultiPolygon) -> (f64, Coord) {
    let lines = |m: &MultiPolygon| -> Vec<[[f64; 2]; 2]> {
        m.0.iter()
            .flat_map(|p| rings(p).flat_map(|r| r.lines()))
            .map(|l| [[l.start.x, l.start.y], [l.end.x, l.end.y]])
            .collect()
    };
    let (of_a, of_b) = (lines(a), lines(b));
    let mut best = (f64::INFINITY, Coord { x: 0.0, y: 0.0 });
    for &[a0, a1] in &of_a {
        for &[b0, b1] in &of_b {
            for (p, [s, e]) in [(a0, [b0, b1]), (a1, [b0, b1]), (b0, [a0, a1]), (b1, [a0, a1])] {
                let q = nearest_on_segment(p, s, e);
                let d = (p[0] - q[0]).hypot(p[1] - q[1]);
                if d < best.0 {
                    let middle = Coord {
                        x: (p[0] + q[0]) / 2.0,
                        y: (p[1] + q[1]) / 2.0,
                    };
                    best = (d, middle);
                }
            }
        }
    }
    best
}

// ---------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------

/// Figures of one layer, printed for the notes.
struct Summary {
    polygons: usize,
    invalid: usize,
    invalid_as_source: usize,
    dropped: usize,
    largest_dropped: f64,
    pairs: usize,
    /// Neighbour pairs now apart with a third area between them.
    parted: usize,
    /// Widest empty hole among the shipped areas where the source had areas.
    widest_hole: f64,
    max_gap: f64,
    least_border_kept: f64,
    max_overlap: f64,
    area_ratio: (f64, f64),
    view_area_ratio: (f64, f64),
}

/// Shipped area over the source's, counting anything between the least and the most the
/// source allows as 1.
fn area_ratio(shipped: f64, least: f64, most: f64) -> f64 {
    if shipped < least {
        shipped / least
    } else if shipped > most {
        shipped / most
    } else {
        1.0
    }
}

/// One layer under check.
struct Check<'a> {
    name: String,
    layer: &'a Layer,
    source: &'static Source,
    /// Shipped shape of each source area, by source index.
    found: Vec<Option<&'a Shape>>,
    /// Whether each source part still has shipped polygons over it.
    survives: Vec<bool>,
    /// Simplification interval in degrees.
    interval: f64,
    failures: Vec<String>,
    summary: Summary,
}

impl<'a> Check<'a> {
    /// A shared arc makes the gap zero. Neighbours the source kept apart by a few metres
    /// (islands across a strait) have separate arcs, which simplification may move apart by
    /// up to about one interval: at the national layers' 3–4 km, one screen pixel of the
    /// whole country. So no gap may exceed GAP_TOLERANCE or one interval.
    fn gap_tolerance(&self) -> f64 {
        GAP_TOLERANCE.max(self.interval)
    }

    fn fail(&mut self, failure: String) {
        self.failures.push(format!("{}: {failure}", self.name));
    }

    fn view_of(&self, code: &str) -> String {
        // The national district layer is served in two parts, split as geodata.rs splits it.
        if self.layer.name == "districts-national" {
            return if code < "4" { "ID-1" } else { "ID-2" }.to_owned();
        }
        self.layer.view_prefix.map_or("ID", |n| &code[..n]).to_owned()
    }

    /// Areas at least this big (square degrees) keep their area within AREA_SHARE.
    fn big(&self) -> f64 {
        BIG_AREA_INTERVALS * self.interval * self.interval
    }

    fn present(&self) -> impl Iterator<Item = (usize, &'a Shape)> + '_ {
        self.found.iter().enumerate().filter_map(|(i, s)| Some((i, (*s)?)))
    }
}

/// Runs every check on one layer; returns the failures, one line each.
fn check_layer(library: &MapLibrary, layer: &Layer) -> Vec<String> {
    let started = Instant::now();
    let source = source(layer.source);
    let shipped = shipped(library, layer);
    let mut check = Check {
        name: format!("{}-{}", layer.name, layer.detail),
        layer,
        source,
        found: vec![None; source.shapes.len()],
        survives: Vec::new(),
        interval: layer.interval / METRES_PER_DEGREE,
        failures: Vec::new(),
        summary: Summary {
            polygons: 0,
            invalid: 0,
            invalid_as_source: 0,
            dropped: 0,
            largest_dropped: 0.0,
            pairs: 0,
            parted: 0,
            max_gap: 0.0,
            widest_hole: 0.0,
            least_border_kept: f64::INFINITY,
            max_overlap: 0.0,
            area_ratio: (1.0, 1.0),
            view_area_ratio: (1.0, 1.0),
        },
    };
    if !shipped.misoriented.is_empty() {
        check.fail(format!(
            "exterior not clockwise or hole not anticlockwise in {:?}",
            shipped.misoriented
        ));
    }
    nothing_disappears(&mut check, &shipped);
    polygons_are_valid(&mut check);
    areas_are_kept(&mut check);
    neighbours_still_touch(&mut check);
    no_empty_gaps(&mut check);
    neighbours_do_not_overlap(&mut check);

    let s = &check.summary;
    eprintln!(
        "{}: {} views, {} areas, {} polygons ({} invalid, {} of them as in the source), {} source \
         polygons dropped (largest {:.3} km²); {} neighbour pairs ({} parted by a third area), max gap \
         {:.6}°, widest new hole {:.6}°, least border kept {:.3}, max overlap {:.4}%; area ratio \
         {:.3}–{:.3} (areas ≥ {:.1} km²), views {:.4}–{:.4}; {:.1} s",
        check.name,
        shipped.views,
        shipped.shapes.len(),
        s.polygons,
        s.invalid,
        s.invalid_as_source,
        s.dropped,
        km2(s.largest_dropped),
        s.pairs,
        s.parted,
        s.max_gap,
        s.widest_hole,
        s.least_border_kept,
        100.0 * s.max_overlap,
        s.area_ratio.0,
        s.area_ratio.1,
        km2(check.big()),
        s.view_area_ratio.0,
        s.view_area_ratio.1,
        started.elapsed().as_secs_f64(),
    );
    check.failures
}

/// a. Each source area once, in its parent's view, with an area; no big polygon lost
/// (simplifying drops islets and exclaves smaller than that).
fn nothing_disappears<'a>(check: &mut Check<'a>, shipped: &'a Shipped) {
    for (view, shape) in &shipped.shapes {
        let Some(&i) = check.source.index.get(&shape.code) else {
            check.fail(format!("{} is not in {}", shape.code, check.layer.source));
            continue;
        };
        if check.found[i].replace(shape).is_some() {
            check.fail(format!("{} appears more than once", shape.code));
        }
        if *view != check.view_of(&shape.code) {
            check.fail(format!("{} is in view {view}", shape.code));
        }
        if shape.area <= 0.0 {
            check.fail(format!(
                "{} has no area left ({} polygons; {:.2} km² in the source)",
                shape.code,
                shape.polygons.0.len(),
                km2(check.source.shapes[i].area)
            ));
        }
    }
    let source = check.source;
    for (shape, kept) in source.shapes.iter().zip(check.found.clone()) {
        if kept.is_none() {
            check.fail(format!("{} disappeared", shape.code));
        }
    }
    check.survives = source
        .parts
        .iter()
        .map(|(i, part)| {
            check.found[*i].is_some_and(|s| {
                s.polygons.0.iter().any(|p| {
                    boxes_meet(p.bounding_rect(), part.bbox, 0.0) && part.polygons.0.iter().any(|q| p.intersects(q))
                })
            })
        })
        .collect();
    for (i, (_, part)) in source.parts.iter().enumerate() {
        if check.survives[i] {
            continue;
        }
        check.summary.dropped += 1;
        check.summary.largest_dropped = check.summary.largest_dropped.max(part.area);
        if part.area >= check.big() {
            check.fail(format!(
                "a polygon of {} ({:.2} km²) disappeared",
                part.code,
                km2(part.area)
            ));
        }
    }
}

/// b. Valid, unless the source was already invalid the same way.
fn polygons_are_valid(check: &mut Check) {
    let present: Vec<(usize, &Shape)> = check.present().collect();
    for (i, shape) in present {
        check.summary.polygons += shape.polygons.0.len();
        let problems_now = problems(&shape.polygons);
        if problems_now.is_empty() {
            continue;
        }
        check.summary.invalid += 1;
        let inherited = problems(&check.source.shapes[i].polygons);
        if problems_now.keys().all(|kind| inherited.contains_key(kind)) {
            check.summary.invalid_as_source += 1;
        } else {
            let listed: Vec<String> = problems_now.iter().map(|(k, d)| format!("{k} {d}")).collect();
            check.fail(format!(
                "{} is invalid: {} (source: {:?})",
                shape.code,
                listed.join("; "),
                inherited.keys().collect::<Vec<_>>()
            ));
        }
    }
}

/// d. The big areas each within AREA_SHARE, the big views within VIEW_AREA_SHARE, of what the
/// source allows: its exclusive part at least, its polygons and the gaps beside them at most.
fn areas_are_kept(check: &mut Check) {
    let source = check.source;
    let mut views: BTreeMap<String, ([f64; 3], BTreeSet<usize>)> = BTreeMap::new();
    let present: Vec<(usize, &Shape)> = check.present().collect();
    for (i, shape) in present {
        let (least, whole) = (source.exclusive[i], source.shapes[i].area);
        let most = whole + source.gaps_beside[i].iter().map(|&g| source.gaps[g]).sum::<f64>();
        let (totals, gaps) = views.entry(check.view_of(&shape.code)).or_default();
        totals[0] += shape.area;
        totals[1] += least;
        totals[2] += whole;
        gaps.extend(&source.gaps_beside[i]);
        if whole >= check.big() {
            let ratio = area_ratio(shape.area, least, most);
            let range = &mut check.summary.area_ratio;
            *range = (range.0.min(ratio), range.1.max(ratio));
            if (ratio - 1.0).abs() > AREA_SHARE {
                check.fail(format!(
                    "{} has {ratio:.3} of its source's area ({:.2} km²; {:.2}–{:.2} km² allowed)",
                    shape.code,
                    km2(shape.area),
                    km2(least),
                    km2(most)
                ));
            }
        }
    }
    for (view, ([now, least, whole], gaps)) in views {
        if whole < check.big() {
            continue;
        }
        let most = whole + gaps.iter().map(|&g| source.gaps[g]).sum::<f64>();
        let ratio = area_ratio(now, least, most);
        let range = &mut check.summary.view_area_ratio;
        *range = (range.0.min(ratio), range.1.max(ratio));
        if (ratio - 1.0).abs() > VIEW_AREA_SHARE {
            check.fail(format!("view {view} has {ratio:.4} of its source's area"));
        }
    }
}

/// c. Neighbours in the source (sharing MIN_BORDER through polygons still there) are still
/// within the gap tolerance, unless `-clean` gave a third area the overlaps between them.
fn neighbours_still_touch(check: &mut Check) {
    let source = check.source;
    let mut neighbours: HashMap<(usize, usize), Contact> = HashMap::new();
    for (&(p, q), contact) in &source.part_contacts {
        if !(check.survives[p] && check.survives[q]) {
            continue;
        }
        let (a, b) = (source.parts[p].0, source.parts[q].0);
        let pair = neighbours.entry((a.min(b), a.max(b))).or_insert(Contact {
            distance: f64::INFINITY,
            border: 0.0,
        });
        pair.distance = pair.distance.min(contact.distance);
        pair.border += contact.border;
    }
    let now = shipped_contacts(check);
    for (&(i, j), before) in &neighbours {
        let (Some(a), Some(b)) = (check.found[i], check.found[j]) else {
            continue;
        };
        if before.border < MIN_BORDER {
            continue;
        }
        check.summary.pairs += 1;
        if let Some(now) = now.get(&(i, j)) {
            check.summary.max_gap = check.summary.max_gap.max(now.distance);
            check.summary.least_border_kept = check.summary.least_border_kept.min(now.border / before.border);
            continue;
        }
        let (gap, middle) = closest(&a.polygons, &b.polygons);
        let at_middle = Some(Rect::new(middle, middle));
        let parted = check.present().any(|(_, c)| {
            c.code != a.code
                && c.code != b.code
                && c.polygons
                    .0
                    .iter()
                    .any(|p| boxes_meet(p.bounding_rect(), at_middle, 0.0) && p.intersects(&middle))
        });
        if parted {
            check.summary.parted += 1;
            continue;
        }
        check.summary.max_gap = check.summary.max_gap.max(gap);
        check.fail(format!(
            "neighbours {} and {} are {gap:.5}° apart near {} (source: {:.5}° apart, border {:.4}°)",
            a.code,
            b.code,
            at(middle),
            before.distance,
            before.border
        ));
    }
}

/// Pairs of shipped areas (by source index) within the gap tolerance of each other.
fn shipped_contacts(check: &Check) -> HashMap<(usize, usize), Contact> {
    let (index, shapes): (Vec<usize>, Vec<&Shape>) = check.present().unzip();
    shape_contacts(&shapes, check.gap_tolerance())
        .into_iter()
        .map(|((a, b), contact)| ((index[a], index[b]), contact))
        .collect()
}

/// c. No empty space enclosed by the shipped areas, wider than the gap tolerance, where the
/// source had areas: gaps along a border that the distance between neighbours cannot show.
fn no_empty_gaps(check: &mut Check) {
    let union = unary_union(check.present().map(|(_, s)| &s.polygons));
    for hole in union.0.iter().flat_map(|p| p.interiors()) {
        let hole = Polygon::new(hole.clone(), vec![]);
        let perimeter: f64 = hole.exterior().lines().map(|l| l.dx().hypot(l.dy())).sum();
        let width = 2.0 * hole.unsigned_area() / perimeter;
        if width <= check.gap_tolerance() {
            continue;
        }
        let Some(inside) = hole.interior_point() else { continue };
        // Covered in the source: an islet dropped from a lake leaves no gap.
        let near: Vec<&Shape> = check
            .source
            .shapes
            .iter()
            .filter(|s| boxes_meet(s.bbox, hole.bounding_rect(), 0.0))
            .collect();
        if !near.iter().any(|s| s.polygons.intersects(&inside)) {
            continue;
        }
        let covered: f64 = near
            .iter()
            .map(|s| s.polygons.intersection(&hole).unsigned_area())
            .sum();
        if covered > hole.unsigned_area() / 2.0 {
            check.summary.widest_hole = check.summary.widest_hole.max(width);
            check.fail(format!(
                "an empty gap of {:.0} m², about {:.0} m wide, near {}, {:.0}% covered by areas in the source",
                m2(hole.unsigned_area()),
                width * METRES_PER_DEGREE,
                at(inside.0),
                (100.0 * covered / hole.unsigned_area()).min(100.0)
            ));
        }
    }
}

/// c. Shipped neighbours overlap by at most OVERLAP_SHARE of the smaller.
fn neighbours_do_not_overlap(check: &mut Check) {
    let mut pairs: Vec<(usize, usize)> = shipped_contacts(check).into_keys().collect();
    pairs.sort();
    for (i, j) in pairs {
        let (Some(a), Some(b)) = (check.found[i], check.found[j]) else {
            continue;
        };
        let smaller = a.area.min(b.area);
        if smaller <= 0.0 || !boxes_meet(a.bbox, b.bbox, 0.0) {
            continue;
        }
        let overlap = a.polygons.intersection(&b.polygons).unsigned_area();
        check.summary.max_overlap = check.summary.max_overlap.max(overlap / smaller);
        if overlap > OVERLAP_SHARE * smaller {
            check.fail(format!(
                "neighbours {} and {} overlap by {:.0} m², {:.1}% of the smaller",
                a.code,
                b.code,
                m2(overlap),
                100.0 * overlap / smaller
            ));
        }
    }
}

/// Square kilometres of an area in square degrees (near the equator).
fn km2(area: f64) -> f64 {
    area * METRES_PER_DEGREE * METRES_PER_DEGREE / 1e6
}

fn assert_layers_keep_topology(names: &[&str]) {
    let library = MapLibrary::shipped();
    let layers: Vec<&Layer> = LAYERS.iter().filter(|l| names.contains(&l.name)).collect();
    assert_eq!(
        layers.iter().map(|l| l.name).collect::<BTreeSet<_>>().len(),
        names.len(),
        "known layers"
    );
    let failures: Vec<String> = layers.into_iter().flat_map(|l| check_layer(&library, l)).collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_checks_see_gaps_overlaps_and_invalid_rings() {
    let square = |x: f64, y: f64, size: f64| {
        polygon(vec![vec![
            [x, y],
            [x, y + size],
            [x + size, y + size],
            [x + size, y],
            [x, y],
        ]])
    };
    let shape = |code: &str, polygons: Vec<Polygon>| Shape::new(code.to_owned(), MultiPolygon(polygons));
    let west = shape("a", vec![square(0.0, 0.0, 0.01)]);
    let touching = shape("b", vec![square(0.01, 0.0, 0.01)]);
    let apart = shape("c", vec![square(0.0111, 0.0, 0.01)]);
    let near = shape_contacts(&[&west, &touching, &apart], GAP_TOLERANCE);
    assert_eq!(near[&(0, 1)].distance, 0.0, "shared edge");
    assert!(
        (near[&(0, 1)].border - 0.01).abs() < 1e-12,
        "border along the shared edge"
    );
    assert!(!near.contains_key(&(0, 2)), "a gap of 0.0011° is not a contact");
    assert!((closest(&west.polygons, &apart.polygons).0 - 0.0011).abs() < 1e-12);

    assert!(problems(&west.polygons).is_empty(), "a square is valid");
    let bow_tie = MultiPolygon(vec![polygon(vec![vec![
        [0.0, 0.0],
        [0.01, 0.01],
        [0.01, 0.0],
        [0.0, 0.01],
        [0.0, 0.0],
    ]])]);
    assert!(problems(&bow_tie).contains_key("ring crossing itself"));
    let spike = MultiPolygon(vec![polygon(vec![vec![
        [0.0, 0.0],
        [0.0, 0.01],
        [0.01, 0.01],
        [0.02, 0.02],
        [0.01, 0.01],
        [0.01, 0.0],
        [0.0, 0.0],
    ]])]);
    assert!(problems(&spike).contains_key("ring running back over itself (zero-width spike)"));
    let overlapping = MultiPolygon(vec![square(0.0, 0.0, 0.01), square(0.005, 0.005, 0.01)]);
    assert!(problems(&overlapping).contains_key("overlapping parts"));
    let islands = MultiPolygon(vec![square(0.0, 0.0, 0.01), square(0.02, 0.0, 0.01)]);
    assert!(problems(&islands).is_empty(), "separate islands are valid");
}

#[test]
fn simplified_provinces_keep_topology() {
    assert_layers_keep_topology(&["provinces"]);
}

#[test]
fn simplified_regencies_keep_topology() {
    assert_layers_keep_topology(&["regencies-national", "regencies"]);
}

#[test]
fn simplified_districts_keep_topology() {
    assert_layers_keep_topology(&["districts-national", "districts"]);
}

#[test]
fn simplified_villages_keep_topology() {
    assert_layers_keep_topology(&["villages"]);
}

// ---------------------------------------------------------------------------------------------
// The endpoint
// ---------------------------------------------------------------------------------------------

/// GET with headers: status, headers and body.
async fn fetch(app: &TestApp, uri: &str, headers: &[(header::HeaderName, &str)]) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let res = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (
        status,
        headers,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
    )
}

async fn topology(app: &TestApp, uri: &str) -> Topology {
    let (status, headers, body) = fetch(app, uri, &[]).await;
    assert_eq!(status, StatusCode::OK, "{uri}");
    assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{uri}");
    serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{uri}: not a topology ({e})"))
}

fn codes(features: &[MapFeature]) -> Vec<String> {
    let mut codes: Vec<String> = features.iter().map(|f| f.code.clone()).collect();
    codes.sort();
    codes
}

async fn children(app: &TestApp, code: &str) -> Vec<String> {
    let area: AreaView = app.area(code).await;
    let mut codes: Vec<String> = area.children.iter().map(|c| c.code.as_str().to_owned()).collect();
    codes.sort();
    codes
}

#[tokio::test]
async fn nation_map_shows_provinces_regencies_or_districts() {
    let app = TestApp::fresh().await;
    let cases = [
        ("/api/v1/areas/ID/map", 38, Level::Province, "provinces by default"),
        ("/api/v1/areas/ID/map?level=province", 38, Level::Province, "provinces"),
        ("/api/v1/areas/ID/map?level=regency", 514, Level::Regency, "regencies"),
        (
            "/api/v1/areas/ID/map?level=district&part=1",
            4_112,
            Level::District,
            "districts of Sumatra and Java",
        ),
        (
            "/api/v1/areas/ID/map?level=district&part=2",
            3_173,
            Level::District,
            "districts east of Java",
        ),
    ];
    // The two parts together are the whole national district layer, each district once.
    let mut whole = topology(&app, "/api/v1/areas/ID/map?level=district&part=1").await;
    whole.absorb(topology(&app, "/api/v1/areas/ID/map?level=district&part=2").await);
    let all = codes(&whole.features());
    assert_eq!(all.len(), 7_285, "every district in one of the parts");
    assert_eq!(
        topology(&app, "/api/v1/areas/ID/map?level=district").await,
        topology(&app, "/api/v1/areas/ID/map?level=district&part=1").await,
        "part 1 by default"
    );
    for (uri, count, level, what) in cases {
        let features = topology(&app, uri).await.features();
        let codes = codes(&features);
        assert_eq!(features.len(), count, "{what}: areas");
        assert!(codes.windows(2).all(|w| w[0] != w[1]), "{what}: each area once");
        assert!(
            codes
                .iter()
                .all(|c| RegionCode::parse(c).is_ok_and(|c| c.level() == level)),
            "{what}: codes of the level"
        );
        assert!(features.iter().all(|f| !f.is_point()), "{what}: all have boundaries");
    }
    let provinces = codes(&topology(&app, "/api/v1/areas/ID/map").await.features());
    assert_eq!(provinces, children(&app, "ID").await, "the nation's children");
}

#[tokio::test]
async fn region_map_shows_the_areas_children_and_a_village_its_neighbours() {
    let app = TestApp::fresh().await;
    // code, children: Jawa Barat's regencies, Kab. Bekasi's districts, Tarumajaya's villages.
    for (code, count) in [("32", 27), ("32.16", 23), ("32.16.01", 8)] {
        let features = topology(&app, &format!("/api/v1/areas/{code}/map")).await.features();
        assert_eq!(features.len(), count, "{code}: areas");
        assert_eq!(codes(&features), children(&app, code).await, "{code}: its children");
        assert!(features.iter().all(|f| !f.is_point()), "{code}: all have boundaries");
    }
    let district = topology(&app, "/api/v1/areas/32.16.01/map").await;
    let village = &children(&app, "32.16.01").await[0];
    let around = topology(&app, &format!("/api/v1/areas/{village}/map")).await;
    assert_eq!(around, district, "a village shows its district's villages");
}

#[tokio::test]
async fn villages_without_boundaries_are_points_at_their_location() {
    let app = TestApp::fresh().await;
    let path = format!("{}/../data/centroids.csv", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let located: HashMap<&str, [f64; 2]> = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split(',');
            let (code, lat, lng) = (fields.next()?, fields.next()?, fields.next()?);
            Some((code, [lng.parse().ok()?, lat.parse().ok()?]))
        })
        .collect();
    // Bakongan (Aceh Selatan): 7 villages, all located; Kejuruan Muda (Aceh Tamiang): 16
    // villages, Alur Mentawak without a location.
    for (district, located_children) in [("11.01.01", 7), ("11.16.06", 15)] {
        let features = topology(&app, &format!("/api/v1/areas/{district}/map"))
            .await
            .features();
        assert!(features.iter().all(MapFeature::is_point), "{district}: points only");
        let expected: BTreeMap<String, [f64; 2]> = children(&app, district)
            .await
            .into_iter()
            .filter_map(|c| Some((c.clone(), *located.get(c.as_str())?)))
            .collect();
        assert_eq!(expected.len(), located_children, "{district}: located villages");
        let got: BTreeMap<String, [f64; 2]> = features.into_iter().map(|f| (f.code, f.label)).collect();
        assert_eq!(got, expected, "{district}: each located village at its location");
    }
    let district = topology(&app, "/api/v1/areas/11.01.01/map").await;
    let village = topology(&app, "/api/v1/areas/11.01.01.2001/map").await;
    assert_eq!(village, district, "a village shows its district's villages");
}

#[tokio::test]
async fn bad_map_requests_get_the_error_envelope() {
    let app = TestApp::fresh().await;
    let cases = [
        (
            "/api/v1/areas/ID/map?level=village",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidMapLevel,
            "level",
            "no national village map",
        ),
        (
            "/api/v1/areas/32/map?level=district",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidMapLevel,
            "level",
            "a province shows its regencies only",
        ),
        (
            "/api/v1/areas/ID/map?level=kota",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidMapLevel,
            "level",
            "unknown level",
        ),
        (
            "/api/v1/areas/ID/map?level=district&part=3",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidMapPart,
            "part",
            "the national district layer has two parts",
        ),
        (
            "/api/v1/areas/32/map?part=1",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidMapPart,
            "part",
            "only the national district layer has parts",
        ),
        (
            "/api/v1/areas/ID/map?detail=7",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidMapDetail,
            "detail",
            "detail is 0 or 1",
        ),
        (
            "/api/v1/areas/99/map",
            StatusCode::NOT_FOUND,
            ErrorCode::AreaNotFound,
            "code",
            "no province 99",
        ),
        (
            "/api/v1/areas/3x/map",
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidRegionCode,
            "code",
            "malformed code",
        ),
    ];
    for (uri, status, error, field, why) in cases {
        let (got, body) = app.get_json(uri).await;
        assert_eq!(got, status, "{why}");
        assert_eq!(body["error"]["code"], serde_json::to_value(error).unwrap(), "{why}");
        assert_eq!(body["error"]["field"], field, "{why}");
        assert!(
            body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{why}: a message"
        );
    }
}

#[tokio::test]
async fn maps_are_cached_by_version() {
    let app = TestApp::fresh().await;
    let uri = "/api/v1/areas/32/map";
    let (status, headers, _) = fetch(&app, uri, &[]).await;
    assert_eq!(status, StatusCode::OK);
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.contains(maps::version()), "ETag {etag} names the map data version");
    let cache = headers[header::CACHE_CONTROL].to_str().unwrap();
    assert!(!cache.contains("immutable"), "without ?v=: {cache}");
    assert!(headers[header::VARY].to_str().unwrap().contains("accept-encoding"));

    for (tag, fresh) in [
        (etag.clone(), true),
        (format!("\"other\", W/{etag}"), true),
        ("\"g0000000000000000\"".to_owned(), false),
    ] {
        let (status, headers, body) = fetch(&app, uri, &[(header::IF_NONE_MATCH, &tag)]).await;
        if fresh {
            assert_eq!(status, StatusCode::NOT_MODIFIED, "If-None-Match: {tag}");
            assert!(body.is_empty(), "no body with 304");
            assert_eq!(headers[header::ETAG], etag.as_str(), "304 repeats the ETag");
        } else {
            assert_eq!(status, StatusCode::OK, "If-None-Match: {tag}");
        }
    }

    for (v, immutable) in [(maps::version(), true), ("0000000000000000", false)] {
        let (status, headers, _) = fetch(&app, &format!("{uri}?v={v}"), &[]).await;
        assert_eq!(status, StatusCode::OK);
        let cache = headers[header::CACHE_CONTROL].to_str().unwrap();
        assert_eq!(cache.contains("immutable"), immutable, "?v={v}: {cache}");
        assert_eq!(cache.contains("max-age=31536000"), immutable, "?v={v}: {cache}");
    }
}

#[tokio::test]
async fn maps_go_out_brotli_compressed_when_accepted() {
    let app = TestApp::fresh().await;
    let uri = "/api/v1/areas/32.16/map";
    let (_, plain_headers, plain) = fetch(&app, uri, &[]).await;
    assert!(
        plain_headers.get(header::CONTENT_ENCODING).is_none(),
        "identity unless asked"
    );
    let (status, headers, body) = fetch(&app, uri, &[(header::ACCEPT_ENCODING, "gzip, deflate, br")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    let mut json = Vec::new();
    brotli::Decompressor::new(body.as_slice(), 4096)
        .read_to_end(&mut json)
        .unwrap();
    assert!(body.len() < json.len(), "compressed");
    let decompressed: Topology = serde_json::from_slice(&json).unwrap();
    let identity: Topology = serde_json::from_slice(&plain).unwrap();
    assert_eq!(decompressed, identity);
}

#[tokio::test]
async fn finer_detail_has_more_points_for_the_same_areas() {
    let app = TestApp::fresh().await;
    let points = |t: &Topology| t.arcs.iter().map(Vec::len).sum::<usize>();
    let coarse = topology(&app, "/api/v1/areas/ID/map").await;
    let fine = topology(&app, "/api/v1/areas/ID/map?detail=1").await;
    assert!(
        points(&fine) > points(&coarse),
        "{} points at detail 1, {} at 0",
        points(&fine),
        points(&coarse)
    );
    assert_eq!(codes(&fine.features()), codes(&coarse.features()));
    assert_eq!(fine.features().len(), 38);
    // Districts have one detail level: detail 1 falls back to it.
    let bekasi = topology(&app, "/api/v1/areas/32.16/map").await;
    assert_eq!(topology(&app, "/api/v1/areas/32.16/map?detail=1").await, bekasi);
}
