//! Granting and removing trusted roles under dual control (OPS-01, OPS-06; policy §13.1.2,
//! §13.1.3, §13.6.4):
//!
//! 1. a security officer requests a role for an account ([`request_grant`]) or the removal of
//!    an assignment ([`request_removal`]); a role the person may not hold with one they hold,
//!    were offered or are being requested is refused at once ([`AppError::RoleConflict`]);
//! 2. a second security officer approves it ([`approve`]: never the requester,
//!    [`AppError::OwnRequest`]) or either rejects it ([`reject`]) within
//!    [`DUAL_CONTROL_HOURS`]; after that it expires ([`expire`]);
//! 3. an approved grant is *offered*: the role takes effect only when its holder accepts it
//!    ([`answer_offer`]).
//!
//! Every step is journaled (audit category `operators`), with who did it.

use app::api::Caller;
use app::error::AppError;
use chrono::TimeDelta;
use domain::roles::{AssignmentStatus, DUAL_CONTROL_HOURS, RequestStatus, TrustedRole};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{Any, Transaction};

use super::Operator;
use crate::AppState;
use crate::account::principal::email_key;
use crate::audit::{self, Event};
use crate::error::ServerError;
use crate::store::roles::{self as rows, NewAssignment, NewRequest};

/// The action of a request granting a role.
pub const GRANT: &str = "grant_role";
/// The action of a request removing an assignment.
pub const REMOVE: &str = "remove_role";

/// Whether `action` is a role request's (the same table holds the seal-key requests).
pub fn is_role_request(action: &str) -> bool {
    action == GRANT || action == REMOVE
}

