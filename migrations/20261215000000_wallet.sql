-- Issue 14 (Art. 5a, Art. 24(1a)(a)): identity proofing with the EU digital identity wallet.
-- One row per OpenID4VP request: `id` is its `state`; `nonce` binds the wallet's presentation
-- to it; `flow` is how the wallet fetched it (`same` device: a link on the phone, `cross`
-- device: the QR code on a computer); a same-device answer counts only once the browser that
-- came back shows `response_code` (`returned_at`). `status` pending | succeeded | failed, with
-- what the credential said (`issuer`, `subject` = the holder key's thumbprint, the identity
-- claims disclosed) or why it was refused (`failure`).
CREATE TABLE wallet_request (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL,
    nonce TEXT NOT NULL,
    response_code TEXT NOT NULL,
    return_url TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    flow TEXT,
    returned_at BIGINT,
    finished_at BIGINT,
    issuer TEXT,
    subject TEXT,
    level TEXT,
    verified_name TEXT,
    birth_date TEXT,
    birth_place TEXT,
    failure TEXT
);
-- Why a reception's proofing failed, when its provider says: the recipient is told.
ALTER TABLE reception ADD COLUMN failure TEXT;
