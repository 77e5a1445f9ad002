//! The security-incident register (OPS-08; eIDAS Art. 19(2); policy §13.9.2;
//! `domain::incidents`):
//!
//! 1. an incident is opened on detection ([`open`]) by the staff who watch the systems;
//! 2. a security officer or the service manager qualifies it ([`qualify`]): personal data,
//!    confidentiality, integrity, availability, and its severity revised;
//! 3. the letters it affects are added by id ([`attach_letter`]) until it is closed;
//! 4. its notification to the supervisory body and the affected users is recorded
//!    ([`notify`]), then it is closed with a summary ([`close`]).
//!
//! Each step is refused to a caller without a role of `IncidentAction::roles`
//! ([`AppError::OperatorOnly`]) and when the incident's status does not allow it
//! ([`IncidentRefusal::Transition`], 409), and journaled (`operators/incident_*`) in the
//! transaction that records it. The report, for the supervisory body and the users, is in
//! [`report`].

mod markdown;
pub mod report;

use app::api::Caller;
use app::error::AppError;
use app::incidents::QualifyForm;
use domain::incidents::{self as rules, IncidentAction, IncidentRefusal, IncidentStatus};
use serde_json::json;

use super::Operator;
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::store::incidents::{self as rows, Incident, Later, NewIncident, Qualification};

fn refused(refusal: IncidentRefusal) -> ServerError {
    ServerError::User(AppError::Incident(refusal))
}

/// The caller as an operator allowed to take `action`.
pub async fn operator_for(
    state: &AppState,
    caller: &Caller,
    action: IncidentAction,
) -> Result<Operator, ServerError> {
    let operator = state.operator(caller).await?;
    if !action.allowed(&operator.roles) {
        return Err(ServerError::User(AppError::OperatorOnly));
    }
    Ok(operator)
}

/// Incident `id` ([`AppError::NotFound`] when there is none), checked to allow `action`.
async fn incident_for(
    state: &AppState,
    id: &str,
    action: IncidentAction,
) -> Result<Incident, ServerError> {
    let incident = rows::get(state.db.pool(), id.trim())
        .await?
        .ok_or(ServerError::User(AppError::NotFound))?;
    let status = IncidentStatus::from_code(&incident.status)
        .ok_or_else(|| ServerError::internal(format!("incident status {}", incident.status)))?;
    status.after(action).map_err(refused)?;
    Ok(incident)
}