#[derive(Debug, Serialize, Deserialize)]
struct GrantPayload {
    account_id: String,
    role: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct RemovePayload {
    assignment_id: String,
}

fn refused(error: AppError) -> ServerError {
    ServerError::User(error)
}

/// The caller as a security officer.
async fn security_officer(state: &AppState, caller: &Caller) -> Result<Operator, ServerError> {
    let operator = state.operator(caller).await?;
    operator.require(TrustedRole::SecurityOfficer)?;
    Ok(operator)
}

/// [`AppError::RoleConflict`] when `account_id` may not be given `role` next to the roles it
/// holds or was offered, and those pending requests would give it.
async fn check_combination(
    tx: &mut Transaction<'_, Any>,
    account_id: &str,
    role: TrustedRole,
) -> Result<(), ServerError> {
    let mut held: Vec<TrustedRole> = rows::of_account(&mut **tx, account_id)
        .await?
        .iter()
        .filter(|row| AssignmentStatus::from_code(&row.status).is_some_and(|s| s.holds()))
        .filter_map(|row| TrustedRole::from_code(&row.role))
        .collect();
    for request in rows::pending(&mut **tx).await? {
        if request.action != GRANT {
            continue;
        }
        if let Ok(grant) = serde_json::from_str::<GrantPayload>(&request.payload)
            && grant.account_id == account_id
            && let Some(pending) = TrustedRole::from_code(&grant.role)
        {
            held.push(pending);
        }
    }
    if held.contains(&role) {
        return Err(refused(AppError::RoleHeld));
    }
    match role.conflict_with(&held) {
        Some(other) => Err(refused(AppError::RoleConflict {
            role: role.code().to_owned(),
            held: other.code().to_owned(),
        })),
        None => Ok(()),
    }
}

/// A security officer asks that the account at `email` be given `role`; the request's id.
pub async fn request_grant(
    state: &AppState,
    caller: &Caller,
    email: &str,
    role: TrustedRole,
) -> Result<String, ServerError> {
    let operator = security_officer(state, caller).await?;
    let account = crate::store::accounts::summary_by_email_key(state.db.pool(), &email_key(email))
        .await?
        .filter(|account| account.deactivated_at.is_none())
        .ok_or(refused(AppError::NotFound))?;
    let now = state.clock.now();
    let id = uuid::Uuid::now_v7().to_string();
    let payload = json!(GrantPayload {
        account_id: account.id.clone(),
        role: role.code().to_owned(),
    });
    let mut tx = state.db.begin().await?;
    check_combination(&mut tx, &account.id, role).await?;
    insert_request(&mut tx, &id, GRANT, &payload, &operator, now).await?;
    let details = json!({ "request_id": id, "account_id": account.id, "role": role.code() });
    audit::record_in(
        &mut tx,
        now,
        &operator.event("role_grant_requested", details),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A security officer asks that assignment `assignment_id` (offered or in effect) end; the
/// request's id.
pub async fn request_removal(
    state: &AppState,
    caller: &Caller,
    assignment_id: &str,
) -> Result<String, ServerError> {
    let operator = security_officer(state, caller).await?;
    let assignment = rows::assignment(state.db.pool(), assignment_id)
        .await?
        .filter(|row| AssignmentStatus::from_code(&row.status).is_some_and(|s| s.holds()))
        .ok_or(refused(AppError::NotFound))?;
    let now = state.clock.now();
    let id = uuid::Uuid::now_v7().to_string();
    let payload = json!(RemovePayload {
        assignment_id: assignment.id.clone(),
    });
    let mut tx = state.db.begin().await?;
    insert_request(&mut tx, &id, REMOVE, &payload, &operator, now).await?;
    let details = json!({
        "request_id": id,
        "assignment_id": assignment.id,
        "account_id": assignment.account_id,
        "role": assignment.role,
    });
    audit::record_in(
        &mut tx,
        now,
        &operator.event("role_removal_requested", details),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert_request(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    action: &str,
    payload: &serde_json::Value,
    operator: &Operator,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), ServerError> {
    let expires = now + TimeDelta::hours(DUAL_CONTROL_HOURS);
    rows::insert_request(
        &mut **tx,
        &NewRequest {
            id,
            action,
            payload: &payload.to_string(),
            requested_by: &operator.principal.account_id,
            at: now.timestamp_millis(),
            expires_at: expires.timestamp_millis(),
        },
    )
    .await?;
    Ok(())
}

/// A second security officer approves request `request_id`, which is carried out at once: a
/// grant offers the role to its holder, a removal ends the assignment.
pub async fn approve(
    state: &AppState,
    caller: &Caller,
    request_id: &str,
) -> Result<(), ServerError> {
    let operator = security_officer(state, caller).await?;
    expire(state).await?;
    // The seal-key requests are decided on their own page (`operators::seal_keys`).
    let request = rows::request(state.db.pool(), request_id)
        .await?
        .filter(|request| is_role_request(&request.action))
        .ok_or(refused(AppError::NotFound))?;
    if RequestStatus::from_code(&request.status) != Some(RequestStatus::Pending) {
        return Err(refused(AppError::RequestClosed));
    }
    if request.requested_by == operator.principal.account_id {
        return Err(refused(AppError::OwnRequest));
    }
    let now = state.clock.now();
    let at = now.timestamp_millis();
    let mut tx = state.db.begin().await?;
    let by = &operator.principal.account_id;
    if !rows::decide(
        &mut *tx,
        request_id,
        RequestStatus::Executed.code(),
        by,
        at,
        None,
    )
    .await?
    {
        return Err(refused(AppError::RequestClosed));
    }
    let details = match request.action.as_str() {
        GRANT => {
            let grant: GrantPayload = serde_json::from_str(&request.payload)
                .map_err(|e| ServerError::internal(format!("grant request payload: {e}")))?;
            let role = TrustedRole::from_code(&grant.role)
                .ok_or_else(|| ServerError::internal("grant request of an unknown role"))?;
            // Not counting this request, which is no longer pending.
            check_combination(&mut tx, &grant.account_id, role).await?;
            let assignment_id = uuid::Uuid::now_v7().to_string();
            rows::insert_assignment(
                &mut *tx,
                &NewAssignment {
                    id: &assignment_id,
                    account_id: &grant.account_id,
                    role: role.code(),
                    status: AssignmentStatus::Offered.code(),
                    request_id: Some(request_id),
                    at,
                },
            )
            .await?;
            json!({ "request_id": request_id, "action": GRANT, "assignment_id": assignment_id,
                    "account_id": grant.account_id, "role": role.code(),
                    "requested_by": request.requested_by })
        }
        REMOVE => {
            let removal: RemovePayload = serde_json::from_str(&request.payload)
                .map_err(|e| ServerError::internal(format!("removal request payload: {e}")))?;
            let removed = end_assignment(&mut tx, &removal.assignment_id, at).await?;
            json!({ "request_id": request_id, "action": REMOVE,
                    "assignment_id": removal.assignment_id, "removed": removed,
                    "requested_by": request.requested_by })
        }
        other => {
            return Err(ServerError::internal(format!(
                "unknown request action {other}"
            )));
        }
    };
    audit::record_in(
        &mut tx,
        now,
        &operator.event("dual_control_approved", details),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends assignment `id`, in effect or offered; false when it was neither (declined
/// meanwhile).
async fn end_assignment(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    at: i64,
) -> Result<bool, ServerError> {
    let removed = AssignmentStatus::Removed.code();
    for from in [AssignmentStatus::Active, AssignmentStatus::Offered] {
        if rows::set_assignment_status(&mut **tx, id, from.code(), removed, at).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A security officer rejects request `request_id` (the requester withdraws their own).
pub async fn reject(
    state: &AppState,
    caller: &Caller,
    request_id: &str,
    reason: Option<&str>,
) -> Result<(), ServerError> {
    let operator = security_officer(state, caller).await?;
    expire(state).await?;
    if !rows::request(state.db.pool(), request_id)
        .await?
        .is_some_and(|request| is_role_request(&request.action))
    {
        return Err(refused(AppError::NotFound));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let by = &operator.principal.account_id;
    let status = RequestStatus::Rejected.code();
    if !rows::decide(
        &mut *tx,
        request_id,
        status,
        by,
        now.timestamp_millis(),
        reason,
    )
    .await?
    {
        return Err(refused(match rows::request(&mut *tx, request_id).await? {
            Some(_) => AppError::RequestClosed,
            None => AppError::NotFound,
        }));
    }
    let details = json!({ "request_id": request_id, "reason": reason });
    audit::record_in(
        &mut tx,
        now,
        &operator.event("dual_control_rejected", details),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The holder of offered assignment `assignment_id` accepts it (the role takes effect) or
/// declines it. Needs a live OTP session; another person's offer is [`AppError::NotFound`].
pub async fn answer_offer(
    state: &AppState,
    caller: &Caller,
    assignment_id: &str,
    accept: bool,
) -> Result<(), ServerError> {
    let principal = state.principal(caller).await?;
    state.otp_session(caller).await?;
    let assignment = rows::assignment(state.db.pool(), assignment_id)
        .await?
        .filter(|row| row.account_id == principal.account_id)
        .ok_or(refused(AppError::NotFound))?;
    let now = state.clock.now();
    let to = if accept {
        AssignmentStatus::Active
    } else {
        AssignmentStatus::Declined
    };
    let mut tx = state.db.begin().await?;
    let offered = AssignmentStatus::Offered.code();
    let at = now.timestamp_millis();
    if !rows::set_assignment_status(&mut *tx, assignment_id, offered, to.code(), at).await? {
        return Err(refused(AppError::RequestClosed));
    }
    let action = if accept {
        "role_accepted"
    } else {
        "role_declined"
    };
    let details = json!({ "assignment_id": assignment_id, "role": assignment.role });
    let event = Event {
        category: "operators",
        action,
        actor: Some(principal.account_id.clone()),
        details,
    };
    audit::record_in(&mut tx, now, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks the pending requests older than [`DUAL_CONTROL_HOURS`] expired, each journaled.
pub async fn expire(state: &AppState) -> Result<(), ServerError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let expired = rows::expire(&mut *tx, now.timestamp_millis()).await?;
    for id in &expired {
        let event = Event::system(
            "operators",
            "dual_control_expired",
            json!({ "request_id": id }),
        );
        audit::record_in(&mut tx, now, &event).await?;
    }
    tx.commit().await?;
    Ok(())
}
