//! Passkeys as a second factor (issue 14, AUTH-01): an alternative to the authenticator app,
//! chosen in the profile. A passkey is registered (WebAuthn "create") from the profile, and
//! its assertion (WebAuthn "get") completes a sign-in or opens an OTP session (AUTH-02) as a
//! TOTP code does; the recovery codes still apply.
//!
//! Each ceremony is two server functions around the browser's WebAuthn call: the server
//! begins it (a challenge, kept five minutes for this session), the browser asks the
//! authenticator, the server verifies the answer. Options and answers travel as the WebAuthn
//! JSON forms (`PublicKeyCredential.parse…OptionsFromJSON`, `toJSON()`), so that no WebAuthn
//! type is compiled into the page.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::types::AuthState;

/// A ceremony begun by the server: its id and the options for the browser (JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PasskeyCeremony {
    pub ceremony: String,
    /// `PublicKeyCredentialCreationOptionsJSON` or `PublicKeyCredentialRequestOptionsJSON`.
    pub options: String,
}

/// A passkey of the caller's account, as the profile lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: String,
    pub name: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub last_used_at: Option<String>,
}

/// The server-side port of the passkeys, implemented by the `server` crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait PasskeyServices: Send + Sync + 'static {
    /// The caller's passkeys.
    async fn list(&self, caller: crate::api::Caller) -> Result<Vec<PasskeyView>, AppError>;
    /// Begins registering a passkey (a live OTP session when a second factor is enrolled).
    async fn register_begin(&self, caller: crate::api::Caller)
    -> Result<PasskeyCeremony, AppError>;
    /// Verifies the authenticator's new credential and records it; returns the new recovery
    /// codes when passkeys became the account's method (none when one more was added).
    async fn register_finish(
        &self,
        caller: crate::api::Caller,
        ceremony: String,
        credential: String,
        name: String,
    ) -> Result<crate::api::WithCookie<Vec<String>>, AppError>;
    /// Begins an assertion with the account's passkeys (sign-in, or a fresh OTP session).
    async fn challenge(&self, caller: crate::api::Caller) -> Result<PasskeyCeremony, AppError>;
    /// Verifies the assertion: completes the sign-in or opens an OTP session.
    async fn assert(
        &self,
        caller: crate::api::Caller,
        ceremony: String,
        credential: String,
    ) -> Result<crate::api::WithCookie<AuthState>, AppError>;
    /// Removes one passkey (a live OTP session); the last one takes the second factor and the
    /// recovery codes with it.
    async fn remove(&self, caller: crate::api::Caller, id: String) -> Result<(), AppError>;
}

/// The [`PasskeyServices`] of this server, as a request context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct PasskeyServicesHandle(pub std::sync::Arc<dyn PasskeyServices>);

#[cfg(feature = "ssr")]
fn services() -> Result<std::sync::Arc<dyn PasskeyServices>, AppError> {
    use_context::<PasskeyServicesHandle>()
        .map(|handle| handle.0)
        .ok_or_else(|| AppError::Internal {
            request_id: "no-passkey-services-context".to_owned(),
        })
}

#[server(endpoint = "passkeys")]
pub async fn fetch_passkeys() -> Result<Vec<PasskeyView>, AppError> {
    services()?.list(crate::api::caller()).await
}

#[server(endpoint = "passkey_register_begin")]
pub async fn passkey_register_begin() -> Result<PasskeyCeremony, AppError> {
    services()?.register_begin(crate::api::caller()).await
}

#[server(endpoint = "passkey_register_finish")]
pub async fn passkey_register_finish(
    ceremony: String,
    credential: String,
    name: String,
) -> Result<Vec<String>, AppError> {
    let name = crate::validation::passkey_name(&name)?;
    Ok(crate::api::with_cookie(
        services()?
            .register_finish(crate::api::caller(), ceremony, credential, name)
            .await?,
    ))
}

#[server(endpoint = "passkey_challenge")]
pub async fn passkey_challenge() -> Result<PasskeyCeremony, AppError> {
    services()?.challenge(crate::api::caller()).await
}

