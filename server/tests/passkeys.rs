//! Passkeys as a second factor (issue 14, AUTH-01, AUTH-02, AUTH-05), through the running
//! server at the HTTP level. The browser and its authenticator are 1Password's passkey-rs from
//! crates.io (a WebAuthn client and a software CTAP2 authenticator): they build the client
//! data for the service's origin and sign with a key of their own. A first passkey replaces
//! the app and brings recovery codes; its assertion completes a sign-in and opens an expired
//! OTP session again; a finished ceremony is not taken twice, an old assertion is refused for
//! a new challenge, another account's passkey is refused, each wrong answer counted and
//! journaled; a recovery code still works; removing the last passkey removes the factor.

mod common;

use app::error::AppError;
use app::passkeys::{PasskeyCeremony, PasskeyView};
use app::types::{AuthState, SecondFactorMethod};
use chrono::TimeDelta;
use common::flows::{User, signed_in};
use common::records::{events, last_event};
use common::smtp::free_port;
use common::{Backend, TestApp, spawn_app_with};
use passkey::authenticator::{Authenticator, UiHint, UserCheck, UserValidationMethod};
use passkey::client::{Client, DefaultClientData};
use passkey::types::Passkey;
use passkey::types::ctap2::{Aaguid, Ctap2Error};
use passkey::types::webauthn::{
    CredentialCreationOptions, CredentialRequestOptions, PublicKeyCredentialCreationOptions,
    PublicKeyCredentialRequestOptions,
};
use webauthn_rs::prelude::Url;

on_both_databases!(auth_01_auth_02_a_passkey_is_the_second_factor,);

/// A device that verifies its user (fingerprint, face, PIN) every time it is asked.
struct Device;

#[async_trait::async_trait]
impl UserValidationMethod for Device {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(
        &self,
        _hint: UiHint<'a, Passkey>,
        presence: bool,
        verification: bool,
    ) -> Result<UserCheck, Ctap2Error> {
        Ok(UserCheck {
            presence,
            verification,
        })
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(true)
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }
}

/// A browser's WebAuthn client with its built-in authenticator, holding one passkey.
struct Browser {
    client: Client<Option<Passkey>, Device, public_suffix::PublicSuffixList, ()>,
    origin: Url,
}

impl Browser {
    fn at(app: &TestApp) -> Browser {
        let authenticator = Authenticator::new(Aaguid::new_empty(), None, Device);
        Browser {
            client: Client::new(authenticator).allows_insecure_localhost(true),
            origin: Url::parse(&app.state.config.server.public_url).expect("public URL"),
        }
    }

    /// The new credential for the server's creation options, as the page sends it.
    async fn create(&mut self, options: &str) -> String {
        let public_key: PublicKeyCredentialCreationOptions =
            serde_json::from_str(options).expect("creation options");
        let request = CredentialCreationOptions { public_key };
        let created = self
            .client
            .register(&self.origin, request, DefaultClientData)
            .await
            .expect("register");
        serde_json::to_string(&created).expect("credential JSON")
    }

    /// The assertion for the server's request options, as the page sends it.
    async fn get(&mut self, options: &str) -> String {
        let public_key: PublicKeyCredentialRequestOptions =
            serde_json::from_str(options).expect("request options");
        self.answer(public_key).await
    }

    async fn answer(&mut self, public_key: PublicKeyCredentialRequestOptions) -> String {
        let request = CredentialRequestOptions { public_key };
        let asserted = self
            .client
            .authenticate(&self.origin, request, DefaultClientData)
            .await
            .expect("authenticate");
        serde_json::to_string(&asserted).expect("assertion JSON")
    }
}

/// Registers a passkey named `name` for `user`; the recovery codes returned.
async fn register(app: &TestApp, user: &User, browser: &mut Browser, name: &str) -> Vec<String> {
    let challenge: PasskeyCeremony = user.call(app, "passkey_register_begin", &[]).await.ok();
    let credential = browser.create(&challenge.options).await;
    let form = [
        ("ceremony", challenge.ceremony.as_str()),
        ("credential", credential.as_str()),
        ("name", name),
    ];
    user.call(app, "passkey_register_finish", &form).await.ok()
}

/// The second factor with the passkey: the server's challenge and the browser's answer.
async fn with_passkey(app: &TestApp, user: &User, browser: &mut Browser) -> common::flows::Reply {
    let challenge: PasskeyCeremony = user.call(app, "passkey_challenge", &[]).await.ok();
    let credential = browser.get(&challenge.options).await;
    let form = [
        ("ceremony", challenge.ceremony.as_str()),
        ("credential", credential.as_str()),
    ];
    user.call(app, "second_factor_passkey", &form).await
}

async fn app_at_a_domain(backend: Backend) -> TestApp {
    // WebAuthn needs a domain name: the service's public URL is localhost.
    let port = free_port();
    spawn_app_with(backend, move |config| {
        config.server.listen = ([127, 0, 0, 1], port).into();
        config.server.public_url = format!("http://localhost:{port}");
    })
    .await
}

