//! Identity proofing with an OpenID Connect provider at an eIDAS level, such as FranceConnect+
//! (issue 14, ID-01, ID-02, ID-04, policy §4.1): the authorization code flow with PKCE, a
//! `state` and a `nonce` per request, and the signed ID token checked against the provider's
//! published keys ([`token`]).
//!
//! 1. [`Oidc::start`] records the request (`oidc_authorization`) and sends the person to the
//!    provider's authorization endpoint, asking for the required `acr` level.
//! 2. The provider sends them back to `GET /identity/oidc/callback?code&state` ([`callback`]):
//!    the code is exchanged at the token endpoint (client secret and PKCE verifier), the ID
//!    token checked, and the outcome recorded once — a success with the verified identity, or
//!    a failure with its reason (a lower level, a wrong nonce, a bad signature...). The person
//!    goes on to the page they started from, which learns the outcome ([`Oidc::result`]).
//!
//! The provider's metadata and keys are read at the first use and kept ([`Cache`]); a token
//! signed with a key not yet known makes the keys be read again (a rotation), at most once per
//! [`REFRESH_MIN_SECONDS`].

pub mod token;

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use sha2::{Digest, Sha256};
use tokio::sync::RwLock;

use super::{
    IdentityError, IdentityProvider, ProofingOutcome, ProofingRequest, ProofingStart,
    ProofingStatus,
};
use crate::AppState;
use crate::config::{Config, OidcConfig};
use crate::store::oidc::{self as rows, Authorization, Outcome};

/// Where the provider sends people back.
pub const CALLBACK_PATH: &str = "/identity/oidc/callback";
/// How long an authorization request may wait for its callback.
const REQUEST_TTL_MS: i64 = 15 * 60 * 1000;
/// The shortest time between two readings of the provider's keys.
const REFRESH_MIN_SECONDS: i64 = 10;
/// Calls to the provider give up after this.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// The provider's metadata (OpenID Connect Discovery 1.0) that the flow uses.
#[derive(Clone, Debug, serde::Deserialize)]
struct Metadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
}

struct Discovered {
    metadata: Metadata,
    keys: JwkSet,
    /// When the keys were read (service clock, seconds).
    keys_at: i64,
}

/// The provider's metadata and keys, as this instance last read them, and the HTTP client of
/// the identity adapters ([`http`]).
#[derive(Clone, Default)]
pub struct Cache {
    discovered: Arc<RwLock<Option<Arc<Discovered>>>>,
    http: Arc<std::sync::OnceLock<reqwest::Client>>,
}

/// The OpenID Connect adapter of [`IdentityProvider`].
pub struct Oidc {
    state: AppState,
    config: OidcConfig,
    http: reqwest::Client,
}

/// The HTTP client of the identity adapters (made at the first use, then shared: a proofing's
/// status is polled often).
pub fn http(state: &AppState) -> reqwest::Client {
    state
        .oidc
        .http
        .get_or_init(|| {
            reqwest::Client::builder()
                .timeout(HTTP_TIMEOUT)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default()
        })
        .clone()
}

/// A JSON document read from a provider or an issuer; `Err` says what went wrong.
pub async fn get_json<T: serde::de::DeserializeOwned>(
    state: &AppState,
    url: &str,
) -> Result<T, String> {
    let response = http(state)
        .get(url)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    response.json().await.map_err(|e| format!("{url}: {e}"))
}

impl Oidc {
    pub fn new(state: &AppState, config: &OidcConfig) -> Oidc {
        Oidc {
            state: state.clone(),
            config: config.clone(),
            http: http(state),
        }
    }

    fn redirect_uri(&self) -> String {
        let public = self.state.config.server.public_url.trim_end_matches('/');
        format!("{public}{CALLBACK_PATH}")
    }

    /// The provider's metadata and keys: read once, and again when `refresh` (a key not known)
    /// and the last reading is old enough.
    async fn discovered(&self, refresh: bool) -> Result<Arc<Discovered>, String> {
        let now = self.state.clock.now().timestamp();
        let cache = &self.state.oidc.discovered;
        if let Some(known) = cache.read().await.clone()
            && (!refresh || now - known.keys_at < REFRESH_MIN_SECONDS)
        {
            return Ok(known);
        }
        let mut slot = cache.write().await;
        let metadata = match slot.as_ref() {
            Some(known) => known.metadata.clone(),
            None => {
                let issuer = self.config.issuer.trim_end_matches('/');
                let url = format!("{issuer}/.well-known/openid-configuration");
                let metadata: Metadata = get_json(&self.state, &url).await?;
                if metadata.issuer.trim_end_matches('/') != issuer {
                    return Err(format!("{url}: issuer {} is not {issuer}", metadata.issuer));
                }
                metadata
            }
        };
        let keys: JwkSet = get_json(&self.state, &metadata.jwks_uri).await?;
        let discovered = Arc::new(Discovered {
            metadata,
            keys,
            keys_at: now,
        });
        *slot = Some(discovered.clone());
        Ok(discovered)
    }

