//! Legal entities (issue 13; ID-05..ID-07; policy §4.2, §4.5, §4.7; `domain::entities`).
//!
//! 1. A signed-in person asks to act for a company ([`request`]): as its legal representative
//!    or as a delegate. The request is a draft.
//! 2. They upload its documents ([`documents::upload`]): the company's extract, the extracts
//!    of the companies leading it up to a natural person, and for a delegate the power of
//!    attorney and the representative's ID (front and back). Extracts and powers of attorney
//!    must be less than 3 months old. Each upload yields its upload evidence.
//! 3. They submit it ([`submit`]): complete, and the person identified (ID-04).
//! 4. An identity-check operator approves or rejects it ([`verification`]); the person is
//!    emailed. Approval re-checks the 3-month rule and seals the verification evidence.
//! 5. A delegate's sign-in yields the representative-link evidence ([`connection`]); a legal
//!    representative may revoke a delegate ([`revoke`]).
//! 6. The power of attorney and the ID documents are purged 60 days after their upload
//!    ([`purge`]), with an evidence of the purge; their hashes stay.
//!
//! Every step is journaled (audit category `entities`).

pub mod connection;
pub mod documents;
pub mod purge;
pub mod verification;
pub mod views;

use app::api::Caller;
use app::entities::RequestForm;
use app::error::AppError;
use domain::entities::{self as rules, MemberRole, MemberStatus, Registry};
use serde_json::json;

use crate::AppState;
use crate::account::principal::Principal;
use crate::audit::{self, Event};
use crate::error::ServerError;
use crate::store::entities::{self as rows, Entity, Member, NewMember};

pub use views::organisations;

/// An event of the entities' journal.
fn event(actor: &str, action: &'static str, details: serde_json::Value) -> Event {
    Event {
        category: "entities",
        action,
        actor: Some(actor.to_owned()),
        details,
    }
}

