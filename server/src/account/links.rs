//! Links sent by email (address confirmation; reactivation later): a random 256-bit token in
//! the link, its SHA-256 in the database with a purpose, an account and an expiry. A token
//! cannot be forged (only its hash is stored), works once, and only until `expires_at`.

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
