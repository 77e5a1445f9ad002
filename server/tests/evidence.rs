//! Evidence issued by the running server: sealed in the HSM, time-stamped by the built-in
//! TSA, stored with its journal entry, downloadable, and accepted by independent validators
//! (EVD-01, EVD-02, EVD-03, EVD-04, OPS-02).

mod common;

use common::{Backend, spawn_app, validators};
use server::ledger::{self, Break};

on_both_databases!(
    checkpoint_evidence_validates_with_pyhanko_and_pdfsig,
    builtin_tsa_answers_rfc3161_requests_that_openssl_verifies,
    rewriting_the_chain_after_a_checkpoint_is_detected,
);

/// EVD-01..04, OPS-02: the checkpoint evidence sealed by the server passes pyHanko and pdfsig;
/// one changed byte fails both.
async fn checkpoint_evidence_validates_with_pyhanko_and_pdfsig(backend: Backend) {
    let app = spawn_app(backend).await;
    let issued =
        server::sealing::checkpoint(&app.state.db, &app.state.sealer, app.state.clock.now())
            .await
            .expect("checkpoint")
            .expect("the head moved since start");
    let response = app.get(&format!("/dev/evidence/{}.pdf", issued.id)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let pdf = response.bytes().await.expect("pdf").to_vec();
    assert_eq!(ledger::sha256_hex(&pdf), issued.sha256);

    let dir = tempfile::tempdir().expect("dir");
    let root = app.state.config.pki.dir.join("root.pem");
    let good = dir.path().join("checkpoint.pdf");
    std::fs::write(&good, &pdf).expect("write");
    let (valid, report) = validators::pyhanko(&good, &root);
    assert!(valid, "pyHanko: {report}");
    let (valid, report) = validators::pdfsig(&good, &root);
    assert!(valid, "pdfsig: {report}");

    let mut tampered = pdf.clone();
    let at = tampered
        .windows(6)
        .position(|w| w == b"ledger")
        .expect("a text to alter");
    tampered[at] ^= 0x01;
    let bad = dir.path().join("tampered.pdf");
    std::fs::write(&bad, &tampered).expect("write");
    assert!(
        !validators::pyhanko(&bad, &root).0,
        "pyHanko must refuse a modified evidence"
    );
    assert!(
        !validators::pdfsig(&bad, &root).0,
        "pdfsig must refuse a modified evidence"
    );

    let report = ledger::verify(&app.state.db).await.expect("verify");
    assert_eq!(report.first_break, None);
    // Nothing new since: no second checkpoint.
    let again =
        server::sealing::checkpoint(&app.state.db, &app.state.sealer, app.state.clock.now()).await;
    assert!(again.expect("checkpoint").is_none());
    app.stop().await;
}

/// EVD-02: the built-in development TSA is a real RFC 3161 service.
async fn builtin_tsa_answers_rfc3161_requests_that_openssl_verifies(backend: Backend) {
    let app = spawn_app(backend).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data.txt");
    std::fs::write(&data, b"Lettre recommandee").expect("write");
    let query = dir.path().join("q.tsq");
    let status = std::process::Command::new("openssl")
        .args(["ts", "-query", "-sha256", "-cert", "-data"])
        .arg(&data)
        .arg("-out")
        .arg(&query)
        .status()
        .expect("openssl ts -query");
    assert!(status.success());
    let reply = app
        .client
        .post(format!("{}/tsa", app.url))
        .header("content-type", "application/timestamp-query")
        .body(std::fs::read(&query).expect("query"))
        .send()
        .await
        .expect("POST /tsa");
    assert_eq!(
        reply.headers()["content-type"],
        "application/timestamp-reply"
    );
    let tsr = dir.path().join("r.tsr");
    std::fs::write(&tsr, reply.bytes().await.expect("reply")).expect("write");
    let out = std::process::Command::new("openssl")
        .args(["ts", "-verify", "-data"])
        .arg(&data)
        .arg("-in")
        .arg(&tsr)
        .arg("-CAfile")
        .arg(app.state.config.pki.dir.join("root.pem"))
        .output()
        .expect("openssl ts -verify");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Verification: OK"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    app.stop().await;
}

/// OPS-02: someone with database access who alters an event and recomputes every later link
/// (a consistent forged chain) is caught by the sealed checkpoint.
async fn rewriting_the_chain_after_a_checkpoint_is_detected(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = &app.state.db;
    server::sealing::checkpoint(db, &app.state.sealer, app.state.clock.now())
        .await
        .expect("checkpoint");

    // Forge: alter the first event and rebuild the whole chain consistently.
    sqlx::query("UPDATE audit_event SET document = REPLACE(document, '\"start\"', '\"forged\"')")
        .execute(db.pool())
        .await
        .expect("forge");
    let rows: Vec<(i64, String, String, i64)> =
        sqlx::query_as("SELECT seq, entry_type, ref_id, recorded_at FROM ledger ORDER BY seq")
            .fetch_all(db.pool())
            .await
            .expect("rows");
    let mut prev = ledger::GENESIS.to_owned();
    for (seq, entry_type, ref_id, recorded_at) in rows {
        let payload: String = if entry_type == "event" {
            let (doc,): (String,) =
                sqlx::query_as("SELECT document FROM audit_event WHERE id = $1")
                    .bind(&ref_id)
                    .fetch_one(db.pool())
                    .await
                    .expect("doc");
            ledger::sha256_hex(doc.as_bytes())
        } else {
            let (pdf,): (Vec<u8>,) = sqlx::query_as("SELECT pdf FROM evidence WHERE id = $1")
                .bind(&ref_id)
                .fetch_one(db.pool())
                .await
                .expect("pdf");
            ledger::sha256_hex(&pdf)
        };
        let link = ledger::link_hash(seq, &entry_type, &ref_id, recorded_at, &payload, &prev);
        sqlx::query(
            "UPDATE ledger SET payload_sha256 = $1, prev_hash = $2, link_hash = $3 WHERE seq = $4",
        )
        .bind(&payload)
        .bind(&prev)
        .bind(&link)
        .bind(seq)
        .execute(db.pool())
        .await
        .expect("relink");
        prev = link;
    }
    sqlx::query("UPDATE ledger_head SET link_hash = $1")
        .bind(&prev)
        .execute(db.pool())
        .await
        .expect("head");

    let found = ledger::verify(db).await.expect("verify").first_break;
    assert!(matches!(found, Some(Break::Checkpoint { .. })), "{found:?}");
    app.stop().await;
}
