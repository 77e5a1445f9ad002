//! The recipient's side (LET-05..LET-11, ID-03): who may see what of a received letter
//! (this file), the identity proofing at a reception for recipients without an account
//! ([`proofing`]), accepting and refusing ([`decide`]), opening an attachment ([`open`]) and
//! reactivating a deactivated account after a proofing ([`reactivate`]).
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

mod decide;
mod open;
mod proofing;
mod reactivate;

pub use decide::decide;
pub use open::{Download, open};
pub use proofing::proofing_start;
pub use reactivate::reactivate;

use domain::ids::TransactionId;
use std::time::SystemTime;

use app::api::Caller;
use app::error::AppError;
use app::letters::{Reception, RecipientAuth, SenderView};
use app::lifecycle::TransactionStatus;
use chrono::{DateTime, Utc};
use domain::time::rfc3339;
use evidence::pades::{Evidence, EvidenceKind, Party, Sessions};
use serde_json::json;

use crate::AppState;
use crate::account::principal::Principal;
use crate::account::session::token_hash;
use crate::audit;
use crate::deadline::Deadlines;
use crate::error::ServerError;
use crate::identity::ProofingStatus;
use crate::identity::proofing as identity_proofing;
use crate::store::attachments;
use crate::store::receptions::{self, ReceptionRecord};
use crate::store::transactions::{self, TransactionRecord};

/// Who the caller is to a transaction.
enum Identified {
    /// Signed in with the recipient's account.
    Account(Principal),
    /// Identified by a proofing at this reception.
    Reception(ReceptionRecord),
}

struct Access {
    record: TransactionRecord,
    identified: Option<Identified>,
    /// The latest reception proofing of this caller's reception session, if any.
    reception: Option<ReceptionRecord>,
}

/// The transaction `id`, or [`AppError::NotFound`]; a transaction whose recipient is not
/// notified (yet, or ever: issue 10) is not found either: the recipient has nothing.
async fn transaction(
    state: &AppState,
    id: &TransactionId,
) -> Result<TransactionRecord, ServerError> {
    Ok(transactions::load(state.db.pool(), id)
        .await?
        .filter(|record| record.status.is_notified())
        .ok_or(AppError::NotFound)?)
}

/// Whether `token` is one of the access tokens of `transaction_id`.
async fn token_opens(
    state: &AppState,
    transaction_id: &TransactionId,
    token: &str,
) -> Result<bool, ServerError> {
    Ok(transactions::has_access_token(state.db.pool(), transaction_id, &token_hash(token)).await?)
}

async fn reception_row(
    state: &AppState,
    transaction_id: &TransactionId,
    session_token: Option<&str>,
) -> Result<Option<ReceptionRecord>, ServerError> {
    let Some(session_token) = session_token else {
        return Ok(None);
    };
    Ok(receptions::of_session(
        state.db.pool(),
        transaction_id.as_str(),
        &token_hash(session_token),
    )
    .await?)
}

/// What the caller is to `transaction_id`; [`AppError::NotFound`] when nothing (the same
/// answer as for a transaction that does not exist).
async fn access(
    state: &AppState,
    caller: &Caller,
    reception_token: Option<&str>,
    transaction_id: &TransactionId,
    token: Option<&str>,
) -> Result<Access, ServerError> {
    let record = transaction(state, transaction_id).await?;
    let token_ok = match token {
        Some(token) => token_opens(state, transaction_id, token).await?,
        None => false,
    };
    let mut reception = reception_row(state, transaction_id, reception_token).await?;
    if let Some(row) = &reception
        && row.status == ProofingStatus::Pending.as_str()
    {
        identity_proofing::poll(
            state,
            caller,
            &identity_proofing::reception_purpose(&record),
            &row.id,
            &row.provider_session_id,
        )
        .await?;
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
        return Err(AppError::NotFound.into());
    }
    Ok(Access {
        record,
        identified,
        reception,
    })
}

