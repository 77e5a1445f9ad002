//! The `identity_proofing` table: identity proofings of account holders (ID-01, ID-02, ID-04).

use sqlx::{Any, Executor};

/// The latest proofing of an account, to poll it while pending.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LatestProofing {
    pub id: String,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub provider_session_id: String,
    /// Milliseconds since the epoch.
    pub started_at: i64,
    /// Why it failed, when the provider said.
    pub failure: Option<String>,
}

/// A successful proofing.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct VerifiedProofing {
    pub id: String,
    pub verified_name: String,
    /// 1 when the provider is qualified (a boolean stored as an integer).
    pub qualified: i64,
}

/// The proofing a provider's session belongs to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ProofingOwner {
    pub id: String,
    pub account_id: String,
}

/// A proofing being started at a provider.
pub struct NewProofing<'a> {
    pub id: &'a str,
    pub account_id: &'a str,
    pub provider: &'a str,
    pub qualified: bool,
    pub provider_session_id: &'a str,
    pub started_at: i64,
}

/// The latest proofing of the account.
pub async fn latest(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
) -> Result<Option<LatestProofing>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, status, provider_session_id, started_at, failure FROM identity_proofing \
         WHERE account_id = $1 ORDER BY started_at DESC, id DESC LIMIT 1",
    )
    .bind(account_id)
    .fetch_optional(db)
    .await
}

/// The latest successful proofing of the account finished after `since`.
pub async fn verified_since(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
    since: i64,
) -> Result<Option<VerifiedProofing>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, verified_name, qualified FROM identity_proofing WHERE account_id = $1 \
         AND status = 'succeeded' AND finished_at > $2 ORDER BY finished_at DESC LIMIT 1",
    )
    .bind(account_id)
    .bind(since)
    .fetch_optional(db)
    .await
}

/// The proofing of `provider`'s session `provider_session_id`.
pub async fn by_provider_session(
    db: impl Executor<'_, Database = Any>,
    provider: &str,
    provider_session_id: &str,
) -> Result<Option<ProofingOwner>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, account_id FROM identity_proofing WHERE provider = $1 AND provider_session_id = $2",
    )
    .bind(provider)
    .bind(provider_session_id)
    .fetch_optional(db)
    .await
}

/// Records a pending proofing.
pub async fn insert(
    db: impl Executor<'_, Database = Any>,
    proofing: &NewProofing<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO identity_proofing (id, account_id, provider, qualified, provider_session_id, \
         status, started_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
    )
    .bind(proofing.id)
    .bind(proofing.account_id)
    .bind(proofing.provider)
    .bind(i64::from(proofing.qualified))
    .bind(proofing.provider_session_id)
    .bind(proofing.started_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Records the decision of a pending proofing; false when it was decided already.
pub async fn finish(
    db: impl Executor<'_, Database = Any>,
    id: &str,
    status: &str,
    verified_name: Option<String>,
    now: i64,
    evidence_id: Option<String>,
    failure: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE identity_proofing SET status = $1, verified_name = $2, finished_at = $3, \
         evidence_id = $4, failure = $6 WHERE id = $5 AND status = 'pending'",
    )
    .bind(status)
    .bind(verified_name)
    .bind(now)
    .bind(evidence_id)
    .bind(id)
    .bind(failure)
    .execute(db)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// The identification evidence of proofing `id`, if it succeeded (ID-04).
pub async fn evidence_of(
    db: impl Executor<'_, Database = Any>,
    id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT evidence_id FROM identity_proofing WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.and_then(|(evidence_id,)| evidence_id))
}

/// The identification evidence of the account's latest successful proofing, if any.
pub async fn latest_evidence_of_account(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT evidence_id FROM identity_proofing WHERE account_id = $1 \
         AND status = 'succeeded' AND evidence_id IS NOT NULL \
         ORDER BY finished_at DESC LIMIT 1",
    )
    .bind(account_id)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(evidence_id,)| evidence_id))
}
