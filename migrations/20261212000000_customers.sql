-- Issue 13 (policy §4.3, §4.4): customers and who may send (`domain::customers`).
--
-- A customer (a person or a company) with the contract a business operator recorded.
-- `origin`: `operator` (recorded from the back office by `recorded_by`), or `development`
-- (the development contract simulator of the embedded defaults, never in production).
CREATE TABLE customer (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    registry TEXT,
    registry_number TEXT,
    contract_reference TEXT NOT NULL,
    contract_signed_on TEXT NOT NULL,
    status TEXT NOT NULL,
    origin TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES account (id),
    recorded_at BIGINT NOT NULL,
    ended_by TEXT REFERENCES account (id),
    ended_at BIGINT
);
CREATE UNIQUE INDEX customer_contract_reference ON customer (contract_reference);

-- The accounts that send for a customer (`domain::customers::CustomerRole`); `status` active
-- or removed. An account is an active user of one customer at a time.
CREATE TABLE customer_user (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer (id),
    account_id TEXT NOT NULL REFERENCES account (id),
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    invitation_id TEXT,
    joined_at BIGINT NOT NULL,
    removed_by TEXT REFERENCES account (id),
    removed_at BIGINT
);
CREATE UNIQUE INDEX customer_user_active ON customer_user (account_id) WHERE status = 'active';
CREATE INDEX customer_user_customer ON customer_user (customer_id, status);

-- An invitation to become a user of a customer, sent to an address (`email_key` as in
-- `account`), valid 15 days (`domain::customers::InvitationStatus`: pending, accepted,
-- declined, withdrawn).
CREATE TABLE customer_invitation (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer (id),
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    role TEXT NOT NULL,
    invited_by TEXT NOT NULL REFERENCES account (id),
    invited_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    answered_at BIGINT
);
CREATE INDEX customer_invitation_email ON customer_invitation (email_key, status);
CREATE INDEX customer_invitation_customer ON customer_invitation (customer_id, status);

-- The customer a letter was sent for (its sender's, at sending): its administrators see it.
ALTER TABLE letter ADD COLUMN customer_id TEXT;
CREATE INDEX letter_customer ON letter (customer_id);
