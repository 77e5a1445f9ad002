//! The identified recipient acting on a letter — accepting, refusing, opening — with a live
//! session: who they are in the evidence and the journal.

use std::time::SystemTime;

use app::api::Caller;
use app::error::AppError;
use chrono::{DateTime, Utc};
use evidence::pades::{Evidence, EvidenceKind, Party, Sessions};
use serde_json::json;

use super::{Access, Identified, addressee_is, company};
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::store::entities::Member;
use crate::store::transactions::TransactionRecord;

/// The identified recipient acting with a live session, as the evidence and the journal
/// record them.
pub(super) struct Acting {
    pub(super) party: Party,
    pub(super) sessions: Sessions,
    pub(super) account_id: Option<String>,
    pub(super) reception_id: Option<String>,
    /// The account's proofing that identified them (a reception proofing is `reception_id`).
    pub(super) identification_id: Option<String>,
    /// The request letting them act for the company the letter is for (policy §6.4).
    pub(super) member: Option<Member>,
}

impl Acting {
    /// The identified recipient of `access` with a live session, or why they may not act.
    pub(super) async fn of(
        state: &AppState,
        caller: &Caller,
        access: &Access,
    ) -> Result<Acting, ServerError> {
        let record = &access.record;
        match &access.identified {
            Some(Identified::Account { .. }) => {
                // AUTH-02 and ID-03: a live OTP session and a proven identity, the addressee's.
                let (principal, qualified) = state.qualified(caller).await?;
                let member = access.member().cloned();
                if !addressee_is(record, &qualified.verified_name, member.is_some()) {
                    return Err(AppError::NotTheAddressee.into());
                }
                // Acting for a company, the person is named by their own account and address,
                // and their representative link is sealed now if their sign-in's job has not.
                let (id, email) = match &member {
                    Some(member) => {
                        crate::entities::connection::acting_for(
                            state,
                            &principal.account_id,
                            &member.id,
                        )
                        .await?;
                        (principal.account_id.clone(), principal.email.clone())
                    }
                    None => (record.recipient_id.clone(), record.recipient_email.clone()),
                };
                let otp = qualified.otp;
                let login_time = DateTime::<Utc>::from_timestamp_millis(principal.login_time)
                    .unwrap_or_default()
                    .into();
                Ok(Acting {
                    party: Party::new(qualified.verified_name, id, email),
                    sessions: Sessions {
                        login_session_id: otp.login_session_id,
                        login_time,
                        otp_session_id: otp.otp_session_id,
                    },
                    account_id: Some(principal.account_id.clone()),
                    reception_id: None,
                    identification_id: Some(qualified.identification_id),
                    member,
                })
            }
            Some(Identified::Reception(row)) => {
                if !access.is_addressee() {
                    return Err(AppError::NotTheAddressee.into());
                }
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
                    identification_id: None,
                    member: None,
                })
            }
            None => Err(AppError::SignInRequired.into()),
        }
    }

    /// An evidence of `kind` about `record`, with the recipient and their sessions.
    pub(super) fn evidence(
        &self,
        state: &AppState,
        record: &TransactionRecord,
        kind: EvidenceKind,
        at: DateTime<Utc>,
    ) -> Evidence {
        let mut evidence = state.sealer.evidence(kind, at);
        evidence.letter_id = Some(record.id.to_string());
        // A refused letter is not delivered: its refusal evidence, which the recipient keeps,
        // does not name its subject (LET-09, domain::visibility).
        if kind != EvidenceKind::Refusal {
            evidence.subject = Some(record.subject.clone());
        }
        evidence.recipient = Some(self.party.clone());
        evidence.sessions = Some(self.sessions.clone());
        match &self.member {
            Some(member) => company::name_in(evidence, member),
            None => evidence,
        }
    }

    /// The journal entry of what the recipient did (`letter`/`action`), with `details`.
    pub(super) fn journal(
        &self,
        caller: &Caller,
        action: &'static str,
        mut details: serde_json::Value,
    ) -> audit::Event {
        details["reception_id"] = json!(self.reception_id);
        details["member_id"] = json!(self.member.as_ref().map(|m| &m.id));
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
