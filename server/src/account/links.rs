//! Links sent by email (address confirmation, reactivation, password reset): a random 256-bit
//! token in the link, its SHA-256 in the database with a purpose, an account and an expiry. A
//! token cannot be forged (only its hash is stored), works once, and only until `expires_at`.

use sqlx::{Any, Transaction};

use super::session::{new_token, token_hash};
use crate::store::links;

/// Validity of an emailed link: 15 minutes (ACC-02, issue 4).
pub use domain::policy::LINK_VALIDITY_MS as VALIDITY_MS;

/// What a link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    ConfirmEmail,
    /// ACC-02: reactivation of a deactivated account.
    Reactivate,
    /// A forgotten password (issue 11): the link opens the page that sets a new one.
    ResetPassword,
}

impl Purpose {
    /// The address of the page the emailed link opens, under the service's public URL
    /// `base` (no trailing slash).
    pub fn url(self, base: &str, token: &str) -> String {
        match self {
            Purpose::ConfirmEmail => format!("{base}/confirm-email?token={token}"),
            Purpose::Reactivate => format!("{base}/reactivate?token={token}"),
            Purpose::ResetPassword => format!("{base}/password/reset/{token}"),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::Reactivate => "reactivate",
            Purpose::ResetPassword => "reset_password",
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
    links::insert(
        &mut **tx,
        &token_hash(&token),
        purpose.as_str(),
        account_id,
        now,
        now + VALIDITY_MS,
    )
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
    links::spend(tx, &token_hash(token.trim()), purpose.as_str(), now).await
}

/// The account of `token` if it would be accepted by [`consume`] at `now`, without spending it.
pub async fn check(
    db: &crate::db::Db,
    purpose: Purpose,
    token: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    links::find_valid(db.pool(), &token_hash(token.trim()), purpose.as_str(), now).await
}

/// Spends every unused link of `account_id` for `purpose` (e.g. the other reset links once
/// the password is reset).
pub async fn spend_all(
    tx: &mut Transaction<'_, Any>,
    purpose: Purpose,
    account_id: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    links::spend_all(&mut **tx, account_id, purpose.as_str(), now).await
}
