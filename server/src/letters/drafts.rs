//! Drafts (LET-01): only their author sees and changes them, always in full; attachments are
//! uploaded with the browser's SHA-256 and hashed again here (LET-02).

use app::api::Caller;
use app::error::AppError;
use app::letters::{Attachment, Draft, DraftSummary, RecipientChoice};
use app::lifecycle::{ConsentStatus, may_send};
use app::validation::{self, Invalid, MAX_ATTACHMENTS, MAX_LETTER_BYTES};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::{rfc3339, storage};
use crate::AppState;
use crate::account::principal::Principal;
use crate::contacts::consent;
use crate::services::internal;

/// A draft's row, checked to belong to `author` and to be still a draft.
async fn own_draft(state: &AppState, author: &Principal, id: &str) -> Result<(), AppError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT author_id, status FROM letter WHERE id = $1")
            .bind(id)
            .fetch_optional(state.db.pool())
            .await
            .map_err(internal)?;
    match row {
        Some((owner, _)) if owner != author.account_id => Err(AppError::NotFound),
        Some((_, status)) if status != "draft" => Err(AppError::LetterSent),
        Some(_) => Ok(()),
        None => Err(AppError::NotFound),
    }
}

pub(super) async fn attachments_of(
    state: &AppState,
    letter_id: &str,
) -> Result<Vec<Attachment>, AppError> {
    let rows: Vec<(String, String, String, i64, String)> = sqlx::query_as(
        "SELECT id, name, media_type, size, sha256 FROM attachment WHERE letter_id = $1 \
         ORDER BY position, id",
    )
    .bind(letter_id)
    .fetch_all(state.db.pool())
    .await
    .map_err(internal)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, media_type, size, sha256)| Attachment {
            id,
            name,
            media_type,
            size: size.max(0) as u64,
            sha256,
        })
        .collect())
}

async fn load(state: &AppState, author: &Principal, id: &str) -> Result<Draft, AppError> {
    own_draft(state, author, id).await?;
    let (subject, message, updated_at): (String, String, i64) =
        sqlx::query_as("SELECT subject, message, updated_at FROM letter WHERE id = $1")
            .bind(id)
            .fetch_one(state.db.pool())
            .await
            .map_err(internal)?;
    let recipients: Vec<(String,)> = sqlx::query_as(
        "SELECT contact_id FROM letter_recipient WHERE letter_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(state.db.pool())
    .await
    .map_err(internal)?;
    let attachments = attachments_of(state, id).await?;
    let used: u64 = attachments.iter().map(|a| a.size).sum();
    Ok(Draft {
        id: id.to_owned(),
        subject,
        message,
        recipients: recipients.into_iter().map(|(id,)| id).collect(),
        attachments,
        updated_at: rfc3339(updated_at),
        bytes_left: MAX_LETTER_BYTES.saturating_sub(used),
    })
}

/// The contacts a sender may choose, with what consent allows (CONS-01, CONS-05).
pub async fn recipient_choices(
    state: &AppState,
    caller: Caller,
) -> Result<Vec<RecipientChoice>, AppError> {
    let author = state.principal(&caller).await?;
    let rows: Vec<(String, String, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT id, name, email, email_key, professional, company_name FROM contact \
         WHERE owner_id = $1 ORDER BY name, email",
    )
    .bind(&author.account_id)
    .fetch_all(state.db.pool())
    .await
    .map_err(internal)?;
    let mut choices = Vec::with_capacity(rows.len());
    for (contact_id, name, email, email_key, professional, company_name) in rows {
        let professional = professional != 0;
        // CONS-01: the latest consent for this sender and the contact's current address.
        let latest = if professional {
            None
        } else {
            consent::latest(state.db.pool(), &author.account_id, &email_key)
                .await
                .map_err(internal)?
                .map(|latest| latest.status)
        };
        let consent =
            (!professional).then(|| latest.map_or("none", ConsentStatus::code).to_owned());
        choices.push(RecipientChoice {
            selectable: may_send(professional, latest),
            contact_id,
            name,
            email,
            professional,
            company_name,
            consent,
        });
    }
    Ok(choices)
}

pub async fn drafts(state: &AppState, caller: Caller) -> Result<Vec<DraftSummary>, AppError> {
    let author = state.principal(&caller).await?;
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, subject, updated_at FROM letter WHERE author_id = $1 AND status = 'draft' \
         ORDER BY updated_at DESC, id DESC",
    )
    .bind(&author.account_id)
    .fetch_all(state.db.pool())
    .await
    .map_err(internal)?;
    Ok(rows
        .into_iter()
        .map(|(id, subject, updated_at)| DraftSummary {
            id,
            subject,
            updated_at: rfc3339(updated_at),
        })
        .collect())
}

