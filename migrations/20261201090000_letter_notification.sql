-- Issue 10 (LET-05, LET-06, policy §7.2.6): the notification is proven, and the period runs
-- from it. A transaction is now created `notifying`; its notification email carries the
-- transaction id through the outbox, and the job that hands the email over to the mail server
-- records here, in its completing transaction, what the server answered: the hand-over
-- (Message-ID, reply, time) that starts the period, or the failure (a permanent refusal, or
-- the retries exhausted) that makes the transaction `not_notified`. One row per transaction.
-- Portable SQL (SQLite and PostgreSQL).
--
-- Until the hand-over, `letter_transaction.notified_at` holds the sending time and
-- `expires_at` 0: neither is a deadline (no decision passes `expires_at > now`), and the
-- views show them only once the recipient is notified.
CREATE TABLE letter_notification (
    transaction_id TEXT PRIMARY KEY REFERENCES letter_transaction (id),
    -- handed_over | failed
    outcome TEXT NOT NULL,
    -- The Message-ID header the service set, with its angle brackets.
    message_id TEXT NOT NULL,
    -- The mail server's reply (code and text), or why delivery failed.
    server_response TEXT NOT NULL,
    -- When the server answered (service clock, ms UTC): the notification instant of a
    -- hand-over.
    at BIGINT NOT NULL,
    -- Delivery attempts made, this one included.
    attempts BIGINT NOT NULL,
    -- The transmission evidence (hand-over) or the notification failure evidence.
    evidence_id TEXT NOT NULL
);
