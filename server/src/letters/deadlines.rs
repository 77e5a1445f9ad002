//! Reminders (LET-07) and expiry (LET-10) of a transaction, as durable jobs scheduled at
//! sending from [`crate::deadline::Deadlines`]: `reminder:<transaction>:<day>` at 08:00 legal
//! time on days 4, 8 and 12, and `expiry:<transaction>` at 00:00 legal time on day 16. Each
//! job's effects (evidence, state change, emails) commit with its completion, so that it
//! happens exactly once even with several server instances; a job finding the letter already
//! decided does nothing.

use std::time::SystemTime;

use evidence::pades::{EvidenceKind, Party, keys};
use sqlx::{Any, Transaction};

use super::emails;
use super::record::{self, TransactionRecord};
use crate::AppState;
use crate::deadline::Deadlines;
use crate::jobs::{Handler, Job, NewJob};
use crate::mailer::Outbox;

pub const REMINDER_JOB: &str = "letter.reminder";
pub const EXPIRY_JOB: &str = "letter.expiry";
/// The reminder days after the notification (LET-07).
pub const REMINDER_DAYS: [u32; 3] = [4, 8, 12];

/// The link of the notification and reminders: the reception page with the access token.
pub fn reception_link(state: &AppState, transaction_id: &str, token: &str) -> String {
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

/// Enqueues the reminders and the expiry of a new transaction, in the sending transaction.
pub async fn schedule(
    state: &AppState,
    tx: &mut Transaction<'_, Any>,
    transaction_id: &str,
    token: &str,
    deadlines: &Deadlines,
) -> Result<(), sqlx::Error> {
    for (day, due_at) in REMINDER_DAYS.iter().zip(deadlines.reminders) {
        state
            .jobs
            .enqueue_in(
                tx,
                &NewJob {
                    kind: REMINDER_JOB.to_owned(),
                    // The token travels in the job so that the reminder carries the same link
                    // as the notification (only its hash is stored with the transaction).
                    payload: serde_json::json!({ "transaction_id": transaction_id, "day": day, "token": token }),
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
        token: &str,
    ) -> Result<(), String> {
        let state = &self.state;
        let now = state.clock.now();
        let mut evidence = state.sealer.evidence(EvidenceKind::Reminder, now);
        evidence.letter_id = Some(record.id.clone());
        evidence.subject = Some(record.subject.clone());
        evidence.sender = Some(Party::new(
            record.sender_name.clone(),
            record.author_id.clone(),
            record.sender_email.clone(),
        ));
        evidence.recipient = Some(Party::new(
            record.recipient_name.clone(),
            record.recipient_id.clone(),
            record.recipient_email.clone(),
        ));
        let evidence = evidence.with_field(keys::REMINDER_DAY, day.to_string());
        let pdf = state
            .sealer
            .seal(&evidence)
            .await
            .map_err(|e| e.to_string())?;
        // Still awaiting? (row-locked on PostgreSQL until commit: a decision waits for us.)
        let still = sqlx::query(
            "UPDATE letter_transaction SET status = status WHERE id = $1 AND status = 'awaiting'",
        )
        .bind(&record.id)
        .execute(&mut **tx)
        .await
        .map_err(|e| e.to_string())?;
        if still.rows_affected() != 1 {
            return Ok(());
        }
        crate::sealing::store_in(tx, &evidence, &pdf, Some(&record.id))
            .await
            .map_err(|e| e.to_string())?;
        let deadlines = Deadlines::new(record.notified(), state.legal_zone());
        let email = emails::reminder(
            record,
            &reception_link(state, &record.id, token),
            &deadlines.last_day.to_string(),
            day,
        );
        Outbox::queue_in(&state.jobs, tx, &email, now)
            .await
            .map_err(|e| e.to_string())
    }

    async fn expire(
        &self,
        tx: &mut Transaction<'_, Any>,
        record: &TransactionRecord,
    ) -> Result<(), String> {
        let state = &self.state;
        let now = state.clock.now();
        if now < record.expires() {
            // The clock moved back (development) or the job ran early: retry later.
            return Err("the acceptance period is not over yet".to_owned());
        }
        let mut evidence = state.sealer.evidence(EvidenceKind::NonClaim, now);
        evidence.letter_id = Some(record.id.clone());
        evidence.subject = Some(record.subject.clone());
        let expiry: SystemTime = record.expires().into();
        let evidence = evidence.with_field(
            keys::LETTER_EXPIRY_TIME,
            evidence::pades::rfc3339_utc(expiry),
        );
        let pdf = state
            .sealer
            .seal(&evidence)
            .await
            .map_err(|e| e.to_string())?;
        let expired = sqlx::query(
            "UPDATE letter_transaction SET status = 'expired', decided_at = $1 \
             WHERE id = $2 AND status = 'awaiting'",
        )
        .bind(record.expires_at)
        .bind(&record.id)
        .execute(&mut **tx)
        .await
        .map_err(|e| e.to_string())?;
        if expired.rows_affected() != 1 {
            return Ok(());
        }
        crate::sealing::store_in(tx, &evidence, &pdf, Some(&record.id))
            .await
            .map_err(|e| e.to_string())?;
        let at = super::rfc3339(record.expires_at);
        let sender_link = letter_page(state, &format!("/sent/{}", record.letter_id));
        for email in [
            emails::expired_to_sender(record, &sender_link, &at),
            emails::expired_to_recipient(record, &at),
        ] {
            Outbox::queue_in(&state.jobs, tx, &email, now)
                .await
                .map_err(|e| e.to_string())?;
        }
        tracing::info!(transaction_id = %record.id, "letter expired unclaimed");
        Ok(())
    }
}

#[async_trait::async_trait]
impl Handler for DeadlineJobs {
    async fn run(&self, tx: &mut Transaction<'_, Any>, job: &Job) -> Result<(), String> {
        let transaction_id = job.payload["transaction_id"]
            .as_str()
            .ok_or("job without a transaction id")?;
        let record = record::load(self.state.db.pool(), transaction_id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no transaction {transaction_id}"))?;
        if !record.status.wants_reminders() {
            return Ok(());
        }
        match job.kind.as_str() {
            REMINDER_JOB => {
                let day = job.payload["day"].as_u64().unwrap_or_default() as u32;
                let token = job.payload["token"].as_str().unwrap_or_default();
                self.remind(tx, &record, day, token).await
            }
            EXPIRY_JOB => self.expire(tx, &record).await,
            other => Err(format!("not a deadline job: {other}")),
        }
    }
}
