//! The transparency log's documents as published (JSON) and their offline checks: what
//! `/log/...` answers, what a dossier carries in `log/inclusion.json`, and what `pli verify
//! --head` and `pli log verify` check with nothing but the files a relying party kept.

use evidence::merkle::{self, Hash};
use evidence::pades::{EvidenceKind, keys};
use evidence::verify::Report;
use serde::{Deserialize, Serialize};

use super::heads::SignedHead;
use super::{TreeHead, leaf_entry};
use crate::ledger;

/// Format tag of an inclusion proof document.
pub const INCLUSION_FORMAT: &str = "pli-log-inclusion/1";
/// Format tag of a consistency proof document.
pub const CONSISTENCY_FORMAT: &str = "pli-log-consistency/1";
/// Format tag of a dossier's `log/inclusion.json`.
pub const DOSSIER_FORMAT: &str = "pli-log-dossier/1";

/// A published tree head, as listed at `/log/heads`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct HeadDoc {
    pub tree_size: u64,
    pub root_hash: String,
    /// The checkpoint evidence whose sealed PDF states this head.
    pub evidence_id: String,
    /// RFC 3339, UTC.
    pub issued_at: String,
    /// Where the sealed PDF is published (a path of the service).
    pub pdf: String,
}

impl HeadDoc {
    pub fn of(head: &SignedHead) -> HeadDoc {
        HeadDoc {
            tree_size: head.size,
            root_hash: ledger::hex(&head.root),
            evidence_id: head.evidence_id.clone(),
            issued_at: domain::time::rfc3339(head.issued_at),
            pdf: format!("/log/heads/{}", head.evidence_id),
        }
    }
}

/// An evidence's inclusion proof in the tree of `tree_size` leaves (RFC 9162 §2.1.3).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct InclusionDoc {
    pub format: String,
    pub evidence_id: String,
    pub leaf_index: u64,
    pub tree_size: u64,
    /// The tree head the proof leads to, hex.
    pub root_hash: String,
    /// The checkpoint evidence that signs this head, when it is a published one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_head: Option<String>,
    /// Hex hashes, from the leaf's sibling up.
    pub proof: Vec<String>,
}

/// A consistency proof between two sizes of the log (RFC 9162 §2.1.4).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ConsistencyDoc {
    pub format: String,
    pub from: u64,
    pub to: u64,
    /// Hex hashes.
    pub proof: Vec<String>,
}

/// Hex strings of `hashes`.
pub fn to_hex(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(|hash| ledger::hex(hash)).collect()
}

/// The hashes of hex strings; `None` if one is not a SHA-256.
pub fn from_hex(hex: &[String]) -> Option<Vec<Hash>> {
    hex.iter()
        .map(|h| domain::ids::Sha256::from_hex(h).map(|hash| hash.0))
        .collect()
}

/// The tree head a checkpoint evidence signs, from its verification report: it must be a
/// valid evidence of kind LedgerCheckpoint stating a log size and head.
pub fn signed_head_of(report: &Report) -> Result<TreeHead, String> {
    if !report.valid() {
        return Err("the tree head's PDF is not a valid evidence".to_owned());
    }
    if report.kind != Some(EvidenceKind::LedgerCheckpoint) {
        return Err("the tree head's PDF is not a sealed log checkpoint".to_owned());
    }
    let size = report
        .field(keys::LOG_TREE_SIZE)
        .and_then(|s| s.parse().ok());
    let root = report
        .field(keys::LOG_ROOT_HASH)
        .and_then(domain::ids::Sha256::from_hex);
    match (size, root) {
        (Some(size), Some(root)) => Ok(TreeHead { size, root: root.0 }),
        _ => Err("the checkpoint states no transparency log head (sealed before the log)".into()),
    }
}

