//! The notification is proven, and the period runs from it (LET-05, LET-06, LET-07; policy
//! §7.2.6, §7.2.7; issue 10).
//!
//! A transaction is sent `notifying`: its notification email is queued in the outbox, tracked
//! by the transaction id. When the mail server takes it, [`Notifications::handed_over`] runs in
//! the email job's completing transaction: it records the hand-over (Message-ID, the server's
//! reply, the time: `letter_notification`), seals the **transmission evidence** with them, sets
//! the notification instant and the end of the period from the hand-over time (15 days from
//! the day after it), and schedules the reminders and the expiry — once, even with several
//! instances (the job completes once). When the server refuses the email for good (5xx), or it
//! still fails after every retry, [`Notifications::failed`] seals the **notification failure
//! evidence**, marks the transaction `not_notified` (no period, no reminder, no non-claim, no
//! decision) and emails the sender.

use app::lifecycle::{TransactionEvent, TransactionStatus};
use domain::ids::TransactionId;
use evidence::pades::{Evidence, EvidenceKind, Party, keys};
use sqlx::{Any, Transaction};

use super::deadlines::{self, letter_page};
use crate::AppState;
use crate::audit;
use crate::deadline::Deadlines;
use crate::error::{JobResult, ServerError};
use crate::mail::Outbox;
use crate::mail::letters as emails;
use crate::mail::outbox::{DeliveryFailure, DeliveryTracker};
use crate::mailer::{Email, HandedOver};
use crate::store::notifications::{self, NewNotification, Outcome};
use crate::store::transactions::{self, TransactionRecord};

/// The tracker of notification emails (the outbox reports to it).
pub struct Notifications {
    state: AppState,
}

impl Notifications {
    pub fn new(state: AppState) -> Notifications {
        Notifications { state }
    }

    /// The transaction a tracked email notifies, if it still waits for its notification.
    /// Read outside the job's transaction, as the deadline jobs do: on SQLite a transaction
    /// that reads before the (slow) sealing could not write afterwards; the writes that follow
    /// are conditional on the status, so a change meanwhile is seen there.
    async fn notifying(&self, track: &str) -> Result<Option<TransactionRecord>, ServerError> {
        let id = TransactionId(track.to_owned());
        let record = transactions::load(self.state.db.pool(), &id)
            .await?
            .ok_or_else(|| ServerError::internal(format!("no transaction {track} to notify")))?;
        if record.status != TransactionStatus::Notifying {
            // Recorded already (the email was sent again after a lost commit): the first
            // outcome stands.
            tracing::warn!(transaction_id = %record.id, status = record.status.code(), "notification outcome already recorded");
            return Ok(None);
        }
        Ok(Some(record))
    }

    /// The evidence of the notification's outcome (`Transmission` when handed over,
    /// `NotificationFailure` when not): the letter id, the recipient, the message id and the
    /// mail server's answer. No subject: the recipient may hold it without ever accepting
    /// (LET-05, docs/letters.md).
    fn evidence(
        &self,
        kind: EvidenceKind,
        record: &TransactionRecord,
        at: chrono::DateTime<chrono::Utc>,
        message_id: &str,
        server_response: &str,
    ) -> Evidence {
        let mut evidence = self.state.sealer.evidence(kind, at);
        evidence.letter_id = Some(record.id.to_string());
        evidence.recipient = Some(Party::new(
            record.recipient_name.clone(),
            record.recipient_id.clone(),
            record.recipient_email.clone(),
        ));
        evidence
            .with_field(keys::NOTIFICATION_MESSAGE_ID, message_id.to_owned())
            .with_field(
                keys::NOTIFICATION_SERVER_RESPONSE,
                server_response.to_owned(),
            )
    }
}

