//! The `account` table and its `recovery_code`s (issue 4, ACC-01, ACC-02).

use sqlx::{Any, Executor, Transaction};

/// An account row, as the account flows need it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AccountRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    /// Milliseconds since the epoch; `None` until the address is confirmed.
    pub email_confirmed_at: Option<i64>,
    pub totp_secret: Option<String>,
    /// A secret being enrolled, until a first code confirms it.
    pub totp_pending_secret: Option<String>,
    /// The last accepted TOTP time step (never accepted twice).
    pub totp_last_step: Option<i64>,
    pub deactivated_at: Option<i64>,
    pub reactivated_at: Option<i64>,
    /// The second-factor method chosen: `totp`, `passkey`, or `None` before any enrolment
    /// (issue 14).
    pub second_factor: Option<String>,
}

impl AccountRow {
    /// Whether a second factor is enrolled (AUTH-01): an authenticator app or passkeys.
    pub fn has_second_factor(&self) -> bool {
        self.second_factor.is_some()
    }

    /// Whether the second factor is passkeys (issue 14).
    pub fn uses_passkeys(&self) -> bool {
        self.second_factor.as_deref() == Some(METHOD_PASSKEY)
    }
}

/// [`AccountRow::second_factor`]'s values.
pub const METHOD_TOTP: &str = "totp";
pub const METHOD_PASSKEY: &str = "passkey";

/// What other areas may learn of an account found by its address.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AccountSummary {
    pub id: String,
    pub name: String,
    pub deactivated_at: Option<i64>,
}

/// A new account (sign-up).
pub struct NewAccount<'a> {
    pub id: &'a str,
    pub email: &'a str,
    /// The address normalised for comparison.
    pub email_key: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub terms_version: &'a str,
    /// The OID of those terms (TERMS-01).
    pub terms_oid: &'a str,
    pub created_at: i64,
}

/// The account whose id is `id`.
pub async fn by_id(
    db: impl Executor<'_, Database = Any>,
    id: &str,
) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, email, name, password_hash, email_confirmed_at, totp_secret, \
         totp_pending_secret, totp_last_step, deactivated_at, reactivated_at, second_factor \
         FROM account WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The account whose normalised address is `email_key`.
pub async fn by_email_key(
    db: impl Executor<'_, Database = Any>,
    email_key: &str,
) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, email, name, password_hash, email_confirmed_at, totp_secret, \
         totp_pending_secret, totp_last_step, deactivated_at, reactivated_at, second_factor \
         FROM account WHERE email_key = $1",
    )
    .bind(email_key)
    .fetch_optional(db)
    .await
}

/// The account with this normalised address, in brief.
pub async fn summary_by_email_key(
    db: impl Executor<'_, Database = Any>,
    email_key: &str,
) -> Result<Option<AccountSummary>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, deactivated_at FROM account WHERE email_key = $1")
        .bind(email_key)
        .fetch_optional(db)
        .await
}

