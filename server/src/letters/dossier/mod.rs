//! The evidence dossier of a transaction (LET-12): a ZIP with every evidence PDF of the
//! transaction in journal order, the identification evidence of both parties (ID-04), the
//! sealed manifest of the dossier (a [`EvidenceKind::DossierManifest`] evidence naming the
//! transaction and every evidence by file name, id and SHA-256, made when the dossier was
//! built) and `manifest.json` listing each file with its SHA-256 (a readable table of contents;
//! the sealed manifest is what proves the dossier complete). Each PDF verifies on its own with
//! `pli verify` or the /verify page; [`verify_zip`] checks the whole.
//!
//! The `log/` folder ([`log`]) carries each evidence's inclusion proof in the transparency log
//! and the sealed tree head the proofs lead to (issue 12).
//!
//! The sealed manifest is journaled as an evidence of the transaction (so the service can show
//! which dossier it issued, and when), and is never itself part of a later dossier's list.

use domain::ids::TransactionId;
use std::io::Write;

use app::api::Caller;
use app::error::AppError;
use domain::time::rfc3339;
use evidence::pades::{ContentDigest, EvidenceKind};
use serde_json::json;

use domain::visibility::{RecipientSight, Reveals};

mod log;

use crate::AppState;
use crate::error::ServerError;
use crate::store::letter_evidence::{self, EvidenceFile};
use crate::store::proofings;
use crate::store::transactions::{self, TransactionRecord};

/// One file of the dossier.
struct Entry {
    name: String,
    evidence_id: String,
    kind: String,
    created_at: i64,
    role: &'static str,
    pdf: Vec<u8>,
}

impl Entry {
    fn of(file: EvidenceFile, role: &'static str) -> Entry {
        Entry {
            name: String::new(),
            evidence_id: file.id,
            kind: file.kind,
            created_at: file.created_at,
            role,
            pdf: file.pdf,
        }
    }
}

/// Who downloads a dossier, and so what it holds.
#[derive(Clone, Copy, Debug)]
pub enum Reader {
    /// The sender: every evidence of the transaction.
    Sender,
    /// The recipient: what the visibility rule admits in the letter's state
    /// (`domain::visibility`, docs/letters.md).
    Recipient(RecipientSight),
}

impl Reader {
    fn admits(self, reveals: Reveals) -> bool {
        match self {
            Reader::Sender => true,
            Reader::Recipient(sight) => sight.dossier_admits(reveals),
        }
    }
}

/// What an evidence of `kind` reveals to a recipient beyond the letter's existence (the
/// contents of each kind: docs/evidence-events.md). Only those revealing nothing may be
/// given to a recipient who has not accepted.
pub fn reveals(kind: EvidenceKind) -> Reveals {
    match kind {
        // The recipient, the letter id, their identification and decision (a notification
        // failure is as the transmission it stands for, issue 10; its recipient never reaches
        // the letter anyway).
        EvidenceKind::Transmission
        | EvidenceKind::NotificationFailure
        | EvidenceKind::Reminder
        | EvidenceKind::Refusal
        | EvidenceKind::Identification
        | EvidenceKind::LedgerCheckpoint => Reveals::Nothing,
        // The sender, the subject or the attachments.
        EvidenceKind::Deposit
        | EvidenceKind::LetterSummary
        | EvidenceKind::Acceptance
        | EvidenceKind::NonClaim
        | EvidenceKind::Opening
        | EvidenceKind::ConsentRequest
        | EvidenceKind::ConsentGranted
        | EvidenceKind::ConsentRefused
        | EvidenceKind::ConsentExpired
        | EvidenceKind::KbisUpload
        | EvidenceKind::PowerOfAttorneyVerification
        | EvidenceKind::LegalRepresentativeConnection
        | EvidenceKind::DocumentUpload
        | EvidenceKind::DocumentPurge
        | EvidenceKind::DossierManifest => Reveals::SenderOrContent,
    }
}

