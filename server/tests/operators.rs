//! Trusted roles under dual control (issue 13: OPS-01, OPS-06; policy §13.1.2, §13.1.3,
//! §13.6.4), through the server functions and `pli operators init`:
//!
//! - the installation ceremony names the first two security officers, journaled, and refuses a
//!   third;
//! - a role is requested by one security officer, approved by a second (never by the
//!   requester), offered, and in effect only once its holder accepts it;
//! - the forbidden combinations are refused at the request with a clear message;
//! - a request expires after 24 hours (the service clock);
//! - a removal, under dual control too;
//! - every back-office function refuses a non-operator, and one without a live OTP session;
//! - a system auditor reads the journal, verifies its chain and exports a period, whose lines
//!   are the documents the chain holds the digests of.

mod common;

use app::error::AppError;
use app::operators::{AssignmentView, BackOffice, JournalPage, LedgerCheck};
use chrono::TimeDelta;
use common::flows::{User, account};
use common::{Backend, TestApp, spawn_app};

on_both_databases!(
    roles_are_granted_under_dual_control_and_accepted,
    forbidden_combinations_and_expiry,
    the_back_office_refuses_anyone_else,
    an_auditor_reads_verifies_and_exports_the_journal,
);

/// The ceremony, as `pli operators init EMAIL` runs it.
async fn ceremony(app: &TestApp, email: &str) -> Result<String, String> {
    let db = &app.state.db;
    server::operators::ceremony::security_officer(db, app.state.clock.now(), email)
        .await
        .map_err(|e| e.to_string())
}

/// `pli operators init EMAIL` on the app's database: (exit code, stdout and stderr).
fn pli_operators_init(app: &TestApp, email: &str) -> (Option<i32>, String) {
    let config = &app.state.config;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pli"))
        .args(["operators", "init", email])
        .env("PLI_DATABASE__URL", &config.database.url)
        .env("PLI_VAR_DIR", &config.var_dir)
        .output()
        .expect("run pli operators init");
    let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    (out.status.code(), text.into_owned())
}

/// Two security officers (the ceremony: the first by its function, the second by the
/// command) with live OTP sessions.
async fn officers(app: &TestApp) -> (User, User) {
    let alice = account(app, "alice@example.org", "Alice Martin").await;
    let bob = account(app, "bob@example.org", "Bob Durand").await;
    ceremony(app, &alice.email).await.expect("first officer");
    let (code, text) = pli_operators_init(app, &bob.email);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("bob@example.org is a security officer"),
        "{text}"
    );
    (alice, bob)
}

async fn request(
    app: &TestApp,
    by: &User,
    email: &str,
    role: &str,
) -> Result<BackOffice, AppError> {
    let reply = by
        .call(app, "role_request", &[("email", email), ("role", role)])
        .await;
    if reply.status.is_success() {
        Ok(reply.ok())
    } else {
        Err(reply.err())
    }
}

async fn events(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_event WHERE category = 'operators' AND action = $1",
    )
    .bind(action)
    .fetch_one(app.state.db.pool())
    .await
    .expect("events")
}

