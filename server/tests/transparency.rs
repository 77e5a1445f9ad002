//! The transparency log of evidence (issue 12; OPS-02, EVD-05): every evidence of a journey is
//! a leaf whose inclusion proof verifies against the tree head; a later head is consistent with
//! an earlier one; a history rewritten under an old head (a leaf changed, a leaf removed) is not.
//! The signed tree heads are published at /log/heads, with inclusion and consistency proofs, and
//! a relying party checks them offline with `pli verify --head` and `pli log verify`.

mod common;

use std::path::Path;

use common::records::pli_verify;
use common::scenario::{Scenario, pdf_bytes};
use common::{Backend, TestApp, spawn_app};
use evidence::merkle;
use server::transparency::{self, TreeHead};

on_both_databases!(
    every_evidence_is_in_the_log_and_later_heads_are_consistent,
    a_rewritten_history_is_detected_by_whoever_kept_a_head,
    signed_heads_are_published_and_checked_offline,
);

/// Every stored evidence: (id, created_at, sha256).
async fn stored(app: &TestApp) -> Vec<(String, i64, String)> {
    sqlx::query_as("SELECT id, created_at, sha256 FROM evidence ORDER BY created_at, id")
        .fetch_all(app.state.db.pool())
        .await
        .expect("evidence")
}

/// A letter sent to `to` by a new sender `from`.
async fn send_one(app: &TestApp, from: &str, to: &str) {
    Scenario::new(app)
        .sender(from, "Alice Martin")
        .recipient(to, "Bob Durand")
        .attachment("contrat.pdf", pdf_bytes("contrat", 2000))
        .send()
        .await;
}

async fn every_evidence_is_in_the_log_and_later_heads_are_consistent(backend: Backend) {
    let app = spawn_app(backend).await;
    send_one(&app, "alice@example.org", "bob@example.net").await;
    let first = transparency::head(&app.state.db).await.expect("head");
    let evidences = stored(&app).await;
    assert_eq!(first.size, evidences.len() as u64, "one leaf per evidence");
    for (id, created_at, sha256) in &evidences {
        // The leaf, rebuilt from the evidence alone.
        let leaf = merkle::leaf_hash(&transparency::leaf_entry(id, *created_at, sha256));
        let (index, proof) = transparency::inclusion(&app.state.db, id, first.size)
            .await
            .expect("proof")
            .expect("the evidence is a leaf");
        assert!(
            merkle::verify_inclusion(&leaf, index, first.size, &proof, &first.root),
            "evidence {id}"
        );
        assert!(proof.len() <= 64 - first.size.leading_zeros() as usize);
    }

    // More evidence: the new head contains the old one.
    send_one(&app, "dan@example.org", "carol@example.net").await;
    let second = transparency::head(&app.state.db).await.expect("head");
    assert!(second.size > first.size);
    let proof = transparency::consistency(&app.state.db, first.size, second.size)
        .await
        .expect("proof")
        .expect("both sizes exist");
    assert!(merkle::verify_consistency(
        first.size,
        second.size,
        &first.root,
        &second.root,
        &proof
    ));
    // Sequencing again changes nothing.
    assert_eq!(
        transparency::head(&app.state.db).await.expect("head"),
        second
    );
    app.stop().await;
}

/// The head now and a consistency proof from `kept`, as the service would answer.
async fn answer_from(app: &TestApp, kept: &TreeHead) -> bool {
    let now = transparency::head(&app.state.db).await.expect("head");
    let proof = transparency::consistency(&app.state.db, kept.size, now.size)
        .await
        .expect("proof")
        .unwrap_or_default();
    merkle::verify_consistency(kept.size, now.size, &kept.root, &now.root, &proof)
}

