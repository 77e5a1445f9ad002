-- Issue 11: pages that scale with the data. The sent list is read one page at a time (newest
-- first, by sending time), with its filters in the same query. Portable SQL (SQLite and
-- PostgreSQL).

-- A sent letter's subject as searches compare it (`domain::text::search_key`: lower case by
-- Unicode's rules), set at sending. Letters sent before this migration get the database's
-- LOWER(), which on SQLite folds ASCII letters only.
ALTER TABLE letter ADD COLUMN subject_key TEXT;
UPDATE letter SET subject_key = LOWER(subject) WHERE status = 'sent';

-- A sender's sent letters, newest first: one index range per page.
CREATE INDEX letter_sent ON letter (author_id, status, sent_at, id);

-- A recipient's inbox, newest first, keyset on (notified_at, id).
CREATE INDEX letter_transaction_inbox ON letter_transaction (recipient_email_key, notified_at, id);
DROP INDEX letter_transaction_recipient;
