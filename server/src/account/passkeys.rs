//! Passkeys as a second factor (issue 14, AUTH-01): WebAuthn with the `webauthn-rs` library,
//! an alternative to the authenticator app chosen in the profile. One method at a time:
//! registering a first passkey replaces the app (and issues new recovery codes), enrolling an
//! app removes the passkeys. A passkey's assertion completes a sign-in or opens an OTP session
//! (AUTH-02) exactly as a TOTP code does, and counts against the same attempts (AUTH-05).
//!
//! The relying party is the service's public URL: its host is the RP ID, its origin the only
//! one accepted. WebAuthn refuses IP addresses, so passkeys need the service at a domain name
//! (`http://localhost:3000` in development).

use app::api::{Caller, WithCookie};
use app::error::AppError;
use app::passkeys::{PasskeyCeremony, PasskeyView};
use app::types::AuthState;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::time::rfc3339_millis;
use serde_json::json;
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Webauthn, WebauthnBuilder, WebauthnError,
};

use super::attempts::{Attempt, Kind};
use super::second_factor::wrong_answer;
use super::sign_in::second_factor_passed;
use super::{Account, auth_event, otp_session_opened, require_otp, session, totp};
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::store::accounts::{self, METHOD_PASSKEY};
use crate::store::{passkeys, sessions};

/// How long a ceremony's challenge stays valid.
const CEREMONY_MS: i64 = 5 * 60 * 1000;
const REGISTER: &str = "register";
const AUTHENTICATE: &str = "authenticate";

/// The relying party: this service at its public URL.
fn relying_party(state: &AppState) -> Result<Webauthn, ServerError> {
    let origin = Url::parse(&state.config.server.public_url).map_err(ServerError::internal)?;
    // An IP address is no relying party (WebAuthn's RP ID is a domain).
    let Some(rp_id) = origin.domain() else {
        return Err(AppError::PasskeysUnavailable.into());
    };
    WebauthnBuilder::new(rp_id, &origin)
        .and_then(|builder| builder.rp_name("Pli").build())
        .map_err(ServerError::internal)
}

/// The WebAuthn user handle of an account: its id (a UUID).
fn user_handle(account: &Account) -> Result<uuid::Uuid, ServerError> {
    uuid::Uuid::parse_str(&account.id).map_err(ServerError::internal)
}

fn credential_id(passkey: &Passkey) -> String {
    URL_SAFE_NO_PAD.encode(passkey.cred_id())
}

/// The account's passkeys, as rows and as the library's credentials.
async fn registered(
    state: &AppState,
    account_id: &str,
) -> Result<Vec<(passkeys::Passkey, Passkey)>, ServerError> {
    passkeys::of_account(state.db.pool(), account_id)
        .await?
        .into_iter()
        .map(|row| {
            let key = serde_json::from_str(&row.credential).map_err(ServerError::internal)?;
            Ok((row, key))
        })
        .collect()
}

/// Records a ceremony begun by `login` with the library's `ceremony_state`; its id and the
/// browser's `options`.
async fn begin(
    state: &AppState,
    login: &session::LoginSession,
    kind: &str,
    ceremony_state: &impl serde::Serialize,
    options: &impl serde::Serialize,
) -> Result<PasskeyCeremony, ServerError> {
    let row = passkeys::Ceremony {
        id: uuid::Uuid::now_v7().to_string(),
        login_session_id: login.id.clone(),
        account_id: login.account_id.clone(),
        kind: kind.to_owned(),
        state: serde_json::to_string(ceremony_state).map_err(ServerError::internal)?,
        created_at: state.clock.device_now().timestamp_millis(),
    };
    // Ceremonies never finished are forgotten once expired.
    passkeys::prune_ceremonies(state.db.pool(), row.created_at - CEREMONY_MS).await?;
    passkeys::insert_ceremony(state.db.pool(), &row).await?;
    Ok(PasskeyCeremony {
        ceremony: row.id,
        options: serde_json::to_string(options).map_err(ServerError::internal)?,
    })
}

/// The browser's `answer` (JSON) read, then checked by `check` against the relying party;
/// what was wrong, in words.
fn check_answer<A: serde::de::DeserializeOwned, T>(
    state: &AppState,
    answer: &str,
    check: impl FnOnce(&Webauthn, &A) -> Result<T, WebauthnError>,
) -> Result<T, String> {
    let answer: A = serde_json::from_str(answer).map_err(|error| error.to_string())?;
    let relying_party = relying_party(state).map_err(|error| error.to_string())?;
    check(&relying_party, &answer).map_err(|error| error.to_string())
}

