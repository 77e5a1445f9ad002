//! The recipient's side (LET-05..LET-11, ID-03): who may see what of a received letter, the
//! identity proofing at a reception for recipients without an account, accepting, refusing and
//! opening.
//!
//! Who is the recipient of a transaction:
//! - the holder of an access token (the notification's or a reminder's link; only their hashes
//!   are stored, `letter_access_token`) may learn only that a letter awaits and until when
//!   (LET-05);
//! - an account holder signed in with 2FA whose (confirmed) address is the recipient's;
//! - anyone who passed an identity proofing at this reception (ID-03): the proofing opens a
//!   reception session (cookie `pli_reception`) of 15 minutes, which stands for the login and
//!   OTP sessions of an account holder in the evidence (AUTH-04: its id is recorded as both).
//!
//! A decision needs an identified recipient with a live session (AUTH-02).

use std::time::SystemTime;

use app::api::{Caller, WithCookie};
use app::error::AppError;
use app::letters::{Attachment, Reception, RecipientAuth, SenderView};
use app::lifecycle::{TransactionEvent, TransactionStatus, TransitionError};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use evidence::pades::{ContentDigest, EvidenceKind, Party, Sessions};
use serde_json::json;

use super::deadlines::letter_page;
use super::record::{self, TransactionRecord};
use super::{emails, rfc3339};
use crate::AppState;
use crate::account::principal::Principal;
use crate::account::session::token_hash;
use crate::audit;
use crate::deadline::Deadlines;
use crate::identity::ProofingStatus;
use crate::identity::proofing;
use crate::mailer::Outbox;
use crate::services::internal;
use crate::store::receptions::{self, ReceptionRecord};

/// A reception proofing row.
type ReceptionRow = ReceptionRecord;

/// Who the caller is to a transaction.
enum Identified {
    /// Signed in with the recipient's account.
    Account(Principal),
    /// Identified by a proofing at this reception.
    Reception(ReceptionRow),
}

struct Access {
    record: TransactionRecord,
    /// The caller holds one of the transaction's access tokens (notification or reminder link).
    token_ok: bool,
    identified: Option<Identified>,
    /// The latest reception proofing of this caller's reception session, if any.
    reception: Option<ReceptionRow>,
}

async fn reception_row(
    state: &AppState,
    transaction_id: &str,
    session_token: Option<&str>,
) -> Result<Option<ReceptionRow>, AppError> {
    let Some(session_token) = session_token else {
        return Ok(None);
    };
    receptions::of_session(state.db.pool(), transaction_id, &token_hash(session_token))
        .await
        .map_err(internal)
}

