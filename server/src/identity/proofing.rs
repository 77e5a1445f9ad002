//! The one identity-proofing flow (ID-01..ID-04, policy §4.1), with a purpose: an account
//! holder proves their identity ([`Purpose::Account`], ID-01, ID-02), or a recipient proves
//! theirs at a reception ([`Purpose::Reception`], ID-03). Both start a session at the
//! provider, learn its decision by the provider's signed callback or by polling, and record it
//! once: a success yields the sealed identification evidence (ID-04) — in the transaction's
//! dossier for a reception, where it also opens a 15-minute reception session — and every step
//! is journaled (AUTH-05).

use chrono::TimeDelta;
use domain::ids::TransactionId;
use serde_json::json;

use super::{IdentityProvider, ProofingOutcome, ProofingRequest, ProofingStatus};
use crate::AppState;
use crate::audit::{self, auth_event};
use crate::error::ServerError;
use crate::sealing;
use crate::store::receptions::{self, NewReception};
use crate::store::{accounts, proofings, transactions};
use app::api::Caller;
use app::error::AppError;

/// How long a reception session lasts after a successful proofing (as an OTP session).
const RECEPTION_SESSION: TimeDelta = TimeDelta::milliseconds(domain::policy::RECEPTION_SESSION_MS);

/// What a proofing is for, and whose identity it is to prove.
#[derive(Clone, Debug)]
pub enum Purpose {
    /// An account holder (table `identity_proofing`); the evidence names the account.
    Account {
        account_id: String,
        email: String,
        /// The name given at sign-up, which the provider compares with the document.
        declared_name: String,
    },
    /// A recipient at a reception (table `reception`); the evidence names the recipient and
    /// goes into the transaction's dossier.
    Reception {
        transaction_id: String,
        recipient_id: String,
        recipient_email: String,
        /// The name the sender gave.
        declared_name: String,
    },
}

impl Purpose {
    fn declared_name(&self) -> &str {
        match self {
            Purpose::Account { declared_name, .. } | Purpose::Reception { declared_name, .. } => {
                declared_name
            }
        }
    }

