//! Identity proofing (ID-01..ID-04, policy §4.1): natural persons prove who they are with a
//! remote identity-proofing provider (PVID: ID document + liveness). Every provider is an
//! adapter behind [`IdentityProvider`], modelled on remote video identity verification
//! services: start a session → redirect the user to the provider → the provider calls back
//! (signed) or we poll → a result with the provider's session id, the verified name and a
//! status.
//!
//! [`Simulator`] is the built-in provider for development and tests: its page lets the tester
//! choose success or failure and the verified identity. It is **not qualified**, says so on
//! every screen, and production mode never uses it.

pub mod oidc;
pub mod proofing;
mod simulator;
pub mod wallet;

pub use simulator::{Simulator, simulator_decide, simulator_session, simulator_signature};

use crate::AppState;

/// Why a provider call failed.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// The provider does not know this session.
    #[error("unknown proofing session {0}")]
    UnknownSession(String),
    /// The provider could not be reached or answered badly.
    #[error("identity provider: {0}")]
    Provider(String),
    /// A callback whose signature does not verify (or that this provider does not send).
    #[error("callback signature refused")]
    BadSignature,
}

impl From<sqlx::Error> for IdentityError {
    fn from(error: sqlx::Error) -> Self {
        IdentityError::Provider(error.to_string())
    }
}

/// What we ask the provider for.
#[derive(Clone, Debug)]
pub struct ProofingRequest {
    /// Our proofing id, echoed back by the provider.
    pub reference: String,
    /// The name the user gave at sign-up (providers compare it with the document).
    pub expected_name: String,
    /// Where the provider sends the user back when done.
    pub return_url: String,
}

/// A started session: the provider's id and the page to send the user to.
#[derive(Clone, Debug)]
pub struct ProofingStart {
    pub provider_session_id: String,
    pub redirect_url: String,
}

/// Where a session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofingStatus {
    Pending,
    Succeeded,
    Failed,
}

impl ProofingStatus {
    /// A stored status: `succeeded`, `failed`, anything else pending.
    pub fn parse(text: &str) -> ProofingStatus {
        match text {
            "succeeded" => ProofingStatus::Succeeded,
            "failed" => ProofingStatus::Failed,
            _ => ProofingStatus::Pending,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProofingStatus::Pending => "pending",
            ProofingStatus::Succeeded => "succeeded",
            ProofingStatus::Failed => "failed",
        }
    }
}

/// A provider's answer about a session.
#[derive(Clone, Debug)]
pub struct ProofingOutcome {
    pub provider_session_id: String,
    pub status: ProofingStatus,
    /// The name read from the identity document (on success).
    pub verified_name: Option<String>,
    /// The level of assurance reached (an OpenID provider's `acr`), when the provider says.
    pub level: Option<String>,
    /// The person's identifier at the provider (an OpenID provider's `sub`).
    pub subject: Option<String>,
    /// The date and place of birth, when the provider says.
    pub birth_date: Option<String>,
    pub birth_place: Option<String>,
    /// Why it failed, when the provider says (`identity::oidc::token::Refusal::code`...).
    pub failure: Option<String>,
}

impl ProofingOutcome {
    /// ID-04: the identification evidence of this outcome for the user `user_id` at `email`
    /// (provider, provider session id, verified name, result), if the proofing succeeded with
    /// a verified name; not yet sealed.
    pub fn identification_evidence(
        &self,
        sealer: &crate::sealing::Sealer,
        at: chrono::DateTime<chrono::Utc>,
        provider: &str,
        user_id: &str,
        email: &str,
    ) -> Option<evidence::pades::Evidence> {
        use evidence::pades::{EvidenceKind, Party, keys};
        let verified_name = self.verified_name.as_ref()?;
        if self.status != ProofingStatus::Succeeded {
            return None;
        }
        let mut evidence = sealer
            .evidence(EvidenceKind::Identification, at)
            .with_field(keys::IDENTIFICATION_PROVIDER, provider)
            .with_field(
                keys::IDENTIFICATION_SESSION_ID,
                self.provider_session_id.clone(),
            )
            // The policy's word for the result (§4.6, §9.6): « Réussi ».
            .with_field(
                keys::IDENTIFICATION_RESULT,
                evidence::pades::PROOFING_SUCCEEDED.joined(),
            );
        if let Some(level) = &self.level {
            evidence = evidence.with_field(keys::IDENTIFICATION_LEVEL, level.clone());
        }
        for (key, value) in [
            (keys::IDENTIFICATION_SUBJECT, &self.subject),
            (keys::IDENTIFICATION_BIRTH_DATE, &self.birth_date),
            (keys::IDENTIFICATION_BIRTH_PLACE, &self.birth_place),
        ] {
            if let Some(value) = value {
                evidence = evidence.with_field(key, value.clone());
            }
        }
        evidence.user = Some(Party::new(verified_name.clone(), user_id, email));
        Some(evidence)
    }
}

/// A remote identity-proofing provider (ID-01).
#[async_trait::async_trait]
pub trait IdentityProvider: Send + Sync {
    /// Short name recorded with each proofing and in its evidence (`simulator`, or the
    /// configured name of an OpenID provider).
    fn name(&self) -> &str;
    /// Whether the provider is certified for qualified services (the simulator is not).
    fn qualified(&self) -> bool;
    async fn start(&self, request: ProofingRequest) -> Result<ProofingStart, IdentityError>;
    /// Polls the result of a session.
    async fn result(&self, provider_session_id: &str) -> Result<ProofingOutcome, IdentityError>;
    /// Verifies a result the provider pushed to `POST /identity/callback/<name>`: `signature`
    /// is its `X-Pli-Signature` header, `body` the raw request body.
    fn verify_callback(
        &self,
        signature: &str,
        body: &[u8],
    ) -> Result<ProofingOutcome, IdentityError>;
}

/// The body of a callback: `{"provider_session_id", "status" ("succeeded"/"failed"),
/// "verified_name"}`.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct CallbackBody {
    pub provider_session_id: String,
    pub status: String,
    pub verified_name: Option<String>,
}

/// The provider of this service (`identity.provider`): an OpenID Connect provider
/// ([`oidc::Oidc`]), the EU digital identity wallet ([`wallet::Wallet`]), or the simulator —
/// in development only (production refuses to start without a real provider, `config.rs`).
pub fn provider(state: &AppState) -> Option<Box<dyn IdentityProvider>> {
    use crate::config::IdentityProviderKind;
    let identity = &state.config.identity;
    match identity.provider {
        IdentityProviderKind::Oidc => identity
            .oidc
            .as_ref()
            .map(|config| Box::new(oidc::Oidc::new(state, config)) as Box<dyn IdentityProvider>),
        IdentityProviderKind::Wallet => identity.wallet.as_ref().map(|config| {
            Box::new(wallet::Wallet::new(state, config)) as Box<dyn IdentityProvider>
        }),
        IdentityProviderKind::Simulator if state.config.is_development() => {
            Some(Box::new(Simulator::new(
                state.db.clone(),
                state.config.server.public_url.trim_end_matches('/'),
                state.clock.now_ms(),
            )))
        }
        IdentityProviderKind::Simulator => None,
    }
}
