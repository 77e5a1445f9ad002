//! The evidence dossier of a transaction (LET-12): a ZIP with every evidence PDF of the
//! transaction in journal order, the identification evidence of both parties (ID-04), and
//! `manifest.json` listing each file with its SHA-256. Each PDF verifies on its own with
//! `pli verify` or the /verify page.

use std::io::Write;

use app::api::Caller;
use app::error::AppError;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::record::{self, TransactionRecord};
use super::rfc3339;
use crate::AppState;
use crate::services::internal;

/// One file of the dossier.
struct Entry {
    name: String,
    evidence_id: String,
    kind: String,
    created_at: i64,
    role: &'static str,
    pdf: Vec<u8>,
}

/// Who may download: the sender, or the identified recipient.
async fn authorised(
    state: &AppState,
    caller: &Caller,
    reception_token: Option<String>,
    record: &TransactionRecord,
) -> Result<(), AppError> {
    if let Some(principal) = state.principal_if_any(caller).await?
        && principal.account_id == record.author_id
    {
        return Ok(());
    }
    let view =
        super::reception::view(state, caller.clone(), reception_token, &record.id, None).await?;
    if view.dossier {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

async fn evidence_pdf(
    state: &AppState,
    id: &str,
) -> Result<Option<(String, i64, Vec<u8>)>, AppError> {
    sqlx::query_as("SELECT kind, created_at, pdf FROM evidence WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.pool())
        .await
        .map_err(internal)
}

/// The dossier's files, in order.
async fn entries(state: &AppState, record: &TransactionRecord) -> Result<Vec<Entry>, AppError> {
    let rows: Vec<(String, String, i64, Vec<u8>)> = sqlx::query_as(
        "SELECT e.id, e.kind, e.created_at, e.pdf FROM evidence e \
         JOIN ledger l ON l.entry_type = 'evidence' AND l.ref_id = e.id \
         WHERE e.letter_id = $1 ORDER BY l.seq",
    )
    .bind(&record.id)
    .fetch_all(state.db.pool())
    .await
    .map_err(internal)?;
    let mut entries: Vec<Entry> = rows
        .into_iter()
        .map(|(evidence_id, kind, created_at, pdf)| Entry {
            name: String::new(),
            role: if kind == evidence::pades::EvidenceKind::Identification.code() {
                "recipient-identification"
            } else {
                "letter"
            },
            evidence_id,
            kind,
            created_at,
            pdf,
        })
        .collect();
    // ID-04: the sender's identification that allowed sending.
    if let Some(proofing_id) = &record.sender_identification_id {
        let evidence_id: Option<(Option<String>,)> =
            sqlx::query_as("SELECT evidence_id FROM identity_proofing WHERE id = $1")
                .bind(proofing_id)
                .fetch_optional(state.db.pool())
                .await
                .map_err(internal)?;
        if let Some((Some(evidence_id),)) = evidence_id
            && let Some((kind, created_at, pdf)) = evidence_pdf(state, &evidence_id).await?
        {
            entries.insert(
                0,
                Entry {
                    name: String::new(),
                    evidence_id,
                    kind,
                    created_at,
                    role: "sender-identification",
                    pdf,
                },
            );
        }
    }
    // The recipient's account identification, when they decided with their account.
    if let Some(account_id) = &record.recipient_account_id {
        let evidence_id: Option<(Option<String>,)> = sqlx::query_as(
            "SELECT evidence_id FROM identity_proofing WHERE account_id = $1 \
             AND status = 'succeeded' AND evidence_id IS NOT NULL \
             ORDER BY finished_at DESC LIMIT 1",
        )
        .bind(account_id)
        .fetch_optional(state.db.pool())
        .await
        .map_err(internal)?;
        if let Some((Some(evidence_id),)) = evidence_id
            && let Some((kind, created_at, pdf)) = evidence_pdf(state, &evidence_id).await?
        {
            entries.push(Entry {
                name: String::new(),
                evidence_id,
                kind,
                created_at,
                role: "recipient-identification",
                pdf,
            });
        }
    }
    for (index, entry) in entries.iter_mut().enumerate() {
        entry.name = format!("{:02}-{}-{}.pdf", index + 1, entry.kind, entry.evidence_id);
    }
    Ok(entries)
}

/// Builds the ZIP of `record`'s dossier.
pub async fn build(state: &AppState, record: &TransactionRecord) -> Result<Vec<u8>, AppError> {
    let entries = entries(state, record).await?;
    let manifest = json!({
        "format": "pli-evidence-dossier/1",
        "transaction_id": record.id,
        "letter_id": record.letter_id,
        "subject": record.subject,
        "generated_at": rfc3339(state.clock.now().timestamp_millis()),
        "verify": "Each PDF is a sealed, time-stamped evidence (PAdES-B-T): check it with `pli verify FILE.pdf`, the /verify page of the service, pyHanko or pdfsig. The SHA-256 below lets you check that a file is the one issued.",
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
        Ok(zip.finish()?.into_inner())
    })
    .await
    .map_err(internal)?
    .map_err(internal)
}

/// `GET /letters/{transaction}/dossier.zip`.
pub async fn download(
    state: &AppState,
    caller: Caller,
    reception_token: Option<String>,
    transaction_id: &str,
) -> Result<Response, AppError> {
    let record = record::load(state.db.pool(), transaction_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    authorised(state, &caller, reception_token, &record).await?;
    let zip = build(state, &record).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/zip".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                super::reception::content_disposition(&format!("pli-dossier-{transaction_id}.zip")),
            ),
        ],
        zip,
    )
        .into_response())
}

