//! Map boundaries shipped in `data/geo/` (prepared by `cargo xtask geodata`), embedded in the
//! binary like the region list: one TopoJSON view per area whose children have boundaries.

use std::collections::HashMap;
use std::sync::OnceLock;

use pantau_core::{AreaCode, Level, RegionCode};

/// The version every map URL carries (`?v=`), so a view can be cached for a year.
const VERSION: &str = include_str!("../../data/geo/version");

/// Every boundary file: layer, detail level (0 coarsest), `view<TAB>topojson` lines.
const FILES: [(&str, u8, &str); 8] = [
    ("provinces", 0, include_str!("../../data/geo/provinces-0.tsv")),
    ("provinces", 1, include_str!("../../data/geo/provinces-1.tsv")),
    (
        "regencies-national",
        0,
        include_str!("../../data/geo/regencies-national-0.tsv"),
    ),
    (
        "districts-national",
        0,
        include_str!("../../data/geo/districts-national-0.tsv"),
    ),
    ("regencies", 0, include_str!("../../data/geo/regencies-0.tsv")),
    ("regencies", 1, include_str!("../../data/geo/regencies-1.tsv")),
    ("districts", 0, include_str!("../../data/geo/districts-0.tsv")),
    ("villages", 0, include_str!("../../data/geo/villages-0.tsv")),
];

/// The shipped map data version.
pub fn version() -> &'static str {
    VERSION.trim()
}

/// One prepared view: the TopoJSON text, and its brotli form made on first request (the
/// biggest view takes a second or two at the highest quality; a CDN keeps it after that).
pub struct PreparedView {
    /// TopoJSON.
    pub json: &'static str,
    brotli: OnceLock<axum::body::Bytes>,
}

impl PreparedView {
    /// The TopoJSON compressed with brotli at its highest quality.
    pub fn brotli(&self) -> &axum::body::Bytes {
        self.brotli
            .get_or_init(|| crate::http::answers::brotli(self.json.as_bytes(), 11))
    }
}

/// Where the children of an area are drawn from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewKey {
    /// Boundary layer.
    pub layer: &'static str,
    /// The area whose children the view shows: `ID` or a region code.
    pub view: String,
}

/// Why a map cannot be drawn as asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnsupportedLevel;

/// Parts the national district layer is served in: whole, it would weigh more than a view
/// may (300 KB brotli).
pub const NATIONAL_DISTRICT_PARTS: u8 = 2;

/// The view showing `shown` areas for `area`: the nation can show provinces, regencies or
/// districts (the districts in `part` 1 or 2); any other area shows its children; a village
/// shows its district's villages. Only the national district layer has parts.
pub fn view_for(area: &AreaCode, shown: Option<Level>, part: Option<u8>) -> Result<ViewKey, UnsupportedLevel> {
    let (parent, default) = match area {
        AreaCode::Nation => ("ID".to_owned(), Level::Province),
        AreaCode::Region(code) => match code.level() {
            Level::Village => (
                code.parent().map(|p| p.as_str().to_owned()).unwrap_or_default(),
                Level::Village,
            ),
            level => (code.as_str().to_owned(), level.child().unwrap_or(Level::Village)),
        },
    };
    let shown = shown.unwrap_or(default);
    let layer = match (area, shown) {
        (AreaCode::Nation, Level::Province) => "provinces",
        (AreaCode::Nation, Level::Regency) => "regencies-national",
        (AreaCode::Nation, Level::District) => "districts-national",
        (AreaCode::Region(_), level) if level == default => match level {
            Level::Regency => "regencies",
            Level::District => "districts",
            _ => "villages",
        },
        _ => return Err(UnsupportedLevel),
    };
    let view = match (layer, part) {
        ("districts-national", part) => {
            let part = part.unwrap_or(1);
            if !(1..=NATIONAL_DISTRICT_PARTS).contains(&part) {
                return Err(UnsupportedLevel);
            }
            format!("ID-{part}")
        }
        (_, None) => parent,
        (_, Some(_)) => return Err(UnsupportedLevel),
    };
    Ok(ViewKey { layer, view })
}

