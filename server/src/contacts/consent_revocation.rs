//! CONS-03: a granted consent is revoked through the emailed link, from the recipient's
//! account, or by deactivating that account (ACC-01); journaled (there is no revocation evidence
//! kind), both parties told (the sender only on deactivation: the recipient gets the
//! deactivation mail). Withdrawn consents stay withdrawn after a reactivation (ACC-02): a sender
//! asks again.

use app::api::Caller;
use app::contacts::{ConsentRequestView, GrantedConsent};
use app::error::AppError;
use app::lifecycle::ConsentEvent;
use serde_json::json;
use sqlx::{Any, Transaction};

use super::consent::{by_token, view_by_token};
use super::email_key;
use crate::AppState;
use crate::account::principal::Principal;
use crate::audit::{self, Event};
use crate::error::ServerError;
use crate::mail;
use crate::mail::Outbox;
use crate::store::consents::{self, Change, ConsentRecord};

/// Who revokes a consent, for the journal.
#[derive(Clone, Copy, Debug)]
enum RevokedBy<'a> {
    /// The recipient, through the emailed link.
    Link(&'a Caller),
    /// The recipient, signed in to their account.
    Account(&'a Caller, &'a str),
    /// The recipient deactivated their account (ACC-01).
    Deactivation(&'a str),
}

/// Revokes the granted `consent` inside `tx`: conditional update, journal entry, notices (to
/// the sender always, to the recipient unless their account is being deactivated). Returns
/// whether this call revoked it.
async fn revoke_in(
    state: &AppState,
    tx: &mut Transaction<'_, Any>,
    consent: &ConsentRecord,
    by: RevokedBy<'_>,
) -> Result<bool, ServerError> {
    let Some(next) = consent.status.apply(ConsentEvent::Revoke) else {
        return Ok(false);
    };
    let now = state.clock.now();
    let change = Change {
        id: &consent.id,
        from: consent.status,
        to: next,
        at: now.timestamp_millis(),
        evidence_id: None,
        recipient_account_id: None,
    };
    if !consents::revoke(tx, &change).await? {
        return Ok(false);
    }
    let (how, actor, caller) = match by {
        RevokedBy::Link(caller) => ("link", None, Some(caller)),
        RevokedBy::Account(caller, account) => ("account", Some(account), Some(caller)),
        RevokedBy::Deactivation(account) => ("account_deactivated", Some(account), None),
    };
    let event = Event {
        category: "consent",
        action: "consent_revoked",
        actor: actor.map(str::to_owned),
        details: json!({
            "consent_id": consent.id,
            "sender_id": consent.sender_id,
            "recipient_email": consent.recipient_email,
            "recipient_account_id": consent.recipient_account_id,
            "by": how,
            "ip": caller.map(|c| c.ip.clone()),
            "user_agent": caller.map(|c| c.user_agent.clone()),
        }),
    };
    audit::record_in(tx, now, &event).await?;
    let [to_recipient, to_sender] = mail::consent::revocation_emails(consent);
    Outbox::queue_in(&state.jobs, tx, &to_sender, now).await?;
    if !matches!(by, RevokedBy::Deactivation(_)) {
        Outbox::queue_in(&state.jobs, tx, &to_recipient, now).await?;
    }
    Ok(true)
}

/// The recipient revokes through the link; a consent not granted is shown as it is.
pub(super) async fn revoke_by_link(
    state: &AppState,
    caller: &Caller,
    token: &str,
) -> Result<ConsentRequestView, ServerError> {
    let consent = by_token(state, token).await?;
    let mut tx = state.db.begin().await?;
    revoke_in(state, &mut tx, &consent, RevokedBy::Link(caller)).await?;
    tx.commit().await?;
    view_by_token(state, token).await
}

/// The signed-in recipient revokes a consent granted from their address; any other consent
/// is NotFound.
pub(super) async fn withdraw(
    state: &AppState,
    caller: &Caller,
    account: &Principal,
    consent_id: &str,
) -> Result<(), ServerError> {
    let consent = consents::by_id(state.db.pool(), consent_id)
        .await?
        .filter(|consent| consent.recipient_email_key == email_key(&account.email))
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    revoke_in(
        state,
        &mut tx,
        &consent,
        RevokedBy::Account(caller, &account.account_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The consents granted from `email` (now in force), newest first.
pub(super) async fn granted_from(
    state: &AppState,
    email: &str,
) -> Result<Vec<GrantedConsent>, ServerError> {
    let granted = consents::granted_from(state.db.pool(), &email_key(email)).await?;
    Ok(granted
        .into_iter()
        .map(|consent| GrantedConsent {
            granted_at: state.legal_time(consent.answered_at.unwrap_or(consent.requested_at)),
            id: consent.id,
            sender_name: consent.sender_name,
            sender_email: consent.sender_email,
            recipient_email: consent.recipient_email,
        })
        .collect())
}

/// ACC-01: inside the deactivation's transaction, withdraws every consent granted from the
/// account (by its id, or by its address) and tells each sender. Returns how many.
pub async fn withdraw_consents_of_account(
    state: &AppState,
    tx: &mut Transaction<'_, Any>,
    account_id: &str,
    email: &str,
) -> Result<usize, ServerError> {
    let granted = consents::granted_by_account(tx, account_id, &email_key(email)).await?;
    let mut withdrawn = 0;
    for consent in granted {
        if revoke_in(state, tx, &consent, RevokedBy::Deactivation(account_id)).await? {
            withdrawn += 1;
        }
    }
    Ok(withdrawn)
}
