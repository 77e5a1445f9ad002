//! Links sent by email (address confirmation; reactivation later): a random 256-bit token in
//! the link, its SHA-256 in the database with a purpose, an account and an expiry. A token
//! cannot be forged (only its hash is stored), works once, and only until `expires_at`.

use sqlx::{Any, Transaction};

use super::session::{new_token, token_hash};

/// Validity of an emailed link: 15 minutes (ACC-02, issue 4).
pub use domain::policy::LINK_VALIDITY_MS as VALIDITY_MS;

/// What a link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    ConfirmEmail,
    /// ACC-02: reactivation of a deactivated account.
    Reactivate,
}

impl Purpose {
    /// The page the emailed link opens.
    pub fn page(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "/confirm-email",
            Purpose::Reactivate => "/reactivate",
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::Reactivate => "reactivate",
        }
    }
}

/// Issues a token for `account_id`, valid [`VALIDITY_MS`] from `now`.
pub async fn issue(
    tx: &mut Transaction<'_, Any>,
    purpose: Purpose,
    account_id: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO email_token (token_hash, purpose, account_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(purpose.as_str())
    .bind(account_id)
    .bind(now)
    .bind(now + VALIDITY_MS)
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

/// Spends `token`: returns its account if it is known, unused, for `purpose` and not
/// expired at `now` (valid while `now < expires_at`).
pub async fn consume(
    tx: &mut Transaction<'_, Any>,
    purpose: Purpose,
    token: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let hash = token_hash(token.trim());
    let spent = sqlx::query(
        "UPDATE email_token SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(&hash)
    .bind(purpose.as_str())
    .execute(&mut **tx)
    .await?;
    if spent.rows_affected() != 1 {
        return Ok(None);
    }
    let (account,): (String,) =
        sqlx::query_as("SELECT account_id FROM email_token WHERE token_hash = $1")
            .bind(&hash)
            .fetch_one(&mut **tx)
            .await?;
    Ok(Some(account))
}
