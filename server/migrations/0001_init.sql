-- Reference regions, enrolments, targets, and the per-area aggregates that make every area
-- read independent of the number of enrolments.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per area: 'ID' (the nation, level 0), provinces (parent 'ID'), regencies,
-- districts and villages (level 4). Codes that a newer decree drops are kept as retired so
-- enrolments never lose their village.
CREATE TABLE region (
    code    TEXT PRIMARY KEY,
    parent  TEXT,
    level   INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
    name    TEXT NOT NULL,
    lat     REAL,
    lng     REAL,
    retired INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX region_by_parent ON region (parent, code);

-- Villages whose target differs from the default of 100.
CREATE TABLE village_target (
    village    TEXT PRIMARY KEY REFERENCES region (code),
    target     INTEGER NOT NULL CHECK (target >= 0),
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE enrolment (
    id           INTEGER PRIMARY KEY,
    nik          TEXT NOT NULL UNIQUE,
    village      TEXT NOT NULL REFERENCES region (code),
    full_name    TEXT NOT NULL,
    birth_date   TEXT NOT NULL,
    sex          TEXT NOT NULL,
    segment      TEXT NOT NULL,
    program      TEXT NOT NULL,
    income       INTEGER NOT NULL,
    funding      TEXT NOT NULL,
    start_month  INTEGER NOT NULL,
    paid_through INTEGER NOT NULL,
    deactivated  INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
);
CREATE INDEX enrolment_by_village ON enrolment (village);

-- Per-area roll-ups, written in the same transaction as each enrolment or target change.
-- target_until (villages only): the last month in which the village's paid-up workers still
-- reach its target, NULL when they do not reach it now or later.
CREATE TABLE area_stats (
    code         TEXT PRIMARY KEY,
    target       INTEGER NOT NULL,
    enrolled     INTEGER NOT NULL,
    villages     INTEGER NOT NULL,
    target_until INTEGER
) WITHOUT ROWID;

-- Enrolled workers of an area by the last month their premium is paid for. Workers active
-- in month M = sum of rows with month >= M, so "active" needs no job to expire anybody.
CREATE TABLE area_paid_through (
    code    TEXT NOT NULL,
    month   INTEGER NOT NULL,
    workers INTEGER NOT NULL,
    PRIMARY KEY (code, month)
) WITHOUT ROWID;

-- Villages of an area by the last month in which they are at target (see target_until).
-- Villages at target in month M = sum of rows with month >= M.
CREATE TABLE area_target_until (
    code     TEXT NOT NULL,
    month    INTEGER NOT NULL,
    villages INTEGER NOT NULL,
    PRIMARY KEY (code, month)
) WITHOUT ROWID;
