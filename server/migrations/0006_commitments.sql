-- Local commitments: regulations of a regency or province, and premium budgets per funding
-- source per year.

CREATE TABLE regulation (
    id         INTEGER PRIMARY KEY,
    area       TEXT NOT NULL REFERENCES region (code),
    kind       TEXT NOT NULL,
    number     TEXT NOT NULL,
    date       TEXT NOT NULL,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL,
    link       TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX regulation_by_area ON regulation (area);

CREATE TABLE budget (
    regency    TEXT NOT NULL REFERENCES region (code),
    year       INTEGER NOT NULL,
    funding    TEXT NOT NULL,
    allocated  INTEGER NOT NULL CHECK (allocated >= 0),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (regency, year, funding)
) WITHOUT ROWID;
