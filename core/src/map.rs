//! Map geometry (`GET /api/v1/areas/{code}/map`) and the choropleth's colour classes.
//!
//! Geometry travels as TopoJSON: every border is one arc shared by the two areas it
//! separates, coordinates quantised to integers and delta-encoded. [`Topology::features`]
//! turns it back into rings of longitude/latitude for drawing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A TopoJSON topology holding one view: the children of one area.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Topology {
    /// Always `Topology`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Shared borders. Quantised and delta-encoded when `transform` is present.
    pub arcs: Vec<Vec<[f64; 2]>>,
    /// Quantisation: position = value × scale + translate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<Transform>,
    /// West, south, east, north in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f64; 4]>,
    /// The view's areas, under one key.
    pub objects: BTreeMap<String, GeometryCollection>,
}

/// TopoJSON quantisation transform.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Transform {
    /// Degrees per quantisation step (longitude, latitude).
    pub scale: [f64; 2],
    /// Longitude and latitude of the grid's origin.
    pub translate: [f64; 2],
}

/// The areas of one view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GeometryCollection {
    /// Always `GeometryCollection`.
    #[serde(rename = "type")]
    pub kind: String,
    /// One geometry per area.
    pub geometries: Vec<Geometry>,
}

/// Label point of an area: inside its polygon, or the village's location when it has none.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LabelPoint {
    /// Longitude.
    pub lx: f64,
    /// Latitude.
    pub ly: f64,
}

/// Kind of a geometry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum GeometryKind {
    /// One polygon: `arcs` holds rings of arc indexes, outer ring first.
    Polygon,
    /// Several polygons (islands, enclaves): `arcs` holds polygons of rings.
    MultiPolygon,
    /// An area known only by its location (a village without a boundary): `coordinates`.
    Point,
}

/// One area's shape, as in TopoJSON. A struct with a kind rather than a tagged enum: serde's
/// tagged enums buffer every value first, which costs the browser app tens of kilobytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Geometry {
    /// Polygon, MultiPolygon or Point.
    #[serde(rename = "type")]
    pub kind: GeometryKind,
    /// Region code.
    pub id: String,
    /// Arc indexes (`!i` = arc `i` reversed): rings for a polygon, polygons of rings for a
    /// multipolygon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<Object>>))]
    pub arcs: Option<Nested>,
    /// A point's location; quantised when the topology has a transform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<[f64; 2]>,
    /// Label point.
    pub properties: LabelPoint,
}

/// Arrays of arc indexes nested to any depth (TopoJSON's polygons and multipolygons).
#[derive(Clone, Debug, PartialEq)]
pub enum Nested {
    /// An arc index.
    Index(i32),
    /// A list one level down.
    List(Vec<Nested>),
}

impl Nested {
    /// The items of a list (empty for an index).
    pub fn items(&self) -> &[Nested] {
        match self {
            Nested::List(items) => items,
            Nested::Index(_) => &[],
        }
    }

    /// The arc indexes directly in this list.
    fn indexes(&self) -> impl Iterator<Item = i32> + '_ {
        self.items().iter().filter_map(|n| match n {
            Nested::Index(i) => Some(*i),
            Nested::List(_) => None,
        })
    }
}

impl Serialize for Nested {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nested::Index(i) => serializer.serialize_i32(*i),
            Nested::List(items) => serializer.collect_seq(items),
        }
    }
}