async fn roles_are_granted_under_dual_control_and_accepted(backend: Backend) {
    let app = spawn_app(backend).await;
    let (alice, bob) = officers(&app).await;
    let carol = account(&app, "carol@example.org", "Carole Petit").await;
    assert_eq!(events(&app, "ceremony_security_officer").await, 2);
    let (code, text) = pli_operators_init(&app, &carol.email);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("already has 2 security officers"), "{text}");
    let again = ceremony(&app, &alice.email).await;
    assert!(again.is_err_and(|e| e.contains("already a security officer")));
    let (code, text) = pli_operators_init(&app, "nobody@example.org");
    assert_eq!(code, Some(1), "{text}");

    // Alice asks for Carol as seal officer; she cannot approve it herself.
    let office = request(&app, &alice, &carol.email, "seal_officer")
        .await
        .expect("requested");
    let pending = &office.requests[0];
    assert!(pending.own && pending.role == "seal_officer");
    assert_eq!(pending.subject_email, carol.email);
    let own = alice
        .call(&app, "dual_control_approve", &[("request_id", &pending.id)])
        .await;
    assert_eq!(own.status.as_u16(), 409);
    assert_eq!(own.err(), AppError::OwnRequest);
    // Nothing is offered before the approval.
    let offers: Vec<AssignmentView> = carol.call(&app, "role_offers", &[]).await.ok();
    assert!(offers.is_empty());

    // Bob approves: the role is offered, not yet in effect.
    let office: BackOffice = bob
        .call(&app, "dual_control_approve", &[("request_id", &pending.id)])
        .await
        .ok();
    assert!(office.requests.is_empty());
    let again = bob
        .call(&app, "dual_control_approve", &[("request_id", &pending.id)])
        .await;
    assert_eq!(again.err(), AppError::RequestClosed);
    let offered = office
        .assignments
        .iter()
        .find(|a| a.email == carol.email)
        .expect("offered");
    assert_eq!(offered.status, "offered");
    let refused = carol.call(&app, "back_office", &[]).await;
    assert_eq!(refused.err(), AppError::OperatorOnly, "not in effect yet");

    // Carol accepts: in effect; her back office shows her role and no security officer's view.
    let offers: Vec<AssignmentView> = carol.call(&app, "role_offers", &[]).await.ok();
    assert_eq!(offers.len(), 1);
    let left: Vec<AssignmentView> = carol
        .call(&app, "role_accept", &[("assignment_id", &offers[0].id)])
        .await
        .ok();
    assert!(left.is_empty());
    let office: BackOffice = carol.call(&app, "back_office", &[]).await.ok();
    assert_eq!(office.roles, ["seal_officer"]);
    assert!(office.assignments.is_empty() && office.requests.is_empty());
    let not_officer = request(&app, &carol, "alice@example.org", "archivist").await;
    assert_eq!(not_officer.err(), Some(AppError::OperatorOnly));

    // Removal: requested by Bob, approved by Alice; Carol is no operator any more.
    let office = request(&app, &bob, &carol.email, "archivist")
        .await
        .expect("archivist");
    let grant = office.requests[0].id.clone();
    alice
        .call(&app, "dual_control_reject", &[("request_id", &grant)])
        .await
        .ok::<BackOffice>();
    let office: BackOffice = bob
        .call(&app, "role_removal", &[("assignment_id", &offers[0].id)])
        .await
        .ok();
    let removal = office
        .requests
        .iter()
        .find(|r| r.action == "remove_role")
        .expect("removal");
    alice
        .call(&app, "dual_control_approve", &[("request_id", &removal.id)])
        .await
        .ok::<BackOffice>();
    let gone = carol.call(&app, "back_office", &[]).await;
    assert_eq!(gone.err(), AppError::OperatorOnly);

    // Every step is in the journal, which still verifies.
    for (action, count) in [
        ("role_grant_requested", 2),
        ("dual_control_approved", 2),
        ("dual_control_rejected", 1),
        ("role_accepted", 1),
        ("role_removal_requested", 1),
    ] {
        assert_eq!(events(&app, action).await, count, "{action}");
    }
    let ledger = server::ledger::verify(&app.state.db).await.expect("ledger");
    assert_eq!(ledger.first_break, None);
    app.stop().await;
}

async fn forbidden_combinations_and_expiry(backend: Backend) {
    let app = spawn_app(backend).await;
    let (alice, bob) = officers(&app).await;
    let dave = account(&app, "dave@example.org", "David Roux").await;

    // A security officer may not be a system administrator (§13.1.2), said in the user's words.
    let refused = alice
        .call(
            &app,
            "role_request",
            &[("email", &alice.email), ("role", "system_administrator")],
        )
        .await;
    assert_eq!(refused.status.as_u16(), 409);
    let message = refused.err().message(app::i18n::Lang::Fr);
    assert_eq!(
        message,
        "Les rôles « Responsable de la sécurité » et « Administrateur système » ne peuvent pas \
         être confiés à la même personne (politique, §13.1.2)."
    );
    // An auditor holds no other role: a pending request counts.
    request(&app, &alice, &dave.email, "system_auditor")
        .await
        .expect("auditor");
    let conflict = request(&app, &alice, &dave.email, "archivist").await;
    assert_eq!(
        conflict.err(),
        Some(AppError::RoleConflict {
            role: "archivist".to_owned(),
            held: "system_auditor".to_owned(),
        })
    );
    let twice = request(&app, &bob, &dave.email, "system_auditor").await;
    assert_eq!(twice.err(), Some(AppError::RoleHeld));
    let unknown = request(&app, &alice, "nobody@example.org", "archivist").await;
    assert_eq!(unknown.err(), Some(AppError::NotFound));
    let bad_role = request(&app, &alice, &dave.email, "root").await;
    assert_eq!(bad_role.err(), Some(AppError::NotFound));

    // 24 hours later the request has expired: it cannot be approved, and is journaled.
    let office: BackOffice = bob.call(&app, "back_office", &[]).await.ok();
    let id = office.requests[0].id.clone();
    app.state.clock.advance(TimeDelta::hours(24));
    bob.sign_in_again(&app).await;
    let late = bob
        .call(&app, "dual_control_approve", &[("request_id", &id)])
        .await;
    assert_eq!(late.err(), AppError::RequestClosed);
    assert_eq!(events(&app, "dual_control_expired").await, 1);
    app.stop().await;
}

