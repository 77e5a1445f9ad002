-- Issue 13 (OPS-01, OPS-06; policy §13.1.2, §13.1.3, §13.6.4): trusted roles and dual control.

-- A trusted role offered to, held by or taken from an account (`domain::roles`): `status`
-- offered (approved, waiting for the person's explicit acceptance), active, declined or
-- removed. `request_id` is the dual-control request that offered it; NULL for the first
-- security officer, made by the installation ceremony (`pli operators init`).
CREATE TABLE role_assignment (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES account (id),
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    request_id TEXT,
    offered_at BIGINT NOT NULL,
    accepted_at BIGINT,
    ended_at BIGINT
);
CREATE INDEX role_assignment_account ON role_assignment (account_id, status);

-- An operation one trusted person asks for and a second one must approve within 24 hours
-- (`domain::roles::RequestStatus`): `action` grant_role or remove_role, its `payload` (JSON),
-- who asked and who decided.
CREATE TABLE dual_control_request (
    id TEXT PRIMARY KEY,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    requested_by TEXT NOT NULL REFERENCES account (id),
    requested_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    decided_by TEXT REFERENCES account (id),
    decided_at BIGINT,
    reason TEXT
);
CREATE INDEX dual_control_request_status ON dual_control_request (status, expires_at);