/// Takes the ceremony `id` of `kind` that `login` began less than five minutes ago, once; its
/// state ([`AppError::PasskeyExpired`] otherwise).
async fn take<T: serde::de::DeserializeOwned>(
    state: &AppState,
    login: &session::LoginSession,
    kind: &str,
    id: &str,
) -> Result<T, ServerError> {
    let now = state.clock.device_now().timestamp_millis();
    let since = now - CEREMONY_MS;
    let pool = state.db.pool();
    let Some(ceremony) = passkeys::take_ceremony(pool, id, &login.id, kind, since, now).await?
    else {
        return Err(AppError::PasskeyExpired.into());
    };
    serde_json::from_str(&ceremony.state).map_err(ServerError::internal)
}

/// The caller's passkeys.
pub async fn list(state: &AppState, caller: Caller) -> Result<Vec<PasskeyView>, ServerError> {
    let (_, account) = state.require_signed_in(&caller).await?;
    let rows = passkeys::of_account(state.db.pool(), &account.id).await?;
    Ok(rows
        .into_iter()
        .map(|row| PasskeyView {
            id: row.id,
            name: row.name,
            created_at: rfc3339_millis(row.created_at),
            last_used_at: row.last_used_at.map(rfc3339_millis),
        })
        .collect())
}

/// Begins registering a passkey. Like enrolling an app: the session must be past its second
/// factor, and replacing (or adding to) an enrolled method needs a live OTP session.
pub async fn register_begin(
    state: &AppState,
    caller: Caller,
) -> Result<PasskeyCeremony, ServerError> {
    let (login, account) = state.require_enrolling(&caller).await?;
    if account.has_second_factor() {
        require_otp(state, &caller, &login, &account).await?;
    }
    let webauthn = relying_party(state)?;
    // The authenticator refuses to register a second credential for the same account.
    let exclude = registered(state, &account.id)
        .await?
        .iter()
        .map(|(_, key)| key.cred_id().clone())
        .collect();
    let (options, registration) = webauthn
        .start_passkey_registration(
            user_handle(&account)?,
            &account.email,
            &account.name,
            Some(exclude),
        )
        .map_err(ServerError::internal)?;
    begin(state, &login, REGISTER, &registration, &options.public_key).await
}

/// Verifies the authenticator's new credential and records it as passkey `name`. A first
/// passkey makes passkeys the account's method: the app's secret goes, 10 new recovery codes
/// (returned, shown once) replace any earlier ones. The session gets a new id and an OTP
/// session opens, as after an app's enrolment.
pub async fn register_finish(
    state: &AppState,
    caller: Caller,
    ceremony: String,
    credential: String,
    name: String,
) -> Result<WithCookie<Vec<String>>, ServerError> {
    let (login, account) = state.require_enrolling(&caller).await?;
    if account.has_second_factor() {
        require_otp(state, &caller, &login, &account).await?;
    }
    let registration: PasskeyRegistration = take(state, &login, REGISTER, &ceremony).await?;
    let answer = check_answer(
        state,
        &credential,
        |rp, answer: &RegisterPublicKeyCredential| {
            rp.finish_passkey_registration(answer, &registration)
        },
    );
    let key = match answer {
        Ok(key) => key,
        Err(reason) => return Err(refused(state, &caller, &login, reason).await),
    };
    let credential_id = credential_id(&key);
    if passkeys::credential_taken(state.db.pool(), &credential_id).await? {
        let reason = "credential already registered".to_owned();
        return Err(refused(state, &caller, &login, reason).await);
    }
    let now = state.clock.device_now().timestamp_millis();
    let row = passkeys::Passkey {
        id: uuid::Uuid::now_v7().to_string(),
        account_id: account.id.clone(),
        credential_id,
        credential: serde_json::to_string(&key).map_err(ServerError::internal)?,
        name,
        created_at: now,
        last_used_at: None,
    };
    let first = !account.uses_passkeys();
    let codes = if first {
        totp::new_recovery_codes()
    } else {
        Vec::new()
    };
    let mut tx = state.db.begin().await?;
    passkeys::insert(&mut *tx, &row).await?;
    if first {
        let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
        accounts::remove_totp(&mut *tx, &account.id).await?;
        accounts::set_second_factor_method(&mut *tx, &account.id, Some(METHOD_PASSKEY)).await?;
        accounts::replace_recovery_codes(&mut tx, &account.id, &hashes, now).await?;
    }
    sessions::set_second_factor(&mut *tx, &login.id, now).await?;
    let token = session::rotate(&mut tx, &login.id).await?;
    let otp = session::open_otp(&mut tx, &login, METHOD_PASSKEY, now).await?;
    for event in [
        auth_event(
            "passkey_registered",
            Some(&account.id),
            &caller,
            json!({ "user_id": account.id, "session_id": login.id, "passkey_id": row.id,
                    "name": row.name, "previous_method": account.second_factor,
                    "recovery_codes": codes.len() }),
        ),
        otp_session_opened(&caller, &account.id, &login, &otp),
    ] {
        audit::record_in(&mut tx, state.clock.now(), &event).await?;
    }
    tx.commit().await?;
    Ok(WithCookie {
        value: codes,
        set_cookie: state.cookie(Some(&token)),
    })
}

