//! Sources and shipped views as geo shapes.

use std::collections::HashMap;
use std::sync::OnceLock;

use geo::{unary_union, Area, BooleanOps, BoundingRect, LineString, MultiPolygon, Polygon, Rect};
use pantau_core::map::{GeometryKind, Nested, Topology};
use pantau_server::maps::MapLibrary;
use serde::Deserialize;

use super::neighbours::{shape_contacts, Contact};
use super::validity::boxes_meet;
use super::{Layer, LAYERS, MAJOR_OVERLAP, NEIGHBOUR_TOLERANCE};

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
pub(crate) struct Shape {
    pub(super) code: String,
    pub(crate) polygons: MultiPolygon,
    pub(super) bbox: Option<Rect>,
    pub(super) area: f64,
}

impl Shape {
    pub(crate) fn new(code: String, polygons: MultiPolygon) -> Self {
        Self {
            bbox: polygons.bounding_rect(),
            area: polygons.unsigned_area(),
            code,
            polygons,
        }
    }
}

pub(crate) fn polygon(rings: Vec<Vec<[f64; 2]>>) -> Polygon {
    let mut rings = rings.into_iter().map(LineString::from);
    let exterior = rings.next().unwrap_or_else(|| LineString::new(Vec::new()));
    Polygon::new(exterior, rings.collect())
}

/// A source file and what the checks must know of its flaws. Neighbours were digitised
/// independently, so their polygons overlap or leave gaps along borders, and a few newer
/// districts were drawn over the ones they were split from. mapshaper's `-clean` gives each
/// overlap to one side and fills the gaps, so an area ends up with at least its exclusive part
/// (its polygons minus every other area's) and at most its polygons plus the gaps beside them.
pub(super) struct Source {
    /// By code.
    pub(super) shapes: Vec<Shape>,
    pub(super) index: HashMap<String, usize>,
    /// Area of each shape's exclusive part (at least: overlaps of three count twice).
    pub(super) exclusive: Vec<f64>,
    /// Polygons of the exclusive parts, each with the index of its area.
    pub(super) parts: Vec<(usize, Shape)>,
    /// Pairs of parts of different areas (by part index, smaller first) that come within
    /// NEIGHBOUR_TOLERANCE: whichever side gets the overlaps, they stay neighbours.
    pub(super) part_contacts: HashMap<(usize, usize), Contact>,
    /// Holes in the union of all areas (gaps and lakes), by area.
    pub(super) gaps: Vec<f64>,
    /// Gaps within NEIGHBOUR_TOLERANCE of each area.
    pub(super) gaps_beside: Vec<Vec<usize>>,
}

/// A source file, prepared once per test binary (several layers share one).
pub(super) fn source(file: &'static str) -> &'static Source {
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
pub(super) fn box_pairs(boxes: &[Option<Rect>], margin: f64) -> Vec<(usize, usize)> {
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
pub(super) struct Shipped {
    /// View and shape of each area.
    pub(super) shapes: Vec<(String, Shape)>,
    /// Areas with an exterior ring not clockwise or a hole not anticlockwise.
    pub(super) misoriented: Vec<String>,
    pub(super) views: usize,
}

pub(super) fn shipped(library: &MapLibrary, layer: &Layer) -> Shipped {
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
