-- Issue 14 (AUTH-01): passkeys (WebAuthn) as a second factor, an alternative to TOTP chosen in
-- the profile. `account.second_factor` is the account's method: `totp`, `passkey`, or NULL
-- before any enrolment; switching methods removes the other one's credentials.
ALTER TABLE account ADD COLUMN second_factor TEXT;
UPDATE account SET second_factor = 'totp' WHERE totp_secret IS NOT NULL;
-- One row per passkey registered to an account: `credential_id` (base64url) is the
-- authenticator's; `credential` the public key and signature counter as the WebAuthn library
-- keeps them (JSON), updated after each use.
CREATE TABLE passkey (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES account(id),
    credential_id TEXT NOT NULL UNIQUE,
    credential TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX passkey_account ON passkey(account_id);
-- A WebAuthn ceremony begun and not finished: its challenge and state (JSON), for the login
-- session that began it, usable once (`finished_at`) within five minutes. `kind` is
-- `register` or `authenticate`.
CREATE TABLE passkey_ceremony (
    id TEXT PRIMARY KEY,
    login_session_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
