-- Issue 13 (OPS-01, OPS-06; policy §13.1.3 "seal officer", §13.6): the seal keys and the
-- time-stamping authority, changed under dual control (`dual_control_request`, actions
-- generate_seal_key, activate_seal_key, retire_seal_key, change_tsa).
-- Portable SQL (SQLite and PostgreSQL); times are BIGINT milliseconds (UTC).

-- A key pair of the seal, generated inside the HSM (`domain::seal_keys::SealKeyStatus`):
-- `status` generated (no certificate yet), ready (certificate attached), active (every new
-- evidence is sealed with it; at most one) or retired (never used again). `label` is its
-- CKA_LABEL in the token; `public_key` its SubjectPublicKeyInfo (PEM), from which the
-- certificate signing request is made; `certificate` the seal certificate (PEM) once issued.
-- The key named by the settings (`hsm.seal_key_label`, `pki.dir/seal.pem`) is registered
-- active at the first start (`origin` configuration); the others come from requests.
CREATE TABLE seal_key (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    origin TEXT NOT NULL,
    public_key TEXT NOT NULL,
    certificate TEXT,
    request_id TEXT,
    created_at BIGINT NOT NULL,
    activated_at BIGINT,
    retired_at BIGINT
);
CREATE INDEX seal_key_status ON seal_key (status);

-- What every instance's sealer uses, one row (id 1): `version` grows at each activation or
-- TSA change, and an instance compares it with its own before each seal. `tsa_url` NULL: the
-- TSA of the settings (`tsa.url`); otherwise the one changed to, with `tsa_roots` (PEM) the
-- roots trusted for it. `tsa_roots_history` keeps every root ever trusted this way, so that
-- evidence time-stamped by an earlier TSA stays verifiable.
CREATE TABLE seal_state (
    id BIGINT PRIMARY KEY,
    version BIGINT NOT NULL,
    tsa_url TEXT,
    tsa_roots TEXT NOT NULL,
    tsa_roots_history TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO seal_state (id, version, tsa_url, tsa_roots, tsa_roots_history, updated_at)
VALUES (1, 0, NULL, '', '', 0);
