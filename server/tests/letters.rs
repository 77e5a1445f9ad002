//! The registered letter through the running server, on SQLite and PostgreSQL (issue 5:
//! LET-01..LET-12, CONS-01, CONS-03, CONS-05, ID-03, AUTH-02, AUTH-04), time driven by the
//! manual clock. Users act over HTTP as their browsers do.

mod common;

use std::io::Read;

use app::error::AppError;
use app::letters::{
    Attachment, Draft, InboxItem, ListPage, Reception, RecipientAuth, SentLetter, SentSummary,
};
use app::lifecycle::TransactionStatus;
use app::validation::Invalid;
use chrono::{DateTime, TimeDelta, Utc};
use common::flows::{
    self, Reply, User, account, contact, decision, draft, prove_at_reception, reception, sender,
    sha256_hex,
};
use common::records::{
    assert_journal_intact, assert_valid_evidence, count, dossier_kinds, events, evidence_kinds,
    last_mail, letter_pdf, mails, notification_link, pdftotext, pli_verify, settle, unzip,
};
use common::scenario::{Scenario, Sent, pdf_bytes};
use common::{Backend, TestApp, spawn_app};

on_both_databases!(
    let_01_to_05_compose_upload_and_send_with_evidence_and_a_discreet_notification,
    let_02_a_corrupted_upload_is_rejected_and_nothing_is_kept,
    cons_01_03_05_consent_gates_private_recipients_only,
    id_03_let_08_let_11_let_12_recipient_without_account_accepts_opens_and_gets_the_dossier,
    id_03_let_09_an_account_recipient_proves_identity_then_refuses_and_learns_nothing,
    let_07_let_10_reminders_and_expiry_at_the_exact_minute,
    let_05_nobody_else_reaches_a_transaction,
    let_03_a_send_failing_midway_changes_nothing,
    acc_01_acc_02_a_deactivated_recipient_proves_identity_and_may_reactivate,
    let_07_reminders_past_the_expiry_are_dropped_and_journaled,
    let_05_no_usable_access_token_at_rest_and_each_reminder_has_its_own_link,
    let_12_a_dossier_proves_it_is_complete,
    let_03_evidences_sealed_together_are_journaled_in_order,
);

/// The sender sends a draft (the button of the compose page).
async fn send(app: &TestApp, sender: &User, draft: &str) -> Reply {
    sender.call(app, "letter_send", &[("id", draft)]).await
}

/// LET-01..LET-05, AUTH-04, LET-03 immutability: a sender composes a letter to a consented
/// person and a professional with two attachments, sends it; each recipient is a transaction
/// with its deposit, transmission and summary evidence (valid for pyHanko and pli, carrying
/// the OTP and login session ids and the attachments' hashes); the notification names neither
/// sender nor content; afterwards nothing about the letter can change.
async fn let_01_to_05_compose_upload_and_send_with_evidence_and_a_discreet_notification(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let alice = sender(&app, "alice@example.org", "Alice Martin").await;
    let bob = contact(
        &app,
        &alice,
        "bob@example.net",
        "Bob Durand",
        None,
        Some("granted"),
    )
    .await;
    let acme = contact(
        &app,
        &alice,
        "legal@acme.example",
        "Service juridique",
        Some("ACME SA"),
        None,
    )
    .await;

    let id: String = alice.call(&app, "draft_create", &[]).await.ok();
    // LET-01: sending needs a subject, a recipient and an attachment.
    assert_eq!(
        send(&app, &alice, &id).await.err(),
        AppError::Invalid(Invalid::Subject)
    );
    let saved: Draft = alice
        .call(
            &app,
            "draft_save",
            &[
                ("id", &id),
                ("subject", "Mise en demeure"),
                ("message", "Madame, Monsieur,\nCi-joint."),
                ("recipients", &format!("{bob},{acme}")),
            ],
        )
        .await
        .ok();
    assert_eq!(saved.recipients, vec![bob.clone(), acme.clone()]);
    assert_eq!(
        send(&app, &alice, &id).await.err(),
        AppError::Invalid(Invalid::NoAttachment)
    );
    let big = pdf_bytes("contrat", 3 * 1024 * 1024);
    let small = pdf_bytes("annexe", 10_000);
    let first: Attachment = alice
        .upload(&app, &id, "contrat signé.pdf", big.clone())
        .await
        .ok();
    assert_eq!(first.sha256, sha256_hex(&big));
    assert_eq!(first.size, big.len() as u64);
    alice
        .upload(&app, &id, "annexe.pdf", small.clone())
        .await
        .ok::<Attachment>();
    // The draft view always shows the full content (LET-01).
    let shown: Draft = alice.call(&app, "draft_get", &[("id", &id)]).await.ok();
    assert_eq!(shown.subject, "Mise en demeure");
    assert_eq!(shown.attachments.len(), 2);
    assert_eq!(
        shown.bytes_left,
        app::validation::MAX_LETTER_BYTES - (big.len() + small.len()) as u64
    );

    // AUTH-02: sending needs a live OTP session (still signed in: active 6 minutes ago).
    app.state.clock.advance(TimeDelta::minutes(10));
    alice
        .call(&app, "draft_get", &[("id", &id)])
        .await
        .ok::<Draft>();
    app.state.clock.advance(TimeDelta::minutes(6));
    assert_eq!(
        send(&app, &alice, &id).await.err(),
        AppError::OtpSessionRequired
    );
    alice.fresh_code(&app).await;
    let letter: SentLetter = send(&app, &alice, &id).await.ok();
    assert_eq!(letter.transactions.len(), 2);
    assert_eq!(letter.subject, "Mise en demeure");
    // LET-05 (issue 10): sent, not notified yet: no transmission, no period until the
    // notification is handed over to the mail server (here the development mailbox).
    for transaction in &letter.transactions {
        assert_eq!(transaction.status, TransactionStatus::Notifying);
        assert_eq!(transaction.notified_at, None);
        assert_eq!(transaction.last_day, None);
    }
    settle(&app).await;
    let letter: SentLetter = alice.call(&app, "sent_letter", &[("id", &id)]).await.ok();
    let (otp_session, login_session): (String, String) =
        sqlx::query_as("SELECT otp_session_id, login_session_id FROM letter WHERE id = $1")
            .bind(&id)
            .fetch_one(app.state.db.pool())
            .await
            .expect("letter");
    for transaction in &letter.transactions {
        assert_eq!(transaction.status, TransactionStatus::Awaiting);
        assert_eq!(
            evidence_kinds(&app, &transaction.id).await,
            ["Deposit", "LetterSummary", "Transmission"]
        );
        assert_eq!(transaction.evidence.len(), 3);
    }
    // Each transaction has its own id (LET-03); the evidence is valid and says what LET-04
    // lists.
    assert_ne!(letter.transactions[0].id, letter.transactions[1].id);
    let to_bob = letter
        .transactions
        .iter()
        .find(|t| t.recipient_email == "bob@example.net")
        .expect("bob");
    let summary = letter_pdf(&app, &to_bob.id, "LetterSummary").await;
    let report = assert_valid_evidence(&app, &summary);
    let original = report
        .digests
        .iter()
        .map(|d| (d.file_name.clone(), d.hex.clone()))
        .collect::<Vec<_>>();
    assert!(
        original.contains(&("contrat signé.pdf".to_owned(), sha256_hex(&big))),
        "{original:?}"
    );
    let text = pdftotext(&summary);
    for needle in [
        otp_session.as_str(),
        login_session.as_str(),
        to_bob.id.as_str(),
        "Alice Martin",
        "alice@example.org",
        "Bob Durand",
        "Mise en demeure",
    ] {
        assert!(text.contains(needle), "{needle} in the summary:\n{text}");
    }
    let deposit = letter_pdf(&app, &to_bob.id, "Deposit").await;
    assert_valid_evidence(&app, &deposit);

    // LET-05: the notification names neither the sender nor the subject nor the files.
    for address in ["bob@example.net", "legal@acme.example"] {
        let (subject, text) = last_mail(&app, address).await;
        for secret in [
            "Alice",
            "Martin",
            "alice@example.org",
            "Mise en demeure",
            "contrat",
        ] {
            assert!(
                !subject.contains(secret) && !text.contains(secret),
                "{secret} leaked to {address}: {text}"
            );
        }
        assert!(text.contains("/received/"), "{text}");
    }

    // LET-03: after sending, nothing about the letter can change.
    assert_eq!(
        alice
            .call(
                &app,
                "draft_save",
                &[
                    ("id", &id),
                    ("subject", "Autre"),
                    ("message", ""),
                    ("recipients", "")
                ]
            )
            .await
            .err(),
        AppError::LetterSent
    );
    assert_eq!(
        alice
            .upload(&app, &id, "x.pdf", b"x".to_vec())
            .await
            .route_err(),
        AppError::LetterSent
    );
    assert_eq!(
        alice
            .call(
                &app,
                "attachment_delete",
                &[("draft_id", &id), ("attachment_id", &first.id)]
            )
            .await
            .err(),
        AppError::LetterSent
    );
    assert_eq!(
        alice.call(&app, "draft_delete", &[("id", &id)]).await.err(),
        AppError::LetterSent
    );
    assert_eq!(send(&app, &alice, &id).await.err(), AppError::LetterSent);
    let again: SentLetter = alice.call(&app, "sent_letter", &[("id", &id)]).await.ok();
    assert_eq!(again.subject, "Mise en demeure");
    assert_eq!(again.attachments.len(), 2);
    assert_journal_intact(&app).await;
    app.stop().await;
}

