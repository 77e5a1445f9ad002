//! Tables `customer`, `customer_user` and `customer_invitation`: the customers with their
//! contracts, their users and the invitations to join them (policy §4.3, §4.4;
//! `domain::customers`).

use sqlx::{Any, Executor};

/// A customer and its contract.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Customer {
    pub id: String,
    /// `domain::customers::CustomerKind::code`.
    pub kind: String,
    pub name: String,
    pub registry: Option<String>,
    pub registry_number: Option<String>,
    pub contract_reference: String,
    /// YYYY-MM-DD.
    pub contract_signed_on: String,
    /// `domain::customers::ContractStatus::code`.
    pub status: String,
    /// `operator` or `development`.
    pub origin: String,
    pub recorded_by: String,
    pub recorded_at: i64,
    pub ended_at: Option<i64>,
}

const CUSTOMER: &str = "SELECT id, kind, name, registry, registry_number, contract_reference, \
     contract_signed_on, status, origin, recorded_by, recorded_at, ended_at FROM customer";

pub async fn insert<'c>(
    executor: impl Executor<'c, Database = Any>,
    customer: &Customer,
) -> Result<bool, sqlx::Error> {
    // A contract reference recorded twice at once: the second writes nothing.
    sqlx::query(
        "INSERT INTO customer (id, kind, name, registry, registry_number, contract_reference, \
         contract_signed_on, status, origin, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (contract_reference) DO NOTHING",
    )
    .bind(&customer.id)
    .bind(&customer.kind)
    .bind(&customer.name)
    .bind(&customer.registry)
    .bind(&customer.registry_number)
    .bind(&customer.contract_reference)
    .bind(&customer.contract_signed_on)
    .bind(&customer.status)
    .bind(&customer.origin)
    .bind(&customer.recorded_by)
    .bind(customer.recorded_at)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

pub async fn by_id<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<Customer>, sqlx::Error> {
    sqlx::query_as(&format!("{CUSTOMER} WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// Every customer, the latest recorded first.
pub async fn all<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Vec<Customer>, sqlx::Error> {
    sqlx::query_as(&format!("{CUSTOMER} ORDER BY recorded_at DESC, id"))
        .fetch_all(executor)
        .await
}

/// Ends an active contract; false if it was not active.
pub async fn end<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    by: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE customer SET status = 'ended', ended_by = $1, ended_at = $2 \
         WHERE id = $3 AND status = 'active'",
    )
    .bind(by)
    .bind(at)
    .bind(id)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

/// A user of a customer, with the account's name and address.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct User {
    pub id: String,
    pub customer_id: String,
    pub account_id: String,
    pub name: String,
    pub email: String,
    /// `domain::customers::CustomerRole::code`.
    pub role: String,
    /// `active` or `removed`.
    pub status: String,
    pub joined_at: i64,
    pub removed_at: Option<i64>,
}

const USER: &str = "SELECT u.id, u.customer_id, u.account_id, a.name, a.email, u.role, u.status, \
     u.joined_at, u.removed_at FROM customer_user u JOIN account a ON a.id = u.account_id";

/// Makes `account_id` an active user; false if it already is one (of any customer).
pub async fn insert_user<'c>(
    executor: impl Executor<'c, Database = Any>,
    user: &User,
    invitation_id: Option<&str>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO customer_user (id, customer_id, account_id, role, status, invitation_id, joined_at) \
         VALUES ($1, $2, $3, $4, 'active', $5, $6) \
         ON CONFLICT (account_id) WHERE status = 'active' DO NOTHING",
    )
    .bind(&user.id)
    .bind(&user.customer_id)
    .bind(&user.account_id)
    .bind(&user.role)
    .bind(invitation_id)
    .bind(user.joined_at)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

/// The customer `account_id` is an active user of, and its contract's status, in one query
/// (asked at every page's auth state and at every sending).
pub async fn contract_of<'c>(
    executor: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.status FROM customer_user u JOIN customer c ON c.id = u.customer_id \
         WHERE u.account_id = $1 AND u.status = 'active'",
    )
    .bind(account_id)
    .fetch_optional(executor)
    .await
}

/// The customer `account_id` is an active user of, if any.
pub async fn active_user_of<'c>(
    executor: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{USER} WHERE u.account_id = $1 AND u.status = 'active'"
    ))
    .bind(account_id)
    .fetch_optional(executor)
    .await
}

