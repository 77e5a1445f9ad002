//! The recipient as the law reads it (issue 10, points 1 and 2), through the running server on
//! SQLite and PostgreSQL: only the addressee the sender named, once identified, receives the
//! letter (ID-03, eIDAS Art. 44(1)(c), policy §4.4, §6.3), and what a recipient may see in
//! each state follows one rule (LET-05, LET-09, LET-10, policy §7.2.6, §7.2.8;
//! `domain::visibility`, docs/letters.md).

mod common;

use app::error::AppError;
use app::letters::{Reception, RecipientAuth};
use app::lifecycle::TransactionStatus;
use chrono::TimeDelta;
use common::flows::{self, User, account, prove_at_reception, reception};
use common::records::{
    assert_valid_evidence, count, dossier_kinds, events, letter_pdf, mails, pdftotext, settle,
    unzip,
};
use common::scenario::{Scenario, Sent, pdf_bytes};
use common::{Backend, TestApp, spawn_app};

on_both_databases!(
    id_03_only_the_addressee_named_by_the_sender_receives_the_letter,
    let_05_let_09_let_10_what_a_recipient_sees_in_each_state,
);

/// What the sender wrote, which no recipient may learn before accepting.
const SECRETS: [&str; 5] = [
    "Alice Martin",
    "alice@example.org",
    "Préavis de départ",
    "Veuillez trouver",
    "preavis.pdf",
];

/// A letter from Alice Martin to `name` <`email`>: a new sender and contact, or again (`again`:
/// the first letter, whose sender signs in again and whose contact is reused).
async fn letter_to(app: &TestApp, again: Option<&Sent>, email: &str, name: &str) -> Sent {
    let scenario = match again {
        None => Scenario::new(app).recipient(email, name),
        Some(first) => {
            first.sender.sign_in_again(app).await;
            Scenario::new(app)
                .by(&first.sender)
                .contact(&first.contacts[0])
        }
    };
    scenario
        .subject("Préavis de départ")
        .message("Veuillez trouver mon préavis.")
        .attachment("preavis.pdf", pdf_bytes("p", 500))
        .send()
        .await
}

/// ID-03: a stranger holding the link proves an identity that is not the addressee's: they are
/// told plainly, learn nothing, cannot decide; the mismatch is journaled once and the sender
/// told once; the letter stays awaiting. Then the addressee, signed in with an account whose
/// proofing verified the name in another order, case and without accents, accepts — and the
/// acceptance evidence names the verified identity.
async fn id_03_only_the_addressee_named_by_the_sender_receives_the_letter(backend: Backend) {
    let app = spawn_app(backend).await;
    let sent = letter_to(&app, None, "elodie@example.net", "Élodie Lefèvre").await;
    let delivery = sent.to("elodie@example.net");
    let (transaction, token) = (delivery.transaction.clone(), delivery.token.clone());

    let mallory = User::visitor("mallory@example.com", "Mallory");
    prove_at_reception(&app, &mallory, &transaction, &token, "Mallory Dupont").await;
    for _ in 0..2 {
        let view: Reception = reception(&app, &mallory, &transaction, Some(&token))
            .await
            .ok();
        assert_eq!(
            view.auth,
            RecipientAuth::NotTheAddressee {
                verified_name: "Mallory Dupont".to_owned()
            }
        );
        assert!(!view.can_decide && !view.dossier);
        assert!(view.sender.is_none() && view.subject.is_none() && view.message.is_none());
        assert!(view.attachments.is_empty());
    }
    for decision in ["letter_accept", "letter_refuse"] {
        assert_eq!(
            mallory
                .call(&app, decision, &flows::decision(&transaction))
                .await
                .err(),
            AppError::NotTheAddressee,
            "{decision}"
        );
    }
    let attachment = sent.letter.attachments[0].id.clone();
    assert_eq!(
        mallory
            .get(
                &app,
                &format!("/letters/{transaction}/attachments/{attachment}")
            )
            .await
            .route_err(),
        AppError::NotTheAddressee
    );
    let mismatches = events(&app, "addressee_mismatch").await;
    assert_eq!(mismatches.len(), 1, "{mismatches:?}");
    assert!(mismatches[0].to_string().contains("Mallory Dupont"));
    settle(&app).await;
    let to_sender: Vec<_> = mails(&app, "alice@example.org")
        .await
        .into_iter()
        .filter(|(subject, _)| subject.contains("destinataire non reconnu"))
        .collect();
    assert_eq!(to_sender.len(), 1, "{to_sender:?}");
    assert!(
        !to_sender[0].1.contains("Mallory"),
        "the sender does not learn the other person's name"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM letter_transaction WHERE id = $1 AND status = 'awaiting'",
            &[&transaction],
        )
        .await,
        1
    );

    // The addressee's account: a declared name, then a proofing verifying the real one.
    let elodie = account(&app, "elodie@example.net", "Lodie").await;
    let redirect: String = elodie.call(&app, "proofing_start", &[]).await.ok();
    flows::simulator(&app, &elodie, &redirect, "LEFEVRE Elodie", true).await;
    let view: Reception = reception(&app, &elodie, &transaction, None).await.ok();
    assert!(
        matches!(&view.auth, RecipientAuth::Account { name, .. } if name == "LEFEVRE Elodie"),
        "{:?}",
        view.auth
    );
    assert!(view.can_decide);
    let accepted: Reception = elodie
        .call(&app, "letter_accept", &flows::decision(&transaction))
        .await
        .ok();
    assert_eq!(accepted.status, TransactionStatus::Accepted);
    assert_eq!(accepted.subject.as_deref(), Some("Préavis de départ"));
    let acceptance = letter_pdf(&app, &transaction, "Acceptance").await;
    assert_valid_evidence(&app, &acceptance);
    let text = pdftotext(&acceptance);
    assert!(text.contains("LEFEVRE Elodie"), "{text}");
    assert!(!text.contains("Lodie\n"), "{text}");
    app.stop().await;
}

