//! The reference region list shipped in `data/` (MIT, cahyadsn/wilayah and
//! cahyadsn/wilayah_boundaries; see data/README.md), embedded so the server needs no data
//! files at run time.

use std::collections::{HashMap, HashSet};

use anyhow::{bail, Context};
use pantau_core::RegionCode;
use serde::Deserialize;

use crate::store::{RegionList, RegionRecord};

const REGIONS_CSV: &str = include_str!("../../data/regions.csv");
const CENTROIDS_CSV: &str = include_str!("../../data/centroids.csv");
const VERSION: &str = include_str!("../../data/regions.version");

#[derive(Deserialize)]
struct RegionRow {
    code: String,
    name: String,
    parent_code: String,
}

#[derive(Deserialize)]
struct CentroidRow {
    code: String,
    lat: f64,
    lng: f64,
}

/// The region list shipped with this build.
pub fn shipped() -> anyhow::Result<RegionList> {
    parse(VERSION.trim(), REGIONS_CSV, CENTROIDS_CSV)
}

/// Reads `code,name,level,parent_code` and `code,lat,lng` CSVs, checking that every code is
/// well formed, unique, and listed after its parent.
pub fn parse(version: &str, regions_csv: &str, centroids_csv: &str) -> anyhow::Result<RegionList> {
    let mut points = HashMap::new();
    for row in csv::Reader::from_reader(centroids_csv.as_bytes()).deserialize() {
        let row: CentroidRow = row.context("centroids CSV")?;
        points.insert(row.code, (row.lat, row.lng));
    }
    let mut seen = HashSet::new();
    let mut regions = Vec::new();
    for (line, row) in csv::Reader::from_reader(regions_csv.as_bytes())
        .deserialize()
        .enumerate()
    {
        let row: RegionRow = row.with_context(|| format!("regions CSV row {}", line + 2))?;
        let code = RegionCode::parse(&row.code).with_context(|| format!("regions CSV row {}: bad code", line + 2))?;
        let parent_ok = match code.parent() {
            None => row.parent_code.is_empty(),
            Some(parent) => parent.as_str() == row.parent_code && seen.contains(parent.as_str()),
        };
        if !parent_ok {
            bail!("regions CSV row {}: parent missing or listed after its child", line + 2);
        }
        if !seen.insert(code.as_str().to_owned()) {
            bail!("regions CSV row {}: duplicate code", line + 2);
        }
        let point = points.get(code.as_str()).copied();
        regions.push(RegionRecord {
            code,
            name: row.name,
            point,
        });
    }
    Ok(RegionList {
        version: version.to_owned(),
        regions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pantau_core::Level;

    #[test]
    fn shipped_list_has_every_region_of_the_decree() {
        let list = shipped().unwrap();
        let count = |level| list.regions.iter().filter(|r| r.code.level() == level).count();
        assert_eq!(list.regions.len(), 91_599);
        assert_eq!(count(Level::Province), 38);
        assert_eq!(count(Level::Regency), 514);
        assert_eq!(count(Level::District), 7_285);
        assert_eq!(count(Level::Village), 83_762);
        assert!(list.regions.iter().filter(|r| r.point.is_some()).count() > 91_000);
    }

    #[test]
    fn refuses_orphans_and_duplicates() {
        let orphan = "code,name,level,parent_code\n32.16,Kabupaten Bekasi,kabupaten_kota,32\n";
        assert!(parse("t", orphan, "code,lat,lng\n").is_err());
        let twice = "code,name,level,parent_code\n32,Jawa Barat,provinsi,\n32,Jawa Barat,provinsi,\n";
        assert!(parse("t", twice, "code,lat,lng\n").is_err());
    }
}
