//! Sending (LET-03, LET-04): a draft becomes an immutable letter and one transaction per
//! recipient, each with its deposit and summary evidence and its notification email (LET-05),
//! queued in the outbox and tracked by the transaction id — all in one database transaction,
//! after every evidence is sealed. If anything fails (the TSA is unreachable, the HSM refuses,
//! the database is gone) nothing changed: the draft stays a draft.
//!
//! The evidences of all recipients are sealed concurrently ([`Sealer::seal_all`], on every
//! core) before the transaction, and stored in it in a fixed order — recipient by recipient,
//! deposit then summary — so that the journal's chain does not depend on which seal finished
//! first.
//!
//! [`Sealer::seal_all`]: crate::sealing::Sealer::seal_all
//!
//! A transaction starts `notifying`: the transmission evidence, the notification instant, the
//! period and the reminder and expiry jobs (LET-06, LET-07, LET-10) follow from the
//! notification's hand-over to the mail server, or the failure does ([`super::notification`],
//! issue 10).

use std::time::SystemTime;

use app::api::Caller;
use app::error::AppError;
use app::lifecycle::LetterStatus;
use app::validation::{self, Invalid};
use chrono::{DateTime, Utc};
use domain::ids::{LetterId, TransactionId};
use evidence::pades::{ContentDigest, Evidence, EvidenceKind, Party, Sessions, keys};
use serde_json::json;

use super::deadlines;
use crate::AppState;
use crate::account::session::{new_token, token_hash};
use crate::audit;
use crate::contacts::consent_allows;
use crate::error::ServerError;
use crate::mail::Outbox;
use crate::mail::letters as emails;
use crate::mailer::MailAttachment;
use crate::store::{letters, transactions};

/// One recipient, copied from the contact at sending.
struct Recipient {
    contact_id: String,
    /// The recipient's account id when one exists for the address, else the contact id:
    /// the same id in every evidence of the transaction.
    id: String,
    name: String,
    email: String,
    email_key: String,
    professional: bool,
    company: Option<String>,
    /// The company's registry code and number: the letter is for the company (policy §6.4).
    company_number: Option<(String, String)>,
}

impl Recipient {
    /// The company's registry number as it reads, when the letter is for the company.
    fn company_rcs(&self) -> Option<String> {
        let (registry, number) = self.company_number.as_ref()?;
        app::contacts::company_rcs(Some(registry), Some(number))
    }
}

/// What is sealed for one recipient before the database transaction.
struct Prepared {
    transaction_id: TransactionId,
    token: String,
    recipient: Recipient,
    evidence: Vec<(Evidence, Vec<u8>)>,
}

/// The evidences of one recipient's transaction, in the order they are stored.
const EVIDENCES_PER_RECIPIENT: usize = 2;

