//! LET-02: an attachment of a draft, uploaded with the browser's SHA-256 and hashed again here
//! while it streams to storage.

use app::api::Caller;
use app::error::AppError;
use app::letters::Attachment;
use app::validation::{self, Invalid, MAX_ATTACHMENTS, MAX_LETTER_BYTES};
use domain::ids::LetterId;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::drafts::own_draft;
use super::storage;
use crate::AppState;
use crate::error::ServerError;
use crate::store::{attachments, letters};

/// An upload, as the web layer received it: its bytes arrive as a stream of chunks, and an
/// error of the stream is a broken connection.
pub struct Upload<S> {
    pub draft_id: LetterId,
    pub name: String,
    pub media_type: String,
    /// The browser's SHA-256 (LET-02).
    pub sha256: String,
    pub declared_length: Option<u64>,
    pub body: S,
}

/// The longest an upload may take: its body must arrive within this time, or it is cut off
/// and discarded. 256 MiB (`MAX_LETTER_BYTES`) in an hour is about 0.6 Mbit/s. It is also the
/// age after which a `.part` file is an orphan of a crash, removed at start-up
/// ([`storage::sweep_partials`]): no upload can still be writing it.
pub const UPLOAD_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Stores an attachment of a draft. The bytes stream to a temporary file while being hashed; a
/// hash different from the browser's, a letter over [`MAX_LETTER_BYTES`] or an interrupted
/// upload leave nothing behind.
pub async fn upload<S, B, E>(
    state: &AppState,
    caller: &Caller,
    upload: Upload<S>,
) -> Result<Attachment, ServerError>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
{
    let author = state.principal(caller).await?;
    own_draft(state, &author, &upload.draft_id).await?;
    let name = validation::file_name(&upload.name)?;
    let expected = validation::sha256_hex(&upload.sha256)?;
    let (used, count) = attachments::usage(state.db.pool(), &upload.draft_id).await?;
    let allowed = MAX_LETTER_BYTES.saturating_sub(used);
    if count >= MAX_ATTACHMENTS || upload.declared_length.is_some_and(|n| n > allowed) {
        return Err(Invalid::LetterTooLarge.into());
    }
    if upload.declared_length == Some(0) {
        return Err(Invalid::EmptyFile.into());
    }
    let id = uuid::Uuid::now_v7().to_string();
    let partial = storage::partial_path(&state.config, &id);
    let received = tokio::time::timeout(UPLOAD_TIME_LIMIT, receive(&partial, upload.body, allowed))
        .await
        .unwrap_or_else(|_| {
            tracing::warn!(draft_id = %upload.draft_id, "upload cut off: longer than the time limit");
            // As a broken connection: the upload is incomplete, nothing is kept.
            Err(Invalid::HashMismatch.into())
        });
    let (size, actual) = match received {
        Ok(done) => done,
        Err(error) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(error);
        }
    };
    if size == 0 {
        let _ = tokio::fs::remove_file(&partial).await;
        return Err(Invalid::EmptyFile.into());
    }
    if actual != expected {
        let _ = tokio::fs::remove_file(&partial).await;
        tracing::warn!(draft_id = %upload.draft_id, %expected, %actual, "attachment hash mismatch");
        return Err(Invalid::HashMismatch.into());
    }
    storage::commit(&state.config, &id).await?;
    let attachment = Attachment {
        id,
        name,
        media_type: upload.media_type,
        size,
        sha256: actual,
    };
    if let Err(error) = record(state, &upload.draft_id, &attachment).await {
        storage::remove(&state.config, &attachment.id).await;
        return Err(error);
    }
    tracing::info!(draft_id = %upload.draft_id, attachment_id = %attachment.id, size, "attachment stored");
    Ok(attachment)
}

/// Records a stored attachment, if the draft is still a draft with room for it.
async fn record(
    state: &AppState,
    draft_id: &LetterId,
    attachment: &Attachment,
) -> Result<(), ServerError> {
    let mut tx = state.db.begin().await?;
    let now = state.clock.now_ms();
    if !letters::touch_draft(&mut *tx, draft_id, now).await? {
        return Err(AppError::LetterSent.into());
    }
    let (used, count) = attachments::usage(&mut *tx, draft_id).await?;
    if used + attachment.size > MAX_LETTER_BYTES || count >= MAX_ATTACHMENTS {
        return Err(Invalid::LetterTooLarge.into());
    }
    let new = attachments::NewAttachment {
        id: &attachment.id,
        letter_id: draft_id,
        name: &attachment.name,
        media_type: &attachment.media_type,
        size: attachment.size,
        sha256: &attachment.sha256,
        position: count as i64,
        created_at: now,
    };
    attachments::insert(&mut *tx, &new).await?;
    tx.commit().await?;
    Ok(())
}

/// Streams `body` into `path`, hashing it; at most `allowed` bytes.
async fn receive<S, B, E>(
    path: &std::path::Path,
    mut body: S,
    allowed: u64,
) -> Result<(u64, String), ServerError>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
{
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let mut file = tokio::fs::File::create(path).await?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    while let Some(chunk) = body.next().await {
        // A broken connection: the upload is incomplete, nothing is kept.
        let chunk = chunk.map_err(|_| Invalid::HashMismatch)?;
        let chunk = chunk.as_ref();
        size += chunk.len() as u64;
        if size > allowed {
            return Err(Invalid::LetterTooLarge.into());
        }
        hasher.update(chunk);
        file.write_all(chunk).await?;
    }
    file.sync_all().await?;
    Ok((size, crate::ledger::hex(&hasher.finalize())))
}
