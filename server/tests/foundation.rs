//! The foundation, through the running server: probes, pages in both languages, the dev
//! mailbox and clock, published certificates, request ids, production refusals — each on
//! SQLite and on PostgreSQL.

mod common;

use chrono::TimeDelta;
use common::pages::english;
use common::{Backend, spawn_app, spawn_app_with};
use server::mailer::Email;

on_both_databases!(
    probes_answer,
    home_page_is_french_by_default_and_english_by_cookie,
    every_response_carries_a_request_id,
    dev_mailbox_lists_and_renders_sent_mail,
    clock_drives_mail_dates_and_dev_clock_is_shared,
    published_certificates_are_the_token_keys_certificates,
    production_mode_hides_development_tools,
    migrations_are_idempotent,
);

async fn probes_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    assert_eq!(app.get_text("/healthz").await, "ok");
    let ready: serde_json::Value = app.get("/readyz").await.json().await.expect("json");
    assert_eq!(ready["status"], "ready", "{ready}");
    assert_eq!(ready["database"], "ok");
    assert_eq!(ready["hsm"], "ok");
    app.stop().await;
}

async fn home_page_is_french_by_default_and_english_by_cookie(backend: Backend) {
    let app = spawn_app(backend).await;
    let html = app.get_text("/").await;
    assert!(html.contains(r#"<html lang="fr""#), "French by default");
    assert!(html.contains("La lettre recommandée électronique"));
    for link in ["/signin", "/signup", "/verify", "/policy"] {
        assert!(
            html.contains(&format!(r#"href="{link}""#)),
            "home links to {link}"
        );
    }
    // The hydration script loads the WASM bundle (`/pkg/pli.js`, or `/pkg/<hash>/pli.js` once
    // the site is built: scripts/build-site.sh).
    assert!(
        html.contains("/pkg/") && html.contains("/pli.js") && html.contains("pli_bg"),
        "hydration script"
    );
    assert!(
        html.contains("Environnement de développement"),
        "development banner"
    );

    let english = english(&app, "/").await;
    assert!(english.contains(r#"<html lang="en""#));
    assert!(english.contains("The electronic registered letter"));

    let missing = app.get("/no-such-page").await;
    assert_eq!(missing.status(), 404);
    app.stop().await;
}

async fn every_response_carries_a_request_id(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = app.get("/healthz").await;
    let second = app.get("/healthz").await;
    let id = |r: &reqwest::Response| {
        r.headers()["x-request-id"]
            .to_str()
            .expect("ascii")
            .to_owned()
    };
    assert_ne!(id(&first), id(&second));
    assert_eq!(first.headers()["x-content-type-options"], "nosniff");
    app.stop().await;
}

async fn dev_mailbox_lists_and_renders_sent_mail(backend: Backend) {
    let app = spawn_app(backend).await;
    assert!(
        app.get_text("/dev/mailbox")
            .await
            .contains("Aucun courriel")
    );
    let email = Email {
        attachments: Vec::new(),
        to: "bob@example.org".to_owned(),
        subject: "Lettre recommandée en attente".to_owned(),
        text: "Ouvrez http://127.0.0.1/x".to_owned(),
        html: Some("<p><a href=\"http://127.0.0.1/x\">Ouvrir</a></p>".to_owned()),
    };
    let id = app
        .state
        .mailer
        .send(&email)
        .await
        .expect("send")
        .mailbox_id
        .expect("kept in the development mailbox");
    let list = app.get_text("/dev/mailbox").await;
    assert!(
        list.contains("Lettre recommandée en attente") && list.contains("bob@example.org"),
        "{list}"
    );
    assert!(list.contains(&format!("/dev/mailbox/{id}")));
    let page = app.get_text(&format!("/dev/mailbox/{id}")).await;
    assert!(page.contains("srcdoc"), "HTML part rendered");
    // The raw message is a real multipart RFC 5322 message, as SMTP would carry it.
    assert!(page.contains("multipart/alternative"), "raw source shown");
    app.stop().await;
}

async fn clock_drives_mail_dates_and_dev_clock_is_shared(backend: Backend) {
    let app = spawn_app(backend).await;
    app.state.clock.advance(TimeDelta::days(15));
    let email = Email {
        attachments: Vec::new(),
        to: "a@example.org".into(),
        subject: "s".into(),
        text: "t".into(),
        html: None,
    };
    app.state.mailer.send(&email).await.expect("send");
    let list = app.get_text("/dev/mailbox").await;
    assert!(
        list.contains("2026-04-12T22:30:00Z"),
        "mail dated by the service clock: {list}"
    );

    // The development clock's offset lives in the database: another process (`pli clock
    // advance`) or instance sees the same offset.
    let before = server::clock::shared_offset::load(&app.state.db)
        .await
        .expect("load");
    let after = server::clock::shared_offset::add(&app.state.db, 86_400_000)
        .await
        .expect("add");
    assert_eq!(after - before, 86_400_000);
    let page = app.get_text("/dev/clock").await;
    assert!(page.contains("Horloge de développement"));
    app.stop().await;
}

async fn published_certificates_are_the_token_keys_certificates(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.get("/pki/seal.pem").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/x-pem-file");
    let pem = response.text().await.expect("pem");
    use x509_cert::der::DecodePem;
    let cert = x509_cert::Certificate::from_pem(pem.as_bytes()).expect("PEM certificate");
    assert_eq!(cert, app.state.seal.certificate);
    let key = app
        .state
        .seal
        .hsm
        .public_key(&app.state.seal.key_label)
        .expect("token key");
    evidence::check_certificate_matches_key(&cert, &key, "seal")
        .expect("published seal certificate is the token key's");
    for file in ["root.pem", "tsa.pem"] {
        assert_eq!(app.get(&format!("/pki/{file}")).await.status(), 200);
    }
    assert_eq!(app.get("/pki/..%2Fsofthsm2.conf").await.status(), 404);
    let policy = app.get_text("/policy").await;
    assert!(
        policy.contains("1.3.6.1.4.1.32473.1.1"),
        "policy OID published"
    );
    app.stop().await;
}

async fn production_mode_hides_development_tools(backend: Backend) {
    let app = spawn_app_with(backend, |config| {
        config.mode = server::config::Mode::Production;
        config.mail.transport = server::config::MailTransport::Smtp;
        config.mail.smtp_url = Some("smtp://127.0.0.1:9".to_owned());
        config.hsm.so_pin = None;
        // Production refuses the built-in TSA: an external one (not contacted by this test).
        config.tsa.url = "http://127.0.0.1:9/tsa".to_owned();
    })
    .await;
    let home = app.get_text("/").await;
    assert!(
        !home.contains("Environnement de développement"),
        "no development banner"
    );
    let mailbox = app.get_text("/dev/mailbox").await;
    assert!(
        mailbox.contains("uniquement disponible en mode développement")
            || mailbox.contains("n'est disponible qu'en mode développement"),
        "{mailbox}"
    );
    app.stop().await;
}

async fn migrations_are_idempotent(backend: Backend) {
    let app = spawn_app(backend).await;
    app.state.db.migrate().await.expect("second run is a no-op");
    let applied: Vec<(i64,)> = sqlx::query_as("SELECT version FROM _sqlx_migrations")
        .fetch_all(app.state.db.pool())
        .await
        .expect("versions");
    assert_eq!(applied.len(), server::db::MIGRATOR.iter().count());
    app.stop().await;
}
