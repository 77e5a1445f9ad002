//! What the rest of the service (letters, contacts) may learn about a caller: the signed-in
//! account, its live OTP session (AUTH-02) and what a qualified action records (AUTH-04,
//! ID-02), without reaching into the account flows themselves.

use app::api::Caller;
use app::types::{IdentityStatus, OtpSessionInfo, QualifiedAction};

use super::{Account, Lookup, awaiting_second_factor, require_otp};
use crate::AppState;
use crate::error::ServerError;
use crate::store::accounts;

/// The person a successful identity proofing verified (ID-02, ID-04).
#[derive(Clone, Debug)]
pub struct VerifiedIdentity {
    /// The name the provider verified.
    pub name: String,
    /// The proofing's id (its identification evidence belongs to every dossier it served).
    pub identification_id: String,
}

/// A signed-in account (past its second factor), as other modules see it.
#[derive(Clone, Debug)]
pub struct Principal {
    pub account_id: String,
    /// The name declared at sign-up.
    pub name: String,
    pub email: String,
    /// The address normalised for comparison (`account.email_key`).
    pub email_key: String,
    pub login_session_id: String,
    /// Milliseconds since the epoch.
    pub login_time: i64,
}

impl Principal {
    fn of(login: super::session::LoginSession, account: Account) -> Principal {
        Principal {
            email_key: email_key(&account.email),
            account_id: account.id,
            name: account.name,
            email: account.email,
            login_session_id: login.id,
            login_time: login.created_at,
        }
    }
}

/// The normalised form of an address used to compare addresses (`*.email_key` columns).
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl AppState {
    /// The caller's signed-in account, or the error that says why there is none.
    pub async fn principal(&self, caller: &Caller) -> Result<Principal, ServerError> {
        let (login, account) = self.require_signed_in(caller).await?;
        Ok(Principal::of(login, account))
    }

    /// The caller's signed-in account, if any (no error for anonymous callers).
    pub async fn principal_if_any(
        &self,
        caller: &Caller,
    ) -> Result<Option<Principal>, ServerError> {
        match self.lookup(caller).await? {
            Lookup::Live(live)
                if live.1.has_second_factor() && !awaiting_second_factor(&live.0, &live.1) =>
            {
                let (login, account) = *live;
                Ok(Some(Principal::of(login, account)))
            }
            _ => Ok(None),
        }
    }

    /// The caller's live OTP session (AUTH-02), or [`AppError::OtpSessionRequired`].
    pub async fn otp_session(&self, caller: &Caller) -> Result<OtpSessionInfo, ServerError> {
        let (login, account) = self.require_signed_in(caller).await?;
        require_otp(self, caller, &login, &account).await
    }

    /// What a qualified action demands and records (AUTH-02, AUTH-04, ID-02), with the
    /// account performing it.
    pub async fn qualified(
        &self,
        caller: &Caller,
    ) -> Result<(Principal, QualifiedAction), ServerError> {
        let (login, account) = self.require_signed_in(caller).await?;
        let action = super::proofing::qualified_action(self, caller, &login, &account).await?;
        Ok((Principal::of(login, account), action))
    }

    /// The identity that a successful proofing of `principal`'s account verified (newer than
    /// any reactivation), if any: what spares an account holder a proofing at each reception
    /// (policy §4.4, ID-03). A pending proofing is polled first. `principal` is the caller's,
    /// already looked up (no second session lookup or touch).
    pub async fn verified_identity(
        &self,
        caller: &Caller,
        principal: &Principal,
    ) -> Result<Option<VerifiedIdentity>, ServerError> {
        let account = self
            .account_by_id(&principal.account_id)
            .await?
            .ok_or_else(|| ServerError::internal("principal of a missing account"))?;
        Ok(match self.identity_status(caller, &account).await? {
            (IdentityStatus::Verified { verified_name, .. }, Some(identification_id)) => {
                Some(VerifiedIdentity {
                    name: verified_name,
                    identification_id,
                })
            }
            _ => None,
        })
    }

    /// The account with this address, if any: (id, name, deactivated).
    pub async fn account_by_email_key(
        &self,
        key: &str,
    ) -> Result<Option<(String, String, bool)>, ServerError> {
        let row = accounts::summary_by_email_key(self.db.pool(), key).await?;
        Ok(row.map(|a| (a.id, a.name, a.deactivated_at.is_some())))
    }
}
