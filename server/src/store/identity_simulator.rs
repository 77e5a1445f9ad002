//! Table `identity_simulator_session`: the sessions of the development identity simulator
//! (the provider's side; a real provider keeps its own).

use sqlx::{Any, Executor, Pool};

use crate::identity::ProofingRequest;

/// Opens a session for `request`.
pub async fn insert<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    request: &ProofingRequest,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO identity_simulator_session (id, reference, expected_name, return_url, \
         created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(&request.reference)
    .bind(&request.expected_name)
    .bind(&request.return_url)
    .bind(now_ms)
    .execute(executor)
    .await
    .map(|_| ())
}

/// The tester's decision (`success`/`failure`) and the verified name, once decided.
pub async fn outcome<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<(Option<String>, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT outcome, verified_name FROM identity_simulator_session WHERE id = $1")
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// Expected name, return URL and outcome of a session.
pub async fn get<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<(String, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT expected_name, return_url, outcome FROM identity_simulator_session WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(executor)
    .await
}

/// Records the tester's decision, once; returns the URL to send the user back to.
pub async fn decide(
    pool: &Pool<Any>,
    id: &str,
    success: bool,
    verified_name: &str,
    now_ms: i64,
) -> Result<Option<String>, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE identity_simulator_session SET outcome = $1, verified_name = $2, decided_at = $3 \
         WHERE id = $4 AND outcome IS NULL",
    )
    .bind(if success { "success" } else { "failure" })
    .bind(verified_name)
    .bind(now_ms)
    .bind(id)
    .execute(pool)
    .await?;
    if updated.rows_affected() != 1 {
        return Ok(None);
    }
    let (url,): (String,) =
        sqlx::query_as("SELECT return_url FROM identity_simulator_session WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await?;
    Ok(Some(url))
}
