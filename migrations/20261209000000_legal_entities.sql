-- Issue 13 (ID-05..ID-07; policy §4.2, §4.5, §4.7): legal entities, the people acting for
-- them, and the documents of their manual verification (`domain::entities`).

-- A company of the French or Luxembourg trade register, by its normalised number.
CREATE TABLE legal_entity (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    registry TEXT NOT NULL,
    registry_number TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (registry, registry_number)
);

-- A person's request to act for a company, as its legal representative or a delegate
-- (`domain::entities::MemberStatus`: draft, pending, verified, rejected, revoked).
-- `representative_name`: the natural person named as legal representative at the end of the
-- chain of extracts (for a delegate, who signed the power of attorney). The evidences: the
-- verification (a delegate's power of attorney, ID-06) and the representative link (§4.7).
CREATE TABLE entity_member (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL REFERENCES legal_entity (id),
    account_id TEXT NOT NULL REFERENCES account (id),
    role TEXT NOT NULL,
    representative_name TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    submitted_at BIGINT,
    decided_at BIGINT,
    decided_by TEXT REFERENCES account (id),
    reason TEXT,
    verification_evidence_id TEXT,
    connection_evidence_id TEXT,
    ended_at BIGINT,
    ended_by TEXT REFERENCES account (id)
);
CREATE INDEX entity_member_account ON entity_member (account_id, status);
CREATE INDEX entity_member_entity ON entity_member (entity_id, status);
CREATE INDEX entity_member_status ON entity_member (status, submitted_at);

-- A document of a request (`domain::entities::DocumentKind`). An extract names its company
-- (`company_*`) and the company leading it (`led_by_number`, NULL: a natural person).
-- `content` is NULL once purged (ID-07); the SHA-256 and the evidences stay.
CREATE TABLE entity_document (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES entity_member (id),
    kind TEXT NOT NULL,
    issued_on TEXT,
    company_name TEXT,
    company_registry TEXT,
    company_number TEXT,
    led_by_number TEXT,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA,
    uploaded_by TEXT NOT NULL REFERENCES account (id),
    uploaded_at BIGINT NOT NULL,
    upload_evidence_id TEXT NOT NULL,
    purged_at BIGINT,
    purge_evidence_id TEXT
);
CREATE INDEX entity_document_member ON entity_document (member_id);
