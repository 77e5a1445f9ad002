//! The seal keys and the TSA under dual control (OPS-01, OPS-06; policy §13.1.3 "Responsable du
//! cachet", §13.6; `domain::seal_keys`), on the dual control of the trusted roles
//! (`dual_control_request`, expiry after [`DUAL_CONTROL_HOURS`]):
//!
//! 1. a seal officer requests an operation ([`request_generation`], [`request_activation`],
//!    [`request_retirement`], [`request_tsa_change`]), checked at once (unknown key 404, a
//!    status that does not allow it 409, bad input 422);
//! 2. a second person — another seal officer or a security officer, never the requester —
//!    approves it ([`execute::decide`]) and it is carried out then: the key pair generated in
//!    the HSM (certified at once by the development PKI in development), the key activated
//!    (every instance follows before its next seal, `sealing::active`), retired, or the TSA
//!    changed once it answered a test time-stamp;
//! 3. any of them may reject it, the requester withdraw it.
//!
//! A certificate issued by a certification authority for a generated key is attached by a seal
//! officer ([`attach_certificate`]), checked to be for the key; the activation, under dual
//! control, puts it to use. Every step is journaled (category `operators`).

pub mod execute;

use app::api::Caller;
use app::error::AppError;
use app::seal_keys::{SealKeyView, SealKeysPage, SealRequestView};
use chrono::TimeDelta;
use domain::roles::{DUAL_CONTROL_HOURS, TrustedRole};
use domain::seal_keys::{self as rules, SealKeyAction, SealKeyRefusal, SealKeyStatus};
use domain::time::rfc3339;
use serde::{Deserialize, Serialize};
use serde_json::json;
use x509_cert::der::{DecodePem, EncodePem};

use super::Operator;
use super::roles::expire;
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::sealing::{SealingError, parse_pem_bundle};
use crate::store::roles::{self as requests, NewRequest, Request};
use crate::store::seal_keys::{self as rows, SealKey};

/// What a seal-key request carries (`dual_control_request.payload`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Payload {
    /// The key activated or retired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The TSA changed to, and the roots (PEM) to trust for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tsa_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_roots: Option<String>,
}

pub(crate) fn refused(refusal: SealKeyRefusal) -> ServerError {
    ServerError::User(AppError::SealKey(refusal))
}

/// The caller as an operator whose roles pass `allowed` ([`AppError::OperatorOnly`] else).
pub(crate) async fn officer(
    state: &AppState,
    caller: &Caller,
    allowed: fn(&[TrustedRole]) -> bool,
) -> Result<Operator, ServerError> {
    let operator = state.operator(caller).await?;
    if allowed(&operator.roles) {
        Ok(operator)
    } else {
        Err(ServerError::User(AppError::OperatorOnly))
    }
}

/// The seal-key requests among the pending dual-control requests, with their payloads.
pub(crate) async fn pending(
    state: &AppState,
) -> Result<Vec<(Request, SealKeyAction, Payload)>, ServerError> {
    let mut found = Vec::new();
    for request in requests::pending(state.db.pool()).await? {
        let Some(action) = SealKeyAction::from_code(&request.action) else {
            continue;
        };
        let payload = serde_json::from_str(&request.payload)
            .map_err(|e| ServerError::internal(format!("seal-key request payload: {e}")))?;
        found.push((request, action, payload));
    }
    Ok(found)
}

/// The key `id` ([`AppError::NotFound`] if none).
pub(crate) async fn key(
    state: &AppState,
    id: &str,
) -> Result<(SealKey, SealKeyStatus), ServerError> {
    let key = rows::by_id(state.db.pool(), id)
        .await?
        .ok_or(ServerError::User(AppError::NotFound))?;
    let status = SealKeyStatus::from_code(&key.status)
        .ok_or_else(|| ServerError::internal(format!("seal key status {}", key.status)))?;
    Ok((key, status))
}

