//! The terms of use, published and accepted (issue 10, point 5; TERMS-01, policy §2.4, §3.2,
//! §3.3, eIDAS Art. 24(2)(d)), through the running server on SQLite and PostgreSQL: the policy
//! statement and both sets of terms are published as pages and PDFs whose SHA-256 the pages
//! state; sign-up records the sender terms' version and OID; a recipient cannot decide without
//! accepting the recipient terms, and the decision's evidence and journal entry name them.

mod common;

use app::error::AppError;
use app::letters::Reception;
use app::lifecycle::TransactionStatus;
use app::terms::{DocumentKind, RECIPIENT_TERMS_VERSION};
use app::types::TERMS_VERSION;
use app::validation::Invalid;
use common::flows::{self, User, prove_at_reception, sha256_hex};
use common::records::{assert_valid_evidence, last_event, letter_pdf, pdftotext};
use common::scenario::Scenario;
use common::{Backend, spawn_app};

on_both_databases!(
    terms_01_published_documents_are_served_with_the_digest_their_pages_state,
    terms_01_sign_up_records_the_sender_terms_version_and_oid,
    terms_01_a_recipient_decides_only_after_accepting_the_recipient_terms,
);

/// The text of the first `<code class="{class}">` of a page.
fn code_of(html: &str, class: &str) -> String {
    let marker = format!("<code class=\"{class}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {class} in the page"))
        + marker.len();
    let end = html[start..].find("</code>").expect("closed") + start;
    // Without the hydration markers the server renders between a static text and a dynamic one.
    html[start..end].replace("<!>", "")
}

async fn terms_01_published_documents_are_served_with_the_digest_their_pages_state(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let policy_oid = app.state.config.policy.oid.clone();
    for (kind, page, pdf, oid) in [
        (
            DocumentKind::SenderTerms,
            "/terms/senders",
            "/terms/senders.pdf",
            format!("{policy_oid}.2.1.1"),
        ),
        (
            DocumentKind::RecipientTerms,
            "/terms/recipients",
            "/terms/recipients.pdf",
            format!("{policy_oid}.2.2.1"),
        ),
        (
            DocumentKind::Policy,
            "/policy",
            "/policy.pdf",
            policy_oid.clone(),
        ),
    ] {
        let html = app.get_text(page).await;
        let document = kind.document();
        assert!(html.contains(document.version), "{page}: the version");
        assert_eq!(code_of(&html, "document-oid"), oid, "{page}: the OID");
        assert!(
            html.contains(&format!("href=\"{pdf}\"")),
            "{page}: the PDF link"
        );
        let stated = code_of(&html, "document-sha256");
        assert_eq!(stated.len(), 64, "{page}: a SHA-256 in hex");

        // The served bytes have the digest the page states, request after request.
        for _ in 0..2 {
            let response = app.get(pdf).await;
            assert!(response.status().is_success(), "{pdf}");
            assert_eq!(
                response.headers()["content-type"].to_str().ok(),
                Some("application/pdf")
            );
            assert_eq!(
                response.headers()["x-pli-sha256"].to_str().ok(),
                Some(stated.as_str())
            );
            let bytes = response.bytes().await.expect("pdf body");
            assert!(bytes.starts_with(b"%PDF-"));
            assert_eq!(sha256_hex(&bytes), stated, "{pdf}: the digest of the bytes");
            // The PDF carries the text in both languages, its version and OID.
            let text = pdftotext(&bytes);
            assert!(text.contains(document.title.0), "{pdf}: {text}");
            assert!(text.contains(document.title.1), "{pdf}: {text}");
            assert!(
                text.contains(&oid) && text.contains(document.version),
                "{pdf}"
            );
        }
    }
    // The policy page lists every document with its digest.
    let policy = app.get_text("/policy").await;
    for kind in DocumentKind::ALL {
        let published = app.state.publication.get(kind, &app.state.legal_today());
        assert!(policy.contains(&published.sha256), "{kind:?} listed");
    }
    app.stop().await;
}

