-- Separation of duties (issue 18, finding 3): who issued each reset link, and, until the
-- holder first signs in with the password a link set, the admin who issued that link, so the
-- audit log can name them at the first sign-in.
ALTER TABLE password_reset ADD COLUMN issued_by TEXT NOT NULL DEFAULT '';
ALTER TABLE account ADD COLUMN first_sign_in_link_by TEXT;
