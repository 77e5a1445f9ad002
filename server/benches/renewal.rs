//! Long-term evidence (issue 12): the job queue's sweep extending 1,000 stored evidences to
//! PAdES-B-LTA, then renewing them, against the raw signing rate of the same token in the same
//! run.
//!
//! The real server (`spawn_app_with`, SQLite, built-in TSA, `evidence.long_term` on) stores
//! the evidences of one letter, copied under new ids up to `PLI_BENCH_EVIDENCES` (default
//! 1,000; not timed). Then, on the same token, key and mechanism (`CKM_SHA256_RSA_PKCS`,
//! RSA-3072):
//!
//! - **sign ×2**: 1,000 raw signatures on two threads, the baseline;
//! - **extend**: sweeps until every evidence is B-LTA (each: the root's CRL and OCSP responses
//!   signed in the token, a document time-stamp signed in the token, the result verified);
//! - **renew**: every evidence made due again, sweeps until each has its second document
//!   time-stamp.
//!
//! It prints each pass's rate (evidences a second), the baseline's (signatures a second), how
//! many raw signatures one extension costs in time, and the bytes each pass added per evidence.
//! `cargo bench -p server --bench renewal` (or `make bench`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmark: a panic is the failure report"
)]

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/signing.rs"]
mod signing;

use std::time::{Duration, Instant};

use common::scenario::{Scenario, pdf_bytes};
use common::{Backend, TestApp, spawn_app_with};
use evidence::{Hsm, HsmConfig};
use signing::sign_on;

fn main() {
    let count: usize = std::env::var("PLI_BENCH_EVIDENCES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(count));
}

async fn run(count: usize) {
    let app = spawn_app_with(Backend::Sqlite, |config| config.evidence.long_term = true).await;
    Scenario::new(&app)
        .sender("alice@example.org", "Alice Martin")
        .recipient("bob@example.net", "Bob Durand")
        .attachment("contrat.pdf", pdf_bytes("contrat", 10_000))
        .send()
        .await;
    common::records::settle(&app).await;
    seed(&app, count).await;
    let stored = total_bytes(&app).await;

    let config = &app.state.config;
    let hsm = Hsm::open(&HsmConfig {
        module: config.hsm.module.clone(),
        token_label: config.hsm.token_label.clone(),
        user_pin: config.hsm_user_pin().unwrap(),
        so_pin: None,
    })
    .unwrap();
    let label = config.hsm.seal_key_label.clone();
    let signatures = 1_000;
    let sign_two = tokio::task::spawn_blocking(move || sign_on(&hsm, &label, 2, signatures))
        .await
        .unwrap();
    let sign_rate = signatures as f64 / sign_two.as_secs_f64();

    let extend = sweep(&app, count, 1).await;
    let extended = total_bytes(&app).await;
    // Every evidence due again, as if its time-stamp's certificate ended in a month.
    let soon = app.state.clock.now() + chrono::TimeDelta::days(30);
    sqlx::query("UPDATE evidence SET long_term_until = $1")
        .bind(soon.timestamp_millis())
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let renew = sweep(&app, count, 2).await;
    let renewed = total_bytes(&app).await;
    app.stop().await;

    let total = count as f64;
    println!(
        "long-term evidence, {count} stored evidences, SQLite, built-in TSA, {} cores",
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    println!("  raw signing ×2: {sign_rate:.0} signatures/s");
    for (name, took, bytes) in [
        ("extension (B-LTA)", extend, extended - stored),
        ("renewal", renew, renewed - extended),
    ] {
        let rate = total / took.as_secs_f64();
        println!(
            "  {name}: {rate:.1} evidences/s ({:.2} s), rate / raw signing rate {:.3} (= {:.1} \
             signatures' time each), {:.0} bytes added per evidence",
            took.as_secs_f64(),
            rate / sign_rate,
            sign_rate / rate,
            bytes as f64 / total
        );
    }
}

/// Copies the stored evidences under new ids until there are `count`.
async fn seed(app: &TestApp, count: usize) {
    let rows: Vec<(String, i64, Vec<u8>, String)> =
        sqlx::query_as("SELECT kind, created_at, pdf, sha256 FROM evidence")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    let have = rows.len();
    let mut tx = app.state.db.pool().begin().await.unwrap();
    for i in have..count {
        let (kind, created_at, pdf, sha256) = &rows[i % have];
        sqlx::query(
            "INSERT INTO evidence (id, kind, created_at, letter_id, pdf, sha256) \
             VALUES ($1, $2, $3, NULL, $4, $5)",
        )
        .bind(format!("bench-{i}"))
        .bind(kind)
        .bind(created_at)
        .bind(pdf)
        .bind(sha256)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn total_bytes(app: &TestApp) -> i64 {
    let pdfs: Vec<Vec<u8>> = sqlx::query_scalar("SELECT pdf FROM evidence")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    pdfs.iter().map(|pdf| pdf.len() as i64).sum()
}

/// Sweeps until every evidence has `stamps` document time-stamps' worth of extensions (its
/// `long_term_until` set, and later than a month from now); the time it took.
async fn sweep(app: &TestApp, count: usize, pass: usize) -> Duration {
    let started = Instant::now();
    server::long_term::request_sweep(&app.state.jobs, app.state.clock.now())
        .await
        .unwrap();
    let month = (app.state.clock.now() + chrono::TimeDelta::days(31)).timestamp_millis();
    loop {
        app.state.jobs.run_due().await.unwrap();
        let done: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM evidence WHERE long_term_until IS NOT NULL AND long_term_until > $1",
        )
        .bind(month)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        if done as usize >= count {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(1_800),
            "pass {pass}: {done} of {count} evidences after 30 minutes"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
