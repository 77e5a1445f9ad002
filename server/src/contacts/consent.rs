//! Consents of non-professional recipients (CONS-01..CONS-04) and their withdrawal when the
//! recipient deactivates their account (ACC-01). See `docs/consent.md`.
//!
//! - **Request** (CONS-02): the sender asks from a contact; the recipient gets an email that
//!   names the sender (account name and address) and links to `/consent/<token>`. The token is
//!   256 random bits; only its SHA-256 is stored (`consent.token_hash`). The consent row, its
//!   ConsentRequest evidence, the email and the expiry job commit together.
//! - **Answer** (CONS-02, CONS-04): through the link, grant (which confirms the address) or
//!   refuse; each with its evidence and an email to both parties.
//! - **Revocation** (CONS-03): through the same link, or from the recipient's account, or by
//!   deactivating that account (ACC-01); journaled (there is no revocation evidence kind), both
//!   parties told (the sender only, on deactivation: the recipient gets the deactivation mail).
//! - **Expiry** (CONS-04): a request unanswered for [`CONSENT_REQUEST_DAYS`](domain::policy::CONSENT_REQUEST_DAYS) days expires by a
//!   job, with its evidence and an email to the sender.
//!
//! One file per use case: [`super::consent_request`], [`super::consent_answer`],
//! [`super::consent_revocation`], [`super::consent_expiry`]; the rows are in
//! [`crate::store::consents`] and the emails' texts in [`crate::mail::consent`].
//!
//! Every state change goes through [`ConsentStatus::apply`] and a conditional `UPDATE ...
//! WHERE status = <the state it leaves>`, so that a double click or a job racing a click
//! changes a consent once.
//!
//! The status that counts for a sender and an address is the latest row by `requested_at` for
//! `(sender_id, recipient_email_key)`: [`consent_allows`].

use app::contacts::ConsentRequestView;
use chrono::{DateTime, Utc};
use evidence::pades::{Evidence, EvidenceKind, Party, keys};
use sqlx::Any;

use crate::AppState;
use crate::account::session::token_hash;
use crate::error::ServerError;
use crate::sealing::Sealer;
use crate::store::consents::{self, ConsentRecord};
use app::error::AppError;
use app::lifecycle::{ConsentStatus, may_send};

pub use crate::store::consents::{Latest, latest};

/// The job kind of a consent request's expiry (CONS-04), due at the request's `expires_at`,
/// unique per consent (`consent-expiry:<consent id>`).
pub const CONSENT_EXPIRY_JOB: &str = "consent.expiry";

/// CONS-01, CONS-03, CONS-05: whether `sender_id` may send a letter to their contact
/// `contact_id` now ([`may_send`]: a professional needs no consent; for a private person, the
/// latest consent for the sender and the contact's **current** address must be granted). An
/// unknown contact, or another user's, is false.
///
/// `executor` is a pool or a transaction (`&mut *tx`), so that a sending can check inside its
/// own transaction.
pub async fn consent_allows<'c, E>(
    executor: E,
    sender_id: &str,
    contact_id: &str,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    Ok(consents::for_contact(executor, sender_id, contact_id)
        .await?
        .is_some_and(|(professional, latest)| may_send(professional, latest)))
}

/// The consent behind an emailed link; an unknown token is NotFound.
pub(super) async fn by_token(state: &AppState, token: &str) -> Result<ConsentRecord, ServerError> {
    consents::by_token_hash(state.db.pool(), &token_hash(token.trim()))
        .await?
        .ok_or_else(|| AppError::NotFound.into())
}

/// What the link shows: a request past its period reads as expired even before the expiry job
/// has run (it runs within seconds; nothing can be answered meanwhile).
pub(super) fn view(state: &AppState, consent: &ConsentRecord, now_ms: i64) -> ConsentRequestView {
    let status = if consent.status == ConsentStatus::Requested && now_ms >= consent.expires_at {
        ConsentStatus::Expired
    } else {
        consent.status
    };
    ConsentRequestView {
        sender_name: consent.sender_name.clone(),
        sender_email: consent.sender_email.clone(),
        recipient_name: consent.recipient_name.clone(),
        recipient_email: consent.recipient_email.clone(),
        status,
        requested_at: state.legal_time(consent.requested_at),
        expires_at: state.legal_time(consent.expires_at),
        answered_at: consent.answered_at.map(|ms| state.legal_time(ms)),
        revoked_at: consent.revoked_at.map(|ms| state.legal_time(ms)),
    }
}

/// What the link of `token` shows now.
pub(super) async fn view_by_token(
    state: &AppState,
    token: &str,
) -> Result<ConsentRequestView, ServerError> {
    Ok(view(
        state,
        &by_token(state, token).await?,
        state.clock.now_ms(),
    ))
}

/// An evidence of `kind` about a consent (CONS-04): sender name/id/email, recipient
/// name/id/email, the consent's id. The recipient's id is their account's when the address has
/// one, else the sender's contact id.
pub(super) fn evidence(
    consent: &ConsentRecord,
    sealer: &Sealer,
    kind: EvidenceKind,
    at: DateTime<Utc>,
) -> Evidence {
    let mut evidence = sealer
        .evidence(kind, at)
        .with_field(keys::CONSENT_ID, consent.id.clone());
    evidence.sender = Some(Party::new(
        consent.sender_name.clone(),
        consent.sender_id.clone(),
        consent.sender_email.clone(),
    ));
    evidence.recipient = Some(Party::new(
        consent.recipient_name.clone(),
        consent
            .recipient_account_id
            .clone()
            .unwrap_or_else(|| consent.contact_id.clone()),
        consent.recipient_email.clone(),
    ));
    evidence
}
