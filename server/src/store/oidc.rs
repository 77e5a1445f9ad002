//! Table `oidc_authorization`: the OpenID Connect authorization requests of identity proofings
//! and what their ID tokens said (issue 14, ID-01).

use sqlx::{Any, Executor};

/// An authorization request, and its outcome once the provider sent the person back.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Authorization {
    /// The request's `state`.
    pub id: String,
    /// Our proofing id.
    pub reference: String,
    pub nonce: String,
    pub code_verifier: String,
    pub return_url: String,
    pub created_at: i64,
    /// pending | succeeded | failed.
    pub status: String,
    pub subject: Option<String>,
    pub level: Option<String>,
    pub verified_name: Option<String>,
    pub birth_date: Option<String>,
    pub birth_place: Option<String>,
    pub failure: Option<String>,
}

const COLUMNS: &str = "id, reference, nonce, code_verifier, return_url, created_at, status, \
     subject, level, verified_name, birth_date, birth_place, failure";

pub async fn insert<'c>(
    executor: impl Executor<'c, Database = Any>,
    row: &Authorization,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO oidc_authorization (id, reference, nonce, code_verifier, return_url, \
         created_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'pending')",
    )
    .bind(&row.id)
    .bind(&row.reference)
    .bind(&row.nonce)
    .bind(&row.code_verifier)
    .bind(&row.return_url)
    .bind(row.created_at)
    .execute(executor)
    .await
    .map(|_| ())
}

pub async fn get<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<Authorization>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM oidc_authorization WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await
}

/// What the callback found.
pub struct Outcome<'a> {
    pub succeeded: bool,
    pub subject: Option<&'a str>,
    pub level: Option<&'a str>,
    pub verified_name: Option<&'a str>,
    pub birth_date: Option<&'a str>,
    pub birth_place: Option<&'a str>,
    pub failure: Option<&'a str>,
}

impl<'a> Outcome<'a> {
    /// A refusal, for `reason`.
    pub fn refused(reason: &'a str) -> Outcome<'a> {
        Outcome {
            succeeded: false,
            subject: None,
            level: None,
            verified_name: None,
            birth_date: None,
            birth_place: None,
            failure: Some(reason),
        }
    }
}

/// Records the outcome of pending request `id`, once: false if it was no longer pending (a
/// callback replayed, or racing another).
pub async fn finish<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    outcome: &Outcome<'_>,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE oidc_authorization SET status = $1, finished_at = $2, subject = $3, level = $4, \
         verified_name = $5, birth_date = $6, birth_place = $7, failure = $8 \
         WHERE id = $9 AND status = 'pending'",
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
    .bind(id)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}
