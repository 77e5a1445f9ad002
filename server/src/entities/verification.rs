//! The manual verification queue (ID-05, ID-06; policy §4.2, §4.3): an identity-check
//! operator reads a submitted request's documents and approves or rejects it.
//!
//! - Approval re-checks the 3-month rule (a request may have waited), then seals the
//!   verification evidence: for a delegate the power-of-attorney verification (status, the
//!   uploader, each file's name, id and hash); for a legal representative the
//!   representative-link evidence ([`super::connection`]). The person is emailed.
//! - Rejection needs a reason, emailed to the person; a delegate's rejection is sealed too
//!   (the power-of-attorney verification, status rejected).
//! - Nobody verifies their own request.

use app::api::Caller;
use app::error::AppError;
use domain::entities::{DocumentKind, MemberRole, MemberStatus};
use domain::roles::TrustedRole;
use evidence::pades::{ContentDigest, Evidence, EvidenceKind, Party, keys};
use serde_json::json;

use super::connection::link_evidence;
use super::{check_fresh, event};
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::mail::Outbox;
use crate::operators::Operator;
use crate::store::entities::{self as rows, Document, Member};

/// The longest rejection reason.
const REASON_MAX_CHARS: usize = 500;

/// The caller as an identity-check operator.
pub async fn checker(state: &AppState, caller: &Caller) -> Result<Operator, ServerError> {
    let operator = state.operator(caller).await?;
    operator.require(TrustedRole::IdentityCheckOperator)?;
    Ok(operator)
}

/// The power-of-attorney verification evidence of `member`, with `status`.
fn poa_evidence(
    state: &AppState,
    member: &Member,
    documents: &[Document],
    status: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Evidence {
    let mut evidence = state
        .sealer
        .evidence(EvidenceKind::PowerOfAttorneyVerification, at)
        .with_field(keys::VERIFICATION_STATUS, status)
        .with_field(keys::COMPANY_NAME, member.entity_name.clone());
    evidence.user = Some(Party::new(
        member.name.clone(),
        member.account_id.clone(),
        member.email.clone(),
    ));
    evidence.digests = documents
        .iter()
        .filter(|d| d.kind != DocumentKind::Kbis.code())
        .map(|d| {
            ContentDigest::sha256_hex(d.file_name.clone(), Some(d.id.clone()), d.sha256.clone())
        })
        .collect();
    evidence
}

/// Decides request `member_id`: approves it, or rejects it for `reason`.
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    member_id: &str,
    approve: bool,
    reason: &str,
) -> Result<(), ServerError> {
    let operator = checker(state, caller).await?;
    let member = rows::member(state.db.pool(), member_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if member.status != MemberStatus::Pending.code() {
        return Err(AppError::RequestClosed.into());
    }
    if member.account_id == operator.principal.account_id {
        return Err(AppError::OwnRequest.into());
    }
    let reason = domain::text::line(reason).map_err(domain::Invalid::from)?;
    if !approve && (reason.is_empty() || reason.chars().count() > REASON_MAX_CHARS) {
        return Err(AppError::ReasonRequired.into());
    }
    let documents = rows::documents(state.db.pool(), member_id).await?;
    let now = state.clock.now();
    if approve {
        check_fresh(&documents, now.date_naive())?;
    }
    let delegate = member.role == MemberRole::Delegate.code();
    // The evidences to seal: the verification (a delegate's power of attorney, approved or
    // rejected); for an approved legal representative, the representative link.
    let mut verification = None;
    let mut connection = None;
    if delegate {
        let status = if approve {
            "Vérifiée / Verified"
        } else {
            "Refusée / Rejected"
        };
        let evidence = poa_evidence(state, &member, &documents, status, now);
        let pdf = state.sealer.seal(&evidence).await?;
        verification = Some((evidence, pdf));
    } else if approve {
        let evidence = link_evidence(state, &member, &documents, &member.account_id, now);
        let pdf = state.sealer.seal(&evidence).await?;
        connection = Some((evidence, pdf));
    }
    let (to, action) = if approve {
        (MemberStatus::Verified, "request_approved")
    } else {
        (MemberStatus::Rejected, "request_rejected")
    };
    let mut tx = state.db.begin().await?;
    let moved = rows::change_status(
        &mut *tx,
        member_id,
        MemberStatus::Pending.code(),
        to.code(),
        Some(&operator.principal.account_id),
        (!approve).then_some(reason.as_str()),
        now.timestamp_millis(),
    )
    .await?;
    if !moved {
        return Err(AppError::RequestClosed.into());
    }
    for (evidence, pdf) in verification.iter().chain(connection.iter()) {
        crate::sealing::store_in(&mut tx, evidence, pdf, None).await?;
    }
    rows::set_evidence(
        &mut *tx,
        member_id,
        verification.as_ref().map(|(e, _)| e.id.as_str()),
        connection.as_ref().map(|(e, _)| e.id.as_str()),
    )
    .await?;
    let details = json!({
        "member_id": member_id,
        "account_id": member.account_id,
        "entity_id": member.entity_id,
        "reason": (!approve).then_some(&reason),
        "verification_evidence_id": verification.as_ref().map(|(e, _)| &e.id),
        "connection_evidence_id": connection.as_ref().map(|(e, _)| &e.id),
    });
    audit::record_in(
        &mut tx,
        now,
        &event(&operator.principal.account_id, action, details),
    )
    .await?;
    let base = &state.config.server.public_url;
    let email = if approve {
        crate::mail::entities::approved(&member, base)
    } else {
        crate::mail::entities::rejected(&member, &reason, base)
    };
    Outbox::queue_in(&state.jobs, &mut tx, &email, now).await?;
    tx.commit().await?;
    Ok(())
}
