//! Sending (LET-03, LET-04): a draft becomes an immutable letter and one transaction per
//! recipient, each with its deposit, transmission and summary evidence, its notification
//! (LET-05) and its reminder and expiry jobs (LET-07, LET-10) — all in one database
//! transaction, after every evidence is sealed. If anything fails (the TSA is unreachable, the
//! HSM refuses, the database is gone) nothing changed: the draft stays a draft.

use std::time::SystemTime;

use app::api::Caller;
use app::error::AppError;
use app::validation::{self, Invalid};
use chrono::{DateTime, Utc};
use evidence::pades::{ContentDigest, Evidence, EvidenceKind, Party, Sessions, keys};
use serde_json::json;

use super::deadlines::{self, schedule};
use super::emails;
use crate::AppState;
use crate::account::session::{new_token, token_hash};
use crate::audit;
use crate::contacts::consent_allows;
use crate::deadline::Deadlines;
use crate::mailer::Outbox;
use crate::services::internal;

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
}

/// What is sealed for one recipient before the database transaction.
struct Prepared {
    transaction_id: String,
    token: String,
    recipient: Recipient,
    evidence: Vec<(Evidence, Vec<u8>)>,
}

/// Sends draft `id`; returns the letter id.
pub async fn send(state: &AppState, caller: Caller, id: &str) -> Result<String, AppError> {
    let (sender, action) = state.qualified(&caller).await?;
    let row: Option<(String, String, String, String)> =
        sqlx::query_as("SELECT author_id, status, subject, message FROM letter WHERE id = $1")
            .bind(id)
            .fetch_optional(state.db.pool())
            .await
            .map_err(internal)?;
    let (author, status, subject, message) = row.ok_or(AppError::NotFound)?;
    if author != sender.account_id {
        return Err(AppError::NotFound);
    }
    if status != "draft" {
        return Err(AppError::LetterSent);
    }
    let subject = validation::subject(&subject)?;
    let message = validation::message(&message)?;
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

    let mut prepared = Vec::with_capacity(recipients.len());
    for recipient in recipients {
        let transaction_id = uuid::Uuid::now_v7().to_string();
        let recipient_party = Party::new(
            recipient.name.clone(),
            recipient.id.clone(),
            recipient.email.clone(),
        );
        let base = |kind: EvidenceKind| {
            let mut evidence = state.sealer.evidence(kind, now);
            evidence.letter_id = Some(transaction_id.clone());
            evidence.subject = Some(subject.clone());
            evidence
        };
        let mut deposit = base(EvidenceKind::Deposit);
        deposit.sender = Some(sender_party.clone());
        deposit.submission_time = Some(at);
        deposit.sessions = Some(sessions.clone());
        let mut transmission = base(EvidenceKind::Transmission);
        transmission.recipient = Some(recipient_party.clone());
        let mut summary = base(EvidenceKind::LetterSummary);
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
        let mut sealed = Vec::with_capacity(3);
        for evidence in [deposit, transmission, summary] {
            let pdf = state.sealer.seal(&evidence).await.map_err(|error| {
                tracing::error!(%error, letter_id = id, "sending: sealing failed; nothing sent");
                AppError::EvidenceUnavailable
            })?;
            sealed.push((evidence, pdf));
        }
        prepared.push(Prepared {
            transaction_id,
            token: new_token(),
            recipient,
            evidence: sealed,
        });
    }

    let deadlines = Deadlines::new(now, state.legal_zone());
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    let sent = sqlx::query(
        "UPDATE letter SET status = 'sent', sent_at = $1, subject = $2, message = $3, \
         sender_name = $4, sender_email = $5, login_session_id = $6, login_time = $7, \
         otp_session_id = $8, sender_identification_id = $9, updated_at = $1 \
         WHERE id = $10 AND author_id = $11 AND status = 'draft'",
    )
    .bind(now.timestamp_millis())
    .bind(&subject)
    .bind(&message)
    .bind(&action.verified_name)
    .bind(&sender.email)
    .bind(&action.otp.login_session_id)
    .bind(sender.login_time)
    .bind(&action.otp.otp_session_id)
    .bind(&action.identification_id)
    .bind(id)
    .bind(&sender.account_id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    if sent.rows_affected() != 1 {
        return Err(AppError::LetterSent);
    }
    // Consent is checked again inside the transaction: a revocation that raced the sealing
    // wins (CONS-03).
    for item in &prepared {
        if !consent_allows(&mut *tx, &sender.account_id, &item.recipient.contact_id)
            .await
            .map_err(internal)?
        {
            return Err(AppError::ConsentRequired);
        }
    }
    let mut transaction_ids = Vec::with_capacity(prepared.len());
    for item in &prepared {
        let r = &item.recipient;
        sqlx::query(
            "INSERT INTO letter_transaction (id, letter_id, contact_id, recipient_id, \
             recipient_name, recipient_email, recipient_email_key, recipient_professional, \
             recipient_company, status, notified_at, expires_at, access_token_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'awaiting', $10, $11, $12)",
        )
        .bind(&item.transaction_id)
        .bind(id)
        .bind(&r.contact_id)
        .bind(&r.id)
        .bind(&r.name)
        .bind(&r.email)
        .bind(&r.email_key)
        .bind(i64::from(r.professional))
        .bind(r.company.clone())
        .bind(now.timestamp_millis())
        .bind(deadlines.expires_at.timestamp_millis())
        .bind(token_hash(&item.token))
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        deadlines::store_access_token(
            &mut tx,
            &item.transaction_id,
            &item.token,
            "notification",
            now,
        )
        .await
        .map_err(internal)?;
        for (evidence, pdf) in &item.evidence {
            crate::sealing::store_in(&mut tx, evidence, pdf, Some(&item.transaction_id))
                .await
                .map_err(internal)?;
        }
        let link = deadlines::reception_link(state, &item.transaction_id, &item.token);
        let email = emails::notification(
            &item.recipient.email,
            &link,
            &deadlines.last_day.to_string(),
        );
        Outbox::queue_in(&state.jobs, &mut tx, &email, now)
            .await
            .map_err(internal)?;
        schedule(state, &mut tx, &item.transaction_id, &deadlines)
            .await
            .map_err(internal)?;
        transaction_ids.push(item.transaction_id.clone());
    }
    let event = audit::Event {
        category: "letter",
        action: "sent",
        actor: Some(sender.account_id.clone()),
        details: json!({ "letter_id": id, "transactions": transaction_ids,
                         "otp_session_id": action.otp.otp_session_id,
                         "login_session_id": action.otp.login_session_id,
                         "identification_id": action.identification_id,
                         "attachments": attachments.iter().map(|a| json!({"id": a.id, "name": a.name, "sha256": a.sha256})).collect::<Vec<_>>(),
                         "ip": caller.ip, "user_agent": caller.user_agent }),
    };
    audit::record_in(&mut tx, now, &event)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    tracing::info!(letter_id = id, recipients = prepared.len(), "letter sent");
    Ok(id.to_owned())
}

/// The draft's recipients, each checked: a non-professional needs the consent (CONS-01).
async fn recipients(
    state: &AppState,
    sender_id: &str,
    letter_id: &str,
) -> Result<Vec<Recipient>, AppError> {
    let rows: Vec<(String, String, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT k.id, k.name, k.email, k.email_key, k.professional, k.company_name \
         FROM letter_recipient r JOIN contact k ON k.id = r.contact_id \
         WHERE r.letter_id = $1 AND k.owner_id = $2 ORDER BY r.position",
    )
    .bind(letter_id)
    .bind(sender_id)
    .fetch_all(state.db.pool())
    .await
    .map_err(internal)?;
    let mut recipients = Vec::with_capacity(rows.len());
    for (contact_id, name, email, email_key, professional, company) in rows {
        let professional = professional != 0;
        if !consent_allows(state.db.pool(), sender_id, &contact_id)
            .await
            .map_err(internal)?
        {
            return Err(AppError::ConsentRequired);
        }
        let id = match state.account_by_email_key(&email_key).await? {
            Some((account_id, _, _)) => account_id,
            None => contact_id.clone(),
        };
        recipients.push(Recipient {
            contact_id,
            id,
            name,
            email,
            email_key,
            professional,
            company: if professional { company } else { None },
        });
    }
    Ok(recipients)
}