/// Who the caller is to the dossier: the sender, or the recipient with what they may see;
/// [`AppError::NotFound`] for anybody else and for a recipient the rule gives no dossier.
async fn reader(
    state: &AppState,
    caller: &Caller,
    reception_token: Option<&str>,
    record: &TransactionRecord,
) -> Result<Reader, ServerError> {
    if let Some(principal) = state.principal_if_any(caller).await?
        && principal.account_id == record.author_id
    {
        return Ok(Reader::Sender);
    }
    let sight = super::reception::sight(state, caller, reception_token, &record.id).await?;
    if sight.dossier.is_some() {
        Ok(Reader::Recipient(sight))
    } else {
        Err(AppError::NotFound.into())
    }
}

/// The identification evidence `evidence_id` (ID-04) as a file of the dossier, if stored.
async fn identification(
    state: &AppState,
    evidence_id: Option<String>,
    role: &'static str,
) -> Result<Option<Entry>, ServerError> {
    let Some(evidence_id) = evidence_id else {
        return Ok(None);
    };
    let file = letter_evidence::file(state.db.pool(), &evidence_id).await?;
    Ok(file.map(|file| Entry::of(file, role)))
}

/// The evidences of request `member_id` that let a person act for a company (its uploads, its
/// verification, the representative link) as files of the dossier, under `role`.
async fn entity_evidences(
    state: &AppState,
    member_id: &str,
    role: &'static str,
) -> Result<Vec<Entry>, ServerError> {
    let mut entries = Vec::new();
    for evidence_id in crate::entities::evidences_of(state, member_id).await? {
        entries.extend(identification(state, Some(evidence_id), role).await?);
    }
    Ok(entries)
}

/// The dossier's files for `reader`, in order.
async fn entries(
    state: &AppState,
    record: &TransactionRecord,
    reader: Reader,
) -> Result<Vec<Entry>, ServerError> {
    // The sealed manifests of earlier dossiers are journaled with the transaction, but they
    // are not part of what a dossier lists.
    let files = letter_evidence::files(
        state.db.pool(),
        &record.id,
        EvidenceKind::DossierManifest.code(),
    )
    .await?;
    let mut entries: Vec<Entry> = files
        .into_iter()
        .filter(|file| {
            EvidenceKind::from_code(&file.kind).is_some_and(|kind| reader.admits(reveals(kind)))
        })
        .map(|file| {
            let role = if file.kind == EvidenceKind::Identification.code() {
                "recipient-identification"
            } else {
                "letter"
            };
            Entry::of(file, role)
        })
        .collect();
    // ID-04: the sender's identification that allowed sending (it names the sender).
    if let Some(proofing_id) = &record.sender_identification_id
        && reader.admits(Reveals::SenderOrContent)
    {
        let evidence_id = proofings::evidence_of(state.db.pool(), proofing_id).await?;
        if let Some(entry) = identification(state, evidence_id, "sender-identification").await? {
            entries.insert(0, entry);
        }
    }
    // Issue 13 (policy §4.7): sent for a company, the evidences that let the sender act for
    // it — the extracts' and documents' uploads, the verification, the representative link.
    if let Some(member_id) = &record.sender_member_id
        && reader.admits(Reveals::SenderOrContent)
    {
        let at = usize::from(record.sender_identification_id.is_some());
        let company = entity_evidences(state, member_id, "sender-entity").await?;
        entries.splice(at..at, company);
    }
    // The recipient's account identification, when they decided with their account: the
    // proofing that allowed the decision (before issue 10: the account's latest).
    if let Some(account_id) = &record.recipient_account_id {
        let evidence_id = match &record.recipient_identification_id {
            Some(proofing_id) => proofings::evidence_of(state.db.pool(), proofing_id).await?,
            None => proofings::latest_evidence_of_account(state.db.pool(), account_id).await?,
        };
        if let Some(entry) = identification(state, evidence_id, "recipient-identification").await? {
            entries.push(entry);
        }
    }
    // Policy §6.4, §4.7: received for a company, the evidences that let the recipient act for
    // it. They name the recipient and the company, neither the sender nor the content.
    if let Some(member_id) = &record.recipient_member_id {
        entries.extend(entity_evidences(state, member_id, "recipient-entity").await?);
    }
    for (index, entry) in entries.iter_mut().enumerate() {
        entry.name = format!("{:02}-{}-{}.pdf", index + 1, entry.kind, entry.evidence_id);
    }
    Ok(entries)
}

