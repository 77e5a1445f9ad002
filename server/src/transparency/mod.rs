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
use evidence::merkle::{self, Hash, Tree};
use tokio::sync::{Mutex, MutexGuard};

use crate::db::Db;
use crate::ledger;
use crate::store::log;

pub mod heads;
pub mod proof;

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
/// returns the log's size. Another sequencer (a second server instance) committing the same
/// leaves first is not an error: the batch is read again after it.
pub async fn sequence(db: &Db) -> Result<u64, sqlx::Error> {
    let mut raced = 0;
    loop {
        match sequence_batch(db).await {
            Ok(Some(size)) => return Ok(size),
            Ok(None) => {}
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() && raced < 20 => {
                raced += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

/// One batch of [`sequence`]: `Some(size)` when nothing was left to sequence.
///
/// What to append is read before the transaction, whose first statement is then a write: on
/// SQLite a transaction that reads before writing cannot wait for another writer (it fails at
/// once with "database is locked"); a leaf appended meanwhile by another sequencer makes the
/// insert fail on the unique keys, and [`sequence`] reads again.
async fn sequence_batch(db: &Db) -> Result<Option<u64>, sqlx::Error> {
    let (next_index, after) = match log::last(db.pool()).await? {
        Some((index, seq)) => (index + 1, seq),
        None => (0, 0),
    };
    let entries = log::unsequenced(db.pool(), after, BATCH).await?;
    if entries.is_empty() {
        return Ok(Some(u64::try_from(next_index).unwrap_or_default()));
    }
    let mut tx = db.begin().await?;
    for (offset, entry) in (0_i64..).zip(&entries) {
        let leaf = merkle::leaf_hash(&leaf_entry(
            &entry.evidence_id,
            entry.recorded_at,
            &entry.sha256,
        ));
        log::insert(&mut *tx, next_index + offset, entry, &ledger::hex(&leaf)).await?;
    }
    tx.commit().await?;
    Ok(None)
}

/// The log as this server instance keeps it: the tree of the stored leaves with the hashes of
/// its complete subtrees ([`Tree`]), so that a head or a proof costs O(log² n) hashes rather
/// than reading and hashing every leaf. Leaves are only ever appended, so the kept tree is
/// brought up to date by reading the leaves after it.
#[derive(Debug, Default)]
pub struct Log {
    tree: Mutex<Tree>,
}

/// An inclusion proof: the evidence's leaf index, and the hashes up to the head.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inclusion {
    pub leaf_index: u64,
    pub proof: Vec<Hash>,
}

impl Log {
    /// Sequences what the journal has that the log has not, then reads the new leaves.
    async fn current(&self, db: &Db) -> Result<MutexGuard<'_, Tree>, sqlx::Error> {
        let mut tree = self.tree.lock().await;
        sequence(db).await?;
        let start = i64::try_from(tree.len()).unwrap_or(i64::MAX);
        for (index, hex) in log::leaves_from(db.pool(), start).await? {
            if usize::try_from(index).ok() != Some(tree.len()) {
                return Err(decode_error(format!(
                    "log_leaf has no leaf {} (next stored: {index})",
                    tree.len()
                )));
            }
            let hash = Sha256::from_hex(&hex).ok_or_else(|| {
                decode_error(format!("log_leaf.leaf_hash is not a SHA-256: {hex}"))
            })?;
            tree.push(hash.0);
        }
        Ok(tree)
    }

    /// The head of the log as sequenced now.
    pub async fn head(&self, db: &Db) -> Result<TreeHead, sqlx::Error> {
        let tree = self.current(db).await?;
        let size = tree.len();
        Ok(TreeHead {
            size: size as u64,
            root: tree.root(size).unwrap_or_default(),
        })
    }

    /// The head of the tree of the first `size` leaves; `None` beyond the log.
    pub async fn root(&self, db: &Db, size: u64) -> Result<Option<Hash>, sqlx::Error> {
        let tree = self.current(db).await?;
        Ok(usize::try_from(size).ok().and_then(|size| tree.root(size)))
    }

    /// Evidence `evidence_id`'s leaf and its inclusion proof in the tree of `size` leaves, if
    /// the evidence is a leaf of that tree.
    pub async fn inclusion(
        &self,
        db: &Db,
        evidence_id: &str,
        size: u64,
    ) -> Result<Option<Inclusion>, sqlx::Error> {
        let tree = self.current(db).await?;
        let Some(index) = log::index_of(db.pool(), evidence_id).await? else {
            return Ok(None);
        };
        let index = u64::try_from(index).unwrap_or(u64::MAX);
        Ok(proof_in(&tree, index, size).map(|proof| Inclusion {
            leaf_index: index,
            proof,
        }))
    }

    /// The inclusion proofs of leaves `indexes` in the tree of `size` leaves (`None` for a
    /// leaf outside that tree), the log brought up to date once for all of them.
    pub async fn inclusion_proofs(
        &self,
        db: &Db,
        indexes: &[u64],
        size: u64,
    ) -> Result<Vec<Option<Vec<Hash>>>, sqlx::Error> {
        let tree = self.current(db).await?;
        Ok(indexes
            .iter()
            .map(|&index| proof_in(&tree, index, size))
            .collect())
    }

    /// The consistency proof between the log's first `old_size` leaves and its first
    /// `new_size`; `None` when the sizes are not two sizes of the log, smaller first.
    pub async fn consistency(
        &self,
        db: &Db,
        old_size: u64,
        new_size: u64,
    ) -> Result<Option<Vec<Hash>>, sqlx::Error> {
        let tree = self.current(db).await?;
        let (Ok(old), Ok(new)) = (usize::try_from(old_size), usize::try_from(new_size)) else {
            return Ok(None);
        };
        Ok(tree.consistency_proof(old, new))
    }
}

/// Leaf `index`'s inclusion proof in the tree of the first `size` leaves of `tree`.
fn proof_in(tree: &Tree, index: u64, size: u64) -> Option<Vec<Hash>> {
    tree.inclusion_proof(usize::try_from(index).ok()?, usize::try_from(size).ok()?)
}

fn decode_error(message: String) -> sqlx::Error {
    sqlx::Error::Decode(message.into())
}

/// The head of the log as a freshly started service computes it from the stored leaves.
pub async fn head(db: &Db) -> Result<TreeHead, sqlx::Error> {
    Log::default().head(db).await
}

/// Evidence `evidence_id`'s leaf index and inclusion proof in the tree of `size` leaves, as a
/// freshly started service computes them from the stored leaves.
pub async fn inclusion(
    db: &Db,
    evidence_id: &str,
    size: u64,
) -> Result<Option<(u64, Vec<Hash>)>, sqlx::Error> {
    let found = Log::default().inclusion(db, evidence_id, size).await?;
    Ok(found.map(|found| (found.leaf_index, found.proof)))
}

/// The consistency proof between two sizes of the log, as a freshly started service computes
/// it from the stored leaves.
pub async fn consistency(
    db: &Db,
    old_size: u64,
    new_size: u64,
) -> Result<Option<Vec<Hash>>, sqlx::Error> {
    Log::default().consistency(db, old_size, new_size).await
}
