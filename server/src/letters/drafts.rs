//! Drafts (LET-01): only their author sees and changes them, always in full. Attachments are
//! received by [`super::upload`].

use app::api::Caller;
use app::error::AppError;
use app::letters::{Attachment, Draft, DraftSummary, RecipientChoice};
use app::lifecycle::{ConsentStatus, LetterStatus, may_send};
use app::validation::{self, MAX_LETTER_BYTES};
use domain::ids::LetterId;

use super::storage;
use crate::AppState;
use crate::account::principal::Principal;
use crate::contacts::consent;
use crate::error::ServerError;
use crate::store::{attachments, contacts, letters};

/// Checks that draft `id` is `author`'s and still a draft.
pub(super) async fn own_draft(
    state: &AppState,
    author: &Principal,
    id: &LetterId,
) -> Result<(), ServerError> {
    match letters::head(state.db.pool(), id).await? {
        Some(head) if head.author_id != author.account_id => Err(AppError::NotFound.into()),
        Some(head) if head.status != LetterStatus::Draft => Err(AppError::LetterSent.into()),
        Some(_) => Ok(()),
        None => Err(AppError::NotFound.into()),
    }
}

/// The attachments of letter `letter_id`, as the pages show them.
pub(super) async fn attachments_of(
    state: &AppState,
    letter_id: &LetterId,
) -> Result<Vec<Attachment>, ServerError> {
    let rows = attachments::of_letter(state.db.pool(), letter_id).await?;
    Ok(rows
        .into_iter()
        .map(|a| Attachment {
            id: a.id,
            name: a.name,
            media_type: a.media_type,
            size: a.size.max(0) as u64,
            sha256: a.sha256,
        })
        .collect())
}

