-- Officials' workspace: accounts, sessions, one-time reset links, the enrolment workflow and
-- the audit log.

ALTER TABLE enrolment ADD COLUMN phone TEXT;
ALTER TABLE enrolment ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE enrolment ADD COLUMN occupation_other TEXT;
ALTER TABLE enrolment ADD COLUMN sponsor TEXT;
ALTER TABLE enrolment ADD COLUMN membership_number TEXT;
-- Enrolments loaded before the workflow existed (the demo) count as verified.
ALTER TABLE enrolment ADD COLUMN status TEXT NOT NULL DEFAULT 'verified'
    CHECK (status IN ('submitted', 'verified', 'rejected'));
ALTER TABLE enrolment ADD COLUMN reject_reason TEXT;
ALTER TABLE enrolment ADD COLUMN deactivation_reason TEXT;
ALTER TABLE enrolment ADD COLUMN consent_version TEXT NOT NULL DEFAULT '';
ALTER TABLE enrolment ADD COLUMN created_by INTEGER;
ALTER TABLE enrolment ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;

CREATE TABLE account (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    email         TEXT UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    scope         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

-- Only a hash of the session token is stored: a leaked database does not sign anybody in.
-- Times are Unix seconds.
CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    account    INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX session_by_account ON session (account);

CREATE TABLE password_reset (
    token_hash TEXT PRIMARY KEY,
    account    INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Before/after hold the record with its NIK masked; never raw personal identifiers.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    area    TEXT NOT NULL,
    before  TEXT,
    after   TEXT
);
CREATE INDEX audit_by_area ON audit_log (area, id);
