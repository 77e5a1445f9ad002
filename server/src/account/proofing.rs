//! Identity proofing of account holders (ID-01, ID-02, ID-04; ACC-02 for reactivated
//! accounts), through the [`IdentityProvider`] of this server.

use app::api::Caller;
use app::error::AppError;
use app::types::{IdentityStatus, QualifiedAction};
use serde_json::json;

use super::{Account, auth_event, require_otp};
use crate::AppState;
use crate::audit;
use crate::identity::{self, IdentityProvider, ProofingOutcome, ProofingRequest, ProofingStatus};
use crate::services::internal;

impl AppState {
    /// The identity-proofing status of `account` (ID-01, ID-02), and the id of the proofing
    /// that verifies it. A pending proofing is polled at the provider and, once decided,
    /// recorded and journaled. Only a proofing newer than the last reactivation counts
    /// (ACC-02).
    pub(super) async fn identity_status(
        &self,
        caller: &Caller,
        account: &Account,
    ) -> Result<(IdentityStatus, Option<String>), AppError> {
        let latest: Option<(String, String, String)> = sqlx::query_as(
            "SELECT id, status, provider_session_id FROM identity_proofing WHERE account_id = $1 \
             ORDER BY started_at DESC, id DESC LIMIT 1",
        )
        .bind(&account.id)
        .fetch_optional(self.db.pool())
        .await
        .map_err(internal)?;
        if let Some((id, status, provider_session_id)) = &latest
            && status == ProofingStatus::Pending.as_str()
            && let Some(provider) = identity::provider(self)
        {
            let outcome = provider
                .result(provider_session_id)
                .await
                .map_err(internal)?;
            if outcome.status != ProofingStatus::Pending {
                self.finish_proofing(caller, account, id, provider.as_ref(), &outcome)
                    .await?;
            }
        }
        let since = account.reactivated_at.unwrap_or(i64::MIN);
        let verified: Option<(String, String, i64)> = sqlx::query_as(
            "SELECT id, verified_name, qualified FROM identity_proofing WHERE account_id = $1 \
             AND status = 'succeeded' AND finished_at > $2 ORDER BY finished_at DESC LIMIT 1",
        )
        .bind(&account.id)
        .bind(since)
        .fetch_optional(self.db.pool())
        .await
        .map_err(internal)?;
        if let Some((id, verified_name, qualified_provider)) = verified {
            return Ok((
                IdentityStatus::Verified {
                    verified_name,
                    qualified_provider: qualified_provider == 1,
                },
                Some(id),
            ));
        }
        let latest: Option<(String, i64)> = sqlx::query_as(
            "SELECT status, started_at FROM identity_proofing WHERE account_id = $1 \
             ORDER BY started_at DESC, id DESC LIMIT 1",
        )
        .bind(&account.id)
        .fetch_optional(self.db.pool())
        .await
        .map_err(internal)?;
        let status = match latest {
            Some((status, started_at)) if started_at > since => match status.as_str() {
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
    ) -> Result<(), AppError> {
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
                let pdf = self.sealer.seal(&evidence).await.map_err(internal)?;
                Some((evidence, pdf))
            }
            None => None,
        };
        let mut tx = self.db.pool().begin().await.map_err(internal)?;
        let updated = sqlx::query(
            "UPDATE identity_proofing SET status = $1, verified_name = $2, finished_at = $3, \
             evidence_id = $4 WHERE id = $5 AND status = 'pending'",
        )
        .bind(outcome.status.as_str())
        .bind(outcome.verified_name.clone())
        .bind(now)
        .bind(
            identification
                .as_ref()
                .map(|(evidence, _)| evidence.id.clone()),
        )
        .bind(proofing_id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        if updated.rows_affected() != 1 {
            return Ok(());
        }
        if let Some((evidence, pdf)) = &identification {
            crate::sealing::store_in(&mut tx, evidence, pdf, None)
                .await
                .map_err(internal)?;
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
        audit::record_in(&mut tx, self.clock.now(), &event)
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)
    }
}

/// ID-02 (with AUTH-02): what a qualified action demands — a live OTP session and a
/// successful identity proofing newer than any reactivation.
pub async fn require_qualified_action(
    state: &AppState,
    caller: Caller,
) -> Result<QualifiedAction, AppError> {
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
        _ => Err(AppError::IdentityProofingRequired),
    }
}

/// ID-01: starts a proofing at the provider; returns the page to send the user to.
pub async fn proofing_start(state: &AppState, caller: Caller) -> Result<String, AppError> {
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
        .await
        .map_err(internal)?;
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    sqlx::query(
        "INSERT INTO identity_proofing (id, account_id, provider, qualified, provider_session_id, \
         status, started_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
    )
    .bind(&id)
    .bind(&account.id)
    .bind(provider.name())
    .bind(i64::from(provider.qualified()))
    .bind(&started.provider_session_id)
    .bind(state.clock.device_now().timestamp_millis())
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    let event = auth_event(
        "proofing_started",
        Some(&account.id),
        &caller,
        json!({ "user_id": account.id, "proofing_id": id, "provider": provider.name(),
                "qualified_provider": provider.qualified(),
                "provider_session_id": started.provider_session_id }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(started.redirect_url)
}

/// ID-01: a result pushed by a provider (`POST /identity/callback/<provider>`). Returns
/// `Ok(false)` when the signature does not verify (journaled), [`AppError::NotFound`] for an
/// unknown provider or session; a decided proofing is recorded as by polling.
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
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT id, account_id FROM identity_proofing WHERE provider = $1 AND provider_session_id = $2",
    )
    .bind(provider.name())
    .bind(&outcome.provider_session_id)
    .fetch_optional(state.db.pool())
    .await
    .map_err(internal)?;
    let Some((proofing_id, account_id)) = row else {
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