pub async fn create(state: &AppState, caller: Caller) -> Result<String, AppError> {
    let author = state.principal(&caller).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let now = state.clock.now_ms();
    sqlx::query(
        "INSERT INTO letter (id, author_id, status, subject, message, created_at, updated_at) \
         VALUES ($1, $2, 'draft', '', '', $3, $3)",
    )
    .bind(&id)
    .bind(&author.account_id)
    .bind(now)
    .execute(state.db.pool())
    .await
    .map_err(internal)?;
    Ok(id)
}

pub async fn get(state: &AppState, caller: Caller, id: String) -> Result<Draft, AppError> {
    let author = state.principal(&caller).await?;
    load(state, &author, &id).await
}

/// Autosave. The subject may be empty or incomplete while drafting (checked at sending); the
/// recipients must be the author's contacts.
pub async fn save(
    state: &AppState,
    caller: Caller,
    id: String,
    subject: String,
    message: String,
    recipients: Vec<String>,
) -> Result<Draft, AppError> {
    let author = state.principal(&caller).await?;
    own_draft(state, &author, &id).await?;
    let subject = validation::draft_subject(&subject)?;
    let message = validation::message(&message)?;
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    let updated = sqlx::query(
        "UPDATE letter SET subject = $1, message = $2, updated_at = $3 \
         WHERE id = $4 AND author_id = $5 AND status = 'draft'",
    )
    .bind(&subject)
    .bind(&message)
    .bind(state.clock.now_ms())
    .bind(&id)
    .bind(&author.account_id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    if updated.rows_affected() != 1 {
        return Err(AppError::LetterSent);
    }
    sqlx::query("DELETE FROM letter_recipient WHERE letter_id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    let mut seen = std::collections::HashSet::new();
    for (position, contact_id) in recipients.iter().enumerate() {
        if !seen.insert(contact_id) {
            continue;
        }
        let owned: Option<(String,)> =
            sqlx::query_as("SELECT id FROM contact WHERE id = $1 AND owner_id = $2")
                .bind(contact_id)
                .bind(&author.account_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(internal)?;
        if owned.is_none() {
            return Err(AppError::NotFound);
        }
        sqlx::query(
            "INSERT INTO letter_recipient (letter_id, contact_id, position) VALUES ($1, $2, $3)",
        )
        .bind(&id)
        .bind(contact_id)
        .bind(position as i64)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    }
    tx.commit().await.map_err(internal)?;
    load(state, &author, &id).await
}

pub async fn delete(state: &AppState, caller: Caller, id: String) -> Result<(), AppError> {
    let author = state.principal(&caller).await?;
    own_draft(state, &author, &id).await?;
    let keys: Vec<(String,)> =
        sqlx::query_as("SELECT storage_key FROM attachment WHERE letter_id = $1")
            .bind(&id)
            .fetch_all(state.db.pool())
            .await
            .map_err(internal)?;
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    for sql in [
        "DELETE FROM attachment WHERE letter_id = $1",
        "DELETE FROM letter_recipient WHERE letter_id = $1",
        "DELETE FROM letter WHERE id = $1 AND status = 'draft'",
    ] {
        sqlx::query(sql)
            .bind(&id)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
    }
    tx.commit().await.map_err(internal)?;
    for (key,) in keys {
        storage::remove(&state.config, &key).await;
    }
    Ok(())
}

pub async fn delete_attachment(
    state: &AppState,
    caller: Caller,
    draft_id: String,
    attachment_id: String,
) -> Result<Draft, AppError> {
    let author = state.principal(&caller).await?;
    own_draft(state, &author, &draft_id).await?;
    let key: Option<(String,)> =
        sqlx::query_as("SELECT storage_key FROM attachment WHERE id = $1 AND letter_id = $2")
            .bind(&attachment_id)
            .bind(&draft_id)
            .fetch_optional(state.db.pool())
            .await
            .map_err(internal)?;
    let (key,) = key.ok_or(AppError::NotFound)?;
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    // Locks the draft against a concurrent sending: an attachment of a sent letter stays.
    let draft = sqlx::query("UPDATE letter SET updated_at = $1 WHERE id = $2 AND status = 'draft'")
        .bind(state.clock.now_ms())
        .bind(&draft_id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    if draft.rows_affected() != 1 {
        return Err(AppError::LetterSent);
    }
    sqlx::query("DELETE FROM attachment WHERE id = $1")
        .bind(&attachment_id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    storage::remove(&state.config, &key).await;
    load(state, &author, &draft_id).await
}

/// An upload, as the HTTP route received it.
pub struct Upload {
    pub draft_id: String,
    pub name: String,
    pub media_type: String,
    /// The browser's SHA-256 (LET-02).
    pub sha256: String,
    pub declared_length: Option<u64>,
    pub body: axum::body::Body,
}

/// The longest an upload may take: its body must arrive within this time, or it is cut off
/// and discarded. 256 MiB (`MAX_LETTER_BYTES`) in an hour is about 0.6 Mbit/s. It is also the
/// age after which a `.part` file is an orphan of a crash, removed at start-up
/// ([`storage::sweep_partials`]): no upload can still be writing it.
pub const UPLOAD_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// LET-02: stores an attachment of a draft. The bytes stream to a temporary file while being
/// hashed; a hash different from the browser's, a letter over [`MAX_LETTER_BYTES`] or an
/// interrupted upload leave nothing behind.
pub async fn upload(
    state: &AppState,
    caller: Caller,
    upload: Upload,
) -> Result<Attachment, AppError> {
    let author = state.principal(&caller).await?;
    own_draft(state, &author, &upload.draft_id).await?;
    let name = validation::file_name(&upload.name)?;
    let expected = validation::sha256_hex(&upload.sha256)?;
    let (used, count): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT), COUNT(*) FROM attachment WHERE letter_id = $1",
    )
    .bind(&upload.draft_id)
    .fetch_one(state.db.pool())
    .await
    .map_err(internal)?;
    let allowed = MAX_LETTER_BYTES.saturating_sub(used.max(0) as u64);
    if count as usize >= MAX_ATTACHMENTS || upload.declared_length.is_some_and(|n| n > allowed) {
        return Err(Invalid::LetterTooLarge.into());
    }
    let id = uuid::Uuid::now_v7().to_string();
    let partial = storage::partial_path(&state.config, &id);
    let received = tokio::time::timeout(UPLOAD_TIME_LIMIT, receive(&partial, upload.body, allowed))
        .await
        .unwrap_or_else(|_| {
            tracing::warn!(draft_id = %upload.draft_id, "upload cut off: longer than the time limit");
            // As a broken connection: the upload is incomplete, nothing is kept.
            Err(AppError::Invalid(Invalid::HashMismatch))
        });
    let (size, actual) = match received {
        Ok(done) => done,
        Err(error) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(error);
        }
    };
    if actual != expected {
        let _ = tokio::fs::remove_file(&partial).await;
        tracing::warn!(draft_id = %upload.draft_id, %expected, %actual, "attachment hash mismatch");
        return Err(Invalid::HashMismatch.into());
    }
    storage::commit(&state.config, &id)
        .await
        .map_err(internal)?;
    let stored = async {
        let mut tx = state.db.pool().begin().await?;
        let draft =
            sqlx::query("UPDATE letter SET updated_at = $1 WHERE id = $2 AND status = 'draft'")
                .bind(state.clock.now_ms())
                .bind(&upload.draft_id)
                .execute(&mut *tx)
                .await?;
        if draft.rows_affected() != 1 {
            return Ok(Err(AppError::LetterSent));
        }
        let (used, count): (i64, i64) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT), COUNT(*) FROM attachment WHERE letter_id = $1",
        )
        .bind(&upload.draft_id)
        .fetch_one(&mut *tx)
        .await?;
        if used.max(0) as u64 + size > MAX_LETTER_BYTES || count as usize >= MAX_ATTACHMENTS {
            return Ok(Err(Invalid::LetterTooLarge.into()));
        }
        sqlx::query(
            "INSERT INTO attachment (id, letter_id, name, media_type, size, sha256, storage_key, \
             position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $1, $7, $8)",
        )
        .bind(&id)
        .bind(&upload.draft_id)
        .bind(&name)
        .bind(&upload.media_type)
        .bind(size as i64)
        .bind(&actual)
        .bind(count)
        .bind(state.clock.now_ms())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(Ok(()))
    }
    .await;
    match stored {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            storage::remove(&state.config, &id).await;
            return Err(error);
        }
        Err(error) => {
            storage::remove(&state.config, &id).await;
            return Err(internal(error));
        }
    }
    tracing::info!(draft_id = %upload.draft_id, attachment_id = %id, size, "attachment stored");
    Ok(Attachment {
        id,
        name,
        media_type: upload.media_type,
        size,
        sha256: actual,
    })
}

/// Streams `body` into `path`, hashing it; at most `allowed` bytes.
async fn receive(
    path: &std::path::Path,
    body: axum::body::Body,
    allowed: u64,
) -> Result<(u64, String), AppError> {
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await.map_err(internal)?;
    }
    let mut file = tokio::fs::File::create(path).await.map_err(internal)?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        // A broken connection: the upload is incomplete, nothing is kept.
        let chunk = chunk.map_err(|_| AppError::Invalid(Invalid::HashMismatch))?;
        size += chunk.len() as u64;
        if size > allowed {
            return Err(Invalid::LetterTooLarge.into());
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await.map_err(internal)?;
    }
    file.sync_all().await.map_err(internal)?;
    Ok((size, crate::ledger::hex(&hasher.finalize())))
}
