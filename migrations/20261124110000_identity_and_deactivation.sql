-- Identity proofing (ID-01..ID-04) and account deactivation (ACC-01, ACC-02). Portable SQL.

-- One row per proofing attempt with a remote identity-proofing provider. `qualified` is 1 for
-- a qualified provider, 0 for the built-in simulator (BIGINT: sqlx's Any driver cannot read
-- SQLite booleans). A successful row is the identification record (ID-04); its
-- sealed evidence PDF comes with the evidence engine (`evidence_id`).
CREATE TABLE identity_proofing (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES account (id),
    provider TEXT NOT NULL,
    qualified BIGINT NOT NULL,
    provider_session_id TEXT NOT NULL,
    status TEXT NOT NULL,
    verified_name TEXT,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    evidence_id TEXT
);
CREATE INDEX identity_proofing_account ON identity_proofing (account_id, started_at);

-- The simulator's own sessions (development and tests only): what the tester chose.
CREATE TABLE identity_simulator_session (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL,
    expected_name TEXT NOT NULL,
    return_url TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    outcome TEXT,
    verified_name TEXT
);

-- ACC-01/02: a deactivated account cannot sign in until reactivated by an emailed link;
-- qualified features then need a proofing newer than `reactivated_at`.
ALTER TABLE account ADD COLUMN deactivated_at BIGINT;
ALTER TABLE account ADD COLUMN reactivated_at BIGINT;
