//! Tables `letter` and `letter_recipient`: a letter while it is a draft (LET-01) and once sent
//! (LET-03), with the contacts it is addressed to.

use domain::ids::LetterId;
use domain::lifecycle::LetterStatus;
use sqlx::{Any, Executor, Transaction};

/// Who wrote a letter and where it is in its life.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LetterHead {
    pub author_id: String,
    #[sqlx(try_from = "String")]
    pub status: LetterStatus,
}

/// What a letter says, and when it was last saved and sent.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LetterText {
    pub author_id: String,
    #[sqlx(try_from = "String")]
    pub status: LetterStatus,
    pub subject: String,
    pub message: String,
    pub updated_at: i64,
    pub sent_at: Option<i64>,
}

/// A draft in a list.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DraftRow {
    #[sqlx(try_from = "String")]
    pub id: LetterId,
    pub subject: String,
    pub updated_at: i64,
}

/// A sent letter in the sender's list.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SentRow {
    #[sqlx(try_from = "String")]
    pub id: LetterId,
    pub subject: String,
}

/// Who wrote letter `id` and its state, if it exists.
pub async fn head<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &LetterId,
) -> Result<Option<LetterHead>, sqlx::Error> {
    sqlx::query_as("SELECT author_id, status FROM letter WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(executor)
        .await
}

/// Letter `id`'s text, if it exists.
pub async fn text<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &LetterId,
) -> Result<Option<LetterText>, sqlx::Error> {
    sqlx::query_as(
        "SELECT author_id, status, subject, message, updated_at, sent_at FROM letter WHERE id = $1",
    )
    .bind(id.as_str())
    .fetch_optional(executor)
    .await
}

/// The contact ids letter `id` is addressed to, in order.
pub async fn recipient_ids<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &LetterId,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT contact_id FROM letter_recipient WHERE letter_id = $1 ORDER BY position",
    )
    .bind(id.as_str())
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The contacts of `owner_id` letter `id` is addressed to, in order.
pub async fn recipients<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &LetterId,
    owner_id: &str,
) -> Result<Vec<super::contacts::ContactRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT k.id, k.email, k.email_key, k.name, k.professional, k.company_name \
         FROM letter_recipient r JOIN contact k ON k.id = r.contact_id \
         WHERE r.letter_id = $1 AND k.owner_id = $2 ORDER BY r.position",
    )
    .bind(id.as_str())
    .bind(owner_id)
    .fetch_all(executor)
    .await
}

/// `author_id`'s drafts, the latest saved first.
pub async fn drafts_of<'c>(
    executor: impl Executor<'c, Database = Any>,
    author_id: &str,
) -> Result<Vec<DraftRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, subject, updated_at FROM letter WHERE author_id = $1 AND status = 'draft' \
         ORDER BY updated_at DESC, id DESC",
    )
    .bind(author_id)
    .fetch_all(executor)
    .await
}

/// `author_id`'s sent letters, newest first (at most 500).
pub async fn sent_of<'c>(
    executor: impl Executor<'c, Database = Any>,
    author_id: &str,
) -> Result<Vec<SentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, subject FROM letter WHERE author_id = $1 AND status = 'sent' \
         ORDER BY sent_at DESC, id DESC LIMIT 500",
    )
    .bind(author_id)
    .fetch_all(executor)
    .await
}

/// Creates an empty draft.
pub async fn insert_draft<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &LetterId,
    author_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO letter (id, author_id, status, subject, message, created_at, updated_at) \
         VALUES ($1, $2, 'draft', '', '', $3, $3)",
    )
    .bind(id.as_str())
    .bind(author_id)
    .bind(now)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Saves a draft's text; false when it is no longer `author_id`'s draft.
pub async fn save_draft<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &LetterId,
    author_id: &str,
    subject: &str,
    message: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE letter SET subject = $1, message = $2, updated_at = $3 \
         WHERE id = $4 AND author_id = $5 AND status = 'draft'",
    )
    .bind(subject)
    .bind(message)
    .bind(now)
    .bind(id.as_str())
    .bind(author_id)
    .execute(executor)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Marks draft `id` changed at `now`; false when it is no longer a draft. Inside a transaction
/// this locks the draft against a concurrent sending.
pub async fn touch_draft<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &LetterId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let updated =
        sqlx::query("UPDATE letter SET updated_at = $1 WHERE id = $2 AND status = 'draft'")
            .bind(now)
            .bind(id.as_str())
            .execute(executor)
            .await?;
    Ok(updated.rows_affected() == 1)
}

/// Replaces the recipients of draft `id` by `contact_ids`, in this order.
pub async fn set_recipients(
    tx: &mut Transaction<'_, Any>,
    id: &LetterId,
    contact_ids: &[&String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM letter_recipient WHERE letter_id = $1")
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?;
    for (position, contact_id) in contact_ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO letter_recipient (letter_id, contact_id, position) VALUES ($1, $2, $3)",
        )
        .bind(id.as_str())
        .bind(contact_id)
        .bind(position as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Deletes draft `id` with its recipients and attachment rows.
pub async fn delete_draft(tx: &mut Transaction<'_, Any>, id: &LetterId) -> Result<(), sqlx::Error> {
    for sql in [
        "DELETE FROM attachment WHERE letter_id = $1",
        "DELETE FROM letter_recipient WHERE letter_id = $1",
        "DELETE FROM letter WHERE id = $1 AND status = 'draft'",
    ] {
        sqlx::query(sql)
            .bind(id.as_str())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// What the sending records on the letter (LET-03, AUTH-04, ID-02).
pub struct Sending<'a> {
    pub id: &'a LetterId,
    pub author_id: &'a str,
    pub at: i64,
    pub subject: &'a str,
    pub message: &'a str,
    pub sender_name: &'a str,
    pub sender_email: &'a str,
    pub login_session_id: &'a str,
    pub login_time: i64,
    pub otp_session_id: &'a str,
    pub identification_id: &'a str,
}

/// Makes the draft a sent letter; false when it is no longer the author's draft.
pub async fn mark_sent(
    tx: &mut Transaction<'_, Any>,
    sending: &Sending<'_>,
) -> Result<bool, sqlx::Error> {
    let sent = sqlx::query(
        "UPDATE letter SET status = 'sent', sent_at = $1, subject = $2, message = $3, \
         sender_name = $4, sender_email = $5, login_session_id = $6, login_time = $7, \
         otp_session_id = $8, sender_identification_id = $9, updated_at = $1 \
         WHERE id = $10 AND author_id = $11 AND status = 'draft'",
    )
    .bind(sending.at)
    .bind(sending.subject)
    .bind(sending.message)
    .bind(sending.sender_name)
    .bind(sending.sender_email)
    .bind(sending.login_session_id)
    .bind(sending.login_time)
    .bind(sending.otp_session_id)
    .bind(sending.identification_id)
    .bind(sending.id.as_str())
    .bind(sending.author_id)
    .execute(&mut **tx)
    .await?;
    Ok(sent.rows_affected() == 1)
}
