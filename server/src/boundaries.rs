//! Village boundaries a regency imports as GeoJSON, checked before anything is stored:
//! every feature must name a village of that regency once, and carry a valid polygon in
//! Indonesia. Errors name the feature and say what is wrong; one error stores nothing.

use std::collections::HashSet;

use geo::{Area, InteriorPoint, MultiPolygon, Validation};
use pantau_core::map::Polygons;
use pantau_core::{Level, RegionCode};

/// Largest file accepted (the four shipped regencies' villages together are 2.3 MB).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Indonesia's extent with a margin, degrees: west, south, east, north.
const EXTENT: [f64; 4] = [94.0, -12.0, 142.0, 7.0];

/// A checked village boundary, ready to store.
#[derive(Clone, Debug, PartialEq)]
pub struct VillageBoundary {
    /// The village.
    pub code: RegionCode,
    /// Polygons → rings → [lng, lat], outer ring first.
    pub polygons: Polygons,
    /// A point inside the shape, [lng, lat].
    pub label: [f64; 2],
}

/// What is wrong with an imported file or one of its features (never repeats the content).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BoundaryError {
    /// The file is larger than [`MAX_BYTES`].
    #[error("the file is larger than 20 MB")]
    TooLarge,
    /// Not a GeoJSON FeatureCollection.
    #[error("the file is not a GeoJSON FeatureCollection")]
    NotFeatureCollection,
    /// The collection has no features.
    #[error("the file holds no features")]
    Empty,
    /// The regency code does not name a regency.
    #[error("the code does not name a regency or city")]
    NotARegency,
    /// A feature has no `code` property (nor an `id`) that is a village code.
    #[error("feature {feature}: no village code in properties.code or id")]
    MissingCode { feature: usize },
    /// A feature's village is not in the regency.
    #[error("feature {feature}: village {code} is not in this regency")]
    OutsideRegency { feature: usize, code: String },
    /// The code is well formed and in the regency but no such village exists.
    #[error("feature {feature}: there is no village {code}")]
    UnknownVillage { feature: usize, code: String },
    /// The same village twice.
    #[error("feature {feature}: village {code} appears more than once")]
    Duplicate { feature: usize, code: String },
    /// Not a Polygon or MultiPolygon.
    #[error("feature {feature} ({code}): the geometry must be a Polygon or MultiPolygon")]
    NotPolygon { feature: usize, code: String },
    /// Coordinates outside Indonesia (often latitude and longitude swapped).
    #[error("feature {feature} ({code}): coordinates lie outside Indonesia (are longitude and latitude swapped?)")]
    OutsideIndonesia { feature: usize, code: String },
    /// The polygon is not valid (self-intersection, unclosed or too-short ring, zero area).
    #[error("feature {feature} ({code}): invalid polygon: {reason}")]
    InvalidGeometry {
        feature: usize,
        code: String,
        reason: String,
    },
}