/// Creates a draft request for the caller to act for the company of `form`.
pub async fn request(
    state: &AppState,
    caller: &Caller,
    form: &RequestForm,
) -> Result<Member, ServerError> {
    let person = state.principal(caller).await?;
    let registry = Registry::from_code(form.registry.trim()).ok_or(AppError::NotFound)?;
    let number = registry.number(&form.number)?;
    let name = rules::company_name(&form.company_name)?;
    let role = MemberRole::from_code(form.role.trim()).ok_or(AppError::NotFound)?;
    let representative_name = match role {
        MemberRole::Representative => person.name.clone(),
        MemberRole::Delegate => app::validation::name(&form.representative_name)?,
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if rows::entity_by_number(&mut *tx, registry.code(), &number)
        .await?
        .is_none()
    {
        let entity = Entity {
            id: uuid::Uuid::now_v7().to_string(),
            name,
            registry: registry.code().to_owned(),
            registry_number: number.clone(),
        };
        rows::insert_entity(&mut *tx, &entity, now.timestamp_millis()).await?;
    }
    let entity = rows::entity_by_number(&mut *tx, registry.code(), &number)
        .await?
        .ok_or_else(|| ServerError::internal("company just written"))?;
    let open = rows::members_of_account(&mut *tx, &person.account_id)
        .await?
        .into_iter()
        .any(|m| {
            m.entity_id == entity.id
                && matches!(
                    MemberStatus::from_code(&m.status),
                    Some(MemberStatus::Draft | MemberStatus::Pending | MemberStatus::Verified)
                )
        });
    if open {
        return Err(AppError::MemberExists.into());
    }
    let id = uuid::Uuid::now_v7().to_string();
    rows::insert_member(
        &mut *tx,
        &NewMember {
            id: &id,
            entity_id: &entity.id,
            account_id: &person.account_id,
            role: role.code(),
            representative_name: &representative_name,
            at: now.timestamp_millis(),
        },
    )
    .await?;
    let details = json!({
        "member_id": id,
        "entity_id": entity.id,
        "registry": entity.registry,
        "registry_number": entity.registry_number,
        "role": role.code(),
    });
    audit::record_in(
        &mut tx,
        now,
        &event(&person.account_id, "request_created", details),
    )
    .await?;
    let member = rows::member(&mut *tx, &id)
        .await?
        .ok_or_else(|| ServerError::internal("request just written"))?;
    tx.commit().await?;
    Ok(member)
}

/// The caller's own request `member_id` ([`AppError::NotFound`] for anybody else's).
async fn own(state: &AppState, person: &Principal, member_id: &str) -> Result<Member, ServerError> {
    rows::member(state.db.pool(), member_id)
        .await?
        .filter(|m| m.account_id == person.account_id)
        .ok_or_else(|| AppError::NotFound.into())
}

/// The caller's draft `member_id`: [`AppError::RequestClosed`] once submitted.
async fn own_draft(
    state: &AppState,
    person: &Principal,
    member_id: &str,
) -> Result<Member, ServerError> {
    let member = own(state, person, member_id).await?;
    if member.status != MemberStatus::Draft.code() {
        return Err(AppError::RequestClosed.into());
    }
    Ok(member)
}

/// What `member` still lacks before it can be verified: the extracts of the chain, the
/// documents of its role, the requester's identity proofing (`identification`), each as a code
/// ([`AppError::DossierIncomplete`]).
pub fn missing(member: &Member, documents: &[rows::Document], identified: bool) -> Vec<String> {
    let extracts = connection::extracts(documents);
    let mut missing = Vec::new();
    match rules::chain(&member.registry_number, &connection::links(&extracts)) {
        Ok(_) => {}
        Err(rules::ChainGap::MissingExtract(number)) => missing.push(format!("kbis:{number}")),
        Err(rules::ChainGap::Cycle(number)) => missing.push(format!("kbis:{number}")),
        Err(rules::ChainGap::TooLong) => missing.push("chain".to_owned()),
    }
    let role = MemberRole::from_code(&member.role).unwrap_or(MemberRole::Delegate);
    for kind in role.required_documents() {
        if !documents.iter().any(|d| d.kind == kind.code()) {
            missing.push(kind.code().to_owned());
        }
    }
    if !identified {
        missing.push("identification".to_owned());
    }
    missing
}

/// Whether `account_id` passed an identity proofing (ID-04).
pub async fn identified(state: &AppState, account_id: &str) -> Result<bool, ServerError> {
    Ok(
        crate::store::proofings::latest_evidence_of_account(state.db.pool(), account_id)
            .await?
            .is_some(),
    )
}

/// Checks the 3-month rule on every dated document of a request, today.
fn check_fresh(documents: &[rows::Document], today: chrono::NaiveDate) -> Result<(), ServerError> {
    for document in documents {
        if let Some(issued_on) = &document.issued_on {
            rules::fresh(rules::date(issued_on)?, today)?;
        }
    }
    Ok(())
}

/// Sends the caller's complete draft to the verification queue.
pub async fn submit(state: &AppState, caller: &Caller, member_id: &str) -> Result<(), ServerError> {
    let person = state.principal(caller).await?;
    let member = own_draft(state, &person, member_id).await?;
    let documents = rows::documents(state.db.pool(), member_id).await?;
    let missing = missing(
        &member,
        &documents,
        identified(state, &person.account_id).await?,
    );
    if !missing.is_empty() {
        return Err(AppError::DossierIncomplete { missing }.into());
    }
    let now = state.clock.now();
    check_fresh(&documents, now.date_naive())?;
    let mut tx = state.db.begin().await?;
    let moved = rows::change_status(
        &mut *tx,
        member_id,
        MemberStatus::Draft.code(),
        MemberStatus::Pending.code(),
        None,
        None,
        now.timestamp_millis(),
    )
    .await?;
    if !moved {
        return Err(AppError::RequestClosed.into());
    }
    let details = json!({ "member_id": member_id, "documents": documents.len() });
    audit::record_in(
        &mut tx,
        now,
        &event(&person.account_id, "request_submitted", details),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A verified legal representative of the company revokes its delegate `member_id`.
pub async fn revoke(state: &AppState, caller: &Caller, member_id: &str) -> Result<(), ServerError> {
    let person = state.principal(caller).await?;
    let delegate = rows::member(state.db.pool(), member_id)
        .await?
        .filter(|m| m.role == MemberRole::Delegate.code())
        .ok_or(AppError::NotFound)?;
    let represents = rows::members_of_entity(
        state.db.pool(),
        &delegate.entity_id,
        MemberStatus::Verified.code(),
    )
    .await?
    .into_iter()
    .any(|m| m.account_id == person.account_id && m.role == MemberRole::Representative.code());
    if !represents {
        return Err(AppError::NotFound.into());
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let moved = rows::change_status(
        &mut *tx,
        member_id,
        MemberStatus::Verified.code(),
        MemberStatus::Revoked.code(),
        Some(&person.account_id),
        None,
        now.timestamp_millis(),
    )
    .await?;
    if !moved {
        return Err(AppError::RequestClosed.into());
    }
    let details = json!({ "member_id": member_id, "entity_id": delegate.entity_id });
    audit::record_in(
        &mut tx,
        now,
        &event(&person.account_id, "delegate_revoked", details),
    )
    .await?;
    let email = crate::mail::entities::revoked(&delegate, &state.config.server.public_url);
    crate::mail::outbox::Outbox::queue_in(&state.jobs, &mut tx, &email, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The evidences of request `member_id` for a letter's dossier (policy §4.7): each document's
/// upload, then the verification and the representative link, as issued.
pub async fn evidences_of(state: &AppState, member_id: &str) -> Result<Vec<String>, ServerError> {
    let Some(member) = rows::member(state.db.pool(), member_id).await? else {
        return Ok(Vec::new());
    };
    let mut ids: Vec<String> = rows::documents(state.db.pool(), member_id)
        .await?
        .into_iter()
        .map(|d| d.upload_evidence_id)
        .collect();
    ids.extend(member.verification_evidence_id);
    ids.extend(member.connection_evidence_id);
    Ok(ids)
}

/// Registers the jobs of the legal entities: the 60-day purge and the representative link.
pub fn register_jobs(state: &AppState) {
    state.jobs.register(
        purge::PURGE_JOB,
        std::sync::Arc::new(purge::Purge::new(state.clone())),
    );
    state.jobs.register(
        connection::CONNECTION_JOB,
        std::sync::Arc::new(connection::Connection::new(state.clone())),
    );
}