/// The role of the sealed manifest in `manifest.json`.
pub const SEALED_MANIFEST_ROLE: &str = "dossier-manifest";

/// Seals and journals the manifest of a dossier made of `entries`: its file is the last one.
async fn sealed_manifest(
    state: &AppState,
    record: &TransactionRecord,
    entries: &[Entry],
    subject: Option<&str>,
) -> Result<Entry, ServerError> {
    let now = state.clock.now();
    let mut evidence = state.sealer.evidence(EvidenceKind::DossierManifest, now);
    evidence.letter_id = Some(record.id.to_string());
    evidence.subject = subject.map(str::to_owned);
    evidence.digests = entries
        .iter()
        .map(|e| {
            ContentDigest::sha256_hex(
                e.name.clone(),
                Some(e.evidence_id.clone()),
                crate::ledger::sha256_hex(&e.pdf),
            )
        })
        .collect();
    let pdf = state.sealer.seal(&evidence).await.inspect_err(|error| {
        tracing::error!(%error, transaction_id = %record.id, "dossier: sealing the manifest failed");
    })?;
    let mut tx = state.db.begin().await?;
    crate::sealing::store_in(&mut tx, &evidence, &pdf, Some(record.id.as_str())).await?;
    tx.commit().await?;
    let kind = EvidenceKind::DossierManifest.code().to_owned();
    Ok(Entry {
        name: format!("{:02}-{kind}-{}.pdf", entries.len() + 1, evidence.id),
        evidence_id: evidence.id,
        kind,
        created_at: now.timestamp_millis(),
        role: SEALED_MANIFEST_ROLE,
        pdf,
    })
}

/// Builds the ZIP of `record`'s dossier for `reader`.
pub async fn build(
    state: &AppState,
    record: &TransactionRecord,
    reader: Reader,
) -> Result<Vec<u8>, ServerError> {
    let mut entries = entries(state, record, reader).await?;
    let subject = reader
        .admits(Reveals::SenderOrContent)
        .then_some(record.subject.as_str());
    let sealed = sealed_manifest(state, record, &entries, subject).await?;
    entries.push(sealed);
    let log_files = log::files(state, &entries).await?;
    let manifest = json!({
        "format": "pli-evidence-dossier/1",
        "transaction_id": record.id,
        "letter_id": record.letter_id,
        "subject": subject,
        "generated_at": rfc3339(state.clock.now().timestamp_millis()),
        "verify": "Each PDF is a sealed, time-stamped evidence (PAdES-B-T): check it with `pli verify FILE.pdf`, the /verify page of the service, pyHanko or pdfsig. The last one, the dossier manifest (role dossier-manifest), is sealed too: it lists every other evidence of this dossier by file name, evidence id and SHA-256, so that `pli verify DOSSIER.zip` can tell a complete dossier from one missing a file. This file (manifest.json) is a readable table of contents, not sealed. The log/ folder holds each evidence's inclusion proof in the service's public transparency log and the sealed tree head they lead to (see log/inclusion.json).",
        "files": entries.iter().map(|e| json!({
            "name": e.name,
            "role": e.role,
            "kind": e.kind,
            "evidence_id": e.evidence_id,
            "created_at": rfc3339(e.created_at),
            "sha256": crate::ledger::sha256_hex(&e.pdf),
        })).collect::<Vec<_>>(),
    });
    tokio::task::spawn_blocking(move || -> Result<Vec<u8>, zip::result::ZipError> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("manifest.json", options)?;
        zip.write_all(
            serde_json::to_string_pretty(&manifest)
                .unwrap_or_default()
                .as_bytes(),
        )?;
        for entry in &entries {
            zip.start_file(entry.name.as_str(), options)?;
            zip.write_all(&entry.pdf)?;
        }
        for (name, bytes) in &log_files {
            zip.start_file(name.as_str(), options)?;
            zip.write_all(bytes)?;
        }
        Ok(zip.finish()?.into_inner())
    })
    .await?
    .map_err(|error| ServerError::internal(format!("dossier ZIP: {error}")))
}