fn set_clock(app: &TestApp, at: DateTime<Utc>) {
    let now = app.state.clock.now();
    app.state.clock.advance(at - now);
}

/// LET-02: the server hashes the received bytes again; a hash different from the browser's
/// is refused with a clear error and nothing is kept; over the size limit likewise.
async fn let_02_a_corrupted_upload_is_rejected_and_nothing_is_kept(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = sender(&app, "alice@example.org", "Alice Martin").await;
    let id: String = alice.call(&app, "draft_create", &[]).await.ok();
    let bytes = pdf_bytes("a", 50_000);
    let wrong = sha256_hex(b"something else");
    let refused = alice
        .upload_with_hash(&app, &id, "a.pdf", bytes.clone(), &wrong)
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.route_err(),
        AppError::Invalid(Invalid::HashMismatch)
    );
    let refused = alice
        .upload_with_hash(&app, &id, "a.pdf", bytes.clone(), "not-a-hash")
        .await;
    assert_eq!(refused.route_err(), AppError::Invalid(Invalid::Sha256));
    let refused = alice
        .upload(&app, &id, "../etc/passwd", bytes.clone())
        .await;
    assert_eq!(refused.route_err(), AppError::Invalid(Invalid::FileName));
    let draft: Draft = alice.call(&app, "draft_get", &[("id", &id)]).await.ok();
    assert!(draft.attachments.is_empty());
    let files: Vec<_> = std::fs::read_dir(app.state.config.var_dir.join("attachments"))
        .map(|dir| dir.flatten().collect())
        .unwrap_or_default();
    assert!(files.is_empty(), "nothing kept: {files:?}");
    // Over the limit (declared length): refused before reading.
    // (A request whose body is shorter than declared: on a connection of its own.)
    let response = flows::client_with(&alice.jar)
        .post(format!("{}/letters/{id}/attachments?name=big.bin", app.url))
        .header("origin", &app.url)
        .header(app::letters::SHA256_HEADER, &wrong)
        .header(
            "content-length",
            (app::validation::MAX_LETTER_BYTES + 1).to_string(),
        )
        .body(vec![0u8; 16])
        .send()
        .await;
    if let Ok(response) = response {
        assert_eq!(response.status(), 422);
    }
    // Someone else's draft: not found.
    let mallory = sender(&app, "mallory@example.org", "Mallory").await;
    assert_eq!(
        mallory.upload(&app, &id, "a.pdf", bytes).await.route_err(),
        AppError::NotFound
    );
    assert_eq!(
        mallory.call(&app, "draft_get", &[("id", &id)]).await.err(),
        AppError::NotFound
    );
    app.stop().await;
}

/// CONS-01, CONS-03, CONS-05: a private recipient is selectable and sendable only with a
/// granted consent, which a revocation withdraws; professionals need none.
async fn cons_01_03_05_consent_gates_private_recipients_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = sender(&app, "alice@example.org", "Alice Martin").await;
    let carol = contact(&app, &alice, "carol@example.net", "Carol", None, None).await;
    let pro = contact(
        &app,
        &alice,
        "pro@example.com",
        "Pro",
        Some("Pro SARL"),
        None,
    )
    .await;
    let choices: Vec<app::letters::RecipientChoice> =
        alice.call(&app, "recipient_choices", &[]).await.ok();
    let of = |id: &str| {
        choices
            .iter()
            .find(|c| c.contact_id == id)
            .expect("choice")
            .clone()
    };
    assert!(!of(&carol).selectable);
    assert_eq!(of(&carol).consent.as_deref(), Some("none"));
    assert!(of(&pro).selectable);
    assert_eq!(of(&pro).consent, None);

    let attachment = [("a.pdf", pdf_bytes("a", 100))];
    let to_carol = draft(&app, &alice, "Objet", &[&carol], &attachment).await;
    assert_eq!(
        send(&app, &alice, &to_carol).await.err(),
        AppError::ConsentRequired
    );
    let token = flows::ask_consent(&app, &alice, &carol, "carol@example.net").await;
    assert_eq!(
        send(&app, &alice, &to_carol).await.err(),
        AppError::ConsentRequired
    );
    flows::answer_consent(&app, &token, "consent_grant").await;
    // Nothing was half-sent by the refusals: the draft is whole and sends now.
    let sent: SentLetter = send(&app, &alice, &to_carol).await.ok();
    assert_eq!(sent.transactions.len(), 1);
    // CONS-03: one consent covers more letters, until revoked.
    let second = draft(&app, &alice, "Deuxième", &[&carol], &attachment).await;
    send(&app, &alice, &second).await.ok::<SentLetter>();
    flows::answer_consent(&app, &token, "consent_revoke").await;
    let third = draft(&app, &alice, "Troisième", &[&carol, &pro], &attachment).await;
    assert_eq!(
        send(&app, &alice, &third).await.err(),
        AppError::ConsentRequired
    );
    let transactions = count(
        &app,
        "SELECT COUNT(*) FROM letter_transaction WHERE letter_id = $1",
        &[&third],
    )
    .await;
    assert_eq!(transactions, 0, "no recipient got the letter");
    app.stop().await;
}

