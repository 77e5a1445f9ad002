-- Issue 12 (EVD-05): long-term evidence. The stored PDF of an evidence grows by incremental
-- updates (PAdES-B-LTA: validation data and document time-stamps); `sha256` stays the digest
-- of the PDF as sealed, which the journal and the transparency log record. `long_term_until`
-- is when the stored version stops being verifiable without renewal (milliseconds since the
-- epoch: the end of its last document time-stamp's certificate); NULL while it is as sealed.
ALTER TABLE evidence ADD COLUMN long_term_until BIGINT;
CREATE INDEX evidence_long_term_until ON evidence (long_term_until);
