//! The recipient's side (LET-05..LET-11, ID-03): who may see what of a received letter
//! (this file), the identity proofing at a reception for recipients without an account
//! ([`proofing`]), accepting and refusing ([`decide`]), opening an attachment ([`open`]),
//! who acts and how the evidence names them ([`acting`]), letters to a company ([`company`])
//! and reactivating a deactivated account after a proofing ([`reactivate`]).
//!
//! Who is the recipient of a transaction:
//! - the holder of an access token (the notification's or a reminder's link; only their hashes
//!   are stored, `letter_access_token`) may learn only that a letter awaits and until when
//!   (LET-05);
//! - an account holder signed in with 2FA whose (confirmed) address is the recipient's; they
//!   are identified only if their account holds a successful identity proofing (policy §4.4);
//! - anyone who passed an identity proofing at this reception (ID-03): the proofing opens a
//!   reception session (cookie `pli_reception`) of 15 minutes, which stands for the login and
//!   OTP sessions of an account holder in the evidence (AUTH-04: its id is recorded as both).
//!
//! An identified person is the **addressee** only if the verified name matches the name the
//! sender gave (`domain::identity::names_match`, eIDAS Art. 44(1)(c)) — or, for a letter to a
//! company (by its registry number), if they act for it as its legal representative or a
//! delegate verified by the service, whatever their address ([`company`], policy §6.4); they
//! reach it from their inbox. Anybody else is shown
//! plainly that the letter cannot be delivered to them, the mismatch is journaled and the
//! sender told ([`not_the_addressee`]). What the caller sees is decided by one rule,
//! `domain::visibility::recipient_sight`. Accepting, refusing and opening need the addressee
//! with a live session (AUTH-02), and the evidence names the verified identity.

mod acting;
pub(in crate::letters) mod company;
mod decide;
mod open;
mod proofing;
mod reactivate;

pub use decide::decide;
pub use open::{Download, open};
pub use proofing::proofing_start;
pub use reactivate::reactivate;

use acting::Acting;

use domain::ids::TransactionId;

use app::api::Caller;
use app::error::AppError;
use app::letters::{Reception, RecipientAuth, SenderView};
use app::lifecycle::TransactionStatus;
use domain::identity::names_match;
use domain::visibility::{RecipientSight, Viewer, recipient_sight};
use serde_json::json;

use crate::AppState;
use crate::account::principal::{Principal, VerifiedIdentity};
use crate::account::session::token_hash;
use crate::audit;
use crate::deadline::Deadlines;
use crate::error::ServerError;
use crate::identity::ProofingStatus;
use crate::identity::proofing as identity_proofing;
use crate::letters::deadlines::letter_page;
use crate::mail::Outbox;
use crate::mail::letters as emails;
use crate::store::entities::Member;
use crate::store::receptions::{self, ReceptionRecord};
use crate::store::transactions::{self, TransactionRecord};
use crate::store::{attachments, mismatches};

/// Who the caller is to a transaction.
enum Identified {
    /// Signed in with the recipient's address; `verified`: the identity a proofing of the
    /// account verified, if any (policy §4.4: only a proven account spares a proofing here).
    Account {
        principal: Principal,
        verified: Option<VerifiedIdentity>,
        /// For a letter to a company: the verified request that lets this account act for it
        /// (policy §6.4); it may then reach the letter from another address.
        member: Option<Box<Member>>,
    },
    /// Identified by a proofing at this reception.
    Reception(ReceptionRecord),
}

impl Identified {
    /// The verified name and the proofing that verified it, if any.
    fn verified(&self) -> Option<(&str, &str)> {
        match self {
            Identified::Account { verified, .. } => verified
                .as_ref()
                .map(|v| (v.name.as_str(), v.identification_id.as_str())),
            Identified::Reception(row) => row
                .verified_name
                .as_deref()
                .map(|name| (name, row.id.as_str())),
        }
    }
}

struct Access {
    record: TransactionRecord,
    identified: Option<Identified>,
    /// The latest reception proofing of this caller's reception session, if any.
    reception: Option<ReceptionRecord>,
}

