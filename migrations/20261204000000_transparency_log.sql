-- Issue 12: the public transparency log of evidence, a Merkle tree in the style of RFC 9162.
-- Every evidence of the journal is a leaf, in the journal's order: the service sequences the
-- journal's evidence entries into leaves after the fact (`transparency::sequence`), so that
-- evidences issued before this migration become leaves too. Rows are never updated or
-- deleted. Portable SQL (SQLite and PostgreSQL).
CREATE TABLE log_leaf (
    -- The leaf's position in the tree, from 0.
    leaf_index BIGINT PRIMARY KEY,
    -- The journal entry the leaf comes from: two sequencers racing conflict here.
    ledger_seq BIGINT NOT NULL UNIQUE,
    evidence_id TEXT NOT NULL UNIQUE,
    -- Hex of the RFC 9162 leaf hash of `transparency::leaf_entry`.
    leaf_hash TEXT NOT NULL
);