    /// Exchanges `code` for the ID token and checks it; `Err` is the failure to record.
    async fn verified(
        &self,
        row: &Authorization,
        code: &str,
    ) -> Result<token::Verified, &'static str> {
        let discovered = self.discovered(false).await.map_err(|error| {
            tracing::error!(%error, "oidc: provider unreachable");
            "provider_unreachable"
        })?;
        let secret = Config::oidc_client_secret(&self.config).map_err(|_| "client_secret")?;
        let response = self
            .http
            .post(&discovered.metadata.token_endpoint)
            .basic_auth(&self.config.client_id, Some(secret))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", &self.redirect_uri()),
                ("code_verifier", &row.code_verifier),
            ])
            .send()
            .await
            .map_err(|error| {
                tracing::error!(%error, "oidc: token endpoint unreachable");
                "provider_unreachable"
            })?;
        if !response.status().is_success() {
            tracing::warn!(status = %response.status(), "oidc: token endpoint refused the code");
            return Err("code_refused");
        }
        #[derive(serde::Deserialize)]
        struct Tokens {
            id_token: String,
        }
        let tokens: Tokens = response.json().await.map_err(|_| "malformed_token")?;
        let kid = token::key_id(&tokens.id_token).map_err(token::Refusal::code)?;
        let known = |d: &Discovered| kid.as_ref().is_none_or(|kid| d.keys.find(kid).is_some());
        let discovered = if known(&discovered) {
            discovered
        } else {
            // A key not seen yet: the provider rotated its keys.
            self.discovered(true)
                .await
                .map_err(|_| "provider_unreachable")?
        };
        let expected = token::Expected {
            issuer: &discovered.metadata.issuer,
            client_id: &self.config.client_id,
            nonce: &row.nonce,
            levels: &self.config.levels,
            required_level: &self.config.required_level,
            now: self.state.clock.now().timestamp(),
        };
        token::verify(&tokens.id_token, &discovered.keys, &expected).map_err(token::Refusal::code)
    }
}

/// A random URL-safe token of 32 bytes.
fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

#[async_trait::async_trait]
impl IdentityProvider for Oidc {
    fn name(&self) -> &str {
        &self.config.name
    }

    fn qualified(&self) -> bool {
        self.config.qualified
    }

    async fn start(&self, request: ProofingRequest) -> Result<ProofingStart, IdentityError> {
        let discovered = self
            .discovered(false)
            .await
            .map_err(IdentityError::Provider)?;
        let row = Authorization {
            id: random_token(),
            reference: request.reference,
            nonce: random_token(),
            code_verifier: random_token(),
            return_url: request.return_url,
            created_at: self.state.clock.now_ms(),
            status: "pending".to_owned(),
            subject: None,
            level: None,
            verified_name: None,
            birth_date: None,
            birth_place: None,
            failure: None,
        };
        rows::insert(self.state.db.pool(), &row).await?;
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(row.code_verifier.as_bytes()));
        let mut url = reqwest::Url::parse(&discovered.metadata.authorization_endpoint)
            .map_err(|e| IdentityError::Provider(e.to_string()))?;
        url.query_pairs_mut()
            .append_pair("client_id", &self.config.client_id)
            .append_pair("response_type", "code")
            .append_pair("scope", "openid profile")
            .append_pair("redirect_uri", &self.redirect_uri())
            .append_pair("state", &row.id)
            .append_pair("nonce", &row.nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("acr_values", &self.config.required_level)
            .append_pair("prompt", "login");
        Ok(ProofingStart {
            provider_session_id: row.id,
            redirect_url: url.to_string(),
        })
    }

    async fn result(&self, provider_session_id: &str) -> Result<ProofingOutcome, IdentityError> {
        let row = rows::get(self.state.db.pool(), provider_session_id)
            .await?
            .ok_or_else(|| IdentityError::UnknownSession(provider_session_id.to_owned()))?;
        Ok(ProofingOutcome {
            provider_session_id: row.id,
            status: ProofingStatus::parse(&row.status),
            verified_name: row.verified_name,
            level: row.level,
            subject: row.subject,
            birth_date: row.birth_date,
            birth_place: row.birth_place,
            failure: row.failure,
        })
    }

    fn verify_callback(&self, _: &str, _: &[u8]) -> Result<ProofingOutcome, IdentityError> {
        // The provider sends the person back with a code; it pushes nothing.
        Err(IdentityError::BadSignature)
    }
}

/// What the provider sent the person back with.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CallbackQuery {
    pub state: Option<String>,
    pub code: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
}

/// Where the person goes after the callback: the page they started from, or `None` when the
/// request is unknown, already answered or too old (the caller answers 404).
pub async fn callback(
    state: &AppState,
    query: &CallbackQuery,
) -> Result<Option<String>, crate::error::ServerError> {
    let Some(config) = state.config.identity.oidc.as_ref() else {
        return Ok(None);
    };
    let Some(id) = query.state.as_deref() else {
        return Ok(None);
    };
    let Some(row) = rows::get(state.db.pool(), id).await? else {
        return Ok(None);
    };
    let now = state.clock.now_ms();
    if row.status != "pending" || now - row.created_at > REQUEST_TTL_MS {
        return Ok(None);
    }
    let oidc = Oidc::new(state, config);
    // RFC 9207: the response names its issuer; another one's is refused (mix-up attacks).
    let issuer = config.issuer.trim_end_matches('/');
    let result = if let Some(error) = &query.error {
        tracing::info!(%error, "oidc: the provider answered with an error");
        Err("provider_error")
    } else if query
        .iss
        .as_deref()
        .is_some_and(|iss| iss.trim_end_matches('/') != issuer)
    {
        Err("wrong_issuer")
    } else {
        match query.code.as_deref() {
            Some(code) => oidc.verified(&row, code).await,
            None => Err("no_code"),
        }
    };
    let outcome = match &result {
        Ok(v) => Outcome {
            succeeded: true,
            subject: Some(&v.subject),
            level: Some(&v.level),
            verified_name: Some(&v.name),
            birth_date: v.birth_date.as_deref(),
            birth_place: v.birth_place.as_deref(),
            failure: None,
        },
        Err(reason) => Outcome::refused(reason),
    };
    if let Err(reason) = &result {
        tracing::warn!(%reason, "oidc: identity proofing refused");
    }
    rows::finish(state.db.pool(), &row.id, &outcome, now).await?;
    Ok(Some(row.return_url))
}