#[server(endpoint = "second_factor_passkey")]
pub async fn second_factor_passkey(
    ceremony: String,
    credential: String,
) -> Result<AuthState, AppError> {
    Ok(crate::api::with_cookie(
        services()?
            .assert(crate::api::caller(), ceremony, credential)
            .await?,
    ))
}

#[server(endpoint = "passkey_remove")]
pub async fn passkey_remove(id: String) -> Result<(), AppError> {
    services()?.remove(crate::api::caller(), id).await
}

/// Registers a passkey named `name`: the server's challenge, the authenticator's new
/// credential, the server's verification. Returns the recovery codes to show (none when one
/// more passkey was added).
pub async fn register(name: String) -> Result<Vec<String>, AppError> {
    let challenge = passkey_register_begin().await?;
    let credential = browser::ceremony(browser::Kind::Create, &challenge.options).await?;
    passkey_register_finish(challenge.ceremony, credential, name).await
}

/// The second factor with a passkey: the server's challenge, the authenticator's assertion,
/// the server's verification (a completed sign-in, or a fresh OTP session).
pub async fn authenticate() -> Result<AuthState, AppError> {
    let challenge = passkey_challenge().await?;
    let credential = browser::ceremony(browser::Kind::Get, &challenge.options).await?;
    second_factor_passkey(challenge.ceremony, credential).await
}

/// The browser's WebAuthn API, reached through `js_sys::Reflect` (the WebAuthn Level 3 JSON
/// methods have no `web_sys` binding yet).
mod browser {
    use crate::error::AppError;

    #[derive(Clone, Copy)]
    pub enum Kind {
        Create,
        Get,
    }

    /// Runs the ceremony of `kind` with `options` (JSON); returns the credential's JSON.
    #[cfg(feature = "hydrate")]
    pub async fn ceremony(kind: Kind, options: &str) -> Result<String, AppError> {
        use js_sys::{Function, JSON, Object, Promise, Reflect};
        use wasm_bindgen::{JsCast, JsValue};

        let (parse, call) = match kind {
            Kind::Create => ("parseCreationOptionsFromJSON", "create"),
            Kind::Get => ("parseRequestOptionsFromJSON", "get"),
        };
        let cancelled = |_| AppError::PasskeyCancelled;
        let get = |target: &JsValue, name: &str| Reflect::get(target, &name.into());
        let function = |target: &JsValue, name: &str| -> Result<Function, AppError> {
            get(target, name)
                .map_err(cancelled)?
                .dyn_into::<Function>()
                .map_err(cancelled)
        };
        let window: JsValue = web_sys::window().ok_or(AppError::PasskeyCancelled)?.into();
        let api = get(&window, "PublicKeyCredential").map_err(cancelled)?;
        let options = JSON::parse(options).map_err(cancelled)?;
        let public_key = function(&api, parse)?
            .call1(&api, &options)
            .map_err(cancelled)?;
        let request = Object::new();
        Reflect::set(&request, &"publicKey".into(), &public_key).map_err(cancelled)?;
        let credentials = get(
            &get(&window, "navigator").map_err(cancelled)?,
            "credentials",
        )
        .map_err(cancelled)?;
        let promise: Promise = function(&credentials, call)?
            .call1(&credentials, &request)
            .map_err(cancelled)?
            .dyn_into()
            .map_err(cancelled)?;
        let credential = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(cancelled)?;
        if credential.is_null() || credential.is_undefined() {
            return Err(AppError::PasskeyCancelled);
        }
        let json = function(&credential, "toJSON")?
            .call0(&credential)
            .map_err(cancelled)?;
        JSON::stringify(&json)
            .map_err(cancelled)?
            .as_string()
            .ok_or(AppError::PasskeyCancelled)
    }

    /// On the server there is no authenticator.
    #[cfg(not(feature = "hydrate"))]
    pub async fn ceremony(_kind: Kind, _options: &str) -> Result<String, AppError> {
        Err(AppError::PasskeyCancelled)
    }
}