impl<'de> Deserialize<'de> for Nested {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Nested;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an arc index or a list of them")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Nested, E> {
                i32::try_from(v).map(Nested::Index).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Nested, E> {
                i32::try_from(v).map(Nested::Index).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Nested, E> {
                // JavaScript numbers arrive as floats in the browser.
                if v.fract() == 0.0 && v.abs() <= f64::from(i32::MAX) {
                    Ok(Nested::Index(v as i32))
                } else {
                    Err(E::custom("arc index is not an integer"))
                }
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Nested, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Nested::List(items))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Polygons → rings → [longitude, latitude], outer ring first (as in GeoJSON).
pub type Polygons = Vec<Vec<Vec<[f64; 2]>>>;

/// An area ready to draw: rings of (longitude, latitude), or a point.
#[derive(Clone, Debug, PartialEq)]
pub struct MapFeature {
    /// Region code.
    pub code: String,
    /// Every ring of every polygon; fill with the even-odd rule. Empty for a point.
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Label point (longitude, latitude); the location itself for a point.
    pub label: [f64; 2],
}

impl MapFeature {
    /// Whether the area is drawn as a point because it has no boundary.
    pub fn is_point(&self) -> bool {
        self.rings.is_empty()
    }
}

impl Topology {
    /// A topology of points only, for views whose areas have no boundaries.
    pub fn of_points(view: &str, points: impl IntoIterator<Item = (String, [f64; 2])>) -> Self {
        Self::of_parts(view, Vec::new(), points)
    }

    /// A topology of separately drawn shapes (each ring its own arc, in degrees: imported
    /// boundaries share no arcs) and of points for the areas without a shape.
    pub fn of_parts(
        view: &str,
        shapes: Vec<(String, Polygons, [f64; 2])>,
        points: impl IntoIterator<Item = (String, [f64; 2])>,
    ) -> Self {
        let mut arcs = Vec::new();
        let mut geometries = Vec::new();
        for (id, polygons, [lx, ly]) in shapes {
            let polygons = polygons
                .into_iter()
                .map(|rings| {
                    let rings = rings.into_iter().map(|ring| {
                        arcs.push(ring);
                        Nested::List(vec![Nested::Index(arcs.len() as i32 - 1)])
                    });
                    Nested::List(rings.collect())
                })
                .collect();
            geometries.push(Geometry {
                kind: GeometryKind::MultiPolygon,
                id,
                arcs: Some(Nested::List(polygons)),
                coordinates: None,
                properties: LabelPoint { lx, ly },
            });
        }
        geometries.extend(points.into_iter().map(|(id, [lx, ly])| Geometry {
            kind: GeometryKind::Point,
            id,
            arcs: None,
            coordinates: Some([lx, ly]),
            properties: LabelPoint { lx, ly },
        }));
        Self {
            kind: "Topology".into(),
            arcs,
            transform: None,
            bbox: None,
            objects: BTreeMap::from([(
                view.to_owned(),
                GeometryCollection {
                    kind: "GeometryCollection".into(),
                    geometries,
                },
            )]),
        }
    }

    /// Arcs in longitude/latitude, delta-decoding and dequantising when needed.
    fn decoded_arcs(&self) -> Vec<Vec<[f64; 2]>> {
        let Some(t) = self.transform else {
            return self.arcs.clone();
        };
        self.arcs
            .iter()
            .map(|arc| {
                let (mut x, mut y) = (0.0, 0.0);
                arc.iter()
                    .map(|[dx, dy]| {
                        x += dx;
                        y += dy;
                        [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]]
                    })
                    .collect()
            })
            .collect()
    }

    fn position(&self, [x, y]: [f64; 2]) -> [f64; 2] {
        match self.transform {
            Some(t) => [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]],
            None => [x, y],
        }
    }

