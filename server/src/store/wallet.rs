//! Table `wallet_request`: the OpenID4VP requests of identity proofings with the EU digital
//! identity wallet, and what the presented credentials said (issue 14).

use sqlx::{Any, Executor};

use super::oidc::Outcome;

/// A presentation request, and its outcome once the wallet answered.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Request {
    /// The request's `state`.
    pub id: String,
    /// Our proofing id.
    pub reference: String,
    pub nonce: String,
    pub response_code: String,
    pub return_url: String,
    pub created_at: i64,
    /// pending | succeeded | failed.
    pub status: String,
    /// `same` or `cross` device, once the wallet fetched the request.
    pub flow: Option<String>,
    pub returned_at: Option<i64>,
    pub issuer: Option<String>,
    pub subject: Option<String>,
    pub level: Option<String>,
    pub verified_name: Option<String>,
    pub birth_date: Option<String>,
    pub birth_place: Option<String>,
    pub failure: Option<String>,
}

const COLUMNS: &str = "id, reference, nonce, response_code, return_url, created_at, status, \
     flow, returned_at, issuer, subject, level, verified_name, birth_date, birth_place, failure";

pub async fn insert<'c>(
    executor: impl Executor<'c, Database = Any>,
    row: &Request,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO wallet_request (id, reference, nonce, response_code, return_url, \
         created_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'pending')",
    )
    .bind(&row.id)
    .bind(&row.reference)
    .bind(&row.nonce)
    .bind(&row.response_code)
    .bind(&row.return_url)
    .bind(row.created_at)
    .execute(executor)
    .await
    .map(|_| ())
}

pub async fn get<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<Request>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM wallet_request WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await
}

/// Records how the wallet fetched pending request `id` (the first fetch counts).
pub async fn set_flow<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    flow: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE wallet_request SET flow = $1 WHERE id = $2 AND flow IS NULL AND status = 'pending'",
    )
    .bind(flow)
    .bind(id)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Records that the browser came back with the request's response code.
pub async fn set_returned<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE wallet_request SET returned_at = $1 WHERE id = $2 AND returned_at IS NULL")
        .bind(at)
        .bind(id)
        .execute(executor)
        .await
        .map(|_| ())
}

/// Records the outcome of pending request `id`, once: false if it was no longer pending (a
/// presentation replayed, or racing another).
pub async fn finish<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    issuer: Option<&str>,
    outcome: &Outcome<'_>,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE wallet_request SET status = $1, finished_at = $2, subject = $3, level = $4, \
         verified_name = $5, birth_date = $6, birth_place = $7, failure = $8, issuer = $9 \
         WHERE id = $10 AND status = 'pending'",
    )
    .bind(if outcome.succeeded {
        "succeeded"
    } else {
        "failed"
    })
    .bind(at)
    .bind(outcome.subject)
    .bind(outcome.level)
    .bind(outcome.verified_name)
    .bind(outcome.birth_date)
    .bind(outcome.birth_place)
    .bind(outcome.failure)
    .bind(issuer)
    .bind(id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}
