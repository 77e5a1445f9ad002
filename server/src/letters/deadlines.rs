//! Reminders (LET-07) and expiry (LET-10) of a transaction, as durable jobs scheduled at
//! sending from [`crate::deadline::Deadlines`]: `reminder:<transaction>:<day>` at 08:00 legal
//! time on days 4, 8 and 12, and `expiry:<transaction>` at 00:00 legal time on day 16. Each
//! job's effects (evidence, state change, emails) commit with its completion, so that it
//! happens exactly once even with several server instances; a job finding the letter already
//! decided does nothing.
//!
//! A reminder that runs at or after the expiry (the service was down across it, or the
//! development clock jumped past it) is dropped and journaled (`letter`/`reminder_dropped`),
//! never sealed nor emailed: a reminder dated after the last day would contradict itself.
//!
//! Reminder jobs carry no secret: each reminder mints its own access token when it runs and
//! stores only its hash ([`store_access_token`]), so that the job table never holds a usable
//! link (issue 9).

use std::time::SystemTime;

use app::lifecycle::{TransactionEvent, TransitionError};
use domain::ids::TransactionId;
use evidence::pades::{EvidenceKind, Party, keys};
use sqlx::{Any, Transaction};

use crate::AppState;
use crate::account::session::{new_token, token_hash};
use crate::audit;
use crate::deadline::Deadlines;
use crate::error::{JobResult, ServerError};
use crate::jobs::{Handler, Job, NewJob};
use crate::mail::Outbox;
use crate::mail::letters as emails;
use crate::store::transactions::{self, TransactionRecord};

pub const REMINDER_JOB: &str = "letter.reminder";
pub const EXPIRY_JOB: &str = "letter.expiry";
/// The reminder days after the notification (LET-07).
pub use domain::policy::REMINDER_DAYS;

/// The link of the notification and reminders: the reception page with the access token.
pub fn reception_link(state: &AppState, transaction_id: &TransactionId, token: &str) -> String {
    format!(
        "{}/received/{transaction_id}?t={token}",
        state.config.server.public_url.trim_end_matches('/')
    )
}

/// The link a party follows to a transaction's page (no token: they sign in or identify).
pub fn letter_page(state: &AppState, path: &str) -> String {
    format!(
        "{}{path}",
        state.config.server.public_url.trim_end_matches('/')
    )
}

/// Records the hash of a new access token of `transaction_id` (the notification's, or a
/// reminder's): any of them opens the reception (`letter_access_token`). `purpose` says which
/// link carried it (`notification`, `reminder:<day>`).
pub async fn store_access_token(
    tx: &mut Transaction<'_, Any>,
    transaction_id: &TransactionId,
    token: &str,
    purpose: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), sqlx::Error> {
    transactions::insert_access_token(
        tx,
        &token_hash(token),
        transaction_id,
        purpose,
        at.timestamp_millis(),
    )
    .await
}

/// Enqueues the reminders and the expiry of a new transaction, in the sending transaction.
/// The payloads hold ids only (no access token).
pub async fn schedule(
    state: &AppState,
    tx: &mut Transaction<'_, Any>,
    transaction_id: &TransactionId,
    deadlines: &Deadlines,
) -> Result<(), sqlx::Error> {
    for (day, due_at) in REMINDER_DAYS.iter().zip(deadlines.reminders) {
        state
            .jobs
            .enqueue_in(
                tx,
                &NewJob {
                    kind: REMINDER_JOB.to_owned(),
                    payload: serde_json::json!({ "transaction_id": transaction_id, "day": day }),
                    due_at,
                    unique_key: Some(format!("reminder:{transaction_id}:{day}")),
                    max_attempts: 20,
                },
            )
            .await?;
    }
    state
        .jobs
        .enqueue_in(
            tx,
            &NewJob {
                kind: EXPIRY_JOB.to_owned(),
                payload: serde_json::json!({ "transaction_id": transaction_id }),
                due_at: deadlines.expires_at,
                unique_key: Some(format!("expiry:{transaction_id}")),
                max_attempts: 20,
            },
        )
        .await?;
    Ok(())
}

/// The handler of both job kinds.
pub struct DeadlineJobs {
    state: AppState,
}

impl DeadlineJobs {
    pub fn new(state: AppState) -> DeadlineJobs {
        DeadlineJobs { state }
    }