async fn the_back_office_refuses_anyone_else(backend: Backend) {
    let app = spawn_app(backend).await;
    let (alice, _bob) = officers(&app).await;
    let eve = account(&app, "eve@example.org", "Eve Noël").await;
    let calls: [(&str, &[(&str, &str)]); 7] = [
        ("back_office", &[]),
        (
            "role_request",
            &[("email", "eve@example.org"), ("role", "archivist")],
        ),
        ("role_removal", &[("assignment_id", "x")]),
        ("dual_control_approve", &[("request_id", "x")]),
        ("dual_control_reject", &[("request_id", "x")]),
        ("audit_journal", &[("from", ""), ("to", "")]),
        ("audit_verify_ledger", &[]),
    ];
    for (endpoint, form) in calls {
        let reply = eve.call(&app, endpoint, form).await;
        assert_eq!(reply.status.as_u16(), 403, "{endpoint}");
        assert_eq!(reply.err(), AppError::OperatorOnly, "{endpoint}");
    }
    // Every other back-office function: seal keys, customers, incidents, verifications.
    let other: [(&str, &[(&str, &str)]); 21] = [
        ("seal_keys", &[]),
        ("seal_key_generate", &[]),
        ("seal_key_activate", &[("key_id", "x")]),
        ("seal_key_retire", &[("key_id", "x")]),
        ("tsa_change", &[("url", "http://127.0.0.1:9/tsa")]),
        (
            "seal_key_certificate",
            &[("key_id", "x"), ("certificate", "x")],
        ),
        ("seal_key_approve", &[("request_id", "x")]),
        ("seal_key_reject", &[("request_id", "x")]),
        ("customers", &[]),
        (
            "customer_record",
            &[
                ("kind", "person"),
                ("name", "Martin Conseil"),
                ("contract_reference", "C-2026-001"),
                ("contract_signed_on", "2026-03-01"),
                ("administrator_email", "eve@example.org"),
            ],
        ),
        ("customer_end", &[("customer_id", "x")]),
        ("incidents", &[]),
        ("incident", &[("id", "x")]),
        (
            "incident_open",
            &[
                ("title", "Panne"),
                ("description", "Le service ne répond plus."),
                ("severity", "major"),
                ("detected_at", "2026-03-28T22:00"),
            ],
        ),
        (
            "incident_qualify",
            &[
                ("id", "x"),
                ("severity", "major"),
                ("assessment", "Analyse."),
            ],
        ),
        ("incident_attach", &[("id", "x"), ("letter_id", "x")]),
        ("incident_notify", &[("id", "x"), ("notice", "Avis.")]),
        ("incident_close", &[("id", "x"), ("summary", "Clos.")]),
        ("verification_queue", &[]),
        ("verification_approve", &[("member_id", "x")]),
        (
            "verification_reject",
            &[("member_id", "x"), ("reason", "Illisible.")],
        ),
    ];
    for (endpoint, form) in other {
        let reply = eve.call(&app, endpoint, form).await;
        assert_eq!(reply.status.as_u16(), 403, "{endpoint}: {}", reply.text());
    }
    for path in [
        "/back-office/journal.jsonl",
        "/back-office/seal-keys/x/request.pem",
        "/back-office/incidents/x/report",
    ] {
        let reply = eve.get(&app, path).await;
        assert_eq!(reply.status.as_u16(), 403, "{path}: {}", reply.text());
    }
    // Another person's offer does not exist for her.
    let offer = eve
        .call(&app, "role_accept", &[("assignment_id", "x")])
        .await;
    assert_eq!(offer.err(), AppError::NotFound);
    // A visitor is asked to sign in.
    let visitor = User::visitor("visitor@example.org", "Visitor");
    let reply = visitor.call(&app, "back_office", &[]).await;
    assert_eq!(reply.err(), AppError::SignInRequired);
    // A security officer without a live OTP session (15 minutes later) enters a fresh code.
    app.state.clock.advance(TimeDelta::minutes(16));
    alice.sign_in_again(&app).await;
    app.state.clock.advance(TimeDelta::minutes(16));
    let stale = alice.call(&app, "back_office", &[]).await;
    assert!(
        matches!(
            stale.err(),
            AppError::OtpSessionRequired | AppError::SessionExpired
        ),
        "{}",
        stale.text()
    );
    app.stop().await;
}

