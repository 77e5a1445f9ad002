//! A sent letter, built the way people build it: a sender who may send (TOTP, identity
//! proven), recipients in the address book (a private person with a granted consent, a
//! professional, or a contact already there), a draft composed and uploaded, sent; then the
//! notifications delivered. A test states only what matters to it:
//!
//! ```ignore
//! let sent = Scenario::new(&app)
//!     .recipient("bob@example.net", "Bob Durand")
//!     .attachment("contrat.pdf", contract.clone())
//!     .send()
//!     .await;
//! let bob = sent.to("bob@example.net"); // transaction id and notification token
//! ```

use app::letters::{Draft, SentLetter};
use chrono::{DateTime, Utc};

use super::TestApp;
use super::flows::{self, User};
use super::records::{after, mails};

/// PDF-looking bytes: a header, then `size` bytes depending on `label`.
pub fn pdf_bytes(label: &str, size: usize) -> Vec<u8> {
    let mut bytes = format!("%PDF-1.7\n% {label}\n").into_bytes();
    bytes.extend((0..size).map(|i| (i * 31 % 251) as u8));
    bytes
}

enum Sender {
    New { email: String, name: String },
    Existing(User),
}

enum Recipient {
    /// A private person, who grants the consent asked by email (CONS-01, CONS-02).
    Private { email: String, name: String },
    /// A professional: no consent needed (CONS-05).
    Professional {
        email: String,
        name: String,
        company: String,
    },
    /// A company by its registry number (policy §6.4): `registry` is its code.
    Company {
        email: String,
        name: String,
        company: String,
        registry: String,
        number: String,
    },
    /// A contact already in the sender's address book.
    Contact(String),
}

/// The letter to build; see the module's documentation.
pub struct Scenario<'a> {
    app: &'a TestApp,
    sender: Sender,
    recipients: Vec<Recipient>,
    subject: String,
    message: String,
    attachments: Vec<(String, Vec<u8>)>,
}

/// A composed draft, not sent yet.
pub struct Drafted {
    pub sender: User,
    /// The draft's id, which becomes the letter's.
    pub id: String,
    /// The recipients' contact ids, in the order given.
    pub contacts: Vec<String>,
    /// The draft as the autosave returned it (before the uploads).
    pub saved: Draft,
}

/// A sent letter and its notifications.
pub struct Sent {
    pub sender: User,
    /// The letter's id (the draft's).
    pub id: String,
    /// The recipients' contact ids, in the order given.
    pub contacts: Vec<String>,
    /// The letter as `sent_letter` shows it once the notifications were handed over.
    pub letter: SentLetter,
    /// The service time at which it was sent.
    pub sent_at: DateTime<Utc>,
    pub deliveries: Vec<Delivery>,
}

/// One recipient's transaction and the link of its notification (LET-05).
pub struct Delivery {
    /// The address as the service stores and mails it.
    pub email: String,
    pub transaction: String,
    /// The token of the notification link (`/received/<transaction>?t=<token>`).
    pub token: String,
}

