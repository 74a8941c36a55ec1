//! Neighbours: which boundaries run close to which, and for how long.

use std::collections::HashMap;

use geo::{Coord, LineString, MultiPolygon};

use super::shapes::Shape;
use super::validity::rings;

/// How two areas' boundaries meet.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Contact {
    /// Least distance between the two boundaries (0 when they touch or cross).
    pub(crate) distance: f64,
    /// Length of boundary (degrees, mean of both sides) whose segments run within the
    /// tolerance of the other's (by their middle).
    pub(crate) border: f64,
}

/// Every pair of owners (smaller first) whose rings come within `tolerance` of each other.
/// Segments are swept west to east, so only those whose boxes meet are compared.
pub(super) fn contacts<'a>(
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
pub(crate) fn shape_contacts(shapes: &[&Shape], tolerance: f64) -> HashMap<(usize, usize), Contact> {
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
pub(crate) fn closest(a: &MultiPolygon, b: &MultiPolygon) -> (f64, Coord) {
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
