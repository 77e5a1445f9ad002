-- Issue 14 (ID-01, policy §4.1): identity proofing with an OpenID Connect provider at an eIDAS
-- level. One row per authorization request: `id` is its `state`; `nonce` and `code_verifier`
-- (PKCE) are single-use secrets checked at the callback; `status` pending | succeeded | failed,
-- with what the verified ID token said (`subject`, `level` = its `acr`, the identity claims) or
-- why it was refused (`failure`).
CREATE TABLE oidc_authorization (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL,
    nonce TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    return_url TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    finished_at BIGINT,
    subject TEXT,
    level TEXT,
    verified_name TEXT,
    birth_date TEXT,
    birth_place TEXT,
    failure TEXT
);
-- Why a proofing failed, when its provider says (e.g. `insufficient_level`): the person is told.
ALTER TABLE identity_proofing ADD COLUMN failure TEXT;
