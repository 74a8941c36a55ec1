//! `cargo xtask geodata`: boundary files for the maps, prepared once and committed.
//!
//! mapshaper (the field's standard tool, pinned) builds each layer's topology — every border
//! between two areas becomes one shared arc — snaps near-coincident vertices, removes the
//! source's overlaps and slivers (`-clean`), then simplifies the shared arcs, so neighbours
//! keep one common border at every detail level. Each layer is split into views (the
//! children of one area) and written as TopoJSON, one view per line of
//! `data/geo/<layer>-<detail>.tsv` (`view<TAB>topojson`), which the server embeds.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{root, run, Result};
use crate::tools::{ensure_mapshaper, path_with_tools};

/// One layer of boundaries and the views it is split into.
struct Layer {
    /// Output name, e.g. `districts` → `data/geo/districts-0.tsv`.
    name: &'static str,
    /// Source file in `data/boundaries/`.
    source: &'static str,
    /// mapshaper expression giving the view (parent area) a feature belongs to.
    view: &'static str,
    /// Simplification interval in metres per detail level, coarsest first. A view's width
    /// on screen decides the first; the second serves zoom factors of about 4 and more.
    intervals: &'static [u32],
}

const LAYERS: [Layer; 6] = [
    Layer {
        name: "provinces",
        source: "geo_provinsi.geojson",
        view: "'ID'",
        intervals: &[3000, 500],
    },
    Layer {
        name: "regencies-national",
        source: "geo_kabupaten_kota.geojson",
        view: "'ID'",
        intervals: &[3000],
    },
    Layer {
        name: "districts-national",
        source: "geo_kecamatan.geojson",
        // Served in two parts (Sumatra and Java; the islands east of them), each under the
        // 300 KB a view may weigh; the app draws them as one layer.
        view: "code < '4' ? 'ID-1' : 'ID-2'",
        intervals: &[4000],
    },
    Layer {
        name: "regencies",
        source: "geo_kabupaten_kota.geojson",
        view: "code.slice(0, 2)",
        intervals: &[250, 60],
    },
    Layer {
        name: "districts",
        source: "geo_kecamatan.geojson",
        view: "code.slice(0, 5)",
        intervals: &[100],
    },
    Layer {
        name: "villages",
        source: "geo_desa_kelurahan_4kab.geojson",
        view: "code.slice(0, 8)",
        intervals: &[20],
    },
];

/// Snap vertices closer than this (degrees, about 20 m) before building the topology, so
/// borders digitised twice become one.
const SNAP_INTERVAL: &str = "0.0002";

fn geo_dir() -> PathBuf {
    root().join("data").join("geo")
}

/// Regenerates every file in `data/geo/`.
pub fn run_all() -> Result {
    let mapshaper = ensure_mapshaper()?;
    let out = geo_dir();
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let work = out.join(".work");
    for layer in &LAYERS {
        for (detail, interval) in layer.intervals.iter().enumerate() {
            let _ = std::fs::remove_dir_all(&work);
            std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
            run(mapshaper_command(&mapshaper, layer, *interval, &work))?;
            let lines = collect_views(&work)?;
            let file = out.join(format!("{}-{detail}.tsv", layer.name));
            std::fs::write(&file, lines).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    let version = out.join("version");
    std::fs::write(&version, format!("{}\n", geo_version()?))
        .map_err(|e| format!("cannot write {}: {e}", version.display()))
}

/// Version of the map data: FNV-1a of every boundary file and of the label points (which
/// give villages without a boundary their place). Maps are served under URLs holding it,
/// cached for a year; the server's tests recompute it to catch a stale `data/geo/version`.
fn geo_version() -> Result<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(geo_dir())
        .map_err(|e| format!("cannot read {}: {e}", geo_dir().display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    files.push(root().join("data").join("centroids.csv"));
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        for byte in bytes {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    Ok(format!("{hash:016x}"))
}

fn mapshaper_command(mapshaper: &Path, layer: &Layer, interval: u32, work: &Path) -> Command {
    let source = root().join("data").join("boundaries").join(layer.source);
    let mut cmd = Command::new(mapshaper);
    cmd.env("PATH", path_with_tools())
        .arg("-i")
        .arg(source)
        .args(["snap", &format!("snap-interval={SNAP_INTERVAL}")])
        .arg("-clean")
        .args(["-simplify", &format!("interval={interval}"), "keep-shapes"])
        // Again after simplifying: removes the spikes, crossings and slivers it can leave.
        .arg("-clean")
        // A label point inside each (simplified) shape, rounded to about a metre.
        .args([
            "-each",
            &format!(
                "view={}, lx=Math.round(this.innerX*1e5)/1e5, ly=Math.round(this.innerY*1e5)/1e5",
                layer.view
            ),
        ])
        .args(["-split", "view"])
        .args(["-filter-fields", "code,lx,ly"])
        .args([
            "-o",
            "format=topojson",
            // Coordinates rounded to 1e-7° (about a centimetre), not quantised to a grid per
            // view: rounding to a coarser grid folds narrow shapes into spikes and crossings
            // (measured: 11 of 7,285 districts at 1e5, 2 at 1e-6°, none at 1e-7°).
            "no-quantization",
            "precision=0.0000001",
            "id-field=code",
            "bbox",
            "singles",
        ])
        .arg(format!("{}/", work.display()));
    cmd
}

/// `view<TAB>topojson` lines, sorted by view.
fn collect_views(work: &Path) -> Result<String> {
    let mut views = Vec::new();
    let entries = std::fs::read_dir(work).map_err(|e| format!("cannot read {}: {e}", work.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(view) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        views.push((view, text.trim().replace(['\n', '\t'], "")));
    }
    views.sort();
    Ok(views
        .into_iter()
        .map(|(view, topo)| format!("{view}\t{topo}\n"))
        .collect())
}
