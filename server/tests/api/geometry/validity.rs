//! Validity of polygons: geo's checks, made fast enough for an unoptimised test build.

use std::collections::{BTreeMap, BTreeSet};

use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::validation::{InvalidPolygon, RingRole, Validation};
use geo::{Area, BooleanOps, BoundingRect, Coord, Intersects, Line, LineString, MultiPolygon, Polygon, Rect, Relate};

use super::neighbours::contacts;
use super::shapes::box_pairs;
use super::METRES_PER_DEGREE;

/// Kinds of invalidity of a multipolygon (so a shipped area can be compared with its source),
/// each with a detail for the message: geo's `Validation`, made fast enough for an
/// unoptimised test build. geo compares every pair of segments of a ring and relates every pair of parts,
/// which takes minutes over all layers; here geo validates only the polygons in which a
/// pair of segments whose boxes meet also meets geo's test for a self-intersection, and
/// relates only the parts whose boundaries meet or that lie one inside the other.
pub(crate) fn problems(shape: &MultiPolygon) -> BTreeMap<&'static str, String> {
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
pub(super) fn at(c: Coord) -> String {
    format!("{:.4},{:.4}", c.x, c.y)
}

/// Square metres of an area in square degrees (near the equator).
pub(super) fn m2(area: f64) -> f64 {
    area * METRES_PER_DEGREE * METRES_PER_DEGREE
}

pub(super) fn rings(polygon: &Polygon) -> impl Iterator<Item = &LineString> {
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

pub(super) fn boxes_meet(a: Option<Rect>, b: Option<Rect>, margin: f64) -> bool {
    let (Some(a), Some(b)) = (a, b) else { return false };
    a.min().x <= b.max().x + margin
        && b.min().x <= a.max().x + margin
        && a.min().y <= b.max().y + margin
        && b.min().y <= a.max().y + margin
}
