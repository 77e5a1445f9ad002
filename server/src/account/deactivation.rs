//! Account deactivation and reactivation (ACC-01, ACC-02).

use app::api::{Caller, WithCookie};
use app::error::AppError;
use serde_json::json;

use super::links::{self, Purpose};
use super::{auth_event, require_otp};
use crate::AppState;
use crate::audit;
use crate::mailer::Email;
use crate::services::internal;

/// ACC-01: deactivates the caller's account — every session ends, sending stops, every
/// consent granted from the account's address is withdrawn and its sender told (in the same
/// transaction), a confirmation email with a reactivation button is sent. Needs a live OTP
/// session when a second factor is enrolled.
pub async fn deactivate(state: &AppState, caller: Caller) -> Result<WithCookie<()>, AppError> {
    let (login, account) = state.require_signed_in(&caller).await?;
    if account.totp_secret.is_some() {
        require_otp(state, &caller, &login, &account).await?;
    }
    let now = state.clock.device_now().timestamp_millis();
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    sqlx::query("UPDATE account SET deactivated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(&account.id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    sqlx::query(
        "UPDATE login_session SET ended_at = $1, end_reason = 'deactivated' \
         WHERE account_id = $2 AND ended_at IS NULL",
    )
    .bind(now)
    .bind(&account.id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    crate::contacts::withdraw_consents_of_account(state, &mut tx, &account.id, &account.email)
        .await
        .map_err(internal)?;
    let event = auth_event(
        "account_deactivated",
        Some(&account.id),
        &caller,
        json!({ "user_id": account.id, "session_id": login.id }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    let url = format!(
        "{}/signin?reactivate=1",
        state.config.server.public_url.trim_end_matches('/')
    );
    let email = Email {
        to: account.email.clone(),
        subject: "Pli : compte désactivé / account deactivated".to_owned(),
        text: format!(
            "Votre compte Pli est désactivé. Les lettres qui vous sont adressées vous seront \
             toujours notifiées. Pour le réactiver : {url}\n\n\
             Your Pli account is deactivated. Letters addressed to you will still be notified. \
             To reactivate it: {url}\n"
        ),
        html: Some(format!(
            "<p>Votre compte Pli est désactivé. Les lettres qui vous sont adressées vous seront \
             toujours notifiées.</p><p><a href=\"{url}\">Réactiver mon compte</a></p>\
             <p><i>Your Pli account is deactivated.</i> <a href=\"{url}\">Reactivate my \
             account</a></p>"
        )),
    };
    state.mailer.send(&email).await.map_err(internal)?;
    Ok(WithCookie {
        value: (),
        set_cookie: state.cookie(None),
    })
}

/// ACC-02: reactivation with the emailed link (single use, 15 minutes), then a confirmation
/// email. Qualified features then need a new identity proofing.
pub async fn reactivate(state: &AppState, caller: Caller, token: String) -> Result<(), AppError> {
    let now = state.clock.device_now().timestamp_millis();
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    let Some(account_id) = links::consume(&mut tx, Purpose::Reactivate, &token, now)
        .await
        .map_err(internal)?
    else {
        return Err(AppError::LinkInvalid);
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
) -> Result<(), AppError> {
    let tx = state.db.pool().begin().await.map_err(internal)?;
    finish_reactivation(state, caller, tx, account_id, "reception_proofing").await
}

async fn finish_reactivation(
    state: &AppState,
    caller: &Caller,
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    account_id: &str,
    by: &str,
) -> Result<(), AppError> {
    let now = state.clock.device_now().timestamp_millis();
    let reactivated = sqlx::query(
        "UPDATE account SET deactivated_at = NULL, reactivated_at = $1 WHERE id = $2 \
         AND deactivated_at IS NOT NULL",
    )
    .bind(now)
    .bind(account_id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    if reactivated.rows_affected() != 1 {
        // Already active: nothing to do (an emailed link is spent all the same).
        return tx.commit().await.map_err(internal);
    }
    let event = auth_event(
        "account_reactivated",
        Some(account_id),
        caller,
        json!({ "user_id": account_id, "by": by }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    let account = state
        .account_by("id", account_id)
        .await?
        .ok_or_else(|| internal("account vanished"))?;
    let url = state.config.server.public_url.trim_end_matches('/');
    let email = Email {
        to: account.email.clone(),
        subject: "Pli : compte réactivé / account reactivated".to_owned(),
        text: format!(
            "Votre compte Pli est de nouveau actif. Une nouvelle vérification d'identité sera \
             demandée avant votre prochain envoi. {url}/signin\n\n\
             Your Pli account is active again. A new identity verification will be asked before \
             your next sending. {url}/signin\n"
        ),
        html: None,
    };
    state
        .mailer
        .send(&email)
        .await
        .map(|_| ())
        .map_err(internal)
}
