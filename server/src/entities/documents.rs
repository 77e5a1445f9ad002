//! The documents of a request (ID-05..ID-07): uploaded to a draft, each with its sealed upload
//! evidence (a [`EvidenceKind::KbisUpload`] for an extract, a [`EvidenceKind::DocumentUpload`]
//! otherwise: who, file name, id, SHA-256); read back by the request's owner and by an
//! identity-check operator until purged.

use app::api::Caller;
use app::error::AppError;
use chrono::TimeDelta;
use domain::entities::{
    self as rules, DOCUMENT_MAX_BYTES, DocumentKind, PURGE_AFTER_DAYS, Registry,
};
use domain::roles::TrustedRole;
use evidence::pades::{ContentDigest, EvidenceKind, Party, keys};
use serde_json::json;

use super::{event, own_draft};
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::jobs::NewJob;
use crate::store::entities::{self as rows, Document};

/// A document as the web layer received it (a multipart form).
#[derive(Debug, Default)]
pub struct Upload {
    pub kind: String,
    pub issued_on: String,
    pub company_name: String,
    pub registry: String,
    pub number: String,
    pub led_by: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The media type of `bytes` by their first bytes: PDF, JPEG or PNG, nothing else.
fn media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

/// The label of a document kind in an evidence, French then English.
fn kind_label(kind: DocumentKind) -> String {
    let label = app::texts::entities::document_label(kind);
    format!("{} / {}", label.0, label.1)
}

/// Stores a document of the caller's draft `member_id` with its upload evidence; for a
/// document kept only for the verification, schedules its purge.
pub async fn upload(
    state: &AppState,
    caller: &Caller,
    member_id: &str,
    upload: Upload,
) -> Result<Document, ServerError> {
    let person = state.principal(caller).await?;
    let member = own_draft(state, &person, member_id).await?;
    let kind = DocumentKind::from_code(upload.kind.trim()).ok_or(AppError::NotFound)?;
    let file_name = app::validation::file_name(&upload.file_name)?;
    let size = upload.bytes.len() as u64;
    let media_type = media_type(&upload.bytes)
        .filter(|_| size > 0 && size <= DOCUMENT_MAX_BYTES)
        .ok_or(rules_invalid(domain::Invalid::DocumentFile))?;
    let now = state.clock.now();
    let issued_on = if kind.dated() {
        let date = rules::date(&upload.issued_on)?;
        rules::fresh(date, now.date_naive())?;
        Some(date.format("%Y-%m-%d").to_string())
    } else {
        None
    };
    // An extract names its company (by default the request's) and the company leading it.
    let (company, led_by) = if kind == DocumentKind::Kbis {
        let registry = match upload.registry.trim() {
            "" => Registry::from_code(&member.registry),
            code => Registry::from_code(code),
        }
        .ok_or(AppError::NotFound)?;
        let number = match upload.number.trim() {
            "" => member.registry_number.clone(),
            number => registry.number(number)?,
        };
        let name = match upload.company_name.trim() {
            "" if number == member.registry_number => member.entity_name.clone(),
            name => rules::company_name(name)?,
        };
        let led_by = match upload.led_by.trim() {
            "" => None,
            leader => Some(registry.number(leader)?),
        };
        (Some((name, registry, number)), led_by)
    } else {
        (None, None)
    };
    let sha256 = crate::ledger::sha256_hex(&upload.bytes);
    let id = uuid::Uuid::now_v7().to_string();
    let evidence_kind = if kind == DocumentKind::Kbis {
        EvidenceKind::KbisUpload
    } else {
        EvidenceKind::DocumentUpload
    };
    let mut evidence = state.sealer.evidence(evidence_kind, now);
    evidence.user = Some(Party::new(
        person.name.clone(),
        person.account_id.clone(),
        person.email.clone(),
    ));
    evidence.digests = vec![ContentDigest::sha256_hex(
        file_name.clone(),
        Some(id.clone()),
        sha256.clone(),
    )];
    if let Some((name, registry, number)) = &company {
        evidence = evidence
            .with_field(keys::COMPANY_NAME, name.clone())
            .with_field(keys::COMPANY_RCS, registry.display(number));
    } else {
        evidence = evidence.with_field(keys::DOCUMENT_KIND, kind_label(kind));
    }
    let pdf = state.sealer.seal(&evidence).await?;
    let document = Document {
        id: id.clone(),
        member_id: member_id.to_owned(),
        kind: kind.code().to_owned(),
        issued_on,
        company_name: company.as_ref().map(|c| c.0.clone()),
        company_registry: company.as_ref().map(|c| c.1.code().to_owned()),
        company_number: company.as_ref().map(|c| c.2.clone()),
        led_by_number: led_by,
        file_name,
        media_type: media_type.to_owned(),
        size: size as i64,
        sha256,
        uploaded_by: person.account_id.clone(),
        uploaded_at: now.timestamp_millis(),
        upload_evidence_id: evidence.id.clone(),
        purged_at: None,
        purge_evidence_id: None,
    };
    let mut tx = state.db.begin().await?;
    crate::sealing::store_in(&mut tx, &evidence, &pdf, None).await?;
    rows::insert_document(&mut *tx, &document, &upload.bytes).await?;
    let details = json!({
        "member_id": member_id,
        "document_id": id,
        "kind": kind.code(),
        "sha256": document.sha256,
        "evidence_id": evidence.id,
    });
    audit::record_in(
        &mut tx,
        now,
        &event(&person.account_id, "document_uploaded", details),
    )
    .await?;
    if kind.purged() {
        let job = NewJob {
            kind: super::purge::PURGE_JOB.to_owned(),
            payload: json!({ "member_id": member_id }),
            due_at: now + TimeDelta::days(PURGE_AFTER_DAYS),
            unique_key: Some(format!("entity-purge:{id}")),
            max_attempts: 20,
        };
        state.jobs.enqueue_in(&mut tx, &job).await?;
    }
    tx.commit().await?;
    Ok(document)
}

fn rules_invalid(reason: domain::Invalid) -> ServerError {
    ServerError::User(AppError::Invalid(reason))
}

/// Document `document_id` (its record and content) for its request's owner or an
/// identity-check operator; [`AppError::DocumentPurged`] once purged.
pub async fn read(
    state: &AppState,
    caller: &Caller,
    document_id: &str,
) -> Result<(Document, Vec<u8>), ServerError> {
    let person = state.principal(caller).await?;
    let document = rows::document(state.db.pool(), document_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let member = rows::member(state.db.pool(), &document.member_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if member.account_id != person.account_id {
        let operator = state.operator(caller).await?;
        operator.require(TrustedRole::IdentityCheckOperator)?;
    }
    let content = rows::content(state.db.pool(), document_id)
        .await?
        .ok_or(AppError::DocumentPurged)?;
    Ok((document, content))
}
