-- Reports from a village that found its worker already enrolled in another village.
CREATE TABLE conflict_report (
    id          INTEGER PRIMARY KEY,
    enrolment   INTEGER NOT NULL REFERENCES enrolment (id),
    claimed_by  TEXT NOT NULL REFERENCES region (code),
    reporter    TEXT NOT NULL,
    note        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX conflict_open_by_enrolment ON conflict_report (enrolment) WHERE resolved_at IS NULL;