/// Every prepared view, by layer, detail and view code.
pub struct MapLibrary {
    views: HashMap<(&'static str, u8), HashMap<&'static str, PreparedView>>,
}

impl MapLibrary {
    /// Indexes the embedded files (no parsing: lines are split at the tab).
    pub fn shipped() -> Self {
        let mut views = HashMap::new();
        for (layer, detail, text) in FILES {
            for line in text.lines() {
                if let Some((view, json)) = line.split_once('\t') {
                    let prepared = PreparedView {
                        json,
                        brotli: OnceLock::new(),
                    };
                    views
                        .entry((layer, detail))
                        .or_insert_with(HashMap::new)
                        .insert(view, prepared);
                }
            }
        }
        Self { views }
    }

    /// The view at the finest detail not above `detail`, if the layer has it.
    pub fn get(&self, key: &ViewKey, detail: u8) -> Option<&PreparedView> {
        (0..=detail)
            .rev()
            .find_map(|d| self.views.get(&(key.layer, d))?.get(key.view.as_str()))
    }

    /// Views of a layer at a detail level, for checks and benchmarks.
    pub fn views_of<'a>(
        &'a self,
        layer: &'a str,
        detail: u8,
    ) -> impl Iterator<Item = (&'static str, &'a PreparedView)> + 'a {
        self.views
            .iter()
            .filter(move |((l, d), _)| *l == layer && *d == detail)
            .flat_map(|(_, views)| views.iter().map(|(view, prepared)| (*view, prepared)))
    }
}

/// FNV-1a over `data/geo/*.tsv` (by name) and `data/centroids.csv`, as `cargo xtask geodata`
/// computes the version; tests compare the two.
pub fn recomputed_version(centroids_csv: &str) -> String {
    let mut files: Vec<(String, &str)> = FILES
        .iter()
        .map(|(layer, detail, text)| (format!("{layer}-{detail}.tsv"), *text))
        .collect();
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for text in files.iter().map(|(_, t)| *t).chain([centroids_csv]) {
        for byte in text.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Region code of a view key's parent, when it is a region.
pub fn view_region(key: &ViewKey) -> Option<RegionCode> {
    RegionCode::parse(&key.view).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(code: &str) -> AreaCode {
        AreaCode::parse(code).unwrap()
    }

    #[test]
    fn each_level_shows_its_children_and_a_village_its_neighbours() {
        let key = |code: &str, shown| view_for(&area(code), shown, None).unwrap();
        assert_eq!(key("ID", None).layer, "provinces");
        assert_eq!(key("ID", Some(Level::District)).layer, "districts-national");
        assert_eq!(
            key("32", None),
            ViewKey {
                layer: "regencies",
                view: "32".into()
            }
        );
        assert_eq!(key("32.16", None).layer, "districts");
        assert_eq!(key("32.16.01", None).layer, "villages");
        assert_eq!(
            key("32.16.01.2001", None),
            ViewKey {
                layer: "villages",
                view: "32.16.01".into()
            }
        );
        assert_eq!(
            view_for(&area("32"), Some(Level::District), None),
            Err(UnsupportedLevel)
        );
        assert_eq!(view_for(&area("ID"), Some(Level::Village), None), Err(UnsupportedLevel));
        let part = |n| view_for(&area("ID"), Some(Level::District), Some(n)).map(|k| k.view);
        assert_eq!(part(2), Ok("ID-2".to_owned()));
        assert_eq!(part(3), Err(UnsupportedLevel));
        assert_eq!(
            view_for(&area("32"), None, Some(1)),
            Err(UnsupportedLevel),
            "only the national district layer has parts"
        );
    }

    #[test]
    fn shipped_views_cover_every_province_regency_and_the_four_regencies_districts() {
        let library = MapLibrary::shipped();
        assert_eq!(library.views_of("regencies", 0).count(), 38);
        assert_eq!(library.views_of("districts", 0).count(), 514);
        assert!(library.views_of("villages", 0).count() >= 84);
        let bekasi = ViewKey {
            layer: "districts",
            view: "32.16".into(),
        };
        assert!(
            library.get(&bekasi, 1).is_some(),
            "detail falls back to the finest available"
        );
    }

    #[test]
    fn version_file_matches_the_shipped_files() {
        let centroids = include_str!("../../data/centroids.csv");
        assert_eq!(
            version(),
            recomputed_version(centroids),
            "data/geo/version is stale: run `cargo xtask geodata`"
        );
    }
}
