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
