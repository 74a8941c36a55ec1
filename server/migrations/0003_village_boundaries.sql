-- Village boundaries imported for a regency (the shipped data has village polygons for four
-- regencies only). Rings of [lng, lat] as JSON: polygons → rings → points, outer ring first.
CREATE TABLE village_boundary (
    code        TEXT PRIMARY KEY REFERENCES region(code),
    district    TEXT NOT NULL REFERENCES region(code),
    polygons    TEXT NOT NULL,
    label_lng   REAL NOT NULL,
    label_lat   REAL NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE INDEX village_boundary_district ON village_boundary (district);
