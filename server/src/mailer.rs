//! The one mailer. Every email is built here as a real RFC 5322 message (lettre), then either
//! sent over SMTP (production) or kept in the development mailbox (embedded default), so both
//! paths share everything but the last step.
//!
//! A delivery answers what the mail server said ([`HandedOver`]: our Message-ID, the server's
//! reply, the time) or why it did not take the message ([`MailError`], permanent or not), so
//! that a letter's notification is proven by its hand-over (LET-05, issue 10).
//!
//! The development mailbox can play a mail server that refuses: any address at
//! [`REFUSED_DOMAIN`] is refused for good (`550`), any address at [`FAILING_DOMAIN`] fails
//! temporarily (`451`), so that a failed notification can be shown and tested end to end.

use base64::Engine as _;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
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
    /// Files attached (e.g. the deposit evidence sent to the sender, issue 11).
    #[serde(default)]
    pub attachments: Vec<MailAttachment>,
}

/// A file attached to an email; its bytes travel base64-encoded in the outbox's job payload.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct MailAttachment {
    pub name: String,
    pub media_type: String,
    pub base64: String,
}

impl MailAttachment {
    pub fn new(name: String, media_type: &str, bytes: &[u8]) -> MailAttachment {
        MailAttachment {
            name,
            media_type: media_type.to_owned(),
            base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }
}

/// In the development mailbox, the domain whose addresses are refused for good (550).
pub const REFUSED_DOMAIN: &str = "refused.invalid";
/// In the development mailbox, the domain whose addresses fail temporarily (451).
pub const FAILING_DOMAIN: &str = "failing.invalid";

/// What the mail server said when it took a message: the proof of a hand-over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandedOver {
    /// The `Message-ID` header we set, with its angle brackets.
    pub message_id: String,
    /// The server's reply: code and text (`250 2.0.0 Ok: queued as 4XyZ`).
    pub response: String,
    /// When the server answered (service clock).
    pub at: chrono::DateTime<chrono::Utc>,
    /// The id of the stored message, in the development mailbox (`/dev/mailbox/<id>`).
    pub mailbox_id: Option<String>,
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
    /// The development mailbox played a mail server's refusal (addresses at
    /// [`REFUSED_DOMAIN`] or [`FAILING_DOMAIN`]).
    #[error("{} error ({code}): {text}", if *.code >= 500 { "permanent" } else { "transient" })]
    Simulated { code: u16, text: String },
    /// An attachment could not be decoded (a corrupt job payload).
    #[error("attachment: {0}")]
    Attachment(String),
}

impl MailError {
    /// Whether sending again can never succeed: the server refused for good (SMTP 5xx), or
    /// the message cannot even be built (a bad address). Anything else (a 4xx, the server
    /// unreachable, a database error) may pass later.
    pub fn is_permanent(&self) -> bool {
        match self {
            MailError::Address(_) | MailError::Build(_) | MailError::Attachment(_) => true,
            MailError::Smtp(error) => error.is_permanent(),
            MailError::Store(_) => false,
            MailError::Simulated { code, .. } => *code >= 500,
        }
    }
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

    /// The `Message-ID` of a message whose unique part is `local` (e.g. an outbox job's id:
    /// every attempt to deliver one email carries the same Message-ID).
    pub fn message_id(&self, local: &str) -> String {
        format!("<{local}@{}>", self.from.email.domain())
    }

    /// Builds and delivers `email` with a new Message-ID; returns what the mail server (or the
    /// development mailbox) answered.
    pub async fn send(&self, email: &Email) -> Result<HandedOver, MailError> {
        let message_id = self.message_id(&uuid::Uuid::now_v7().to_string());
        self.deliver(email, &message_id).await
    }

    /// Builds and delivers `email` with `message_id` ([`Mailer::message_id`]).
    pub async fn deliver(&self, email: &Email, message_id: &str) -> Result<HandedOver, MailError> {
        let id = uuid::Uuid::now_v7().to_string();
        let now = self.clock.now();
        let message_id = message_id.to_owned();
        let to: Mailbox = email.to.parse()?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to.clone())
            .subject(email.subject.clone())
            .date(now.into())
            .message_id(Some(message_id.clone()));
        let message = if email.attachments.is_empty() {
            match &email.html {
                Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                    email.text.clone(),
                    html.clone(),
                ))?,
                None => builder
                    .header(ContentType::TEXT_PLAIN)
                    .body(email.text.clone())?,
            }
        } else {
            let body = match &email.html {
                Some(html) => MultiPart::alternative_plain_html(email.text.clone(), html.clone()),
                None => MultiPart::mixed().singlepart(SinglePart::plain(email.text.clone())),
            };
            let mut mixed = MultiPart::mixed().multipart(body);
            for file in &email.attachments {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(&file.base64)
                    .map_err(|e| MailError::Attachment(e.to_string()))?;
                let media_type = ContentType::parse(&file.media_type)
                    .map_err(|e| MailError::Attachment(e.to_string()))?;
                mixed =
                    mixed.singlepart(Attachment::new(file.name.clone()).body(bytes, media_type));
            }
            builder.multipart(mixed)?
        };
        let (response, mailbox_id) = match &self.transport {
            Transport::Smtp(smtp) => {
                let response = smtp.send(message).await?;
                let text = response.message().collect::<Vec<_>>().join(" ");
                let response = format!("{} {text}", response.code());
                (response.trim_end().to_owned(), None)
            }
            Transport::DevMailbox(db) => {
                simulated_refusal(to.email.domain(), &email.to)?;
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
                (
                    format!("250 2.0.0 kept in the development mailbox as {id}"),
                    Some(id.clone()),
                )
            }
        };
        tracing::info!(mail_id = %id, to = %email.to, subject = %email.subject, %response, "email sent");
        Ok(HandedOver {
            message_id,
            response,
            at: self.clock.now(),
            mailbox_id,
        })
    }
}

/// The development mailbox's refusals: [`REFUSED_DOMAIN`] answers 550, [`FAILING_DOMAIN`] 451.
fn simulated_refusal(domain: &str, to: &str) -> Result<(), MailError> {
    let domain = domain.to_ascii_lowercase();
    if domain == REFUSED_DOMAIN {
        return Err(MailError::Simulated {
            code: 550,
            text: format!(
                "5.1.1 <{to}>: mailbox unavailable (simulated by the development mailbox)"
            ),
        });
    }
    if domain == FAILING_DOMAIN {
        return Err(MailError::Simulated {
            code: 451,
            text: format!("4.3.0 <{to}>: try again later (simulated by the development mailbox)"),
        });
    }
    Ok(())
}
