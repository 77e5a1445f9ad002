//! The journal's tables (OPS-02, OPS-03, AUTH-05): `audit_event` (recorded events),
//! `ledger` (the hash chain's entries), `ledger_head` (its one head row) and
//! `ledger_checkpoint` (the sealed checkpoints of the head). The chain's rules — how a link is
//! computed, what a break is — are the ledger's (`crate::ledger`); this file only reads and
//! writes the rows.

use sqlx::{Any, Executor};

/// A recorded event, as stored: its JSON document and the columns it is searched by.
#[derive(Clone, Debug)]
pub struct NewEvent<'a> {
    pub id: &'a str,
    /// Milliseconds since the epoch.
    pub recorded_at: i64,
    pub category: &'a str,
    pub action: &'a str,
    pub actor: Option<&'a str>,
    pub document: &'a str,
}

/// Stores a recorded event (its journal entry is appended separately, in the same
/// transaction).
pub async fn insert_event<'c>(
    executor: impl Executor<'c, Database = Any>,
    event: &NewEvent<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_event (id, recorded_at, category, action, actor, document) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(event.id)
    .bind(event.recorded_at)
    .bind(event.category)
    .bind(event.action)
    .bind(event.actor)
    .bind(event.document)
    .execute(executor)
    .await?;
    Ok(())
}

/// The JSON document of the recorded event `id`, if it is still there.
pub async fn event_document<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT document FROM audit_event WHERE id = $1")
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// A recorded event as the auditor reads it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRow {
    pub id: String,
    pub recorded_at: i64,
    pub category: String,
    pub action: String,
    pub actor: Option<String>,
    /// The JSON document whose SHA-256 the journal's entry holds.
    pub document: String,
}

/// Up to `limit` events recorded in [`from`, `to`) (ms), oldest first.
pub async fn events_between<'c>(
    executor: impl Executor<'c, Database = Any>,
    from: i64,
    to: i64,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, recorded_at, category, action, actor, document FROM audit_event \
         WHERE recorded_at >= $1 AND recorded_at < $2 ORDER BY recorded_at, id LIMIT $3",
    )
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(executor)
    .await
}

/// The head of the chain: how many entries it has, and the link hash of the last one.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Head {
    pub seq: i64,
    pub link_hash: String,
}

/// An entry of the chain (table `ledger`).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Entry {
    pub seq: i64,
    /// What the entry covers: `evidence` or `event`.
    pub entry_type: String,
    /// The id of the evidence or event it covers.
    pub ref_id: String,
    pub recorded_at: i64,
    pub payload_sha256: String,
    pub prev_hash: String,
    pub link_hash: String,
}

/// The current head.
pub async fn head<'c>(executor: impl Executor<'c, Database = Any>) -> Result<Head, sqlx::Error> {
    sqlx::query_as("SELECT seq, link_hash FROM ledger_head WHERE id = 1")
        .fetch_one(executor)
        .await
}

/// Takes the next sequence number: moves the head's `seq` on by one and returns it with the
/// link hash of the entry before it. The head row is the transaction's first write, which
/// serialises appends (the row lock on PostgreSQL, the write lock on SQLite).
pub async fn next_seq<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Head, sqlx::Error> {
    sqlx::query_as("UPDATE ledger_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, link_hash")
        .fetch_one(executor)
        .await
}

/// Stores an entry.
pub async fn insert_entry<'c>(
    executor: impl Executor<'c, Database = Any>,
    entry: &Entry,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO ledger (seq, entry_type, ref_id, recorded_at, payload_sha256, prev_hash, link_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.seq)
    .bind(&entry.entry_type)
    .bind(&entry.ref_id)
    .bind(entry.recorded_at)
    .bind(&entry.payload_sha256)
    .bind(&entry.prev_hash)
    .bind(&entry.link_hash)
    .execute(executor)
    .await?;
    Ok(())
}

/// Makes `link_hash` the head's last link (after [`next_seq`] and [`insert_entry`]).
pub async fn set_head_link<'c>(
    executor: impl Executor<'c, Database = Any>,
    link_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE ledger_head SET link_hash = $1 WHERE id = 1")
        .bind(link_hash)
        .execute(executor)
        .await?;
    Ok(())
}

/// Every entry, in chain order.
pub async fn entries<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Vec<Entry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT seq, entry_type, ref_id, recorded_at, payload_sha256, prev_hash, link_hash FROM ledger ORDER BY seq",
    )
    .fetch_all(executor)
    .await
}

/// A sealed checkpoint of the head: the evidence that states it, and the head it states.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Checkpoint {
    pub evidence_id: String,
    pub last_seq: i64,
    pub head_hash: String,
}

/// Every checkpoint, oldest first.
pub async fn checkpoints<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Vec<Checkpoint>, sqlx::Error> {
    sqlx::query_as(
        "SELECT evidence_id, last_seq, head_hash FROM ledger_checkpoint ORDER BY last_seq",
    )
    .fetch_all(executor)
    .await
}

/// The latest checkpoint: its evidence, the last entry it covers and whether it states a
/// transparency log head (checkpoints sealed before the log did not).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LastCheckpoint {
    pub evidence_id: String,
    pub last_seq: i64,
    pub log_size: Option<i64>,
}

/// The latest checkpoint, if any.
pub async fn last_checkpoint<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Option<LastCheckpoint>, sqlx::Error> {
    sqlx::query_as(
        "SELECT evidence_id, last_seq, log_size FROM ledger_checkpoint ORDER BY last_seq DESC \
         LIMIT 1",
    )
    .fetch_optional(executor)
    .await
}

/// Records a checkpoint: the evidence `evidence_id` states that entry `last_seq` has the link
/// hash `head_hash`, and that the transparency log's first `log.0` leaves have the head `log.1`
/// (hex).
pub async fn insert_checkpoint<'c>(
    executor: impl Executor<'c, Database = Any>,
    checkpoint: &Checkpoint,
    log: (i64, &str),
    created_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO ledger_checkpoint (evidence_id, last_seq, head_hash, created_at, log_size, \
         log_root) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&checkpoint.evidence_id)
    .bind(checkpoint.last_seq)
    .bind(&checkpoint.head_hash)
    .bind(created_at)
    .bind(log.0)
    .bind(log.1)
    .execute(executor)
    .await?;
    Ok(())
}

/// A signed tree head of the transparency log: the checkpoint evidence that states it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SignedHead {
    pub evidence_id: String,
    pub log_size: i64,
    /// Lowercase hex.
    pub log_root: String,
    /// Milliseconds since the epoch.
    pub created_at: i64,
}

const SIGNED_HEADS: &str = "SELECT evidence_id, log_size, log_root, created_at FROM \
                            ledger_checkpoint WHERE log_size IS NOT NULL";

/// The signed tree heads, largest first, at most `limit`.
pub async fn signed_heads<'c>(
    executor: impl Executor<'c, Database = Any>,
    limit: i64,
) -> Result<Vec<SignedHead>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SIGNED_HEADS} ORDER BY log_size DESC, last_seq DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(executor)
    .await
}

/// The signed tree head stated by checkpoint evidence `evidence_id`.
pub async fn signed_head<'c>(
    executor: impl Executor<'c, Database = Any>,
    evidence_id: &str,
) -> Result<Option<SignedHead>, sqlx::Error> {
    sqlx::query_as(&format!("{SIGNED_HEADS} AND evidence_id = $1"))
        .bind(evidence_id)
        .fetch_optional(executor)
        .await
}
