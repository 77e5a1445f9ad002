//! Legal entities (issue 13; ID-05..ID-07, policy §4.2, §4.5, §4.7): a person asks to act for
//! a company as its legal representative or a delegate, uploads the documents (extracts up
//! the chain to a natural person; for a delegate the power of attorney and the
//! representative's ID), submits; an identity-check operator approves or rejects in the back
//! office's verification queue. The types the pages show, the server-side port
//! [`EntityServices`] (implemented by `server::entities`), and the server functions.
//!
//! Documents are uploaded by a plain multipart form to [`documents_url`] (it works without
//! JavaScript); everything else goes through the server functions below.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A document of a request, as its owner and the operator see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: String,
    /// `domain::entities::DocumentKind::code`.
    pub kind: String,
    pub file_name: String,
    pub size: i64,
    pub sha256: String,
    /// YYYY-MM-DD: the extract's or the power of attorney's date.
    pub issued_on: Option<String>,
    /// An extract's company and, if a company leads it, that company's number.
    pub company: Option<String>,
    pub led_by: Option<String>,
    /// RFC 3339 UTC.
    pub uploaded_at: String,
    pub upload_evidence_id: String,
    /// Purged after 60 days (ID-07): the content is gone, the hash stays.
    pub purged: bool,
}

/// A person's request to act for a company.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: String,
    pub entity_name: String,
    /// The registry number as it reads ("RCS 732 829 320").
    pub registry_number: String,
    /// `domain::entities::MemberRole::code`.
    pub role: String,
    pub representative_name: String,
    /// `domain::entities::MemberStatus::code`.
    pub status: String,
    pub reason: Option<String>,
    pub person_name: String,
    pub person_email: String,
    /// Whether the person passed an identity proofing (ID-04).
    pub identified: bool,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub submitted_at: Option<String>,
    pub documents: Vec<DocumentView>,
    /// What a draft still lacks: `kbis:<number>` for an extract of a company of the chain,
    /// or a document kind code.
    pub missing: Vec<String>,
    /// The evidences of the verification and of the representative link, once issued.
    pub verification_evidence_id: Option<String>,
    pub connection_evidence_id: Option<String>,
}

/// The companies page: the caller's requests, and the delegates of the companies the caller
/// represents (who may revoke them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organisations {
    pub requests: Vec<MemberView>,
    pub delegates: Vec<MemberView>,
}

/// Where the documents of request `member_id` are uploaded (multipart form: `kind`,
/// `issued_on`, for an extract `company_name`, `registry`, `number`, `led_by`; and `file`).
pub fn documents_url(member_id: &str) -> String {
    format!("/organisations/{member_id}/documents")
}

/// Where an operator (or the request's owner, until purged) reads a document.
pub fn document_url(document_id: &str) -> String {
    format!("/organisations/documents/{document_id}")
}

/// The server-side port of the legal entities, implemented by the `server` crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait EntityServices: Send + Sync + 'static {
    async fn organisations(&self, caller: crate::api::Caller) -> Result<Organisations, AppError>;
    async fn request(
        &self,
        caller: crate::api::Caller,
        form: RequestForm,
    ) -> Result<Organisations, AppError>;
    async fn submit(
        &self,
        caller: crate::api::Caller,
        member_id: String,
    ) -> Result<Organisations, AppError>;
    async fn revoke(
        &self,
        caller: crate::api::Caller,
        member_id: String,
    ) -> Result<Organisations, AppError>;
    /// The verification queue of an identity-check operator.
    async fn queue(&self, caller: crate::api::Caller) -> Result<Vec<MemberView>, AppError>;
    async fn decide(
        &self,
        caller: crate::api::Caller,
        member_id: String,
        approve: bool,
        reason: String,
    ) -> Result<Vec<MemberView>, AppError>;
}

/// A new request, as typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestForm {
    pub company_name: String,
    /// `domain::entities::Registry::code`.
    pub registry: String,
    pub number: String,
    /// `domain::entities::MemberRole::code`.
    pub role: String,
    pub representative_name: String,
}

/// The [`EntityServices`] of this server, as a request context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct EntityServicesHandle(pub std::sync::Arc<dyn EntityServices>);

#[cfg(feature = "ssr")]
fn entity_services() -> Result<std::sync::Arc<dyn EntityServices>, AppError> {
    use_context::<EntityServicesHandle>()
        .map(|handle| handle.0)
        .ok_or_else(|| AppError::Internal {
            request_id: "no-entity-services-context".to_owned(),
        })
}

#[server(endpoint = "organisations")]
pub async fn fetch_organisations() -> Result<Organisations, AppError> {
    entity_services()?.organisations(crate::api::caller()).await
}

/// Asks to act for a company (a draft, to which documents are then uploaded).
#[server(endpoint = "entity_request")]
pub async fn entity_request(
    company_name: String,
    registry: String,
    number: String,
    role: String,
    representative_name: String,
) -> Result<Organisations, AppError> {
    let form = RequestForm {
        company_name,
        registry,
        number,
        role,
        representative_name,
    };
    entity_services()?.request(crate::api::caller(), form).await
}

/// Sends a complete draft to the verification queue.
#[server(endpoint = "entity_submit")]
pub async fn entity_submit(member_id: String) -> Result<Organisations, AppError> {
    entity_services()?
        .submit(crate::api::caller(), member_id)
        .await
}

/// A legal representative revokes a delegate of their company.
#[server(endpoint = "entity_revoke")]
pub async fn entity_revoke(member_id: String) -> Result<Organisations, AppError> {
    entity_services()?
        .revoke(crate::api::caller(), member_id)
        .await
}

#[server(endpoint = "verification_queue")]
pub async fn fetch_verification_queue() -> Result<Vec<MemberView>, AppError> {
    entity_services()?.queue(crate::api::caller()).await
}

/// An identity-check operator approves a request.
#[server(endpoint = "verification_approve")]
pub async fn verification_approve(member_id: String) -> Result<Vec<MemberView>, AppError> {
    entity_services()?
        .decide(crate::api::caller(), member_id, true, String::new())
        .await
}

/// An identity-check operator rejects a request, saying why (emailed to the requester).
#[server(endpoint = "verification_reject")]
pub async fn verification_reject(
    member_id: String,
    reason: String,
) -> Result<Vec<MemberView>, AppError> {
    entity_services()?
        .decide(crate::api::caller(), member_id, false, reason)
        .await
}
