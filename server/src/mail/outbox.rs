//! The one delivery path of email: the durable outbox. An email is queued as a job in the
//! transaction of the change it announces and delivered by the job queue through the
//! [`Mailer`] (the transport: SMTP, or the development mailbox).

use crate::error::{JobResult, ServerError};
use crate::jobs::{Handler, Job, Jobs, NewJob};
use crate::mailer::{Email, Mailer};

/// The job kind of outgoing email (see [`Outbox`]).
pub const EMAIL_JOB: &str = "email";

/// What remains of a delivered email's job payload: recipient and subject, never the body.
fn erased_payload(email: &Email) -> serde_json::Value {
    serde_json::json!({ "to": email.to, "subject": email.subject, "body": ERASED_PAYLOAD })
}

/// The body of a delivered email in the job table.
pub const ERASED_PAYLOAD: &str = "erased after delivery";

/// The outbox: emails are queued as jobs in the caller's transaction and delivered by the job
/// queue, so that an SMTP outage delays mail and loses none (retries with backoff, about four
/// hours in all, then the job stays `failed` for an operator).
///
/// An email's body may hold a secret (a reception link's access token, a confirmation link):
/// it stays in the job row only until delivery. Delivering replaces the payload with
/// [`ERASED_PAYLOAD`] in the job's completing transaction (issue 9); a message that is never
/// delivered keeps its body for the operator's retry.
#[derive(Clone)]
pub struct Outbox {
    mailer: Mailer,
}

impl Outbox {
    pub fn new(mailer: Mailer) -> Outbox {
        Outbox { mailer }
    }

    /// Queues `email` inside `tx`: it is sent if and only if the transaction commits.
    pub async fn queue_in(
        jobs: &Jobs,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        email: &Email,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), sqlx::Error> {
        let job = NewJob {
            kind: EMAIL_JOB.to_owned(),
            payload: serde_json::to_value(email).unwrap_or_default(),
            due_at: now,
            unique_key: None,
            max_attempts: 10,
        };
        jobs.enqueue_in(tx, &job).await.map(|_| ())
    }
}

#[async_trait::async_trait]
impl Handler for Outbox {
    async fn run(&self, tx: &mut sqlx::Transaction<'_, sqlx::Any>, job: &Job) -> JobResult {
        let email: Email = serde_json::from_value(job.payload.clone())
            .map_err(|e| ServerError::internal(format!("not an email job: {e}")))?;
        self.mailer.send(&email).await?;
        // Commits with the job's completion: a failed commit leaves the body for the retry.
        crate::store::jobs::set_payload(&mut **tx, &job.id, &erased_payload(&email).to_string())
            .await?;
        Ok(())
    }
}
