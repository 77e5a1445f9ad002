//! Sign-up with a confirmed address (AUTH-01): the account, then the emailed confirmation
//! link.

use app::api::{Caller, SignUpForm};
use app::error::AppError;
use app::terms::DocumentKind;
use app::validation::Invalid;
use serde_json::json;

use super::links::{self, Purpose};
use super::{auth_event, blocking, password};
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::mail;
use crate::mail::Outbox;
use crate::store::accounts::{self, NewAccount};

/// Sign-up: creates the account (argon2id password, the version and OID of the
/// sender terms accepted) and emails a
/// confirmation link. An address that already has an account gets an email saying so, and
/// the caller the same answer as for a new one (no enumeration).
pub async fn sign_up(
    state: &AppState,
    caller: Caller,
    form: SignUpForm,
) -> Result<(), ServerError> {
    // TERMS-01: the sender terms in force, whose version the form sent (checked by the server
    // function); their OID is recorded beside it.
    let terms = state
        .publication
        .get(DocumentKind::SenderTerms, &state.legal_today());
    if form.terms_version != terms.version {
        return Err(Invalid::Terms.into());
    }
    let now = state.clock.device_now().timestamp_millis();
    let email_key = form.email.to_lowercase();
    let password = form.password.clone();
    let hash = blocking(move || password::hash(&password))
        .await?
        .map_err(ServerError::internal)?;
    if let Some(existing) = accounts::by_email_key(state.db.pool(), &email_key).await? {
        let mut tx = state.db.begin().await?;
        let event = auth_event(
            "sign_up_existing_address",
            Some(&existing.id),
            &caller,
            json!({ "user_id": existing.id }),
        );
        audit::record_in(&mut tx, state.clock.now(), &event).await?;
        let email = mail::account::already_have_account(&existing.email, state.public_url());
        Outbox::queue_in(&state.jobs, &mut tx, &email, state.clock.now()).await?;
        tx.commit().await?;
        return Ok(());
    }
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = state.db.begin().await?;
    accounts::insert(
        &mut *tx,
        &NewAccount {
            id: &id,
            email: &form.email,
            email_key: &email_key,
            name: &form.name,
            password_hash: &hash,
            terms_version: terms.version,
            terms_oid: &terms.oid,
            created_at: now,
        },
    )
    .await?;
    let token = links::issue(&mut tx, Purpose::ConfirmEmail, &id, now).await?;
    let event = auth_event(
        "sign_up",
        Some(&id),
        &caller,
        json!({
            "user_id": id,
            "email": form.email,
            "terms_version": terms.version,
            "terms_oid": terms.oid,
        }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    let email = state.link_email(&form.email, &form.name, Purpose::ConfirmEmail, &token);
    Outbox::queue_in(&state.jobs, &mut tx, &email, state.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Confirms an address with an emailed token (single use, 15 minutes).
pub async fn confirm_email(
    state: &AppState,
    caller: Caller,
    token: String,
) -> Result<(), ServerError> {
    let now = state.clock.device_now().timestamp_millis();
    let mut tx = state.db.begin().await?;
    let Some(account_id) = links::consume(&mut tx, Purpose::ConfirmEmail, &token, now).await?
    else {
        drop(tx);
        state
            .record_auth("email_confirmation_refused", None, &caller, json!({}))
            .await?;
        return Err(AppError::LinkInvalid.into());
    };
    accounts::confirm_email(&mut *tx, &account_id, now).await?;
    let event = auth_event(
        "email_confirmed",
        Some(&account_id),
        &caller,
        json!({ "user_id": account_id }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    tx.commit().await?;
    Ok(())
}
