//! What the back office shows (`app::operators`): the caller's roles and, for a security
//! officer, every assignment offered or in effect and the pending dual-control requests; the
//! roles offered to the caller.

use app::api::Caller;
use app::operators::{AssignmentView, BackOffice, RequestView};
use domain::roles::{AssignmentStatus, TrustedRole};
use domain::time::rfc3339;

use super::roles::{GRANT, expire, is_role_request};
use crate::AppState;
use crate::error::ServerError;
use crate::store::roles::{self as rows, Assignment};

fn view(row: &Assignment) -> AssignmentView {
    AssignmentView {
        id: row.id.clone(),
        name: row.name.clone(),
        email: row.email.clone(),
        role: row.role.clone(),
        status: row.status.clone(),
        offered_at: rfc3339(row.offered_at),
        accepted_at: row.accepted_at.map(rfc3339),
    }
}

/// The back office of the caller (an operator).
pub async fn back_office(state: &AppState, caller: &Caller) -> Result<BackOffice, ServerError> {
    let operator = state.operator(caller).await?;
    let mut office = BackOffice {
        roles: operator.roles.iter().map(|r| r.code().to_owned()).collect(),
        assignments: Vec::new(),
        requests: Vec::new(),
    };
    if !operator.has(TrustedRole::SecurityOfficer) {
        return Ok(office);
    }
    expire(state).await?;
    let pool = state.db.pool();
    office.assignments = rows::current(pool).await?.iter().map(view).collect();
    for request in rows::pending(pool).await? {
        if !is_role_request(&request.action) {
            continue;
        }
        let payload: serde_json::Value = serde_json::from_str(&request.payload)
            .map_err(|e| ServerError::internal(format!("request payload: {e}")))?;
        let field = |name: &str| payload[name].as_str().unwrap_or_default().to_owned();
        let (account_id, role) = if request.action == GRANT {
            (field("account_id"), field("role"))
        } else {
            // Assignments are never deleted: a removal always names one.
            let Some(assignment) = rows::assignment(pool, &field("assignment_id")).await? else {
                tracing::error!(request_id = %request.id, "a removal request names no assignment");
                continue;
            };
            (assignment.account_id, assignment.role)
        };
        let subject = crate::store::accounts::by_id(pool, &account_id).await?;
        let (subject_name, subject_email) = subject.map(|a| (a.name, a.email)).unwrap_or_default();
        office.requests.push(RequestView {
            own: request.requested_by == operator.principal.account_id,
            id: request.id,
            action: request.action,
            subject_name,
            subject_email,
            role,
            requested_by: request.requester_name,
            requested_at: rfc3339(request.requested_at),
            expires_at: rfc3339(request.expires_at),
        });
    }
    Ok(office)
}

/// The roles offered to the caller, waiting for their answer (needs a live OTP session).
pub async fn role_offers(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<AssignmentView>, ServerError> {
    let principal = state.principal(caller).await?;
    state.otp_session(caller).await?;
    Ok(rows::of_account(state.db.pool(), &principal.account_id)
        .await?
        .iter()
        .filter(|row| AssignmentStatus::from_code(&row.status) == Some(AssignmentStatus::Offered))
        .map(view)
        .collect())
}
