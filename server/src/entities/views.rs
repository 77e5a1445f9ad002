//! What the companies page and the verification queue show (`app::entities`).

use app::api::Caller;
use app::entities::{DocumentView, MemberView, Organisations};
use domain::entities::{MemberRole, MemberStatus, Registry};
use domain::time::rfc3339;

use super::{identified, missing};
use crate::AppState;
use crate::error::ServerError;
use crate::store::entities::{self as rows, Document, Member};

pub fn document_view(document: Document) -> DocumentView {
    let company = document.company_number.as_deref().map(|number| {
        let registry = document
            .company_registry
            .as_deref()
            .and_then(Registry::from_code)
            .unwrap_or(Registry::France);
        format!(
            "{} ({})",
            document.company_name.clone().unwrap_or_default(),
            registry.display(number)
        )
    });
    DocumentView {
        id: document.id,
        kind: document.kind,
        file_name: document.file_name,
        size: document.size,
        sha256: document.sha256,
        issued_on: document.issued_on,
        company,
        led_by: document.led_by_number,
        uploaded_at: rfc3339(document.uploaded_at),
        upload_evidence_id: document.upload_evidence_id,
        purged: document.purged_at.is_some(),
    }
}

/// A request as the pages show it.
pub async fn member_view(state: &AppState, member: Member) -> Result<MemberView, ServerError> {
    let documents = rows::documents(state.db.pool(), &member.id).await?;
    let identified = identified(state, &member.account_id).await?;
    let missing = if member.status == MemberStatus::Draft.code() {
        missing(&member, &documents, identified)
    } else {
        Vec::new()
    };
    let registry = Registry::from_code(&member.registry).unwrap_or(Registry::France);
    Ok(MemberView {
        registry_number: registry.display(&member.registry_number),
        id: member.id,
        entity_name: member.entity_name,
        role: member.role,
        representative_name: member.representative_name,
        status: member.status,
        reason: member.reason,
        person_name: member.name,
        person_email: member.email,
        identified,
        created_at: rfc3339(member.created_at),
        submitted_at: member.submitted_at.map(rfc3339),
        documents: documents.into_iter().map(document_view).collect(),
        missing,
        verification_evidence_id: member.verification_evidence_id,
        connection_evidence_id: member.connection_evidence_id,
    })
}

/// The caller's requests, and the delegates of the companies they represent.
pub async fn organisations(
    state: &AppState,
    caller: &Caller,
) -> Result<Organisations, ServerError> {
    let person = state.principal(caller).await?;
    let mine = rows::members_of_account(state.db.pool(), &person.account_id).await?;
    let mut delegates = Vec::new();
    for member in &mine {
        if member.role != MemberRole::Representative.code()
            || member.status != MemberStatus::Verified.code()
        {
            continue;
        }
        for delegate in rows::members_of_entity(
            state.db.pool(),
            &member.entity_id,
            MemberStatus::Verified.code(),
        )
        .await?
        {
            if delegate.role == MemberRole::Delegate.code() {
                delegates.push(member_view(state, delegate).await?);
            }
        }
    }
    let mut requests = Vec::with_capacity(mine.len());
    for member in mine {
        requests.push(member_view(state, member).await?);
    }
    Ok(Organisations {
        requests,
        delegates,
    })
}

/// The verification queue, oldest first.
pub async fn queue(state: &AppState, caller: &Caller) -> Result<Vec<MemberView>, ServerError> {
    super::verification::checker(state, caller).await?;
    let mut views = Vec::new();
    for member in rows::pending(state.db.pool()).await? {
        views.push(member_view(state, member).await?);
    }
    Ok(views)
}
