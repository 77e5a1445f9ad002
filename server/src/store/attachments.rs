//! Table `attachment`: the files of a letter (LET-02), by the key of their bytes in the
//! attachment storage (`letters::storage`), and `attachment_opening`: the first download of
//! each by the recipient of a transaction (LET-11).

use domain::ids::{LetterId, TransactionId};
use sqlx::{Any, Executor, Transaction};

/// An attachment as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AttachmentRecord {
    pub id: String,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub storage_key: String,
}

/// A new attachment of a draft.
pub struct NewAttachment<'a> {
    /// Also the key of its bytes in the storage.
    pub id: &'a str,
    pub letter_id: &'a LetterId,
    pub name: &'a str,
    pub media_type: &'a str,
    pub size: u64,
    pub sha256: &'a str,
    pub position: i64,
    pub created_at: i64,
}

const COLUMNS: &str = "id, name, media_type, size, sha256, storage_key";

/// The attachments of letter `letter_id`, in order.
pub async fn of_letter<'c>(
    executor: impl Executor<'c, Database = Any>,
    letter_id: &LetterId,
) -> Result<Vec<AttachmentRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM attachment WHERE letter_id = $1 ORDER BY position, id"
    ))
    .bind(letter_id.as_str())
    .fetch_all(executor)
    .await
}

/// Attachment `id` of letter `letter_id`, if it is one of its.
pub async fn of_letter_by_id<'c>(
    executor: impl Executor<'c, Database = Any>,
    letter_id: &LetterId,
    id: &str,
) -> Result<Option<AttachmentRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM attachment WHERE id = $1 AND letter_id = $2"
    ))
    .bind(id)
    .bind(letter_id.as_str())
    .fetch_optional(executor)
    .await
}

/// The bytes already used by letter `letter_id`'s attachments, and how many it has.
pub async fn usage<'c>(
    executor: impl Executor<'c, Database = Any>,
    letter_id: &LetterId,
) -> Result<(u64, usize), sqlx::Error> {
    let (used, count): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT), COUNT(*) FROM attachment WHERE letter_id = $1",
    )
    .bind(letter_id.as_str())
    .fetch_one(executor)
    .await?;
    Ok((used.max(0) as u64, count.max(0) as usize))
}

/// Records an attachment of a draft.
pub async fn insert<'c>(
    executor: impl Executor<'c, Database = Any>,
    attachment: &NewAttachment<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO attachment (id, letter_id, name, media_type, size, sha256, storage_key, \
         position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $1, $7, $8)",
    )
    .bind(attachment.id)
    .bind(attachment.letter_id.as_str())
    .bind(attachment.name)
    .bind(attachment.media_type)
    .bind(attachment.size as i64)
    .bind(attachment.sha256)
    .bind(attachment.position)
    .bind(attachment.created_at)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Removes attachment `id`'s row.
pub async fn delete<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM attachment WHERE id = $1")
        .bind(id)
        .execute(executor)
        .await
        .map(|_| ())
}

/// The attachments the recipient of `transaction_id` opened.
pub async fn opened<'c>(
    executor: impl Executor<'c, Database = Any>,
    transaction_id: &TransactionId,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT attachment_id FROM attachment_opening WHERE transaction_id = $1")
            .bind(transaction_id.as_str())
            .fetch_all(executor)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Whether the recipient of `transaction_id` opened `attachment_id` already.
pub async fn was_opened<'c>(
    executor: impl Executor<'c, Database = Any>,
    transaction_id: &TransactionId,
    attachment_id: &str,
) -> Result<bool, sqlx::Error> {
    let seen: Option<(String,)> = sqlx::query_as(
        "SELECT evidence_id FROM attachment_opening WHERE transaction_id = $1 AND attachment_id = $2",
    )
    .bind(transaction_id.as_str())
    .bind(attachment_id)
    .fetch_optional(executor)
    .await?;
    Ok(seen.is_some())
}

/// Records the first opening of `attachment_id` with its evidence, and the transaction's
/// first opening; false when another request recorded it first.
pub async fn record_opening(
    tx: &mut Transaction<'_, Any>,
    transaction_id: &TransactionId,
    attachment_id: &str,
    at: i64,
    evidence_id: &str,
) -> Result<bool, sqlx::Error> {
    let first = sqlx::query(
        "INSERT INTO attachment_opening (transaction_id, attachment_id, opened_at, evidence_id) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (transaction_id, attachment_id) DO NOTHING",
    )
    .bind(transaction_id.as_str())
    .bind(attachment_id)
    .bind(at)
    .bind(evidence_id)
    .execute(&mut **tx)
    .await?;
    if first.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE letter_transaction SET opened_at = $1 WHERE id = $2 AND opened_at IS NULL")
        .bind(at)
        .bind(transaction_id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(true)
}
