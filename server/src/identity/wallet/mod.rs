//! Identity proofing with the EU digital identity wallet (issue 14; eIDAS Art. 5a, 5f and
//! Art. 24(1a)(a)): Pli is an OpenID4VP verifier of a person identification credential (PID)
//! in SD-JWT VC format, the wallets' mandatory format.
//!
//! 1. [`Wallet::start`] records a request (`wallet_request`: its `state`, a `nonce` and a
//!    response code) and sends the person to Pli's wallet page, which shows a QR code on a
//!    computer and a link that opens the wallet on a phone. Both carry the request **by
//!    reference**: `<wallet_url>?client_id=redirect_uri:<response_uri>&request_uri=...`.
//! 2. The wallet fetches the request object ([`request_object`]): an unsigned JWT, as the
//!    `redirect_uri:` client identifier prefix demands, asking with DCQL for the PID's given
//!    name, family name, birth date and place of birth, and nothing else.
//! 3. The wallet posts its answer to the response URI (`direct_post`, [`respond`]): the
//!    presentation is checked ([`sd_jwt`]) against the **trusted issuers**' published keys,
//!    with the request's nonce and Pli's client identifier in its key binding, and the outcome
//!    recorded once. On the same device the wallet sends the browser back with a response
//!    code that completes the request ([`returned`]); across devices the page learns the
//!    outcome by polling ([`Wallet::result`]).
//!
//! The trusted issuers' keys are read from their SD-JWT VC issuer metadata
//! (`/.well-known/jwt-vc-issuer`) at the first use, and again when a credential names a key
//! not yet known, at most once per [`REFRESH_MIN_SECONDS`]. An issuer not configured is
//! refused before anything is fetched from it.

pub mod sd_jwt;

use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use serde_json::json;
use tokio::sync::RwLock;

use super::{
    IdentityError, IdentityProvider, ProofingOutcome, ProofingRequest, ProofingStart,
    ProofingStatus,
};
use crate::AppState;
use crate::config::WalletConfig;
use crate::store::oidc::Outcome;
use crate::store::wallet::{self as rows, Request};

/// Pli's wallet page (the QR code and the same-device link), `/identity/wallet/<state>`.
pub const PAGE_PATH: &str = "/identity/wallet";
/// Where the wallet posts its answer (`direct_post`).
pub const RESPONSE_PATH: &str = "/identity/wallet/response";
/// How long a request may wait for the wallet's answer.
const REQUEST_TTL_MS: i64 = 15 * 60 * 1000;
/// The shortest time between two readings of an issuer's keys.
const REFRESH_MIN_SECONDS: i64 = 10;
/// The DCQL credential query's id: the key of the answer's `vp_token`.
const QUERY_ID: &str = "pid";
/// The claims asked for: what the identification evidence and the name match need.
const CLAIMS: [&str; 4] = ["given_name", "family_name", "birthdate", "place_of_birth"];

struct IssuerKeys {
    keys: JwkSet,
    /// When the keys were read (service clock, seconds).
    read_at: i64,
}

/// The trusted issuers' keys, as this instance last read them.
#[derive(Clone, Default)]
pub struct Cache {
    issuers: Arc<RwLock<HashMap<String, Arc<IssuerKeys>>>>,
}

/// The wallet adapter of [`IdentityProvider`].
pub struct Wallet {
    state: AppState,
    config: WalletConfig,
}

fn public_url(state: &AppState) -> &str {
    state.config.server.public_url.trim_end_matches('/')
}

/// Pli's client identifier: the `redirect_uri:` prefix and the response URI.
pub fn client_id(state: &AppState) -> String {
    format!("redirect_uri:{}{RESPONSE_PATH}", public_url(state))
}

/// A random URL-safe token of 32 bytes.
fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

impl Wallet {
    pub fn new(state: &AppState, config: &WalletConfig) -> Wallet {
        Wallet {
            state: state.clone(),
            config: config.clone(),
        }
    }