    /// Arcs and points in plain coordinates, with no transform.
    fn into_plain(mut self) -> Self {
        if let Some(t) = self.transform {
            let arcs = self.decoded_arcs();
            let position = |[x, y]: [f64; 2]| [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
            for geometry in self.objects.values_mut().flat_map(|c| c.geometries.iter_mut()) {
                geometry.coordinates = geometry.coordinates.map(position);
            }
            self.arcs = arcs;
            self.transform = None;
        }
        self
    }

    /// Adds the areas of `other` to this topology: a view served in parts (the national
    /// district layer) is drawn as one. `other`'s arc indexes move past this one's arcs.
    pub fn absorb(&mut self, other: Topology) {
        if self.transform.is_some() {
            *self = std::mem::take(self).into_plain();
        }
        let other = other.into_plain();
        let offset = i32::try_from(self.arcs.len()).unwrap_or(i32::MAX);
        fn shift(nested: &mut Nested, offset: i32) {
            match nested {
                // `!i` (that is -i-1) is arc i reversed: it moves the other way.
                Nested::Index(i) => *i = if *i >= 0 { *i + offset } else { *i - offset },
                Nested::List(items) => items.iter_mut().for_each(|n| shift(n, offset)),
            }
        }
        for (name, mut collection) in other.objects {
            for geometry in &mut collection.geometries {
                if let Some(arcs) = geometry.arcs.as_mut() {
                    shift(arcs, offset);
                }
            }
            match self.objects.get_mut(&name) {
                Some(existing) => existing.geometries.extend(collection.geometries),
                None => {
                    self.objects.insert(name, collection);
                }
            }
        }
        self.arcs.extend(other.arcs);
        self.bbox = match (self.bbox, other.bbox) {
            (Some(a), Some(b)) => Some([a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]),
            (a, b) => a.or(b),
        };
    }

    /// Every area of the view, ready to draw.
    pub fn features(&self) -> Vec<MapFeature> {
        let arcs = self.decoded_arcs();
        let ring = |indexes: &Nested| -> Vec<[f64; 2]> {
            let mut points: Vec<[f64; 2]> = Vec::new();
            for index in indexes.indexes() {
                let (arc, reversed) = if index < 0 { (!index, true) } else { (index, false) };
                let Some(arc) = arcs.get(arc as usize) else { continue };
                let mut part: Vec<[f64; 2]> = arc.clone();
                if reversed {
                    part.reverse();
                }
                // Consecutive arcs share their joining point.
                let skip = usize::from(!points.is_empty());
                points.extend(part.into_iter().skip(skip));
            }
            points
        };
        self.objects
            .values()
            .flat_map(|collection| collection.geometries.iter())
            .map(|g| {
                let label = [g.properties.lx, g.properties.ly];
                let arcs = g.arcs.as_ref().map_or(&[][..], Nested::items);
                let rings = match g.kind {
                    GeometryKind::Polygon => arcs.iter().map(ring).collect(),
                    GeometryKind::MultiPolygon => arcs.iter().flat_map(Nested::items).map(ring).collect(),
                    GeometryKind::Point => Vec::new(),
                };
                let label = match (g.kind, g.coordinates) {
                    (GeometryKind::Point, Some(at)) => self.position(at),
                    _ => label,
                };
                MapFeature {
                    code: g.id.clone(),
                    rings,
                    label,
                }
            })
            .collect()
    }
}

/// Upper bounds (exclusive) of the choropleth's progress classes, in percent; the last
/// class is "target reached" (100 % and more).
pub const CLASS_BOUNDS: [f64; 4] = [25.0, 50.0, 75.0, 100.0];

/// Sequential, colour-blind-safe palette for the classes, light to dark (ColorBrewer
/// YlGnBu, 5 classes; safe for the common colour-vision deficiencies and in greyscale).
pub const CLASS_COLOURS: [&str; 5] = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];

/// Colour for areas whose target is zero (nothing to measure).
pub const NO_TARGET_COLOUR: &str = "#d9d9d9";

