//! The system auditor's view of the journal (OPS-02; policy §13.1.3: the auditor "dispose d'un
//! accès aux données et aux archives d'audit"), read-only: the events of a period, their export
//! as JSON Lines (each line the exact document whose SHA-256 the journal's entry holds, so that
//! the export can be checked against the chain), and the verification of the hash chain, run
//! from the back office. Each verification and export is itself journaled.

use app::api::Caller;
use app::error::AppError;
use app::operators::{JOURNAL_PAGE, JournalEvent, JournalPage, LedgerCheck};
use chrono::{NaiveDate, TimeDelta};
use domain::roles::TrustedRole;
use domain::time::rfc3339;
use serde_json::json;

use super::Operator;
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::store::journal;

/// The most events one export holds.
const EXPORT_LIMIT: i64 = 1_000_000;

async fn auditor(state: &AppState, caller: &Caller) -> Result<Operator, ServerError> {
    let operator = state.operator(caller).await?;
    operator.require(TrustedRole::SystemAuditor)?;
    Ok(operator)
}

/// The days [`from`, `to`] (YYYY-MM-DD, UTC; empty: today) as milliseconds [start, end).
fn period(state: &AppState, from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), ServerError> {
    let today = state.clock.now().date_naive();
    let day = |text: &str| -> Result<NaiveDate, ServerError> {
        match text.trim() {
            "" => Ok(today),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                ServerError::User(AppError::Malformed(format!(
                    "{text:?} is not a date (YYYY-MM-DD)"
                )))
            }),
        }
    };
    let (from, to) = (day(from)?, day(to)?);
    if to < from {
        return Err(ServerError::User(AppError::Malformed(
            "the period ends before it starts".to_owned(),
        )));
    }
    Ok((from, to))
}

fn millis(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .map_or(0, |start| start.and_utc().timestamp_millis())
}

fn bounds(from: NaiveDate, to: NaiveDate) -> (i64, i64) {
    (millis(from), millis(to + TimeDelta::days(1)))
}

/// The events of the days [`from`, `to`], at most [`JOURNAL_PAGE`].
pub async fn journal(
    state: &AppState,
    caller: &Caller,
    from: &str,
    to: &str,
) -> Result<JournalPage, ServerError> {
    auditor(state, caller).await?;
    let (from, to) = period(state, from, to)?;
    let (start, end) = bounds(from, to);
    let limit = i64::try_from(JOURNAL_PAGE).unwrap_or(i64::MAX) + 1;
    let mut rows = journal::events_between(state.db.pool(), start, end, limit).await?;
    let more = rows.len() > JOURNAL_PAGE;
    rows.truncate(JOURNAL_PAGE);
    Ok(JournalPage {
        from: from.to_string(),
        to: to.to_string(),
        more,
        events: rows
            .into_iter()
            .map(|row| JournalEvent {
                id: row.id,
                time: rfc3339(row.recorded_at),
                category: row.category,
                action: row.action,
                actor: row.actor,
                document: row.document,
            })
            .collect(),
    })
}

/// Every event of the days [`from`, `to`] as JSON Lines (one document a line), and the name
/// of the file; journaled (`operators/journal_exported`).
pub async fn export(
    state: &AppState,
    caller: &Caller,
    from: &str,
    to: &str,
) -> Result<(String, String), ServerError> {
    let operator = auditor(state, caller).await?;
    let (from, to) = period(state, from, to)?;
    let (start, end) = bounds(from, to);
    let rows = journal::events_between(state.db.pool(), start, end, EXPORT_LIMIT).await?;
    let mut lines = String::new();
    for row in &rows {
        lines.push_str(&row.document);
        lines.push('\n');
    }
    let details = json!({ "from": from.to_string(), "to": to.to_string(), "events": rows.len() });
    let now = state.clock.now();
    audit::record(&state.db, now, &operator.event("journal_exported", details)).await?;
    Ok((lines, format!("journal-{from}-{to}.jsonl")))
}

/// Walks the journal's hash chain (`pli verify-ledger`); journaled
/// (`operators/ledger_verified`, with the result).
pub async fn verify_ledger(state: &AppState, caller: &Caller) -> Result<LedgerCheck, ServerError> {
    let operator = auditor(state, caller).await?;
    let report = crate::ledger::verify(&state.db).await?;
    let now = state.clock.now();
    let first_break = report.first_break.map(|problem| problem.to_string());
    let details = json!({
        "entries": report.entries,
        "head": report.head,
        "intact": first_break.is_none(),
        "first_break": first_break,
    });
    audit::record(&state.db, now, &operator.event("ledger_verified", details)).await?;
    Ok(LedgerCheck {
        entries: report.entries,
        head: report.head,
        first_break,
        checked_at: rfc3339(now.timestamp_millis()),
    })
}
