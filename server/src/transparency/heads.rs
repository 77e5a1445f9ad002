//! Signed tree heads (issue 12): a sealed checkpoint of the journal (an evidence of kind
//! LedgerCheckpoint, sealed with the HSM key and time-stamped) states the transparency log's
//! size and head next to the journal's. Published at `/log/heads`; whoever keeps one can later
//! ask for a consistency proof to a newer one, and check an evidence's inclusion against it.

use chrono::{DateTime, Utc};
use evidence::merkle::Hash;

use super::Log;
use crate::db::Db;
use crate::sealing::{self, Issued, Sealer, SealingError};
use crate::store::journal;

/// A published tree head: its size and head, and the checkpoint evidence that signs them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedHead {
    pub evidence_id: String,
    pub size: u64,
    pub root: Hash,
    /// When it was sealed, milliseconds since the epoch.
    pub issued_at: i64,
}

impl SignedHead {
    fn from_row(row: journal::SignedHead) -> Option<SignedHead> {
        Some(SignedHead {
            size: u64::try_from(row.log_size).ok()?,
            root: domain::ids::Sha256::from_hex(&row.log_root)?.0,
            evidence_id: row.evidence_id,
            issued_at: row.created_at,
        })
    }
}

/// Seals a signed tree head of the log as sequenced now, with the journal's checkpoint, if the
/// journal moved since the last one (or the last one states no log head). `None` when there
/// was nothing new to sign.
pub async fn publish(
    db: &Db,
    sealer: &Sealer,
    log: &Log,
    at: DateTime<Utc>,
) -> Result<Option<Issued>, SealingError> {
    let head = log.head(db).await?;
    sealing::checkpoint(db, sealer, at, (head.size, &head.root)).await
}

/// [`publish`] with the service's database, sealer, log and clock, at its time now.
pub async fn publish_now(state: &crate::AppState) -> Result<Option<Issued>, SealingError> {
    publish(&state.db, &state.sealer, &state.log, state.clock.now()).await
}

/// The published heads, largest first, at most `limit`.
pub async fn list(db: &Db, limit: i64) -> Result<Vec<SignedHead>, sqlx::Error> {
    let rows = journal::signed_heads(db.pool(), limit).await?;
    Ok(rows.into_iter().filter_map(SignedHead::from_row).collect())
}

/// The latest published head, if any.
pub async fn latest(db: &Db) -> Result<Option<SignedHead>, sqlx::Error> {
    Ok(list(db, 1).await?.into_iter().next())
}

/// The head signed by checkpoint evidence `evidence_id`.
pub async fn get(db: &Db, evidence_id: &str) -> Result<Option<SignedHead>, sqlx::Error> {
    let row = journal::signed_head(db.pool(), evidence_id).await?;
    Ok(row.and_then(SignedHead::from_row))
}

/// A published head of at least `size` leaves: the latest, or a new one sealed now when the
/// latest is smaller (an evidence issued since the last checkpoint). `None` only when the log
/// itself is smaller than `size`.
pub async fn covering(
    db: &Db,
    sealer: &Sealer,
    log: &Log,
    at: DateTime<Utc>,
    size: u64,
) -> Result<Option<SignedHead>, SealingError> {
    if let Some(head) = latest(db).await?
        && head.size >= size
    {
        return Ok(Some(head));
    }
    publish(db, sealer, log, at).await?;
    Ok(latest(db).await?.filter(|head| head.size >= size))
}