pub async fn user<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as(&format!("{USER} WHERE u.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// The active users of a customer, administrators first.
pub async fn users<'c>(
    executor: impl Executor<'c, Database = Any>,
    customer_id: &str,
) -> Result<Vec<User>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{USER} WHERE u.customer_id = $1 AND u.status = 'active' ORDER BY u.role, u.joined_at, u.id"
    ))
    .bind(customer_id)
    .fetch_all(executor)
    .await
}

/// Removes an active user; false if it was not active.
pub async fn remove_user<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    by: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE customer_user SET status = 'removed', removed_by = $1, removed_at = $2 \
         WHERE id = $3 AND status = 'active'",
    )
    .bind(by)
    .bind(at)
    .bind(id)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

/// An invitation, with the customer's name.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Invitation {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub email: String,
    pub email_key: String,
    pub role: String,
    pub invited_by: String,
    pub inviter_name: String,
    pub invited_at: i64,
    pub expires_at: i64,
    /// `domain::customers::InvitationStatus::code`.
    pub status: String,
}

const INVITATION: &str = "SELECT i.id, i.customer_id, c.name AS customer_name, i.email, \
     i.email_key, i.role, i.invited_by, a.name AS inviter_name, i.invited_at, i.expires_at, \
     i.status FROM customer_invitation i JOIN customer c ON c.id = i.customer_id \
     JOIN account a ON a.id = i.invited_by";

pub async fn insert_invitation<'c>(
    executor: impl Executor<'c, Database = Any>,
    invitation: &Invitation,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO customer_invitation (id, customer_id, email, email_key, role, invited_by, \
         invited_at, expires_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending')",
    )
    .bind(&invitation.id)
    .bind(&invitation.customer_id)
    .bind(&invitation.email)
    .bind(&invitation.email_key)
    .bind(&invitation.role)
    .bind(&invitation.invited_by)
    .bind(invitation.invited_at)
    .bind(invitation.expires_at)
    .execute(executor)
    .await
    .map(|_| ())
}

pub async fn invitation<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<Invitation>, sqlx::Error> {
    sqlx::query_as(&format!("{INVITATION} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// The pending invitations to an address, still valid at `now`.
pub async fn invitations_to<'c>(
    executor: impl Executor<'c, Database = Any>,
    email_key: &str,
    now: i64,
) -> Result<Vec<Invitation>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{INVITATION} WHERE i.email_key = $1 AND i.status = 'pending' AND i.expires_at > $2 \
         ORDER BY i.invited_at, i.id"
    ))
    .bind(email_key)
    .bind(now)
    .fetch_all(executor)
    .await
}

/// The pending invitations of a customer, still valid at `now`.
pub async fn invitations_of<'c>(
    executor: impl Executor<'c, Database = Any>,
    customer_id: &str,
    now: i64,
) -> Result<Vec<Invitation>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{INVITATION} WHERE i.customer_id = $1 AND i.status = 'pending' AND i.expires_at > $2 \
         ORDER BY i.invited_at, i.id"
    ))
    .bind(customer_id)
    .bind(now)
    .fetch_all(executor)
    .await
}

/// Closes a pending invitation with `status`; false if it was no longer pending.
pub async fn answer_invitation<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    status: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE customer_invitation SET status = $1, answered_at = $2 \
         WHERE id = $3 AND status = 'pending'",
    )
    .bind(status)
    .bind(at)
    .bind(id)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

/// A letter sent for a customer, one row per recipient.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Letter {
    pub transaction_id: String,
    pub letter_id: String,
    pub subject: String,
    pub sent_at: i64,
    pub sender_name: String,
    pub sender_company: Option<String>,
    pub recipient_name: String,
    pub recipient_email: String,
    pub status: String,
}

/// The letters sent for a customer, the latest first (at most `limit` recipients).
pub async fn letters<'c>(
    executor: impl Executor<'c, Database = Any>,
    customer_id: &str,
    limit: i64,
) -> Result<Vec<Letter>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id AS transaction_id, l.id AS letter_id, l.subject, l.sent_at, \
         COALESCE(l.sender_name, '') AS sender_name, l.sender_company, t.recipient_name, \
         t.recipient_email, t.status \
         FROM letter l JOIN letter_transaction t ON t.letter_id = l.id \
         WHERE l.customer_id = $1 ORDER BY l.sent_at DESC, t.id LIMIT $2",
    )
    .bind(customer_id)
    .bind(limit)
    .fetch_all(executor)
    .await
}