impl Access {
    /// Whether the caller is proven to be the addressee (ID-03, eIDAS Art. 44(1)(c)): a
    /// verified identity whose name matches the one the sender gave, or for a letter to a
    /// company, who acts for it (policy §6.4).
    fn is_addressee(&self) -> bool {
        self.viewer() == Viewer::Addressee
    }

    /// The caller, for the visibility rule.
    fn viewer(&self) -> Viewer {
        viewer_of(
            &self.record,
            self.identified
                .as_ref()
                .and_then(Identified::verified)
                .map(|(name, _)| name),
            self.member().is_some(),
        )
    }

    /// The verified request that lets the caller act for the company the letter is for.
    fn member(&self) -> Option<&Member> {
        match &self.identified {
            Some(Identified::Account { member, .. }) => member.as_deref(),
            _ => None,
        }
    }

    /// What the caller may see of the letter now.
    fn sight(&self) -> RecipientSight {
        recipient_sight(self.record.status, self.viewer())
    }
}

/// Who a person verified as `verified_name` (if anyone), acting for the company `record` is
/// for or not (`acts_for`), is to `record`, for the visibility rule.
pub(in crate::letters) fn viewer_of(
    record: &TransactionRecord,
    verified_name: Option<&str>,
    acts_for: bool,
) -> Viewer {
    match verified_name {
        Some(name) if addressee_is(record, name, acts_for) => Viewer::Addressee,
        _ => Viewer::Unidentified,
    }
}

/// Whether a person verified as `verified_name` is the addressee of `record`: for a letter to
/// a company, a person acting for it as its legal representative or a delegate verified by
/// the service (`acts_for`, policy §6.4), whatever their name; otherwise the person the sender
/// named — a professional contact without a registry number too (eIDAS Art. 44(1)(c)).
fn addressee_is(record: &TransactionRecord, verified_name: &str, acts_for: bool) -> bool {
    if company::is_for_company(record) {
        acts_for
    } else {
        names_match(&record.recipient_name, verified_name)
    }
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
    let succeeded = reception
        .clone()
        .filter(|row| row.status == ProofingStatus::Succeeded.as_str())
        .map(Identified::Reception);
    let identified = match state.principal_if_any(caller).await? {
        // A proofing at this reception stands for the account's, which may have none.
        Some(_) if succeeded.is_some() => succeeded,
        Some(principal) => {
            let member = company::acting_for(state, &record, &principal.account_id).await?;
            if principal.email_key == record.recipient_email_key || member.is_some() {
                let verified = state.verified_identity(caller, &principal).await?;
                Some(Identified::Account {
                    principal,
                    verified,
                    member: member.map(Box::new),
                })
            } else {
                succeeded
            }
        }
        None => succeeded,
    };
    if !token_ok && identified.is_none() && reception.is_none() {
        return Err(AppError::NotFound.into());
    }
    let access = Access {
        record,
        identified,
        reception,
    };
    if let Some((name, proofing_id)) = access.identified.as_ref().and_then(Identified::verified)
        && !access.is_addressee()
    {
        not_the_addressee(state, caller, &access.record, proofing_id, name).await?;
    }
    Ok(access)
}

/// ID-03: a proofing verified somebody who is not the addressee. Nothing is delivered to them;
/// the first time for each proofing, the service journals it and tells the sender (without
/// the other person's name: it is not theirs to learn), while the letter stays awaiting within
/// its period.
async fn not_the_addressee(
    state: &AppState,
    caller: &Caller,
    record: &TransactionRecord,
    proofing_id: &str,
    verified_name: &str,
) -> Result<(), ServerError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if mismatches::record(
        &mut tx,
        record.id.as_str(),
        proofing_id,
        verified_name,
        now.timestamp_millis(),
    )
    .await?
    {
        let deadlines = Deadlines::new(record.notified(), state.legal_zone());
        if record.status == TransactionStatus::Awaiting {
            let link = letter_page(state, &format!("/sent/{}", record.letter_id));
            let email =
                emails::not_the_addressee_to_sender(record, &link, &deadlines.last_day.to_string());
            Outbox::queue_in(&state.jobs, &mut tx, &email, now).await?;
        }
        let event = audit::Event {
            category: "letter",
            action: "addressee_mismatch",
            actor: None,
            details: json!({
                "transaction_id": record.id,
                "proofing_id": proofing_id,
                "addressee": record.recipient_name,
                "verified_name": verified_name,
                "ip": caller.ip,
                "user_agent": caller.user_agent,
            }),
        };
        audit::record_in(&mut tx, now, &event).await?;
    }
    tx.commit().await?;
    Ok(())
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

