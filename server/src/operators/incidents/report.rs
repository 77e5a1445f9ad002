//! What the register shows and reports (OPS-08; eIDAS Art. 19(2); policy §13.9.2): the list,
//! an incident with its timeline, the letters it affects and the addresses of the affected
//! users, and its report for the supervisory body and those users — exportable at any time,
//! hence within 24 hours of the detection — as Markdown ([`super::markdown`]) or JSON. Each
//! export is journaled (`operators/incident_report_exported`).

use app::api::Caller;
use app::error::AppError;
use app::i18n::Lang;
use app::incidents::{
    AffectedLetter, IncidentDetail, IncidentPage, IncidentRegister, IncidentRights,
    IncidentSummary, IncidentView, Qualification, Step, TimelineEntry,
};
use domain::incidents::{IncidentAction, report_due};
use serde_json::json;

use super::operator_for;
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::operators::Operator;
use crate::store::incidents::{self as rows, Incident};

/// The most incidents the register lists.
const REGISTER_LIMIT: i64 = 500;

/// The format of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
}

fn rights(operator: &Operator) -> IncidentRights {
    IncidentRights {
        open: IncidentAction::Open.allowed(&operator.roles),
        decide: IncidentAction::Qualify.allowed(&operator.roles),
    }
}

fn step(state: &AppState, at: Option<i64>, by: &Option<String>) -> Option<Step> {
    Some(Step {
        at: state.legal_time(at?),
        by: by.clone().unwrap_or_default(),
    })
}

fn view(state: &AppState, row: &Incident) -> IncidentView {
    let flag = |value: Option<i64>| value.unwrap_or(0) != 0;
    IncidentView {
        id: row.id.clone(),
        title: row.title.clone(),
        description: row.description.clone(),
        severity: row.severity.clone(),
        status: row.status.clone(),
        detected_at: state.legal_time(row.detected_at),
        report_due: state.legal_time(report_due(row.detected_at)),
        opened: Step {
            at: state.legal_time(row.opened_at),
            by: row.opened_by.clone(),
        },
        qualified: step(state, row.qualified_at, &row.qualified_by),
        qualification: row.qualified_at.map(|_| Qualification {
            personal_data: flag(row.personal_data),
            confidentiality: flag(row.confidentiality),
            integrity: flag(row.integrity),
            availability: flag(row.availability),
            assessment: row.assessment.clone().unwrap_or_default(),
        }),
        notified: step(state, row.notified_at, &row.notified_by),
        notice: row.notice.clone(),
        closed: step(state, row.closed_at, &row.closed_by),
        summary: row.summary.clone(),
    }
}

/// The register, for any operator who may read it.
pub async fn register(state: &AppState, caller: &Caller) -> Result<IncidentRegister, ServerError> {
    let operator = operator_for(state, caller, IncidentAction::Read).await?;
    let now = state.clock.now().timestamp_millis();
    let incidents = rows::list(state.db.pool(), REGISTER_LIMIT)
        .await?
        .iter()
        .map(|row| IncidentSummary {
            id: row.id.clone(),
            title: row.title.clone(),
            severity: row.severity.clone(),
            status: row.status.clone(),
            detected_at: state.legal_time(row.detected_at),
            report_due: state.legal_time(report_due(row.detected_at)),
            overdue: row.notified_at.is_none()
                && row.closed_at.is_none()
                && now > report_due(row.detected_at),
        })
        .collect();
    Ok(IncidentRegister {
        rights: rights(&operator),
        incidents,
    })
}

