//! CONS-02, CONS-04: the recipient grants or refuses through the emailed link, each with its
//! evidence and an email to both parties. A request no longer pending (answered, expired) is
//! left as it is and shown as it stands.

use app::contacts::ConsentRequestView;
use app::lifecycle::ConsentEvent;
use evidence::pades::EvidenceKind;

use super::consent::{by_token, evidence, view, view_by_token};
use crate::AppState;
use crate::error::ServerError;
use crate::mail;
use crate::mail::Outbox;
use crate::sealing;
use crate::store::consents::{self, Change};

/// Grants (`grant`) or refuses the consent of the link `token`; returns what the link shows.
pub(super) async fn answer(
    state: &AppState,
    token: &str,
    grant: bool,
) -> Result<ConsentRequestView, ServerError> {
    let consent = by_token(state, token).await?;
    let now = state.clock.now();
    let event = if grant {
        ConsentEvent::Grant
    } else {
        ConsentEvent::Refuse
    };
    let Some(next) = consent
        .status
        .apply(event)
        .filter(|_| now.timestamp_millis() < consent.expires_at)
    else {
        return Ok(view(state, &consent, now.timestamp_millis()));
    };
    let mut answered = consent.clone();
    if answered.recipient_account_id.is_none() {
        answered.recipient_account_id =
            consents::active_account_with_address(state.db.pool(), &consent.recipient_email_key)
                .await?;
    }
    let kind = if grant {
        EvidenceKind::ConsentGranted
    } else {
        EvidenceKind::ConsentRefused
    };
    let evidence = evidence(&answered, &state.sealer, kind, now);
    let pdf = state.sealer.seal(&evidence).await?;
    let mut tx = state.db.begin().await?;
    let change = Change {
        id: &consent.id,
        from: consent.status,
        to: next,
        at: now.timestamp_millis(),
        evidence_id: Some(&evidence.id),
        recipient_account_id: answered.recipient_account_id.as_deref(),
    };
    if consents::answer(&mut tx, &change).await? {
        sealing::store_in(&mut tx, &evidence, &pdf, None).await?;
        let url = mail::consent::link(&state.config.server.public_url, token.trim());
        for email in mail::consent::answer_emails(&answered, grant, &url) {
            Outbox::queue_in(&state.jobs, &mut tx, &email, now).await?;
        }
        tx.commit().await?;
    } else {
        // Answered or expired meanwhile (a double click, the expiry job): nothing twice.
        tx.rollback().await?;
    }
    view_by_token(state, token).await
}
