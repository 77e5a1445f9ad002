//! The public transparency log of evidence (issue 12): every evidence of the journal is a leaf
//! of a Merkle tree in the style of RFC 9162 ([`evidence::merkle`]), in the journal's order.
//! Whoever keeps a tree head can later check that an evidence is in the log (an inclusion
//! proof) and that a later head still contains everything the kept one did (a consistency
//! proof): a deleted or back-dated evidence shows.
//!
//! Leaves are sequenced from the journal after the fact ([`sequence`]), never in the
//! transaction that issues an evidence: the journal stays the one place an evidence is
//! recorded, evidences issued before the log existed become leaves too, and a sequencer that
//! races another one (several server instances) fails on the table's unique keys instead of
//! writing a second tree.

use domain::ids::Sha256;
use evidence::merkle::{self, Hash};

use crate::db::Db;
use crate::ledger;
use crate::store::log;

/// The version tag that starts every leaf entry.
const LEAF_VERSION: &str = "pli-log-v1";

/// How many journal entries one sequencing transaction takes at most.
const BATCH: i64 = 5_000;

/// The bytes a leaf stands for: the evidence's id, its time (milliseconds since the epoch, as
/// in the journal and the evidence's XML) and the SHA-256 of the PDF as sealed, each on its
/// line after the version tag. A relying party rebuilds it from the evidence alone.
pub fn leaf_entry(evidence_id: &str, recorded_at: i64, sha256: &str) -> Vec<u8> {
    format!("{LEAF_VERSION}\n{evidence_id}\n{recorded_at}\n{sha256}").into_bytes()
}

/// A tree head: how many leaves, and the tree's hash over them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeHead {
    pub size: u64,
    pub root: Hash,
}

/// Appends the journal's evidence entries not yet in the log as leaves, in journal order;
/// returns the log's size.
pub async fn sequence(db: &Db) -> Result<u64, sqlx::Error> {
    loop {
        let mut tx = db.pool().begin().await?;
        let (next_index, after) = match log::last(&mut *tx).await? {
            Some((index, seq)) => (index + 1, seq),
            None => (0, 0),
        };
        let entries = log::unsequenced(&mut *tx, after, BATCH).await?;
        if entries.is_empty() {
            return Ok(u64::try_from(next_index).unwrap_or_default());
        }
        for (offset, entry) in (0_i64..).zip(&entries) {
            let leaf = merkle::leaf_hash(&leaf_entry(
                &entry.evidence_id,
                entry.recorded_at,
                &entry.sha256,
            ));
            log::insert(&mut *tx, next_index + offset, entry, &ledger::hex(&leaf)).await?;
        }
        tx.commit().await?;
    }
}

/// The hashes of the log's first `size` leaves.
pub async fn leaves(db: &Db, size: u64) -> Result<Vec<Hash>, sqlx::Error> {
    let size = i64::try_from(size).unwrap_or(i64::MAX);
    let stored = log::leaf_hashes(db.pool(), size).await?;
    stored
        .iter()
        .map(|hex| {
            Sha256::from_hex(hex).map(|hash| hash.0).ok_or_else(|| {
                sqlx::Error::Decode(format!("log_leaf.leaf_hash is not a SHA-256: {hex}").into())
            })
        })
        .collect()
}

/// The head of the log as sequenced now.
pub async fn head(db: &Db) -> Result<TreeHead, sqlx::Error> {
    let size = sequence(db).await?;
    let leaves = leaves(db, size).await?;
    Ok(TreeHead {
        size: leaves.len() as u64,
        root: merkle::root(&leaves),
    })
}

/// Evidence `evidence_id`'s leaf index and its inclusion proof in the tree of `size` leaves,
/// if the evidence is a leaf of that tree.
pub async fn inclusion(
    db: &Db,
    evidence_id: &str,
    size: u64,
) -> Result<Option<(u64, Vec<Hash>)>, sqlx::Error> {
    let Some(index) = log::index_of(db.pool(), evidence_id).await? else {
        return Ok(None);
    };
    let index = u64::try_from(index).unwrap_or(u64::MAX);
    let leaves = leaves(db, size).await?;
    let Ok(position) = usize::try_from(index) else {
        return Ok(None);
    };
    Ok(merkle::inclusion_proof(&leaves, position).map(|proof| (index, proof)))
}

/// The consistency proof between the log's first `old_size` leaves and its first `new_size`.
pub async fn consistency(
    db: &Db,
    old_size: u64,
    new_size: u64,
) -> Result<Option<Vec<Hash>>, sqlx::Error> {
    let leaves = leaves(db, new_size).await?;
    if (leaves.len() as u64) < new_size {
        return Ok(None);
    }
    let Ok(old) = usize::try_from(old_size) else {
        return Ok(None);
    };
    Ok(merkle::consistency_proof(&leaves, old))
}
