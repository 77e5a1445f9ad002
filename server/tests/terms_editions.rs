//! New editions of the terms of use (OPS-07; policy §1.2.3-§1.2.5), with the service clock:
//!
//! - a new edition is published at its own address before it applies, the kind's address
//!   serving the edition in force that day;
//! - it is announced by email to every account on its announcement date, once;
//! - from its effective date, an account that accepted the older edition is asked to accept
//!   it (auth state), cannot send before it does, and accepts it (journaled, with its OID);
//!   sign-up asks for it.

mod common;

use app::error::AppError;
use app::types::AuthState;
use app::validation::Invalid;
use chrono::{TimeZone, Utc};
use common::flows::{User, contact, draft, sender};
use common::records::mails;
use common::{Backend, TestApp, spawn_app};

on_both_databases!(a_new_edition_is_published_announced_and_accepted,);

/// Moves the service clock to 09:00 UTC on `day` (YYYY-MM-DD).
fn move_to(app: &TestApp, day: &str) {
    let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("date");
    let target = Utc.from_utc_datetime(&date.and_hms_opt(9, 0, 0).expect("time"));
    app.state.clock.advance(target - app.state.clock.now());
}

async fn pdf_version(app: &TestApp, path: &str) -> (u16, Option<String>) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let sha = response
        .headers()
        .get("x-pli-sha256")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let version = sha.and_then(|sha| {
        ["2026-11", "2027-01"].into_iter().find(|v| {
            app.state
                .publication
                .edition(app::terms::DocumentKind::SenderTerms, v)
                .is_some_and(|p| p.sha256 == sha)
        })
    });
    (status, version.map(str::to_owned))
}

async fn a_new_edition_is_published_announced_and_accepted(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = sender(&app, "alice@example.org", "Alice Martin").await;
    let bob = contact(
        &app,
        &alice,
        "bob@example.org",
        "Bob Durand",
        Some("Durand SA"),
        None,
    )
    .await;

    // Published before it applies, at its own address.
    assert_eq!(
        pdf_version(&app, "/terms/senders.pdf").await,
        (200, Some("2026-11".to_owned()))
    );
    assert_eq!(
        pdf_version(&app, "/terms/senders/2027-01.pdf").await,
        (200, Some("2027-01".to_owned()))
    );
    assert_eq!(
        app.get("/terms/senders/2031-01.pdf")
            .await
            .status()
            .as_u16(),
        404
    );

    // Announced on its day, once, to every account.
    let announce = || server::account::terms::announce_due(&app.state);
    assert_eq!(announce().await.expect("announce"), 0);
    move_to(&app, "2026-12-01");
    assert_eq!(announce().await.expect("announce"), 1);
    assert_eq!(announce().await.expect("announce"), 0);
    let sent = mails(&app, "alice@example.org").await;
    assert!(
        sent.iter()
            .any(|(subject, text)| subject.contains("nouvelle version")
                && text.contains("2027-01-15")),
        "{sent:?}"
    );

    // In force: asked at sign-in, required to send.
    move_to(&app, "2027-01-15");
    assert_eq!(
        pdf_version(&app, "/terms/senders.pdf").await,
        (200, Some("2027-01".to_owned()))
    );
    alice.sign_in_again(&app).await;
    let state: AuthState = alice.auth_state(&app).await;
    let pending = state.user.and_then(|u| u.terms_to_accept);
    assert_eq!(pending.as_deref(), Some("2027-01"));
    let id = draft(
        &app,
        &alice,
        "Relance",
        &[&bob],
        &[("relance.pdf", b"%PDF-1.7".to_vec())],
    )
    .await;
    let refused = alice.call(&app, "letter_send", &[("id", &id)]).await;
    assert_eq!(refused.status.as_u16(), 403);
    assert_eq!(
        refused.err(),
        AppError::TermsToAccept {
            version: "2027-01".to_owned()
        }
    );
    let old = alice
        .call(&app, "terms_accept", &[("terms_version", "2026-11")])
        .await;
    assert_eq!(old.err(), AppError::Invalid(Invalid::Terms));
    alice
        .call(&app, "terms_accept", &[("terms_version", "2027-01")])
        .await
        .ok::<()>();
    let state: AuthState = alice.auth_state(&app).await;
    assert_eq!(state.user.and_then(|u| u.terms_to_accept), None);
    let (oid,): (Option<String>,) =
        sqlx::query_as("SELECT terms_oid FROM account WHERE email = $1")
            .bind("alice@example.org")
            .fetch_one(app.state.db.pool())
            .await
            .expect("account");
    assert!(oid.is_some_and(|oid| oid.ends_with(".2.1.2")));
    let sent = alice.call(&app, "letter_send", &[("id", &id)]).await;
    assert!(sent.status.is_success(), "{}", sent.text());

    // Sign-up asks for the edition in force.
    let carol = User::visitor("carol@example.org", "Carole Petit");
    assert_eq!(
        carol.sign_up(&app).await.err(),
        AppError::Invalid(Invalid::Terms)
    );
    app.stop().await;
}