/// Reads and checks `text` as the village boundaries of `regency`; `villages` are the codes
/// of the regency's current villages. All errors are returned, not only the first.
pub fn parse(
    regency: &RegionCode,
    villages: &HashSet<String>,
    text: &str,
) -> Result<Vec<VillageBoundary>, Vec<BoundaryError>> {
    if regency.level() != Level::Regency {
        return Err(vec![BoundaryError::NotARegency]);
    }
    if text.len() > MAX_BYTES {
        return Err(vec![BoundaryError::TooLarge]);
    }
    let Ok(collection) = text.parse::<geojson::FeatureCollection>() else {
        return Err(vec![BoundaryError::NotFeatureCollection]);
    };
    if collection.features.is_empty() {
        return Err(vec![BoundaryError::Empty]);
    }
    let prefix = format!("{regency}.");
    let mut seen = HashSet::new();
    let mut errors = Vec::new();
    let mut boundaries = Vec::new();
    for (index, feature) in collection.features.iter().enumerate() {
        let feature_no = index + 1;
        let raw = feature
            .property("code")
            .and_then(|v| v.as_str().map(str::to_owned))
            .or_else(|| match &feature.id {
                Some(geojson::feature::Id::String(id)) => Some(id.clone()),
                _ => None,
            });
        let Some(code) = raw
            .and_then(|c| RegionCode::parse(&c).ok())
            .filter(|c| c.level() == Level::Village)
        else {
            errors.push(BoundaryError::MissingCode { feature: feature_no });
            continue;
        };
        let shown = code.as_str().to_owned();
        if !shown.starts_with(&prefix) {
            errors.push(BoundaryError::OutsideRegency {
                feature: feature_no,
                code: shown,
            });
            continue;
        }
        if !villages.contains(&shown) {
            errors.push(BoundaryError::UnknownVillage {
                feature: feature_no,
                code: shown,
            });
            continue;
        }
        if !seen.insert(shown.clone()) {
            errors.push(BoundaryError::Duplicate {
                feature: feature_no,
                code: shown,
            });
            continue;
        }
        match shape(feature, feature_no, &shown) {
            Ok((polygons, label)) => boundaries.push(VillageBoundary { code, polygons, label }),
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(boundaries)
    } else {
        Err(errors)
    }
}

/// Checks `text` as `regency`'s village boundaries and stores them all with their audit entry
/// by `actor`, or nothing. Returns how many villages got a boundary. A regency admin's upload
/// and `pantau-server import-boundaries` both call it.
pub async fn import(
    store: &dyn crate::store::Store,
    regency: &RegionCode,
    text: String,
    actor: &crate::store::Actor,
) -> Result<usize, ImportError> {
    let area = pantau_core::AreaCode::Region(regency.clone());
    if regency.level() != Level::Regency {
        return Err(ImportError::Invalid(vec![BoundaryError::NotARegency]));
    }
    store.area_name(&area).await?;
    let now = pantau_core::Month::of(time::OffsetDateTime::now_utc().date());
    let villages: HashSet<String> = store
        .descendants(&area, Level::Village, now)
        .await?
        .into_iter()
        .map(|v| v.code.as_str().to_owned())
        .collect();
    // Parsing and checking a file of up to 20 MB takes a while: off the async workers, and
    // before the writer is taken.
    let owned = regency.clone();
    let boundaries = tokio::task::spawn_blocking(move || parse(&owned, &villages, &text))
        .await
        .map_err(|e| ImportError::Store(crate::store::StoreError::Other(e.into())))?
        .map_err(ImportError::Invalid)?;
    store.save_village_boundaries(regency, &boundaries, actor).await?;
    Ok(boundaries.len())
}

/// Why an import stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file or some of its features are wrong.
    #[error("{} problem(s) in the file", .0.len())]
    Invalid(Vec<BoundaryError>),
    /// The database failed or the regency does not exist.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// The feature's checked polygons and an interior label point.
fn shape(feature: &geojson::Feature, feature_no: usize, code: &str) -> Result<(Polygons, [f64; 2]), BoundaryError> {
    let not_polygon = || BoundaryError::NotPolygon {
        feature: feature_no,
        code: code.to_owned(),
    };
    let geometry = feature.geometry.as_ref().ok_or_else(not_polygon)?;
    let multi: MultiPolygon<f64> = match geo::Geometry::<f64>::try_from(geometry.clone()) {
        Ok(geo::Geometry::Polygon(p)) => MultiPolygon(vec![p]),
        Ok(geo::Geometry::MultiPolygon(m)) => m,
        _ => return Err(not_polygon()),
    };
    let inside = |c: &geo::Coord<f64>| (EXTENT[0]..=EXTENT[2]).contains(&c.x) && (EXTENT[1]..=EXTENT[3]).contains(&c.y);
    let all_coords = multi
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|ring| ring.0.iter());
    if !all_coords.clone().all(inside) {
        return Err(BoundaryError::OutsideIndonesia {
            feature: feature_no,
            code: code.to_owned(),
        });
    }
    let invalid = |reason: String| BoundaryError::InvalidGeometry {
        feature: feature_no,
        code: code.to_owned(),
        reason,
    };
    if let Err(problems) = multi.check_validation() {
        return Err(invalid(problems.to_string()));
    }
    if multi.unsigned_area() <= 0.0 {
        return Err(invalid("the area is zero".into()));
    }
    let label = multi
        .interior_point()
        .ok_or_else(|| invalid("no interior point".into()))?;
    let polygons = multi
        .0
        .iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(|ring| ring.0.iter().map(|c| [c.x, c.y]).collect())
                .collect()
        })
        .collect();
    Ok((polygons, [label.x(), label.y()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn villages() -> HashSet<String> {
        ["11.01.01.2001", "11.01.01.2002"].map(String::from).into()
    }

    fn square(x: f64, y: f64) -> String {
        format!(
            "[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]",
            x + 0.01,
            x + 0.01,
            y + 0.01,
            y + 0.01
        )
    }

    fn file(features: &[(&str, &str, &str)]) -> String {
        let features: Vec<String> = features
            .iter()
            .map(|(code, kind, coords)| {
                format!(
                    r#"{{"type":"Feature","properties":{{"code":"{code}"}},"geometry":{{"type":"{kind}","coordinates":{coords}}}}}"#
                )
            })
            .collect();
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
    }

    fn regency() -> RegionCode {
        RegionCode::parse("11.01").unwrap()
    }

    #[test]
    fn valid_villages_of_the_regency_are_accepted_with_interior_labels() {
        let text = file(&[
            ("11.01.01.2001", "Polygon", &square(97.4, 2.9)),
            ("11.01.01.2002", "MultiPolygon", &format!("[{}]", square(97.42, 2.9))),
        ]);
        let parsed = parse(&regency(), &villages(), &text).unwrap();
        assert_eq!(parsed.len(), 2);
        let [x, y] = parsed[0].label;
        assert!((97.4..97.41).contains(&x) && (2.9..2.91).contains(&y));
    }

    #[test]
    fn every_bad_feature_is_reported_and_nothing_is_returned() {
        let bow_tie = "[[[97.4,2.9],[97.41,2.91],[97.41,2.9],[97.4,2.91],[97.4,2.9]]]";
        let swapped = "[[[2.9,97.4],[2.91,97.4],[2.91,97.41],[2.9,97.41],[2.9,97.4]]]";
        let text = file(&[
            ("11.01.01.2001", "Polygon", bow_tie),
            ("32.16.01.2001", "Polygon", &square(107.0, -6.0)),
            ("11.01.01.2099", "Polygon", &square(97.4, 2.9)),
            ("11.01", "Polygon", &square(97.4, 2.9)),
            ("11.01.01.2002", "Point", "[97.4,2.9]"),
            ("11.01.01.2002", "Polygon", swapped),
        ]);
        let errors = parse(&regency(), &villages(), &text).unwrap_err();
        assert!(
            matches!(errors[0], BoundaryError::InvalidGeometry { feature: 1, .. }),
            "{errors:?}"
        );
        assert!(matches!(errors[1], BoundaryError::OutsideRegency { feature: 2, .. }));
        assert!(matches!(errors[2], BoundaryError::UnknownVillage { feature: 3, .. }));
        assert!(matches!(errors[3], BoundaryError::MissingCode { feature: 4 }));
        assert!(matches!(errors[4], BoundaryError::NotPolygon { feature: 5, .. }));
        assert!(matches!(errors[5], BoundaryError::Duplicate { feature: 6, .. }));
        assert_eq!(errors.len(), 6);
        let again = file(&[("11.01.01.2002", "Polygon", swapped)]);
        assert!(matches!(
            parse(&regency(), &villages(), &again).unwrap_err()[0],
            BoundaryError::OutsideIndonesia { .. }
        ));
    }

    #[test]
    fn not_geojson_empty_or_not_a_regency_is_refused() {
        assert_eq!(
            parse(&regency(), &villages(), "hello").unwrap_err(),
            [BoundaryError::NotFeatureCollection]
        );
        let empty = r#"{"type":"FeatureCollection","features":[]}"#;
        assert_eq!(
            parse(&regency(), &villages(), empty).unwrap_err(),
            [BoundaryError::Empty]
        );
        let district = RegionCode::parse("11.01.01").unwrap();
        assert_eq!(
            parse(&district, &villages(), empty).unwrap_err(),
            [BoundaryError::NotARegency]
        );
    }
}
