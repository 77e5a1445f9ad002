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

use crate::AppState;
use crate::db::Db;

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
            .with_field(keys::IDENTIFICATION_RESULT, self.status.as_str());
        evidence.user = Some(Party::new(verified_name.clone(), user_id, email));
        Some(evidence)
    }
}

/// A remote identity-proofing provider (ID-01).
#[async_trait::async_trait]
pub trait IdentityProvider: Send + Sync {
    /// Short name recorded with each proofing (`simulator`, ...).
    fn name(&self) -> &'static str;
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

/// The provider of this service: the simulator in development; none yet in production (a
/// real PVID adapter is to be written against [`IdentityProvider`]).
pub fn provider(state: &AppState) -> Option<Box<dyn IdentityProvider>> {
    state.config.is_development().then(|| {
        Box::new(Simulator {
            db: state.db.clone(),
            public_url: state
                .config
                .server
                .public_url
                .trim_end_matches('/')
                .to_owned(),
            now_ms: state.clock.now_ms(),
        }) as Box<dyn IdentityProvider>
    })
}

/// The built-in, **not qualified** simulator: sessions live in `identity_simulator_session`;
/// the tester decides on `/dev/identity/<session>`.
pub struct Simulator {
    db: Db,
    public_url: String,
    now_ms: i64,
}

#[async_trait::async_trait]
impl IdentityProvider for Simulator {
    fn name(&self) -> &'static str {
        "simulator"
    }

    fn qualified(&self) -> bool {
        false
    }

    async fn start(&self, request: ProofingRequest) -> Result<ProofingStart, IdentityError> {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO identity_simulator_session (id, reference, expected_name, return_url, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(&request.reference)
        .bind(&request.expected_name)
        .bind(&request.return_url)
        .bind(self.now_ms)
        .execute(self.db.pool())
        .await?;
        Ok(ProofingStart {
            redirect_url: format!("{}/dev/identity/{id}", self.public_url),
            provider_session_id: id,
        })
    }

    fn verify_callback(
        &self,
        signature: &str,
        body: &[u8],
    ) -> Result<ProofingOutcome, IdentityError> {
        use hmac::Mac;
        // Constant-time comparison through the MAC itself.
        let given = signature
            .strip_prefix("sha256=")
            .and_then(decode_hex)
            .ok_or(IdentityError::BadSignature)?;
        simulator_mac(body)
            .verify_slice(&given)
            .map_err(|_| IdentityError::BadSignature)?;
        let body: CallbackBody =
            serde_json::from_slice(body).map_err(|e| IdentityError::Provider(e.to_string()))?;
        let status = match body.status.as_str() {
            "succeeded" => ProofingStatus::Succeeded,
            "failed" => ProofingStatus::Failed,
            _ => return Err(IdentityError::Provider(format!("status {}", body.status))),
        };
        Ok(ProofingOutcome {
            provider_session_id: body.provider_session_id,
            status,
            verified_name: body
                .verified_name
                .filter(|_| status == ProofingStatus::Succeeded),
        })
    }

    async fn result(&self, provider_session_id: &str) -> Result<ProofingOutcome, IdentityError> {
        let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT outcome, verified_name FROM identity_simulator_session WHERE id = $1",
        )
        .bind(provider_session_id)
        .fetch_optional(self.db.pool())
        .await?;
        let (outcome, verified_name) =
            row.ok_or_else(|| IdentityError::UnknownSession(provider_session_id.to_owned()))?;
        let status = match outcome.as_deref() {
            Some("success") => ProofingStatus::Succeeded,
            Some(_) => ProofingStatus::Failed,
            None => ProofingStatus::Pending,
        };
        Ok(ProofingOutcome {
            provider_session_id: provider_session_id.to_owned(),
            status,
            verified_name: verified_name.filter(|_| status == ProofingStatus::Succeeded),
        })
    }
}

/// What the simulator page shows about a session.
pub async fn simulator_session(
    db: &Db,
    id: &str,
) -> Result<Option<(String, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT expected_name, return_url, outcome FROM identity_simulator_session WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await
}

/// The tester's decision on the simulator page (the provider's side of the exchange);
/// returns the URL to send the user back to.
pub async fn simulator_decide(
    db: &Db,
    id: &str,
    success: bool,
    verified_name: &str,
    now_ms: i64,
) -> Result<Option<String>, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE identity_simulator_session SET outcome = $1, verified_name = $2, decided_at = $3 \
         WHERE id = $4 AND outcome IS NULL",
    )
    .bind(if success { "success" } else { "failure" })
    .bind(verified_name)
    .bind(now_ms)
    .bind(id)
    .execute(db.pool())
    .await?;
    if updated.rows_affected() != 1 {
        return Ok(None);
    }
    let (url,): (String,) =
        sqlx::query_as("SELECT return_url FROM identity_simulator_session WHERE id = $1")
            .bind(id)
            .fetch_one(db.pool())
            .await?;
    Ok(Some(url))
}

/// The simulator's callback key: random per process (the simulator lives in the same process
/// as the service; a real provider shares its key through the configuration).
fn simulator_mac(body: &[u8]) -> hmac::Hmac<sha2::Sha256> {
    use hmac::{KeyInit, Mac};
    static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    let key = KEY.get_or_init(rand::random);
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(body);
    mac
}

/// The `X-Pli-Signature` value the simulator sends with `body`.
pub fn simulator_signature(body: &[u8]) -> String {
    use hmac::Mac;
    format!(
        "sha256={}",
        crate::ledger::hex(&simulator_mac(body).finalize().into_bytes())
    )
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}
