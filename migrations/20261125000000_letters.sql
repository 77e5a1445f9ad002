-- Contacts, consents and registered letters (issue 5: CONS-01..05, LET-01..13, ID-03).
-- Portable SQL (SQLite and PostgreSQL); times are BIGINT milliseconds (UTC); flags BIGINT 0/1.

-- A sender's address book (CONS-01). `email_key` is the address normalised for comparison
-- (the same rule as account.email_key).
CREATE TABLE contact (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES account (id),
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    name TEXT NOT NULL,
    professional BIGINT NOT NULL,
    company_name TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX contact_owner_email ON contact (owner_id, email_key);

-- A non-professional recipient's consent to one sender (CONS-01..04), for one address: a
-- consent covers the address it was granted from, so changing a contact's address needs a
-- new consent. The latest row per (sender, address) is the one that counts.
CREATE TABLE consent (
    id TEXT PRIMARY KEY,
    sender_id TEXT NOT NULL REFERENCES account (id),
    contact_id TEXT NOT NULL REFERENCES contact (id),
    recipient_email TEXT NOT NULL,
    recipient_email_key TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    -- requested | granted | refused | revoked | expired (app::lifecycle::ConsentStatus)
    status TEXT NOT NULL,
    -- SHA-256 of the emailed link's token: the grant/refuse page, later the revocation page.
    token_hash TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    answered_at BIGINT,
    revoked_at BIGINT,
    -- The recipient's account, when one with this address exists (ACC-01 withdrawal).
    recipient_account_id TEXT,
    request_evidence_id TEXT,
    answer_evidence_id TEXT,
    revocation_evidence_id TEXT
);
CREATE INDEX consent_sender_email ON consent (sender_id, recipient_email_key, requested_at);
CREATE UNIQUE INDEX consent_token ON consent (token_hash);

-- A letter: a draft of its author until sent, then immutable (LET-01, LET-03).
CREATE TABLE letter (
    id TEXT PRIMARY KEY,
    author_id TEXT NOT NULL REFERENCES account (id),
    -- draft | sent
    status TEXT NOT NULL,
    subject TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    sent_at BIGINT,
    -- What the sender was at sending (LET-04, AUTH-04, ID-04).
    sender_name TEXT,
    sender_email TEXT,
    login_session_id TEXT,
    login_time BIGINT,
    otp_session_id TEXT,
    sender_identification_id TEXT
);
CREATE INDEX letter_author ON letter (author_id, status, updated_at);

-- The recipients chosen in a draft.
CREATE TABLE letter_recipient (
    letter_id TEXT NOT NULL REFERENCES letter (id),
    contact_id TEXT NOT NULL REFERENCES contact (id),
    position BIGINT NOT NULL,
    PRIMARY KEY (letter_id, contact_id)
);

-- An attachment: its bytes are in the storage directory under `storage_key`; `sha256` is the
-- server's hash of the received bytes, equal to the browser's (LET-02).
CREATE TABLE attachment (
    id TEXT PRIMARY KEY,
    letter_id TEXT NOT NULL REFERENCES letter (id),
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachment_letter ON attachment (letter_id, position);

-- One recipient of a sent letter: its own letter id (this row's id) and dossier (LET-03).
-- Recipient data is copied at sending: what the evidence says stays what the row says.
CREATE TABLE letter_transaction (
    id TEXT PRIMARY KEY,
    letter_id TEXT NOT NULL REFERENCES letter (id),
    contact_id TEXT NOT NULL,
    recipient_id TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    recipient_email TEXT NOT NULL,
    recipient_email_key TEXT NOT NULL,
    recipient_professional BIGINT NOT NULL,
    recipient_company TEXT,
    -- awaiting | accepted | refused | expired (app::lifecycle::TransactionStatus)
    status TEXT NOT NULL,
    notified_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    decided_at BIGINT,
    opened_at BIGINT,
    -- SHA-256 of the token in the notification link (/r/<token>).
    access_token_hash TEXT NOT NULL,
    -- Who decided: an account (signed in with 2FA) or a reception proofing (ID-03).
    recipient_account_id TEXT,
    reception_id TEXT
);
CREATE INDEX letter_transaction_letter ON letter_transaction (letter_id);
CREATE INDEX letter_transaction_recipient ON letter_transaction (recipient_email_key, notified_at);
CREATE UNIQUE INDEX letter_transaction_token ON letter_transaction (access_token_hash);

-- ID-03: a recipient without an account proves their identity at each reception. The proofing
-- opens a reception session (cookie pli_reception) that stands for the login and OTP sessions
-- of an account holder for 15 minutes (AUTH-02, AUTH-04).
CREATE TABLE reception (
    id TEXT PRIMARY KEY,
    transaction_id TEXT NOT NULL REFERENCES letter_transaction (id),
    provider TEXT NOT NULL,
    qualified BIGINT NOT NULL,
    provider_session_id TEXT NOT NULL,
    -- pending | succeeded | failed
    status TEXT NOT NULL,
    verified_name TEXT,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    evidence_id TEXT,
    session_token_hash TEXT NOT NULL,
    session_expires_at BIGINT
);
CREATE INDEX reception_transaction ON reception (transaction_id, started_at);
CREATE UNIQUE INDEX reception_session ON reception (session_token_hash);

-- Which attachments a recipient opened (LET-11: one opening evidence per attachment, at the
-- first download; later downloads are journaled).
CREATE TABLE attachment_opening (
    transaction_id TEXT NOT NULL REFERENCES letter_transaction (id),
    attachment_id TEXT NOT NULL REFERENCES attachment (id),
    opened_at BIGINT NOT NULL,
    evidence_id TEXT NOT NULL,
    PRIMARY KEY (transaction_id, attachment_id)
);
