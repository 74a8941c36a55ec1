-- Browsers an account has signed in from (OWASP's device cookies): their sign-ins are
-- throttled apart from everyone else's, so guessing at a known username does not lock its
-- holder out of their own phone. Only a hash of the cookie's token is stored.
CREATE TABLE known_device (
    token_hash TEXT PRIMARY KEY,
    account    INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX known_device_by_account ON known_device (account);
