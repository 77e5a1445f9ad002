//! Tables `letter_transaction` (one recipient of a sent letter, LET-03, read with what its
//! letter says) and `letter_access_token` (the hashes of the links that open a reception:
//! the notification's and each reminder's, LET-05, LET-07).

use chrono::{DateTime, Utc};
use domain::ids::{LetterId, TransactionId};
use domain::lifecycle::TransactionStatus;
use sqlx::{Any, Executor, Transaction};

use super::{Bind, Keyset, bind_all};

/// A transaction and its letter.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TransactionRecord {
    #[sqlx(try_from = "String")]
    pub id: TransactionId,
    #[sqlx(try_from = "String")]
    pub letter_id: LetterId,
    #[sqlx(try_from = "String")]
    pub status: TransactionStatus,
    pub subject: String,
    pub message: String,
    pub author_id: String,
    pub sender_name: String,
    pub sender_email: String,
    pub sender_identification_id: Option<String>,
    /// The request letting the sender act for the company the letter is sent for (issue 13).
    pub sender_member_id: Option<String>,
    pub recipient_id: String,
    pub recipient_name: String,
    pub recipient_email: String,
    pub recipient_email_key: String,
    pub recipient_company: Option<String>,
    /// The company's registry code and number, when the letter is for the company: it is
    /// delivered to its legal representative or a delegate (policy §6.4).
    pub recipient_company_registry: Option<String>,
    pub recipient_company_number: Option<String>,
    /// The request that let the person who decided act for that company.
    pub recipient_member_id: Option<String>,
    pub notified_at: i64,
    pub expires_at: i64,
    pub decided_at: Option<i64>,
    pub opened_at: Option<i64>,
    pub access_token_hash: String,
    pub recipient_account_id: Option<String>,
    pub reception_id: Option<String>,
    /// The account proofing that identified the recipient who decided with their account.
    pub recipient_identification_id: Option<String>,
}

impl TransactionRecord {
    pub fn expires(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.expires_at).unwrap_or_default()
    }

    pub fn notified(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.notified_at).unwrap_or_default()
    }
}

const SELECT: &str = "SELECT t.id, t.letter_id, t.status, l.subject, l.message, l.author_id, \
     COALESCE(l.sender_name, '') AS sender_name, COALESCE(l.sender_email, '') AS sender_email, \
     l.sender_identification_id, l.sender_member_id, t.recipient_id, t.recipient_name, \
     t.recipient_email, t.recipient_email_key, t.recipient_company, \
     t.recipient_company_registry, t.recipient_company_number, t.recipient_member_id, \
     t.notified_at, t.expires_at, t.decided_at, t.opened_at, t.access_token_hash, t.recipient_account_id, t.reception_id, \
     t.recipient_identification_id FROM letter_transaction t JOIN letter l ON l.id = t.letter_id";

/// The transaction `id`, if it exists.
pub async fn load<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &TransactionId,
) -> Result<Option<TransactionRecord>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE t.id = $1"))
        .bind(id.as_str())
        .fetch_optional(executor)
        .await
}

/// The transactions of letter `letter_id` (one per recipient).
pub async fn of_letter<'c>(
    executor: impl Executor<'c, Database = Any>,
    letter_id: &LetterId,
) -> Result<Vec<TransactionRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE t.letter_id = $1 ORDER BY t.notified_at DESC, t.id"
    ))
    .bind(letter_id.as_str())
    .fetch_all(executor)
    .await
}

/// The identity verified for each decided transaction of a letter (ID-03): the name the
/// proofing at the reception, or the account's proofing that allowed the decision, verified.
pub async fn verified_names_of_letter<'c>(
    executor: impl Executor<'c, Database = Any>,
    letter_id: &LetterId,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, COALESCE(r.verified_name, p.verified_name) AS verified_name \
         FROM letter_transaction t \
         LEFT JOIN reception r ON r.id = t.reception_id \
         LEFT JOIN identity_proofing p ON p.id = t.recipient_identification_id \
         WHERE t.letter_id = $1 AND t.decided_at IS NOT NULL \
         AND COALESCE(r.verified_name, p.verified_name) IS NOT NULL",
    )
    .bind(letter_id.as_str())
    .fetch_all(executor)
    .await
}

