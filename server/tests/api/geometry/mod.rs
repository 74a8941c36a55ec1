//! The checker of the shipped map geometry (used by `maps.rs`).
//!
//! The topology checks compare every shipped view (`data/geo/`, made by `cargo xtask geodata`)
//! with its source in `data/boundaries/`, at every layer and detail level: simplification must
//! keep every area (a), keep its polygons valid (b), keep neighbours sharing their border with
//! no gap wider than GAP_TOLERANCE and no overlap (c), and keep the areas about their size (d).
//! Each layer prints its figures (`cargo test -p pantau-server --test api maps -- --nocapture`).

mod checks;
mod neighbours;
mod shapes;
mod validity;

use std::collections::BTreeSet;

use pantau_server::maps::MapLibrary;

use checks::check_layer;

pub(crate) use neighbours::{closest, shape_contacts};
pub(crate) use shapes::{polygon, Shape};
pub(crate) use validity::problems;

/// Source polygons closer than this (degrees, about 50 m) are neighbours: the source's
/// neighbours were digitised independently and often leave gaps of a few tens of metres.
const NEIGHBOUR_TOLERANCE: f64 = 0.0005;
/// Largest gap allowed between the shipped polygons of two neighbours, and widest empty hole
/// allowed among shipped areas where the source has areas (degrees, about 50 m), or the
/// layer's simplification interval where that is larger (see `Check::gap_tolerance`).
pub(crate) const GAP_TOLERANCE: f64 = 0.0005;
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

pub(crate) fn assert_layers_keep_topology(names: &[&str]) {
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