/// A step taken on an incident, with what it records.
enum Change<'a> {
    Qualify(Qualification<'a>),
    Attach(&'a str),
    Notify(&'a str),
    Close(&'a str),
}

/// Records `change` on incident `id` by `operator` and journals it (`operators/<event>`, with
/// `details`) in one transaction; the refusal of `action` when the incident moved meanwhile.
async fn apply(
    state: &AppState,
    operator: &Operator,
    id: &str,
    change: Change<'_>,
    details: serde_json::Value,
) -> Result<(), ServerError> {
    let now = state.clock.now();
    let (at, by) = (
        now.timestamp_millis(),
        operator.principal.account_id.as_str(),
    );
    let mut tx = state.db.begin().await?;
    let (done, action, event) = match &change {
        Change::Qualify(qualification) => (
            rows::qualify(&mut *tx, id, qualification, by, at).await?,
            IncidentAction::Qualify,
            "incident_qualified",
        ),
        Change::Attach(letter) => (
            rows::attach(&mut *tx, id, letter, by, at).await?,
            IncidentAction::AttachLetter,
            "incident_letter_attached",
        ),
        Change::Notify(notice) => (
            rows::record(&mut *tx, id, Later::Notify, notice, by, at).await?,
            IncidentAction::Notify,
            "incident_notified",
        ),
        Change::Close(summary) => (
            rows::record(&mut *tx, id, Later::Close, summary, by, at).await?,
            IncidentAction::Close,
            "incident_closed",
        ),
    };
    if !done {
        drop(tx);
        // Another operator took a step meanwhile: refused as from the status now stored.
        let stored = rows::get(state.db.pool(), id).await?;
        let status = stored
            .and_then(|incident| IncidentStatus::from_code(&incident.status))
            .unwrap_or(IncidentStatus::Closed);
        return Err(refused(IncidentRefusal::Transition { status, action }));
    }
    let mut details = details;
    details["incident_id"] = json!(id);
    audit::record_in(&mut tx, now, &operator.event(event, details)).await?;
    tx.commit().await?;
    Ok(())
}

/// Opens an incident detected at `detected_at` (local time of the legal time zone; empty:
/// now); its id. Journaled: `operators/incident_opened`.
pub async fn open(
    state: &AppState,
    caller: &Caller,
    title: &str,
    description: &str,
    severity: &str,
    detected_at: &str,
) -> Result<String, ServerError> {
    let operator = operator_for(state, caller, IncidentAction::Open).await?;
    let title = rules::title(title).map_err(refused)?;
    let description = rules::body(description, true).map_err(refused)?;
    let severity = rules::severity(severity).map_err(refused)?;
    let now = state.clock.now();
    let detected = rules::detected_at(detected_at, state.legal_zone(), now.timestamp_millis())
        .map_err(refused)?;
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = state.db.begin().await?;
    rows::insert(
        &mut *tx,
        &NewIncident {
            id: &id,
            title: &title,
            description: &description,
            severity: severity.code(),
            detected_at: detected,
            opened_by: &operator.principal.account_id,
            at: now.timestamp_millis(),
        },
    )
    .await?;
    let details = json!({
        "incident_id": id,
        "title": title,
        "severity": severity.code(),
        "detected_at": domain::time::rfc3339(detected),
    });
    audit::record_in(&mut tx, now, &operator.event("incident_opened", details)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Qualifies open incident `id`. Journaled: `operators/incident_qualified`.
pub async fn qualify(
    state: &AppState,
    caller: &Caller,
    id: &str,
    form: &QualifyForm,
) -> Result<(), ServerError> {
    let action = IncidentAction::Qualify;
    let operator = operator_for(state, caller, action).await?;
    let severity = rules::severity(&form.severity).map_err(refused)?;
    let assessment = rules::body(&form.assessment, false).map_err(refused)?;
    let incident = incident_for(state, id, action).await?;
    let details = json!({
        "severity": severity.code(),
        "personal_data": form.personal_data,
        "confidentiality": form.confidentiality,
        "integrity": form.integrity,
        "availability": form.availability,
    });
    let qualification = Qualification {
        severity: severity.code(),
        personal_data: form.personal_data,
        confidentiality: form.confidentiality,
        integrity: form.integrity,
        availability: form.availability,
        assessment: &assessment,
    };
    let change = Change::Qualify(qualification);
    apply(state, &operator, &incident.id, change, details).await
}

/// Adds the sent letter `letter_id` names (the letter's id or a recipient's) to incident `id`,
/// unless it is closed; adding it again changes nothing. Journaled:
/// `operators/incident_letter_attached`.
pub async fn attach_letter(
    state: &AppState,
    caller: &Caller,
    id: &str,
    letter_id: &str,
) -> Result<(), ServerError> {
    let action = IncidentAction::AttachLetter;
    let operator = operator_for(state, caller, action).await?;
    let incident = incident_for(state, id, action).await?;
    let named = letter_id.trim();
    let letter = match named {
        "" => None,
        named => rows::sent_letter(state.db.pool(), named).await?,
    }
    .ok_or(refused(IncidentRefusal::UnknownLetter))?;
    let already = rows::attached(state.db.pool(), &incident.id).await?;
    if already.iter().any(|row| row.letter_id == letter) {
        return Ok(());
    }
    let details = json!({ "letter_id": letter, "named": named });
    apply(
        state,
        &operator,
        &incident.id,
        Change::Attach(&letter),
        details,
    )
    .await
}

/// Records the notification of qualified incident `id` to the supervisory body and the
/// affected users (`notice`: to whom, how, which reference). Journaled:
/// `operators/incident_notified`.
pub async fn notify(
    state: &AppState,
    caller: &Caller,
    id: &str,
    notice: &str,
) -> Result<(), ServerError> {
    let action = IncidentAction::Notify;
    let operator = operator_for(state, caller, action).await?;
    let notice = rules::body(notice, true).map_err(refused)?;
    let incident = incident_for(state, id, action).await?;
    let details = json!({
        "within_24_hours": state.clock.now().timestamp_millis() <= rules::report_due(incident.detected_at),
    });
    apply(
        state,
        &operator,
        &incident.id,
        Change::Notify(&notice),
        details,
    )
    .await
}

/// Closes incident `id`, qualified or notified, with `summary`. Journaled:
/// `operators/incident_closed`.
pub async fn close(
    state: &AppState,
    caller: &Caller,
    id: &str,
    summary: &str,
) -> Result<(), ServerError> {
    let action = IncidentAction::Close;
    let operator = operator_for(state, caller, action).await?;
    let summary = rules::body(summary, true).map_err(refused)?;
    let incident = incident_for(state, id, action).await?;
    let details = json!({ "notified": incident.notified_at.is_some() });
    apply(
        state,
        &operator,
        &incident.id,
        Change::Close(&summary),
        details,
    )
    .await
}
