//! The security-incident register (OPS-08; eIDAS Art. 19(2); policy §13.9): the types the back
//! office shows, the server-side port [`IncidentServices`] (implemented by
//! `server::operators::incidents`), and the server functions.
//!
//! Every function needs an operator (signed in, live OTP session, a trusted role in effect) with
//! a role of `domain::incidents::IncidentAction::roles`. Times are RFC 3339 in the legal time
//! zone ([`crate::when`]). The report of an incident is a plain route,
//! `/back-office/incidents/{id}/report` (Markdown; `?format=json` for JSON).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the caller may do with the register (`domain::incidents::IncidentAction`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IncidentRights {
    /// Open an incident and add the letters it affects.
    pub open: bool,
    /// Qualify, notify and close.
    pub decide: bool,
}

/// An incident in the register's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentSummary {
    pub id: String,
    pub title: String,
    /// `domain::incidents::Severity::code`.
    pub severity: String,
    /// `domain::incidents::IncidentStatus::code`.
    pub status: String,
    pub detected_at: String,
    /// 24 hours after its detection.
    pub report_due: String,
    /// Neither notified nor closed, and its report is due.
    pub overdue: bool,
}

/// The register.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentRegister {
    pub rights: IncidentRights,
    pub incidents: Vec<IncidentSummary>,
}

/// A step taken: when, and by whom ("Name <address>").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub at: String,
    pub by: String,
}

/// What the qualification found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Qualification {
    /// A personal-data breach (GDPR Art. 33 applies too).
    pub personal_data: bool,
    pub confidentiality: bool,
    pub integrity: bool,
    pub availability: bool,
    pub assessment: String,
}

/// An incident and its steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub severity: String,
    pub status: String,
    pub detected_at: String,
    pub report_due: String,
    pub opened: Step,
    pub qualified: Option<Step>,
    pub qualification: Option<Qualification>,
    pub notified: Option<Step>,
    /// To whom, how, under which reference the incident was notified.
    pub notice: Option<String>,
    pub closed: Option<Step>,
    /// The causes found and the measures taken.
    pub summary: Option<String>,
}

/// One event of an incident's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: String,
    /// `detected`, `opened`, `qualified`, `letter_attached`, `notified` or `closed`.
    pub event: String,
    /// Who ("Name <address>"); empty for the detection.
    pub by: String,
    /// The letter added, for `letter_attached`.
    pub letter_id: Option<String>,
}

/// One recipient of a letter the incident affects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AffectedLetter {
    pub letter_id: String,
    /// The recipient's own letter id (their transaction).
    pub recipient_letter_id: String,
    pub sender_name: String,
    pub sender_email: String,
    pub recipient_name: String,
    pub recipient_email: String,
    /// `domain::lifecycle::TransactionStatus` code.
    pub status: String,
    pub sent_at: Option<String>,
}

/// An incident with its timeline, its letters and the addresses of the affected users: what
/// the report holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentDetail {
    pub incident: IncidentView,
    pub timeline: Vec<TimelineEntry>,
    pub letters: Vec<AffectedLetter>,
    /// The senders' and recipients' addresses, each once, sorted.
    pub affected_addresses: Vec<String>,
}

/// An incident's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentPage {
    pub rights: IncidentRights,
    pub detail: IncidentDetail,
}

/// A qualification as the form sends it (the checkboxes: present when ticked).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QualifyForm {
    pub severity: String,
    pub personal_data: bool,
    pub confidentiality: bool,
    pub integrity: bool,
    pub availability: bool,
    pub assessment: String,
}

