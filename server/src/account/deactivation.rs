//! Account deactivation and reactivation (ACC-01, ACC-02).

use app::api::{Caller, WithCookie};
use app::error::AppError;
use serde_json::json;

use super::links::{self, Purpose};
use super::{auth_event, require_otp};
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::mail;
use crate::mail::Outbox;
use crate::store::{accounts, sessions};

/// ACC-01: deactivates the caller's account — every session ends, sending stops, every
/// consent granted from the account's address is withdrawn and its sender told (in the same
/// transaction), a confirmation email with a reactivation button is sent. Needs a live OTP
/// session when a second factor is enrolled.
pub async fn deactivate(state: &AppState, caller: Caller) -> Result<WithCookie<()>, ServerError> {
    let (login, account) = state.require_signed_in(&caller).await?;
    if account.has_second_factor() {
        require_otp(state, &caller, &login, &account).await?;
    }
    let now = state.clock.device_now().timestamp_millis();
    let mut tx = state.db.begin().await?;
    accounts::deactivate(&mut *tx, &account.id, now).await?;
    sessions::end_all_deactivated(&mut *tx, &account.id, now).await?;
    crate::contacts::withdraw_consents_of_account(state, &mut tx, &account.id, &account.email)
        .await?;
    let event = auth_event(
        "account_deactivated",
        Some(&account.id),
        &caller,
        json!({ "user_id": account.id, "session_id": login.id }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    let url = format!("{}/signin?reactivate=1", state.public_url());
    let email = mail::account::deactivated(&account.email, &url);
    Outbox::queue_in(&state.jobs, &mut tx, &email, state.clock.now()).await?;
    tx.commit().await?;
    Ok(WithCookie {
        value: (),
        set_cookie: state.cookie(None),
    })
}

/// ACC-02: reactivation with the emailed link (single use, 15 minutes), then a confirmation
/// email. Qualified features then need a new identity proofing.
pub async fn reactivate(
    state: &AppState,
    caller: Caller,
    token: String,
) -> Result<(), ServerError> {
    let now = state.clock.device_now().timestamp_millis();
    let mut tx = state.db.begin().await?;
    let Some(account_id) = links::consume(&mut tx, Purpose::Reactivate, &token, now).await? else {
        return Err(AppError::LinkInvalid.into());
    };
    finish_reactivation(state, &caller, tx, &account_id, "emailed_link").await
}

/// ACC-02 (3): a deactivated account's holder who passed an identity proofing at a reception
/// (ID-03) reactivates it from the reception page. As with the link, qualified features then
/// need a new proofing (the reception's proofing is older than the reactivation).
pub async fn reactivate_after_reception_proofing(
    state: &AppState,
    caller: &Caller,
    account_id: &str,
) -> Result<(), ServerError> {
    let tx = state.db.begin().await?;
    finish_reactivation(state, caller, tx, account_id, "reception_proofing").await
}

async fn finish_reactivation(
    state: &AppState,
    caller: &Caller,
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    account_id: &str,
    by: &str,
) -> Result<(), ServerError> {
    let now = state.clock.device_now().timestamp_millis();
    if !accounts::reactivate(&mut *tx, account_id, now).await? {
        // Already active: nothing to do (an emailed link is spent all the same).
        tx.commit().await?;
        return Ok(());
    }
    let event = auth_event(
        "account_reactivated",
        Some(account_id),
        caller,
        json!({ "user_id": account_id, "by": by }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    let account = accounts::by_id(&mut *tx, account_id)
        .await?
        .ok_or_else(|| ServerError::internal("account vanished"))?;
    let email = mail::account::reactivated(&account.email, state.public_url());
    Outbox::queue_in(&state.jobs, &mut tx, &email, state.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}
