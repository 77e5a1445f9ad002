//! Issue 11, a careful journey, through the running server on SQLite and PostgreSQL: the
//! sender's deposit confirmation carries the deposit evidence; the sender's letter page names
//! each recipient's verified identity and lets every evidence be downloaded on its own (under
//! the dossier's visibility rule); times reach pages in the legal time zone; an empty file is
//! refused.

mod common;

use app::error::AppError;
use app::letters::{Reception, SentLetter};
use app::validation::Invalid;
use base64::Engine as _;
use common::flows::{User, decision, prove_at_reception, reception, sha256_hex};
use common::records::{assert_valid_evidence, evidence, last_mail, notification_link, settle};
use common::scenario::{Scenario, pdf_bytes};
use common::{Backend, TestApp, spawn_app};

on_both_databases!(
    the_sender_is_sent_the_deposit_evidence,
    the_letter_page_names_the_verified_identity_and_serves_each_evidence,
    an_empty_file_is_refused_and_nothing_is_kept,
);

/// The raw message of the newest mail to `to` in the development mailbox.
async fn last_raw(app: &TestApp, to: &str) -> String {
    settle(app).await;
    sqlx::query_scalar(
        "SELECT raw FROM dev_mailbox WHERE mail_to = $1 ORDER BY sent_at DESC, id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_one(app.state.db.pool())
    .await
    .expect("a mail")
}

/// The bytes of every PDF attached to `raw` (base64 parts, as lettre writes them).
fn attached_pdfs(raw: &str) -> Vec<Vec<u8>> {
    raw.split("Content-Type: application/pdf")
        .skip(1)
        .filter_map(|part| {
            let start = part.find("\r\n\r\n")? + 4;
            let end = part[start..].find("\r\n--")? + start;
            let text: String = part[start..end].split_whitespace().collect();
            base64::engine::general_purpose::STANDARD.decode(text).ok()
        })
        .collect()
}

async fn the_sender_is_sent_the_deposit_evidence(backend: Backend) {
    let app = spawn_app(backend).await;
    let sent = Scenario::new(&app)
        .recipient("bob@example.net", "Bob Durand")
        .professional("carla@example.com", "Carla Roux", "Roux SA")
        .attachment("contrat.pdf", pdf_bytes("contrat", 10_000))
        .send()
        .await;
    let (subject, text) = last_mail(&app, "alice@example.org").await;
    assert!(subject.contains("déposée"), "{subject}");
    assert!(text.contains("« Convocation »"), "{text}");
    assert!(text.contains("Bob Durand <bob@example.net>"), "{text}");
    assert!(text.contains("Carla Roux <carla@example.com>"), "{text}");
    // In the legal time zone, in words, both languages (the scenario's clock: March 2026).
    assert!(text.contains("déposée le "), "{text}");
    assert!(text.contains(" mars 2026 à "), "{text}");
    assert!(text.contains(" March 2026 at "), "{text}");
    assert!(!text.contains("UTC"), "{text}");
    assert!(text.contains(&format!("/sent/{}", sent.id)), "{text}");

    let raw = last_raw(&app, "alice@example.org").await;
    let pdfs = attached_pdfs(&raw);
    assert_eq!(pdfs.len(), 2, "one deposit evidence per recipient");
    assert!(raw.contains("preuve-de-depot-"), "named for people");
    for transaction in &sent.letter.transactions {
        let deposit = transaction
            .evidence
            .iter()
            .find(|e| e.kind == "Deposit")
            .expect("a deposit evidence");
        let (_, stored) = evidence(&app, &deposit.id).await;
        let pdf = pdfs
            .iter()
            .find(|pdf| sha256_hex(pdf) == sha256_hex(&stored))
            .unwrap_or_else(|| panic!("deposit evidence {} attached as stored", deposit.id));
        assert_valid_evidence(&app, pdf);
    }
}

async fn the_letter_page_names_the_verified_identity_and_serves_each_evidence(backend: Backend) {
    let app = spawn_app(backend).await;
    let sent = Scenario::new(&app)
        .recipient("bob@example.net", "Bob Durand")
        .send()
        .await;
    let alice = &sent.sender;
    let (transaction, token) = notification_link(&app, "bob@example.net").await;
    let bob = User::visitor("bob@example.net", "Bob Durand");

    // Times reach the pages in the legal time zone (Paris), with their offset.
    let letter: SentLetter = alice
        .call(&app, "sent_letter", &[("id", &sent.id)])
        .await
        .ok();
    assert!(
        letter.sent_at.ends_with("+01:00") || letter.sent_at.ends_with("+02:00"),
        "{}",
        letter.sent_at
    );
    assert_eq!(
        letter.transactions[0].verified_name, None,
        "not decided yet"
    );

    // Each evidence on its own, for the sender; the recipient before accepting gets only what
    // reveals nothing (the transmission), never the deposit naming the sender.
    let evidence_list = letter.transactions[0].evidence.clone();
    for item in &evidence_list {
        let path = format!("/letters/{transaction}/evidence/{}", item.id);
        let reply = alice.get(&app, &path).await;
        assert!(reply.status.is_success(), "{}: {}", item.kind, reply.text());
        assert!(reply.body.starts_with(b"%PDF-"));
        assert_valid_evidence(&app, &reply.body);
    }
    let deposit = evidence_list
        .iter()
        .find(|e| e.kind == "Deposit")
        .expect("deposit");
    let deposit_path = format!("/letters/{transaction}/evidence/{}", deposit.id);
    assert_eq!(
        bob.get(&app, &deposit_path).await.route_err(),
        AppError::NotFound
    );
    let stranger = User::visitor("eve@example.org", "Eve");
    assert_eq!(
        stranger.get(&app, &deposit_path).await.route_err(),
        AppError::NotFound
    );
    let unknown = format!("/letters/{transaction}/evidence/nothing");
    assert_eq!(
        alice.get(&app, &unknown).await.route_err(),
        AppError::NotFound
    );

    prove_at_reception(&app, &bob, &transaction, &token, "Bob DURAND").await;
    let _: Reception = reception(&app, &bob, &transaction, None).await.ok();
    let _: Reception = bob
        .call(&app, "letter_accept", &decision(&transaction))
        .await
        .ok();
    let letter: SentLetter = alice
        .call(&app, "sent_letter", &[("id", &sent.id)])
        .await
        .ok();
    let seen = &letter.transactions[0];
    assert_eq!(seen.verified_name.as_deref(), Some("Bob DURAND"));
    let acceptance = seen
        .evidence
        .iter()
        .find(|e| e.kind == "Acceptance")
        .expect("acceptance");
    let reply = alice
        .get(
            &app,
            &format!("/letters/{transaction}/evidence/{}", acceptance.id),
        )
        .await;
    assert!(reply.status.is_success());
    assert_valid_evidence(&app, &reply.body);
    // Once accepted, the recipient may have the deposit too (as in the dossier).
    assert!(bob.get(&app, &deposit_path).await.status.is_success());
}

async fn an_empty_file_is_refused_and_nothing_is_kept(backend: Backend) {
    let app = spawn_app(backend).await;
    let drafted = Scenario::new(&app)
        .recipient("bob@example.net", "Bob Durand")
        .draft()
        .await;
    let reply = drafted
        .sender
        .upload(&app, &drafted.id, "vide.pdf", Vec::new())
        .await;
    assert_eq!(reply.status.as_u16(), 422, "{}", reply.text());
    assert_eq!(reply.route_err(), AppError::Invalid(Invalid::EmptyFile));
    let draft: app::letters::Draft = drafted
        .sender
        .call(&app, "draft_get", &[("id", &drafted.id)])
        .await
        .ok();
    assert!(
        draft.attachments.iter().all(|a| a.name != "vide.pdf"),
        "the empty file is not attached"
    );
}