/// ID-03, LET-06, LET-08, LET-11, LET-12: a recipient without an account follows the
/// notification link (only "a letter awaits"), proves their identity at this reception,
/// accepts (sender and content disclosed, sender emailed), opens an attachment (opening
/// evidence once per attachment, the file's hash matches) and downloads the dossier, whose
/// manifest lists each PDF's SHA-256 and whose PDFs are valid; the sender gets the same
/// dossier.
async fn id_03_let_08_let_11_let_12_recipient_without_account_accepts_opens_and_gets_the_dossier(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let contract = pdf_bytes("contrat", 200_000);
    let sent = Scenario::new(&app)
        .recipient("bob@example.net", "Bob Durand")
        .subject("Résiliation du bail")
        .attachment("contrat.pdf", contract.clone())
        .send()
        .await;
    let (alice, id) = (&sent.sender, &sent.id);
    let (transaction, token) = notification_link(&app, "bob@example.net").await;
    assert_eq!(transaction, sent.letter.transactions[0].id);
    assert_eq!(token, sent.to("bob@example.net").token);

    let bob = User::visitor("bob@example.net", "Bob Durand");
    // Without the token: nothing (the same answer as for no letter at all).
    assert_eq!(
        reception(&app, &bob, &transaction, None).await.err(),
        AppError::NotFound
    );
    assert_eq!(
        reception(&app, &bob, &transaction, Some("wrong"))
            .await
            .err(),
        AppError::NotFound
    );
    let view: Reception = reception(&app, &bob, &transaction, Some(&token)).await.ok();
    assert_eq!(view.status, TransactionStatus::Awaiting);
    assert_eq!(view.auth, RecipientAuth::None);
    assert!(view.sender.is_none() && view.subject.is_none() && view.attachments.is_empty());
    assert!(!view.can_decide);
    assert_eq!(
        view.last_day, "2026-04-12",
        "notified 28 March at 23:30 Paris: day 0, last day 12 April"
    );
    assert_eq!(
        bob.call(&app, "letter_accept", &decision(&transaction))
            .await
            .err(),
        AppError::NotFound
    );

    prove_at_reception(&app, &bob, &transaction, &token, "Bob DURAND").await;
    let view: Reception = reception(&app, &bob, &transaction, None).await.ok();
    assert!(
        matches!(&view.auth, RecipientAuth::Reception { verified_name, seconds_left } if verified_name == "Bob DURAND" && *seconds_left == 900)
    );
    assert!(view.can_decide);
    assert!(view.sender.is_none(), "still hidden before acceptance");
    assert!(view.offer_account);

    let accepted: Reception = bob
        .call(&app, "letter_accept", &decision(&transaction))
        .await
        .ok();
    assert_eq!(accepted.status, TransactionStatus::Accepted);
    let sender_shown = accepted.sender.clone().expect("sender disclosed");
    assert_eq!(
        (sender_shown.name.as_str(), sender_shown.email.as_str()),
        ("Alice Martin", "alice@example.org")
    );
    assert_eq!(accepted.subject.as_deref(), Some("Résiliation du bail"));
    assert_eq!(accepted.attachments.len(), 1);
    assert_eq!(
        bob.call(&app, "letter_refuse", &decision(&transaction))
            .await
            .err(),
        AppError::AlreadyDecided
    );
    let (subject, text) = last_mail(&app, "alice@example.org").await;
    assert!(subject.contains("acceptée"), "{subject}");
    assert!(text.contains("Bob DURAND"), "{text}");

    // LET-11: opening.
    let attachment = &accepted.attachments[0];
    let path = format!("/letters/{transaction}/attachments/{}", attachment.id);
    let download = bob.get(&app, &path).await;
    assert!(download.status.is_success(), "{}", download.text());
    assert_eq!(download.body, contract);
    assert_eq!(sha256_hex(&download.body), attachment.sha256);
    bob.get(&app, &path).await;
    assert_eq!(
        evidence_kinds(&app, &transaction).await,
        [
            "Deposit",
            "LetterSummary",
            "Transmission",
            "Identification",
            "Acceptance",
            "Opening"
        ]
    );
    let acceptance = letter_pdf(&app, &transaction, "Acceptance").await;
    assert_valid_evidence(&app, &acceptance);
    let text = pdftotext(&acceptance);
    assert!(text.contains("reception:"), "{text}");
    let opening = letter_pdf(&app, &transaction, "Opening").await;
    let report = assert_valid_evidence(&app, &opening);
    let digests: Vec<(String, String)> = report
        .digests
        .iter()
        .map(|d| (d.file_name.clone(), d.hex.clone()))
        .collect();
    assert_eq!(
        digests,
        vec![("contrat.pdf".to_owned(), attachment.sha256.clone())]
    );

    // LET-12: the dossier, for the recipient and for the sender.
    for (who, user) in [("recipient", &bob), ("sender", alice)] {
        let zip = user
            .get(&app, &format!("/letters/{transaction}/dossier.zip"))
            .await;
        assert!(zip.status.is_success(), "{who}: {}", zip.text());
        // A relying party checks it with `pli verify` (manifest and every evidence).
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("dossier.zip");
        std::fs::write(&path, &zip.body).expect("write");
        let (code, text) = pli_verify(&app, &[&path]);
        assert_eq!(code, Some(0), "{text}");
        assert!(text.contains("RESULT: VALID DOSSIER"), "{text}");
        // One byte changed in the middle of the deposit evidence's data (not in a ZIP header
        // field that no check reads, such as a file time).
        let middle = {
            let mut archive =
                zip::ZipArchive::new(std::io::Cursor::new(zip.body.clone())).expect("zip");
            let index = (0..archive.len())
                .find(|i| {
                    archive
                        .by_index(*i)
                        .is_ok_and(|entry| entry.name().is_ok_and(|n| n.contains("-Deposit-")))
                })
                .expect("deposit");
            let entry = archive.by_index(index).expect("entry");
            (entry.data_start().expect("data offset") + entry.compressed_size() / 2) as usize
        };
        let mut tampered = zip.body.clone();
        tampered[middle] ^= 1;
        std::fs::write(&path, &tampered).expect("write");
        let (code, text) = pli_verify(&app, &[&path]);
        assert_eq!(code, Some(1), "{text}");
        assert!(text.contains("RESULT: INVALID DOSSIER"), "{text}");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body)).expect("zip");
        let mut manifest = String::new();
        archive
            .by_name("manifest.json")
            .expect("manifest")
            .read_to_string(&mut manifest)
            .expect("read");
        let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("json");
        let files = manifest["files"].as_array().expect("files");
        let roles: Vec<&str> = files
            .iter()
            .map(|f| f["role"].as_str().expect("role"))
            .collect();
        assert_eq!(
            roles.first(),
            Some(&"sender-identification"),
            "{who}: {roles:?}"
        );
        assert!(roles.contains(&"recipient-identification"), "{roles:?}");
        assert_eq!(roles.last(), Some(&"dossier-manifest"), "{roles:?}");
        assert_eq!(files.len(), 8, "{manifest}");
        for file in files {
            let name = file["name"].as_str().expect("name");
            let mut pdf = Vec::new();
            archive
                .by_name(name)
                .expect("file")
                .read_to_end(&mut pdf)
                .expect("read");
            assert_eq!(file["sha256"].as_str(), Some(sha256_hex(&pdf).as_str()));
            let report = evidence::verify::verify_pdf(&pdf, &app.state.sealer.trust_roots(), None);
            assert!(report.valid(), "{name}: {report:?}");
        }
    }
    // The sender's dashboard shows it all.
    let seen: SentLetter = alice.call(&app, "sent_letter", &[("id", id)]).await.ok();
    assert_eq!(seen.transactions[0].status, TransactionStatus::Accepted);
    assert!(seen.transactions[0].opened);
    let filtered: ListPage<SentSummary> = alice
        .call(
            &app,
            "sent_letters",
            &[("status", "opened"), ("query", "bail")],
        )
        .await
        .ok();
    assert_eq!(filtered.items.len(), 1);
    let none: ListPage<SentSummary> = alice
        .call(&app, "sent_letters", &[("status", "refused")])
        .await
        .ok();
    assert!(none.items.is_empty());
    app.stop().await;
}

