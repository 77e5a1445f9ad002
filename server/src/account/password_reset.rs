//! A forgotten password (issue 11): an emailed link, valid 15 minutes and once, opens the page
//! that sets a new one; every session of the account then ends, the journal records it and
//! the holder is told by email.
//!
//! No enumeration: a request answers the same whether or not the address has an account (both
//! paths write one journal entry in one transaction); requests are rate-limited like sign-in
//! attempts, per address typed and per IP address. The second factor is untouched: a reset
//! password still signs in to the code prompt.

use app::api::{Caller, WithCookie};
use app::error::AppError;
use serde_json::json;

use super::attempts::{self, Attempt, Kind};
use super::links::{self, Purpose};
use super::{auth_event, blocking, password, session};
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::mail;
use crate::mail::Outbox;
use crate::store::{accounts, sessions};

/// "Forgotten password": emails a reset link if `email` has an account; the same answer (and
/// the same work: one journal entry in one transaction) otherwise.
pub async fn password_forgot(
    state: &AppState,
    caller: Caller,
    email: String,
) -> Result<(), ServerError> {
    let now = state.clock.device_now().timestamp_millis();
    let email_key = email.trim().to_lowercase();
    let attempt = Attempt {
        db: &state.db,
        kind: Kind::PasswordReset,
        account: &email_key,
        ip: &caller.ip,
        now,
    };
    attempt.check().await?;
    // Every request counts: each may send an email.
    attempt.record_failure().await?;
    let account = accounts::by_email_key(state.db.pool(), &email_key).await?;
    let user_id = account.as_ref().map(|a| a.id.clone());
    let mut tx = state.db.begin().await?;
    if let Some(account) = &account {
        let token = links::issue(&mut tx, Purpose::ResetPassword, &account.id, now).await?;
        let email = state.link_email(
            &account.email,
            &account.name,
            Purpose::ResetPassword,
            &token,
        );
        Outbox::queue_in(&state.jobs, &mut tx, &email, state.clock.now()).await?;
    }
    let event = auth_event(
        "password_reset_requested",
        user_id.as_deref(),
        &caller,
        json!({ "email": email_key, "user_id": user_id }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a reset link still works (unknown, used or expired: [`AppError::LinkInvalid`]),
/// without spending it: the page says so before the new password is typed.
pub async fn password_reset_check(state: &AppState, token: String) -> Result<(), ServerError> {
    let now = state.clock.device_now().timestamp_millis();
    match links::check(&state.db, Purpose::ResetPassword, &token, now).await? {
        Some(_) => Ok(()),
        None => Err(AppError::LinkInvalid.into()),
    }
}

/// Sets a new password (already checked against the sign-up rules) with a reset link: spends
/// it and the account's other reset links, ends every session and OTP session of the account,
/// confirms the address if it was not (the link proves it), journals `password_reset`, and
/// emails the holder. Removes the caller's cookie if it was a session of this account.
pub async fn password_reset(
    state: &AppState,
    caller: Caller,
    token: String,
    new_password: String,
) -> Result<WithCookie<()>, ServerError> {
    let now = state.clock.device_now().timestamp_millis();
    // A dead link is refused before the argon2 work.
    if links::check(&state.db, Purpose::ResetPassword, &token, now)
        .await?
        .is_none()
    {
        return Err(refused(state, &caller).await?);
    }
    let hash = blocking(move || password::hash(&new_password))
        .await?
        .map_err(ServerError::internal)?;
    let mut tx = state.db.begin().await?;
    // Conditional: of two requests racing with one link, one wins.
    let Some(account_id) = links::consume(&mut tx, Purpose::ResetPassword, &token, now).await?
    else {
        drop(tx);
        return Err(refused(state, &caller).await?);
    };
    let account = accounts::by_id(&mut *tx, &account_id)
        .await?
        .ok_or_else(|| ServerError::internal("reset link of a missing account"))?;
    let own_session = match caller.session_token.as_deref() {
        Some(token) => session::find(&state.db, token)
            .await?
            .is_some_and(|login| login.account_id == account_id),
        None => false,
    };
    accounts::set_password(&mut *tx, &account_id, &hash).await?;
    let address_confirmed = account.email_confirmed_at.is_none();
    accounts::confirm_email(&mut *tx, &account_id, now).await?;
    let other_links = links::spend_all(&mut tx, Purpose::ResetPassword, &account_id, now).await?;
    let sessions_ended =
        sessions::end_all(&mut tx, &account_id, None, now, "password_reset").await?;
    let event = auth_event(
        "password_reset",
        Some(&account_id),
        &caller,
        json!({
            "user_id": account_id,
            "by": "emailed_link",
            "sessions_ended": sessions_ended,
            "other_links_spent": other_links,
            "address_confirmed": address_confirmed,
        }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    let email = mail::account::password_changed(&account.email, state.public_url());
    Outbox::queue_in(&state.jobs, &mut tx, &email, state.clock.now()).await?;
    tx.commit().await?;
    // The failed sign-ins before the reset count no more.
    attempts::clear(&state.db, Kind::SignIn, &account.email.to_lowercase()).await?;
    Ok(WithCookie {
        value: (),
        set_cookie: if own_session {
            state.cookie(None)
        } else {
            None
        },
    })
}

/// Journals a refused reset link; the error for the caller.
async fn refused(state: &AppState, caller: &Caller) -> Result<ServerError, ServerError> {
    state
        .record_auth("password_reset_refused", None, caller, json!({}))
        .await?;
    Ok(AppError::LinkInvalid.into())
}
