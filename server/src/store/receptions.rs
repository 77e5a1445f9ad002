//! Table `reception`: identity proofings of recipients at a reception (ID-03), by people who
//! may have no account. A successful one opens a reception session (its token's hash in
//! `session_token_hash`) until `session_expires_at`.

use sqlx::{Any, Executor};

/// A reception proofing.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReceptionRecord {
    pub id: String,
    /// `pending`, `succeeded` or `failed` (`identity::ProofingStatus`).
    pub status: String,
    pub provider_session_id: String,
    pub verified_name: Option<String>,
    pub finished_at: Option<i64>,
    pub session_expires_at: Option<i64>,
    /// Why it failed, when the provider says.
    pub failure: Option<String>,
}

/// The proofing of the reception session whose token has this hash, at `transaction_id`.
pub async fn of_session<'c>(
    executor: impl Executor<'c, Database = Any>,
    transaction_id: &str,
    session_token_hash: &str,
) -> Result<Option<ReceptionRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, status, provider_session_id, verified_name, finished_at, \
         session_expires_at, failure FROM reception \
         WHERE transaction_id = $1 AND session_token_hash = $2",
    )
    .bind(transaction_id)
    .bind(session_token_hash)
    .fetch_optional(executor)
    .await
}

/// The reception proofing of `provider`'s session: (reception id, transaction id).
pub async fn by_provider_session<'c>(
    executor: impl Executor<'c, Database = Any>,
    provider: &str,
    provider_session_id: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, transaction_id FROM reception WHERE provider = $1 AND provider_session_id = $2",
    )
    .bind(provider)
    .bind(provider_session_id)
    .fetch_optional(executor)
    .await
}

/// A reception proofing being started at a provider.
pub struct NewReception<'a> {
    pub id: &'a str,
    pub transaction_id: &'a str,
    pub provider: &'a str,
    pub qualified: bool,
    pub provider_session_id: &'a str,
    pub started_at: i64,
    pub session_token_hash: &'a str,
}

/// Records a pending reception proofing.
pub async fn insert<'c>(
    executor: impl Executor<'c, Database = Any>,
    reception: &NewReception<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO reception (id, transaction_id, provider, qualified, provider_session_id, \
         status, started_at, session_token_hash) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)",
    )
    .bind(reception.id)
    .bind(reception.transaction_id)
    .bind(reception.provider)
    .bind(i64::from(reception.qualified))
    .bind(reception.provider_session_id)
    .bind(reception.started_at)
    .bind(reception.session_token_hash)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Records the decision of a pending reception proofing (and, on success, when its session
/// ends); false when it was decided already.
pub async fn finish<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    status: &str,
    verified_name: Option<String>,
    now: i64,
    evidence_id: Option<String>,
    (session_expires_at, failure): (Option<i64>, Option<&str>),
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE reception SET status = $1, verified_name = $2, finished_at = $3, evidence_id = $4, \
         session_expires_at = $5, failure = $7 WHERE id = $6 AND status = 'pending'",
    )
    .bind(status)
    .bind(verified_name)
    .bind(now)
    .bind(evidence_id)
    .bind(session_expires_at)
    .bind(id)
    .bind(failure)
    .execute(executor)
    .await?;
    Ok(updated.rows_affected() == 1)
}