    /// The journal's action for this purpose (`proofing_*` or `reception_proofing_*`).
    fn action(&self, step: Step) -> &'static str {
        match (self, step) {
            (Purpose::Account { .. }, Step::Started) => "proofing_started",
            (Purpose::Account { .. }, Step::Succeeded) => "proofing_succeeded",
            (Purpose::Account { .. }, Step::Failed) => "proofing_failed",
            (Purpose::Reception { .. }, Step::Started) => "reception_proofing_started",
            (Purpose::Reception { .. }, Step::Succeeded) => "reception_proofing_succeeded",
            (Purpose::Reception { .. }, Step::Failed) => "reception_proofing_failed",
        }
    }

    /// Who acts, for the journal: the account, or nobody known yet at a reception.
    fn actor(&self) -> Option<&str> {
        match self {
            Purpose::Account { account_id, .. } => Some(account_id),
            Purpose::Reception { .. } => None,
        }
    }

    /// The journal's details that name the proofing and its subject.
    fn details(&self, proofing_id: &str) -> serde_json::Value {
        match self {
            Purpose::Account { account_id, .. } => {
                json!({ "user_id": account_id, "proofing_id": proofing_id })
            }
            Purpose::Reception { transaction_id, .. } => {
                json!({ "transaction_id": transaction_id, "reception_id": proofing_id })
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Step {
    Started,
    Succeeded,
    Failed,
}

/// A proofing started at the provider.
#[derive(Clone, Debug)]
pub struct Started {
    /// Our proofing id.
    pub id: String,
    /// The provider's page to send the person to.
    pub redirect_url: String,
    /// For a reception: the token of the reception session this proofing will open (the
    /// caller sets it as a cookie; only its hash is stored).
    pub session_token: Option<String>,
}

/// Starts a proofing for `purpose`; `return_url` gives, for our proofing id, the page the
/// provider sends the person back to.
pub async fn start(
    state: &AppState,
    caller: &Caller,
    purpose: &Purpose,
    return_url: impl FnOnce(&str) -> String,
) -> Result<Started, ServerError> {
    let provider = super::provider(state).ok_or(AppError::IdentityProviderUnavailable)?;
    let id = uuid::Uuid::now_v7().to_string();
    let started = provider
        .start(ProofingRequest {
            reference: id.clone(),
            expected_name: purpose.declared_name().to_owned(),
            return_url: return_url(&id),
        })
        .await
        .map_err(|error| {
            // An unreachable provider is a service unavailable for now, told as such (503).
            tracing::error!(%error, provider = provider.name(), "identity provider: no session");
            AppError::IdentityProviderUnavailable
        })?;
    let started_at = state.clock.device_now().timestamp_millis();
    let mut tx = state.db.begin().await?;
    let session_token = match purpose {
        Purpose::Account { account_id, .. } => {
            proofings::insert(
                &mut *tx,
                &proofings::NewProofing {
                    id: &id,
                    account_id,
                    provider: provider.name(),
                    qualified: provider.qualified(),
                    provider_session_id: &started.provider_session_id,
                    started_at,
                },
            )
            .await?;
            None
        }
        Purpose::Reception { transaction_id, .. } => {
            let token = crate::account::session::new_token();
            receptions::insert(
                &mut *tx,
                &NewReception {
                    id: &id,
                    transaction_id,
                    provider: provider.name(),
                    qualified: provider.qualified(),
                    provider_session_id: &started.provider_session_id,
                    started_at,
                    session_token_hash: &crate::account::session::token_hash(&token),
                },
            )
            .await?;
            Some(token)
        }
    };
    let mut details = purpose.details(&id);
    extend(
        &mut details,
        json!({ "provider": provider.name(), "qualified_provider": provider.qualified(),
                "provider_session_id": started.provider_session_id }),
    );
    let event = auth_event(
        purpose.action(Step::Started),
        purpose.actor(),
        caller,
        details,
    );
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    tx.commit().await?;
    Ok(Started {
        id,
        redirect_url: started.redirect_url,
        session_token,
    })
}

/// Asks the provider about the pending proofing `proofing_id` (its session
/// `provider_session_id`) and records a decision.
pub async fn poll(
    state: &AppState,
    caller: &Caller,
    purpose: &Purpose,
    proofing_id: &str,
    provider_session_id: &str,
) -> Result<(), ServerError> {
    let Some(provider) = super::provider(state) else {
        return Ok(());
    };
    let outcome = provider.result(provider_session_id).await?;
    if outcome.status != ProofingStatus::Pending {
        finish(
            state,
            caller,
            purpose,
            proofing_id,
            provider.as_ref(),
            &outcome,
        )
        .await?;
    }
    Ok(())
}

/// A result pushed by a provider (`POST /identity/callback/<provider>`): `Ok(false)` when the
/// signature does not verify (journaled), [`AppError::NotFound`] for an unknown provider or
/// session; a decided proofing is recorded as by polling, whatever its purpose.
pub async fn callback(
    state: &AppState,
    caller: &Caller,
    provider_name: &str,
    signature: &str,
    body: &[u8],
) -> Result<bool, ServerError> {
    let provider = super::provider(state)
        .filter(|p| p.name() == provider_name)
        .ok_or(AppError::NotFound)?;
    let outcome = match provider.verify_callback(signature, body) {
        Ok(outcome) => outcome,
        Err(error) => {
            let event = auth_event(
                "proofing_callback_refused",
                None,
                caller,
                json!({ "provider": provider.name(), "reason": error.to_string() }),
            );
            audit::record(&state.db, state.clock.now(), &event).await?;
            return Ok(false);
        }
    };
    let (proofing_id, purpose) = of_provider_session(state, provider.name(), &outcome).await?;
    if outcome.status != ProofingStatus::Pending {
        finish(
            state,
            caller,
            &purpose,
            &proofing_id,
            provider.as_ref(),
            &outcome,
        )
        .await?;
    }
    Ok(true)
}

/// The proofing of a provider's session, and its purpose.
async fn of_provider_session(
    state: &AppState,
    provider: &str,
    outcome: &ProofingOutcome,
) -> Result<(String, Purpose), ServerError> {
    let db = state.db.pool();
    let session = &outcome.provider_session_id;
    if let Some(owner) = proofings::by_provider_session(db, provider, session).await? {
        let account = accounts::by_id(db, &owner.account_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let purpose = Purpose::Account {
            account_id: account.id,
            email: account.email,
            declared_name: account.name,
        };
        return Ok((owner.id, purpose));
    }
    let (reception_id, transaction_id) = receptions::by_provider_session(db, provider, session)
        .await?
        .ok_or(AppError::NotFound)?;
    let record = transactions::load(db, &TransactionId(transaction_id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((reception_id, reception_purpose(&record)))
}

/// The purpose of a proofing at the reception of `record`.
pub fn reception_purpose(record: &transactions::TransactionRecord) -> Purpose {
    Purpose::Reception {
        transaction_id: record.id.to_string(),
        recipient_id: record.recipient_id.clone(),
        recipient_email: record.recipient_email.clone(),
        declared_name: record.recipient_name.clone(),
    }
}

/// Records a provider's decision, once: the identification evidence of a success (ID-04),
/// sealed before the database transaction (HSM + TSA) and stored in it with the result; for a
/// reception, the reception session it opens; the journal entry.
async fn finish(
    state: &AppState,
    caller: &Caller,
    purpose: &Purpose,
    proofing_id: &str,
    provider: &dyn IdentityProvider,
    outcome: &ProofingOutcome,
) -> Result<(), ServerError> {
    let now = state.clock.device_now().timestamp_millis();
    let (user_id, email, letter_id) = match purpose {
        Purpose::Account {
            account_id, email, ..
        } => (account_id, email, None),
        Purpose::Reception {
            transaction_id,
            recipient_id,
            recipient_email,
            ..
        } => (recipient_id, recipient_email, Some(transaction_id.clone())),
    };
    let identification = match outcome.identification_evidence(
        &state.sealer,
        state.clock.now(),
        provider.name(),
        user_id,
        email,
    ) {
        Some(mut evidence) => {
            // A reception's identification belongs to the transaction's dossier.
            evidence.letter_id = letter_id.clone();
            let pdf = state.sealer.seal(&evidence).await?;
            Some((evidence, pdf))
        }
        None => None,
    };
    let evidence_id = identification.as_ref().map(|(e, _)| e.id.clone());
    let mut tx = state.db.begin().await?;
    let status = outcome.status.as_str();
    let verified_name = outcome.verified_name.clone();
    let finished = match purpose {
        Purpose::Account { .. } => {
            proofings::finish(
                &mut *tx,
                proofing_id,
                status,
                verified_name,
                now,
                evidence_id,
                outcome.failure.as_deref(),
            )
            .await?
        }
        Purpose::Reception { .. } => {
            let session_end = identification
                .as_ref()
                .map(|_| now + RECEPTION_SESSION.num_milliseconds());
            receptions::finish(
                &mut *tx,
                proofing_id,
                status,
                verified_name,
                now,
                evidence_id,
                (session_end, outcome.failure.as_deref()),
            )
            .await?
        }
    };
    if !finished {
        return Ok(()); // decided meanwhile (callback and poll racing): once only
    }
    if let Some((evidence, pdf)) = &identification {
        sealing::store_in(&mut tx, evidence, pdf, letter_id.as_deref()).await?;
    }
    let step = if outcome.status == ProofingStatus::Succeeded {
        Step::Succeeded
    } else {
        Step::Failed
    };
    let mut details = purpose.details(proofing_id);
    if matches!(purpose, Purpose::Account { .. }) {
        extend(
            &mut details,
            json!({ "qualified_provider": provider.qualified() }),
        );
    }
    extend(
        &mut details,
        json!({ "provider": provider.name(),
                "provider_session_id": outcome.provider_session_id,
                "declared_name": purpose.declared_name(),
                "verified_name": outcome.verified_name,
                "result": outcome.status.as_str(),
                "failure": outcome.failure }),
    );
    let event = auth_event(purpose.action(step), purpose.actor(), caller, details);
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds the members of `extra` to the object `details`.
fn extend(details: &mut serde_json::Value, extra: serde_json::Value) {
    if let (Some(into), serde_json::Value::Object(extra)) = (details.as_object_mut(), extra) {
        into.extend(extra);
    }
}
