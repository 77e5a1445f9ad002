//! The transparency log's table (issue 12): `log_leaf`, one row per leaf in tree order. What a
//! leaf is and how the tree is computed is `crate::transparency`'s; this file only reads and
//! writes the rows.

use sqlx::{Any, Executor};

/// A journal entry of an evidence not yet in the log.
#[derive(Debug, sqlx::FromRow)]
pub struct Unsequenced {
    pub seq: i64,
    pub evidence_id: String,
    pub recorded_at: i64,
    pub sha256: String,
}

/// The last leaf's index and journal entry, if the log has any.
pub async fn last<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT leaf_index, ledger_seq FROM log_leaf ORDER BY leaf_index DESC LIMIT 1")
        .fetch_optional(executor)
        .await
}

/// Up to `limit` evidence entries of the journal after entry `after`, in journal order.
pub async fn unsequenced<'c>(
    executor: impl Executor<'c, Database = Any>,
    after: i64,
    limit: i64,
) -> Result<Vec<Unsequenced>, sqlx::Error> {
    sqlx::query_as(
        "SELECT seq, ref_id AS evidence_id, recorded_at, payload_sha256 AS sha256 FROM ledger \
         WHERE entry_type = 'evidence' AND seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(executor)
    .await
}

/// Appends leaf `index`.
pub async fn insert<'c>(
    executor: impl Executor<'c, Database = Any>,
    index: i64,
    entry: &Unsequenced,
    leaf_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO log_leaf (leaf_index, ledger_seq, evidence_id, leaf_hash) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(index)
    .bind(entry.seq)
    .bind(&entry.evidence_id)
    .bind(leaf_hash)
    .execute(executor)
    .await?;
    Ok(())
}

/// The leaves from index `start` on, in order: (index, hex leaf hash).
pub async fn leaves_from<'c>(
    executor: impl Executor<'c, Database = Any>,
    start: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT leaf_index, leaf_hash FROM log_leaf WHERE leaf_index >= $1 ORDER BY leaf_index",
    )
    .bind(start)
    .fetch_all(executor)
    .await
}

/// The index of evidence `evidence_id`'s leaf, if it is in the log.
pub async fn index_of<'c>(
    executor: impl Executor<'c, Database = Any>,
    evidence_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT leaf_index FROM log_leaf WHERE evidence_id = $1")
        .bind(evidence_id)
        .fetch_optional(executor)
        .await
}
