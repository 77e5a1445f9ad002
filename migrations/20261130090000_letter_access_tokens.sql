-- Issue 9: no usable access token at rest. Every link that opens a reception (the
-- notification's, each reminder's) carries its own 256-bit token; only its SHA-256 is stored,
-- here. `letter_transaction.access_token_hash` stays the notification's (also listed here).
-- Portable SQL (SQLite and PostgreSQL).
CREATE TABLE letter_access_token (
    token_hash TEXT PRIMARY KEY,
    transaction_id TEXT NOT NULL REFERENCES letter_transaction (id),
    -- Which link carried it: notification | reminder:<day>
    purpose TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX letter_access_token_transaction ON letter_access_token (transaction_id);

INSERT INTO letter_access_token (token_hash, transaction_id, purpose, created_at)
SELECT access_token_hash, id, 'notification', notified_at FROM letter_transaction;

-- Reminder jobs used to carry the notification's token in clear in their payload; rewrite
-- them with the ids only (from their unique key, `reminder:<36-character transaction id>:<day>`):
-- a reminder now mints its own token when it runs.
UPDATE job SET payload = '{"transaction_id":"' || SUBSTR(unique_key, 10, 36) || '","day":' || SUBSTR(unique_key, 47) || '}'
WHERE kind = 'letter.reminder' AND unique_key LIKE 'reminder:%';

-- Delivered emails kept their body (with its links and tokens) in the job table: erase it, as
-- the outbox now does at delivery.
UPDATE job SET payload = '{"body":"erased after delivery"}' WHERE kind = 'email' AND status = 'done';
