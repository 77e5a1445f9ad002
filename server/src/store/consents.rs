//! Table `consent`: the consents of private recipients to senders (CONS-01..CONS-04). Every
//! change of status is conditional on the status it leaves (`... WHERE status = <from>`), so
//! that a double click or a job racing a click changes a consent once: each change returns
//! whether it happened.

use domain::lifecycle::ConsentStatus;
use sqlx::{Any, Executor, Transaction};

/// A consent with its sender's current name and address.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ConsentRecord {
    pub id: String,
    pub sender_id: String,
    pub sender_name: String,
    pub sender_email: String,
    pub contact_id: String,
    pub recipient_email: String,
    pub recipient_email_key: String,
    pub recipient_name: String,
    #[sqlx(try_from = "String")]
    pub status: ConsentStatus,
    pub requested_at: i64,
    pub expires_at: i64,
    pub answered_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub recipient_account_id: Option<String>,
}

const SELECT: &str = "SELECT k.id, k.sender_id, COALESCE(k.sender_name, a.name) AS sender_name, \
     a.email AS sender_email, \
     k.contact_id, k.recipient_email, k.recipient_email_key, k.recipient_name, k.status, \
     k.requested_at, k.expires_at, k.answered_at, k.revoked_at, k.recipient_account_id \
     FROM consent k JOIN account a ON a.id = k.sender_id";

/// The consent with this id.
pub async fn by_id<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<ConsentRecord>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE k.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// The consent of the emailed link whose token has this hash.
pub async fn by_token_hash<'c>(
    executor: impl Executor<'c, Database = Any>,
    token_hash: &str,
) -> Result<Option<ConsentRecord>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE k.token_hash = $1"))
        .bind(token_hash)
        .fetch_optional(executor)
        .await
}

/// The consent that counts for a sender and an address: the latest by `requested_at`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Latest {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub status: ConsentStatus,
    pub expires_at: i64,
}

/// The latest consent of `sender_id` for the address `email_key`, if any.
pub async fn latest<'c>(
    executor: impl Executor<'c, Database = Any>,
    sender_id: &str,
    email_key: &str,
) -> Result<Option<Latest>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, status, expires_at FROM consent WHERE sender_id = $1 \
         AND recipient_email_key = $2 ORDER BY requested_at DESC, id DESC LIMIT 1",
    )
    .bind(sender_id)
    .bind(email_key)
    .fetch_optional(executor)
    .await
}

/// Whether `sender_id`'s contact `contact_id` is a professional, and the status of the latest
/// consent for the contact's current address; `None` for an unknown or another user's contact.
pub async fn for_contact<'c>(
    executor: impl Executor<'c, Database = Any>,
    sender_id: &str,
    contact_id: &str,
) -> Result<Option<(bool, Option<ConsentStatus>)>, sqlx::Error> {
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT c.professional, (SELECT k.status FROM consent k WHERE k.sender_id = c.owner_id \
         AND k.recipient_email_key = c.email_key ORDER BY k.requested_at DESC, k.id DESC LIMIT 1) \
         FROM contact c WHERE c.id = $1 AND c.owner_id = $2",
    )
    .bind(contact_id)
    .bind(sender_id)
    .fetch_optional(executor)
    .await?;
    row.map(|(professional, status)| {
        let status = status
            .map(ConsentStatus::try_from)
            .transpose()
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        Ok((professional != 0, status))
    })
    .transpose()
}

/// The consents granted from the address `email_key` (now in force), newest first.
pub async fn granted_from<'c>(
    executor: impl Executor<'c, Database = Any>,
    email_key: &str,
) -> Result<Vec<ConsentRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE k.recipient_email_key = $1 AND k.status = $2 \
         ORDER BY k.answered_at DESC, k.id DESC"
    ))
    .bind(email_key)
    .bind(ConsentStatus::Granted.code())
    .fetch_all(executor)
    .await
}

/// The consents granted by an account: to its id, or to its address.
pub async fn granted_by_account(
    tx: &mut Transaction<'_, Any>,
    account_id: &str,
    email_key: &str,
) -> Result<Vec<ConsentRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE k.status = $1 \
         AND (k.recipient_account_id = $2 OR k.recipient_email_key = $3) ORDER BY k.id"
    ))
    .bind(ConsentStatus::Granted.code())
    .bind(account_id)
    .bind(email_key)
    .fetch_all(&mut **tx)
    .await
}

/// Records a new request (status `requested`) with the hash of its link's token and the id of
/// its request evidence.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    consent: &ConsentRecord,
    token_hash: &str,
    evidence_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consent (id, sender_id, contact_id, recipient_email, recipient_email_key, \
         recipient_name, status, token_hash, requested_at, expires_at, recipient_account_id, \
         request_evidence_id, sender_name) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&consent.id)
    .bind(&consent.sender_id)
    .bind(&consent.contact_id)
    .bind(&consent.recipient_email)
    .bind(&consent.recipient_email_key)
    .bind(&consent.recipient_name)
    .bind(consent.status.code())
    .bind(token_hash)
    .bind(consent.requested_at)
    .bind(consent.expires_at)
    .bind(consent.recipient_account_id.clone())
    .bind(evidence_id)
    .bind(&consent.sender_name)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// A status change `from` → `to`, with what it records.
#[derive(Clone, Debug)]
pub struct Change<'a> {
    pub id: &'a str,
    pub from: ConsentStatus,
    pub to: ConsentStatus,
    pub at: i64,
    /// The evidence of the answer or the expiry.
    pub evidence_id: Option<&'a str>,
    /// The recipient's account, learnt at the answer.
    pub recipient_account_id: Option<&'a str>,
}

/// Records the recipient's answer (granted or refused); false if the consent had left `from`.
pub async fn answer(
    tx: &mut Transaction<'_, Any>,
    change: &Change<'_>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE consent SET status = $1, answered_at = $2, answer_evidence_id = $3, \
         recipient_account_id = $4 WHERE id = $5 AND status = $6",
    )
    .bind(change.to.code())
    .bind(change.at)
    .bind(change.evidence_id)
    .bind(change.recipient_account_id)
    .bind(change.id)
    .bind(change.from.code())
    .execute(&mut **tx)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Records a revocation; false if the consent had left `from`.
pub async fn revoke(
    tx: &mut Transaction<'_, Any>,
    change: &Change<'_>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE consent SET status = $1, revoked_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(change.to.code())
    .bind(change.at)
    .bind(change.id)
    .bind(change.from.code())
    .execute(&mut **tx)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Records the expiry of an unanswered request; false if it had left `from`.
pub async fn expire(
    tx: &mut Transaction<'_, Any>,
    change: &Change<'_>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE consent SET status = $1, answer_evidence_id = $2 WHERE id = $3 AND status = $4",
    )
    .bind(change.to.code())
    .bind(change.evidence_id)
    .bind(change.id)
    .bind(change.from.code())
    .execute(&mut **tx)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// The active account that holds the address `email_key`, if any (the recipient of a consent
/// is named by their account's id when they have one).
pub async fn active_account_with_address<'c>(
    executor: impl Executor<'c, Database = Any>,
    email_key: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM account WHERE email_key = $1 AND deactivated_at IS NULL")
            .bind(email_key)
            .fetch_optional(executor)
            .await?;
    Ok(row.map(|(id,)| id))
}
