//! What each party sees of sent letters: the sender's dashboard (all of it, at any time) and
//! the recipient's inbox (only what the transaction's state allows, LET-05, LET-10).

use app::api::Caller;
use app::error::AppError;
use app::letters::{EvidenceRef, InboxItem, SentLetter, SentTransaction};
use app::lifecycle::LetterStatus;
use domain::ids::{LetterId, TransactionId};
use domain::time::rfc3339;
use domain::visibility::recipient_sight;
use evidence::pades::EvidenceKind;

use crate::AppState;
use crate::deadline::Deadlines;
use crate::error::ServerError;
use crate::store::letter_evidence;
use crate::store::letters;
use crate::store::transactions::{self, TransactionRecord};

/// A transaction's evidence, in journal order (without the sealed manifests of the dossiers
/// downloaded: they are about the dossier, not a step of the letter).
pub async fn evidence_of(
    state: &AppState,
    transaction_id: &TransactionId,
) -> Result<Vec<EvidenceRef>, ServerError> {
    let steps = letter_evidence::steps(
        state.db.pool(),
        transaction_id,
        EvidenceKind::DossierManifest.code(),
    )
    .await?;
    Ok(steps
        .into_iter()
        .map(|step| {
            let known = EvidenceKind::from_code(&step.kind);
            EvidenceRef {
                title_fr: known.map_or(step.kind.clone(), |k| k.title_fr().to_owned()),
                title_en: known.map_or(step.kind.clone(), |k| k.title_en().to_owned()),
                id: step.id,
                kind: step.kind,
                created_at: rfc3339(step.created_at),
            }
        })
        .collect())
}

async fn sent_transaction(
    state: &AppState,
    record: &TransactionRecord,
) -> Result<SentTransaction, ServerError> {
    // Until the hand-over (or without it) there is no notification instant nor period.
    let notified = record.status.is_notified();
    let deadlines = Deadlines::new(record.notified(), state.legal_zone());
    Ok(SentTransaction {
        id: record.id.to_string(),
        recipient_name: record.recipient_name.clone(),
        recipient_email: record.recipient_email.clone(),
        recipient_company: record.recipient_company.clone(),
        status: record.status,
        opened: record.opened_at.is_some(),
        notified_at: notified.then(|| rfc3339(record.notified_at)),
        expires_at: notified.then(|| rfc3339(record.expires_at)),
        last_day: notified.then(|| deadlines.last_day.to_string()),
        decided_at: record.decided_at.map(rfc3339),
        opened_at: record.opened_at.map(rfc3339),
        evidence: evidence_of(state, &record.id).await?,
    })
}

/// One of the caller's sent letters.
pub async fn sent_letter(
    state: &AppState,
    caller: &Caller,
    id: &LetterId,
) -> Result<SentLetter, ServerError> {
    let sender = state.principal(caller).await?;
    letter_of(state, &sender.account_id, id).await
}

/// Sent letter `id` of `author_id`, with its transactions.
async fn letter_of(
    state: &AppState,
    author_id: &str,
    id: &LetterId,
) -> Result<SentLetter, ServerError> {
    let letter = letters::text(state.db.pool(), id)
        .await?
        .filter(|l| l.status == LetterStatus::Sent && l.author_id == author_id)
        .ok_or(AppError::NotFound)?;
    let records = transactions::of_letter(state.db.pool(), id).await?;
    let mut transactions = Vec::with_capacity(records.len());
    for record in &records {
        transactions.push(sent_transaction(state, record).await?);
    }
    transactions.sort_by(|a, b| a.recipient_name.cmp(&b.recipient_name));
    Ok(SentLetter {
        attachments: super::drafts::attachments_of(state, id).await?,
        id: id.to_string(),
        subject: letter.subject,
        message: letter.message,
        sent_at: letter.sent_at.map(rfc3339).unwrap_or_default(),
        transactions,
    })
}

/// The caller's sent letters, newest first, filtered by a transaction status (or `opened`)
/// and a subject search.
pub async fn sent_letters(
    state: &AppState,
    caller: &Caller,
    status: Option<String>,
    query: Option<String>,
) -> Result<Vec<SentLetter>, ServerError> {
    let sender = state.principal(caller).await?;
    let sent = letters::sent_of(state.db.pool(), &sender.account_id).await?;
    let needle = query
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    let status = status.filter(|s| !s.is_empty() && s != "all");
    let mut found = Vec::new();
    for row in sent {
        if needle
            .as_ref()
            .is_some_and(|needle| !row.subject.to_lowercase().contains(needle))
        {
            continue;
        }
        let letter = letter_of(state, &sender.account_id, &row.id).await?;
        let keep = match status.as_deref() {
            None => true,
            Some("opened") => letter.transactions.iter().any(|t| t.opened),
            Some(wanted) => letter
                .transactions
                .iter()
                .any(|t| t.status.code() == wanted),
        };
        if keep {
            found.push(letter);
        }
    }
    Ok(found)
}

/// The signed-in recipient's received letters, each as the visibility rule lets this account
/// see it (`domain::visibility`: sender and subject only after acceptance, to the addressee
/// proven by the account's identity proofing; LET-05, LET-10) — once notified (issue 10).
pub async fn inbox(state: &AppState, caller: &Caller) -> Result<Vec<InboxItem>, ServerError> {
    let recipient = state.principal(caller).await?;
    let verified = state.verified_identity(caller, &recipient).await?;
    let records = transactions::to_address(state.db.pool(), &recipient.email_key).await?;
    Ok(records
        .into_iter()
        .filter(|record| record.status.is_notified())
        .map(|record| {
            let deadlines = Deadlines::new(record.notified(), state.legal_zone());
            let viewer =
                super::reception::viewer_of(&record, verified.as_ref().map(|v| v.name.as_str()));
            let accepted = recipient_sight(record.status, viewer).content;
            InboxItem {
                transaction_id: record.id.to_string(),
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