/// Gives `to` the role `role` under dual control (`by` asks, `with` approves) and has them
/// accept it.
async fn give(app: &TestApp, (by, with): (&User, &User), to: &User, role: &str) {
    let office = request(app, by, &to.email, role).await.expect("requested");
    let id = &office.requests[0].id;
    with.call(app, "dual_control_approve", &[("request_id", id)])
        .await
        .ok::<BackOffice>();
    let offers: Vec<AssignmentView> = to.call(app, "role_offers", &[]).await.ok();
    to.call(app, "role_accept", &[("assignment_id", &offers[0].id)])
        .await
        .ok::<Vec<AssignmentView>>();
}

async fn an_auditor_reads_verifies_and_exports_the_journal(backend: Backend) {
    let app = spawn_app(backend).await;
    let (alice, bob) = officers(&app).await;
    let dave = account(&app, "dave@example.org", "David Roux").await;
    give(&app, (&alice, &bob), &dave, "system_auditor").await;

    let page: JournalPage = dave
        .call(&app, "audit_journal", &[("from", ""), ("to", "")])
        .await
        .ok();
    assert!(!page.more);
    let actions: Vec<&str> = page.events.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"ceremony_security_officer"),
        "{actions:?}"
    );
    assert!(actions.contains(&"role_accepted"), "{actions:?}");
    let check: LedgerCheck = dave.call(&app, "audit_verify_ledger", &[]).await.ok();
    assert_eq!(check.first_break, None);
    assert!(check.entries >= page.events.len() as i64);
    assert_eq!(events(&app, "ledger_verified").await, 1);

    // The export: one document a line, each the payload of a journal entry.
    let day = app.state.clock.now().date_naive().to_string();
    let path = format!("/back-office/journal.jsonl?from={day}&to={day}");
    let export = dave.get(&app, &path).await;
    assert_eq!(export.status.as_u16(), 200, "{}", export.text());
    assert!(
        export.headers["content-disposition"]
            .to_str()
            .is_ok_and(|v| v.contains(&format!("journal-{day}-{day}.jsonl")))
    );
    let text = export.text();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= page.events.len(), "{}", lines.len());
    for line in &lines {
        let document: serde_json::Value = serde_json::from_str(line).expect("JSON");
        let chained: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM ledger WHERE entry_type = 'event' AND ref_id = $1 AND payload_sha256 = $2",
        )
        .bind(document["id"].as_str().expect("id"))
        .bind(common::flows::sha256_hex(line.as_bytes()))
        .fetch_one(app.state.db.pool())
        .await
        .expect("ledger");
        assert_eq!(chained, 1, "{line}");
    }
    assert_eq!(events(&app, "journal_exported").await, 1);

    // A bad period is the caller's error; a security officer is no auditor.
    let bad = dave
        .call(&app, "audit_journal", &[("from", "2026-13-01"), ("to", "")])
        .await;
    assert_eq!(bad.status.as_u16(), 400);
    for endpoint in ["audit_journal", "audit_verify_ledger"] {
        let reply = alice
            .call(&app, endpoint, &[("from", ""), ("to", "")])
            .await;
        assert_eq!(reply.err(), AppError::OperatorOnly, "{endpoint}");
    }
    let export = alice.get(&app, &path).await;
    assert_eq!(export.status.as_u16(), 403);
    app.stop().await;
}