/// Up to `limit` transactions addressed to `email_key`, or to one of `companies` (registry code
/// and number: those the reader acts for, policy §6.4), whose recipient was notified (LET-05),
/// from `at` on (indexes `letter_transaction_inbox`, `letter_transaction_company`): newest
/// first, but for [`Keyset::Newer`] the `limit` just newer than its cursor, oldest first.
pub async fn notified_to_address<'c>(
    executor: impl Executor<'c, Database = Any>,
    email_key: &str,
    companies: &[(String, String)],
    at: Keyset<'_>,
    limit: usize,
) -> Result<Vec<TransactionRecord>, sqlx::Error> {
    let (keyset, order) = at.clause("t.notified_at", "t.id", 4);
    let keyset = keyset.map(|k| format!(" AND {k}")).unwrap_or_default();
    let mut binds = vec![
        Bind::Text(email_key.to_owned()),
        Bind::Text(TransactionStatus::Notifying.code().to_owned()),
        Bind::Text(TransactionStatus::NotNotified.code().to_owned()),
    ];
    if let Some((time, id)) = at.cursor() {
        binds.push(Bind::Int(time));
        binds.push(Bind::Text(id));
    }
    let mut addressed = String::from("t.recipient_email_key = $1");
    for (registry, number) in companies {
        let n = binds.len() + 1;
        addressed.push_str(&format!(
            " OR (t.recipient_company_number = ${n} AND t.recipient_company_registry = ${})",
            n + 1
        ));
        binds.push(Bind::Text(number.clone()));
        binds.push(Bind::Text(registry.clone()));
    }
    let sql = format!(
        "{SELECT} WHERE ({addressed}) AND t.status NOT IN ($2, $3){keyset} \
         ORDER BY t.notified_at {order}, t.id {order} LIMIT {limit}"
    );
    bind_all(sqlx::query_as(&sql), binds)
        .fetch_all(executor)
        .await
}

/// A transaction being created at sending (LET-03).
pub struct NewTransaction<'a> {
    pub id: &'a TransactionId,
    pub letter_id: &'a LetterId,
    pub contact_id: &'a str,
    pub recipient_id: &'a str,
    pub recipient_name: &'a str,
    pub recipient_email: &'a str,
    pub recipient_email_key: &'a str,
    pub recipient_professional: bool,
    pub recipient_company: Option<&'a str>,
    /// `(registry code, number)`.
    pub recipient_company_number: Option<(&'a str, &'a str)>,
    /// The sending time: the notification instant is recorded at the hand-over
    /// ([`notified`]).
    pub sent_at: i64,
    pub access_token_hash: &'a str,
}

/// Records a transaction whose notification is on its way (`notifying`, issue 10): its
/// `notified_at` holds the sending time and its `expires_at` 0 until the hand-over.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    new: &NewTransaction<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO letter_transaction (id, letter_id, contact_id, recipient_id, \
         recipient_name, recipient_email, recipient_email_key, recipient_professional, \
         recipient_company, recipient_company_registry, recipient_company_number, status, \
         notified_at, expires_at, access_token_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, $14)",
    )
    .bind(new.id.as_str())
    .bind(new.letter_id.as_str())
    .bind(new.contact_id)
    .bind(new.recipient_id)
    .bind(new.recipient_name)
    .bind(new.recipient_email)
    .bind(new.recipient_email_key)
    .bind(i64::from(new.recipient_professional))
    .bind(new.recipient_company)
    .bind(new.recipient_company_number.map(|(registry, _)| registry))
    .bind(new.recipient_company_number.map(|(_, number)| number))
    .bind(TransactionStatus::Notifying.code())
    .bind(new.sent_at)
    .bind(new.access_token_hash)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The notification of `id` was handed over at `notified_at` (LET-05): the transaction moves
/// from `notifying` to `to` (awaiting) with its period's end; false when it was not notifying
/// any more.
pub async fn notified(
    tx: &mut Transaction<'_, Any>,
    id: &TransactionId,
    to: TransactionStatus,
    notified_at: i64,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE letter_transaction SET status = $1, notified_at = $2, expires_at = $3 \
         WHERE id = $4 AND status = $5",
    )
    .bind(to.code())
    .bind(notified_at)
    .bind(expires_at)
    .bind(id.as_str())
    .bind(TransactionStatus::Notifying.code())
    .execute(&mut **tx)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// The notification of `id` failed for good: `notifying` becomes `not_notified` (dates left as