/// What the caller is to `transaction_id` without a link's token: the recipient's session
/// (account or reception) must say it.
async fn session_access(
    state: &AppState,
    caller: &Caller,
    reception_token: Option<&str>,
    transaction_id: &TransactionId,
) -> Result<Access, ServerError> {
    access(state, caller, reception_token, transaction_id, None).await
}

/// The recipient's view of a transaction.
pub async fn view(
    state: &AppState,
    caller: &Caller,
    reception_token: Option<&str>,
    transaction_id: &TransactionId,
    token: Option<&str>,
) -> Result<Reception, ServerError> {
    let access = access(state, caller, reception_token, transaction_id, token).await?;
    present(state, caller, access).await
}

async fn present(
    state: &AppState,
    caller: &Caller,
    access: Access,
) -> Result<Reception, ServerError> {
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
        (
            super::drafts::attachments_of(state, &record.letter_id).await?,
            attachments::opened(state.db.pool(), &record.id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
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
    Ok(Reception {
        transaction_id: record.id.to_string(),
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

/// The identified recipient acting with a live session, as the evidence and the journal
/// record them.
struct Acting {
    party: Party,
    sessions: Sessions,
    account_id: Option<String>,
    reception_id: Option<String>,
}

impl Acting {
    /// The identified recipient of `access` with a live session, or why they may not act.
    async fn of(state: &AppState, caller: &Caller, access: &Access) -> Result<Acting, ServerError> {
        let record = &access.record;
        match &access.identified {
            Some(Identified::Account(principal)) => {
                let otp = state.otp_session(caller).await?;
                let login_time = DateTime::<Utc>::from_timestamp_millis(principal.login_time)
                    .unwrap_or_default()
                    .into();
                Ok(Acting {
                    party: Party::new(
                        principal.name.clone(),
                        record.recipient_id.clone(),
                        record.recipient_email.clone(),
                    ),
                    sessions: Sessions {
                        login_session_id: otp.login_session_id,
                        login_time,
                        otp_session_id: otp.otp_session_id,
                    },
                    account_id: Some(principal.account_id.clone()),
                    reception_id: None,
                })
            }
            Some(Identified::Reception(row)) => {
                let now = state.clock.device_now().timestamp_millis();
                if row.session_expires_at.is_none_or(|end| now >= end) {
                    // The reception session is over: identify again (ID-03).
                    return Err(AppError::OtpSessionRequired.into());
                }
                let login_time: SystemTime =
                    DateTime::<Utc>::from_timestamp_millis(row.finished_at.unwrap_or(now))
                        .unwrap_or_default()
                        .into();
                let session_id = format!("reception:{}", row.id);
                Ok(Acting {
                    party: Party::new(
                        row.verified_name.clone().unwrap_or_default(),
                        record.recipient_id.clone(),
                        record.recipient_email.clone(),
                    ),
                    sessions: Sessions {
                        login_session_id: session_id.clone(),
                        login_time,
                        otp_session_id: session_id,
                    },
                    account_id: None,
                    reception_id: Some(row.id.clone()),
                })
            }
            None => Err(AppError::SignInRequired.into()),
        }
    }

    /// An evidence of `kind` about `record`, with the recipient and their sessions.
    fn evidence(
        &self,
        state: &AppState,
        record: &TransactionRecord,
        kind: EvidenceKind,
        at: DateTime<Utc>,
    ) -> Evidence {
        let mut evidence = state.sealer.evidence(kind, at);
        evidence.letter_id = Some(record.id.to_string());
        evidence.subject = Some(record.subject.clone());
        evidence.recipient = Some(self.party.clone());
        evidence.sessions = Some(self.sessions.clone());
        evidence
    }

    /// The journal entry of what the recipient did (`letter`/`action`), with `details`.
    fn journal(
        &self,
        caller: &Caller,
        action: &'static str,
        mut details: serde_json::Value,
    ) -> audit::Event {
        details["reception_id"] = json!(self.reception_id);
        details["ip"] = json!(caller.ip);
        details["user_agent"] = json!(caller.user_agent);
        audit::Event {
            category: "letter",
            action,
            actor: self.account_id.clone(),
            details,
        }
    }
}