/// ID-03 (policy §4.4), LET-09, AUTH-02: a recipient with an account signs in with 2FA, but
/// may decide only once the account holds a successful identity proofing; then refuses with a
/// live OTP session: the content stays hidden, both parties get an email, the refusal
/// evidence names the verified identity and records the OTP session; the inbox lists the
/// letter without its sender; the recipient's dossier holds nothing that names the sender or
/// the content (LET-05, policy §7.2.8), the sender's holds everything.
async fn id_03_let_09_an_account_recipient_proves_identity_then_refuses_and_learns_nothing(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let alice = sender(&app, "alice@example.org", "Alice Martin").await;
    let dave = account(&app, "dave@example.com", "Dave Pro").await;
    let sent = Scenario::new(&app)
        .by(&alice)
        .professional("Dave@Example.com", "David Provost", "Dave SAS")
        .subject("Facture impayée")
        .attachment("facture.pdf", pdf_bytes("f", 1000))
        .send()
        .await;
    let letter = &sent.letter;
    let transaction = sent.transaction().to_owned();
    let inbox = dave
        .call(&app, "inbox", &[])
        .await
        .ok::<ListPage<InboxItem>>()
        .items;
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].transaction_id, transaction);
    assert!(inbox[0].sender_name.is_none() && inbox[0].subject.is_none());

    // ID-03: the account has no verified identity yet (policy §4.4).
    let view: Reception = reception(&app, &dave, &transaction, None).await.ok();
    assert!(
        matches!(&view.auth, RecipientAuth::AccountUnverified { name } if name == "Dave Pro"),
        "{:?}",
        view.auth
    );
    assert!(!view.can_decide);
    assert_eq!(
        dave.call(&app, "letter_refuse", &decision(&transaction))
            .await
            .err(),
        AppError::IdentityProofingRequired
    );
    let redirect: String = dave.call(&app, "proofing_start", &[]).await.ok();
    flows::simulator(&app, &dave, &redirect, "David Martin-Provost", true).await;

    // The OTP session of the enrolment is over: a fresh code first (AUTH-02).
    app.state.clock.advance(TimeDelta::minutes(10));
    dave.call(&app, "inbox", &[])
        .await
        .ok::<ListPage<InboxItem>>();
    app.state.clock.advance(TimeDelta::minutes(10));
    let view: Reception = reception(&app, &dave, &transaction, None).await.ok();
    assert!(matches!(
        view.auth,
        RecipientAuth::Account {
            otp_seconds_left: 0,
            ..
        }
    ));
    assert!(!view.can_decide);
    assert_eq!(
        dave.call(&app, "letter_refuse", &decision(&transaction))
            .await
            .err(),
        AppError::OtpSessionRequired
    );
    dave.fresh_code(&app).await;
    let refused: Reception = dave
        .call(&app, "letter_refuse", &decision(&transaction))
        .await
        .ok();
    assert_eq!(refused.status, TransactionStatus::Refused);
    assert!(
        refused.sender.is_none() && refused.subject.is_none() && refused.attachments.is_empty()
    );
    let (otp,): (String,) = sqlx::query_as(
        "SELECT o.id FROM otp_session o JOIN account a ON a.id = o.account_id \
         WHERE a.email_key = $1 ORDER BY o.opened_at DESC LIMIT 1",
    )
    .bind("dave@example.com")
    .fetch_one(app.state.db.pool())
    .await
    .expect("otp");
    let refusal = letter_pdf(&app, &transaction, "Refusal").await;
    assert_valid_evidence(&app, &refusal);
    let refusal_text = pdftotext(&refusal);
    assert!(refusal_text.contains(&otp));
    // The evidence names the verified identity, not the name declared at sign-up.
    assert!(
        refusal_text.contains("David Martin-Provost"),
        "{refusal_text}"
    );
    assert!(!refusal_text.contains("Dave Pro\n"), "{refusal_text}");
    // LET-05, LET-09: the recipient's dossier names neither the sender nor the content.
    let kinds = dossier_kinds(
        &app,
        &dave,
        &transaction,
        &["Alice", "alice@example.org", "Facture", "facture.pdf"],
    )
    .await
    .expect("dossier");
    assert_eq!(
        kinds,
        [
            "Transmission",
            "Refusal",
            "Identification",
            "DossierManifest"
        ]
    );
    alice.sign_in_again(&app).await; // (inactive for more than 15 minutes)
    let kinds = dossier_kinds(&app, &alice, &transaction, &[])
        .await
        .expect("dossier");
    assert_eq!(
        kinds,
        [
            "Identification",
            "Deposit",
            "LetterSummary",
            "Transmission",
            "Refusal",
            "Identification",
            "DossierManifest"
        ]
    );
    assert!(
        last_mail(&app, "alice@example.org")
            .await
            .0
            .contains("refusée")
    );
    // (The address as the sender typed it, domain in lower case.)
    let (subject, text) = last_mail(&app, "Dave@example.com").await;
    assert!(subject.contains("refusé"), "{subject}");
    assert!(
        !text.contains("Alice") && !text.contains("Facture"),
        "{text}"
    );
    // Opening a refused letter is impossible.
    let attachment = letter.attachments[0].id.clone();
    let refused_open = dave
        .get(
            &app,
            &format!("/letters/{transaction}/attachments/{attachment}"),
        )
        .await;
    assert_eq!(refused_open.route_err(), AppError::NotAccepted);
    app.stop().await;
}

