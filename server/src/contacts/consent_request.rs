//! CONS-02: a sender asks a private contact's consent. The consent row, its ConsentRequest
//! evidence, the email to the recipient (naming the sender) and the expiry job commit together.

use app::lifecycle::{CONSENT_REQUEST_DAYS, ConsentStatus};
use chrono::TimeDelta;
use evidence::pades::EvidenceKind;
use serde_json::json;

use super::consent::{CONSENT_EXPIRY_JOB, evidence};
use crate::AppState;
use crate::account::principal::Principal;
use crate::account::session::{new_token, token_hash};
use crate::error::ServerError;
use crate::jobs::NewJob;
use crate::mail;
use crate::mail::Outbox;
use crate::sealing;
use crate::store::consents::{self, ConsentRecord, Latest};
use crate::store::contacts::{self, ContactRecord};

/// A request is pending, or a consent granted: asking again would send a second email.
fn pending(latest: Option<&Latest>) -> bool {
    latest.is_some_and(|latest| {
        matches!(
            latest.status,
            ConsentStatus::Requested | ConsentStatus::Granted
        )
    })
}

/// Asks `contact`'s consent for `sender`. Nothing happens for a professional (CONS-05) or
/// while a request is pending or a consent granted (no second email).
pub(super) async fn request(
    state: &AppState,
    sender: &Principal,
    contact: &ContactRecord,
) -> Result<(), ServerError> {
    let latest = consents::latest(state.db.pool(), &sender.account_id, &contact.email_key).await?;
    if contact.is_professional() || pending(latest.as_ref()) {
        return Ok(());
    }
    let now = state.clock.now();
    let days = i64::try_from(CONSENT_REQUEST_DAYS).unwrap_or(30);
    let expires_at = now + TimeDelta::days(days);
    let consent = ConsentRecord {
        id: uuid::Uuid::now_v7().to_string(),
        sender_id: sender.account_id.clone(),
        sender_name: sender.name.clone(),
        sender_email: sender.email.clone(),
        contact_id: contact.id.clone(),
        recipient_email: contact.email.clone(),
        recipient_email_key: contact.email_key.clone(),
        recipient_name: contact.name.clone(),
        status: ConsentStatus::Requested,
        requested_at: now.timestamp_millis(),
        expires_at: expires_at.timestamp_millis(),
        answered_at: None,
        revoked_at: None,
        recipient_account_id: consents::active_account_with_address(
            state.db.pool(),
            &contact.email_key,
        )
        .await?,
    };
    let token = new_token();
    let evidence = evidence(&consent, &state.sealer, EvidenceKind::ConsentRequest, now);
    // Sealed outside any transaction (HSM, then the TSA); nothing is recorded if it fails.
    let pdf = state.sealer.seal(&evidence).await?;
    let mut tx = state.db.begin().await?;
    // Checked again inside the transaction, after taking the contact's row lock: of two
    // requests racing, the second sees the first's row, so a double click sends one request.
    contacts::lock(&mut tx, &contact.id).await?;
    let latest = consents::latest(&mut *tx, &sender.account_id, &contact.email_key).await?;
    if pending(latest.as_ref()) {
        return Ok(());
    }
    consents::insert(&mut tx, &consent, &token_hash(&token), &evidence.id).await?;
    sealing::store_in(&mut tx, &evidence, &pdf, None).await?;
    let url = mail::consent::link(&state.config.server.public_url, &token);
    Outbox::queue_in(
        &state.jobs,
        &mut tx,
        &mail::consent::request_email(&consent, &url),
        now,
    )
    .await?;
    state
        .jobs
        .enqueue_in(
            &mut tx,
            &NewJob {
                kind: CONSENT_EXPIRY_JOB.to_owned(),
                payload: json!({ "consent_id": consent.id }),
                due_at: expires_at,
                unique_key: Some(format!("consent-expiry:{}", consent.id)),
                max_attempts: 20,
            },
        )
        .await?;
    tx.commit().await?;
    Ok(())
}
