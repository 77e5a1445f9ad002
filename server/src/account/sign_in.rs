//! Sign-in with a password then a second factor (AUTH-01), opening an OTP session (AUTH-02);
//! sign-out, also after inactivity (AUTH-03); the caller's state.

use app::api::{Caller, WithCookie};
use app::error::AppError;
use app::types::AuthState;
use serde_json::json;

use super::attempts::{self, Attempt, Kind};
use super::links::{self, Purpose};
use super::{Account, Lookup, auth_event, blocking, otp_session_opened, password, session, totp};
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::mail::Outbox;
use crate::store::{accounts, sessions};

/// Sign-in with a password. Rate-limited per address typed and per IP; an unknown address
/// costs the same argon2 work and gets the same answer as a wrong password.
pub async fn sign_in(
    state: &AppState,
    caller: Caller,
    email: String,
    password: String,
) -> Result<WithCookie<AuthState>, ServerError> {
    let now = state.clock.device_now().timestamp_millis();
    let email_key = email.trim().to_lowercase();
    let attempt = Attempt {
        db: &state.db,
        kind: Kind::SignIn,
        account: &email_key,
        ip: &caller.ip,
        now,
    };
    attempt.check().await?;
    let account = accounts::by_email_key(state.db.pool(), &email_key).await?;
    let ok = match &account {
        Some(account) => {
            let hash = account.password_hash.clone();
            blocking(move || password::verify(&password, &hash)).await?
        }
        None => blocking(move || password::verify_nothing(&password)).await?,
    };
    let account = match account {
        Some(account) if ok => account,
        account => {
            attempt.record_failure().await?;
            let user_id = account.as_ref().map(|a| a.id.clone());
            state
                .record_auth(
                    "sign_in_failure",
                    user_id.as_deref(),
                    &caller,
                    json!({ "email": email_key, "user_id": user_id }),
                )
                .await?;
            return Err(AppError::BadCredentials.into());
        }
    };
    attempts::clear(&state.db, Kind::SignIn, &email_key).await?;
    if account.email_confirmed_at.is_none() {
        let mut tx = state.db.begin().await?;
        let token = links::issue(&mut tx, Purpose::ConfirmEmail, &account.id, now).await?;
        let email = state.link_email(&account.email, &account.name, Purpose::ConfirmEmail, &token);
        Outbox::queue_in(&state.jobs, &mut tx, &email, state.clock.now()).await?;
        tx.commit().await?;
        state
            .record_auth(
                "sign_in_refused_unconfirmed",
                Some(&account.id),
                &caller,
                json!({ "user_id": account.id }),
            )
            .await?;
        return Err(AppError::EmailNotConfirmed.into());
    }
    if account.deactivated_at.is_some() {
        // ACC-02 (1): the login page offers reactivation through an emailed link.
        let mut tx = state.db.begin().await?;
        let token = links::issue(&mut tx, Purpose::Reactivate, &account.id, now).await?;
        let event = auth_event(
            "reactivation_requested",
            Some(&account.id),
            &caller,
            json!({ "user_id": account.id }),
        );
        audit::record_in(&mut tx, state.clock.now(), &event).await?;
        let email = state.link_email(&account.email, &account.name, Purpose::Reactivate, &token);
        Outbox::queue_in(&state.jobs, &mut tx, &email, state.clock.now()).await?;
        tx.commit().await?;
        return Err(AppError::AccountDeactivated.into());
    }
    let mut tx = state.db.begin().await?;
    // A new session id at every sign-in: a token planted before sign-in is worthless after.
    if let Some(old) = caller.session_token.as_deref()
        && let Some(old) = session::find(&state.db, old).await?
    {
        session::end(&mut tx, &old.id, now, "replaced").await?;
    }
    let (login, token) =
        session::create(&mut tx, &account.id, &caller.ip, &caller.user_agent, now).await?;
    let event = auth_event(
        "sign_in_success",
        Some(&account.id),
        &caller,
        json!({ "user_id": account.id, "session_id": login.id, "factor": "password",
                "second_factor_required": account.has_second_factor() }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    tx.commit().await?;
    Ok(WithCookie {
        value: state.state_of(&caller, &login, &account).await?,
        set_cookie: state.cookie(Some(&token)),
    })
}

/// A second-factor check: completes a sign-in (new session id) or, for a signed-in user,
/// opens a fresh OTP session (AUTH-02). Rate-limited per account and per IP.
pub async fn second_factor(
    state: &AppState,
    caller: Caller,
    code: String,
) -> Result<WithCookie<AuthState>, ServerError> {
    let (login, account) = state.require_session(&caller).await?;
    if !account.has_second_factor() {
        return Err(AppError::SecondFactorSetupRequired.into());
    }
    let now = state.clock.device_now().timestamp_millis();
    let attempt = Attempt {
        db: &state.db,
        kind: Kind::SecondFactor,
        account: &account.id,
        ip: &caller.ip,
        now,
    };
    attempt.check().await?;
    let Some(method) = check_code(state, &account, &code).await? else {
        let details = json!({ "user_id": account.id, "session_id": login.id });
        let wrong = AppError::BadCode;
        return Err(
            super::second_factor::wrong_answer(state, &caller, &attempt, details, wrong).await,
        );
    };
    second_factor_passed(state, &caller, login, &account, method).await
}

/// A second factor passed with `method` (a TOTP or recovery code, a passkey): completes a
/// sign-in (new session id) or opens a fresh OTP session (AUTH-02), journaled; the caller's
/// new state.
pub(super) async fn second_factor_passed(
    state: &AppState,
    caller: &Caller,
    mut login: session::LoginSession,
    account: &Account,
    method: &str,
) -> Result<WithCookie<AuthState>, ServerError> {
    let now = state.clock.device_now().timestamp_millis();
    attempts::clear(&state.db, Kind::SecondFactor, &account.id).await?;
    let mut tx = state.db.begin().await?;
    let mut set_cookie = None;
    if login.second_factor_at.is_none() {
        sessions::set_second_factor(&mut *tx, &login.id, now).await?;
        login.second_factor_at = Some(now);
        let token = session::rotate(&mut tx, &login.id).await?;
        set_cookie = state.cookie(Some(&token));
        // A delegate's sign-in links them to their company (policy §4.7).
        crate::entities::connection::on_sign_in(state, &mut tx, &account.id, state.clock.now())
            .await?;
    }
    let otp = session::open_otp(&mut tx, &login, method, now).await?;
    let at = state.clock.now();
    for event in [
        auth_event(
            "second_factor_success",
            Some(&account.id),
            caller,
            json!({ "user_id": account.id, "session_id": login.id, "method": method }),
        ),
        otp_session_opened(caller, &account.id, &login, &otp),
    ] {
        audit::record_in(&mut tx, at, &event).await?;
    }
    tx.commit().await?;
    let account = state
        .account_by_id(&account.id)
        .await?
        .ok_or_else(|| ServerError::internal("account vanished"))?;
    Ok(WithCookie {
        value: state.state_of(caller, &login, &account).await?,
        set_cookie,
    })
}

/// Checks a TOTP code (refusing a used time step) or spends a recovery code; returns the
/// method that matched.
async fn check_code(
    state: &AppState,
    account: &Account,
    code: &str,
) -> Result<Option<&'static str>, ServerError> {
    let now = state.clock.now();
    if code.len() == 6 {
        // An authenticator app's code: none with passkeys (their recovery codes are longer).
        let Some(secret) = account.totp_secret.as_deref() else {
            return Ok(None);
        };
        let Some(step) = totp::check(
            secret,
            code,
            state.clock.device_now().timestamp(),
            account.totp_last_step,
        ) else {
            return Ok(None);
        };
        // Conditional, so that two requests racing with the same code cannot both win.
        let accepted = accounts::accept_totp_step(state.db.pool(), &account.id, step).await?;
        return Ok(accepted.then_some("totp"));
    }
    let spent = accounts::spend_recovery_code(
        state.db.pool(),
        &account.id,
        &totp::recovery_code_hash(code),
        now.timestamp_millis(),
    )
    .await?;
    Ok(spent.then_some("recovery_code"))
}

/// Sign-out: ends the session and removes the cookie. `idle`: the browser's timer saw 15
/// minutes without activity (AUTH-03), journaled as an inactivity logout.
pub async fn sign_out(
    state: &AppState,
    caller: Caller,
    idle: bool,
) -> Result<WithCookie<()>, ServerError> {
    if let Lookup::Live(live) = state.lookup(&caller).await? {
        let (login, account) = *live;
        let (reason, action, by) = if idle {
            ("inactivity", "inactivity_logout", "browser")
        } else {
            ("logout", "logout", "user")
        };
        let mut tx = state.db.begin().await?;
        let now = state.clock.device_now().timestamp_millis();
        session::end(&mut tx, &login.id, now, reason).await?;
        let event = auth_event(
            action,
            Some(&account.id),
            &caller,
            json!({ "user_id": account.id, "session_id": login.id, "detected_by": by }),
        );
        audit::record_in(&mut tx, state.clock.now(), &event).await?;
        tx.commit().await?;
    }
    Ok(WithCookie {
        value: (),
        set_cookie: state.cookie(None),
    })
}

/// The caller's state (counts as activity).
pub async fn auth_state(
    state: &AppState,
    caller: Caller,
) -> Result<WithCookie<AuthState>, ServerError> {
    match state.lookup(&caller).await? {
        Lookup::None => Ok(WithCookie {
            value: AuthState::default(),
            set_cookie: None,
        }),
        Lookup::Unknown => Ok(WithCookie {
            value: AuthState::default(),
            set_cookie: state.cookie(None),
        }),
        Lookup::Idle => Ok(WithCookie {
            value: AuthState {
                user: None,
                signed_out_for_inactivity: true,
            },
            set_cookie: state.cookie(None),
        }),
        Lookup::Live(live) => Ok(WithCookie {
            value: state.state_of(&caller, &live.0, &live.1).await?,
            set_cookie: None,
        }),
    }
}
