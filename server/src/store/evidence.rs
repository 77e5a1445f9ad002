//! The `evidence` table: every sealed evidence PDF, with its kind, time, letter and SHA-256
//! (EVD-01..04). An evidence is journaled by an entry of type `evidence` in the `ledger`
//! (`store::journal`), appended in the same transaction.

use sqlx::{Any, Executor};

/// A sealed evidence to store.
#[derive(Clone, Debug)]
pub struct NewEvidence<'a> {
    pub id: &'a str,
    /// The evidence kind's code (`evidence::pades::EvidenceKind::code`).
    pub kind: &'a str,
    /// The evidence's event time, in milliseconds since the epoch.
    pub created_at: i64,
    pub letter_id: Option<&'a str>,
    pub pdf: &'a [u8],
    /// Lowercase hex SHA-256 of `pdf`.
    pub sha256: &'a str,
}

/// Stores a sealed evidence.
pub async fn insert<'c>(
    executor: impl Executor<'c, Database = Any>,
    evidence: &NewEvidence<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO evidence (id, kind, created_at, letter_id, pdf, sha256) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(evidence.id)
        .bind(evidence.kind)
        .bind(evidence.created_at)
        .bind(evidence.letter_id)
        .bind(evidence.pdf.to_vec())
        .bind(evidence.sha256)
        .execute(executor)
        .await?;
    Ok(())
}

/// The PDF of the evidence `id`, if it is stored.
pub async fn pdf<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar("SELECT pdf FROM evidence WHERE id = $1")
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// The journal position of the evidence whose PDF has this SHA-256, if it was issued here.
pub async fn journal_seq_by_sha256<'c>(
    executor: impl Executor<'c, Database = Any>,
    sha256: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT l.seq FROM evidence e JOIN ledger l ON l.entry_type = 'evidence' AND l.ref_id = e.id \
         WHERE e.sha256 = $1",
    )
    .bind(sha256)
    .fetch_optional(executor)
    .await
}

/// An evidence as the operator's list shows it, with its journal position.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Journaled {
    pub id: String,
    /// The evidence kind's code.
    pub kind: String,
    pub created_at: i64,
    pub sha256: String,
    pub seq: i64,
}

/// The 200 latest evidences, by journal position, newest first.
pub async fn latest<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Vec<Journaled>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.id, e.kind, e.created_at, e.sha256, l.seq FROM evidence e \
         JOIN ledger l ON l.entry_type = 'evidence' AND l.ref_id = e.id \
         ORDER BY l.seq DESC LIMIT 200",
    )
    .fetch_all(executor)
    .await
}

/// An evidence whose stored PDF is due for its long-term extension or renewal.
#[derive(Debug, sqlx::FromRow)]
pub struct LongTermDue {
    pub id: String,
    pub pdf: Vec<u8>,
    pub long_term_until: Option<i64>,
}

/// Up to `limit` evidences still as sealed, or verifiable only until before `before` (ms),
/// oldest first; not those whose last extension failed and that are to be tried again after
/// `now` (ms).
pub async fn long_term_due<'c>(
    executor: impl Executor<'c, Database = Any>,
    before: i64,
    now: i64,
    limit: i64,
) -> Result<Vec<LongTermDue>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, pdf, long_term_until FROM evidence \
         WHERE (long_term_until IS NULL OR long_term_until < $1) \
           AND (long_term_retry_at IS NULL OR long_term_retry_at <= $2) \
         ORDER BY created_at, id LIMIT $3",
    )
    .bind(before)
    .bind(now)
    .bind(limit)
    .fetch_all(executor)
    .await
}

/// Evidence `id`'s extension failed: it is due again at `retry_at` (ms) at the earliest.
pub async fn long_term_retry_at<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    retry_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE evidence SET long_term_retry_at = $1 WHERE id = $2")
        .bind(retry_at)
        .bind(id)
        .execute(executor)
        .await
        .map(|_| ())
}

/// The earliest `long_term_until` of the stored evidences, if every one was extended.
pub async fn next_long_term_due<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MIN(long_term_until) FROM evidence")
        .fetch_one(executor)
        .await
}

/// Replaces evidence `id`'s stored PDF by its extension `pdf` (the same PDF with updates
/// appended), verifiable until `until` (ms), if it is still the version `previous_len` bytes
/// long that was extended (another worker may have extended it meanwhile). Returns whether it
/// was replaced.
pub async fn extend<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    pdf: &[u8],
    until: i64,
    previous_len: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE evidence SET pdf = $1, long_term_until = $2 \
         WHERE id = $3 AND LENGTH(pdf) = $4",
    )
    .bind(pdf.to_vec())
    .bind(until)
    .bind(id)
    .bind(previous_len)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}
