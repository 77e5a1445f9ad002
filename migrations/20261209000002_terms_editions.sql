-- OPS-07 (policy §1.2.3-§1.2.5): each new edition of a published document is announced to the
-- users once, by email, at least a month before it applies; the row records that it was (one
-- server instance sends the emails, whichever writes the row first).
CREATE TABLE terms_announcement (
    kind TEXT NOT NULL,
    version TEXT NOT NULL,
    announced_at BIGINT NOT NULL,
    recipients BIGINT NOT NULL,
    PRIMARY KEY (kind, version)
);