/// Records a pending request of `action` by `operator`, journaled as `event`; its id.
async fn insert(
    state: &AppState,
    operator: &Operator,
    action: SealKeyAction,
    payload: &Payload,
    event: &'static str,
) -> Result<String, ServerError> {
    // The same operation asked twice would be approved twice.
    let same = |other: &Payload| other.key_id == payload.key_id && other.tsa_url == payload.tsa_url;
    if pending(state)
        .await?
        .iter()
        .any(|(_, a, p)| *a == action && same(p))
    {
        return Err(refused(SealKeyRefusal::Pending));
    }
    let now = state.clock.now();
    let id = uuid::Uuid::now_v7().to_string();
    let text = serde_json::to_string(payload)
        .map_err(|e| ServerError::internal(format!("seal-key request payload: {e}")))?;
    let mut tx = state.db.begin().await?;
    requests::insert_request(
        &mut *tx,
        &NewRequest {
            id: &id,
            action: action.code(),
            payload: &text,
            requested_by: &operator.principal.account_id,
            at: now.timestamp_millis(),
            expires_at: (now + TimeDelta::hours(DUAL_CONTROL_HOURS)).timestamp_millis(),
        },
    )
    .await?;
    let mut details = json!({ "request_id": id, "action": action.code() });
    if let (Some(map), Ok(serde_json::Value::Object(extra))) =
        (details.as_object_mut(), serde_json::to_value(payload))
    {
        map.extend(extra.into_iter().filter(|(k, _)| k != "trust_roots"));
    }
    audit::record_in(&mut tx, now, &operator.event(event, details)).await?;
    tx.commit().await?;
    Ok(id)
}

/// A seal officer asks for a new seal key pair, generated inside the HSM once approved.
pub async fn request_generation(state: &AppState, caller: &Caller) -> Result<(), ServerError> {
    let operator = officer(state, caller, rules::may_request).await?;
    let payload = Payload::default();
    insert(
        state,
        &operator,
        SealKeyAction::Generate,
        &payload,
        "seal_key_generation_requested",
    )
    .await
    .map(|_| ())
}

/// A seal officer asks that ready key `key_id` seal every new evidence.
pub async fn request_activation(
    state: &AppState,
    caller: &Caller,
    key_id: &str,
) -> Result<(), ServerError> {
    request_on_key(state, caller, key_id, SealKeyAction::Activate).await
}

/// A seal officer asks that key `key_id`, not the active one, be retired for good.
pub async fn request_retirement(
    state: &AppState,
    caller: &Caller,
    key_id: &str,
) -> Result<(), ServerError> {
    request_on_key(state, caller, key_id, SealKeyAction::Retire).await
}

/// A seal officer's request to activate or retire key `key_id`, if its status allows it.
async fn request_on_key(
    state: &AppState,
    caller: &Caller,
    key_id: &str,
    action: SealKeyAction,
) -> Result<(), ServerError> {
    let operator = officer(state, caller, rules::may_request).await?;
    let (key, status) = key(state, key_id).await?;
    let (allowed, event) = match action {
        SealKeyAction::Retire => (status.retirement(), "seal_key_retirement_requested"),
        _ => (status.activation(), "seal_key_activation_requested"),
    };
    allowed.map_err(refused)?;
    let payload = Payload {
        key_id: Some(key.id),
        label: Some(key.label),
        ..Payload::default()
    };
    insert(state, &operator, action, &payload, event)
        .await
        .map(|_| ())
}

/// A seal officer asks that the TSA at `url` time-stamp every new evidence, its tokens
/// trusted through `trust_roots` (PEM, possibly empty) besides the roots already trusted.
pub async fn request_tsa_change(
    state: &AppState,
    caller: &Caller,
    url: &str,
    trust_roots: &str,
) -> Result<(), ServerError> {
    let operator = officer(state, caller, rules::may_request).await?;
    let url = rules::tsa_url(url).map_err(refused)?;
    if url == "builtin" && !state.config.is_development() {
        return Err(refused(SealKeyRefusal::TsaUrl));
    }
    let roots = parse_pem_bundle(trust_roots).map_err(|_| refused(SealKeyRefusal::TrustRoots))?;
    let payload = Payload {
        tsa_url: Some(url),
        trust_roots: Some(crate::sealing::pem_bundle(&roots)),
        ..Payload::default()
    };
    insert(
        state,
        &operator,
        SealKeyAction::ChangeTsa,
        &payload,
        "tsa_change_requested",
    )
    .await
    .map(|_| ())
}

