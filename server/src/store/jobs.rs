//! The `job` table: the durable job queue (issue 5). A job is `pending` until it is `done`, or
//! `failed` once its attempts are spent; a worker claims a due job with a lease
//! (`locked_by`, `locked_until`), and every later change of the job is conditional on that
//! lease still being the worker's. The queue's rules — lease length, backoff, handlers — are
//! `crate::jobs`'s.

use sqlx::{Any, Executor};

use crate::db::Backend;

/// A job to store, `pending` with no attempt yet.
#[derive(Clone, Debug)]
pub struct NewJob<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    /// The handler's input, as JSON text.
    pub payload: &'a str,
    /// At most one queued job per key.
    pub unique_key: Option<&'a str>,
    pub due_at: i64,
    pub max_attempts: i64,
    pub created_at: i64,
}

/// Stores `job`, unless a job with its `unique_key` exists already; returns whether it was
/// added.
pub async fn insert<'c>(
    executor: impl Executor<'c, Database = Any>,
    job: &NewJob<'_>,
) -> Result<bool, sqlx::Error> {
    let added = sqlx::query(
        "INSERT INTO job (id, kind, payload, unique_key, status, due_at, attempts, max_attempts, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5, 0, $6, $7) ON CONFLICT (unique_key) DO NOTHING",
    )
    .bind(job.id)
    .bind(job.kind)
    .bind(job.payload)
    .bind(job.unique_key)
    .bind(job.due_at)
    .bind(job.max_attempts)
    .bind(job.created_at)
    .execute(executor)
    .await?;
    Ok(added.rows_affected() == 1)
}

/// A claimed job, as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: String,
    pub kind: String,
    /// JSON text.
    pub payload: String,
    /// This attempt's number (1 on the first).
    pub attempts: i64,
    /// The error of the previous attempt, if it failed.
    pub last_error: Option<String>,
}

/// Claims the first pending job due at `now` whose lease (if any) has ended: leases it to
/// `worker` until `locked_until` and counts the attempt.
///
/// On PostgreSQL the candidate row is taken `FOR UPDATE SKIP LOCKED`, so that instances
/// claiming at the same moment skip each other's rows; SQLite has one writer at a time, so the
/// statement is atomic as it is.
pub async fn claim<'c>(
    executor: impl Executor<'c, Database = Any>,
    backend: Backend,
    worker: &str,
    locked_until: i64,
    now: i64,
) -> Result<Option<Claimed>, sqlx::Error> {
    let lock = if backend == Backend::Postgres {
        "FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE job SET locked_by = $1, locked_until = $2, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM job WHERE status = 'pending' AND due_at <= $3 \
                     AND (locked_until IS NULL OR locked_until < $3) \
                     ORDER BY due_at, id LIMIT 1 {lock}) \
         RETURNING id, kind, payload, attempts, last_error"
    );
    sqlx::query_as(&sql)
        .bind(worker)
        .bind(locked_until)
        .bind(now)
        .fetch_optional(executor)
        .await
}

/// Marks the job `done` at `now` and releases it, if it is still pending and leased to
/// `worker`; returns whether it was (false: the lease ended and another worker took it).
pub async fn complete<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    worker: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE job SET status = 'done', done_at = $1, locked_by = NULL, locked_until = NULL \
         WHERE id = $2 AND status = 'pending' AND locked_by = $3",
    )
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a failed attempt of the job leased to `worker`: releases it with `error`, due again
/// at `retry_at`, or `failed` when its attempts are spent.
pub async fn fail<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    worker: &str,
    error: &str,
    retry_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE job SET locked_by = NULL, locked_until = NULL, last_error = $1, due_at = $2, \
         status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END \
         WHERE id = $3 AND locked_by = $4",
    )
    .bind(error)
    .bind(retry_at)
    .bind(id)
    .bind(worker)
    .execute(executor)
    .await?;
    Ok(())
}

/// Replaces the job's payload (JSON text), e.g. to erase a delivered email's body.
pub async fn set_payload<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    payload: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE job SET payload = $1 WHERE id = $2")
        .bind(payload)
        .bind(id)
        .execute(executor)
        .await?;
    Ok(())
}
