//! Identity proofing of account holders (ID-01, ID-02, ID-04; ACC-02 for reactivated
//! accounts), through the [`IdentityProvider`] of this server.

use app::api::Caller;
use app::error::AppError;
use app::types::{IdentityStatus, QualifiedAction};
use serde_json::json;

use super::{Account, auth_event, require_otp};
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::identity::{self, IdentityProvider, ProofingOutcome, ProofingRequest, ProofingStatus};
use crate::store::proofings::{self, NewProofing};

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
        let latest = proofings::latest(self.db.pool(), &account.id).await?;
        if let Some(latest) = &latest
            && latest.status == ProofingStatus::Pending.as_str()
            && let Some(provider) = identity::provider(self)
        {
            let outcome = provider.result(&latest.provider_session_id).await?;
            if outcome.status != ProofingStatus::Pending {
                self.finish_proofing(caller, account, &latest.id, provider.as_ref(), &outcome)
                    .await?;
            }
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
        let latest = proofings::latest_started(self.db.pool(), &account.id).await?;
        let status = match latest {
            Some(latest) if latest.started_at > since => match latest.status.as_str() {
                "pending" => IdentityStatus::Pending,
                "failed" => IdentityStatus::Failed,
                _ => IdentityStatus::NotVerified,
            },
            _ => IdentityStatus::NotVerified,
        };
        Ok((status, None))
    }

    /// Records a provider's decision (ID-04: the identification record; its sealed evidence
    /// PDF is to be produced here once the evidence engine exists).
    async fn finish_proofing(
        &self,
        caller: &Caller,
        account: &Account,
        proofing_id: &str,
        provider: &dyn IdentityProvider,
        outcome: &ProofingOutcome,
    ) -> Result<(), ServerError> {
        let now = self.clock.device_now().timestamp_millis();
        // ID-04: a successful proofing yields a sealed, time-stamped identification evidence,
        // sealed before the transaction (HSM + TSA) and stored in it with the result.
        let identification = match outcome.identification_evidence(
            &self.sealer,
            self.clock.now(),
            provider.name(),
            &account.id,
            &account.email,
        ) {
            Some(evidence) => {
                let pdf = self.sealer.seal(&evidence).await?;
                Some((evidence, pdf))
            }
            None => None,
        };
        let mut tx = self.db.pool().begin().await?;
        let finished = proofings::finish(
            &mut *tx,
            proofing_id,
            outcome.status.as_str(),
            outcome.verified_name.clone(),
            now,
            identification
                .as_ref()
                .map(|(evidence, _)| evidence.id.clone()),
        )
        .await?;
        if !finished {
            return Ok(());
        }
        if let Some((evidence, pdf)) = &identification {
            crate::sealing::store_in(&mut tx, evidence, pdf, None).await?;
        }
        let action = if outcome.status == ProofingStatus::Succeeded {
            "proofing_succeeded"
        } else {
            "proofing_failed"
        };
        let event = auth_event(
            action,
            Some(&account.id),
            caller,
            json!({ "user_id": account.id, "proofing_id": proofing_id,
                    "provider": provider.name(), "qualified_provider": provider.qualified(),
                    "provider_session_id": outcome.provider_session_id,
                    "declared_name": account.name, "verified_name": outcome.verified_name,
                    "result": outcome.status.as_str() }),
        );
        audit::record_in(&mut tx, self.clock.now(), &event).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// ID-02 (with AUTH-02): what a qualified action demands — a live OTP session and a
/// successful identity proofing newer than any reactivation.
pub async fn require_qualified_action(
    state: &AppState,
    caller: Caller,
) -> Result<QualifiedAction, ServerError> {
    let (login, account) = state.require_signed_in(&caller).await?;
    let otp = require_otp(state, &caller, &login, &account).await?;
    match state.identity_status(&caller, &account).await? {
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
    let provider = identity::provider(state).ok_or(AppError::IdentityProviderUnavailable)?;
    let id = uuid::Uuid::now_v7().to_string();
    let return_url = format!(
        "{}/profile?proofing={id}",
        state.config.server.public_url.trim_end_matches('/')
    );
    let started = provider
        .start(ProofingRequest {
            reference: id.clone(),
            expected_name: account.name.clone(),
            return_url,
        })
        .await?;
    let mut tx = state.db.pool().begin().await?;
    proofings::insert(
        &mut *tx,
        &NewProofing {
            id: &id,
            account_id: &account.id,
            provider: provider.name(),
            qualified: provider.qualified(),
            provider_session_id: &started.provider_session_id,
            started_at: state.clock.device_now().timestamp_millis(),
        },
    )
    .await?;
    let event = auth_event(
        "proofing_started",
        Some(&account.id),
        &caller,
        json!({ "user_id": account.id, "proofing_id": id, "provider": provider.name(),
                "qualified_provider": provider.qualified(),
                "provider_session_id": started.provider_session_id }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    tx.commit().await?;
    Ok(started.redirect_url)
}

/// ID-01: a result pushed by a provider (`POST /identity/callback/<provider>`). Returns
/// `Ok(false)` when the signature does not verify (journaled), [`AppError::NotFound`] for an
/// unknown provider or session; a decided proofing is recorded as by polling.
/// (Still the user's error: the callback route answers 404 for [`AppError::NotFound`].)
pub async fn proofing_callback(
    state: &AppState,
    caller: Caller,
    provider_name: &str,
    signature: &str,
    body: &[u8],
) -> Result<bool, AppError> {
    let provider = identity::provider(state)
        .filter(|p| p.name() == provider_name)
        .ok_or(AppError::NotFound)?;
    let outcome = match provider.verify_callback(signature, body) {
        Ok(outcome) => outcome,
        Err(error) => {
            state
                .record_auth(
                    "proofing_callback_refused",
                    None,
                    &caller,
                    json!({ "provider": provider.name(), "reason": error.to_string() }),
                )
                .await?;
            return Ok(false);
        }
    };
    let owner = proofings::by_provider_session(
        state.db.pool(),
        provider.name(),
        &outcome.provider_session_id,
    )
    .await
    .map_err(ServerError::from)?;
    let Some(proofings::ProofingOwner {
        id: proofing_id,
        account_id,
    }) = owner
    else {
        // ID-03: a proofing at a reception, by a recipient without an account.
        return if crate::letters::reception::proofing_callback(
            state,
            &caller,
            provider.name(),
            &outcome,
        )
        .await?
        {
            Ok(true)
        } else {
            Err(AppError::NotFound)
        };
    };
    let account = state
        .account_by_id(&account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if outcome.status != ProofingStatus::Pending {
        state
            .finish_proofing(&caller, &account, &proofing_id, provider.as_ref(), &outcome)
            .await?;
    }
    Ok(true)
}
