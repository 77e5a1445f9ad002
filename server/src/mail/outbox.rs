//! The one delivery path of email: the durable outbox. An email is queued as a job in the
//! transaction of the change it announces and delivered by the job queue through the
//! [`Mailer`] (the transport: SMTP, or the development mailbox).
//!
//! An email may be *tracked* (issue 10): queued with a tracking id (a letter's notification
//! carries its transaction id), its delivery's outcome is reported to the [`DeliveryTracker`]
//! in the job's completing transaction — the hand-over (Message-ID, the server's reply, the
//! time), or the failure (a permanent refusal, or the transient failures of
//! [`DELIVERY_ATTEMPTS`] attempts) — so that what follows from it happens exactly once.

use std::sync::Arc;

use crate::error::{JobResult, ServerError};
use crate::jobs::{Handler, Job, Jobs, NewJob};
use crate::mailer::{Email, HandedOver, Mailer};

/// The job kind of outgoing email (see [`Outbox`]).
pub const EMAIL_JOB: &str = "email";

/// How many times an email is offered to the mail server (retries with backoff: about four
/// hours in all).
pub const DELIVERY_ATTEMPTS: i64 = 10;

/// The attempts a tracked email's job has beyond [`DELIVERY_ATTEMPTS`]: they only record the
/// failure (if recording it failed, e.g. the seal was unavailable), never send again.
const RECORDING_ATTEMPTS: i64 = 10;

/// What remains of a delivered email's job payload: recipient and subject, never the body.
fn erased_payload(email: &Email, track: Option<&str>) -> serde_json::Value {
    let mut payload =
        serde_json::json!({ "to": email.to, "subject": email.subject, "body": ERASED_PAYLOAD });
    if let Some(track) = track {
        payload["track"] = track.into();
    }
    payload
}

/// The body of a delivered email in the job table.
pub const ERASED_PAYLOAD: &str = "erased after delivery";

/// A tracked email that could not be delivered.
#[derive(Clone, Debug)]
pub struct DeliveryFailure {
    /// The server's refusal (`permanent error (550): …`) or the last error of the retries.
    pub reason: String,
    /// Whether the server refused for good (else: the retries were exhausted).
    pub permanent: bool,
    /// The `Message-ID` the email carried at every attempt.
    pub message_id: String,
    /// Attempts made, the last one included.
    pub attempts: i64,
}

/// Learns the outcome of tracked emails, inside the job's completing transaction: what it
/// writes there commits with the job's completion, or not at all (an error rolls both back
/// and the job is retried).
#[async_trait::async_trait]
pub trait DeliveryTracker: Send + Sync + 'static {
    /// The mail server took the email queued with `track`.
    async fn handed_over(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        track: &str,
        email: &Email,
        handed_over: &HandedOver,
        attempts: i64,
    ) -> JobResult;

    /// The email queued with `track` will not be delivered.
    async fn failed(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        track: &str,
        email: &Email,
        failure: &DeliveryFailure,
    ) -> JobResult;
}

/// The job payload of an email: the email, and for a tracked one its tracking id.
#[derive(serde::Serialize, serde::Deserialize)]
struct Queued {
    #[serde(flatten)]
    email: Email,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    track: Option<String>,
}

/// The outbox: emails are queued as jobs in the caller's transaction and delivered by the job
/// queue, so that an SMTP outage delays mail and loses none (retries with backoff, about four
/// hours in all, then the job stays `failed` for an operator; a tracked email's failure is
/// reported to its [`DeliveryTracker`] instead).
///
/// An email's body may hold a secret (a reception link's access token, a confirmation link):
/// it stays in the job row only until delivery. Delivering replaces the payload with
/// [`ERASED_PAYLOAD`] in the job's completing transaction (issue 9); a message that is never
/// delivered keeps its body for the operator's retry (a tracked one is erased once its failure
/// is recorded: its link will never open anything).
#[derive(Clone)]
pub struct Outbox {
    mailer: Mailer,
    tracker: Option<Arc<dyn DeliveryTracker>>,
}

impl Outbox {
    pub fn new(mailer: Mailer) -> Outbox {
        Outbox {
            mailer,
            tracker: None,
        }
    }

