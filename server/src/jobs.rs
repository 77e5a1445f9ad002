//! The durable job queue (issue 5): work that must happen later or must not be lost — letter
//! reminders and expiry, consent expiry, email delivery — stored in the database.
//!
//! - **Durable**: a job is a row; a job due while the server was down runs when it starts.
//! - **Claimed with a lease**: a worker claims one due job at a time (`FOR UPDATE SKIP LOCKED`
//!   on PostgreSQL, so that several instances never claim the same job; SQLite serialises
//!   writers anyway) for [`LEASE`]; a crashed worker's job is claimable again when the lease
//!   ends.
//! - **Exactly once to completion**: the handler's effects and the job's completion commit in
//!   one transaction, and the completion only applies while the lease is still ours; a handler
//!   whose work is outside the database (SMTP) is at-least-once, never lost.
//! - **Retries with backoff**: a failed attempt is retried after 30 s, 1 min, 2 min... up to
//!   `max_attempts`, then the job is `failed` and stays for an operator.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::TimeDelta;
use sqlx::{Any, Transaction};

use crate::clock::Clock;
use crate::db::Db;
use crate::error::{JobResult, ServerError};
use crate::store::jobs as store;

/// How long a claimed job stays ours.
pub const LEASE: TimeDelta = TimeDelta::minutes(5);

/// A claimed job, handed to its handler.
#[derive(Clone, Debug)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub payload: serde_json::Value,
    /// 1 on the first attempt.
    pub attempt: i64,
    /// Why the previous attempt failed, if it did.
    pub last_error: Option<String>,
}

/// What a job kind does. Effects in the database go through `tx`, which commits with the job's
/// completion.
#[async_trait::async_trait]
pub trait Handler: Send + Sync + 'static {
    async fn run(&self, tx: &mut Transaction<'_, Any>, job: &Job) -> JobResult;
}

/// The queue: enqueue jobs, register handlers, run due jobs.
#[derive(Clone)]
pub struct Jobs {
    db: Db,
    clock: Clock,
    worker: String,
    handlers: Arc<RwLock<HashMap<String, Arc<dyn Handler>>>>,
}

/// A job to enqueue.
#[derive(Clone, Debug)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub due_at: chrono::DateTime<chrono::Utc>,
    pub unique_key: Option<String>,
    pub max_attempts: i64,
}

impl Jobs {
    pub fn new(db: Db, clock: Clock) -> Jobs {
        Jobs {
            db,
            clock,
            worker: uuid::Uuid::new_v4().to_string(),
            handlers: Arc::new(RwLock::new(HashMap::new())),
        }
    }

    /// Registers the handler of `kind` (replacing any previous one).
    pub fn register(&self, kind: &str, handler: Arc<dyn Handler>) {
        self.handlers
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(kind.to_owned(), handler);
    }

    /// Enqueues `job` inside `tx` (so it exists exactly when what asked for it exists). A job
    /// whose `unique_key` is already queued is not added again. Returns whether it was added.
    pub async fn enqueue_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        job: &NewJob,
    ) -> Result<bool, sqlx::Error> {
        store::insert(
            &mut **tx,
            &store::NewJob {
                id: &uuid::Uuid::now_v7().to_string(),
                kind: &job.kind,
                payload: &job.payload.to_string(),
                unique_key: job.unique_key.as_deref(),
                due_at: job.due_at.timestamp_millis(),
                max_attempts: job.max_attempts,
                created_at: self.clock.now_ms(),
            },
        )
        .await
    }

    /// Enqueues `job` in its own transaction.
    pub async fn enqueue(&self, job: &NewJob) -> Result<bool, sqlx::Error> {
        let mut tx = self.db.begin().await?;
        let added = self.enqueue_in(&mut tx, job).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Claims one due job, if any (committed at once: the lease is visible to others).
    async fn claim(&self) -> Result<Option<Job>, sqlx::Error> {
        let now = self.clock.now_ms();
        let claimed = store::claim(
            self.db.pool(),
            self.db.backend(),
            &self.worker,
            now + LEASE.num_milliseconds(),
            now,
        )
        .await?;
        Ok(claimed.map(|job| Job {
            id: job.id,
            kind: job.kind,
            payload: serde_json::from_str(&job.payload).unwrap_or(serde_json::Value::Null),
            attempt: job.attempts,
            last_error: job.last_error,
        }))
    }

    /// Runs due jobs until none is left; returns how many completed.
    pub async fn run_due(&self) -> Result<usize, sqlx::Error> {
        let mut completed = 0;
        while let Some(job) = self.claim().await? {
            if self.run_one(&job).await? {
                completed += 1;
            }
        }
        Ok(completed)
    }

    async fn run_one(&self, job: &Job) -> Result<bool, sqlx::Error> {
        let handler = self
            .handlers
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&job.kind)
            .cloned();
        // A deferred transaction, even on SQLite: a handler may deliver mail or seal before it
        // writes, and must not hold the write lock meanwhile (nor wait on itself when it writes
        // through the pool, as the development mailbox does).
        let mut tx = self.db.pool().begin().await?;
        let outcome = match handler {
            Some(handler) => handler.run(&mut tx, job).await,
            None => Err(ServerError::internal(format!(
                "no handler for job kind {}",
                job.kind
            ))),
        };
        match outcome {
            Ok(()) => {
                let done =
                    store::complete(&mut *tx, &job.id, &self.worker, self.clock.now_ms()).await?;
                if done {
                    tx.commit().await?;
                    tracing::info!(job_id = %job.id, kind = %job.kind, attempt = job.attempt, "job done");
                    Ok(true)
                } else {
                    // Our lease ended and someone else took the job: our effects must not count.
                    tx.rollback().await?;
                    tracing::warn!(job_id = %job.id, "job lease lost; effects rolled back");
                    Ok(false)
                }
            }
            Err(error) => {
                tx.rollback().await?;
                self.fail(job, &error.to_string()).await?;
                Ok(false)
            }
        }
    }

    /// Records a failed attempt: retry later with exponential backoff, or give up.
    async fn fail(&self, job: &Job, error: &str) -> Result<(), sqlx::Error> {
        let backoff = 30_000i64 << (job.attempt - 1).clamp(0, 10);
        store::fail(
            self.db.pool(),
            &job.id,
            &self.worker,
            error,
            self.clock.now_ms() + backoff,
        )
        .await?;
        tracing::warn!(job_id = %job.id, kind = %job.kind, attempt = job.attempt, %error, "job failed");
        Ok(())
    }

    /// Runs due jobs every `every`, until the process ends.
    pub async fn run_forever(self, every: Duration) {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(error) = self.run_due().await {
                tracing::error!(%error, "job queue");
            }
        }
    }
}