async fn a_rewritten_history_is_detected_by_whoever_kept_a_head(backend: Backend) {
    let app = spawn_app(backend).await;
    send_one(&app, "alice@example.org", "bob@example.net").await;
    let kept = transparency::head(&app.state.db).await.expect("head");
    assert!(kept.size >= 4, "{} leaves", kept.size);
    assert!(
        answer_from(&app, &kept).await,
        "an honest log is consistent"
    );
    let db = app.state.db.pool();

    // A back-dated evidence: leaf 2 rewritten.
    let forged = server::ledger::sha256_hex(b"a back-dated evidence");
    let original: String =
        sqlx::query_scalar("SELECT leaf_hash FROM log_leaf WHERE leaf_index = 2")
            .fetch_one(db)
            .await
            .expect("leaf");
    sqlx::query("UPDATE log_leaf SET leaf_hash = $1 WHERE leaf_index = 2")
        .bind(&forged)
        .execute(db)
        .await
        .expect("rewrite");
    assert!(
        !answer_from(&app, &kept).await,
        "a changed leaf is detected"
    );
    sqlx::query("UPDATE log_leaf SET leaf_hash = $1 WHERE leaf_index = 2")
        .bind(&original)
        .execute(db)
        .await
        .expect("restore");
    assert!(answer_from(&app, &kept).await);

    // A deleted evidence: leaf 1 removed, the later ones moved up, more evidence issued.
    sqlx::query("DELETE FROM log_leaf WHERE leaf_index = 1")
        .execute(db)
        .await
        .expect("delete");
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT leaf_index FROM log_leaf WHERE leaf_index > 1 ORDER BY leaf_index")
            .fetch_all(db)
            .await
            .expect("leaves");
    for (index,) in rows {
        sqlx::query("UPDATE log_leaf SET leaf_index = $1 WHERE leaf_index = $2")
            .bind(index - 1)
            .bind(index)
            .execute(db)
            .await
            .expect("move");
    }
    send_one(&app, "dan@example.org", "carol@example.net").await;
    assert!(
        !answer_from(&app, &kept).await,
        "a removed leaf is detected"
    );
    app.stop().await;
}

/// GET `path` as JSON, with its status.
async fn json(app: &TestApp, path: &str) -> (u16, serde_json::Value) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