async fn load(state: &AppState, author: &Principal, id: &LetterId) -> Result<Draft, ServerError> {
    own_draft(state, author, id).await?;
    let text = letters::text(state.db.pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let recipients = letters::recipient_ids(state.db.pool(), id).await?;
    let attachments = attachments_of(state, id).await?;
    let used: u64 = attachments.iter().map(|a| a.size).sum();
    Ok(Draft {
        id: id.to_string(),
        subject: text.subject,
        message: text.message,
        recipients,
        attachments,
        updated_at: state.legal_time(text.updated_at),
        bytes_left: MAX_LETTER_BYTES.saturating_sub(used),
    })
}

/// The contacts a sender may choose, with what consent allows (CONS-01, CONS-05).
pub async fn recipient_choices(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<RecipientChoice>, ServerError> {
    let author = state.principal(caller).await?;
    let book = contacts::of_owner(state.db.pool(), &author.account_id).await?;
    let mut choices = Vec::with_capacity(book.len());
    for contact in book {
        let professional = contact.is_professional();
        // CONS-01: the latest consent for this sender and the contact's current address.
        let latest = if professional {
            None
        } else {
            consent::latest(state.db.pool(), &author.account_id, &contact.email_key)
                .await?
                .map(|latest| latest.status)
        };
        let consent =
            (!professional).then(|| latest.map_or("none", ConsentStatus::code).to_owned());
        choices.push(RecipientChoice {
            selectable: may_send(professional, latest),
            contact_id: contact.id,
            name: contact.name,
            email: contact.email,
            professional,
            company_name: contact.company_name,
            consent,
        });
    }
    Ok(choices)
}

pub async fn drafts(state: &AppState, caller: &Caller) -> Result<Vec<DraftSummary>, ServerError> {
    let author = state.principal(caller).await?;
    let rows = letters::drafts_of(state.db.pool(), &author.account_id).await?;
    Ok(rows
        .into_iter()
        .map(|d| DraftSummary {
            id: d.id.to_string(),
            subject: d.subject,
            updated_at: state.legal_time(d.updated_at),
        })
        .collect())
}

pub async fn create(state: &AppState, caller: &Caller) -> Result<LetterId, ServerError> {
    let author = state.principal(caller).await?;
    let id = LetterId(uuid::Uuid::now_v7().to_string());
    letters::insert_draft(
        state.db.pool(),
        &id,
        &author.account_id,
        state.clock.now_ms(),
    )
    .await?;
    Ok(id)
}

pub async fn get(state: &AppState, caller: &Caller, id: &LetterId) -> Result<Draft, ServerError> {
    let author = state.principal(caller).await?;
    load(state, &author, id).await
}

/// Autosave. The subject may be empty or incomplete while drafting (checked at sending); the
/// recipients must be the author's contacts.
pub async fn save(
    state: &AppState,
    caller: &Caller,
    id: &LetterId,
    subject: &str,
    message: &str,
    recipients: &[String],
) -> Result<Draft, ServerError> {
    keep(state, caller, Some(id), subject, message, recipients).await
}

/// A draft's text fields saved by a form posted without JavaScript (issue 11): the draft `id`,
/// or a new one created with them in the same transaction, so that a refused field leaves
/// nothing behind.
pub async fn keep(
    state: &AppState,
    caller: &Caller,
    id: Option<&LetterId>,
    subject: &str,
    message: &str,
    recipients: &[String],
) -> Result<Draft, ServerError> {
    let author = state.principal(caller).await?;
    if let Some(id) = id {
        own_draft(state, &author, id).await?;
    }
    let subject = validation::draft_subject(subject)?;
    let message = validation::message(message)?;
    let mut tx = state.db.begin().await?;
    let id = match id {
        Some(id) => id.clone(),
        None => {
            let id = LetterId(uuid::Uuid::now_v7().to_string());
            letters::insert_draft(&mut *tx, &id, &author.account_id, state.clock.now_ms()).await?;
            id
        }
    };
    write(&mut tx, state, &author, &id, &subject, &message, recipients).await?;
    tx.commit().await?;
    load(state, &author, &id).await
}

/// Writes a draft's subject, message and recipients (the author's contacts, each once).
async fn write(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    state: &AppState,
    author: &Principal,
    id: &LetterId,
    subject: &str,
    message: &str,
    recipients: &[String],
) -> Result<(), ServerError> {
    let now = state.clock.now_ms();
    if !letters::save_draft(&mut **tx, id, &author.account_id, subject, message, now).await? {
        return Err(AppError::LetterSent.into());
    }
    let mut seen = std::collections::HashSet::new();
    let mut chosen = Vec::with_capacity(recipients.len());
    for contact_id in recipients {
        if !seen.insert(contact_id) {
            continue;
        }
        if contacts::owned(&mut **tx, &author.account_id, contact_id)
            .await?
            .is_none()
        {
            return Err(AppError::NotFound.into());
        }
        chosen.push(contact_id);
    }
    letters::set_recipients(tx, id, &chosen).await?;
    Ok(())
}

pub async fn delete(state: &AppState, caller: &Caller, id: &LetterId) -> Result<(), ServerError> {
    let author = state.principal(caller).await?;
    own_draft(state, &author, id).await?;
    let files = attachments::of_letter(state.db.pool(), id).await?;
    let mut tx = state.db.begin().await?;
    letters::delete_draft(&mut tx, id).await?;
    tx.commit().await?;
    for file in files {
        storage::remove(&state.config, &file.storage_key).await;
    }
    Ok(())
}

pub async fn delete_attachment(
    state: &AppState,
    caller: &Caller,
    draft_id: &LetterId,
    attachment_id: &str,
) -> Result<Draft, ServerError> {
    let author = state.principal(caller).await?;
    own_draft(state, &author, draft_id).await?;
    let file = attachments::of_letter_by_id(state.db.pool(), draft_id, attachment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    // Locks the draft against a concurrent sending: an attachment of a sent letter stays.
    if !letters::touch_draft(&mut *tx, draft_id, state.clock.now_ms()).await? {
        return Err(AppError::LetterSent.into());
    }
    attachments::delete(&mut *tx, attachment_id).await?;
    tx.commit().await?;
    storage::remove(&state.config, &file.storage_key).await;
    load(state, &author, draft_id).await
}