    /// This outbox, reporting tracked emails to `tracker`.
    pub fn tracked_by(mut self, tracker: Arc<dyn DeliveryTracker>) -> Outbox {
        self.tracker = Some(tracker);
        self
    }

    /// Queues `email` inside `tx`: it is sent if and only if the transaction commits.
    pub async fn queue_in(
        jobs: &Jobs,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        email: &Email,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), sqlx::Error> {
        Self::queue(jobs, tx, email, None, now).await
    }

    /// Queues `email` inside `tx` as [`queue_in`](Self::queue_in), with `track`: its delivery
    /// or its failure is reported to the [`DeliveryTracker`].
    pub async fn queue_tracked_in(
        jobs: &Jobs,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        email: &Email,
        track: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), sqlx::Error> {
        Self::queue(jobs, tx, email, Some(track), now).await
    }

    async fn queue(
        jobs: &Jobs,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        email: &Email,
        track: Option<&str>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), sqlx::Error> {
        let queued = Queued {
            email: email.clone(),
            track: track.map(str::to_owned),
        };
        let job = NewJob {
            kind: EMAIL_JOB.to_owned(),
            payload: serde_json::to_value(&queued).unwrap_or_default(),
            due_at: now,
            unique_key: None,
            max_attempts: if track.is_some() {
                DELIVERY_ATTEMPTS + RECORDING_ATTEMPTS
            } else {
                DELIVERY_ATTEMPTS
            },
        };
        jobs.enqueue_in(tx, &job).await.map(|_| ())
    }

    /// A tracked email's delivery failed: report it, or return the error to retry.
    async fn give_up(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        job: &Job,
        queued: &Queued,
        track: &str,
        reason: String,
        permanent: bool,
    ) -> JobResult {
        let tracker = self
            .tracker
            .as_ref()
            .ok_or_else(|| ServerError::internal("a tracked email without a tracker"))?;
        let failure = DeliveryFailure {
            reason,
            permanent,
            attempts: job.attempt.min(DELIVERY_ATTEMPTS),
            message_id: self.mailer.message_id(&job.id),
        };
        tracker.failed(tx, track, &queued.email, &failure).await?;
        tracing::warn!(job_id = %job.id, track, reason = %failure.reason, "tracked email not delivered");
        Ok(())
    }
}

#[async_trait::async_trait]
impl Handler for Outbox {
    async fn run(&self, tx: &mut sqlx::Transaction<'_, sqlx::Any>, job: &Job) -> JobResult {
        let queued: Queued = serde_json::from_value(job.payload.clone())
            .map_err(|e| ServerError::internal(format!("not an email job: {e}")))?;
        // Erasing the body commits with the job's completion: a failed commit leaves the body
        // for the retry.
        let erased = erased_payload(&queued.email, queued.track.as_deref()).to_string();
        let Some(track) = queued.track.as_deref() else {
            let message_id = self.mailer.message_id(&job.id);
            self.mailer.deliver(&queued.email, &message_id).await?;
            crate::store::jobs::set_payload(&mut **tx, &job.id, &erased).await?;
            return Ok(());
        };
        if job.attempt > DELIVERY_ATTEMPTS {
            // Delivery was given up, but recording it failed: record it, never send again.
            let reason = job.last_error.clone().unwrap_or_default();
            self.give_up(tx, job, &queued, track, reason, false).await?;
            crate::store::jobs::set_payload(&mut **tx, &job.id, &erased).await?;
            return Ok(());
        }
        // One Message-ID for every attempt: the job's id.
        let message_id = self.mailer.message_id(&job.id);
        match self.mailer.deliver(&queued.email, &message_id).await {
            Ok(handed_over) => {
                let tracker = self
                    .tracker
                    .as_ref()
                    .ok_or_else(|| ServerError::internal("a tracked email without a tracker"))?;
                tracker
                    .handed_over(tx, track, &queued.email, &handed_over, job.attempt)
                    .await?;
            }
            Err(error) if error.is_permanent() || job.attempt >= DELIVERY_ATTEMPTS => {
                let permanent = error.is_permanent();
                self.give_up(tx, job, &queued, track, error.to_string(), permanent)
                    .await?;
            }
            Err(error) => return Err(error.into()),
        }
        crate::store::jobs::set_payload(&mut **tx, &job.id, &erased).await?;
        Ok(())
    }
}