/// Runs `pli log verify ARGS…`: (exit code, output).
fn pli_log_verify(app: &TestApp, args: &[&Path]) -> (Option<i32>, String) {
    let config = &app.state.config;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pli"))
        .args(["log", "verify"])
        .args(args)
        .env("PLI_PKI__DIR", &config.pki.dir)
        .env("SOFTHSM2_CONF", "/nonexistent")
        .output()
        .expect("run pli log verify");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The published head `id`'s sealed PDF, written to `dir/name`.
async fn head_pdf(app: &TestApp, id: &str, dir: &Path, name: &str) -> std::path::PathBuf {
    let response = app.get(&format!("/log/heads/{id}")).await;
    assert_eq!(response.status().as_u16(), 200);
    let path = dir.join(name);
    std::fs::write(&path, response.bytes().await.expect("pdf")).expect("write");
    path
}

async fn signed_heads_are_published_and_checked_offline(backend: Backend) {
    let app = spawn_app(backend).await;
    send_one(&app, "alice@example.org", "bob@example.net").await;
    let dir = tempfile::tempdir().expect("dir");
    let evidences = stored(&app).await;

    // An inclusion proof for every evidence, in a head published for it.
    let mut head_id = None;
    for (id, _, _) in &evidences {
        let (status, doc) = json(&app, &format!("/log/inclusion/{id}")).await;
        assert_eq!(status, 200, "{doc}");
        assert_eq!(doc["format"], "pli-log-inclusion/1");
        let signed = doc["signed_head"]
            .as_str()
            .expect("a signed head")
            .to_owned();
        assert_eq!(
            *head_id.get_or_insert(signed.clone()),
            signed,
            "one head for all"
        );
    }
    let head_id = head_id.expect("evidence");
    let (status, latest) = json(&app, "/log/heads/latest").await;
    assert_eq!(status, 200);
    assert_eq!(latest["evidence_id"], head_id.as_str());
    let (_, listed) = json(&app, "/log/heads").await;
    assert_eq!(listed["heads"][0], latest);
    let old_size = latest["tree_size"].as_u64().expect("size");
    assert!(old_size >= evidences.len() as u64);
    let old_head = head_pdf(&app, &head_id, dir.path(), "old-head.pdf").await;

    // `pli verify` checks an evidence's inclusion offline, and refuses a changed proof.
    let (id, _, _) = &evidences[1];
    let pdf = server::store::evidence::pdf(app.state.db.pool(), id)
        .await
        .expect("pdf")
        .expect("stored");
    let evidence = dir.path().join("evidence.pdf");
    std::fs::write(&evidence, &pdf).expect("write");
    let (_, proof) = json(&app, &format!("/log/inclusion/{id}")).await;
    let proof_path = dir.path().join("proof.json");
    std::fs::write(&proof_path, proof.to_string()).expect("write");
    let args = |proof: &Path| {
        let (head, proof_flag) = (Path::new("--head"), Path::new("--proof"));
        pli_verify(&app, &[&evidence, head, &old_head, proof_flag, proof])
    };
    let (code, text) = args(&proof_path);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Transparency log: included, leaf"), "{text}");
    let mut forged = proof.clone();
    forged["leaf_index"] = serde_json::json!(proof["leaf_index"].as_u64().expect("index") ^ 1);
    std::fs::write(&proof_path, forged.to_string()).expect("write");
    let (code, text) = args(&proof_path);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("NOT shown included"), "{text}");

    // A later head: consistent with the old one, offline.
    send_one(&app, "dan@example.org", "carol@example.net").await;
    let (_, newest) = json(&app, "/log/heads/latest").await;
    assert_eq!(newest["evidence_id"], head_id.as_str(), "not yet published");
    let newest_id = server::transparency::heads::publish_now(&app.state)
        .await
        .expect("publish")
        .expect("a new head")
        .id;
    let (_, newest) = json(&app, "/log/heads/latest").await;
    assert_eq!(newest["evidence_id"], newest_id.as_str());
    let new_size = newest["tree_size"].as_u64().expect("size");
    let new_head = head_pdf(&app, &newest_id, dir.path(), "new-head.pdf").await;
    let (status, consistency) = json(
        &app,
        &format!("/log/consistency?from={old_size}&to={new_size}"),
    )
    .await;
    assert_eq!(status, 200, "{consistency}");
    let consistency_path = dir.path().join("consistency.json");
    std::fs::write(&consistency_path, consistency.to_string()).expect("write");
    let flag = Path::new("--proof");
    let (code, text) = pli_log_verify(&app, &[&old_head, &new_head, flag, &consistency_path]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("RESULT: CONSISTENT"), "{text}");
    // Swapped, the heads are not consistent.
    let (code, text) = pli_log_verify(&app, &[&new_head, &old_head, flag, &consistency_path]);
    assert_eq!(code, Some(1), "{text}");

    // An operator who rewrites a leaf and publishes a head from it (a second instance, which
    // reads the stored leaves afresh) is caught by whoever kept the old head.
    sqlx::query("UPDATE log_leaf SET leaf_hash = $1 WHERE leaf_index = 1")
        .bind(server::ledger::sha256_hex(b"a back-dated evidence"))
        .execute(app.state.db.pool())
        .await
        .expect("rewrite");
    let forger = app.second_instance().await;
    send_one(&forger, "erin@example.org", "frank@example.net").await;
    let forged_id = server::transparency::heads::publish_now(&forger.state)
        .await
        .expect("publish")
        .expect("a new head")
        .id;
    let (_, forged) = json(&forger, "/log/heads/latest").await;
    let forged_size = forged["tree_size"].as_u64().expect("size");
    let forged_head = head_pdf(&forger, &forged_id, dir.path(), "forged-head.pdf").await;
    let (_, consistency) = json(
        &forger,
        &format!("/log/consistency?from={old_size}&to={forged_size}"),
    )
    .await;
    std::fs::write(&consistency_path, consistency.to_string()).expect("write");
    let (code, text) = pli_log_verify(&app, &[&old_head, &forged_head, flag, &consistency_path]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("RESULT: NOT CONSISTENT"), "{text}");
    forger.stop().await;

    // Bad requests get a clear 4xx.
    for (path, expected) in [
        ("/log/consistency?from=5&to=2", 400),
        ("/log/consistency?from=1&to=99999999", 400),
        ("/log/consistency?from=abc&to=2", 400),
        ("/log/inclusion/no-such-evidence", 404),
        ("/log/heads/no-such-head", 404),
    ] {
        assert_eq!(app.get(path).await.status().as_u16(), expected, "{path}");
    }
    app.stop().await;
}
