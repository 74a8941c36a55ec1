-- Idempotency keys of the workspace's writes, per account. A row is claimed ('pending') before
-- the request runs, so concurrent requests with one key run it once, also across servers
-- sharing the database; 'done' keeps the first answer (status and body bytes) for replays.
-- Times are Unix seconds. Rows go after 30 days at the earliest.
CREATE TABLE idempotency_key (
    account      INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    -- SHA-256 (hex) of method, path and body of the request that first used the key.
    fingerprint  TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'done')),
    -- Random token of the claim; a claim taken over from a dead server gets a new one.
    claim        TEXT NOT NULL,
    claimed_at   INTEGER NOT NULL,
    status       INTEGER,
    content_type TEXT,
    body         BLOB,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (account, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_key_by_age ON idempotency_key (created_at);