/// LET-06, LET-07, LET-10 at the exact minute (docs/deadlines.md): notified on 28 March 2026
/// at 23:30 Paris time (21:30 UTC... here t0 is 22:30 UTC = 00:30 on 29 March in Paris, day 0),
/// reminders at 08:00 Paris on days 4, 8 and 12 (each with its evidence and an email that
/// still names no sender), expiry at 00:00 Paris on day 16: one minute before, nothing; at
/// it, the non-claim evidence and emails to both; the recipient then sees only that it expired.
async fn let_07_let_10_reminders_and_expiry_at_the_exact_minute(backend: Backend) {
    let app = spawn_app(backend).await;
    let sent = Scenario::new(&app)
        .recipient("erin@example.net", "Erin")
        .subject("Convocation")
        .attachment("c.pdf", pdf_bytes("c", 100))
        .send()
        .await;
    let (alice, id, sent_at, letter) = (&sent.sender, &sent.id, sent.sent_at, &sent.letter);
    let transaction = sent.transaction().to_owned();
    let (_, token) = notification_link(&app, "erin@example.net").await;
    assert_eq!(token, sent.to("erin@example.net").token);
    let paris = chrono_tz::Europe::Paris;
    let local = |s: &str| -> DateTime<Utc> {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
            .expect("time")
            .and_local_timezone(paris)
            .single()
            .expect("unambiguous")
            .to_utc()
    };
    let day0 = sent_at.with_timezone(&paris).date_naive();
    let reminder_times: Vec<DateTime<Utc>> = [4, 8, 12]
        .iter()
        .map(|d| local(&format!("{} 08:00", day0 + chrono::Days::new(*d))))
        .collect();
    let expiry = local(&format!("{} 00:00", day0 + chrono::Days::new(16)));
    assert_eq!(
        letter.transactions[0].expires_at,
        Some(domain::time::legal_rfc3339(
            expiry.timestamp_millis(),
            paris
        ))
    );

    let count = |kind: &'static str| {
        let app = &app;
        let transaction = transaction.clone();
        async move {
            evidence_kinds(app, &transaction)
                .await
                .iter()
                .filter(|k| *k == kind)
                .count()
        }
    };
    for (n, at) in reminder_times.iter().enumerate() {
        set_clock(&app, *at - TimeDelta::minutes(1));
        settle(&app).await;
        assert_eq!(count("Reminder").await, n, "before reminder {n}");
        set_clock(&app, *at);
        settle(&app).await;
        assert_eq!(count("Reminder").await, n + 1, "at reminder {n}");
    }
    let mut reminders = mails(&app, "erin@example.net").await;
    reminders.retain(|(_, text)| text.contains("/received/"));
    assert_eq!(reminders.len(), 4, "notification + 3 reminders");
    for (_, text) in &reminders {
        assert!(
            !text.contains("Alice") && !text.contains("Convocation"),
            "{text}"
        );
    }
    let reminder = letter_pdf(&app, &transaction, "Reminder").await;
    assert_valid_evidence(&app, &reminder);

    set_clock(&app, expiry - TimeDelta::minutes(1));
    settle(&app).await;
    assert_eq!(count("NonClaim").await, 0);
    let before: Reception = reception(&app, &User::visitor("x", "x"), &transaction, Some(&token))
        .await
        .ok();
    assert_eq!(before.status, TransactionStatus::Awaiting);
    set_clock(&app, expiry);
    settle(&app).await;
    assert_eq!(count("NonClaim").await, 1);
    let non_claim = letter_pdf(&app, &transaction, "NonClaim").await;
    assert_valid_evidence(&app, &non_claim);
    // Running the queue again changes nothing (exactly once).
    app.state.clock.advance(TimeDelta::days(3));
    settle(&app).await;
    assert_eq!(count("NonClaim").await, 1);
    assert_eq!(count("Reminder").await, 3);

    let (subject, text) = last_mail(&app, "alice@example.org").await;
    assert!(subject.contains("non réclamée"), "{subject}");
    assert!(text.contains("Erin"), "{text}");
    let (_, text) = last_mail(&app, "erin@example.net").await;
    assert!(
        text.contains("expiré") && !text.contains("Alice") && !text.contains("Convocation"),
        "{text}"
    );

    // LET-10: the recipient sees only that it expired, even identified; nobody can decide.
    let erin = User::visitor("erin@example.net", "Erin");
    prove_at_reception(&app, &erin, &transaction, &token, "Erin").await;
    let after_expiry: Reception = reception(&app, &erin, &transaction, None).await.ok();
    assert_eq!(after_expiry.status, TransactionStatus::Expired);
    assert!(
        after_expiry.sender.is_none()
            && after_expiry.subject.is_none()
            && after_expiry.attachments.is_empty()
    );
    assert!(!after_expiry.can_decide && !after_expiry.dossier);
    assert_eq!(
        erin.get(&app, &format!("/letters/{transaction}/dossier.zip"))
            .await
            .route_err(),
        AppError::NotFound
    );
    assert_eq!(
        erin.call(&app, "letter_accept", &decision(&transaction))
            .await
            .err(),
        AppError::AlreadyDecided
    );
    // The sender keeps access (signed in again: days went by).
    alice.sign_in_again(&app).await;
    let seen: SentLetter = alice.call(&app, "sent_letter", &[("id", id)]).await.ok();
    assert_eq!(seen.transactions[0].status, TransactionStatus::Expired);
    assert_eq!(seen.subject, "Convocation");
    app.stop().await;
}

/// `user` reaches nothing of `transaction` (without its token): not its reception, not a
/// decision, not its attachment, not its dossier — the same "not found" as for no letter.
async fn assert_reaches_nothing(app: &TestApp, user: &User, transaction: &str, attachment: &str) {
    assert_eq!(
        reception(app, user, transaction, None).await.err(),
        AppError::NotFound
    );
    for endpoint in ["letter_accept", "letter_refuse"] {
        assert_eq!(
            user.call(app, endpoint, &decision(transaction)).await.err(),
            AppError::NotFound,
            "{endpoint}"
        );
    }
    for path in [
        format!("/letters/{transaction}/attachments/{attachment}"),
        format!("/letters/{transaction}/dossier.zip"),
    ] {
        assert_eq!(
            user.get(app, &path).await.route_err(),
            AppError::NotFound,
            "{path}"
        );
    }
}

/// LET-05, LET-12: a recipient cannot reach another recipient's transaction, and nobody else
/// reaches a letter: every route answers not found (the same as for no letter).
async fn let_05_nobody_else_reaches_a_transaction(backend: Backend) {
    let app = spawn_app(backend).await;
    let sent = Scenario::new(&app)
        .recipient("bob@example.net", "Bob")
        .recipient("carol@example.net", "Carol")
        .subject("Secret")
        .attachment("s.pdf", pdf_bytes("s", 100))
        .send()
        .await;
    let id = &sent.id;
    let (bob_tx, bob_token) = notification_link(&app, "bob@example.net").await;
    let (carol_tx, carol_token) = notification_link(&app, "carol@example.net").await;
    assert_ne!(bob_tx, carol_tx);
    assert_eq!(bob_tx, sent.to("bob@example.net").transaction);
    assert_eq!(carol_token, sent.to("carol@example.net").token);
    let attachment = sent.letter.attachments[0].id.clone();

    // Bob, identified at his own reception, accepts his letter.
    let bob = User::visitor("bob@example.net", "Bob");
    prove_at_reception(&app, &bob, &bob_tx, &bob_token, "Bob").await;
    bob.call(&app, "letter_accept", &decision(&bob_tx))
        .await
        .ok::<Reception>();
    // With Bob's session (and his token) nothing of Carol's transaction is reachable.
    assert_eq!(
        reception(&app, &bob, &carol_tx, Some(&bob_token))
            .await
            .err(),
        AppError::NotFound
    );
    assert_reaches_nothing(&app, &bob, &carol_tx, &attachment).await;
    assert_eq!(
        bob.call(
            &app,
            "reception_proofing_start",
            &[("transaction_id", &carol_tx), ("token", &bob_token)]
        )
        .await
        .err(),
        AppError::NotFound
    );
    // Another account (Mallory) reaches nothing of Alice's letter, not even with the token of
    // the notification link: the token shows only that a letter awaits.
    let mallory = sender(&app, "mallory@example.org", "Mallory").await;
    assert_eq!(
        mallory.call(&app, "sent_letter", &[("id", id)]).await.err(),
        AppError::NotFound
    );
    assert_eq!(
        mallory.call(&app, "draft_get", &[("id", id)]).await.err(),
        AppError::NotFound
    );
    assert_eq!(send(&app, &mallory, id).await.err(), AppError::NotFound);
    let inbox = mallory
        .call(&app, "inbox", &[])
        .await
        .ok::<ListPage<InboxItem>>()
        .items;
    assert!(inbox.is_empty());
    for transaction in [&bob_tx, &carol_tx] {
        assert_reaches_nothing(&app, &mallory, transaction, &attachment).await;
    }
    let with_token: Reception = reception(&app, &mallory, &carol_tx, Some(&carol_token))
        .await
        .ok();
    assert!(with_token.sender.is_none() && with_token.subject.is_none() && !with_token.dossier);
    assert_eq!(
        mallory
            .call(&app, "letter_accept", &decision(&carol_tx))
            .await
            .err(),
        AppError::NotFound
    );
    // Anonymous: nothing.
    let anonymous = User::visitor("anon@example.org", "Anon");
    assert_eq!(
        anonymous
            .get(&app, &format!("/letters/{bob_tx}/dossier.zip"))
            .await
            .route_err(),
        AppError::NotFound
    );
    assert_eq!(
        anonymous.call(&app, "sent_letters", &[]).await.err(),
        AppError::SignInRequired
    );
    app.stop().await;
}