/// What the caller may see of `transaction_id` as its recipient, by their session (the one
/// rule, `domain::visibility`); [`AppError::NotFound`] when they are nothing to it.
pub async fn sight(
    state: &AppState,
    caller: &Caller,
    reception_token: Option<&str>,
    transaction_id: &TransactionId,
) -> Result<RecipientSight, ServerError> {
    Ok(
        session_access(state, caller, reception_token, transaction_id)
            .await?
            .sight(),
    )
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
    let addressee = access.is_addressee();
    let auth = match (&access.identified, &access.reception) {
        (Some(identified), _) if !addressee && identified.verified().is_some() => {
            RecipientAuth::NotTheAddressee {
                verified_name: identified
                    .verified()
                    .map(|(name, _)| name.to_owned())
                    .unwrap_or_default(),
            }
        }
        (
            Some(Identified::Account {
                verified: Some(verified),
                ..
            }),
            _,
        ) => RecipientAuth::Account {
            name: verified.name.clone(),
            otp_seconds_left: match state.otp_session(caller).await {
                Ok(otp) => otp.seconds_left,
                Err(_) => 0,
            },
        },
        (
            Some(Identified::Account {
                principal,
                verified: None,
                ..
            }),
            _,
        ) => RecipientAuth::AccountUnverified {
            name: principal.name.clone(),
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
        (None, Some(row)) => RecipientAuth::ProofingFailed {
            reason: row.failure.clone(),
        },
        (None, None) => RecipientAuth::None,
    };
    let live = match &auth {
        RecipientAuth::Account {
            otp_seconds_left, ..
        } => *otp_seconds_left > 0,
        RecipientAuth::Reception { seconds_left, .. } => *seconds_left > 0,
        _ => false,
    };
    // The one rule of what the recipient may see (domain::visibility, docs/letters.md).
    let sight = access.sight();
    let (attachments, opened) = if sight.content {
        (
            super::drafts::attachments_of(state, &record.letter_id).await?,
            attachments::opened(state.db.pool(), &record.id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let by_proofing = addressee && matches!(access.identified, Some(Identified::Reception(_)));
    let account = state
        .account_by_email_key(&record.recipient_email_key)
        .await?;
    let offer_account = by_proofing
        && account
            .as_ref()
            .is_none_or(|(_, _, deactivated)| *deactivated);
    let deactivated_account = by_proofing && account.is_some_and(|(_, _, deactivated)| deactivated);
    Ok(Reception {
        company: company::label(record),
        transaction_id: record.id.to_string(),
        status: record.status,
        notified_at: state.legal_time(record.notified_at),
        expires_at: state.legal_time(record.expires_at),
        last_day: deadlines.last_day.to_string(),
        decided_at: record.decided_at.map(|ms| state.legal_time(ms)),
        can_decide: live
            && addressee
            && record.status == TransactionStatus::Awaiting
            && !deadlines.is_expired(now),
        sender: sight.sender.then(|| SenderView {
            name: record.sender_name.clone(),
            email: record.sender_email.clone(),
        }),
        subject: sight.content.then(|| record.subject.clone()),
        message: sight.content.then(|| record.message.clone()),
        attachments,
        opened,
        // LET-12 for the recipient: what the rule admits in this state (none before a
        // decision, nor after an expiry, LET-10).
        dossier: sight.dossier.is_some(),
        offer_account,
        deactivated_account,
        auth,
    })
}
