//! One transaction (one recipient of a sent letter, LET-03) with what its letter says, as the
//! services, jobs and dossier read it.

use app::lifecycle::TransactionStatus;
use chrono::{DateTime, Utc};

/// A transaction and its letter.
#[derive(Clone, Debug)]
pub struct TransactionRecord {
    pub id: String,
    pub letter_id: String,
    pub status: TransactionStatus,
    pub subject: String,
    pub message: String,
    pub author_id: String,
    pub sender_name: String,
    pub sender_email: String,
    pub sender_identification_id: Option<String>,
    pub recipient_id: String,
    pub recipient_name: String,
    pub recipient_email: String,
    pub recipient_email_key: String,
    pub recipient_company: Option<String>,
    pub notified_at: i64,
    pub expires_at: i64,
    pub decided_at: Option<i64>,
    pub opened_at: Option<i64>,
    pub access_token_hash: String,
    pub recipient_account_id: Option<String>,
    pub reception_id: Option<String>,
}

type Row = (
    (String, String, String, String, String, String),
    (String, String, Option<String>, String, String),
    (String, String, Option<String>, i64, i64),
    (
        Option<i64>,
        Option<i64>,
        String,
        Option<String>,
        Option<String>,
    ),
);

const COLUMNS: &str = "t.id, t.letter_id, t.status, l.subject, l.message, l.author_id, \
     COALESCE(l.sender_name, ''), COALESCE(l.sender_email, ''), l.sender_identification_id, \
     t.recipient_id, t.recipient_name, \
     t.recipient_email, t.recipient_email_key, t.recipient_company, t.notified_at, t.expires_at, \
     t.decided_at, t.opened_at, t.access_token_hash, t.recipient_account_id, t.reception_id";

/// The status of a stored code; an unknown code (which no version of Pli writes) reads as
/// awaiting, the state that discloses nothing.
pub fn status_from(code: &str) -> TransactionStatus {
    TransactionStatus::from_code(code).unwrap_or(TransactionStatus::Awaiting)
}

fn from_row(row: Row) -> TransactionRecord {
    let (
        (id, letter_id, status, subject, message, author_id),
        (sender_name, sender_email, sender_identification_id, recipient_id, recipient_name),
        (recipient_email, recipient_email_key, recipient_company, notified_at, expires_at),
        (decided_at, opened_at, access_token_hash, recipient_account_id, reception_id),
    ) = row;
    TransactionRecord {
        id,
        letter_id,
        status: status_from(&status),
        subject,
        message,
        author_id,
        sender_name,
        sender_email,
        sender_identification_id,
        recipient_id,
        recipient_name,
        recipient_email,
        recipient_email_key,
        recipient_company,
        notified_at,
        expires_at,
        decided_at,
        opened_at,
        access_token_hash,
        recipient_account_id,
        reception_id,
    }
}

/// The transaction `id`, if it exists.
pub async fn load<'e, E>(executor: E, id: &str) -> Result<Option<TransactionRecord>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let sql = format!(
        "SELECT {COLUMNS} FROM letter_transaction t JOIN letter l ON l.id = t.letter_id WHERE t.id = $1"
    );
    let row = sqlx::query(&sql).bind(id).fetch_optional(executor).await?;
    row.map(|row| decode(&row)).transpose()
}

/// Transactions matching `filter` (an SQL condition on `t`/`l` with `$1` bound to `value`),
/// newest first.
pub async fn load_where<'e, E>(
    executor: E,
    filter: &str,
    value: &str,
) -> Result<Vec<TransactionRecord>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let sql = format!(
        "SELECT {COLUMNS} FROM letter_transaction t JOIN letter l ON l.id = t.letter_id \
         WHERE {filter} ORDER BY t.notified_at DESC, t.id"
    );
    let rows = sqlx::query(&sql).bind(value).fetch_all(executor).await?;
    rows.iter().map(decode).collect()
}

fn decode(row: &sqlx::any::AnyRow) -> Result<TransactionRecord, sqlx::Error> {
    use sqlx::Row as _;
    let s = |i: usize| row.try_get::<String, _>(i);
    let o = |i: usize| row.try_get::<Option<String>, _>(i);
    let n = |i: usize| row.try_get::<i64, _>(i);
    let on = |i: usize| row.try_get::<Option<i64>, _>(i);
    Ok(from_row((
        (s(0)?, s(1)?, s(2)?, s(3)?, s(4)?, s(5)?),
        (s(6)?, s(7)?, o(8)?, s(9)?, s(10)?),
        (s(11)?, s(12)?, o(13)?, n(14)?, n(15)?),
        (on(16)?, on(17)?, s(18)?, o(19)?, o(20)?),
    )))
}

impl TransactionRecord {
    pub fn expires(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.expires_at).unwrap_or_default()
    }

    pub fn notified(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.notified_at).unwrap_or_default()
    }
}