#[async_trait::async_trait]
impl DeliveryTracker for Notifications {
    /// LET-05, LET-06: the hand-over is the notification; the period runs from it.
    async fn handed_over(
        &self,
        tx: &mut Transaction<'_, Any>,
        track: &str,
        _email: &Email,
        handed_over: &HandedOver,
        attempts: i64,
    ) -> JobResult {
        let state = &self.state;
        let Some(record) = self.notifying(track).await? else {
            return Ok(());
        };
        let next = record
            .status
            .apply(TransactionEvent::Notify, false)
            .map_err(ServerError::internal)?;
        let at = handed_over.at;
        let deadlines = Deadlines::new(at, state.legal_zone());
        let evidence = self.evidence(
            EvidenceKind::Transmission,
            &record,
            at,
            &handed_over.message_id,
            &handed_over.response,
        );
        let pdf = state.sealer.seal(&evidence).await?;
        if !transactions::notified(
            tx,
            &record.id,
            next,
            at.timestamp_millis(),
            deadlines.expires_at.timestamp_millis(),
        )
        .await?
        {
            return Ok(());
        }
        crate::sealing::store_in(tx, &evidence, &pdf, Some(record.id.as_str())).await?;
        notifications::insert(
            tx,
            &NewNotification {
                transaction_id: &record.id,
                outcome: Outcome::HandedOver,
                message_id: &handed_over.message_id,
                server_response: &handed_over.response,
                at: at.timestamp_millis(),
                attempts,
                evidence_id: &evidence.id,
            },
        )
        .await?;
        deadlines::schedule(state, tx, &record.id, &deadlines).await?;
        let event = audit::Event::system(
            "letter",
            "notified",
            serde_json::json!({
                "transaction_id": record.id,
                "message_id": handed_over.message_id,
                "server_response": handed_over.response,
                "notified_at": domain::time::rfc3339(at.timestamp_millis()),
                "expires_at": domain::time::rfc3339(deadlines.expires_at.timestamp_millis()),
                "attempts": attempts,
            }),
        );
        audit::record_in(tx, state.clock.now(), &event).await?;
        tracing::info!(transaction_id = %record.id, message_id = %handed_over.message_id, "recipient notified");
        Ok(())
    }

    /// LET-05: the recipient could not be notified; the sender is told.
    async fn failed(
        &self,
        tx: &mut Transaction<'_, Any>,
        track: &str,
        _email: &Email,
        failure: &DeliveryFailure,
    ) -> JobResult {
        let state = &self.state;
        let Some(record) = self.notifying(track).await? else {
            return Ok(());
        };
        record
            .status
            .apply(TransactionEvent::NotificationFailed, false)
            .map_err(ServerError::internal)?;
        let now = state.clock.now();
        let evidence = self.evidence(
            EvidenceKind::NotificationFailure,
            &record,
            now,
            &failure.message_id,
            &failure.reason,
        );
        let pdf = state.sealer.seal(&evidence).await?;
        if !transactions::not_notified(tx, &record.id).await? {
            return Ok(());
        }
        crate::sealing::store_in(tx, &evidence, &pdf, Some(record.id.as_str())).await?;
        notifications::insert(
            tx,
            &NewNotification {
                transaction_id: &record.id,
                outcome: Outcome::Failed,
                message_id: &failure.message_id,
                server_response: &failure.reason,
                at: now.timestamp_millis(),
                attempts: failure.attempts,
                evidence_id: &evidence.id,
            },
        )
        .await?;
        let link = letter_page(state, &format!("/sent/{}", record.letter_id));
        let email = emails::not_notified_to_sender(&record, &link, &failure.reason);
        Outbox::queue_in(&state.jobs, tx, &email, now).await?;
        let event = audit::Event::system(
            "letter",
            "notification_failed",
            serde_json::json!({
                "transaction_id": record.id,
                "message_id": failure.message_id,
                "reason": failure.reason,
                "permanent": failure.permanent,
                "attempts": failure.attempts,
            }),
        );
        audit::record_in(tx, now, &event).await?;
        tracing::warn!(transaction_id = %record.id, reason = %failure.reason, "recipient not notified");
        Ok(())
    }
}