    async fn remind(
        &self,
        tx: &mut Transaction<'_, Any>,
        record: &TransactionRecord,
        day: u32,
    ) -> Result<(), ServerError> {
        let state = &self.state;
        let now = state.clock.now();
        if now >= record.expires() {
            return self.drop_reminder(tx, record, day).await;
        }
        let mut evidence = state.sealer.evidence(EvidenceKind::Reminder, now);
        // Neither the subject nor the sender: the recipient may hold this evidence without
        // ever accepting (LET-05, LET-09; docs/letters.md).
        evidence.letter_id = Some(record.id.to_string());
        evidence.recipient = Some(Party::new(
            record.recipient_name.clone(),
            record.recipient_id.clone(),
            record.recipient_email.clone(),
        ));
        let evidence = evidence.with_field(keys::REMINDER_DAY, day.to_string());
        let pdf = state.sealer.seal(&evidence).await?;
        // Still awaiting? (row-locked on PostgreSQL until commit: a decision waits for us.)
        if !transactions::lock_awaiting(tx, &record.id).await? {
            return Ok(());
        }
        crate::sealing::store_in(tx, &evidence, &pdf, Some(record.id.as_str())).await?;
        // A fresh token for this reminder's link, only its hash at rest.
        let token = new_token();
        store_access_token(tx, &record.id, &token, &format!("reminder:{day}"), now).await?;
        let deadlines = Deadlines::new(record.notified(), state.legal_zone());
        let email = emails::reminder(
            record,
            &reception_link(state, &record.id, &token),
            &deadlines.last_day.to_string(),
            day,
        );
        Outbox::queue_in(&state.jobs, tx, &email, now).await?;
        Ok(())
    }

    /// LET-07, LET-10: the reminder's moment is past the expiry; journal that it was not sent.
    async fn drop_reminder(
        &self,
        tx: &mut Transaction<'_, Any>,
        record: &TransactionRecord,
        day: u32,
    ) -> Result<(), ServerError> {
        let now = self.state.clock.now();
        let event = audit::Event::system(
            "letter",
            "reminder_dropped",
            serde_json::json!({
                "transaction_id": record.id,
                "day": day,
                "expires_at": domain::time::rfc3339(record.expires_at),
                "reason": "the acceptance period was over when the reminder ran",
            }),
        );
        audit::record_in(tx, now, &event).await?;
        tracing::warn!(transaction_id = %record.id, day, "reminder past the expiry dropped");
        Ok(())
    }

    async fn expire(
        &self,
        tx: &mut Transaction<'_, Any>,
        record: &TransactionRecord,
    ) -> Result<(), ServerError> {
        let state = &self.state;
        let now = state.clock.now();
        // LET-10, by the state machine: only an awaiting letter expires, and only once the
        // period is over.
        let next = match record
            .status
            .apply(TransactionEvent::Expire, now >= record.expires())
        {
            Ok(next) => next,
            // Decided meanwhile: nothing to do.
            Err(TransitionError::AlreadyDecided) => return Ok(()),
            // The clock moved back (development) or the job ran early: retry later.
            Err(error) => return Err(ServerError::internal(error)),
        };
        let mut evidence = state.sealer.evidence(EvidenceKind::NonClaim, now);
        evidence.letter_id = Some(record.id.to_string());
        evidence.subject = Some(record.subject.clone());
        let expiry: SystemTime = record.expires().into();
        let evidence = evidence.with_field(
            keys::LETTER_EXPIRY_TIME,
            evidence::pades::rfc3339_utc(expiry),
        );
        let pdf = state.sealer.seal(&evidence).await?;
        if !transactions::change_status(tx, &record.id, record.status, next, record.expires_at)
            .await?
        {
            return Ok(());
        }
        crate::sealing::store_in(tx, &evidence, &pdf, Some(record.id.as_str())).await?;
        let at = state.legal_time(record.expires_at);
        let sender_link = letter_page(state, &format!("/sent/{}", record.letter_id));
        for email in [
            emails::expired_to_sender(record, &sender_link, &at),
            emails::expired_to_recipient(record, &at),
        ] {
            Outbox::queue_in(&state.jobs, tx, &email, now).await?;
        }
        tracing::info!(transaction_id = %record.id, "letter expired unclaimed");
        Ok(())
    }
}

#[async_trait::async_trait]
impl Handler for DeadlineJobs {
    async fn run(&self, tx: &mut Transaction<'_, Any>, job: &Job) -> JobResult {
        let transaction_id = job.payload["transaction_id"]
            .as_str()
            .ok_or_else(|| ServerError::internal("job without a transaction id"))?;
        let id = TransactionId(transaction_id.to_owned());
        let record = transactions::load(self.state.db.pool(), &id)
            .await?
            .ok_or_else(|| ServerError::internal(format!("no transaction {transaction_id}")))?;
        if !record.status.wants_reminders() {
            return Ok(());
        }
        match job.kind.as_str() {
            REMINDER_JOB => {
                let day = job.payload["day"].as_u64().unwrap_or_default() as u32;
                self.remind(tx, &record, day).await
            }
            EXPIRY_JOB => self.expire(tx, &record).await,
            other => Err(ServerError::internal(format!(
                "not a deadline job: {other}"
            ))),
        }
    }
}
