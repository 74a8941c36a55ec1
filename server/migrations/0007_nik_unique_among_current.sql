-- A NIK is unique among current enrolments only: a worker deactivated as "moved" can be
-- enrolled in the new village. SQLite cannot drop a column constraint, so the table is
-- rebuilt with the same columns and a partial unique index instead.
CREATE TABLE enrolment_new (
    id                  INTEGER PRIMARY KEY,
    nik                 TEXT NOT NULL,
    village             TEXT NOT NULL REFERENCES region (code),
    full_name           TEXT NOT NULL,
    birth_date          TEXT NOT NULL,
    sex                 TEXT NOT NULL,
    segment             TEXT NOT NULL,
    program             TEXT NOT NULL,
    income              INTEGER NOT NULL,
    funding             TEXT NOT NULL,
    start_month         INTEGER NOT NULL,
    paid_through        INTEGER NOT NULL,
    deactivated         INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    phone               TEXT,
    address             TEXT NOT NULL DEFAULT '',
    occupation_other    TEXT,
    sponsor             TEXT,
    membership_number   TEXT,
    status              TEXT NOT NULL DEFAULT 'verified'
        CHECK (status IN ('submitted', 'verified', 'rejected')),
    reject_reason       TEXT,
    deactivation_reason TEXT,
    consent_version     TEXT NOT NULL DEFAULT '',
    created_by          INTEGER,
    revision            INTEGER NOT NULL DEFAULT 1
);
INSERT INTO enrolment_new (id, nik, village, full_name, birth_date, sex, segment, program, income, funding,
    start_month, paid_through, deactivated, created_at, phone, address, occupation_other, sponsor,
    membership_number, status, reject_reason, deactivation_reason, consent_version, created_by, revision)
SELECT id, nik, village, full_name, birth_date, sex, segment, program, income, funding,
    start_month, paid_through, deactivated, created_at, phone, address, occupation_other, sponsor,
    membership_number, status, reject_reason, deactivation_reason, consent_version, created_by, revision
FROM enrolment;
DROP TABLE enrolment;
ALTER TABLE enrolment_new RENAME TO enrolment;
CREATE INDEX enrolment_by_village ON enrolment (village);
CREATE UNIQUE INDEX enrolment_current_nik ON enrolment (nik) WHERE deactivated = 0;
CREATE INDEX enrolment_by_nik ON enrolment (nik);