    /// The issuer's keys, from its metadata: read once, and again when `refresh` (a key not
    /// known) and the last reading is old enough.
    async fn keys(&self, issuer: &str, refresh: bool) -> Result<Arc<IssuerKeys>, String> {
        let now = self.state.clock.now().timestamp();
        let cache = &self.state.wallet.issuers;
        if let Some(known) = cache.read().await.get(issuer).cloned()
            && (!refresh || now - known.read_at < REFRESH_MIN_SECONDS)
        {
            return Ok(known);
        }
        let url = metadata_url(issuer).ok_or_else(|| format!("{issuer}: not a URL"))?;
        #[derive(serde::Deserialize)]
        struct Metadata {
            issuer: String,
            jwks: JwkSet,
        }
        let metadata: Metadata = super::oidc::get_json(&self.state, &url).await?;
        if metadata.issuer != issuer {
            return Err(format!("{url}: issuer {} is not {issuer}", metadata.issuer));
        }
        let read = Arc::new(IssuerKeys {
            keys: metadata.jwks,
            read_at: now,
        });
        cache.write().await.insert(issuer.to_owned(), read.clone());
        Ok(read)
    }

    /// Checks a presentation for request `row`; `Err` is the failure to record.
    async fn verified(
        &self,
        row: &Request,
        presentation: &str,
    ) -> Result<sd_jwt::Presented, &'static str> {
        let issuer = sd_jwt::issuer_of(presentation).map_err(sd_jwt::Refusal::code)?;
        if !self.config.trusted_issuers.contains(&issuer) {
            return Err(sd_jwt::Refusal::UntrustedIssuer.code());
        }
        let audience = client_id(&self.state);
        let expected = sd_jwt::Expected {
            vct: &self.config.credential_type,
            nonce: &row.nonce,
            audience: &audience,
            now: self.state.clock.now().timestamp(),
        };
        let unreachable = |error: String| {
            tracing::error!(%error, "wallet: trusted issuer unreachable");
            "issuer_unreachable"
        };
        let keys = self.keys(&issuer, false).await.map_err(unreachable)?;
        match sd_jwt::verify(presentation, &keys.keys, &expected) {
            // A key not seen yet: the issuer may have rotated its keys.
            Err(sd_jwt::Refusal::IssuerSignature) => {
                let keys = self.keys(&issuer, true).await.map_err(unreachable)?;
                sd_jwt::verify(presentation, &keys.keys, &expected)
            }
            other => other,
        }
        .map_err(sd_jwt::Refusal::code)
    }
}

/// Where an issuer publishes its metadata (SD-JWT VC §5: the well-known segment goes between
/// the host and the issuer's path).
fn metadata_url(issuer: &str) -> Option<String> {
    let url = reqwest::Url::parse(issuer).ok()?;
    let origin = url.origin().ascii_serialization();
    let path = url.path().trim_end_matches('/');
    Some(format!("{origin}/.well-known/jwt-vc-issuer{path}"))
}

#[async_trait::async_trait]
impl IdentityProvider for Wallet {
    fn name(&self) -> &str {
        &self.config.name
    }

    fn qualified(&self) -> bool {
        self.config.qualified
    }

    async fn start(&self, request: ProofingRequest) -> Result<ProofingStart, IdentityError> {
        let row = Request {
            id: random_token(),
            reference: request.reference,
            nonce: random_token(),
            response_code: random_token(),
            return_url: request.return_url,
            created_at: self.state.clock.now_ms(),
            status: "pending".to_owned(),
            flow: None,
            returned_at: None,
            issuer: None,
            subject: None,
            level: None,
            verified_name: None,
            birth_date: None,
            birth_place: None,
            failure: None,
        };
        rows::insert(self.state.db.pool(), &row).await?;
        Ok(ProofingStart {
            redirect_url: format!("{}{PAGE_PATH}/{}", public_url(&self.state), row.id),
            provider_session_id: row.id,
        })
    }

    async fn result(&self, provider_session_id: &str) -> Result<ProofingOutcome, IdentityError> {
        let row = rows::get(self.state.db.pool(), provider_session_id)
            .await?
            .ok_or_else(|| IdentityError::UnknownSession(provider_session_id.to_owned()))?;
        let status = match ProofingStatus::parse(&row.status) {
            // On the same device, the browser that came back must show the response code.
            ProofingStatus::Succeeded
                if row.flow.as_deref() == Some("same") && row.returned_at.is_none() =>
            {
                ProofingStatus::Pending
            }
            status => status,
        };
        Ok(ProofingOutcome {
            provider_session_id: row.id,
            status,
            verified_name: row.verified_name,
            level: row.level,
            subject: row.subject,
            birth_date: row.birth_date,
            birth_place: row.birth_place,
            failure: row.failure,
        })
    }

