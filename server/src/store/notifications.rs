//! Table `letter_notification`: what the mail server answered to a transaction's notification
//! email (LET-05, issue 10) — the hand-over that starts the period (Message-ID, reply, time),
//! or the failure that leaves the recipient not notified. One row per transaction, written in
//! the completing transaction of the email's job.

use domain::ids::TransactionId;
use sqlx::{Any, Executor, Transaction};

/// How a notification ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The mail server took the message (SMTP 2xx): the recipient is notified.
    HandedOver,
    /// Refused for good (SMTP 5xx) or still failing after every retry.
    Failed,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::HandedOver => "handed_over",
            Outcome::Failed => "failed",
        }
    }
}

/// A notification's outcome, as recorded.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NotificationRecord {
    pub transaction_id: String,
    /// `handed_over` or `failed` ([`Outcome::code`]).
    pub outcome: String,
    pub message_id: String,
    pub server_response: String,
    /// When the server answered (ms UTC).
    pub at: i64,
    pub attempts: i64,
    pub evidence_id: String,
}

/// What to record.
pub struct NewNotification<'a> {
    pub transaction_id: &'a TransactionId,
    pub outcome: Outcome,
    pub message_id: &'a str,
    pub server_response: &'a str,
    pub at: i64,
    pub attempts: i64,
    pub evidence_id: &'a str,
}

/// Records the outcome of a transaction's notification; false when one is recorded already
/// (the job ran twice: the first record stands).
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    new: &NewNotification<'_>,
) -> Result<bool, sqlx::Error> {
    let added = sqlx::query(
        "INSERT INTO letter_notification (transaction_id, outcome, message_id, server_response, \
         at, attempts, evidence_id) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (transaction_id) DO NOTHING",
    )
    .bind(new.transaction_id.as_str())
    .bind(new.outcome.code())
    .bind(new.message_id)
    .bind(new.server_response)
    .bind(new.at)
    .bind(new.attempts)
    .bind(new.evidence_id)
    .execute(&mut **tx)
    .await?;
    Ok(added.rows_affected() == 1)
}

/// The recorded outcome of `transaction_id`'s notification, if any.
pub async fn of_transaction<'c>(
    executor: impl Executor<'c, Database = Any>,
    transaction_id: &TransactionId,
) -> Result<Option<NotificationRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT transaction_id, outcome, message_id, server_response, at, attempts, evidence_id \
         FROM letter_notification WHERE transaction_id = $1",
    )
    .bind(transaction_id.as_str())
    .fetch_optional(executor)
    .await
}