/// The server-side port of the register, implemented by the `server` crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait IncidentServices: Send + Sync + 'static {
    async fn register(&self, caller: crate::api::Caller) -> Result<IncidentRegister, AppError>;
    async fn incident(
        &self,
        caller: crate::api::Caller,
        id: String,
    ) -> Result<IncidentPage, AppError>;
    /// Opens an incident; its id.
    async fn open(
        &self,
        caller: crate::api::Caller,
        title: String,
        description: String,
        severity: String,
        detected_at: String,
    ) -> Result<String, AppError>;
    async fn qualify(
        &self,
        caller: crate::api::Caller,
        id: String,
        form: QualifyForm,
    ) -> Result<IncidentPage, AppError>;
    async fn attach_letter(
        &self,
        caller: crate::api::Caller,
        id: String,
        letter_id: String,
    ) -> Result<IncidentPage, AppError>;
    async fn notify(
        &self,
        caller: crate::api::Caller,
        id: String,
        notice: String,
    ) -> Result<IncidentPage, AppError>;
    async fn close(
        &self,
        caller: crate::api::Caller,
        id: String,
        summary: String,
    ) -> Result<IncidentPage, AppError>;
}

/// The [`IncidentServices`] of this server, as a request context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct IncidentServicesHandle(pub std::sync::Arc<dyn IncidentServices>);

#[cfg(feature = "ssr")]
fn incident_services() -> Result<std::sync::Arc<dyn IncidentServices>, AppError> {
    use_context::<IncidentServicesHandle>()
        .map(|handle| handle.0)
        .ok_or_else(|| AppError::Internal {
            request_id: "no-incident-services-context".to_owned(),
        })
}

#[cfg(feature = "ssr")]
/// A ticked checkbox: sent (as `on`, or any value), absent otherwise.
fn ticked(value: Option<String>) -> bool {
    value.is_some_and(|v| !matches!(v.as_str(), "" | "false" | "off"))
}

#[server(endpoint = "incidents")]
pub async fn fetch_incidents() -> Result<IncidentRegister, AppError> {
    incident_services()?.register(crate::api::caller()).await
}

#[server(endpoint = "incident")]
pub async fn fetch_incident(id: String) -> Result<IncidentPage, AppError> {
    incident_services()?
        .incident(crate::api::caller(), id)
        .await
}

/// Opens an incident detected at `detected_at` (local date and time of the legal time zone;
/// empty: now); its id.
#[server(endpoint = "incident_open")]
pub async fn incident_open(
    title: String,
    description: String,
    severity: String,
    detected_at: String,
) -> Result<String, AppError> {
    incident_services()?
        .open(
            crate::api::caller(),
            title,
            description,
            severity,
            detected_at,
        )
        .await
}

/// Qualifies an open incident.
#[server(endpoint = "incident_qualify")]
pub async fn incident_qualify(
    id: String,
    severity: String,
    personal_data: Option<String>,
    confidentiality: Option<String>,
    integrity: Option<String>,
    availability: Option<String>,
    assessment: String,
) -> Result<IncidentPage, AppError> {
    let form = QualifyForm {
        severity,
        personal_data: ticked(personal_data),
        confidentiality: ticked(confidentiality),
        integrity: ticked(integrity),
        availability: ticked(availability),
        assessment,
    };
    incident_services()?
        .qualify(crate::api::caller(), id, form)
        .await
}

/// Adds a sent letter (its id, or a recipient's letter id) to an incident.
#[server(endpoint = "incident_attach")]
pub async fn incident_attach(id: String, letter_id: String) -> Result<IncidentPage, AppError> {
    incident_services()?
        .attach_letter(crate::api::caller(), id, letter_id)
        .await
}

/// Records that a qualified incident was notified to the supervisory body and the affected
/// users (`notice`: to whom, how, which reference).
#[server(endpoint = "incident_notify")]
pub async fn incident_notify(id: String, notice: String) -> Result<IncidentPage, AppError> {
    incident_services()?
        .notify(crate::api::caller(), id, notice)
        .await
}

/// Closes a qualified or notified incident with its summary.
#[server(endpoint = "incident_close")]
pub async fn incident_close(id: String, summary: String) -> Result<IncidentPage, AppError> {
    incident_services()?
        .close(crate::api::caller(), id, summary)
        .await
}
