//! The journal: one append-only hash chain over every evidence document and every recorded
//! event (OPS-02, OPS-03, AUTH-05). Each entry links to the previous one, so that deleting,
//! reordering or altering an entry — or the document or event it covers — breaks the chain
//! at that point, which [`verify`] reports. Checkpoints of the head are sealed and
//! time-stamped as evidence themselves, so that a rewrite of the whole chain is detectable too.

use sha2::{Digest, Sha256};
use sqlx::{Any, Transaction};

use crate::db::Db;
use crate::store::{self, journal};

/// The link of an empty chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryType {
    /// A sealed evidence PDF (table `evidence`); the payload hash is the PDF's SHA-256.
    Evidence,
    /// A recorded event (table `audit_event`); the payload hash is its JSON document's SHA-256.
    Event,
}

impl EntryType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryType::Evidence => "evidence",
            EntryType::Event => "event",
        }
    }
}

/// An appended entry.
pub use crate::store::journal::Entry;

/// Lowercase hex of SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex SHA-256 of an evidence PDF as sealed: the bytes its seal covers, without the
/// long-term updates (validation data, document time-stamps) appended since. What the journal
/// records for an evidence.
pub fn sealed_sha256_hex(pdf: &[u8]) -> String {
    let sealed = evidence::verify::sealed_length(pdf).unwrap_or(pdf.len());
    sha256_hex(pdf.get(..sealed).unwrap_or(pdf))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The link hash of an entry: it binds the entry's position, identity, time and payload to
/// everything before it.
pub fn link_hash(
    seq: i64,
    entry_type: &str,
    ref_id: &str,
    recorded_at: i64,
    payload_sha256: &str,
    prev_hash: &str,
) -> String {
    sha256_hex(
        format!(
            "pli-ledger-v1|{seq}|{entry_type}|{ref_id}|{recorded_at}|{payload_sha256}|{prev_hash}"
        )
        .as_bytes(),
    )
}

/// Appends an entry inside `tx`, so that it commits (or rolls back) with what it records.
/// Appends are serialised by the head row: its update is the transaction's first write, which
/// takes the row lock on PostgreSQL and the write lock on SQLite.
pub async fn append(
    tx: &mut Transaction<'_, Any>,
    entry_type: EntryType,
    ref_id: &str,
    recorded_at: i64,
    payload_sha256: &str,
) -> Result<Entry, sqlx::Error> {
    let journal::Head {
        seq,
        link_hash: prev_hash,
    } = journal::next_seq(&mut **tx).await?;
    let entry_type = entry_type.as_str();
    let link = link_hash(
        seq,
        entry_type,
        ref_id,
        recorded_at,
        payload_sha256,
        &prev_hash,
    );
    let entry = Entry {
        seq,
        entry_type: entry_type.to_owned(),
        ref_id: ref_id.to_owned(),
        recorded_at,
        payload_sha256: payload_sha256.to_owned(),
        prev_hash,
        link_hash: link,
    };
    journal::insert_entry(&mut **tx, &entry).await?;
    journal::set_head_link(&mut **tx, &entry.link_hash).await?;
    Ok(entry)
}

/// The current head: number of entries and last link.
pub async fn head(db: &Db) -> Result<(i64, String), sqlx::Error> {
    let head = journal::head(db.pool()).await?;
    Ok((head.seq, head.link_hash))
}

/// The first problem found in the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// Entry `expected` is missing (the next one present is `found`, or none).
    Missing { expected: i64, found: Option<i64> },
    /// Entry `seq` does not link to its predecessor, or its own link hash is wrong.
    BrokenLink { seq: i64 },
    /// The document or event that entry `seq` covers is gone or altered.
    AlteredPayload { seq: i64, ref_id: String },
    /// The head row disagrees with the last entry (entries removed from the end, or head forged).
    Head { head_seq: i64, last_seq: i64 },
    /// A sealed checkpoint states a head that the chain no longer has at that entry: the chain
    /// was rewritten after the checkpoint was sealed.
    Checkpoint { evidence_id: String, seq: i64 },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Missing {
                expected,
                found: Some(found),
            } => {
                write!(f, "entry {expected} is missing (next present: {found})")
            }
            Break::Missing {
                expected,
                found: None,
            } => write!(f, "entry {expected} is missing"),
            Break::BrokenLink { seq } => {
                write!(f, "entry {seq} does not link to entry {}", seq - 1)
            }
            Break::AlteredPayload { seq, ref_id } => {
                write!(
                    f,
                    "entry {seq}: what it records ({ref_id}) was altered or removed"
                )
            }
            Break::Head { head_seq, last_seq } => {
                write!(
                    f,
                    "the head says {head_seq} entries but the last entry is {last_seq}"
                )
            }
            Break::Checkpoint { evidence_id, seq } => write!(
                f,
                "sealed checkpoint {evidence_id} does not match entry {seq}: the chain was rewritten"
            ),
        }
    }
}

/// The result of a full walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub entries: i64,
    pub head: String,
    pub first_break: Option<Break>,
}

/// Walks the whole chain in order, recomputing every link and every payload hash; stops at the
/// first break.
pub async fn verify(db: &Db) -> Result<Report, sqlx::Error> {
    let (head_seq, head_link) = head(db).await?;
    let rows = journal::entries(db.pool()).await?;
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_owned();
    let report = |first_break| Report {
        entries: rows.len() as i64,
        head: head_link.clone(),
        first_break,
    };
    for entry in &rows {
        let seq = entry.seq;
        if seq != expected_seq {
            return Ok(report(Some(Break::Missing {
                expected: expected_seq,
                found: Some(seq),
            })));
        }
        if entry.prev_hash != prev
            || entry.link_hash
                != link_hash(
                    seq,
                    &entry.entry_type,
                    &entry.ref_id,
                    entry.recorded_at,
                    &entry.payload_sha256,
                    &entry.prev_hash,
                )
        {
            return Ok(report(Some(Break::BrokenLink { seq })));
        }
        if payload_hash(db, &entry.entry_type, &entry.ref_id)
            .await?
            .as_deref()
            != Some(entry.payload_sha256.as_str())
        {
            return Ok(report(Some(Break::AlteredPayload {
                seq,
                ref_id: entry.ref_id.clone(),
            })));
        }
        prev = entry.link_hash.clone();
        expected_seq += 1;
    }
    let last_seq = expected_seq - 1;
    if head_seq > last_seq {
        return Ok(report(Some(Break::Missing {
            expected: last_seq + 1,
            found: None,
        })));
    }
    if head_seq != last_seq || head_link != prev {
        return Ok(report(Some(Break::Head { head_seq, last_seq })));
    }
    for checkpoint in journal::checkpoints(db.pool()).await? {
        let seq = checkpoint.last_seq;
        let link = usize::try_from(seq - 1)
            .ok()
            .and_then(|i| rows.get(i))
            .map(|entry| &entry.link_hash);
        if link != Some(&checkpoint.head_hash) {
            return Ok(report(Some(Break::Checkpoint {
                evidence_id: checkpoint.evidence_id,
                seq,
            })));
        }
    }
    Ok(report(None))
}

/// The SHA-256 of what an entry covers, recomputed from the stored bytes.
async fn payload_hash(
    db: &Db,
    entry_type: &str,
    ref_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    Ok(match entry_type {
        "evidence" => store::evidence::pdf(db.pool(), ref_id)
            .await?
            .map(|pdf| sealed_sha256_hex(&pdf)),
        "event" => journal::event_document(db.pool(), ref_id)
            .await?
            .map(|document| sha256_hex(document.as_bytes())),
        _ => None,
    })
}
