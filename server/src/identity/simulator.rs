//! The built-in, **not qualified** identity-proofing simulator of development and tests: its
//! page (`/dev/identity/<session>`) lets the tester choose success or failure and the verified
//! identity; it then pushes a signed result to our callback, as a real provider would.

use super::{CallbackBody, IdentityError, IdentityProvider, ProofingOutcome, ProofingStart};
use super::{ProofingRequest, ProofingStatus};
use crate::db::Db;
use crate::store::identity_simulator as sessions;

/// The built-in, **not qualified** simulator: sessions live in `identity_simulator_session`;
/// the tester decides on `/dev/identity/<session>`.
pub struct Simulator {
    db: Db,
    public_url: String,
    now_ms: i64,
}

impl Simulator {
    /// The simulator of the service at `public_url`, at service time `now_ms`.
    pub fn new(db: Db, public_url: &str, now_ms: i64) -> Simulator {
        Simulator {
            db,
            public_url: public_url.to_owned(),
            now_ms,
        }
    }
}

#[async_trait::async_trait]
impl IdentityProvider for Simulator {
    fn name(&self) -> &str {
        "simulator"
    }

    fn qualified(&self) -> bool {
        false
    }

    async fn start(&self, request: ProofingRequest) -> Result<ProofingStart, IdentityError> {
        let id = uuid::Uuid::now_v7().to_string();
        sessions::insert(self.db.pool(), &id, &request, self.now_ms).await?;
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
            level: None,
            subject: None,
            birth_date: None,
            birth_place: None,
            failure: None,
        })
    }

    async fn result(&self, provider_session_id: &str) -> Result<ProofingOutcome, IdentityError> {
        let (outcome, verified_name) = sessions::outcome(self.db.pool(), provider_session_id)
            .await?
            .ok_or_else(|| IdentityError::UnknownSession(provider_session_id.to_owned()))?;
        let status = match outcome.as_deref() {
            Some("success") => ProofingStatus::Succeeded,
            Some(_) => ProofingStatus::Failed,
            None => ProofingStatus::Pending,
        };
        Ok(ProofingOutcome {
            provider_session_id: provider_session_id.to_owned(),
            status,
            verified_name: verified_name.filter(|_| status == ProofingStatus::Succeeded),
            level: None,
            subject: None,
            birth_date: None,
            birth_place: None,
            failure: None,
        })
    }
}

/// What the simulator page shows about a session: expected name, return URL, outcome.
pub async fn simulator_session(
    db: &Db,
    id: &str,
) -> Result<Option<(String, String, Option<String>)>, sqlx::Error> {
    sessions::get(db.pool(), id).await
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
    sessions::decide(db.pool(), id, success, verified_name, now_ms).await
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
