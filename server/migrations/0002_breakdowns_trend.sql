-- Breakdowns, trend and premium money, all kept per area at write time like area_stats.

-- Monthly premium (rupiah) of the workers in each paid-through bucket: the premium committed
-- for workers active in month M = sum of rows with month >= M.
ALTER TABLE area_paid_through ADD COLUMN premium INTEGER NOT NULL DEFAULT 0;

-- Workers of an area by their first covered month. With area_paid_through this gives the
-- monthly series: covered in month M = (started by M) - (paid through before M).
CREATE TABLE area_start (
    code    TEXT NOT NULL,
    month   INTEGER NOT NULL,
    workers INTEGER NOT NULL,
    PRIMARY KEY (code, month)
) WITHOUT ROWID;

-- Workers of an area per category of one dimension (segment, program, funding, sex,
-- birth_year), by last paid month so both "enrolled" and "active now" can be read.
CREATE TABLE area_breakdown (
    code      TEXT NOT NULL,
    dimension TEXT NOT NULL,
    value     TEXT NOT NULL,
    month     INTEGER NOT NULL,
    workers   INTEGER NOT NULL,
    PRIMARY KEY (code, dimension, value, month)
) WITHOUT ROWID;
