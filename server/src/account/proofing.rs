//! Identity proofing of account holders (ID-01, ID-02, ID-04; ACC-02 for reactivated
//! accounts): their status, and the start of a proofing through the one proofing flow
//! ([`crate::identity::proofing`], purpose [`Purpose::Account`]).

use app::api::Caller;
use app::error::AppError;
use app::types::{IdentityStatus, QualifiedAction};

use super::session::LoginSession;
use super::{Account, require_otp};
use crate::AppState;
use crate::error::ServerError;
use crate::identity::ProofingStatus;
use crate::identity::proofing::{self, Purpose};
use crate::store::proofings;

impl AppState {
    /// The identity-proofing status of `account` (ID-01, ID-02), and the id of the proofing
    /// that verifies it. A pending proofing is polled at the provider and, once decided,
    /// recorded and journaled. Only a proofing newer than the last reactivation counts
    /// (ACC-02).
    pub(super) async fn identity_status(
        &self,
        caller: &Caller,
        account: &Account,
    ) -> Result<(IdentityStatus, Option<String>), ServerError> {
        let mut latest = proofings::latest(self.db.pool(), &account.id).await?;
        if let Some(pending) = &latest
            && pending.status == ProofingStatus::Pending.as_str()
        {
            proofing::poll(
                self,
                caller,
                &purpose(account),
                &pending.id,
                &pending.provider_session_id,
            )
            .await?;
            latest = proofings::latest(self.db.pool(), &account.id).await?;
        }
        let since = account.reactivated_at.unwrap_or(i64::MIN);
        if let Some(verified) =
            proofings::verified_since(self.db.pool(), &account.id, since).await?
        {
            return Ok((
                IdentityStatus::Verified {
                    verified_name: verified.verified_name,
                    qualified_provider: verified.qualified == 1,
                },
                Some(verified.id),
            ));
        }
        let status = match latest {
            Some(latest) if latest.started_at > since => match latest.status.as_str() {
                "pending" => IdentityStatus::Pending,
                "failed" => IdentityStatus::Failed {
                    reason: latest.failure,
                },
                _ => IdentityStatus::NotVerified,
            },
            _ => IdentityStatus::NotVerified,
        };
        Ok((status, None))
    }
}

/// ID-02 (with AUTH-02): what a qualified action demands — a live OTP session and a
/// successful identity proofing newer than any reactivation.
pub async fn require_qualified_action(
    state: &AppState,
    caller: Caller,
) -> Result<QualifiedAction, ServerError> {
    let (login, account) = state.require_signed_in(&caller).await?;
    qualified_action(state, &caller, &login, &account).await
}

/// [`require_qualified_action`] for the session and account already looked up (one lookup,
/// one session touch per request).
pub(super) async fn qualified_action(
    state: &AppState,
    caller: &Caller,
    login: &LoginSession,
    account: &Account,
) -> Result<QualifiedAction, ServerError> {
    let otp = require_otp(state, caller, login, account).await?;
    match state.identity_status(caller, account).await? {
        (IdentityStatus::Verified { verified_name, .. }, Some(identification_id)) => {
            Ok(QualifiedAction {
                otp,
                identification_id,
                verified_name,
            })
        }
        _ => Err(AppError::IdentityProofingRequired.into()),
    }
}

/// ID-01: starts a proofing at the provider; returns the page to send the user to.
pub async fn proofing_start(state: &AppState, caller: Caller) -> Result<String, ServerError> {
    let (_, account) = state.require_signed_in(&caller).await?;
    let public_url = state.config.server.public_url.trim_end_matches('/');
    let started = proofing::start(state, &caller, &purpose(&account), |id| {
        format!("{public_url}/profile?proofing={id}")
    })
    .await?;
    Ok(started.redirect_url)
}

/// The purpose of an account holder's proofing.
fn purpose(account: &Account) -> Purpose {
    Purpose::Account {
        account_id: account.id.clone(),
        email: account.email.clone(),
        declared_name: account.name.clone(),
    }
}