/// The dossier of `transaction_id` for its sender or its identified recipient once they
/// decided (`GET /letters/{transaction}/dossier.zip`).
pub async fn download(
    state: &AppState,
    caller: &Caller,
    reception_token: Option<&str>,
    transaction_id: &TransactionId,
) -> Result<Vec<u8>, ServerError> {
    let record = transactions::load(state.db.pool(), transaction_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let reader = reader(state, caller, reception_token, &record).await?;
    build(state, &record, reader).await
}

/// One evidence of `transaction_id`'s dossier on its own, as its file name and PDF, for the
/// same readers and under the same visibility rule as the dossier (issue 11: every evidence
/// downloadable on its own, `GET /letters/{transaction}/evidence/{evidence}`).
pub async fn evidence_file(
    state: &AppState,
    caller: &Caller,
    reception_token: Option<&str>,
    transaction_id: &TransactionId,
    evidence_id: &str,
) -> Result<(String, Vec<u8>), ServerError> {
    let record = transactions::load(state.db.pool(), transaction_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let reader = reader(state, caller, reception_token, &record).await?;
    entries(state, &record, reader)
        .await?
        .into_iter()
        .find(|entry| entry.evidence_id == evidence_id)
        .map(|entry| (entry.name, entry.pdf))
        .ok_or_else(|| AppError::NotFound.into())
}

/// The check of one file of a dossier.
#[derive(Clone, Debug)]
pub struct FileCheck {
    pub name: String,
    /// The SHA-256 the manifests state equals the file's: the sealed manifest's (for every
    /// evidence but the sealed manifest itself) and `manifest.json`'s.
    pub listed: bool,
    /// The evidence verifies (seal, chain, time-stamp, integrity).
    pub valid: bool,
    pub kind: Option<String>,
}

/// The result of [`verify_zip`].
#[derive(Clone, Debug, Default)]
pub struct DossierReport {
    /// Why the dossier as a whole is unusable or unproven (not a ZIP, no manifest, no valid
    /// sealed manifest...), if it is.
    pub problem: Option<String>,
    pub files: Vec<FileCheck>,
    /// Files a manifest (sealed or `manifest.json`) lists that the ZIP lacks.
    pub missing: Vec<String>,
    /// The evidence id of the sealed manifest, when one was found valid.
    pub sealed_manifest: Option<String>,
    /// The transparency log's proofs (`log/`), when the dossier has them.
    pub log: Option<log::LogCheck>,
}

impl DossierReport {
    pub fn valid(&self) -> bool {
        self.problem.is_none()
            && self.sealed_manifest.is_some()
            && self.missing.is_empty()
            && !self.files.is_empty()
            && self.files.iter().all(|f| f.listed && f.valid)
            && self.log.as_ref().is_none_or(log::LogCheck::passed)
    }
}

/// Verifies a dossier ZIP (LET-12) for a relying party. The dossier is valid when:
/// - exactly one PDF is a valid sealed manifest ([`EvidenceKind::DossierManifest`]) of the
///   transaction `manifest.json` names;
/// - the ZIP holds exactly the evidences it lists (none missing, none added), each with the
///   SHA-256 it states, and `manifest.json` agrees;
/// - every PDF is a valid evidence for `trust_roots`.
///
/// Never panics.
pub fn verify_zip(bytes: &[u8], trust_roots: &[evidence::Certificate]) -> DossierReport {
    use std::collections::HashMap;
    use std::io::Read;
    let mut report = DossierReport::default();
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(archive) => archive,
        Err(error) => {
            report.problem = Some(format!("not a ZIP archive: {error}"));
            return report;
        }
    };
    let mut manifest = String::new();
    let manifest: serde_json::Value = match archive
        .by_name("manifest.json")
        .map_err(|e| e.to_string())
        .and_then(|mut f| f.read_to_string(&mut manifest).map_err(|e| e.to_string()))
        .and_then(|_| serde_json::from_str(&manifest).map_err(|e| e.to_string()))
    {
        Ok(manifest) => manifest,
        Err(error) => {
            report.problem = Some(format!("no readable manifest.json: {error}"));
            return report;
        }
    };
    let listed: HashMap<String, String> = manifest["files"]
        .as_array()
        .map(|files| {
            files
                .iter()
                .filter_map(|f| {
                    Some((
                        f["name"].as_str()?.to_owned(),
                        f["sha256"].as_str()?.to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|name| name.ok().map(|n| n.into_owned()))
        .collect();
    // Every file, verified: (check, SHA-256, verification report).
    let mut checked = Vec::new();
    let evidence_files = names
        .iter()
        .filter(|n| n.as_str() != "manifest.json" && !n.starts_with(log::DIR));
    for name in evidence_files {
        let mut pdf = Vec::new();
        if archive
            .by_name(name)
            .map_err(|e| e.to_string())
            .and_then(|mut f| f.read_to_end(&mut pdf).map_err(|e| e.to_string()))
            .is_err()
        {
            checked.push((
                FileCheck {
                    name: name.clone(),
                    listed: false,
                    valid: false,
                    kind: None,
                },
                String::new(),
                None,
            ));
            continue;
        }
        let evidence = evidence::verify_pdf(&pdf, trust_roots, None);
        let sha256 = crate::ledger::sha256_hex(&pdf);
        checked.push((
            FileCheck {
                name: name.clone(),
                listed: listed.get(name) == Some(&sha256),
                valid: evidence.valid(),
                kind: evidence.kind.map(|k| k.code().to_owned()),
            },
            sha256,
            Some(evidence),
        ));
    }
    let sealed: Vec<(&String, &evidence::verify::Report)> = checked
        .iter()
        .filter_map(|(check, _, evidence)| {
            evidence
                .as_ref()
                .filter(|e| e.valid() && e.kind == Some(EvidenceKind::DossierManifest))
                .map(|e| (&check.name, e))
        })
        .collect();
    let (sealed_name, sealed) = match sealed.as_slice() {
        [one] => *one,
        [] => {
            report.problem = Some(
                "no valid sealed manifest (DossierManifest evidence): the dossier cannot prove \
                 it is complete"
                    .to_owned(),
            );
            report.files = checked.into_iter().map(|(check, _, _)| check).collect();
            return report;
        }
        _ => {
            report.problem = Some("several sealed manifests in one dossier".to_owned());
            report.files = checked.into_iter().map(|(check, _, _)| check).collect();
            return report;
        }
    };
    let sealed_name = sealed_name.clone();
    let transaction = manifest["transaction_id"].as_str().unwrap_or_default();
    if sealed.letter_id.as_deref() != Some(transaction) {
        report.problem = Some(format!(
            "the sealed manifest is of transaction {}, manifest.json names {transaction:?}",
            sealed.letter_id.as_deref().unwrap_or("(none)")
        ));
    }
    report.sealed_manifest = sealed.evidence_id.clone();
    let sealed_listed: HashMap<String, String> = sealed
        .digests
        .iter()
        .filter(|d| d.algorithm == "SHA-256")
        .map(|d| (d.file_name.clone(), d.hex.clone()))
        .collect();
    for (check, sha256, _) in &mut checked {
        if check.name != sealed_name {
            check.listed &= sealed_listed.get(&check.name) == Some(&*sha256);
        }
    }
    report.files = checked.into_iter().map(|(check, _, _)| check).collect();
    let mut missing: Vec<String> = listed
        .keys()
        .chain(sealed_listed.keys())
        .filter(|name| !names.contains(name))
        .cloned()
        .collect();
    missing.sort();
    missing.dedup();
    report.missing = missing;
    report.log = log::verify(&mut archive, trust_roots);
    report
}