impl<'a> Scenario<'a> {
    /// By default: Alice Martin (alice@example.org) sends "Convocation" with one small PDF.
    pub fn new(app: &'a TestApp) -> Scenario<'a> {
        Scenario {
            app,
            sender: Sender::New {
                email: "alice@example.org".to_owned(),
                name: "Alice Martin".to_owned(),
            },
            recipients: Vec::new(),
            subject: "Convocation".to_owned(),
            message: "Veuillez trouver ci-joint le document.".to_owned(),
            attachments: Vec::new(),
        }
    }

    /// A new sender account (TOTP, identity proven).
    pub fn sender(mut self, email: &str, name: &str) -> Self {
        self.sender = Sender::New {
            email: email.to_owned(),
            name: name.to_owned(),
        };
        self
    }

    /// A sender who already has an account that may send.
    pub fn by(mut self, sender: &User) -> Self {
        self.sender = Sender::Existing(sender.clone());
        self
    }

    /// A private person who grants the sender's consent request.
    pub fn recipient(mut self, email: &str, name: &str) -> Self {
        self.recipients.push(Recipient::Private {
            email: email.to_owned(),
            name: name.to_owned(),
        });
        self
    }

    pub fn professional(mut self, email: &str, name: &str, company: &str) -> Self {
        self.recipients.push(Recipient::Professional {
            email: email.to_owned(),
            name: name.to_owned(),
            company: company.to_owned(),
        });
        self
    }

    /// A letter to the company `company` registered as `number` in `registry` (its code), at
    /// `email`, for the attention of `name`: delivered to its representative or a delegate.
    pub fn company(
        mut self,
        (email, name): (&str, &str),
        company: &str,
        (registry, number): (&str, &str),
    ) -> Self {
        self.recipients.push(Recipient::Company {
            email: email.to_owned(),
            name: name.to_owned(),
            company: company.to_owned(),
            registry: registry.to_owned(),
            number: number.to_owned(),
        });
        self
    }

    /// A contact already in the sender's address book, allowed to receive letters.
    pub fn contact(mut self, id: &str) -> Self {
        self.recipients.push(Recipient::Contact(id.to_owned()));
        self
    }

    pub fn subject(mut self, subject: &str) -> Self {
        self.subject = subject.to_owned();
        self
    }

    pub fn message(mut self, message: &str) -> Self {
        self.message = message.to_owned();
        self
    }

    pub fn attachment(mut self, name: &str, bytes: Vec<u8>) -> Self {
        self.attachments.push((name.to_owned(), bytes));
        self
    }

    /// Creates what is missing (sender, contacts) and composes the draft, without sending.
    pub async fn draft(self) -> Drafted {
        let app = self.app;
        let sender = match self.sender {
            Sender::New { email, name } => flows::sender(app, &email, &name).await,
            Sender::Existing(user) => user,
        };
        let mut contacts = Vec::new();
        for recipient in &self.recipients {
            let id = match recipient {
                Recipient::Private { email, name } => {
                    flows::contact(app, &sender, email, name, None, Some("granted")).await
                }
                Recipient::Professional {
                    email,
                    name,
                    company,
                } => flows::contact(app, &sender, email, name, Some(company), None).await,
                Recipient::Company {
                    email,
                    name,
                    company,
                    registry,
                    number,
                } => {
                    let form = [
                        ("email", email.as_str()),
                        ("name", name),
                        ("professional", "on"),
                        ("company_name", company),
                        ("company_registry", registry),
                        ("company_number", number),
                    ];
                    let contact: app::contacts::Contact =
                        sender.call(app, "contact_save", &form).await.ok();
                    contact.id
                }
                Recipient::Contact(id) => id.clone(),
            };
            contacts.push(id);
        }
        assert!(!contacts.is_empty(), "a letter needs a recipient");
        let mut attachments = self.attachments;
        if attachments.is_empty() {
            attachments.push(("lettre.pdf".to_owned(), pdf_bytes("lettre", 100)));
        }
        let attachments: Vec<(&str, Vec<u8>)> = attachments
            .iter()
            .map(|(name, bytes)| (name.as_str(), bytes.clone()))
            .collect();
        let recipients: Vec<&str> = contacts.iter().map(String::as_str).collect();
        let saved = flows::compose(
            app,
            &sender,
            &self.subject,
            &self.message,
            &recipients,
            &attachments,
        )
        .await;
        Drafted {
            sender,
            id: saved.id.clone(),
            contacts,
            saved,
        }
    }

    /// Composes the draft, sends it and delivers the notifications.
    pub async fn send(self) -> Sent {
        let app = self.app;
        self.draft().await.send(app).await
    }
}

impl Drafted {
    /// Sends the draft (the sender's OTP session must be live) and delivers the
    /// notifications (the job queue hands them over: the recipients are notified, issue 10).
    pub async fn send(self, app: &TestApp) -> Sent {
        let sent_at = app.state.clock.now();
        let letter: SentLetter = self
            .sender
            .call(app, "letter_send", &[("id", &self.id)])
            .await
            .ok();
        let mut deliveries = Vec::new();
        for transaction in &letter.transactions {
            let link = format!("/received/{}?t=", transaction.id);
            let text = notification(app, &transaction.recipient_email, &link).await;
            deliveries.push(Delivery {
                email: transaction.recipient_email.clone(),
                transaction: transaction.id.clone(),
                token: after(&text, &link),
            });
        }
        // The letter as its sender sees it once the notifications are handed over.
        let letter: SentLetter = self
            .sender
            .call(app, "sent_letter", &[("id", &self.id)])
            .await
            .ok();
        Sent {
            sender: self.sender,
            id: self.id,
            contacts: self.contacts,
            letter,
            sent_at,
            deliveries,
        }
    }
}

/// The text of the newest mail to `to` holding `link`. Another instance's worker may be
/// sending it still: the mailbox is read again for a few seconds.
async fn notification(app: &TestApp, to: &str, link: &str) -> String {
    for _ in 0..100 {
        let found = mails(app, to)
            .await
            .into_iter()
            .rev()
            .find(|(_, text)| text.contains(link));
        if let Some((_, text)) = found {
            return text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no notification to {to} with {link}");
}

impl Sent {
    /// The delivery to `email` (compared without case).
    #[track_caller]
    pub fn to(&self, email: &str) -> &Delivery {
        self.deliveries
            .iter()
            .find(|d| d.email.eq_ignore_ascii_case(email))
            .unwrap_or_else(|| panic!("no transaction to {email}"))
    }

    /// The only transaction of a letter to one recipient.
    #[track_caller]
    pub fn transaction(&self) -> &str {
        assert_eq!(self.deliveries.len(), 1, "one recipient");
        &self.deliveries[0].transaction
    }
}
