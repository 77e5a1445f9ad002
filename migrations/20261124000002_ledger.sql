-- The integrity-protected journal (EVD-?, OPS-02, OPS-03, AUTH-05): every evidence and every
-- recorded event is appended to one hash chain. Portable SQL (SQLite and PostgreSQL).

-- The head of the chain: one row, locked by each append so that appends are serialised
-- across server instances.
CREATE TABLE ledger_head (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL,
    link_hash TEXT NOT NULL
);
INSERT INTO ledger_head (id, seq, link_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- One row per entry, never updated or deleted.
-- link_hash = SHA-256 of "pli-ledger-v1|seq|entry_type|ref_id|recorded_at|payload_sha256|prev_hash".
CREATE TABLE ledger (
    seq BIGINT PRIMARY KEY,
    entry_type TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    link_hash TEXT NOT NULL
);
CREATE UNIQUE INDEX ledger_ref ON ledger (entry_type, ref_id);

-- Evidence documents: the sealed PDFs themselves, kept for (at least) ten years (OPS-04).
CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    letter_id TEXT,
    pdf BYTEA NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE INDEX evidence_letter ON evidence (letter_id);

-- Recorded events (OPS-03): who did what, when, from where. The JSON document is what the
-- ledger entry's payload hash covers.
CREATE TABLE audit_event (
    id TEXT PRIMARY KEY,
    recorded_at BIGINT NOT NULL,
    category TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT,
    document TEXT NOT NULL
);
CREATE INDEX audit_event_time ON audit_event (recorded_at);

-- Sealed checkpoints of the chain's head: each is also an evidence (kind LedgerCheckpoint)
-- whose PDF states the same sequence number and head hash.
CREATE TABLE ledger_checkpoint (
    evidence_id TEXT PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    head_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