async fn terms_01_sign_up_records_the_sender_terms_version_and_oid(backend: Backend) {
    let app = spawn_app(backend).await;
    // The sign-up form links to the sender terms and sends their version.
    let form = app.get_text("/signup").await;
    assert!(
        form.contains("href=\"/terms/senders\""),
        "the form links the terms"
    );
    assert!(form.contains(&format!("value=\"{TERMS_VERSION}\"")));

    let user = User::visitor("zoe@example.org", "Zoé Bernard");
    let old = user
        .call(
            &app,
            "sign_up",
            &[
                ("name", "Zoé Bernard"),
                ("email", "zoe@example.org"),
                ("password", flows::PASSWORD),
                ("terms_version", "2020-01"),
                ("accept_terms", "on"),
            ],
        )
        .await;
    assert_eq!(old.status.as_u16(), 422, "{}", old.text());
    assert_eq!(old.err(), AppError::Invalid(Invalid::Terms));

    user.sign_up(&app).await.ok::<()>();
    let (version, oid): (String, Option<String>) =
        sqlx::query_as("SELECT terms_version, terms_oid FROM account WHERE email_key = $1")
            .bind("zoe@example.org")
            .fetch_one(app.state.db.pool())
            .await
            .expect("account");
    let expected_oid = format!("{}.2.1.1", app.state.config.policy.oid);
    assert_eq!(version, TERMS_VERSION);
    assert_eq!(oid.as_deref(), Some(expected_oid.as_str()));
    let event = last_event(&app, "sign_up").await;
    assert_eq!(event["details"]["terms_version"], TERMS_VERSION, "{event}");
    assert_eq!(event["details"]["terms_oid"], expected_oid, "{event}");
    app.stop().await;
}

async fn terms_01_a_recipient_decides_only_after_accepting_the_recipient_terms(backend: Backend) {
    let app = spawn_app(backend).await;
    let sent = Scenario::new(&app)
        .recipient("bruno@example.net", "Bruno Durand")
        .send()
        .await;
    let delivery = sent.to("bruno@example.net");
    let transaction = delivery.transaction.clone();
    let bruno = User::visitor("bruno@example.net", "Bruno Durand");
    prove_at_reception(&app, &bruno, &transaction, &delivery.token, "Bruno DURAND").await;
    let view: Reception = flows::reception(&app, &bruno, &transaction, None)
        .await
        .ok();
    assert!(view.can_decide);

    // Without the box, with an old version, or the box without the version: refused (4xx,
    // translated), and nothing decided.
    let refused = [
        vec![("transaction_id", transaction.as_str())],
        vec![
            ("transaction_id", transaction.as_str()),
            ("accept_terms", "on"),
            ("terms_version", "2020-01"),
        ],
        vec![
            ("transaction_id", transaction.as_str()),
            ("terms_version", RECIPIENT_TERMS_VERSION),
        ],
        vec![
            ("transaction_id", transaction.as_str()),
            ("accept_terms", "on"),
        ],
    ];
    for endpoint in ["letter_accept", "letter_refuse"] {
        for form in &refused {
            let reply = bruno.call(&app, endpoint, form).await;
            assert_eq!(reply.status.as_u16(), 422, "{endpoint} {form:?}");
            let error = reply.err();
            assert_eq!(error, AppError::Invalid(Invalid::Terms));
            assert!(
                error
                    .message(app::i18n::Lang::Fr)
                    .contains("conditions générales d'utilisation")
            );
        }
    }
    let view: Reception = flows::reception(&app, &bruno, &transaction, None)
        .await
        .ok();
    assert_eq!(view.status, TransactionStatus::Awaiting);

    // With the terms accepted: decided, and the evidence names them.
    let accepted: Reception = bruno
        .call(&app, "letter_accept", &flows::decision(&transaction))
        .await
        .ok();
    assert_eq!(accepted.status, TransactionStatus::Accepted);
    let oid = format!("{}.2.2.1", app.state.config.policy.oid);
    let pdf = letter_pdf(&app, &transaction, "Acceptance").await;
    assert_valid_evidence(&app, &pdf);
    let text = pdftotext(&pdf);
    assert!(
        text.contains("Version of the accepted terms of use"),
        "{text}"
    );
    assert!(
        text.contains(RECIPIENT_TERMS_VERSION) && text.contains(&oid),
        "{text}"
    );
    let event = last_event(&app, "accepted").await;
    assert_eq!(
        event["details"]["terms_version"], RECIPIENT_TERMS_VERSION,
        "{event}"
    );
    assert_eq!(event["details"]["terms_oid"], oid, "{event}");
    app.stop().await;
}
