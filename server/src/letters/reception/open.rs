//! LET-11: the recipient downloads an attachment of an accepted letter (the first download of
//! each attachment yields an opening evidence), or the sender downloads one of their letter.

use app::api::Caller;
use app::error::AppError;
use app::lifecycle::TransactionEvent;
use domain::ids::TransactionId;
use evidence::pades::{ContentDigest, EvidenceKind};
use serde_json::json;

use super::{Acting, session_access};
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::letters::storage;
use crate::store::attachments::{self, AttachmentRecord};
use crate::store::transactions::{self, TransactionRecord};

/// An attachment to send to the caller: its file, opened, and what the response says of it.
pub struct Download {
    pub file: tokio::fs::File,
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
}

/// Attachment `attachment_id` of the letter of `transaction_id`, for its sender or its
/// identified recipient once the letter is accepted.
pub async fn open(
    state: &AppState,
    caller: &Caller,
    reception_token: Option<&str>,
    transaction_id: &TransactionId,
    attachment_id: &str,
) -> Result<Download, ServerError> {
    // Any transaction of the letter, notified or not, for its sender; the recipient's access
    // below finds only a notified one (issue 10).
    let record = transactions::load(state.db.pool(), transaction_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let attachment =
        attachments::of_letter_by_id(state.db.pool(), &record.letter_id, attachment_id)
            .await?
            .ok_or(AppError::NotFound)?;
    let is_sender = state
        .principal_if_any(caller)
        .await?
        .is_some_and(|p| p.account_id == record.author_id);
    if !is_sender {
        recipient_opens(state, caller, reception_token, &record, &attachment).await?;
    }
    let file = tokio::fs::File::open(storage::path(&state.config, &attachment.storage_key)).await?;
    Ok(Download {
        file,
        name: attachment.name,
        media_type: attachment.media_type,
        size: attachment.size.max(0) as u64,
        sha256: attachment.sha256,
    })
}

/// The recipient's download: allowed once accepted; the first of each attachment is sealed
/// (opening evidence) and every one journaled.
async fn recipient_opens(
    state: &AppState,
    caller: &Caller,
    reception_token: Option<&str>,
    record: &TransactionRecord,
    attachment: &AttachmentRecord,
) -> Result<(), ServerError> {
    let access = session_access(state, caller, reception_token, &record.id).await?;
    if access.identified.is_none() {
        return Err(AppError::NotFound.into());
    }
    if !access.is_addressee() {
        return Err(AppError::NotTheAddressee.into());
    }
    record.status.apply(TransactionEvent::Open, false)?;
    let acting = Acting::of(state, caller, &access).await?;
    let now = state.clock.now();
    if !attachments::was_opened(state.db.pool(), &record.id, &attachment.id).await? {
        let mut evidence = acting.evidence(state, record, EvidenceKind::Opening, now);
        evidence.digests = vec![ContentDigest::sha256_hex(
            attachment.name.clone(),
            Some(attachment.id.clone()),
            attachment.sha256.clone(),
        )];
        let pdf = state.sealer.seal(&evidence).await?;
        let mut tx = state.db.begin().await?;
        let at = now.timestamp_millis();
        if attachments::record_opening(&mut tx, &record.id, &attachment.id, at, &evidence.id)
            .await?
        {
            crate::sealing::store_in(&mut tx, &evidence, &pdf, Some(record.id.as_str())).await?;
        }
        tx.commit().await?;
    }
    let journal = acting.journal(
        caller,
        "attachment_downloaded",
        json!({ "transaction_id": record.id, "attachment_id": attachment.id }),
    );
    audit::record(&state.db, now, &journal).await?;
    Ok(())
}