/// Incident `id` as the report holds it.
async fn detail(state: &AppState, id: &str) -> Result<IncidentDetail, ServerError> {
    let pool = state.db.pool();
    let row = rows::get(pool, id.trim())
        .await?
        .ok_or(ServerError::User(AppError::NotFound))?;
    let incident = view(state, &row);
    let entry = |at: &str, event: &str, by: &str| TimelineEntry {
        at: at.to_owned(),
        event: event.to_owned(),
        by: by.to_owned(),
        letter_id: None,
    };
    let mut timeline = vec![
        (
            row.detected_at,
            entry(&incident.detected_at, "detected", ""),
        ),
        (
            row.opened_at,
            entry(&incident.opened.at, "opened", &incident.opened.by),
        ),
    ];
    for (ms, event, taken) in [
        (row.qualified_at, "qualified", &incident.qualified),
        (row.notified_at, "notified", &incident.notified),
        (row.closed_at, "closed", &incident.closed),
    ] {
        if let (Some(ms), Some(taken)) = (ms, taken) {
            timeline.push((ms, entry(&taken.at, event, &taken.by)));
        }
    }
    for added in rows::attached(pool, &row.id).await? {
        let mut attached = entry(
            &state.legal_time(added.added_at),
            "letter_attached",
            &added.added_by,
        );
        attached.letter_id = Some(added.letter_id);
        timeline.push((added.added_at, attached));
    }
    // Stable: at equal times, the order above (detection, opening, steps, letters).
    timeline.sort_by_key(|(ms, _)| *ms);
    let letters: Vec<AffectedLetter> = rows::affected(pool, &row.id)
        .await?
        .into_iter()
        .map(|row| AffectedLetter {
            letter_id: row.letter_id,
            recipient_letter_id: row.transaction_id,
            sender_name: row.sender_name,
            sender_email: row.sender_email,
            recipient_name: row.recipient_name,
            recipient_email: row.recipient_email,
            status: row.status,
            sent_at: row.sent_at.map(|ms| state.legal_time(ms)),
        })
        .collect();
    let mut affected_addresses: Vec<String> = letters
        .iter()
        .flat_map(|l| [l.sender_email.clone(), l.recipient_email.clone()])
        .filter(|address| !address.is_empty())
        .collect();
    affected_addresses.sort_by_key(|address| address.to_lowercase());
    affected_addresses.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    Ok(IncidentDetail {
        incident,
        timeline: timeline.into_iter().map(|(_, entry)| entry).collect(),
        letters,
        affected_addresses,
    })
}

/// Incident `id`'s page, for any operator who may read the register.
pub async fn page(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<IncidentPage, ServerError> {
    let operator = operator_for(state, caller, IncidentAction::Read).await?;
    Ok(IncidentPage {
        rights: rights(&operator),
        detail: detail(state, id).await?,
    })
}

/// Incident `id`'s report in `format` (Markdown in `lang`): its text, media type and file name.
/// Journaled: `operators/incident_report_exported`.
pub async fn export(
    state: &AppState,
    caller: &Caller,
    id: &str,
    format: Format,
    lang: Lang,
) -> Result<(String, &'static str, String), ServerError> {
    let operator = operator_for(state, caller, IncidentAction::Read).await?;
    let detail = detail(state, id).await?;
    let now = state.clock.now();
    let generated_at = state.legal_time(now.timestamp_millis());
    let id = detail.incident.id.clone();
    let (text, media_type, extension) = match format {
        Format::Json => {
            let document = json!({
                "generated_at": generated_at,
                "basis": "eIDAS Art. 19(2); policy §13.9.2",
                "incident": detail.incident,
                "timeline": detail.timeline,
                "letters": detail.letters,
                "affected_addresses": detail.affected_addresses,
            });
            let text = serde_json::to_string_pretty(&document)
                .map_err(|e| ServerError::internal(format!("incident report: {e}")))?;
            (text, "application/json", "json")
        }
        Format::Markdown => (
            super::markdown::report(&detail, lang, &generated_at),
            "text/markdown; charset=utf-8",
            "md",
        ),
    };
    let format_code = extension;
    let details = json!({
        "incident_id": id,
        "format": format_code,
        "letters": detail.letters.len(),
        "addresses": detail.affected_addresses.len(),
    });
    let event = operator.event("incident_report_exported", details);
    audit::record(&state.db, now, &event).await?;
    Ok((text, media_type, format!("incident-{id}.{extension}")))
}
