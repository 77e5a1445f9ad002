//! What each party sees of sent letters: the sender's dashboard (all of it, at any time) and
//! the recipient's inbox (only what the transaction's state allows, LET-05, LET-10).

use app::api::Caller;
use app::error::AppError;
use app::letters::{EvidenceRef, InboxItem, SentLetter, SentTransaction};

use super::record::{self, TransactionRecord};
use super::rfc3339;
use crate::AppState;
use crate::deadline::Deadlines;
use crate::services::internal;

/// A transaction's evidence, in journal order (without the sealed manifests of the dossiers
/// downloaded: they are about the dossier, not a step of the letter).
pub async fn evidence_of(
    state: &AppState,
    transaction_id: &str,
) -> Result<Vec<EvidenceRef>, AppError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT e.id, e.kind, e.created_at FROM evidence e \
         JOIN ledger l ON l.entry_type = 'evidence' AND l.ref_id = e.id \
         WHERE e.letter_id = $1 AND e.kind <> $2 ORDER BY l.seq",
    )
    .bind(transaction_id)
    .bind(evidence::pades::EvidenceKind::DossierManifest.code())
    .fetch_all(state.db.pool())
    .await
    .map_err(internal)?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, created_at)| {
            let known = evidence::pades::EvidenceKind::from_code(&kind);
            EvidenceRef {
                title_fr: known.map_or(kind.clone(), |k| k.title_fr().to_owned()),
                title_en: known.map_or(kind.clone(), |k| k.title_en().to_owned()),
                id,
                kind,
                created_at: rfc3339(created_at),
            }
        })
        .collect())
}

async fn sent_transaction(
    state: &AppState,
    record: &TransactionRecord,
) -> Result<SentTransaction, AppError> {
    let deadlines = Deadlines::new(record.notified(), state.legal_zone());
    Ok(SentTransaction {
        id: record.id.clone(),
        recipient_name: record.recipient_name.clone(),
        recipient_email: record.recipient_email.clone(),
        recipient_company: record.recipient_company.clone(),
        status: record.status,
        opened: record.opened_at.is_some(),
        notified_at: rfc3339(record.notified_at),
        expires_at: rfc3339(record.expires_at),
        last_day: deadlines.last_day.to_string(),
        decided_at: record.decided_at.map(rfc3339),
        opened_at: record.opened_at.map(rfc3339),
        evidence: evidence_of(state, &record.id).await?,
    })
}

/// One of the caller's sent letters.
pub async fn sent_letter(
    state: &AppState,
    caller: Caller,
    id: String,
) -> Result<SentLetter, AppError> {
    let sender = state.principal(&caller).await?;
    let row: Option<(String, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT author_id, subject, message, sent_at FROM letter WHERE id = $1 AND status = 'sent'",
    )
    .bind(&id)
    .fetch_optional(state.db.pool())
    .await
    .map_err(internal)?;
    let (author, subject, message, sent_at) = row.ok_or(AppError::NotFound)?;
    if author != sender.account_id {
        return Err(AppError::NotFound);
    }
    let records = record::load_where(state.db.pool(), "t.letter_id = $1", &id)
        .await
        .map_err(internal)?;
    let mut transactions = Vec::with_capacity(records.len());
    for record in &records {
        transactions.push(sent_transaction(state, record).await?);
    }
    transactions.sort_by(|a, b| a.recipient_name.cmp(&b.recipient_name));
    Ok(SentLetter {
        attachments: super::drafts::attachments_of(state, &id).await?,
        id,
        subject,
        message,
        sent_at: sent_at.map(rfc3339).unwrap_or_default(),
        transactions,
    })
}

/// The caller's sent letters, newest first, filtered by a transaction status (or `opened`)
/// and a subject search.
pub async fn sent_letters(
    state: &AppState,
    caller: Caller,
    status: Option<String>,
    query: Option<String>,
) -> Result<Vec<SentLetter>, AppError> {
    let sender = state.principal(&caller).await?;
    let ids: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, subject FROM letter WHERE author_id = $1 AND status = 'sent' \
         ORDER BY sent_at DESC, id DESC LIMIT 500",
    )
    .bind(&sender.account_id)
    .fetch_all(state.db.pool())
    .await
    .map_err(internal)?;
    let needle = query
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    let status = status.filter(|s| !s.is_empty() && s != "all");
    let mut letters = Vec::new();
    for (id, subject) in ids {
        if needle
            .as_ref()
            .is_some_and(|needle| !subject.to_lowercase().contains(needle))
        {
            continue;
        }
        let letter = sent_letter(state, caller.clone(), id).await?;
        let keep = match status.as_deref() {
            None => true,
            Some("opened") => letter.transactions.iter().any(|t| t.opened),
            Some(wanted) => letter
                .transactions
                .iter()
                .any(|t| t.status.code() == wanted),
        };
        if keep {
            letters.push(letter);
        }
    }
    Ok(letters)
}

/// The signed-in recipient's received letters (LET-05: sender and subject only after
/// acceptance; LET-10: an expired letter shows only that it expired).
pub async fn inbox(state: &AppState, caller: Caller) -> Result<Vec<InboxItem>, AppError> {
    let recipient = state.principal(&caller).await?;
    let records = record::load_where(
        state.db.pool(),
        "t.recipient_email_key = $1",
        &recipient.email_key,
    )
    .await
    .map_err(internal)?;
    Ok(records
        .into_iter()
        .map(|record| {
            let deadlines = Deadlines::new(record.notified(), state.legal_zone());
            let accepted = record.status.recipient_sees_content();
            InboxItem {
                transaction_id: record.id.clone(),
                status: record.status,
                notified_at: rfc3339(record.notified_at),
                expires_at: rfc3339(record.expires_at),
                last_day: deadlines.last_day.to_string(),
                sender_name: accepted.then(|| record.sender_name.clone()),
                subject: accepted.then(|| record.subject.clone()),
            }
        })
        .collect())
}
