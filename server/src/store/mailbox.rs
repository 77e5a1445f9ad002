//! The `dev_mailbox` table: the development mailbox, where the mailer keeps every message
//! instead of sending it over SMTP (embedded default), for the operator's mailbox page and the
//! tests.

use sqlx::{Any, Executor};

/// A message in the development mailbox.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Message {
    pub id: String,
    /// Milliseconds since the epoch.
    pub sent_at: i64,
    pub mail_from: String,
    pub mail_to: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: Option<String>,
    /// The whole RFC 5322 message.
    pub raw: String,
}

/// A message as the mailbox's list shows it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Summary {
    pub id: String,
    pub mail_from: String,
    pub mail_to: String,
    pub subject: String,
    pub sent_at: i64,
}

/// Keeps a message.
pub async fn insert<'c>(
    executor: impl Executor<'c, Database = Any>,
    message: &Message,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO dev_mailbox (id, sent_at, mail_from, mail_to, subject, text_body, html_body, raw) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&message.id)
    .bind(message.sent_at)
    .bind(&message.mail_from)
    .bind(&message.mail_to)
    .bind(&message.subject)
    .bind(&message.text_body)
    .bind(message.html_body.clone())
    .bind(&message.raw)
    .execute(executor)
    .await?;
    Ok(())
}

/// The 200 latest messages, newest first.
pub async fn latest<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Vec<Summary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, mail_from, mail_to, subject, sent_at FROM dev_mailbox ORDER BY sent_at DESC, id DESC LIMIT 200",
    )
    .fetch_all(executor)
    .await
}

/// The message `id`, if it is kept.
pub async fn by_id<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<Message>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, mail_from, mail_to, subject, sent_at, text_body, html_body, raw FROM dev_mailbox WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(executor)
    .await
}