/// Creates an account; its terms are accepted at creation.
pub async fn insert(
    db: impl Executor<'_, Database = Any>,
    account: &NewAccount<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account (id, email, email_key, name, password_hash, terms_version, \
         terms_oid, terms_accepted_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(account.id)
    .bind(account.email)
    .bind(account.email_key)
    .bind(account.name)
    .bind(account.password_hash)
    .bind(account.terms_version)
    .bind(account.terms_oid)
    .bind(account.created_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Marks the address confirmed (once: a second confirmation keeps the first time).
pub async fn confirm_email(
    db: impl Executor<'_, Database = Any>,
    id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE account SET email_confirmed_at = $1 WHERE id = $2 AND email_confirmed_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Replaces the password's PHC string.
pub async fn set_password(
    db: impl Executor<'_, Database = Any>,
    id: &str,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Records `step` as the last accepted TOTP time step, if it is newer than the last one;
/// false when it is not (conditional, so that two requests racing with one code cannot both
/// win).
pub async fn accept_totp_step(
    db: impl Executor<'_, Database = Any>,
    id: &str,
    step: i64,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE account SET totp_last_step = $1 WHERE id = $2 \
         AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(id)
    .execute(db)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Keeps a new TOTP secret pending until a first code confirms it.
pub async fn set_pending_totp(
    db: impl Executor<'_, Database = Any>,
    id: &str,
    secret: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account SET totp_pending_secret = $1 WHERE id = $2")
        .bind(secret)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Makes `secret` the account's TOTP secret, with `step` as its last accepted time step.
pub async fn enrol_totp(
    db: impl Executor<'_, Database = Any>,
    id: &str,
    secret: &str,
    now: i64,
    step: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE account SET totp_secret = $1, totp_pending_secret = NULL, totp_enrolled_at = $2, \
         totp_last_step = $3, second_factor = 'totp' WHERE id = $4",
    )
    .bind(secret)
    .bind(now)
    .bind(step)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Removes the account's TOTP method (enrolled or pending).
pub async fn remove_totp(
    db: impl Executor<'_, Database = Any>,
    id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE account SET totp_secret = NULL, totp_pending_secret = NULL, \
         totp_enrolled_at = NULL, totp_last_step = NULL, \
         second_factor = CASE WHEN second_factor = 'totp' THEN NULL ELSE second_factor END \
         WHERE id = $1",
    )
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Sets the account's second-factor method ([`METHOD_TOTP`], [`METHOD_PASSKEY`] or none).
pub async fn set_second_factor_method(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
    method: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account SET second_factor = $1 WHERE id = $2")
        .bind(method)
        .bind(account_id)
        .execute(db)
        .await
        .map(|_| ())
}

/// Deactivates the account (ACC-01).
pub async fn deactivate(
    db: impl Executor<'_, Database = Any>,
    id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account SET deactivated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Reactivates a deactivated account (ACC-02); false when it was active already.
pub async fn reactivate(
    db: impl Executor<'_, Database = Any>,
    id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let reactivated = sqlx::query(
        "UPDATE account SET deactivated_at = NULL, reactivated_at = $1 WHERE id = $2 \
         AND deactivated_at IS NOT NULL",
    )
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(reactivated.rows_affected() == 1)
}

/// Spends the unused recovery code whose hash is `code_hash`; false when there is none.
pub async fn spend_recovery_code(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
    code_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let spent = sqlx::query(
        "UPDATE recovery_code SET used_at = $1 WHERE account_id = $2 AND code_hash = $3 \
         AND used_at IS NULL",
    )
    .bind(now)
    .bind(account_id)
    .bind(code_hash)
    .execute(db)
    .await?;
    Ok(spent.rows_affected() == 1)
}

/// Deletes every recovery code of the account.
pub async fn delete_recovery_codes(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_code WHERE account_id = $1")
        .bind(account_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Replaces the account's recovery codes by those whose hashes are `code_hashes`.
pub async fn replace_recovery_codes(
    tx: &mut Transaction<'_, Any>,
    account_id: &str,
    code_hashes: &[String],
    now: i64,
) -> Result<(), sqlx::Error> {
    delete_recovery_codes(&mut **tx, account_id).await?;
    for hash in code_hashes {
        sqlx::query(
            "INSERT INTO recovery_code (account_id, code_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(account_id)
        .bind(hash)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The version of the sender terms `account_id` accepted (TERMS-01, OPS-07).
pub async fn terms_version(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar::<_, Option<String>>("SELECT terms_version FROM account WHERE id = $1")
        .bind(account_id)
        .fetch_optional(db)
        .await
        .map(Option::flatten)
}

/// Records that `account_id` accepted the sender terms `version` (OID `oid`).
pub async fn set_terms(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
    version: &str,
    oid: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account SET terms_version = $1, terms_oid = $2 WHERE id = $3")
        .bind(version)
        .bind(oid)
        .bind(account_id)
        .execute(db)
        .await
        .map(|_| ())
}

/// The addresses of the confirmed, active accounts (an announcement to every user).
pub async fn active_addresses(
    db: impl Executor<'_, Database = Any>,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT email FROM account WHERE email_confirmed_at IS NOT NULL \
         AND deactivated_at IS NULL ORDER BY email_key",
    )
    .fetch_all(db)
    .await
}

/// Claims the announcement of edition `version` of `kind`: whether this call did (another
/// instance may have).
pub async fn claim_announcement(
    db: impl Executor<'_, Database = Any>,
    kind: &str,
    version: &str,
    at: i64,
    recipients: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO terms_announcement (kind, version, announced_at, recipients) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(kind)
    .bind(version)
    .bind(at)
    .bind(recipients)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
