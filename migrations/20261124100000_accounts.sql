-- Accounts, sessions and second factors (issue 4: ID-*, AUTH-01..05, ACC-*). Portable SQL
-- (SQLite and PostgreSQL). Times are BIGINT milliseconds since the epoch from the service clock.

-- One row per user. `email_key` is the address in lower case, for uniqueness and look-ups.
-- The TOTP secret (base32) is what authenticator apps hold too; encryption at rest comes with
-- OPS-05. `totp_last_step` is the last accepted RFC 6238 time step, never accepted again.
CREATE TABLE account (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    terms_version TEXT NOT NULL,
    terms_accepted_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    email_confirmed_at BIGINT,
    totp_secret TEXT,
    totp_pending_secret TEXT,
    totp_enrolled_at BIGINT,
    totp_last_step BIGINT
);
CREATE UNIQUE INDEX account_email_key ON account (email_key);

-- One-time recovery codes (AUTH-01), stored as SHA-256; `used_at` set when spent.
CREATE TABLE recovery_code (
    account_id TEXT NOT NULL REFERENCES account (id),
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (account_id, code_hash)
);

-- Links sent by email (address confirmation...): the token itself is only in the email; the
-- server keeps its SHA-256. Valid until `expires_at` (exclusive), once.
CREATE TABLE email_token (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES account (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- Login sessions. `id` is the public reference written in the journal and in evidence
-- (AUTH-04); the browser holds a random 256-bit token whose SHA-256 is `token_hash`, replaced
-- at every privilege change. `second_factor_at` is null while the second factor is awaited.
CREATE TABLE login_session (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES account (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    second_factor_at BIGINT,
    ended_at BIGINT,
    end_reason TEXT,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE UNIQUE INDEX login_session_token ON login_session (token_hash);
CREATE INDEX login_session_account ON login_session (account_id);

-- OTP sessions (AUTH-02): 15 minutes from a successful second-factor check, with their own id.
CREATE TABLE otp_session (
    id TEXT PRIMARY KEY,
    login_session_id TEXT NOT NULL REFERENCES login_session (id),
    account_id TEXT NOT NULL REFERENCES account (id),
    method TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    expiry_recorded_at BIGINT
);
CREATE INDEX otp_session_login ON otp_session (login_session_id, opened_at);

-- Failed sign-in and second-factor attempts, for rate limiting per account and per IP address.
-- `scope` is `account:<email or id>` or `ip:<address>`.
CREATE TABLE auth_failure (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX auth_failure_scope ON auth_failure (kind, scope, failed_at);
