//! The one mailer. Every email is built here as a real RFC 5322 message (lettre), then either
//! sent over SMTP (production) or kept in the development mailbox (embedded default), so both
//! paths share everything but the last step.

use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::clock::Clock;
use crate::config::{MailConfig, MailTransport};
use crate::db::Db;
use crate::store::mailbox;

/// An email to send: plain text always, HTML optionally (sent as multipart/alternative).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

/// Why an email was not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The recipient (or the configured sender) is not a valid address.
    #[error("invalid address: {0}")]
    Address(#[from] lettre::address::AddressError),
    /// The message could not be assembled (e.g. a header with a line break).
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
    /// The SMTP server refused the message or could not be reached.
    #[error("SMTP delivery failed: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    /// The development mailbox could not store the message.
    #[error("development mailbox: {0}")]
    Store(#[from] sqlx::Error),
}

#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
    clock: Clock,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    DevMailbox(Db),
}

impl Mailer {
    pub fn new(config: &MailConfig, db: Db, clock: Clock) -> Result<Mailer, MailError> {
        let from: Mailbox = config.from.parse()?;
        let transport = match (config.transport, &config.smtp_url) {
            (MailTransport::Smtp, Some(url)) => {
                Transport::Smtp(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build())
            }
            _ => Transport::DevMailbox(db),
        };
        Ok(Mailer {
            from,
            transport,
            clock,
        })
    }

    /// Builds and delivers `email`; returns the id of the stored message in development.
    pub async fn send(&self, email: &Email) -> Result<String, MailError> {
        let id = uuid::Uuid::now_v7().to_string();
        let now = self.clock.now();
        let builder = Message::builder()
            .from(self.from.clone())
            .to(email.to.parse()?)
            .subject(email.subject.clone())
            .date(now.into())
            .message_id(Some(format!("<{id}@{}>", self.from.email.domain())));
        let message = match &email.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                html.clone(),
            ))?,
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(email.text.clone())?,
        };
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await?;
            }
            Transport::DevMailbox(db) => {
                let raw = String::from_utf8_lossy(&message.formatted()).into_owned();
                let kept = mailbox::Message {
                    id: id.clone(),
                    sent_at: now.timestamp_millis(),
                    mail_from: self.from.to_string(),
                    mail_to: email.to.clone(),
                    subject: email.subject.clone(),
                    text_body: email.text.clone(),
                    html_body: email.html.clone(),
                    raw,
                };
                mailbox::insert(db.pool(), &kept).await?;
            }
        }
        tracing::info!(mail_id = %id, to = %email.to, subject = %email.subject, "email sent");
        Ok(id)
    }
}

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
        jobs: &crate::jobs::Jobs,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        email: &Email,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), sqlx::Error> {
        let job = crate::jobs::NewJob {
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
impl crate::jobs::Handler for Outbox {
    async fn run(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        job: &crate::jobs::Job,
    ) -> crate::error::JobResult {
        let email: Email = serde_json::from_value(job.payload.clone())
            .map_err(|e| crate::error::ServerError::internal(format!("not an email job: {e}")))?;
        self.mailer.send(&email).await?;
        // Commits with the job's completion: a failed commit leaves the body for the retry.
        crate::store::jobs::set_payload(&mut **tx, &job.id, &erased_payload(&email).to_string())
            .await?;
        Ok(())
    }
}
