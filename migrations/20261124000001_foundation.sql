-- Foundation tables. Portable SQL: the same file runs on SQLite and PostgreSQL.
-- Times are BIGINT milliseconds since the Unix epoch (UTC), from the service clock.

-- The development clock's offset (one row at most; development mode only).
CREATE TABLE dev_clock (
    id INTEGER PRIMARY KEY,
    offset_ms BIGINT NOT NULL
);

-- The development mailbox: every email "sent" in development mode, exactly as SMTP would
-- have carried it (raw), plus the parts the mailbox page shows.
CREATE TABLE dev_mailbox (
    id TEXT PRIMARY KEY,
    sent_at BIGINT NOT NULL,
    mail_from TEXT NOT NULL,
    mail_to TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT,
    raw TEXT NOT NULL
);
CREATE INDEX dev_mailbox_sent_at ON dev_mailbox (sent_at);