/// LET-05, LET-09, LET-10: the recipient's view and dossier in each state, for the addressee
/// identified at the reception — awaiting (nothing but the date, no dossier), refused (a
/// dossier of what names neither sender nor content: transmission, reminder, identification,
/// refusal), accepted (everything), expired (nothing, no dossier); reminder evidence names no
/// sender.
async fn let_05_let_09_let_10_what_a_recipient_sees_in_each_state(backend: Backend) {
    let app = spawn_app(backend).await;
    let erin = User::visitor("erin@example.net", "Erin");
    let refused = letter_to(&app, None, "erin@example.net", "Erin Leroy").await;
    let (transaction, token) = (
        refused.to("erin@example.net").transaction.clone(),
        refused.to("erin@example.net").token.clone(),
    );
    // Day 4: a reminder, which names no sender and no subject either.
    app.state
        .clock
        .advance(TimeDelta::days(4) + TimeDelta::hours(10));
    settle(&app).await;
    let reminder = pdftotext(&letter_pdf(&app, &transaction, "Reminder").await);
    for secret in SECRETS {
        assert!(!reminder.contains(secret), "{secret}: {reminder}");
    }

    // Awaiting, identified: nothing more than that a letter awaits, and no dossier.
    prove_at_reception(&app, &erin, &transaction, &token, "Erin LEROY").await;
    let view: Reception = reception(&app, &erin, &transaction, Some(&token))
        .await
        .ok();
    assert!(view.can_decide && !view.dossier);
    assert!(view.sender.is_none() && view.subject.is_none());
    assert_eq!(
        dossier_kinds(&app, &erin, &transaction, &SECRETS)
            .await
            .err(),
        Some(404)
    );

    // Refused: a dossier without the sender or the content.
    let done: Reception = erin
        .call(&app, "letter_refuse", &flows::decision(&transaction))
        .await
        .ok();
    assert!(done.dossier && done.sender.is_none() && done.subject.is_none());
    let kinds = dossier_kinds(&app, &erin, &transaction, &SECRETS)
        .await
        .expect("dossier");
    assert_eq!(
        kinds,
        [
            "Transmission",
            "Reminder",
            "Identification",
            "Refusal",
            "DossierManifest"
        ]
    );

    // Accepted: the sender, the content and the full dossier.
    let accepted = letter_to(&app, Some(&refused), "erin@example.net", "Erin Leroy").await;
    let delivery = accepted.to("erin@example.net");
    prove_at_reception(
        &app,
        &erin,
        &delivery.transaction,
        &delivery.token,
        "Erin Leroy",
    )
    .await;
    let done: Reception = erin
        .call(
            &app,
            "letter_accept",
            &flows::decision(&delivery.transaction),
        )
        .await
        .ok();
    assert_eq!(
        done.sender.as_ref().map(|s| s.name.as_str()),
        Some("Alice Martin")
    );
    let zip = erin
        .get(
            &app,
            &format!("/letters/{}/dossier.zip", delivery.transaction),
        )
        .await;
    assert!(zip.status.is_success());
    let names: Vec<String> = unzip(&zip.body).into_iter().map(|(name, _)| name).collect();
    for kind in ["Deposit", "LetterSummary", "Acceptance"] {
        assert!(names.iter().any(|n| n.contains(kind)), "{kind}: {names:?}");
    }

    // Expired: nothing but that it expired, and no dossier.
    let expired = letter_to(&app, Some(&refused), "erin@example.net", "Erin Leroy").await;
    let delivery = expired.to("erin@example.net");
    app.state.clock.advance(TimeDelta::days(17));
    settle(&app).await;
    prove_at_reception(
        &app,
        &erin,
        &delivery.transaction,
        &delivery.token,
        "Erin Leroy",
    )
    .await;
    let view: Reception = reception(&app, &erin, &delivery.transaction, Some(&delivery.token))
        .await
        .ok();
    assert_eq!(view.status, TransactionStatus::Expired);
    assert!(!view.dossier && view.sender.is_none() && view.subject.is_none());
    assert_eq!(
        dossier_kinds(&app, &erin, &delivery.transaction, &SECRETS)
            .await
            .err(),
        Some(404)
    );
    app.stop().await;
}
