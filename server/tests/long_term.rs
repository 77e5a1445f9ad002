//! Long-term evidence (issue 12, EVD-05): with `evidence.long_term` on, the job queue extends
//! every stored evidence to PAdES-B-LTA and renews it when its last time-stamp's certificate
//! nears its end. The stored version passes pyHanko's offline LTA validation (today, and on
//! the day after the seal certificate has expired), `pli verify` (with its time-stamp chain),
//! the journal's verification and the transparency log's inclusion proofs, all of which keep
//! the digest of the PDF as sealed.

mod common;

use std::path::Path;
use std::time::Duration;

use common::ca::Ca;
use common::records::pli_verify;
use common::scenario::{Scenario, pdf_bytes};
use common::validators::venv_bin;
use common::{Backend, TestApp, spawn_app_with};

on_both_databases!(evidence_is_extended_renewed_and_still_verifies);

/// Every evidence: (id, stored PDF, journaled SHA-256, verifiable until).
async fn stored(app: &TestApp) -> Vec<(String, Vec<u8>, String, Option<i64>)> {
    sqlx::query_as("SELECT id, pdf, sha256, long_term_until FROM evidence ORDER BY created_at, id")
        .fetch_all(app.state.db.pool())
        .await
        .expect("evidence")
}

/// Queues a sweep and waits until no evidence is due (`done` says when), at most 60 s.
async fn sweep_until(
    app: &TestApp,
    done: impl Fn(&[(String, Vec<u8>, String, Option<i64>)]) -> bool,
) {
    server::long_term::request_sweep(&app.state.jobs, app.state.clock.now())
        .await
        .expect("queue");
    for _ in 0..600 {
        app.state.jobs.run_due().await.expect("jobs");
        if done(&stored(app).await) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the long-term sweep did not finish");
}

/// pyHanko's offline PAdES-B-LTA validation (evidence/tests/ltv_validate.py) of `pdf`, now or
/// at `at` (ISO 8601).
fn pyhanko_lta(pdf: &Path, root: &Path, at: Option<&str>) -> (bool, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../evidence/tests/ltv_validate.py");
    let mut command = std::process::Command::new(venv_bin("python3"));
    command.arg(script).arg(pdf).arg(root);
    if let Some(at) = at {
        command.arg(at);
    }
    let out = command.output().expect("python3");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

async fn evidence_is_extended_renewed_and_still_verifies(backend: Backend) {
    let app = spawn_app_with(backend, |config| config.evidence.long_term = true).await;
    Scenario::new(&app)
        .sender("alice@example.org", "Alice Martin")
        .recipient("bob@example.net", "Bob Durand")
        .attachment("contrat.pdf", pdf_bytes("contrat", 2000))
        .send()
        .await;
    sweep_until(&app, |rows| rows.iter().all(|(.., until)| until.is_some())).await;

    let rows = stored(&app).await;
    assert!(rows.len() >= 4, "{} evidences", rows.len());
    let roots = app.state.sealer.trust_roots().to_vec();
    for (id, pdf, sha256, _) in &rows {
        let report = evidence::verify_pdf(pdf, &roots, None);
        assert!(report.valid(), "{id}: {report}");
        assert_eq!(report.doc_timestamps.len(), 1, "{id}: {report}");
        // The journal keeps the digest of the PDF as sealed.
        assert_eq!(&server::ledger::sealed_sha256_hex(pdf), sha256, "{id}");
        assert_ne!(
            &server::ledger::sha256_hex(pdf),
            sha256,
            "{id} was extended"
        );
    }
    // Each extension is journaled, and the journal still verifies.
    let extended: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'long_term_extended'")
            .fetch_one(app.state.db.pool())
            .await
            .expect("events");
    assert_eq!(extended, rows.len() as i64);
    let ledger = server::ledger::verify(&app.state.db).await.expect("ledger");
    assert_eq!(ledger.first_break, None, "{ledger:?}");
    // The transparency log's leaves are those of the PDFs as sealed.
    let head = server::transparency::head(&app.state.db)
        .await
        .expect("head");
    let (id, pdf, ..) = &rows[1];
    let (index, proof) = server::transparency::inclusion(&app.state.db, id, head.size)
        .await
        .expect("proof")
        .expect("in the log");
    let report = evidence::verify_pdf(pdf, &roots, None);
    let leaf = server::transparency::proof::leaf_of(&report, pdf).expect("leaf");
    assert!(evidence::merkle::verify_inclusion(
        &leaf, index, head.size, &proof, &head.root
    ));

    // Independent validators, offline: pyHanko's LTA profile for every evidence of the
    // journey (each kind it issued) today, and for one after the seal certificate has expired;
    // `pli verify` shows the chain and finds the journal entry.
    let dir = tempfile::tempdir().expect("dir");
    let root = app.state.config.pki.dir.join("root.pem");
    let file = dir.path().join("evidence.pdf");
    for (id, pdf, ..) in &rows {
        std::fs::write(&file, pdf).expect("write");
        let (ok, text) = pyhanko_lta(&file, &root, None);
        assert!(ok && text.contains("B-LTA AdESPassed.OK"), "{id}: {text}");
    }
    std::fs::write(&file, pdf).expect("write");
    let seal_end = report.seal_not_after.expect("seal certificate");
    let after = chrono::DateTime::<chrono::Utc>::from(seal_end) + chrono::TimeDelta::days(1);
    let (ok, text) = pyhanko_lta(&file, &root, Some(&after.to_rfc3339()));
    assert!(ok && text.contains("B-LTA AdESPassed.OK"), "{text}");
    let (code, text) = pli_verify(&app, &[&file]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Time-stamp chain (PAdES-B-LTA)"), "{text}");
    assert!(text.contains("Journal: recorded as entry"), "{text}");

    // A renewal: one evidence whose last time-stamp's certificate ends in a month (as if
    // stamped by an older TSA certificate) gets a second document time-stamp.
    let soon = app.state.clock.now() + chrono::TimeDelta::days(30);
    sqlx::query("UPDATE evidence SET long_term_until = $1 WHERE id = $2")
        .bind(soon.timestamp_millis())
        .bind(id)
        .execute(app.state.db.pool())
        .await
        .expect("age");
    let before = pdf.len();
    sweep_until(&app, |rows| {
        rows.iter()
            .all(|(_, _, _, until)| until.is_some_and(|u| u > soon.timestamp_millis()))
    })
    .await;
    let (_, renewed, ..) = stored(&app)
        .await
        .into_iter()
        .find(|(row, ..)| row == id)
        .expect("evidence");
    let report = evidence::verify_pdf(&renewed, &roots, None);
    assert!(report.valid(), "{report}");
    assert_eq!(report.doc_timestamps.len(), 2, "{report}");
    println!(
        "bytes: sealed and extended {before}, renewal +{}",
        renewed.len() - before
    );
    std::fs::write(&file, &renewed).expect("write");
    let (ok, text) = pyhanko_lta(&file, &root, None);
    assert!(ok && text.contains("B-LTA AdESPassed.OK"), "{text}");
    app.stop().await;
}

/// A time-stamping unit of a CA outside the service (as in production): the revocation data of
/// its certificate come from that CA's OCSP responder and CRL, at the addresses the
/// certificate names, and the evidence passes pyHanko's offline B-LTA validation, which
/// requires them. A unit whose certificate the CA revoked: nothing is extended, the sweep goes
/// on, and the evidence is tried again later. (SQLite only: the database plays no part here.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocation_data_come_from_the_ca_that_issued_the_certificate() {
    let ca = Ca::start();
    let production_tsa = |name: &str| {
        let (url, root) = (ca.tsa_url(name), ca.root.clone());
        move |config: &mut server::config::Config| {
            config.evidence.long_term = true;
            config.tsa.url = url;
            config.tsa.trust_roots = vec![root];
        }
    };
    let app = spawn_app_with(Backend::Sqlite, production_tsa("tsa")).await;
    Scenario::new(&app)
        .sender("alice@example.org", "Alice Martin")
        .recipient("bob@example.net", "Bob Durand")
        .attachment("contrat.pdf", pdf_bytes("contrat", 2000))
        .send()
        .await;
    sweep_until(&app, |rows| rows.iter().all(|(.., until)| until.is_some())).await;
    let dir = tempfile::tempdir().expect("dir");
    let roots = dir.path().join("roots.pem");
    let dev_root = std::fs::read_to_string(app.state.config.pki.dir.join("root.pem"));
    let ca_root = std::fs::read_to_string(&ca.root);
    std::fs::write(&roots, dev_root.expect("root") + &ca_root.expect("CA root")).expect("roots");
    let file = dir.path().join("evidence.pdf");
    let trust = app.state.sealer.trust_roots().to_vec();
    let rows = stored(&app).await;
    assert!(rows.len() >= 4, "{} evidences", rows.len());
    for (id, pdf, ..) in &rows {
        let report = evidence::verify_pdf(pdf, &trust, None);
        assert!(report.valid(), "{id}: {report}");
        assert_eq!(report.doc_timestamps.len(), 1, "{id}: {report}");
        std::fs::write(&file, pdf).expect("write");
        let (ok, text) = pyhanko_lta(&file, &roots, None);
        assert!(ok && text.contains("B-LTA AdESPassed.OK"), "{id}: {text}");
    }
    app.stop().await;

    let app = spawn_app_with(Backend::Sqlite, production_tsa("tsa-revoked")).await;
    Scenario::new(&app)
        .sender("carol@example.org", "Carole Petit")
        .recipient("dan@example.net", "Daniel Roux")
        .attachment("avenant.pdf", pdf_bytes("avenant", 1000))
        .send()
        .await;
    server::long_term::request_sweep(&app.state.jobs, app.state.clock.now())
        .await
        .expect("queue");
    app.state.jobs.run_due().await.expect("jobs");
    let retry: Vec<(Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT long_term_until, long_term_retry_at FROM evidence")
            .fetch_all(app.state.db.pool())
            .await
            .expect("evidence");
    assert!(!retry.is_empty());
    for (until, retry_at) in retry {
        assert_eq!(
            until, None,
            "an evidence with a revoked certificate was extended"
        );
        let hour = (app.state.clock.now() + chrono::TimeDelta::minutes(59)).timestamp_millis();
        assert!(retry_at.is_some_and(|at| at > hour), "{retry_at:?}");
    }
    let swept: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM job WHERE kind = 'evidence_long_term' AND status = 'done'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .expect("jobs");
    assert!(swept >= 1, "the sweep finished");
    app.stop().await;
}