/// What the caller is to `transaction_id`; [`AppError::NotFound`] when nothing (the same
/// answer as for a transaction that does not exist).
async fn access(
    state: &AppState,
    caller: &Caller,
    reception_token: Option<&str>,
    transaction_id: &str,
    token: Option<&str>,
) -> Result<Access, AppError> {
    let record = record::load(state.db.pool(), transaction_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let token_ok = match token {
        Some(token) => super::deadlines::access_token_opens(state.db.pool(), transaction_id, token)
            .await
            .map_err(internal)?,
        None => false,
    };
    let mut reception = reception_row(state, transaction_id, reception_token).await?;
    if let Some(row) = &reception
        && row.status == ProofingStatus::Pending.as_str()
    {
        proofing::poll(
            state,
            caller,
            &proofing::reception_purpose(&record),
            &row.id,
            &row.provider_session_id,
        )
        .await
        .map_err(AppError::from)?;
        reception = reception_row(state, transaction_id, reception_token).await?;
    }
    let identified = match state.principal_if_any(caller).await? {
        Some(principal) if principal.email_key == record.recipient_email_key => {
            Some(Identified::Account(principal))
        }
        _ => reception
            .clone()
            .filter(|row| row.status == ProofingStatus::Succeeded.as_str())
            .map(Identified::Reception),
    };
    if !token_ok && identified.is_none() && reception.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(Access {
        record,
        token_ok,
        identified,
        reception,
    })
}

/// The recipient's view of a transaction.
pub async fn view(
    state: &AppState,
    caller: Caller,
    reception_token: Option<String>,
    transaction_id: &str,
    token: Option<String>,
) -> Result<Reception, AppError> {
    let access = access(
        state,
        &caller,
        reception_token.as_deref(),
        transaction_id,
        token.as_deref(),
    )
    .await?;
    present(state, &caller, access).await
}

async fn present(state: &AppState, caller: &Caller, access: Access) -> Result<Reception, AppError> {
    let now = state.clock.now();
    let now_ms = state.clock.device_now().timestamp_millis();
    let record = &access.record;
    let deadlines = Deadlines::new(record.notified(), state.legal_zone());
    let auth = match (&access.identified, &access.reception) {
        (Some(Identified::Account(principal)), _) => RecipientAuth::Account {
            name: principal.name.clone(),
            otp_seconds_left: match state.otp_session(caller).await {
                Ok(otp) => otp.seconds_left,
                Err(_) => 0,
            },
        },
        (Some(Identified::Reception(row)), _) => RecipientAuth::Reception {
            verified_name: row.verified_name.clone().unwrap_or_default(),
            seconds_left: row
                .session_expires_at
                .map_or(0, |end| ((end - now_ms) / 1000).max(0)),
        },
        (None, Some(row)) if row.status == ProofingStatus::Pending.as_str() => {
            RecipientAuth::ProofingPending
        }
        (None, Some(_)) => RecipientAuth::ProofingFailed,
        (None, None) => RecipientAuth::None,
    };
    let live = match &auth {
        RecipientAuth::Account {
            otp_seconds_left, ..
        } => *otp_seconds_left > 0,
        RecipientAuth::Reception { seconds_left, .. } => *seconds_left > 0,
        _ => false,
    };
    let identified = access.identified.is_some();
    let sees_content = identified && record.status.recipient_sees_content();
    let (attachments, opened) = if sees_content {
        let opened: Vec<(String,)> = sqlx::query_as(
            "SELECT attachment_id FROM attachment_opening WHERE transaction_id = $1",
        )
        .bind(&record.id)
        .fetch_all(state.db.pool())
        .await
        .map_err(internal)?;
        (
            super::drafts::attachments_of(state, &record.letter_id).await?,
            opened.into_iter().map(|(id,)| id).collect(),
        )
    } else {
        (Vec::<Attachment>::new(), Vec::new())
    };
    let by_proofing = matches!(access.identified, Some(Identified::Reception(_)));
    let account = state
        .account_by_email_key(&record.recipient_email_key)
        .await?;
    let offer_account = by_proofing
        && account
            .as_ref()
            .is_none_or(|(_, _, deactivated)| *deactivated);
    let deactivated_account = by_proofing && account.is_some_and(|(_, _, deactivated)| deactivated);
    let _ = access.token_ok;
    Ok(Reception {
        transaction_id: record.id.clone(),
        status: record.status,
        notified_at: rfc3339(record.notified_at),
        expires_at: rfc3339(record.expires_at),
        last_day: deadlines.last_day.to_string(),
        decided_at: record.decided_at.map(rfc3339),
        can_decide: live
            && record.status == TransactionStatus::Awaiting
            && !deadlines.is_expired(now),
        sender: (identified && record.status.recipient_sees_sender()).then(|| SenderView {
            name: record.sender_name.clone(),
            email: record.sender_email.clone(),
        }),
        subject: sees_content.then(|| record.subject.clone()),
        message: sees_content.then(|| record.message.clone()),
        attachments,
        opened,
        // LET-12 for the recipient, once identified and once they decided: before that the
        // evidence would disclose the sender and subject (LET-05); after an expiry the
        // recipient may no longer see the letter's details (LET-10).
        dossier: identified
            && matches!(
                record.status,
                TransactionStatus::Accepted | TransactionStatus::Refused
            ),
        offer_account,
        deactivated_account,
        auth,
    })
}

/// ID-03: starts an identity proofing for this reception (the link's token is required).
pub async fn proofing_start(
    state: &AppState,
    caller: Caller,
    transaction_id: &str,
    token: &str,
) -> Result<WithCookie<String>, AppError> {
    let record = record::load(state.db.pool(), transaction_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    if !super::deadlines::access_token_opens(state.db.pool(), transaction_id, token)
        .await
        .map_err(internal)?
    {
        return Err(AppError::NotFound);
    }
    let public_url = state.config.server.public_url.trim_end_matches('/');
    let started = proofing::start(
        state,
        &caller,
        &proofing::reception_purpose(&record),
        |id| format!("{public_url}/received/{transaction_id}?t={token}&proofing={id}"),
    )
    .await?;
    let session_token = started.session_token.unwrap_or_default();
    let secure = if state.config.server.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    Ok(WithCookie {
        value: started.redirect_url,
        set_cookie: Some(format!(
            "{}={session_token}; HttpOnly; SameSite=Lax; Path=/{secure}",
            app::letters::RECEPTION_COOKIE
        )),
    })
}

/// The identified recipient with a live session, and what the evidence records of it.
async fn acting_recipient(
    state: &AppState,
    caller: &Caller,
    access: &Access,
) -> Result<(Party, Sessions, Option<String>, Option<String>), AppError> {
    let record = &access.record;
    match &access.identified {
        Some(Identified::Account(principal)) => {
            let otp = state.otp_session(caller).await?;
            let login_time = DateTime::<Utc>::from_timestamp_millis(principal.login_time)
                .unwrap_or_default()
                .into();
            Ok((
                Party::new(
                    principal.name.clone(),
                    record.recipient_id.clone(),
                    record.recipient_email.clone(),
                ),
                Sessions {
                    login_session_id: otp.login_session_id,
                    login_time,
                    otp_session_id: otp.otp_session_id,
                },
                Some(principal.account_id.clone()),
                None,
            ))
        }
        Some(Identified::Reception(row)) => {
            let now = state.clock.device_now().timestamp_millis();
            if row.session_expires_at.is_none_or(|end| now >= end) {
                // The reception session is over: identify again (ID-03).
                return Err(AppError::OtpSessionRequired);
            }
            let login_time: SystemTime =
                DateTime::<Utc>::from_timestamp_millis(row.finished_at.unwrap_or(now))
                    .unwrap_or_default()
                    .into();
            let session_id = format!("reception:{}", row.id);
            Ok((
                Party::new(
                    row.verified_name.clone().unwrap_or_default(),
                    record.recipient_id.clone(),
                    record.recipient_email.clone(),
                ),
                Sessions {
                    login_session_id: session_id.clone(),
                    login_time,
                    otp_session_id: session_id,
                },
                None,
                Some(row.id.clone()),
            ))
        }
        None => Err(AppError::SignInRequired),
    }
}

fn transition_error(error: TransitionError) -> AppError {
    match error {
        TransitionError::AlreadyDecided => AppError::AlreadyDecided,
        TransitionError::PeriodOver | TransitionError::PeriodNotOver => AppError::PeriodOver,
        TransitionError::NotAccepted => AppError::NotAccepted,
    }
}

/// LET-08 (accept) or LET-09 (refuse).
pub async fn decide(
    state: &AppState,
    caller: Caller,
    reception_token: Option<String>,
    transaction_id: &str,
    accept: bool,
) -> Result<Reception, AppError> {
    let access = access(
        state,
        &caller,
        reception_token.as_deref(),
        transaction_id,
        None,
    )
    .await?;
    let (recipient, sessions, account_id, reception_id) =
        acting_recipient(state, &caller, &access).await?;
    let record = &access.record;
    let now = state.clock.now();
    let deadlines = Deadlines::new(record.notified(), state.legal_zone());
    let event = if accept {
        TransactionEvent::Accept
    } else {
        TransactionEvent::Refuse
    };
    let next = record
        .status
        .apply(event, deadlines.is_expired(now))
        .map_err(transition_error)?;
    let kind = if accept {
        EvidenceKind::Acceptance
    } else {
        EvidenceKind::Refusal
    };
    let mut evidence = state.sealer.evidence(kind, now);
    evidence.letter_id = Some(record.id.clone());
    evidence.subject = Some(record.subject.clone());
    evidence.recipient = Some(recipient.clone());
    evidence.sessions = Some(sessions);
    let pdf = state
        .sealer
        .seal(&evidence)
        .await
        .map_err(|_| AppError::EvidenceUnavailable)?;
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    let decided = sqlx::query(
        "UPDATE letter_transaction SET status = $1, decided_at = $2, recipient_account_id = $3, \
         reception_id = $4 WHERE id = $5 AND status = 'awaiting' AND expires_at > $2",
    )
    .bind(next.code())
    .bind(now.timestamp_millis())
    .bind(account_id.clone())
    .bind(reception_id.clone())
    .bind(&record.id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    if decided.rows_affected() != 1 {
        return Err(AppError::AlreadyDecided);
    }
    crate::sealing::store_in(&mut tx, &evidence, &pdf, Some(&record.id))
        .await
        .map_err(internal)?;
    let at = rfc3339(now.timestamp_millis());
    let mut updated = record.clone();
    updated.recipient_name = recipient.name.clone();
    let sender_link = letter_page(state, &format!("/sent/{}", record.letter_id));
    let recipient_link = letter_page(state, &format!("/received/{}", record.id));
    let mails = if accept {
        vec![emails::accepted_to_sender(&updated, &sender_link, &at)]
    } else {
        vec![
            emails::refused_to_sender(&updated, &sender_link, &at),
            emails::refused_to_recipient(&updated, &recipient_link, &at),
        ]
    };
    for email in &mails {
        Outbox::queue_in(&state.jobs, &mut tx, email, now)
            .await
            .map_err(internal)?;
    }
    let journal = audit::Event {
        category: "letter",
        action: if accept { "accepted" } else { "refused" },
        actor: account_id.clone(),
        details: json!({ "transaction_id": record.id, "evidence_id": evidence.id,
                         "reception_id": reception_id, "ip": caller.ip,
                         "user_agent": caller.user_agent }),
    };
    audit::record_in(&mut tx, now, &journal)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    view(state, caller, reception_token, transaction_id, None).await
}

/// LET-11: the recipient downloads an attachment of an accepted letter (the first download of
/// each attachment yields an opening evidence), or the sender downloads one of their letter.
pub async fn open(
    state: &AppState,
    caller: Caller,
    reception_token: Option<String>,
    transaction_id: &str,
    attachment_id: &str,
) -> Result<Response, AppError> {
    let record = record::load(state.db.pool(), transaction_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let attachment: Option<(String, String, String, i64, String)> = sqlx::query_as(
        "SELECT name, media_type, sha256, size, storage_key FROM attachment \
         WHERE id = $1 AND letter_id = $2",
    )
    .bind(attachment_id)
    .bind(&record.letter_id)
    .fetch_optional(state.db.pool())
    .await
    .map_err(internal)?;
    let (name, media_type, sha256, size, key) = attachment.ok_or(AppError::NotFound)?;
    let is_sender = state
        .principal_if_any(&caller)
        .await?
        .is_some_and(|p| p.account_id == record.author_id);
    if !is_sender {
        let access = access(
            state,
            &caller,
            reception_token.as_deref(),
            transaction_id,
            None,
        )
        .await?;
        if access.identified.is_none() {
            return Err(AppError::NotFound);
        }
        record
            .status
            .apply(TransactionEvent::Open, false)
            .map_err(transition_error)?;
        let (recipient, sessions, account_id, reception_id) =
            acting_recipient(state, &caller, &access).await?;
        let seen: Option<(String,)> = sqlx::query_as(
            "SELECT evidence_id FROM attachment_opening WHERE transaction_id = $1 AND attachment_id = $2",
        )
        .bind(transaction_id)
        .bind(attachment_id)
        .fetch_optional(state.db.pool())
        .await
        .map_err(internal)?;
        let now = state.clock.now();
        if seen.is_none() {
            let mut evidence = state.sealer.evidence(EvidenceKind::Opening, now);
            evidence.letter_id = Some(record.id.clone());
            evidence.subject = Some(record.subject.clone());
            evidence.recipient = Some(recipient);
            evidence.sessions = Some(sessions);
            evidence.digests = vec![ContentDigest::sha256_hex(
                name.clone(),
                Some(attachment_id.to_owned()),
                sha256.clone(),
            )];
            let pdf = state
                .sealer
                .seal(&evidence)
                .await
                .map_err(|_| AppError::EvidenceUnavailable)?;
            let mut tx = state.db.pool().begin().await.map_err(internal)?;
            let first = sqlx::query(
                "INSERT INTO attachment_opening (transaction_id, attachment_id, opened_at, evidence_id) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (transaction_id, attachment_id) DO NOTHING",
            )
            .bind(transaction_id)
            .bind(attachment_id)
            .bind(now.timestamp_millis())
            .bind(&evidence.id)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
            if first.rows_affected() == 1 {
                crate::sealing::store_in(&mut tx, &evidence, &pdf, Some(&record.id))
                    .await
                    .map_err(internal)?;
                sqlx::query(
                    "UPDATE letter_transaction SET opened_at = $1 WHERE id = $2 AND opened_at IS NULL",
                )
                .bind(now.timestamp_millis())
                .bind(transaction_id)
                .execute(&mut *tx)
                .await
                .map_err(internal)?;
            }
            tx.commit().await.map_err(internal)?;
        }
        let journal = audit::Event {
            category: "letter",
            action: "attachment_downloaded",
            actor: account_id,
            details: json!({ "transaction_id": transaction_id, "attachment_id": attachment_id,
                             "reception_id": reception_id, "ip": caller.ip,
                             "user_agent": caller.user_agent }),
        };
        audit::record(&state.db, now, &journal)
            .await
            .map_err(internal)?;
    }
    let file = tokio::fs::File::open(super::storage::path(&state.config, &key))
        .await
        .map_err(internal)?;
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let disposition = content_disposition(&name);
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, media_type),
            (axum::http::header::CONTENT_LENGTH, size.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
            (
                axum::http::HeaderName::from_static(app::letters::SHA256_HEADER),
                sha256,
            ),
        ],
        body,
    )
        .into_response())
}

/// `attachment; filename="..."; filename*=UTF-8''...` (RFC 6266).
pub(crate) fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// ACC-02 (3): the recipient identified by a proofing at this reception (with a live reception
/// session) reactivates the deactivated account of the recipient's address.
pub async fn reactivate(
    state: &AppState,
    caller: Caller,
    reception_token: Option<String>,
    transaction_id: &str,
) -> Result<Reception, AppError> {
    let access = access(
        state,
        &caller,
        reception_token.as_deref(),
        transaction_id,
        None,
    )
    .await?;
    let Some(Identified::Reception(row)) = &access.identified else {
        return Err(AppError::IdentityProofingRequired);
    };
    let now = state.clock.device_now().timestamp_millis();
    if row.session_expires_at.is_none_or(|end| now >= end) {
        return Err(AppError::IdentityProofingRequired);
    }
    let (account_id, _, deactivated) = state
        .account_by_email_key(&access.record.recipient_email_key)
        .await?
        .ok_or(AppError::NotFound)?;
    if deactivated {
        crate::account::reactivate_after_reception_proofing(state, &caller, &account_id).await?;
    }
    view(state, caller, reception_token, transaction_id, None).await
}
