//! The back office (issue 13): the trusted roles (OPS-01, policy §13.1.3) and the dual control
//! that grants and removes them (OPS-06, §13.6.4) — the types the pages show, the server-side
//! port [`OperatorServices`] (implemented by `server::operators`), and the server functions.
//!
//! Every back-office function needs a signed-in account with a live OTP session (AUTH-02) and
//! a trusted role in effect; the role functions need a security officer. A role offered to
//! somebody takes effect when they accept it ([`role_accept`]), which needs no role yet.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A role assignment, offered or in effect.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssignmentView {
    pub id: String,
    pub name: String,
    pub email: String,
    /// `domain::roles::TrustedRole::code`.
    pub role: String,
    /// `domain::roles::AssignmentStatus::code`: offered or active.
    pub status: String,
    /// RFC 3339 UTC.
    pub offered_at: String,
    pub accepted_at: Option<String>,
}

/// A dual-control request waiting for a second security officer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: String,
    /// `grant_role` or `remove_role`.
    pub action: String,
    /// Whose role: name and address.
    pub subject_name: String,
    pub subject_email: String,
    pub role: String,
    pub requested_by: String,
    /// Whether the caller made it (they may withdraw it, not approve it).
    pub own: bool,
    /// RFC 3339 UTC.
    pub requested_at: String,
    pub expires_at: String,
}

/// What the back office shows the caller.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackOffice {
    /// The caller's roles in effect (codes).
    pub roles: Vec<String>,
    /// For a security officer: every assignment offered or in effect, and the pending
    /// requests; empty otherwise.
    pub assignments: Vec<AssignmentView>,
    pub requests: Vec<RequestView>,
}

/// A recorded event of the journal, as the system auditor reads it (OPS-02).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalEvent {
    pub id: String,
    /// RFC 3339 UTC.
    pub time: String,
    pub category: String,
    pub action: String,
    pub actor: Option<String>,
    /// The event's JSON document, as hashed into the journal.
    pub document: String,
}

/// The events of a period (at most [`JOURNAL_PAGE`]), and whether more were recorded then.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalPage {
    /// The first and the day after the last day (YYYY-MM-DD, UTC).
    pub from: String,
    pub to: String,
    pub events: Vec<JournalEvent>,
    pub more: bool,
}

/// How many events a journal page shows (the export has them all).
pub const JOURNAL_PAGE: usize = 200;

/// The result of walking the journal's hash chain (`pli verify-ledger`, from the page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LedgerCheck {
    pub entries: i64,
    /// The link hash of the last entry.
    pub head: String,
    /// The first break found, described; `None`: intact.
    pub first_break: Option<String>,
    /// RFC 3339 UTC.
    pub checked_at: String,
}

/// The server-side port of the back office, implemented by the `server` crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait OperatorServices: Send + Sync + 'static {
    async fn back_office(&self, caller: crate::api::Caller) -> Result<BackOffice, AppError>;
    /// The roles offered to the caller, waiting for their answer.
    async fn role_offers(
        &self,
        caller: crate::api::Caller,
    ) -> Result<Vec<AssignmentView>, AppError>;
    async fn role_request(
        &self,
        caller: crate::api::Caller,
        email: String,
        role: domain::roles::TrustedRole,
    ) -> Result<BackOffice, AppError>;
    async fn role_removal(
        &self,
        caller: crate::api::Caller,
        assignment_id: String,
    ) -> Result<BackOffice, AppError>;
    async fn dual_control_decide(
        &self,
        caller: crate::api::Caller,
        request_id: String,
        approve: bool,
    ) -> Result<BackOffice, AppError>;
    async fn role_offer_answer(
        &self,
        caller: crate::api::Caller,
        assignment_id: String,
        accept: bool,
    ) -> Result<Vec<AssignmentView>, AppError>;
    /// A system auditor reads the events of the days [`from`, `to`] (YYYY-MM-DD).
    async fn journal(
        &self,
        caller: crate::api::Caller,
        from: String,
        to: String,
    ) -> Result<JournalPage, AppError>;
    /// A system auditor verifies the journal's hash chain (journaled).
    async fn verify_ledger(&self, caller: crate::api::Caller) -> Result<LedgerCheck, AppError>;
}

/// The [`OperatorServices`] of this server, as a request context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct OperatorServicesHandle(pub std::sync::Arc<dyn OperatorServices>);

#[cfg(feature = "ssr")]
fn operator_services() -> Result<std::sync::Arc<dyn OperatorServices>, AppError> {
    use_context::<OperatorServicesHandle>()
        .map(|handle| handle.0)
        .ok_or_else(|| AppError::Internal {
            request_id: "no-operator-services-context".to_owned(),
        })
}

#[server(endpoint = "back_office")]
pub async fn fetch_back_office() -> Result<BackOffice, AppError> {
    operator_services()?.back_office(crate::api::caller()).await
}

#[server(endpoint = "role_offers")]
pub async fn fetch_role_offers() -> Result<Vec<AssignmentView>, AppError> {
    operator_services()?.role_offers(crate::api::caller()).await
}

/// A security officer asks that the account at `email` be given `role` (a code).
#[server(endpoint = "role_request")]
pub async fn role_request(email: String, role: String) -> Result<BackOffice, AppError> {
    let email = crate::validation::email(&email)?;
    let role = domain::roles::TrustedRole::from_code(role.trim()).ok_or(AppError::NotFound)?;
    operator_services()?
        .role_request(crate::api::caller(), email, role)
        .await
}

/// A security officer asks that an assignment end.
#[server(endpoint = "role_removal")]
pub async fn role_removal(assignment_id: String) -> Result<BackOffice, AppError> {
    operator_services()?
        .role_removal(crate::api::caller(), assignment_id)
        .await
}

/// A second security officer approves a request.
#[server(endpoint = "dual_control_approve")]
pub async fn dual_control_approve(request_id: String) -> Result<BackOffice, AppError> {
    operator_services()?
        .dual_control_decide(crate::api::caller(), request_id, true)
        .await
}

/// A security officer rejects a request (its requester withdraws it).
#[server(endpoint = "dual_control_reject")]
pub async fn dual_control_reject(request_id: String) -> Result<BackOffice, AppError> {
    operator_services()?
        .dual_control_decide(crate::api::caller(), request_id, false)
        .await
}

/// The holder accepts a role offered to them: it takes effect.
#[server(endpoint = "role_accept")]
pub async fn role_accept(assignment_id: String) -> Result<Vec<AssignmentView>, AppError> {
    operator_services()?
        .role_offer_answer(crate::api::caller(), assignment_id, true)
        .await
}

/// The holder declines a role offered to them.
#[server(endpoint = "role_decline")]
pub async fn role_decline(assignment_id: String) -> Result<Vec<AssignmentView>, AppError> {
    operator_services()?
        .role_offer_answer(crate::api::caller(), assignment_id, false)
        .await
}

/// A system auditor reads the journal of the days [`from`, `to`] (YYYY-MM-DD; empty: today).
#[server(endpoint = "audit_journal")]
pub async fn audit_journal(from: String, to: String) -> Result<JournalPage, AppError> {
    operator_services()?
        .journal(crate::api::caller(), from, to)
        .await
}

/// A system auditor verifies the journal's hash chain.
#[server(endpoint = "audit_verify_ledger")]
pub async fn audit_verify_ledger() -> Result<LedgerCheck, AppError> {
    operator_services()?
        .verify_ledger(crate::api::caller())
        .await
}
