-- Issue 12: a sealed checkpoint of the journal is also a signed tree head of the transparency
-- log. It states the log's size and its RFC 9162 head (lowercase hex) at the checkpoint, the
-- same values its PDF records (fields log.tree_size, log.root_hash). Checkpoints sealed before
-- this migration state none. Portable SQL (SQLite and PostgreSQL).
ALTER TABLE ledger_checkpoint ADD COLUMN log_size BIGINT;
ALTER TABLE ledger_checkpoint ADD COLUMN log_root TEXT;
CREATE INDEX ledger_checkpoint_log_size ON ledger_checkpoint (log_size);