/// The check of one file of a dossier.
#[derive(Clone, Debug)]
pub struct FileCheck {
    pub name: String,
    /// The SHA-256 the manifest states equals the file's.
    pub listed: bool,
    /// The evidence verifies (seal, chain, time-stamp, integrity).
    pub valid: bool,
    pub kind: Option<String>,
}

/// The result of [`verify_zip`].
#[derive(Clone, Debug, Default)]
pub struct DossierReport {
    /// Why the dossier as a whole is unusable (not a ZIP, no manifest...), if it is.
    pub problem: Option<String>,
    pub files: Vec<FileCheck>,
    /// Files the manifest lists that the ZIP lacks.
    pub missing: Vec<String>,
}

impl DossierReport {
    pub fn valid(&self) -> bool {
        self.problem.is_none()
            && self.missing.is_empty()
            && !self.files.is_empty()
            && self.files.iter().all(|f| f.listed && f.valid)
    }
}

/// Verifies a dossier ZIP (LET-12) for a relying party: the manifest lists every PDF with its
/// SHA-256, and each PDF is a valid evidence for `trust_roots`. Never panics.
pub fn verify_zip(bytes: &[u8], trust_roots: &[evidence::Certificate]) -> DossierReport {
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
    let listed: std::collections::HashMap<String, String> = manifest["files"]
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
    for name in names.iter().filter(|n| n.as_str() != "manifest.json") {
        let mut pdf = Vec::new();
        if archive
            .by_name(name)
            .map_err(|e| e.to_string())
            .and_then(|mut f| f.read_to_end(&mut pdf).map_err(|e| e.to_string()))
            .is_err()
        {
            report.files.push(FileCheck {
                name: name.clone(),
                listed: false,
                valid: false,
                kind: None,
            });
            continue;
        }
        let evidence = evidence::verify_pdf(&pdf, trust_roots, None);
        report.files.push(FileCheck {
            name: name.clone(),
            listed: listed.get(name) == Some(&crate::ledger::sha256_hex(&pdf)),
            valid: evidence.valid(),
            kind: evidence.kind.map(|k| k.code().to_owned()),
        });
    }
    report.missing = listed
        .keys()
        .filter(|name| !names.contains(name))
        .cloned()
        .collect();
    report.missing.sort();
    report
}
