//! The transparency log of evidence (issue 12; OPS-02, EVD-05): every evidence of a journey is
//! a leaf whose inclusion proof verifies against the tree head; a later head is consistent with
//! an earlier one; a history rewritten under an old head (a leaf changed, a leaf removed) is not.

mod common;

use common::scenario::{Scenario, pdf_bytes};
use common::{Backend, TestApp, spawn_app};
use evidence::merkle;
use server::transparency::{self, TreeHead};

on_both_databases!(
    every_evidence_is_in_the_log_and_later_heads_are_consistent,
    a_rewritten_history_is_detected_by_whoever_kept_a_head,
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