/// LET-03: a letter is sent with all its evidence or not at all. The time-stamping authority
/// (here behind a proxy) stops answering after the second of the four time-stamps sending a
/// letter to two recipients needs (deposit and summary each; the transmission evidence
/// follows each notification's hand-over): the user is told the evidence service is unavailable, the draft is
/// still a whole draft, no transaction, evidence, notification or job exists, the failure is
/// journaled (OPS-03); once the TSA is back, the same draft sends.
async fn let_03_a_send_failing_midway_changes_nothing(backend: Backend) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    // A TSA: the built-in one of another instance, behind a proxy we can break.
    let tsa = spawn_app(backend).await;
    let target = format!("{}/tsa", tsa.url);
    let served = Arc::new(AtomicUsize::new(0));
    let allowed = Arc::new(AtomicUsize::new(usize::MAX));
    let proxy = {
        let (served, allowed) = (served.clone(), allowed.clone());
        axum::Router::new().route(
            "/tsa",
            axum::routing::post(move |body: axum::body::Bytes| {
                let (served, allowed, target) = (served.clone(), allowed.clone(), target.clone());
                async move {
                    let reply_type = [("content-type", "application/timestamp-reply")];
                    if served.fetch_add(1, Ordering::SeqCst) >= allowed.load(Ordering::SeqCst) {
                        return (
                            axum::http::StatusCode::SERVICE_UNAVAILABLE,
                            reply_type,
                            Vec::new(),
                        );
                    }
                    let reply = reqwest::Client::new()
                        .post(target)
                        .header("content-type", "application/timestamp-query")
                        .body(body)
                        .send()
                        .await
                        .expect("TSA");
                    (
                        axum::http::StatusCode::OK,
                        reply_type,
                        reply.bytes().await.expect("reply").to_vec(),
                    )
                }
            }),
        )
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let proxy_url = format!("http://{}/tsa", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, proxy).await });

    let app = common::spawn_app_with(backend, |config| config.tsa.url = proxy_url).await;
    let drafted = Scenario::new(&app)
        .recipient("bob@example.net", "Bob")
        .professional("pro@example.com", "Pro", "Pro SA")
        .subject("Préavis")
        .attachment("p.pdf", pdf_bytes("p", 5000))
        .draft()
        .await;
    let (alice, id) = (drafted.sender.clone(), drafted.id.clone());
    let count = async |sql: &str| count(&app, sql, &[]).await;
    let jobs_before = count("SELECT COUNT(*) FROM job").await;
    let evidence_before = count("SELECT COUNT(*) FROM evidence").await;

    allowed.store(served.load(Ordering::SeqCst) + 2, Ordering::SeqCst);
    assert_eq!(
        send(&app, &alice, &id).await.err(),
        AppError::EvidenceUnavailable
    );
    assert!(
        served.load(Ordering::SeqCst) >= 3,
        "failed midway, after some time-stamps"
    );
    let draft: Draft = alice.call(&app, "draft_get", &[("id", &id)]).await.ok();
    assert_eq!(
        (
            draft.subject.as_str(),
            draft.recipients.len(),
            draft.attachments.len()
        ),
        ("Préavis", 2, 1)
    );
    assert_eq!(count("SELECT COUNT(*) FROM letter_transaction").await, 0);
    assert_eq!(
        count("SELECT COUNT(*) FROM evidence").await,
        evidence_before
    );
    assert_eq!(count("SELECT COUNT(*) FROM job").await, jobs_before);
    // The evidences are sealed concurrently (issue 11): each seal that met the refusing TSA
    // before the send gave up records its failure.
    let errors = count("SELECT COUNT(*) FROM audit_event WHERE action = 'seal_use_error'").await;
    assert!((1..=4).contains(&errors), "{errors} seal use errors");

    allowed.store(usize::MAX, Ordering::SeqCst);
    let sent = drafted.send(&app).await;
    assert_eq!(sent.letter.transactions.len(), 2);
    assert_eq!(
        count("SELECT COUNT(*) FROM evidence").await,
        evidence_before + 6
    );
    app.stop().await;
    tsa.stop().await;
}

