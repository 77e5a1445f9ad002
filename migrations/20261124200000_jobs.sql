-- The durable job queue (issue 5): reminders, expiries, consent expiry, email delivery.
-- A job is claimed with a lease (locked_by, locked_until); its effects and its completion
-- commit in one transaction, so that it never runs twice to completion.
CREATE TABLE job (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- At most one job per key (e.g. "reminder:<transaction>:4"): enqueueing twice is a no-op.
    unique_key TEXT UNIQUE,
    status TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    locked_by TEXT,
    locked_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    done_at BIGINT
);
CREATE INDEX job_due ON job (status, due_at);
