//! The seal keys and the time-stamping authority under dual control (issue 13: OPS-01, OPS-06;
//! policy §13.1.3 "Responsable du cachet", §13.6; `domain::seal_keys`): the types the page
//! `/back-office/seal-keys` shows, the server-side port [`SealKeyServices`] (implemented by
//! `server::operators::seal_keys`), and the server functions.
//!
//! A seal officer requests (generate a key, activate or retire one, change the TSA); a second
//! seal officer or a security officer approves, and the operation is carried out then. Every
//! function needs an operator (signed in, live OTP session, a trusted role in effect) who is a
//! seal or security officer. A key's certificate signing request is a plain route,
//! `/back-office/seal-keys/{id}/request.pem`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A seal key of the HSM.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SealKeyView {
    pub id: String,
    /// Its label in the token.
    pub label: String,
    /// `domain::seal_keys::SealKeyStatus::code`.
    pub status: String,
    /// `configuration` (the key of the settings) or `generated` (under dual control).
    pub origin: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub activated_at: Option<String>,
    pub retired_at: Option<String>,
    /// Its public key (SubjectPublicKeyInfo, PEM).
    pub public_key: String,
    /// Its certificate's subject, serial number (hex) and end of validity, once attached.
    pub certificate_subject: Option<String>,
    pub certificate_serial: Option<String>,
    pub certificate_not_after: Option<String>,
}

/// A seal-key operation waiting for its second person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SealRequestView {
    pub id: String,
    /// `domain::seal_keys::SealKeyAction::code`.
    pub action: String,
    /// The key activated or retired.
    pub key_label: Option<String>,
    /// The TSA changed to.
    pub tsa_url: Option<String>,
    pub requested_by: String,
    /// Whether the caller made it (they may withdraw it, not approve it).
    pub own: bool,
    /// RFC 3339 UTC.
    pub requested_at: String,
    pub expires_at: String,
}

/// The seal keys' page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SealKeysPage {
    /// The caller is a seal officer (requests operations).
    pub may_request: bool,
    /// The caller is a seal or security officer (approves others' requests).
    pub may_approve: bool,
    /// Development: a generated key is certified at once by the development PKI.
    pub development: bool,
    pub keys: Vec<SealKeyView>,
    pub requests: Vec<SealRequestView>,
    /// The TSA every new evidence is time-stamped by.
    pub tsa_url: String,
    /// Whether it is the one of the settings (`tsa.url`), never changed under dual control.
    pub tsa_from_settings: bool,
}

/// The server-side port of the seal keys, implemented by the `server` crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SealKeyServices: Send + Sync + 'static {
    async fn page(&self, caller: crate::api::Caller) -> Result<SealKeysPage, AppError>;
    async fn request_generation(
        &self,
        caller: crate::api::Caller,
    ) -> Result<SealKeysPage, AppError>;
    async fn request_activation(
        &self,
        caller: crate::api::Caller,
        key_id: String,
    ) -> Result<SealKeysPage, AppError>;
    async fn request_retirement(
        &self,
        caller: crate::api::Caller,
        key_id: String,
    ) -> Result<SealKeysPage, AppError>;
    async fn request_tsa_change(
        &self,
        caller: crate::api::Caller,
        url: String,
        trust_roots: String,
    ) -> Result<SealKeysPage, AppError>;
    async fn attach_certificate(
        &self,
        caller: crate::api::Caller,
        key_id: String,
        certificate: String,
    ) -> Result<SealKeysPage, AppError>;
    async fn decide(
        &self,
        caller: crate::api::Caller,
        request_id: String,
        approve: bool,
    ) -> Result<SealKeysPage, AppError>;
}

/// The [`SealKeyServices`] of this server, as a request context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct SealKeyServicesHandle(pub std::sync::Arc<dyn SealKeyServices>);

#[cfg(feature = "ssr")]
fn services() -> Result<std::sync::Arc<dyn SealKeyServices>, AppError> {
    use_context::<SealKeyServicesHandle>()
        .map(|handle| handle.0)
        .ok_or_else(|| AppError::Internal {
            request_id: "no-seal-key-services-context".to_owned(),
        })
}

#[server(endpoint = "seal_keys")]
pub async fn fetch_seal_keys() -> Result<SealKeysPage, AppError> {
    services()?.page(crate::api::caller()).await
}

/// Requests a new seal key pair, generated inside the HSM once approved.
#[server(endpoint = "seal_key_generate")]
pub async fn seal_key_generate() -> Result<SealKeysPage, AppError> {
    services()?.request_generation(crate::api::caller()).await
}

/// Requests that a ready key seal every new evidence.
#[server(endpoint = "seal_key_activate")]
pub async fn seal_key_activate(key_id: String) -> Result<SealKeysPage, AppError> {
    services()?
        .request_activation(crate::api::caller(), key_id)
        .await
}

/// Requests that a key that is not the active one be retired for good.
#[server(endpoint = "seal_key_retire")]
pub async fn seal_key_retire(key_id: String) -> Result<SealKeysPage, AppError> {
    services()?
        .request_retirement(crate::api::caller(), key_id)
        .await
}

/// Requests a change of TSA: its address and the roots (PEM) its tokens chain to, if they are
/// not already trusted.
#[server(endpoint = "tsa_change")]
pub async fn tsa_change(
    url: String,
    trust_roots: Option<String>,
) -> Result<SealKeysPage, AppError> {
    services()?
        .request_tsa_change(crate::api::caller(), url, trust_roots.unwrap_or_default())
        .await
}

/// Attaches the certificate a certification authority issued for a generated key (PEM).
#[server(endpoint = "seal_key_certificate")]
pub async fn seal_key_certificate(
    key_id: String,
    certificate: String,
) -> Result<SealKeysPage, AppError> {
    services()?
        .attach_certificate(crate::api::caller(), key_id, certificate)
        .await
}

/// Approves a seal-key request made by somebody else: it is carried out at once.
#[server(endpoint = "seal_key_approve")]
pub async fn seal_key_approve(request_id: String) -> Result<SealKeysPage, AppError> {
    services()?
        .decide(crate::api::caller(), request_id, true)
        .await
}

/// Rejects a seal-key request (the requester withdraws their own).
#[server(endpoint = "seal_key_reject")]
pub async fn seal_key_reject(request_id: String) -> Result<SealKeysPage, AppError> {
    services()?
        .decide(crate::api::caller(), request_id, false)
        .await
}

/// The HTTP status of a refusal: 409 for a key's status, 422 for what was entered.
pub fn refusal_status(refusal: domain::seal_keys::SealKeyRefusal) -> http::StatusCode {
    use domain::seal_keys::SealKeyRefusal as R;
    match refusal {
        R::RetireActive | R::Retired | R::AlreadyActive | R::NoCertificate | R::Pending => {
            http::StatusCode::CONFLICT
        }
        R::Certificate | R::CertificateMismatch | R::TsaUrl | R::TrustRoots | R::TsaUnreachable => {
            http::StatusCode::UNPROCESSABLE_ENTITY
        }
    }
}