/// LET-03, OPS-02, issue 11: the evidences of a send to several recipients are sealed
/// concurrently, yet journaled in a fixed order — recipient by recipient, each deposit
/// immediately followed by its summary — every one valid, the journal's chain intact.
async fn let_03_evidences_sealed_together_are_journaled_in_order(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut scenario = Scenario::new(&app);
    for i in 0..5 {
        scenario = scenario.professional(
            &format!("pro{i}@example.com"),
            &format!("Pro {i}"),
            "Pro SA",
        );
    }
    let sent = scenario.send().await;
    assert_eq!(sent.letter.transactions.len(), 5);
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT e.kind, e.letter_id, l.seq FROM evidence e \
         JOIN ledger l ON l.entry_type = 'evidence' AND l.ref_id = e.id \
         WHERE e.kind IN ('Deposit', 'LetterSummary') ORDER BY l.seq",
    )
    .fetch_all(app.state.db.pool())
    .await
    .expect("journaled evidence");
    assert_eq!(rows.len(), 10, "{rows:?}");
    let mut transactions = Vec::new();
    for pair in rows.chunks(2) {
        let [(deposit, first, seq), (summary, second, next)] = pair else {
            panic!("{pair:?}");
        };
        assert_eq!(
            (deposit.as_str(), summary.as_str()),
            ("Deposit", "LetterSummary")
        );
        assert_eq!(first, second, "a transaction's two evidences together");
        assert_eq!(*next, seq + 1, "{rows:?}");
        transactions.push(first.clone());
    }
    transactions.sort();
    transactions.dedup();
    assert_eq!(transactions.len(), 5);
    let (first, last) = (&sent.deliveries[0], &sent.deliveries[4]);
    assert_valid_evidence(&app, &letter_pdf(&app, &first.transaction, "Deposit").await);
    assert_valid_evidence(
        &app,
        &letter_pdf(&app, &last.transaction, "LetterSummary").await,
    );
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// ACC-01, ACC-02 (3), ID-03: a recipient whose account is deactivated still gets the
/// notification, cannot use the account, proves their identity at the reception, accepts, and
/// may reactivate the account from there; sending then needs a new proofing.
async fn acc_01_acc_02_a_deactivated_recipient_proves_identity_and_may_reactivate(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let alice = sender(&app, "alice@example.org", "Alice Martin").await;
    let frank = sender(&app, "frank@example.net", "Frank Petit").await;
    frank.fresh_code(&app).await;
    frank.call(&app, "deactivate_account", &[]).await.ok::<()>();
    let sent = Scenario::new(&app)
        .by(&alice)
        .recipient("frank@example.net", "Frank Petit")
        .subject("Relance")
        .attachment("r.pdf", pdf_bytes("r", 100))
        .send()
        .await;
    let (transaction, token) = notification_link(&app, "frank@example.net").await;
    assert_eq!(transaction, sent.letter.transactions[0].id);
    // The deactivated account does not sign in: a proofing at the reception instead.
    assert_eq!(
        frank.sign_in(&app).await.err(),
        AppError::AccountDeactivated
    );
    prove_at_reception(&app, &frank, &transaction, &token, "Frank PETIT").await;
    let view: Reception = reception(&app, &frank, &transaction, None).await.ok();
    assert!(view.can_decide && view.offer_account && view.deactivated_account);
    frank
        .call(&app, "letter_accept", &decision(&transaction))
        .await
        .ok::<Reception>();
    let view: Reception = frank
        .call(
            &app,
            "reception_reactivate",
            &[("transaction_id", &transaction)],
        )
        .await
        .ok();
    assert!(!view.deactivated_account && !view.offer_account);
    let (deactivated,): (Option<i64>,) =
        sqlx::query_as("SELECT deactivated_at FROM account WHERE email_key = $1")
            .bind("frank@example.net")
            .fetch_one(app.state.db.pool())
            .await
            .expect("account");
    assert_eq!(deactivated, None);
    // Signed in again, Frank must prove his identity anew before sending (ACC-02).
    frank.sign_in_again(&app).await;
    assert_eq!(
        frank.call(&app, "qualified_action", &[]).await.err(),
        AppError::IdentityProofingRequired
    );
    app.stop().await;
}

/// A letter to Erin (a consented private recipient), her notification delivered.
async fn letter_to_erin(app: &TestApp) -> Sent {
    Scenario::new(app)
        .recipient("erin@example.net", "Erin")
        .send()
        .await
}

