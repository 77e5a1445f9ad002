//! Tables `role_assignment` and `dual_control_request`: the trusted roles offered to, held by
//! and taken from accounts, and the operations awaiting a second trusted person (OPS-01,
//! OPS-06; `domain::roles`).

use sqlx::{Any, Executor};

/// A role assignment with its holder's name and address.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Assignment {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub email: String,
    /// `domain::roles::TrustedRole::code`.
    pub role: String,
    /// `domain::roles::AssignmentStatus::code`.
    pub status: String,
    pub request_id: Option<String>,
    pub offered_at: i64,
    pub accepted_at: Option<i64>,
    pub ended_at: Option<i64>,
}

const ASSIGNMENT: &str = "SELECT r.id, r.account_id, a.name, a.email, r.role, r.status, \
     r.request_id, r.offered_at, r.accepted_at, r.ended_at \
     FROM role_assignment r JOIN account a ON a.id = r.account_id";

/// A role assignment to write.
#[derive(Clone, Debug)]
pub struct NewAssignment<'a> {
    pub id: &'a str,
    pub account_id: &'a str,
    pub role: &'a str,
    pub status: &'a str,
    pub request_id: Option<&'a str>,
    pub at: i64,
}

pub async fn insert_assignment<'c>(
    executor: impl Executor<'c, Database = Any>,
    new: &NewAssignment<'_>,
) -> Result<(), sqlx::Error> {
    // An active assignment (the installation ceremony) is accepted when offered.
    let accepted = (new.status == "active").then_some(new.at);
    sqlx::query(
        "INSERT INTO role_assignment (id, account_id, role, status, request_id, offered_at, accepted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new.id)
    .bind(new.account_id)
    .bind(new.role)
    .bind(new.status)
    .bind(new.request_id)
    .bind(new.at)
    .bind(accepted)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Every assignment of `account_id`, oldest first.
pub async fn of_account<'c>(
    executor: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Vec<Assignment>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{ASSIGNMENT} WHERE r.account_id = $1 ORDER BY r.offered_at, r.id"
    ))
    .bind(account_id)
    .fetch_all(executor)
    .await
}

/// The assignments offered or in effect, by holder's name.
pub async fn current<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Vec<Assignment>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{ASSIGNMENT} WHERE r.status IN ('offered', 'active') ORDER BY a.name, a.email_key, r.role"
    ))
    .fetch_all(executor)
    .await
}

/// Assignment `id`.
pub async fn assignment<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<Assignment>, sqlx::Error> {
    sqlx::query_as(&format!("{ASSIGNMENT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// How many accounts hold `role` in effect.
pub async fn holders<'c>(
    executor: impl Executor<'c, Database = Any>,
    role: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(DISTINCT account_id) FROM role_assignment WHERE role = $1 AND status = 'active'",
    )
    .bind(role)
    .fetch_one(executor)
    .await
}

/// Moves assignment `id` from status `from` to `to` at `at` (`accepted_at` when it becomes
/// active, `ended_at` otherwise); false when it was not in `from`.
pub async fn set_assignment_status<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    from: &str,
    to: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let column = if to == "active" {
        "accepted_at"
    } else {
        "ended_at"
    };
    sqlx::query(&format!(
        "UPDATE role_assignment SET status = $1, {column} = $2 WHERE id = $3 AND status = $4"
    ))
    .bind(to)
    .bind(at)
    .bind(id)
    .bind(from)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

/// A dual-control request with the names of who asked and who decided.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Request {
    pub id: String,
    pub action: String,
    /// JSON.
    pub payload: String,
    pub requested_by: String,
    pub requester_name: String,
    pub requested_at: i64,
    pub expires_at: i64,
    /// `domain::roles::RequestStatus::code`.
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub reason: Option<String>,
}

const REQUEST: &str = "SELECT q.id, q.action, q.payload, q.requested_by, a.name AS requester_name, \
     q.requested_at, q.expires_at, q.status, q.decided_by, q.decided_at, q.reason \
     FROM dual_control_request q JOIN account a ON a.id = q.requested_by";

/// A dual-control request to write (pending).
#[derive(Clone, Debug)]
pub struct NewRequest<'a> {
    pub id: &'a str,
    pub action: &'a str,
    pub payload: &'a str,
    pub requested_by: &'a str,
    pub at: i64,
    pub expires_at: i64,
}

pub async fn insert_request<'c>(
    executor: impl Executor<'c, Database = Any>,
    new: &NewRequest<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO dual_control_request (id, action, payload, requested_by, requested_at, expires_at, status) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending')",
    )
    .bind(new.id)
    .bind(new.action)
    .bind(new.payload)
    .bind(new.requested_by)
    .bind(new.at)
    .bind(new.expires_at)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Request `id`.
pub async fn request<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<Request>, sqlx::Error> {
    sqlx::query_as(&format!("{REQUEST} WHERE q.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// The pending requests, oldest first.
pub async fn pending<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Vec<Request>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{REQUEST} WHERE q.status = 'pending' ORDER BY q.requested_at, q.id"
    ))
    .fetch_all(executor)
    .await
}

/// Decides pending request `id` (`status` executed or rejected) by `by` at `at`; false when it
/// was no longer pending.
pub async fn decide<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    status: &str,
    by: &str,
    at: i64,
    reason: Option<&str>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE dual_control_request SET status = $1, decided_by = $2, decided_at = $3, reason = $4 \
         WHERE id = $5 AND status = 'pending'",
    )
    .bind(status)
    .bind(by)
    .bind(at)
    .bind(reason)
    .bind(id)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

/// The pending requests whose time ran out by `now`, marked expired; their ids.
pub async fn expire<'c>(
    executor: impl Executor<'c, Database = Any>,
    now: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE dual_control_request SET status = 'expired', decided_at = $1 \
         WHERE status = 'pending' AND expires_at <= $1 RETURNING id",
    )
    .bind(now)
    .fetch_all(executor)
    .await
}