/// Sends draft `id`, for the company of the sender's verified request `for_company` when
/// given (issue 13); returns the letter id.
pub async fn send(
    state: &AppState,
    caller: &Caller,
    id: &LetterId,
    for_company: Option<&str>,
) -> Result<LetterId, ServerError> {
    let (sender, action) = state.qualified(caller).await?;
    // OPS-07: the sender terms in force, accepted.
    crate::account::terms::require_current(state, &sender.account_id).await?;
    // §4.3: senders are customers, under an active contract.
    let customer_id = crate::customers::require_sender(state, &sender.account_id).await?;
    let company = match for_company {
        Some(member_id) => Some(
            crate::entities::connection::acting_for(state, &sender.account_id, member_id).await?,
        ),
        None => None,
    };
    let letter = letters::text(state.db.pool(), id)
        .await?
        .filter(|letter| letter.author_id == sender.account_id)
        .ok_or(AppError::NotFound)?;
    if letter.status != LetterStatus::Draft {
        return Err(AppError::LetterSent.into());
    }
    let subject = validation::subject(&letter.subject)?;
    let message = validation::message(&letter.message)?;
    let attachments = super::drafts::attachments_of(state, id).await?;
    if attachments.is_empty() {
        return Err(Invalid::NoAttachment.into());
    }
    let recipients = recipients(state, &sender.account_id, id).await?;
    if recipients.is_empty() {
        return Err(Invalid::NoRecipient.into());
    }

    let now = state.clock.now();
    let at: SystemTime = now.into();
    let login_time = DateTime::<Utc>::from_timestamp_millis(sender.login_time)
        .unwrap_or_default()
        .into();
    let sessions = Sessions {
        login_session_id: action.otp.login_session_id.clone(),
        login_time,
        otp_session_id: action.otp.otp_session_id.clone(),
    };
    // The sender as proven by identity proofing (ID-02), with the account's id and address.
    let sender_party = Party::new(
        action.verified_name.clone(),
        sender.account_id.clone(),
        sender.email.clone(),
    );
    let digests: Vec<ContentDigest> = attachments
        .iter()
        .map(|a| ContentDigest::sha256_hex(a.name.clone(), Some(a.id.clone()), a.sha256.clone()))
        .collect();

    let mut unsealed = Vec::with_capacity(recipients.len());
    let mut evidences = Vec::with_capacity(EVIDENCES_PER_RECIPIENT * recipients.len());
    for recipient in recipients {
        let transaction_id = TransactionId(uuid::Uuid::now_v7().to_string());
        let recipient_party = Party::new(
            recipient.name.clone(),
            recipient.id.clone(),
            recipient.email.clone(),
        );
        let base = |kind: EvidenceKind| {
            let mut evidence = state.sealer.evidence(kind, now);
            evidence.letter_id = Some(transaction_id.to_string());
            evidence.subject = Some(subject.clone());
            evidence
        };
        let mut deposit = base(EvidenceKind::Deposit);
        if let Some(company) = &company {
            deposit = deposit
                .with_field(keys::SENDER_COMPANY, company.name.clone())
                .with_field(keys::SENDER_COMPANY_RCS, company.rcs.clone());
        }
        deposit.sender = Some(sender_party.clone());
        deposit.submission_time = Some(at);
        deposit.sessions = Some(sessions.clone());
        let mut summary = base(EvidenceKind::LetterSummary);
        if let Some(company) = &company {
            summary = summary
                .with_field(keys::SENDER_COMPANY, company.name.clone())
                .with_field(keys::SENDER_COMPANY_RCS, company.rcs.clone());
        }
        summary.sender = Some(sender_party.clone());
        summary.recipient = Some(recipient_party);
        summary.sessions = Some(sessions.clone());
        summary.submission_time = Some(at);
        summary.digests = digests.clone();
        if !message.is_empty() {
            summary = summary.with_field(keys::LETTER_MESSAGE, message.clone());
        }
        if let Some(company) = &recipient.company {
            summary = summary.with_field(keys::COMPANY_NAME, company.clone());
        }
        if let Some(rcs) = recipient.company_rcs() {
            summary = summary.with_field(keys::COMPANY_RCS, rcs);
        }
        let kinds: [Evidence; EVIDENCES_PER_RECIPIENT] = [deposit, summary];
        evidences.extend(kinds);
        unsealed.push((transaction_id, recipient));
    }
    let pdfs = state
        .sealer
        .seal_all(&evidences)
        .await
        .inspect_err(|error| {
            tracing::error!(%error, letter_id = %id, "sending: sealing failed; nothing sent");
        })?;
    let mut sealed = evidences.into_iter().zip(pdfs);
    let prepared: Vec<Prepared> = unsealed
        .into_iter()
        .map(|(transaction_id, recipient)| Prepared {
            transaction_id,
            token: new_token(),
            recipient,
            evidence: sealed.by_ref().take(EVIDENCES_PER_RECIPIENT).collect(),
        })
        .collect();

    let mut tx = state.db.begin().await?;
    let sending = letters::Sending {
        id,
        author_id: &sender.account_id,
        at: now.timestamp_millis(),
        subject: &subject,
        message: &message,
        sender_name: &action.verified_name,
        sender_email: &sender.email,
        login_session_id: &action.otp.login_session_id,
        login_time: sender.login_time,
        otp_session_id: &action.otp.otp_session_id,
        identification_id: &action.identification_id,
        company: company
            .as_ref()
            .map(|c| (c.member_id.as_str(), c.name.as_str(), c.rcs.as_str())),
        customer_id: &customer_id,
    };
    if !letters::mark_sent(&mut tx, &sending).await? {
        return Err(AppError::LetterSent.into());
    }
    // Consent is checked again inside the transaction: a revocation that raced the sealing
    // wins (CONS-03).
    for item in &prepared {
        if !consent_allows(&mut *tx, &sender.account_id, &item.recipient.contact_id).await? {
            return Err(AppError::ConsentRequired.into());
        }
    }
    let mut transaction_ids = Vec::with_capacity(prepared.len());
    for item in &prepared {
        let r = &item.recipient;
        let new = transactions::NewTransaction {
            id: &item.transaction_id,
            letter_id: id,
            contact_id: &r.contact_id,
            recipient_id: &r.id,
            recipient_name: &r.name,
            recipient_email: &r.email,
            recipient_email_key: &r.email_key,
            recipient_professional: r.professional,
            recipient_company: r.company.as_deref(),
            recipient_company_number: r
                .company_number
                .as_ref()
                .map(|(registry, number)| (registry.as_str(), number.as_str())),
            sent_at: now.timestamp_millis(),
            access_token_hash: &token_hash(&item.token),
        };
        transactions::insert(&mut tx, &new).await?;
        deadlines::store_access_token(
            &mut tx,
            &item.transaction_id,
            &item.token,
            "notification",
            now,
        )
        .await?;
        for (evidence, pdf) in &item.evidence {
            crate::sealing::store_in(&mut tx, evidence, pdf, Some(item.transaction_id.as_str()))
                .await?;
        }
        let link = deadlines::reception_link(state, &item.transaction_id, &item.token);
        let company = item
            .recipient
            .company_number
            .as_ref()
            .and_then(|(registry, number)| {
                super::reception::company::reads(
                    item.recipient.company.as_deref(),
                    registry,
                    number,
                )
            });
        let email = emails::notification(&item.recipient.email, &link, company.as_deref());
        // Tracked: its hand-over notifies the recipient and starts the period (issue 10).
        Outbox::queue_tracked_in(
            &state.jobs,
            &mut tx,
            &email,
            item.transaction_id.as_str(),
            now,
        )
        .await?;
        transaction_ids.push(item.transaction_id.clone());
    }
    // Issue 11: the sender's deposit confirmation, with each recipient's deposit evidence.
    let deposited: Vec<emails::Deposited<'_>> = prepared
        .iter()
        .map(|item| emails::Deposited {
            name: &item.recipient.name,
            email: &item.recipient.email,
            letter_id: item.transaction_id.as_str(),
        })
        .collect();
    let attached = if prepared.len() <= emails::DEPOSIT_ATTACHMENTS_MAX {
        prepared
            .iter()
            .flat_map(|item| &item.evidence)
            .filter(|(evidence, _)| evidence.kind == EvidenceKind::Deposit)
            .map(|(evidence, pdf)| {
                MailAttachment::new(
                    format!("preuve-de-depot-{}.pdf", evidence.id),
                    "application/pdf",
                    pdf,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let confirmation = emails::deposit_to_sender(
        (&action.verified_name, &sender.email),
        &subject,
        &state.legal_time(now.timestamp_millis()),
        &deposited,
        &deadlines::letter_page(state, &format!("/sent/{id}")),
        attached,
    );
    Outbox::queue_in(&state.jobs, &mut tx, &confirmation, now).await?;
    let event = audit::Event {
        category: "letter",
        action: "sent",
        actor: Some(sender.account_id.clone()),
        details: json!({ "letter_id": id, "transactions": transaction_ids,
                         "otp_session_id": action.otp.otp_session_id,
                         "login_session_id": action.otp.login_session_id,
                         "identification_id": action.identification_id,
                         "sender_member_id": company.as_ref().map(|c| &c.member_id),
                         "attachments": attachments.iter().map(|a| json!({"id": a.id, "name": a.name, "sha256": a.sha256})).collect::<Vec<_>>(),
                         "ip": caller.ip, "user_agent": caller.user_agent }),
    };
    audit::record_in(&mut tx, now, &event).await?;
    tx.commit().await?;
    tracing::info!(letter_id = %id, recipients = prepared.len(), "letter sent");
    Ok(id.clone())
}

/// The draft's recipients, each checked: a non-professional needs the consent (CONS-01).
async fn recipients(
    state: &AppState,
    sender_id: &str,
    letter_id: &LetterId,
) -> Result<Vec<Recipient>, ServerError> {
    let contacts = letters::recipients(state.db.pool(), letter_id, sender_id).await?;
    let mut recipients = Vec::with_capacity(contacts.len());
    for contact in contacts {
        let professional = contact.is_professional();
        if !consent_allows(state.db.pool(), sender_id, &contact.id).await? {
            return Err(AppError::ConsentRequired.into());
        }
        let id = match state.account_by_email_key(&contact.email_key).await? {
            Some((account_id, _, _)) => account_id,
            None => contact.id.clone(),
        };
        recipients.push(Recipient {
            contact_id: contact.id,
            id,
            name: contact.name,
            email: contact.email,
            email_key: contact.email_key,
            professional,
            company_number: contact
                .company_registry
                .zip(contact.company_number)
                .filter(|_| professional),
            company: if professional {
                contact.company_name
            } else {
                None
            },
        });
    }
    Ok(recipients)
}