/// they are: no period ever ran); false when it was not notifying any more.
pub async fn not_notified(
    tx: &mut Transaction<'_, Any>,
    id: &TransactionId,
) -> Result<bool, sqlx::Error> {
    let changed =
        sqlx::query("UPDATE letter_transaction SET status = $1 WHERE id = $2 AND status = $3")
            .bind(TransactionStatus::NotNotified.code())
            .bind(id.as_str())
            .bind(TransactionStatus::Notifying.code())
            .execute(&mut **tx)
            .await?;
    Ok(changed.rows_affected() == 1)
}

/// The recipient's decision (LET-08, LET-09): by their account or a reception proofing.
pub struct Decision<'a> {
    pub id: &'a TransactionId,
    pub status: TransactionStatus,
    pub at: i64,
    pub recipient_account_id: Option<&'a str>,
    pub reception_id: Option<&'a str>,
    pub recipient_identification_id: Option<&'a str>,
    /// The request letting the person who decided act for the company addressed (§6.4).
    pub recipient_member_id: Option<&'a str>,
}

/// Records a decision on an awaiting transaction whose period is not over; false when it was
/// decided or expired meanwhile.
pub async fn decide(
    tx: &mut Transaction<'_, Any>,
    decision: &Decision<'_>,
) -> Result<bool, sqlx::Error> {
    let decided = sqlx::query(
        "UPDATE letter_transaction SET status = $1, decided_at = $2, recipient_account_id = $3, \
         reception_id = $4, recipient_identification_id = $6, recipient_member_id = $7 \
         WHERE id = $5 AND status = 'awaiting' AND expires_at > $2",
    )
    .bind(decision.status.code())
    .bind(decision.at)
    .bind(decision.recipient_account_id)
    .bind(decision.reception_id)
    .bind(decision.id.as_str())
    .bind(decision.recipient_identification_id)
    .bind(decision.recipient_member_id)
    .execute(&mut **tx)
    .await?;
    Ok(decided.rows_affected() == 1)
}

/// Whether transaction `id` is still awaiting; on PostgreSQL the row stays locked until `tx`
/// ends, so that a decision waits for the caller (a reminder being sent).
pub async fn lock_awaiting(
    tx: &mut Transaction<'_, Any>,
    id: &TransactionId,
) -> Result<bool, sqlx::Error> {
    let still = sqlx::query(
        "UPDATE letter_transaction SET status = status WHERE id = $1 AND status = 'awaiting'",
    )
    .bind(id.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(still.rows_affected() == 1)
}

/// Moves transaction `id` from `from` to `to`, decided at `at` (the expiry, LET-10); false
/// when its state changed meanwhile.
pub async fn change_status(
    tx: &mut Transaction<'_, Any>,
    id: &TransactionId,
    from: TransactionStatus,
    to: TransactionStatus,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE letter_transaction SET status = $1, decided_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(to.code())
    .bind(at)
    .bind(id.as_str())
    .bind(from.code())
    .execute(&mut **tx)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// Records the hash of a new access token of `transaction_id`. `purpose` says which link
/// carried it (`notification`, `reminder:<day>`).
pub async fn insert_access_token(
    tx: &mut Transaction<'_, Any>,
    token_hash: &str,
    transaction_id: &TransactionId,
    purpose: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO letter_access_token (token_hash, transaction_id, purpose, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(transaction_id.as_str())
    .bind(purpose)
    .bind(at)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Whether a token with this hash opens `transaction_id`.
pub async fn has_access_token<'c>(
    executor: impl Executor<'c, Database = Any>,
    transaction_id: &TransactionId,
    token_hash: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT transaction_id FROM letter_access_token WHERE token_hash = $1 AND transaction_id = $2",
    )
    .bind(token_hash)
    .bind(transaction_id.as_str())
    .fetch_optional(executor)
    .await?;
    Ok(found.is_some())
}