/// A new credential refused (not verified, or registered already): journaled; the error to
/// answer ([`AppError::PasskeyRefused`], unless recording failed).
async fn refused(
    state: &AppState,
    caller: &Caller,
    login: &session::LoginSession,
    reason: String,
) -> ServerError {
    let account = &login.account_id;
    let details = json!({ "user_id": account, "session_id": login.id, "reason": reason });
    let action = "passkey_registration_refused";
    match state
        .record_auth(action, Some(account), caller, details)
        .await
    {
        Ok(()) => AppError::PasskeyRefused.into(),
        Err(error) => error,
    }
}

/// Begins an assertion with the account's passkeys: at sign-in (after the password) or for a
/// fresh OTP session.
pub async fn challenge(state: &AppState, caller: Caller) -> Result<PasskeyCeremony, ServerError> {
    let (login, account) = state.require_session(&caller).await?;
    if !account.uses_passkeys() {
        return Err(AppError::SecondFactorSetupRequired.into());
    }
    let keys: Vec<Passkey> = registered(state, &account.id)
        .await?
        .into_iter()
        .map(|(_, key)| key)
        .collect();
    let (options, authentication) = relying_party(state)?
        .start_passkey_authentication(&keys)
        .map_err(ServerError::internal)?;
    begin(
        state,
        &login,
        AUTHENTICATE,
        &authentication,
        &options.public_key,
    )
    .await
}

/// Verifies a passkey's assertion of the ceremony begun by [`challenge`]: the second factor
/// passed (a sign-in completed, or an OTP session opened). A wrong answer counts as a wrong
/// code (rate-limited, journaled).
pub async fn assert(
    state: &AppState,
    caller: Caller,
    ceremony: String,
    credential: String,
) -> Result<WithCookie<AuthState>, ServerError> {
    let (login, account) = state.require_session(&caller).await?;
    if !account.uses_passkeys() {
        return Err(AppError::SecondFactorSetupRequired.into());
    }
    let attempt = Attempt {
        db: &state.db,
        kind: Kind::SecondFactor,
        account: &account.id,
        ip: &caller.ip,
        now: state.clock.device_now().timestamp_millis(),
    };
    attempt.check().await?;
    let authentication: PasskeyAuthentication =
        take(state, &login, AUTHENTICATE, &ceremony).await?;
    let verified = check_answer(state, &credential, |rp, answer: &PublicKeyCredential| {
        rp.finish_passkey_authentication(answer, &authentication)
    });
    let result = match verified {
        Ok(result) => result,
        Err(reason) => {
            let details = json!({ "user_id": account.id, "session_id": login.id,
                                  "method": METHOD_PASSKEY, "reason": reason });
            let wrong = AppError::PasskeyRefused;
            return Err(wrong_answer(state, &caller, &attempt, details, wrong).await);
        }
    };
    // The library checked the credential is one of the account's; its counter moves on.
    let keys = registered(state, &account.id).await?;
    let Some((row, mut key)) = keys
        .into_iter()
        .find(|(_, key)| key.cred_id() == result.cred_id())
    else {
        return Err(ServerError::internal("a verified passkey vanished"));
    };
    key.update_credential(&result);
    let updated = serde_json::to_string(&key).map_err(ServerError::internal)?;
    let now = state.clock.device_now().timestamp_millis();
    passkeys::used(state.db.pool(), &row.id, &updated, now).await?;
    second_factor_passed(state, &caller, login, &account, METHOD_PASSKEY).await
}

/// Removes passkey `id` of the caller (a live OTP session). The last one takes the second
/// factor and the recovery codes with it: qualified actions then wait for a new enrolment.
pub async fn remove(state: &AppState, caller: Caller, id: String) -> Result<(), ServerError> {
    let (login, account) = state.require_signed_in(&caller).await?;
    let otp = require_otp(state, &caller, &login, &account).await?;
    let mut tx = state.db.begin().await?;
    if !passkeys::delete(&mut *tx, &account.id, &id).await? {
        return Err(AppError::NotFound.into());
    }
    let left = passkeys::count(&mut *tx, &account.id).await?;
    if left == 0 {
        accounts::set_second_factor_method(&mut *tx, &account.id, None).await?;
        accounts::delete_recovery_codes(&mut *tx, &account.id).await?;
    }
    let event = auth_event(
        "passkey_removed",
        Some(&account.id),
        &caller,
        json!({ "user_id": account.id, "session_id": login.id, "passkey_id": id,
                "otp_session_id": otp.otp_session_id, "passkeys_left": left }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    tx.commit().await?;
    Ok(())
}
