//! LET-08 (accept) and LET-09 (refuse): the identified recipient's decision, sealed, with the
//! emails it sends.

use app::api::Caller;
use app::error::AppError;
use app::letters::Reception;
use app::lifecycle::TransactionEvent;
use app::terms::DocumentKind;
use app::validation::Invalid;
use domain::ids::TransactionId;
use evidence::pades::{EvidenceKind, keys};
use serde_json::json;

use super::{Acting, session_access, view};
use crate::AppState;
use crate::audit;
use crate::deadline::Deadlines;
use crate::error::ServerError;
use crate::letters::deadlines::letter_page;
use crate::mail::Outbox;
use crate::mail::letters as emails;
use crate::store::transactions::{self, Decision};

/// The recipient accepts (`accept`) or refuses the letter of `transaction_id`, having accepted
/// the recipient terms of version `terms_version` (TERMS-01, policy §3.3): it must be the
/// version in force, and the evidence and the journal record it with its OID.
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    reception_token: Option<&str>,
    transaction_id: &TransactionId,
    accept: bool,
    terms_version: &str,
) -> Result<Reception, ServerError> {
    let terms = state
        .publication
        .get(DocumentKind::RecipientTerms, &state.legal_today());
    if terms_version != terms.version {
        return Err(Invalid::Terms.into());
    }
    let access = session_access(state, caller, reception_token, transaction_id).await?;
    let acting = Acting::of(state, caller, &access).await?;
    let record = &access.record;
    let now = state.clock.now();
    let deadlines = Deadlines::new(record.notified(), state.legal_zone());
    let (event, kind, action) = if accept {
        (
            TransactionEvent::Accept,
            EvidenceKind::Acceptance,
            "accepted",
        )
    } else {
        (TransactionEvent::Refuse, EvidenceKind::Refusal, "refused")
    };
    let next = record.status.apply(event, deadlines.is_expired(now))?;
    let evidence = acting
        .evidence(state, record, kind, now)
        .with_field(keys::TERMS_VERSION, terms.version)
        .with_field(keys::TERMS_OID, terms.oid.clone());
    let pdf = state.sealer.seal(&evidence).await?;

    let mut tx = state.db.begin().await?;
    let decision = Decision {
        id: &record.id,
        status: next,
        at: now.timestamp_millis(),
        recipient_account_id: acting.account_id.as_deref(),
        reception_id: acting.reception_id.as_deref(),
        recipient_identification_id: acting.identification_id.as_deref(),
        recipient_member_id: acting.member.as_ref().map(|m| m.id.as_str()),
    };
    if !transactions::decide(&mut tx, &decision).await? {
        return Err(AppError::AlreadyDecided.into());
    }
    crate::sealing::store_in(&mut tx, &evidence, &pdf, Some(record.id.as_str())).await?;
    let at = state.legal_time(now.timestamp_millis());
    let mut updated = record.clone();
    updated.recipient_name = acting.party.name.clone();
    // Acting for a company from their own address (policy §6.4), the person is written to there.
    if let Some(email) = &acting.party.email {
        updated.recipient_email = email.clone();
    }
    let sender_link = letter_page(state, &format!("/sent/{}", record.letter_id));
    let recipient_link = letter_page(state, &format!("/received/{}", record.id));
    let mut mails = vec![emails::decided_to_sender(
        &updated,
        &sender_link,
        &at,
        accept,
    )];
    if !accept {
        mails.push(emails::refused_to_recipient(&updated, &recipient_link, &at));
    }
    for email in &mails {
        Outbox::queue_in(&state.jobs, &mut tx, email, now).await?;
    }
    let journal = acting.journal(
        caller,
        action,
        json!({
            "transaction_id": record.id,
            "evidence_id": evidence.id,
            "terms_version": terms.version,
            "terms_oid": terms.oid,
        }),
    );
    audit::record_in(&mut tx, now, &journal).await?;
    tx.commit().await?;
    view(state, caller, reception_token, transaction_id, None).await
}
