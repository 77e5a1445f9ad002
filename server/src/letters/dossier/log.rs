//! The dossier's part of the transparency log (issue 12): `log/inclusion.json` holds each
//! evidence's inclusion proof in a published tree head, and `log/tree-head-<size>.pdf` is that
//! head's sealed checkpoint. Whoever keeps the dossier can check, with nothing else, that every
//! evidence in it is in the log the service publishes; and later, with the service's
//! consistency proof, that the log still holds it.

use std::io::Read;

use serde_json::json;

use super::Entry;
use crate::AppState;
use crate::error::ServerError;
use crate::store;
use crate::transparency::heads;
use crate::transparency::proof::{self, DOSSIER_FORMAT, HeadDoc, INCLUSION_FORMAT, InclusionDoc};

/// The folder of the dossier's log files.
pub const DIR: &str = "log/";
/// The proofs' file.
pub const PROOFS: &str = "log/inclusion.json";

/// The log files for `entries`: the proofs and the head's PDF, as (name, bytes). A head is
/// sealed now if the latest published one is older than the newest of these evidences.
pub(super) async fn files(
    state: &AppState,
    entries: &[Entry],
) -> Result<Vec<(String, Vec<u8>)>, ServerError> {
    let db = &state.db;
    let head = state.log.head(db).await?;
    let mut indexes = Vec::new();
    for entry in entries {
        let index = store::log::index_of(db.pool(), &entry.evidence_id).await?;
        indexes.push(index.and_then(|index| u64::try_from(index).ok()));
    }
    let needed = indexes.iter().flatten().max().map_or(0, |last| last + 1);
    let at = state.clock.now();
    let Some(signed) = heads::covering(db, &state.sealer, &state.log, at, needed).await? else {
        return Err(ServerError::internal(format!(
            "no tree head covers {needed} leaves (the log has {})",
            head.size
        )));
    };
    let head_pdf = store::evidence::pdf(db.pool(), &signed.evidence_id)
        .await?
        .ok_or_else(|| ServerError::internal("a signed tree head's PDF is missing"))?;
    let head_file = format!("{DIR}tree-head-{}.pdf", signed.size);
    // The evidences in the log, with their proofs in the signed head's tree (all at once).
    let in_log: Vec<(&Entry, u64)> = entries
        .iter()
        .zip(&indexes)
        .filter_map(|(entry, index)| index.map(|index| (entry, index)))
        .collect();
    let leaves: Vec<u64> = in_log.iter().map(|(_, index)| *index).collect();
    let found = state.log.inclusion_proofs(db, &leaves, signed.size).await?;
    let mut proofs = Vec::new();
    for ((entry, leaf_index), found) in in_log.into_iter().zip(found) {
        let Some(found) = found else {
            continue; // Not in the signed head's tree.
        };
        let doc = InclusionDoc {
            format: INCLUSION_FORMAT.to_owned(),
            evidence_id: entry.evidence_id.clone(),
            leaf_index,
            tree_size: signed.size,
            root_hash: crate::ledger::hex(&signed.root),
            signed_head: Some(signed.evidence_id.clone()),
            proof: proof::to_hex(&found),
        };
        let mut value = serde_json::to_value(doc).unwrap_or_default();
        value["file"] = json!(entry.name);
        proofs.push(value);
    }
    let document = json!({
        "format": DOSSIER_FORMAT,
        "verify": "Each proof shows that the evidence is a leaf of the service's transparency log \
                   (RFC 9162 Merkle tree) whose head the sealed checkpoint head_file states: \
                   `pli verify EVIDENCE.pdf --head HEAD.pdf --proof log/inclusion.json`. Whether \
                   the log still holds it later: fetch /log/consistency?from=SIZE&to=NEWER from \
                   the service and run `pli log verify`.",
        "head": HeadDoc::of(&signed),
        "head_file": head_file,
        "proofs": proofs,
    });
    let json = serde_json::to_vec_pretty(&document).unwrap_or_default();
    Ok(vec![(PROOFS.to_owned(), json), (head_file, head_pdf)])
}

/// The check of a dossier's log files.
#[derive(Clone, Debug)]
pub struct LogCheck {
    /// The head the proofs lead to, or why it cannot be trusted.
    pub head: Result<String, String>,
    /// Each proof: the file it is for, and its check.
    pub proofs: Vec<(String, Result<String, String>)>,
}

impl LogCheck {
    pub fn passed(&self) -> bool {
        self.head.is_ok() && self.proofs.iter().all(|(_, check)| check.is_ok())
    }
}

/// Checks the log files of a dossier, if it has them (`None`: a dossier made before the log).
pub fn verify<R: std::io::Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    trust_roots: &[evidence::Certificate],
) -> Option<LogCheck> {
    let read = |archive: &mut zip::ZipArchive<R>, name: &str| -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        archive
            .by_name(name)
            .map_err(|e| format!("{name}: {e}"))?
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{name}: {e}"))?;
        Ok(bytes)
    };
    let json = read(archive, PROOFS).ok()?;
    let document: serde_json::Value = match serde_json::from_slice(&json) {
        Ok(document) => document,
        Err(error) => {
            return Some(LogCheck {
                head: Err(format!("{PROOFS} is not JSON: {error}")),
                proofs: Vec::new(),
            });
        }
    };
    let head_file = document["head_file"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let head = read(archive, &head_file)
        .and_then(|pdf| proof::signed_head_of(&evidence::verify_pdf(&pdf, trust_roots, None)));
    let mut check = LogCheck {
        head: head.as_ref().map_err(Clone::clone).map(|head| {
            format!(
                "tree of {} leaves, head {}, sealed in {head_file}",
                head.size,
                crate::ledger::hex(&head.root)
            )
        }),
        proofs: Vec::new(),
    };
    for doc in document["proofs"].as_array().into_iter().flatten() {
        let file = doc["file"].as_str().unwrap_or_default().to_owned();
        let result = match (&head, serde_json::from_value::<InclusionDoc>(doc.clone())) {
            (Err(_), _) => Err("no trusted head to check against".to_owned()),
            (_, Err(error)) => Err(format!("unreadable proof: {error}")),
            (Ok(head), Ok(doc)) => read(archive, &file).and_then(|pdf| {
                let report = evidence::verify_pdf(&pdf, trust_roots, None);
                proof::check_inclusion(&report, &pdf, head, &doc)
            }),
        };
        check.proofs.push((file, result));
    }
    Some(check)
}
