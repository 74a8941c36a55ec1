//! The checks of one layer against its source, and the figures they print.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

use geo::{unary_union, Area, BooleanOps, BoundingRect, InteriorPoint, Intersects, Polygon, Rect};
use pantau_server::maps::MapLibrary;

use super::neighbours::{closest, shape_contacts, Contact};
use super::shapes::{shipped, source, Shape, Shipped, Source};
use super::validity::{at, boxes_meet, m2, problems};
use super::{
    Layer, AREA_SHARE, BIG_AREA_INTERVALS, GAP_TOLERANCE, METRES_PER_DEGREE, MIN_BORDER, OVERLAP_SHARE, VIEW_AREA_SHARE,
};

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
pub(super) fn check_layer(library: &MapLibrary, layer: &Layer) -> Vec<String> {
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
