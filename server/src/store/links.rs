//! The `email_token` table: links sent by email, stored as their token's SHA-256.

use sqlx::{Any, Executor, Transaction};

/// Stores a link token's hash for `purpose` and `account_id`, valid until `expires_at`.
pub async fn insert(
    db: impl Executor<'_, Database = Any>,
    token_hash: &str,
    purpose: &str,
    account_id: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO email_token (token_hash, purpose, account_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(purpose)
    .bind(account_id)
    .bind(now)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Marks the token used if it is known, unused, for `purpose` and not expired at `now`
/// (valid while `now < expires_at`); returns its account.
pub async fn spend(
    tx: &mut Transaction<'_, Any>,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let spent = sqlx::query(
        "UPDATE email_token SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(token_hash)
    .bind(purpose)
    .execute(&mut **tx)
    .await?;
    if spent.rows_affected() != 1 {
        return Ok(None);
    }
    let (account,): (String,) =
        sqlx::query_as("SELECT account_id FROM email_token WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_one(&mut **tx)
            .await?;
    Ok(Some(account))
}

/// The account of the token if it is known, unused, for `purpose` and not expired at `now`,
/// without spending it (a page shows whether its link still works before the form is sent).
pub async fn find_valid(
    db: impl Executor<'_, Database = Any>,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT account_id FROM email_token \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(found.map(|(account,)| account))
}

/// Marks every unused token of `account_id` for `purpose` used at `now` (a reset password
/// makes the other reset links of the account worthless); how many.
pub async fn spend_all(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
    purpose: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let spent = sqlx::query(
        "UPDATE email_token SET used_at = $1 \
         WHERE account_id = $2 AND purpose = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(account_id)
    .bind(purpose)
    .execute(db)
    .await?;
    Ok(spent.rows_affected())
}