/// LET-07, LET-10 (issue 9): the service was down across the expiry (or the clock jumped past
/// it): when the queue runs again, the three overdue reminders are dropped — no reminder
/// evidence, no reminder email, each drop journaled — and the expiry still happens, with its
/// non-claim evidence and emails to both parties.
async fn let_07_reminders_past_the_expiry_are_dropped_and_journaled(backend: Backend) {
    let app = spawn_app(backend).await;
    let transaction = letter_to_erin(&app).await.transaction().to_owned();
    let before = mails(&app, "erin@example.net").await.len();

    // Day 17: every reminder and the expiry are overdue at once.
    app.state.clock.advance(TimeDelta::days(17));
    settle(&app).await;
    let kinds = evidence_kinds(&app, &transaction).await;
    assert!(!kinds.iter().any(|k| k == "Reminder"), "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "NonClaim").count(), 1);
    let to_erin = mails(&app, "erin@example.net").await;
    assert!(
        !to_erin
            .iter()
            .any(|(subject, _)| subject.contains("rappel")),
        "{to_erin:?}"
    );
    assert_eq!(to_erin.len(), before + 1, "only the expiry: {to_erin:?}");
    let (subject, _) = last_mail(&app, "alice@example.org").await;
    assert!(subject.contains("non réclamée"), "{subject}");
    let dropped = events(&app, "reminder_dropped").await;
    assert_eq!(dropped.len(), 3, "{dropped:?}");
    for document in &dropped {
        assert_eq!(document["category"], "letter", "{document}");
        assert!(document.to_string().contains(&transaction), "{document}");
    }
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// Whether any row of the job table holds `secret`, in any column.
async fn job_rows_containing(app: &TestApp, secret: &str) -> Vec<String> {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT id, kind, payload, COALESCE(last_error, '') FROM job ORDER BY id")
            .fetch_all(app.state.db.pool())
            .await
            .expect("jobs");
    rows.into_iter()
        .filter(|(id, kind, payload, error)| {
            [id, kind, payload, error]
                .iter()
                .any(|c| c.contains(secret))
        })
        .map(|(id, kind, payload, _)| format!("{id} {kind} {payload}"))
        .collect()
}

/// LET-05, LET-07 (issue 9): no usable access token at rest. After sending (and delivering
/// the notification), no row of the job table holds the notification link's token; a
/// reminder mints its own token, whose link opens the reception as the notification's still
/// does, and it is not kept in the job table either.
async fn let_05_no_usable_access_token_at_rest_and_each_reminder_has_its_own_link(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let sent = letter_to_erin(&app).await;
    let transaction = sent.transaction().to_owned();
    let (linked, token) = notification_link(&app, "erin@example.net").await;
    assert_eq!(linked, transaction);
    assert_eq!(token, sent.to("erin@example.net").token);
    assert_eq!(
        job_rows_containing(&app, &token).await,
        Vec::<String>::new()
    );

    // After the first reminder (day 4, 08:00 Paris), before the second.
    app.state.clock.advance(TimeDelta::days(5));
    settle(&app).await;
    let (subject, _) = last_mail(&app, "erin@example.net").await;
    assert!(subject.contains("rappel"), "{subject}");
    let (linked, reminder_token) = notification_link(&app, "erin@example.net").await;
    assert_eq!(linked, transaction);
    assert_ne!(reminder_token, token, "each link has its own token");
    for secret in [&token, &reminder_token] {
        assert_eq!(
            job_rows_containing(&app, secret).await,
            Vec::<String>::new()
        );
    }
    let visitor = User::visitor("someone@example.invalid", "x");
    for secret in [&reminder_token, &token] {
        let view: Reception = reception(&app, &visitor, &transaction, Some(secret))
            .await
            .ok();
        assert_eq!(view.status, TransactionStatus::Awaiting);
        assert!(view.sender.is_none() && view.subject.is_none());
    }
    assert_eq!(
        reception(&app, &visitor, &transaction, Some("not-a-token"))
            .await
            .err(),
        AppError::NotFound
    );
    // The reminder's link also starts the identity proofing at this reception (ID-03).
    let erin = User::visitor("erin@example.net", "Erin");
    prove_at_reception(&app, &erin, &transaction, &reminder_token, "Erin").await;
    let view: Reception = reception(&app, &erin, &transaction, None).await.ok();
    assert!(view.can_decide);
    app.stop().await;
}

/// LET-02 (issue 9): an upload interrupted by a crash leaves `<id>.part` in the attachment
/// directory; a server starting removes those older than the longest upload allowed and
/// keeps a fresh one (an upload another instance may still be receiving) and every stored
/// attachment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn let_02_orphan_partial_uploads_are_removed_at_start_up() {
    let app = spawn_app(Backend::Sqlite).await;
    let dir = app.state.config.var_dir.join("attachments");
    std::fs::create_dir_all(&dir).expect("dir");
    let long_ago = std::time::SystemTime::now()
        - server::letters::upload::UPLOAD_TIME_LIMIT
        - std::time::Duration::from_secs(60);
    let old_part = dir.join("01900000-0000-7000-8000-000000000001.part");
    let fresh_part = dir.join("01900000-0000-7000-8000-000000000002.part");
    let old_attachment = dir.join("01900000-0000-7000-8000-000000000003");
    for path in [&old_part, &fresh_part, &old_attachment] {
        std::fs::write(path, b"bytes").expect("write");
    }
    for path in [&old_part, &old_attachment] {
        std::fs::File::options()
            .write(true)
            .open(path)
            .expect("open")
            .set_modified(long_ago)
            .expect("mtime");
    }
    // Another start of the server on the same storage.
    let restarted = app.second_instance().await;
    assert!(!old_part.exists(), "the orphan is removed");
    assert!(
        fresh_part.exists(),
        "a recent part may be an upload in progress"
    );
    assert!(old_attachment.exists(), "attachments are never swept");
    restarted.stop().await;
    app.stop().await;
}

/// A dossier rewritten as someone tampering with it would: `edit` changes the PDFs (name →
/// bytes), then `manifest.json` is made to agree (a line per PDF with its SHA-256).
fn tampered(bytes: &[u8], edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    use std::io::Write;
    let mut files = unzip(bytes);
    let (_, manifest) = files.remove(0);
    let mut manifest: serde_json::Value = serde_json::from_slice(&manifest).expect("json");
    edit(&mut files);
    manifest["files"] = serde_json::Value::Array(
        files
            .iter()
            .map(|(name, pdf)| serde_json::json!({ "name": name, "sha256": sha256_hex(pdf) }))
            .collect(),
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("manifest.json", options).expect("start");
    zip.write_all(manifest.to_string().as_bytes())
        .expect("write");
    for (name, pdf) in &files {
        zip.start_file(name.as_str(), options).expect("start");
        zip.write_all(pdf).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

/// LET-12 (issue 9): the dossier holds a sealed manifest (DossierManifest evidence) naming the
/// transaction and every evidence by id and SHA-256, so that a dossier missing an evidence
/// (its PDF and its manifest.json line removed), with one replaced, with one added or without
/// the sealed manifest is invalid — for `verify_zip` and for `pli verify` (exit 1) — while the
/// intact one is valid. The sealed manifest is journaled and is not listed by later dossiers.
async fn let_12_a_dossier_proves_it_is_complete(backend: Backend) {
    let app = spawn_app(backend).await;
    let sent = letter_to_erin(&app).await;
    let (alice, transaction) = (&sent.sender, sent.transaction().to_owned());
    let path = format!("/letters/{transaction}/dossier.zip");
    let zip = alice.get(&app, &path).await;
    assert!(zip.status.is_success(), "{}", zip.text());
    let roots = app.state.sealer.trust_roots();
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("dossier.zip");
    let check = |bytes: &[u8]| {
        std::fs::write(&file, bytes).expect("write");
        let (code, text) = pli_verify(&app, &[&file]);
        (
            server::letters::dossier::verify_zip(bytes, &roots),
            code,
            text,
        )
    };
    let (report, code, text) = check(&zip.body);
    assert!(report.valid(), "{report:?}");
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("RESULT: VALID DOSSIER"), "{text}");

    let files = unzip(&zip.body);
    let named = |kind: &str| {
        files
            .iter()
            .find(|(name, _)| name.contains(&format!("-{kind}-")))
            .unwrap_or_else(|| panic!("{kind} in the dossier"))
            .clone()
    };
    let (transmission, _) = named("Transmission");
    let (sealed, _) = named("DossierManifest");
    let (_, deposit_pdf) = named("Deposit");
    assert_eq!(
        files
            .iter()
            .rfind(|(n, _)| !n.starts_with("log/"))
            .map(|(n, _)| n),
        Some(&sealed),
        "the sealed manifest is the last evidence"
    );
    // Issue 12: every evidence's inclusion proof in the transparency log, checked offline
    // against the sealed tree head in log/.
    let log = report.log.as_ref().expect("log/ in the dossier");
    assert!(log.passed(), "{log:?}");
    let evidences = files
        .iter()
        .filter(|(n, _)| n.ends_with(".pdf") && !n.starts_with("log/"))
        .count();
    assert_eq!(log.proofs.len(), evidences, "{log:?}");
    assert!(text.contains("is in the log: leaf"), "{text}");
    let forged_proof = tampered(&zip.body, |files| {
        for (name, json) in files.iter_mut() {
            if name == "log/inclusion.json" {
                let mut doc: serde_json::Value = serde_json::from_slice(json).expect("json");
                let index = doc["proofs"][0]["leaf_index"].as_u64().expect("index");
                doc["proofs"][0]["leaf_index"] = serde_json::json!(index ^ 1);
                *json = doc.to_string().into_bytes();
            }
        }
    });
    let (report, code, text) = check(&forged_proof);
    assert!(!report.valid(), "{report:?}");
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("BAD") && text.contains("in the log"),
        "{text}"
    );

    // Rewriting manifest.json to agree with the ZIP as it is does not make it valid again.
    let unchanged = tampered(&zip.body, |_| {});
    assert!(check(&unchanged).0.valid(), "manifest.json rewritten alone");

    let removed = tampered(&zip.body, |files| files.retain(|(n, _)| *n != transmission));
    let (report, code, text) = check(&removed);
    assert!(!report.valid(), "{report:?}");
    assert_eq!(report.missing, vec![transmission.clone()]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("RESULT: INVALID DOSSIER"), "{text}");
    assert!(text.contains("missing from the dossier"), "{text}");

    let replaced = tampered(&zip.body, |files| {
        for (name, pdf) in files.iter_mut() {
            if *name == transmission {
                *pdf = deposit_pdf.clone();
            }
        }
    });
    let (report, code, text) = check(&replaced);
    assert!(!report.valid(), "{report:?}");
    assert!(
        report
            .files
            .iter()
            .any(|f| f.name == transmission && f.valid && !f.listed),
        "{report:?}"
    );
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("RESULT: INVALID DOSSIER"), "{text}");

    let added = tampered(&zip.body, |files| {
        files.push(("99-Deposit-extra.pdf".to_owned(), deposit_pdf.clone()));
    });
    let (report, code, _) = check(&added);
    assert!(!report.valid(), "{report:?}");
    assert_eq!(code, Some(1));

    let unsealed = tampered(&zip.body, |files| files.retain(|(n, _)| *n != sealed));
    let (report, code, text) = check(&unsealed);
    assert!(!report.valid(), "{report:?}");
    assert!(
        report
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("sealed manifest")),
        "{report:?}"
    );
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("sealed manifest"), "{text}");

    // Journaled with the transaction; a later dossier lists only its own sealed manifest.
    let again = alice.get(&app, &path).await;
    assert!(check(&again.body).0.valid());
    let sealed_in_second: Vec<String> = unzip(&again.body)
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| n.contains("-DossierManifest-"))
        .collect();
    assert_eq!(sealed_in_second.len(), 1, "{sealed_in_second:?}");
    assert_ne!(sealed_in_second[0], sealed);
    let journaled = evidence_kinds(&app, &transaction)
        .await
        .iter()
        .filter(|k| *k == "DossierManifest")
        .count();
    assert_eq!(journaled, 2);
    app.stop().await;
}
