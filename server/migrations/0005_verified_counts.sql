-- Of each area's enrolled workers, how many BPJS Ketenagakerjaan has verified; the rest are
-- submitted and waiting. Filled by the aggregate rebuild that AGGREGATES_VERSION 3 triggers.
ALTER TABLE area_stats ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;
