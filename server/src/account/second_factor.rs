//! The second factor (AUTH-01, AUTH-02, OPS-03): TOTP enrolment with recovery codes, its
//! replacement and removal, and the live OTP session qualified actions demand.

use app::api::{Caller, WithCookie};
use app::error::AppError;
use app::types::{OtpSessionInfo, TotpEnrolment};
use serde_json::json;

use super::attempts::{Attempt, Kind};
use super::{auth_event, otp_session_opened, require_otp, session, totp};
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::store::{accounts, passkeys, sessions};

/// Starts a TOTP enrolment: a new secret, kept pending until a first code confirms it.
/// Replacing an enrolled method needs a live OTP session.
pub async fn totp_begin(state: &AppState, caller: Caller) -> Result<TotpEnrolment, ServerError> {
    let (login, account) = state.require_enrolling(&caller).await?;
    if account.has_second_factor() {
        require_otp(state, &caller, &login, &account).await?;
    }
    let secret = totp::new_secret();
    let enrolment = totp::enrolment(&secret, &account.email).map_err(ServerError::internal)?;
    accounts::set_pending_totp(state.db.pool(), &account.id, &secret).await?;
    Ok(enrolment)
}

/// The enrolment begun and not confirmed yet, shown again (a profile reached without
/// JavaScript after [`totp_begin`]); under the rules of beginning one: replacing an enrolled
/// method needs a live OTP session.
pub async fn totp_pending(
    state: &AppState,
    caller: Caller,
) -> Result<Option<TotpEnrolment>, ServerError> {
    let (login, account) = state.require_enrolling(&caller).await?;
    let Some(secret) = account.totp_pending_secret.as_deref() else {
        return Ok(None);
    };
    if account.has_second_factor() {
        require_otp(state, &caller, &login, &account).await?;
    }
    let enrolment = totp::enrolment(secret, &account.email).map_err(ServerError::internal)?;
    Ok(Some(enrolment))
}

/// Confirms a TOTP enrolment with a first code: the method becomes active, 10 recovery codes
/// replace any earlier ones, the session gets a new id and an OTP session opens.
pub async fn totp_confirm(
    state: &AppState,
    caller: Caller,
    code: String,
) -> Result<WithCookie<Vec<String>>, ServerError> {
    let (login, account) = state.require_enrolling(&caller).await?;
    let Some(secret) = account.totp_pending_secret.clone() else {
        return Err(AppError::SecondFactorSetupRequired.into());
    };
    let now = state.clock.now();
    let now_ms = state.clock.device_now().timestamp_millis();
    let attempt = Attempt {
        db: &state.db,
        kind: Kind::SecondFactor,
        account: &account.id,
        ip: &caller.ip,
        now: now_ms,
    };
    attempt.check().await?;
    let step = (code.len() == 6)
        .then(|| totp::check(&secret, &code, state.clock.device_now().timestamp(), None))
        .flatten();
    let Some(step) = step else {
        let details =
            json!({ "user_id": account.id, "session_id": login.id, "stage": "enrolment" });
        return Err(wrong_answer(state, &caller, &attempt, details, AppError::BadCode).await);
    };
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
    let mut tx = state.db.begin().await?;
    accounts::enrol_totp(&mut *tx, &account.id, &secret, now_ms, step).await?;
    // The authenticator app replaces any passkeys (one method at a time, issue 14).
    passkeys::delete_all(&mut *tx, &account.id).await?;
    accounts::replace_recovery_codes(&mut tx, &account.id, &hashes, now_ms).await?;
    sessions::set_second_factor(&mut *tx, &login.id, now_ms).await?;
    let token = session::rotate(&mut tx, &login.id).await?;
    let otp = session::open_otp(&mut tx, &login, "totp", now_ms).await?;
    for event in [
        auth_event(
            "totp_enrolled",
            Some(&account.id),
            &caller,
            json!({ "user_id": account.id, "session_id": login.id,
                    "recovery_codes": codes.len(), "replaced": account.has_second_factor(),
                    "previous_method": account.second_factor }),
        ),
        otp_session_opened(&caller, &account.id, &login, &otp),
    ] {
        audit::record_in(&mut tx, now, &event).await?;
    }
    tx.commit().await?;
    Ok(WithCookie {
        value: codes,
        set_cookie: state.cookie(Some(&token)),
    })
}

/// Removes the second factor (OPS-03: "2FA revocation"): needs a live OTP session (a fresh
/// code); the recovery codes go too. Qualified actions then wait for a new enrolment.
pub async fn totp_remove(state: &AppState, caller: Caller) -> Result<(), ServerError> {
    let (login, account) = state.require_signed_in(&caller).await?;
    if account.uses_passkeys() {
        // Passkeys are removed one by one (`passkeys::remove`).
        return Err(AppError::NotFound.into());
    }
    let otp = require_otp(state, &caller, &login, &account).await?;
    let mut tx = state.db.begin().await?;
    accounts::remove_totp(&mut *tx, &account.id).await?;
    accounts::delete_recovery_codes(&mut *tx, &account.id).await?;
    let event = auth_event(
        "totp_removed",
        Some(&account.id),
        &caller,
        json!({ "user_id": account.id, "session_id": login.id,
                "otp_session_id": otp.otp_session_id }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    tx.commit().await?;
    Ok(())
}

/// AUTH-02: the live OTP session that every qualified action (send, accept, refuse, open)
/// demands. When it has expired the user stays signed in and is asked for a fresh code
/// ([`AppError::OtpSessionRequired`]); the expiry is journaled once.
pub async fn require_otp_session(
    state: &AppState,
    caller: Caller,
) -> Result<OtpSessionInfo, ServerError> {
    let (login, account) = state.require_signed_in(&caller).await?;
    require_otp(state, &caller, &login, &account).await
}

/// A wrong second-factor answer (a code, a passkey's): counted against the account and the
/// address, journaled (AUTH-05); returns the error to answer (`wrong`, unless recording
/// failed).
pub(super) async fn wrong_answer(
    state: &AppState,
    caller: &Caller,
    attempt: &Attempt<'_>,
    details: serde_json::Value,
    wrong: AppError,
) -> ServerError {
    let recorded = async {
        attempt.record_failure().await?;
        state
            .record_auth(
                "second_factor_failure",
                Some(attempt.account),
                caller,
                details,
            )
            .await
    };
    match recorded.await {
        Ok(()) => wrong.into(),
        Err(error) => error,
    }
}
