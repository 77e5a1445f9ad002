-- Issue 12 (EVD-05): an evidence whose extension failed (its CA unreachable, or saying a
-- certificate of it is revoked) is tried again at `long_term_retry_at` (milliseconds since the
-- epoch), not at every sweep: the evidences after it are not held up.
ALTER TABLE evidence ADD COLUMN long_term_retry_at BIGINT;