    fn verify_callback(&self, _: &str, _: &[u8]) -> Result<ProofingOutcome, IdentityError> {
        // The wallet answers at the response URI; nothing is pushed to the callback.
        Err(IdentityError::BadSignature)
    }
}

fn configured(state: &AppState) -> Option<&WalletConfig> {
    use crate::config::IdentityProviderKind;
    (state.config.identity.provider == IdentityProviderKind::Wallet)
        .then_some(state.config.identity.wallet.as_ref())
        .flatten()
}

/// Request `id`, if it is still waiting for the wallet.
async fn pending(state: &AppState, id: &str) -> Result<Option<Request>, sqlx::Error> {
    let now = state.clock.now_ms();
    Ok(rows::get(state.db.pool(), id)
        .await?
        .filter(|row| row.status == "pending" && now - row.created_at <= REQUEST_TTL_MS))
}

/// What the wallet page shows: the QR code's and the link's addresses, or where to go once the
/// wallet answered.
pub enum Page {
    Waiting {
        /// For a wallet on another device (the QR code).
        cross_device: String,
        /// For the wallet on this device (the link).
        same_device: String,
    },
    Done {
        return_url: String,
    },
}

/// The page of request `id`; `None` if unknown or expired.
pub async fn page(state: &AppState, id: &str) -> Result<Option<Page>, sqlx::Error> {
    let Some(config) = configured(state) else {
        return Ok(None);
    };
    let Some(row) = rows::get(state.db.pool(), id).await? else {
        return Ok(None);
    };
    if row.status != "pending" {
        return Ok(Some(Page::Done {
            return_url: row.return_url,
        }));
    }
    if state.clock.now_ms() - row.created_at > REQUEST_TTL_MS {
        return Ok(None);
    }
    let link = |flow: &str| {
        let request_uri = format!("{}{PAGE_PATH}/{id}/request?flow={flow}", public_url(state));
        let mut url = config.wallet_url.clone();
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(
            &form_urlencoded::Serializer::new(String::new())
                .append_pair("client_id", &client_id(state))
                .append_pair("request_uri", &request_uri)
                .finish(),
        );
        url
    };
    Ok(Some(Page::Waiting {
        cross_device: link("cross"),
        same_device: link("same"),
    }))
}

/// The request object of pending request `id`, fetched by the wallet (`flow` is `same` or
/// `cross`, from the link or the QR code); `None` if unknown, answered or expired.
pub async fn request_object(
    state: &AppState,
    id: &str,
    flow: &str,
) -> Result<Option<String>, sqlx::Error> {
    let Some(config) = configured(state) else {
        return Ok(None);
    };
    let Some(row) = pending(state, id).await? else {
        return Ok(None);
    };
    rows::set_flow(
        state.db.pool(),
        id,
        if flow == "same" { "same" } else { "cross" },
    )
    .await?;
    let claims: Vec<_> = CLAIMS
        .iter()
        .map(|name| json!({ "id": name, "path": [name] }))
        .collect();
    let payload = json!({
        "client_id": client_id(state),
        "response_type": "vp_token",
        "response_mode": "direct_post",
        "response_uri": format!("{}{RESPONSE_PATH}", public_url(state)),
        "nonce": row.nonce,
        "state": row.id,
        "iat": state.clock.now().timestamp(),
        "dcql_query": {
            "credentials": [{
                "id": QUERY_ID,
                "format": "dc+sd-jwt",
                "meta": { "vct_values": [config.credential_type] },
                "claims": claims,
                // The place of birth when the credential has one.
                "claim_sets": [CLAIMS.to_vec(), CLAIMS[..3].to_vec()],
            }],
        },
        "client_metadata": {
            "vp_formats_supported": {
                "dc+sd-jwt": {
                    "sd-jwt_alg_values": ["ES256", "RS256"],
                    "kb-jwt_alg_values": ["ES256", "RS256"],
                },
            },
        },
    });
    // Unsigned, as the `redirect_uri:` client identifier prefix demands (OpenID4VP §5.9.3).
    let header = json!({ "alg": "none", "typ": "oauth-authz-req+jwt" });
    let part = |value: &serde_json::Value| URL_SAFE_NO_PAD.encode(value.to_string());
    Ok(Some(format!("{}.{}.", part(&header), part(&payload))))
}

