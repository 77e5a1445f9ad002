-- Issue 13 (OPS-08; eIDAS Art. 19(2); policy §13.9): the security-incident register.
-- Portable SQL (SQLite and PostgreSQL); times are BIGINT milliseconds (UTC); flags BIGINT 0/1.

-- An incident (`domain::incidents`): `status` open, qualified, notified or closed; `severity`
-- low, medium, high or critical. Each step keeps when and by whom it was taken: opened on
-- detection (`detected_at`, from which the 24-hour report deadline runs), qualified (is it a
-- personal-data breach; is confidentiality, integrity or availability affected; the
-- assessment), notified (the supervisory body and the affected users: to whom, how, which
-- reference), closed (the summary of the causes and the measures taken).
CREATE TABLE incident (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    detected_at BIGINT NOT NULL,
    opened_at BIGINT NOT NULL,
    opened_by TEXT NOT NULL REFERENCES account (id),
    qualified_at BIGINT,
    qualified_by TEXT REFERENCES account (id),
    personal_data BIGINT,
    confidentiality BIGINT,
    integrity BIGINT,
    availability BIGINT,
    assessment TEXT,
    notified_at BIGINT,
    notified_by TEXT REFERENCES account (id),
    notice TEXT,
    closed_at BIGINT,
    closed_by TEXT REFERENCES account (id),
    summary TEXT
);
CREATE INDEX incident_opened ON incident (opened_at);

-- A letter an incident affects (its sender and recipients are the affected users), named by
-- whom and when.
CREATE TABLE incident_letter (
    incident_id TEXT NOT NULL REFERENCES incident (id),
    letter_id TEXT NOT NULL REFERENCES letter (id),
    added_at BIGINT NOT NULL,
    added_by TEXT NOT NULL REFERENCES account (id),
    PRIMARY KEY (incident_id, letter_id)
);