async fn auth_01_auth_02_a_passkey_is_the_second_factor(backend: Backend) {
    let app = app_at_a_domain(backend).await;
    let lucie = signed_in(&app, "lucie@example.org", "Lucie Passkey").await;
    let mut phone = Browser::at(&app);

    // A first passkey: the method, 10 recovery codes, an OTP session, journaled.
    let codes = register(&app, &lucie, &mut phone, "Téléphone de Lucie").await;
    assert_eq!(codes.len(), 10);
    let state = lucie.auth_state(&app).await;
    let user = state.user.expect("signed in");
    assert_eq!(user.second_factor, Some(SecondFactorMethod::Passkey));
    assert!(user.otp_seconds_left.is_some(), "an OTP session opened");
    let keys: Vec<PasskeyView> = lucie.call(&app, "passkeys", &[]).await.ok();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].name, "Téléphone de Lucie");
    assert_eq!(keys[0].last_used_at, None);
    let registered = last_event(&app, "passkey_registered").await;
    assert_eq!(registered["details"]["recovery_codes"], 10);
    assert_eq!(
        registered["details"]["previous_method"],
        serde_json::Value::Null
    );

    // A name the profile would refuse is refused here too, before any ceremony.
    let blank = [("ceremony", "x"), ("credential", "{}"), ("name", " ")];
    let refused = lucie.call(&app, "passkey_register_finish", &blank).await;
    assert_eq!(refused.status.as_u16(), 422);

    // Sign-in: the password, then the passkey.
    lucie.sign_out(&app).await;
    let waiting: AuthState = lucie.sign_in(&app).await.ok();
    assert!(waiting.awaiting_second_factor());
    assert_eq!(
        waiting.user.expect("user").second_factor,
        Some(SecondFactorMethod::Passkey)
    );
    let challenge: PasskeyCeremony = lucie.call(&app, "passkey_challenge", &[]).await.ok();
    let answer = phone.get(&challenge.options).await;
    let form = [
        ("ceremony", challenge.ceremony.as_str()),
        ("credential", answer.as_str()),
    ];
    let state: AuthState = lucie.call(&app, "second_factor_passkey", &form).await.ok();
    assert!(state.signed_in());
    let success = last_event(&app, "second_factor_success").await;
    assert_eq!(success["details"]["method"], "passkey");
    let keys: Vec<PasskeyView> = lucie.call(&app, "passkeys", &[]).await.ok();
    assert!(keys[0].last_used_at.is_some(), "the use is recorded");

    // Replays: the finished ceremony is not taken twice; the old answer does not fit a new
    // challenge, and counts as a wrong answer.
    let again = lucie.call(&app, "second_factor_passkey", &form).await;
    assert_eq!(
        (again.status.as_u16(), again.err()),
        (410, AppError::PasskeyExpired)
    );
    let fresh: PasskeyCeremony = lucie.call(&app, "passkey_challenge", &[]).await.ok();
    let old_answer = [
        ("ceremony", fresh.ceremony.as_str()),
        ("credential", answer.as_str()),
    ];
    let replayed = lucie.call(&app, "second_factor_passkey", &old_answer).await;
    assert_eq!(
        (replayed.status.as_u16(), replayed.err()),
        (401, AppError::PasskeyRefused)
    );
    let failure = last_event(&app, "second_factor_failure").await;
    assert_eq!(failure["details"]["method"], "passkey");

    // The OTP session expires: the passkey opens a fresh one, as a code does (AUTH-02).
    app.state
        .clock
        .advance(TimeDelta::minutes(14) + TimeDelta::seconds(59));
    lucie.auth_state(&app).await;
    app.state.clock.advance(TimeDelta::seconds(1));
    let expired = lucie.call(&app, "otp_session", &[]).await;
    assert_eq!(expired.err(), AppError::OtpSessionRequired);
    with_passkey(&app, &lucie, &mut phone)
        .await
        .ok::<AuthState>();
    let live = lucie.auth_state(&app).await.user.expect("user");
    assert_eq!(live.otp_seconds_left, Some(900));

    // Another account's passkey does not answer Lucie's challenge.
    let marc = signed_in(&app, "marc@example.org", "Marc Autre").await;
    let mut marc_phone = Browser::at(&app);
    register(&app, &marc, &mut marc_phone, "Ordinateur de Marc").await;
    let theirs: PasskeyCeremony = lucie.call(&app, "passkey_challenge", &[]).await.ok();
    let mut options: PublicKeyCredentialRequestOptions =
        serde_json::from_str(&theirs.options).expect("request options");
    // (Marc's authenticator would find none of Lucie's keys: it is told any key will do.)
    options.allow_credentials = None;
    let foreign = marc_phone.answer(options).await;
    let form = [
        ("ceremony", theirs.ceremony.as_str()),
        ("credential", foreign.as_str()),
    ];
    let refused = lucie.call(&app, "second_factor_passkey", &form).await;
    assert_eq!(
        (refused.status.as_u16(), refused.err()),
        (401, AppError::PasskeyRefused)
    );

    // With passkeys, a recovery code still completes a sign-in; an app's code does not exist.
    lucie.sign_out(&app).await;
    lucie.sign_in(&app).await.ok::<AuthState>();
    let six_digits = lucie.second_factor(&app, "123456").await;
    assert_eq!(six_digits.err(), AppError::BadCode);
    let state: AuthState = lucie.second_factor(&app, &codes[0]).await.ok();
    assert!(state.signed_in());

    // Removing the only passkey removes the second factor and its recovery codes.
    let keys: Vec<PasskeyView> = lucie.call(&app, "passkeys", &[]).await.ok();
    lucie
        .call(&app, "passkey_remove", &[("id", keys[0].id.as_str())])
        .await
        .ok::<()>();
    let user = lucie.auth_state(&app).await.user.expect("user");
    assert_eq!(user.second_factor, None);
    assert_eq!(user.recovery_codes_left, 0);
    let removed = last_event(&app, "passkey_removed").await;
    assert_eq!(removed["details"]["passkeys_left"], 0);
    assert_eq!(events(&app, "passkey_registered").await.len(), 2);
}
