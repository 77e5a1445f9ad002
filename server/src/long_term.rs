//! Long-term evidence, the job (issue 12, EVD-05): every stored evidence is extended to
//! PAdES-B-LTA once issued, and renewed — a new document time-stamp with the previous one's
//! validation data — `evidence.renew_before_days` before its last time-stamp's certificate
//! ends. The service keeps the latest version (`evidence.pdf`); the journal and the
//! transparency log keep the digest of the PDF as sealed, which no extension changes.
//!
//! The work goes through the one job queue: a sweep job (kind [`JOB`]) extends up to [`BATCH`]
//! due evidences, stores them and journals each extension (audit event
//! `evidence/long_term_extended`) in the job's transaction, then queues its continuation when
//! more are due. An evidence whose extension fails (its CA unreachable, a certificate revoked)
//! is logged and tried again an hour later, without holding up the others. A ticker queues a sweep every `evidence.sweep_seconds`, one a period across
//! instances (the job's unique key). A crash loses nothing: an evidence not stored extended is extended again.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use futures_util::StreamExt;
use serde_json::json;
use sqlx::{Any, Transaction};

use crate::AppState;
use crate::audit::{self, Event};
use crate::clock::Clock;
use crate::db::Db;
use crate::error::JobResult;
use crate::jobs::{Handler, Job, Jobs, NewJob};
use crate::sealing::Sealer;
use crate::sealing::long_term::DevValidation;
use crate::store;

/// The sweep's job kind.
pub const JOB: &str = "evidence_long_term";

/// How many evidences one sweep extends at most.
pub const BATCH: i64 = 20;

/// How many extensions are under way at once (their blocking steps share the sealer's
/// permits, one per core; the rest overlap an HTTP TSA's round trips).
const IN_FLIGHT: usize = 8;

/// How long after a failed extension an evidence is tried again.
const RETRY: TimeDelta = TimeDelta::hours(1);

/// The sweep: extends the due evidences.
pub struct Sweep {
    db: Db,
    sealer: Sealer,
    validation: Option<DevValidation>,
    clock: Clock,
    jobs: Jobs,
    renew_before: TimeDelta,
    /// The end of the time-stamping certificate seen in the last renewal that could not extend
    /// an evidence (ms): evidences already verifiable until then are not renewed again, since
    /// a time-stamp under the same certificate would not take them further.
    ceiling: AtomicI64,
}

/// Registers the sweep with the job queue (when `evidence.long_term` is on).
pub fn register(state: &AppState) {
    if !state.config.evidence.long_term {
        return;
    }
    let sweep = Sweep {
        db: state.db.clone(),
        sealer: state.sealer.clone(),
        validation: state.seal.dev_revocation.clone().map(DevValidation::new),
        clock: state.clock.clone(),
        jobs: state.jobs.clone(),
        renew_before: TimeDelta::days(i64::from(state.config.evidence.renew_before_days)),
        ceiling: AtomicI64::new(i64::MAX),
    };
    state.jobs.register(JOB, Arc::new(sweep));
}

/// The job that sweeps at `at`, one per minute whoever asks.
fn sweep_job(at: DateTime<Utc>, key: String) -> NewJob {
    NewJob {
        kind: JOB.to_owned(),
        payload: json!({}),
        due_at: at,
        unique_key: Some(key),
        max_attempts: 5,
    }
}

/// Queues a sweep now, at most one a period of `every` whoever asks (the job's unique key
/// is the period).
pub async fn queue_sweep(
    jobs: &Jobs,
    now: DateTime<Utc>,
    every: Duration,
) -> Result<bool, sqlx::Error> {
    let period = now.timestamp_millis() / i64::try_from(every.as_millis().max(1)).unwrap_or(1);
    let key = format!("{JOB}:{}:{period}", every.as_secs());
    jobs.enqueue(&sweep_job(now, key)).await
}

/// Queues a sweep now, whatever else is queued (on demand: tests, benchmarks, an operator).
pub async fn request_sweep(jobs: &Jobs, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    let key = format!("{JOB}:request:{}", uuid::Uuid::now_v7());
    jobs.enqueue(&sweep_job(now, key)).await
}

/// Queues a sweep every `every` (the first at once), while the server runs.
pub async fn ticker(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        if let Err(error) = queue_sweep(&state.jobs, state.clock.now(), every).await {
            tracing::warn!(%error, "cannot queue the long-term sweep");
        }
    }
}

#[async_trait::async_trait]
impl Handler for Sweep {
    async fn run(&self, tx: &mut Transaction<'_, Any>, job: &Job) -> JobResult {
        let now = self.clock.now();
        let before = (now + self.renew_before).timestamp_millis();
        let ceiling = self.ceiling.load(Ordering::Relaxed);
        // Read outside the job's transaction, whose first statement must be a write (SQLite).
        let due = store::evidence::long_term_due(
            self.db.pool(),
            before.min(ceiling),
            now.timestamp_millis(),
            BATCH,
        )
        .await?;
        // Extended concurrently (the sealer bounds the blocking work to its cores), in order.
        let extensions: Vec<_> = due
            .iter()
            .map(|evidence| {
                self.sealer
                    .extend_long_term(evidence.pdf.clone(), self.validation.as_ref())
            })
            .collect();
        let results: Vec<_> = futures_util::stream::iter(extensions)
            .buffered(IN_FLIGHT)
            .collect()
            .await;
        let mut extended = Vec::new();
        for (evidence, result) in due.iter().zip(results) {
            let done = match result {
                Ok(done) => done,
                Err(error) => {
                    // Its CA unreachable, a certificate revoked: the others go on, and this
                    // one is tried again later.
                    tracing::error!(evidence_id = %evidence.id, %error, "long-term extension failed; tried again in an hour");
                    let retry_at = (now + RETRY).timestamp_millis();
                    store::evidence::long_term_retry_at(&mut **tx, &evidence.id, retry_at).await?;
                    continue;
                }
            };
            let until = DateTime::<Utc>::from(done.until).timestamp_millis();
            if evidence.long_term_until.is_some_and(|old| until <= old) {
                // The time-stamping certificate ends no later than the last one: a renewal
                // cannot help until it is replaced.
                tracing::warn!(
                    evidence_id = %evidence.id,
                    tsa_certificate_end = until,
                    "long-term renewal cannot extend an evidence: renew the time-stamping \
                     unit's certificate"
                );
                self.ceiling.store(until, Ordering::Relaxed);
                continue;
            }
            extended.push((evidence, done.pdf, until));
        }
        for (evidence, pdf, until) in &extended {
            let previous = i64::try_from(evidence.pdf.len()).unwrap_or(i64::MAX);
            if !store::evidence::extend(&mut **tx, &evidence.id, pdf, *until, previous).await? {
                continue; // Extended meanwhile by another worker.
            }
            let event = Event::system(
                "evidence",
                "long_term_extended",
                json!({
                    "evidence_id": evidence.id,
                    "renewal": evidence.long_term_until.is_some(),
                    "bytes_added": pdf.len().saturating_sub(evidence.pdf.len()),
                    "sha256": crate::ledger::sha256_hex(pdf),
                    "verifiable_until": domain::time::rfc3339(*until),
                }),
            );
            audit::record_in(tx, now, &event).await?;
        }
        if due.len() as i64 == BATCH {
            let next = sweep_job(now, format!("{JOB}:after:{}", job.id));
            self.jobs.enqueue_in(tx, &next).await?;
        }
        tracing::info!(
            extended = extended.len(),
            due = due.len(),
            "long-term sweep"
        );
        Ok(())
    }
}
