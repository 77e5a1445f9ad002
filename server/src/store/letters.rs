//! Tables `letter` and `letter_recipient`: a letter while it is a draft (LET-01) and once sent
//! (LET-03), with the contacts it is addressed to.

use domain::ids::{LetterId, TransactionId};
use domain::lifecycle::{LetterStatus, TransactionStatus};
use sqlx::{Any, Executor, Transaction};

use super::{Bind, Keyset, bind_all};

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
        "SELECT k.id, k.email, k.email_key, k.name, k.professional, k.company_name, \
         k.company_registry, k.company_number FROM letter_recipient r JOIN contact k ON k.id = r.contact_id \
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

/// Which of a sender's letters a page of the sent list shows.
#[derive(Clone, Debug, Default)]
pub struct SentFilter {
    /// Letters with a transaction in this state.
    pub status: Option<TransactionStatus>,
    /// Letters of which a recipient opened an attachment.
    pub opened: bool,
    /// Letters whose subject's search key contains this one.
    pub subject_key: Option<String>,
}

/// One recipient of a letter of the sent list, with its letter.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SentListRow {
    #[sqlx(try_from = "String")]
    pub letter_id: LetterId,
    pub subject: String,
    pub sent_at: i64,
    #[sqlx(try_from = "String")]
    pub transaction_id: TransactionId,
    pub recipient_name: String,
    #[sqlx(try_from = "String")]
    pub status: TransactionStatus,
    pub notified_at: i64,
    pub decided_at: Option<i64>,
    pub opened_at: Option<i64>,
}

/// Up to `letters` of `author_id`'s sent letters matching `filter`, from `at` on, with their
/// transactions: one query, one index range (`letter_sent`) and one look-up per transaction
/// (`letter_transaction_letter`). Rows come newest letter first (each letter's transactions
/// by recipient name) whatever `at`; for [`Keyset::Newer`] the letters are the `letters`
/// just newer than its cursor.
pub async fn sent_page<'c>(
    executor: impl Executor<'c, Database = Any>,
    author_id: &str,
    filter: &SentFilter,
    at: Keyset<'_>,
    letters: usize,
) -> Result<Vec<SentListRow>, sqlx::Error> {
    let mut binds = vec![Bind::Text(author_id.to_owned())];
    let mut conditions = vec![
        "l.author_id = $1".to_owned(),
        "l.status = 'sent'".to_owned(),
    ];
    if let Some(key) = &filter.subject_key {
        binds.push(Bind::Text(format!("%{}%", like_escaped(key))));
        conditions.push(format!("l.subject_key LIKE ${} ESCAPE '\\'", binds.len()));
    }
    if let Some(status) = filter.status {
        binds.push(Bind::Text(status.code().to_owned()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM letter_transaction s WHERE s.letter_id = l.id AND s.status = ${})",
            binds.len()
        ));
    }
    if filter.opened {
        conditions.push(
            "EXISTS (SELECT 1 FROM letter_transaction s WHERE s.letter_id = l.id \
             AND s.opened_at IS NOT NULL)"
                .to_owned(),
        );
    }
    let (keyset, order) = at.clause("l.sent_at", "l.id", binds.len() + 1);
    if let Some((time, id)) = at.cursor() {
        binds.push(Bind::Int(time));
        binds.push(Bind::Text(id));
    }
    conditions.extend(keyset);
    let sql = format!(
        "SELECT p.id AS letter_id, p.subject, p.sent_at, t.id AS transaction_id, \
         t.recipient_name, t.status, t.notified_at, t.decided_at, t.opened_at \
         FROM (SELECT l.id, l.subject, l.sent_at FROM letter l WHERE {} \
               ORDER BY l.sent_at {order}, l.id {order} LIMIT {letters}) p \
         JOIN letter_transaction t ON t.letter_id = p.id \
         ORDER BY p.sent_at DESC, p.id DESC, t.recipient_name, t.id",
        conditions.join(" AND ")
    );
    bind_all(sqlx::query_as(&sql), binds)
        .fetch_all(executor)
        .await
}

/// `text` with LIKE's wildcards and its escape character (`\`) escaped.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
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
    /// The company the letter is sent for: the request letting the sender act for it, its
    /// name and registry number.
    pub company: Option<(&'a str, &'a str, &'a str)>,
    /// The customer the sender sends for (policy §4.3).
    pub customer_id: &'a str,
}

/// Makes the draft a sent letter; false when it is no longer the author's draft.
pub async fn mark_sent(
    tx: &mut Transaction<'_, Any>,
    sending: &Sending<'_>,
) -> Result<bool, sqlx::Error> {
    let sent = sqlx::query(
        "UPDATE letter SET status = 'sent', sent_at = $1, subject = $2, message = $3, \
         sender_name = $4, sender_email = $5, login_session_id = $6, login_time = $7, \
         otp_session_id = $8, sender_identification_id = $9, updated_at = $1, subject_key = $12, \
         sender_member_id = $13, sender_company = $14, sender_company_rcs = $15, customer_id = $16 \
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
    .bind(domain::text::search_key(sending.subject))
    .bind(sending.company.map(|c| c.0))
    .bind(sending.company.map(|c| c.1))
    .bind(sending.company.map(|c| c.2))
    .bind(sending.customer_id)
    .execute(&mut **tx)
    .await?;
    Ok(sent.rows_affected() == 1)
}
