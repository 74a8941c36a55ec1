-- Bulk imports from spreadsheets: each commit is one batch, which can be undone while none of
-- its records has been verified, changed or deactivated. A record keeps the batch it came in.
CREATE TABLE import_batch (
    id          TEXT PRIMARY KEY,
    area        TEXT NOT NULL,
    account     INTEGER NOT NULL,
    username    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created     INTEGER NOT NULL,
    undone_at   TEXT
);
CREATE INDEX import_batch_by_area ON import_batch (area);
ALTER TABLE enrolment ADD COLUMN import_batch TEXT REFERENCES import_batch (id);
CREATE INDEX enrolment_by_import_batch ON enrolment (import_batch) WHERE import_batch IS NOT NULL;