/// The leaf hash an evidence stands for, rebuilt from the PDF and its verification report:
/// its id, event time, and the SHA-256 of the PDF as sealed (the bytes its seal covers; a
/// later revision adding validation data does not change it).
pub fn leaf_of(report: &Report, pdf: &[u8]) -> Result<Hash, String> {
    let (Some(id), Some(time), Some(sealed)) =
        (&report.evidence_id, report.event_time, report.sealed(pdf))
    else {
        return Err(
            "the evidence's id, time or signed range (within the file) could not be read"
                .to_owned(),
        );
    };
    let millis = chrono::DateTime::<chrono::Utc>::from(time).timestamp_millis();
    let entry = leaf_entry(id, millis, &ledger::sha256_hex(sealed));
    Ok(merkle::leaf_hash(&entry))
}

/// Checks `doc` against the evidence (its PDF and report) and a tree head the relying party
/// trusts; `Ok` says where the evidence is in the log.
pub fn check_inclusion(
    report: &Report,
    pdf: &[u8],
    head: &TreeHead,
    doc: &InclusionDoc,
) -> Result<String, String> {
    if report.evidence_id.as_deref() != Some(doc.evidence_id.as_str()) {
        return Err(format!(
            "the proof is for evidence {}, not this one",
            doc.evidence_id
        ));
    }
    if doc.tree_size != head.size {
        return Err(format!(
            "the proof is for a tree of {} leaves, the head given has {}",
            doc.tree_size, head.size
        ));
    }
    let proof = from_hex(&doc.proof).ok_or("the proof holds a hash that is not a SHA-256")?;
    let leaf = leaf_of(report, pdf)?;
    if merkle::verify_inclusion(&leaf, doc.leaf_index, head.size, &proof, &head.root) {
        Ok(format!(
            "leaf {} of the tree of {} leaves whose head is {}",
            doc.leaf_index,
            head.size,
            ledger::hex(&head.root)
        ))
    } else {
        Err(format!(
            "the proof does not lead from this evidence (leaf {}) to the head of the tree of {} \
             leaves: the evidence, the proof or the head was changed",
            doc.leaf_index, head.size
        ))
    }
}

/// Checks that the log of head `new` contains the log of head `old`, with `doc`'s proof.
pub fn check_consistency(
    old: &TreeHead,
    new: &TreeHead,
    doc: &ConsistencyDoc,
) -> Result<String, String> {
    if (doc.from, doc.to) != (old.size, new.size) {
        return Err(format!(
            "the proof is from {} to {} leaves, the heads have {} and {}",
            doc.from, doc.to, old.size, new.size
        ));
    }
    let proof = from_hex(&doc.proof).ok_or("the proof holds a hash that is not a SHA-256")?;
    if merkle::verify_consistency(old.size, new.size, &old.root, &new.root, &proof) {
        Ok(format!(
            "the tree of {} leaves contains the tree of {} leaves unchanged",
            new.size, old.size
        ))
    } else {
        Err(format!(
            "the tree of {} leaves is NOT an extension of the tree of {} leaves: an evidence \
             the older head covered was removed, changed or moved",
            new.size, old.size
        ))
    }
}

/// The inclusion proof for evidence `evidence_id` in a JSON document: an inclusion document
/// itself, or a dossier's `log/inclusion.json` that holds one for it.
pub fn find_inclusion(json: &[u8], evidence_id: &str) -> Result<InclusionDoc, String> {
    let value: serde_json::Value =
        serde_json::from_slice(json).map_err(|e| format!("not a JSON document: {e}"))?;
    let candidates = match value["format"].as_str() {
        Some(INCLUSION_FORMAT) => vec![value],
        Some(DOSSIER_FORMAT) => value["proofs"].as_array().cloned().unwrap_or_default(),
        _ => return Err("not an inclusion proof (format pli-log-inclusion/1)".to_owned()),
    };
    candidates
        .into_iter()
        .filter_map(|doc| serde_json::from_value::<InclusionDoc>(doc).ok())
        .find(|doc| doc.evidence_id == evidence_id)
        .ok_or_else(|| format!("no inclusion proof for evidence {evidence_id} in the document"))
}