/// A seal officer attaches the certificate (PEM) a certification authority issued for key
/// `key_id`: valid at the service's time, for an RSA key, and for this very key (checked
/// against the token). The key becomes ready; its activation is under dual control.
pub async fn attach_certificate(
    state: &AppState,
    caller: &Caller,
    key_id: &str,
    pem: &str,
) -> Result<(), ServerError> {
    let operator = officer(state, caller, rules::may_request).await?;
    let (key, status) = key(state, key_id).await?;
    status.certification().map_err(refused)?;
    let certificate = evidence::Certificate::from_pem(pem.trim().as_bytes())
        .map_err(|_| refused(SealKeyRefusal::Certificate))?;
    let now = std::time::SystemTime::from(state.clock.now());
    let validity = &certificate.tbs_certificate.validity;
    if now < validity.not_before.to_system_time() || now > validity.not_after.to_system_time() {
        return Err(refused(SealKeyRefusal::Certificate));
    }
    let hsm = state.sealer.hsm().clone();
    let (label, checked) = (key.label.clone(), certificate.clone());
    let matches = tokio::task::spawn_blocking(move || {
        let public = hsm.public_key(&label)?;
        Ok::<_, evidence::Error>(evidence::check_certificate_matches_key(
            &checked, &public, &label,
        ))
    })
    .await?
    .map_err(SealingError::from)?;
    match matches {
        Ok(()) => {}
        Err(evidence::Error::CertificateKey { .. }) => {
            return Err(refused(SealKeyRefusal::Certificate));
        }
        Err(_) => return Err(refused(SealKeyRefusal::CertificateMismatch)),
    }
    let pem = certificate
        .to_pem(x509_cert::der::pem::LineEnding::LF)
        .map_err(|e| ServerError::internal(format!("certificate PEM: {e}")))?;
    let at = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !rows::attach_certificate(&mut *tx, &key.id, &pem).await? {
        return Err(refused(SealKeyRefusal::Retired));
    }
    let details = json!({
        "key_id": key.id,
        "label": key.label,
        "certificate_subject": certificate.tbs_certificate.subject.to_string(),
        "certificate_serial": crate::ledger::hex(certificate.tbs_certificate.serial_number.as_bytes()),
    });
    audit::record_in(
        &mut tx,
        at,
        &operator.event("seal_key_certificate_attached", details),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The certificate signing request (PKCS#10, PEM) of key `key_id`, signed by it in the
/// token, for the subject of the certificate in use: what a certification authority needs to
/// certify it.
pub async fn certificate_request(
    state: &AppState,
    caller: &Caller,
    key_id: &str,
) -> Result<(String, String), ServerError> {
    officer(state, caller, rules::may_read).await?;
    let (key, status) = key(state, key_id).await?;
    if status == SealKeyStatus::Retired {
        return Err(refused(SealKeyRefusal::Retired));
    }
    let subject = state
        .sealer
        .configured_certificate()
        .tbs_certificate
        .subject
        .to_string();
    let hsm = state.sealer.hsm().clone();
    let label = key.label.clone();
    let csr = tokio::task::spawn_blocking(move || {
        evidence::pki::certificate_request(&hsm, &label, &subject)
    })
    .await?
    .map_err(SealingError::from)?;
    Ok((csr, format!("{}.csr.pem", key.label)))
}

fn key_view(key: &SealKey) -> SealKeyView {
    let certificate = key
        .certificate
        .as_deref()
        .and_then(|pem| evidence::Certificate::from_pem(pem.as_bytes()).ok());
    let tbs = certificate.as_ref().map(|c| &c.tbs_certificate);
    SealKeyView {
        id: key.id.clone(),
        label: key.label.clone(),
        status: key.status.clone(),
        origin: key.origin.clone(),
        created_at: rfc3339(key.created_at),
        activated_at: key.activated_at.map(rfc3339),
        retired_at: key.retired_at.map(rfc3339),
        public_key: key.public_key.clone(),
        certificate_subject: tbs.map(|t| t.subject.to_string()),
        certificate_serial: tbs
            .map(|t| crate::ledger::hex(t.serial_number.as_bytes()).to_uppercase()),
        certificate_not_after: tbs.map(|t| {
            let end = chrono::DateTime::<chrono::Utc>::from(t.validity.not_after.to_system_time());
            rfc3339(end.timestamp_millis())
        }),
    }
}

/// The seal keys' page of the caller (a seal or security officer).
pub async fn page(state: &AppState, caller: &Caller) -> Result<SealKeysPage, ServerError> {
    let operator = officer(state, caller, rules::may_read).await?;
    expire(state).await?;
    if let Err(error) = state.sealer.follow().await {
        tracing::warn!(%error, "cannot reload the seal settings");
    }
    let keys = rows::all(state.db.pool())
        .await?
        .iter()
        .map(key_view)
        .collect();
    let requests = pending(state)
        .await?
        .into_iter()
        .map(|(request, action, payload)| SealRequestView {
            own: request.requested_by == operator.principal.account_id,
            id: request.id,
            action: action.code().to_owned(),
            key_label: payload.label,
            tsa_url: payload.tsa_url,
            requested_by: request.requester_name,
            requested_at: rfc3339(request.requested_at),
            expires_at: rfc3339(request.expires_at),
        })
        .collect();
    let seal_state = rows::state(state.db.pool()).await?;
    Ok(SealKeysPage {
        may_request: rules::may_request(&operator.roles),
        may_approve: rules::may_approve(&operator.roles),
        development: state.config.is_development(),
        keys,
        requests,
        tsa_url: state.sealer.tsa_url(),
        tsa_from_settings: seal_state.tsa_url.is_none(),
    })
}