/// The wallet's answer at the response URI (`application/x-www-form-urlencoded`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct Response {
    pub state: Option<String>,
    pub vp_token: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// What the response URI answers the wallet.
pub enum Answer {
    /// 200: `{"redirect_uri": ...}` on the same device, `{}` across devices.
    Accepted { redirect_uri: Option<String> },
    /// 400: the request is unknown, answered or expired, or the presentation was refused
    /// (the refusal is recorded; the person learns it on Pli's page).
    Refused { error: &'static str },
}

/// Checks and records the wallet's answer to a request.
pub async fn respond(
    state: &AppState,
    response: &Response,
) -> Result<Answer, crate::error::ServerError> {
    let Some(config) = configured(state) else {
        return Ok(Answer::Refused {
            error: "unknown_request",
        });
    };
    let Some(row) = pending(state, response.state.as_deref().unwrap_or_default()).await? else {
        return Ok(Answer::Refused {
            error: "unknown_request",
        });
    };
    let wallet = Wallet::new(state, config);
    let result = match (&response.error, &response.vp_token) {
        (Some(error), _) => {
            tracing::info!(%error, description = ?response.error_description, "wallet: declined");
            Err(if error == "access_denied" {
                domain::identity::WALLET_DECLINED
            } else {
                "wallet_error"
            })
        }
        (None, Some(vp_token)) => match presentation_of(vp_token) {
            Some(presentation) => wallet.verified(&row, &presentation).await,
            None => Err(sd_jwt::Refusal::Malformed.code()),
        },
        (None, None) => Err(sd_jwt::Refusal::Malformed.code()),
    };
    let level = config.level.as_str();
    let outcome = match &result {
        Ok(p) => Outcome {
            succeeded: true,
            subject: Some(&p.holder),
            level: Some(level),
            verified_name: Some(&p.name),
            birth_date: p.birth_date.as_deref(),
            birth_place: p.birth_place.as_deref(),
            failure: None,
        },
        Err(reason) => Outcome::refused(reason),
    };
    let issuer = result.as_ref().ok().map(|p| p.issuer.as_str());
    let now = state.clock.now_ms();
    if !rows::finish(state.db.pool(), &row.id, issuer, &outcome, now).await? {
        return Ok(Answer::Refused {
            error: "unknown_request",
        });
    }
    match result {
        Err(reason) if response.error.is_none() => {
            tracing::warn!(%reason, "wallet: identity proofing refused");
            Ok(Answer::Refused { error: reason })
        }
        // The person declined in their wallet: their answer is taken, and they go back.
        declined => {
            if let Ok(p) = declined {
                tracing::info!(disclosed = ?p.disclosed, "wallet: identity proven");
            }
            let redirect_uri = (row.flow.as_deref() == Some("same")).then(|| {
                format!(
                    "{}{PAGE_PATH}/{}/returned?response_code={}",
                    public_url(state),
                    row.id,
                    row.response_code
                )
            });
            Ok(Answer::Accepted { redirect_uri })
        }
    }
}

/// The one presentation of `vp_token` (DCQL: `{"pid": ["<SD-JWT>"]}`).
fn presentation_of(vp_token: &str) -> Option<String> {
    let token: HashMap<String, Vec<String>> = serde_json::from_str(vp_token).ok()?;
    match token.get(QUERY_ID)?.as_slice() {
        [presentation] => Some(presentation.clone()),
        _ => None,
    }
}

/// The browser back from the wallet on the same device with `response_code`: where to go (the
/// page the proofing started from), or `None` if the code is not this request's.
pub async fn returned(
    state: &AppState,
    id: &str,
    response_code: &str,
) -> Result<Option<String>, sqlx::Error> {
    let Some(row) = rows::get(state.db.pool(), id).await? else {
        return Ok(None);
    };
    if row.status == "pending"
        || !constant_time_eq(row.response_code.as_bytes(), response_code.as_bytes())
    {
        return Ok(None);
    }
    rows::set_returned(state.db.pool(), id, state.clock.now_ms()).await?;
    Ok(Some(row.return_url))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
