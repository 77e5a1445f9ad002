//! The durable job queue (issue 5: reminders, expiry, email outbox run through it): durable,
//! exactly once to completion with several workers on one database, retries with backoff,
//! leases that outlive a crashed worker. On SQLite and PostgreSQL.

mod common;

use std::sync::Arc;

use chrono::TimeDelta;
use common::{Backend, fresh_database, t0};
use server::clock::Clock;
use server::db::Db;
use server::error::{JobResult, ServerError};
use server::jobs::{Handler, Job, Jobs, NewJob};
use sqlx::{Any, Transaction};

on_both_databases!(
    due_jobs_run_exactly_once_with_two_workers,
    failed_attempts_retry_with_backoff_then_give_up,
    a_failed_attempt_leaves_no_effect,
    unique_keys_deduplicate,
    a_crashed_workers_job_runs_after_its_lease,
);

/// Inserts one row per run into `job_effect`.
struct Record;

#[async_trait::async_trait]
impl Handler for Record {
    async fn run(&self, tx: &mut Transaction<'_, Any>, job: &Job) -> JobResult {
        sqlx::query("INSERT INTO job_effect (job_id) VALUES ($1)")
            .bind(&job.id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}

/// Records its effect, then fails.
struct RecordThenFail;

#[async_trait::async_trait]
impl Handler for RecordThenFail {
    async fn run(&self, tx: &mut Transaction<'_, Any>, job: &Job) -> JobResult {
        Record.run(tx, job).await?;
        Err(ServerError::internal("SMTP server unreachable"))
    }
}

async fn database(backend: Backend) -> (Db, Clock, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    let url = fresh_database(backend, dir.path()).await;
    let db = Db::connect(&url, 4, true).await.expect("db");
    db.migrate().await.expect("migrate");
    sqlx::query("CREATE TABLE job_effect (job_id TEXT NOT NULL)")
        .execute(db.pool())
        .await
        .expect("table");
    (db, Clock::manual(t0()), dir)
}

fn job(kind: &str, clock: &Clock) -> NewJob {
    NewJob {
        kind: kind.to_owned(),
        payload: serde_json::json!({ "letter": "x" }),
        due_at: clock.now(),
        unique_key: None,
        max_attempts: 3,
    }
}

async fn count(db: &Db, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(db.pool()).await.expect(sql);
    n
}

/// Two workers with their own connection pools (as two server processes) drain 200 due jobs:
/// each job's effect is committed exactly once.
async fn due_jobs_run_exactly_once_with_two_workers(backend: Backend) {
    let (db, clock, dir) = database(backend).await;
    let queue = Jobs::new(db.clone(), clock.clone());
    for _ in 0..200 {
        queue
            .enqueue(&job("record", &clock))
            .await
            .expect("enqueue");
    }
    let url = if backend == Backend::Sqlite {
        format!("sqlite://{}", dir.path().join("pli.sqlite3").display())
    } else {
        db_url(&db).await
    };
    let other = Db::connect(&url, 4, false).await.expect("second pool");
    let workers: Vec<_> = [db.clone(), other]
        .into_iter()
        .map(|db| {
            let jobs = Jobs::new(db, clock.clone());
            jobs.register("record", Arc::new(Record));
            tokio::spawn(async move { jobs.run_due().await.expect("run") })
        })
        .collect();
    let mut completed = Vec::new();
    for worker in workers {
        completed.push(worker.await.expect("worker"));
    }
    assert_eq!(completed.iter().sum::<usize>(), 200, "{completed:?}");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM job_effect").await, 200);
    assert_eq!(
        count(&db, "SELECT COUNT(DISTINCT job_id) FROM job_effect").await,
        200
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM job WHERE status = 'done'").await,
        200
    );
}

/// The PostgreSQL URL of this test database (its name from the server).
async fn db_url(db: &Db) -> String {
    let (name,): (String,) = sqlx::query_as("SELECT CAST(current_database() AS TEXT)")
        .fetch_one(db.pool())
        .await
        .expect("name");
    std::env::var("PLI_TEST_POSTGRES_URL")
        .expect("admin url")
        .replacen("postgres:///postgres", &format!("postgres:///{name}"), 1)
}

async fn failed_attempts_retry_with_backoff_then_give_up(backend: Backend) {
    let (db, clock, _dir) = database(backend).await;
    let queue = Jobs::new(db.clone(), clock.clone());
    queue.register("flaky", Arc::new(RecordThenFail));
    queue.enqueue(&job("flaky", &clock)).await.expect("enqueue");
    let status = || count(&db, "SELECT attempts FROM job");
    assert_eq!(queue.run_due().await.expect("run"), 0);
    assert_eq!(status().await, 1);
    // Not due again before the backoff (30 s after the first failure).
    clock.advance(TimeDelta::seconds(29));
    queue.run_due().await.expect("run");
    assert_eq!(status().await, 1);
    clock.advance(TimeDelta::seconds(2));
    queue.run_due().await.expect("run");
    assert_eq!(status().await, 2);
    clock.advance(TimeDelta::seconds(61)); // second backoff: 60 s
    queue.run_due().await.expect("run");
    assert_eq!(status().await, 3);
    let (state, error): (String, String) = sqlx::query_as("SELECT status, last_error FROM job")
        .fetch_one(db.pool())
        .await
        .expect("job");
    assert_eq!(state, "failed", "gives up after max_attempts");
    assert_eq!(error, "SMTP server unreachable");
}

async fn a_failed_attempt_leaves_no_effect(backend: Backend) {
    let (db, clock, _dir) = database(backend).await;
    let queue = Jobs::new(db.clone(), clock.clone());
    queue.register("flaky", Arc::new(RecordThenFail));
    queue.enqueue(&job("flaky", &clock)).await.expect("enqueue");
    queue.run_due().await.expect("run");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM job_effect").await,
        0,
        "rolled back with the attempt"
    );
}

async fn unique_keys_deduplicate(backend: Backend) {
    let (db, clock, _dir) = database(backend).await;
    let queue = Jobs::new(db.clone(), clock.clone());
    let keyed = NewJob {
        unique_key: Some("reminder:tx-1:4".to_owned()),
        ..job("record", &clock)
    };
    assert!(queue.enqueue(&keyed).await.expect("first"));
    assert!(!queue.enqueue(&keyed).await.expect("second"));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM job").await, 1);
}

/// A worker that claimed a job and died: the job waits for the lease (5 minutes), then another
/// worker runs it. Also: a job due while no worker ran is run when one starts.
async fn a_crashed_workers_job_runs_after_its_lease(backend: Backend) {
    let (db, clock, _dir) = database(backend).await;
    let queue = Jobs::new(db.clone(), clock.clone());
    queue.register("record", Arc::new(Record));
    queue
        .enqueue(&job("record", &clock))
        .await
        .expect("enqueue");
    let until = clock.now_ms() + server::jobs::LEASE.num_milliseconds();
    sqlx::query("UPDATE job SET locked_by = 'crashed-worker', locked_until = $1, attempts = 1")
        .bind(until)
        .execute(db.pool())
        .await
        .expect("claim as a crashed worker");
    assert_eq!(
        queue.run_due().await.expect("run"),
        0,
        "leased to someone else"
    );
    clock.advance(TimeDelta::minutes(5) + TimeDelta::seconds(1));
    assert_eq!(queue.run_due().await.expect("run"), 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM job_effect").await, 1);
}