/// Class (0–4) of a progress percentage.
pub fn progress_class(progress_pct: f64) -> usize {
    CLASS_BOUNDS
        .iter()
        .position(|&bound| progress_pct < bound)
        .unwrap_or(CLASS_BOUNDS.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(code: &str, x: f64, arc: i32) -> Topology {
        serde_json::from_value(serde_json::json!({
            "type": "Topology",
            "arcs": [[[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]]],
            "bbox": [x, 0.0, x + 1.0, 1.0],
            "objects": { "ID": { "type": "GeometryCollection", "geometries": [
                { "type": "Polygon", "id": code, "arcs": [[arc]], "properties": { "lx": x + 0.5, "ly": 0.5 } }
            ] } }
        }))
        .unwrap()
    }

    #[test]
    fn absorbing_a_part_keeps_every_area_as_drawn_alone() {
        let (west, east) = (square("11", 0.0, 0), square("91", 10.0, -1));
        let mut whole = west.clone();
        whole.absorb(east.clone());
        let mut expected = west.features();
        expected.extend(east.features());
        assert_eq!(whole.features(), expected);
        assert_eq!(whole.bbox, Some([0.0, 0.0, 11.0, 1.0]));
    }

    fn square_pair() -> Topology {
        // Two unit squares side by side sharing the border x = 1 (arc 0, drawn upwards).
        serde_json::from_str(
            r#"{"type":"Topology","transform":{"scale":[0.5,0.5],"translate":[100,-5]},
                "arcs":[[[2,0],[0,2]],[[2,2],[-2,0],[0,-2],[2,0]],[[2,0],[2,0],[0,2],[-2,0]]],
                "objects":{"32.16":{"type":"GeometryCollection","geometries":[
                  {"type":"Polygon","id":"32.16.01","arcs":[[0,1]],"properties":{"lx":100.5,"ly":-4.5}},
                  {"type":"Polygon","id":"32.16.02","arcs":[[2,-1]],"properties":{"lx":101.5,"ly":-4.5}}]}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn shared_arc_gives_both_neighbours_the_same_border() {
        let features = square_pair().features();
        assert_eq!(features.len(), 2);
        let west = &features[0].rings[0];
        let east = &features[1].rings[0];
        assert_eq!(
            west,
            &vec![
                [101.0, -5.0],
                [101.0, -4.0],
                [100.0, -4.0],
                [100.0, -5.0],
                [101.0, -5.0]
            ]
        );
        assert_eq!(
            east,
            &vec![
                [101.0, -5.0],
                [102.0, -5.0],
                [102.0, -4.0],
                [101.0, -4.0],
                [101.0, -5.0]
            ]
        );
        assert!(west.contains(&[101.0, -4.0]) && east.contains(&[101.0, -4.0]));
        assert_eq!(features[1].label, [101.5, -4.5]);
    }

    #[test]
    fn points_topology_round_trips_and_draws_as_points() {
        let topo = Topology::of_points("61.11.01", [("61.11.01.2001".to_owned(), [109.9, -1.2])]);
        let json = serde_json::to_string(&topo).unwrap();
        let back: Topology = serde_json::from_str(&json).unwrap();
        let features = back.features();
        assert!(features[0].is_point());
        assert_eq!(features[0].label, [109.9, -1.2]);
    }

    #[test]
    fn separate_shapes_and_points_share_one_view() {
        let ring = vec![[109.0, -1.0], [109.1, -1.0], [109.1, -0.9], [109.0, -1.0]];
        let topo = Topology::of_parts(
            "61.11.01",
            vec![("61.11.01.2001".into(), vec![vec![ring.clone()]], [109.05, -0.97])],
            [("61.11.01.2002".to_owned(), [109.3, -1.1])],
        );
        let back: Topology = serde_json::from_str(&serde_json::to_string(&topo).unwrap()).unwrap();
        let features = back.features();
        assert_eq!(features[0].rings, vec![ring]);
        assert_eq!(features[0].label, [109.05, -0.97]);
        assert!(features[1].is_point());
    }

    #[test]
    fn progress_classes_follow_their_bounds() {
        assert_eq!(progress_class(0.0), 0);
        assert_eq!(progress_class(24.9), 0);
        assert_eq!(progress_class(25.0), 1);
        assert_eq!(progress_class(74.9), 2);
        assert_eq!(progress_class(99.9), 3);
        assert_eq!(progress_class(100.0), 4);
        assert_eq!(progress_class(250.0), 4);
    }
}
