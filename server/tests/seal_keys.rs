//! Seal-key operations under dual control (issue 13: OPS-01, OPS-06; policy §13.1.3 "seal
//! officer", §13.6), through the server functions, on both databases:
//!
//! - a seal officer requests a new key, which a second seal officer approves: generated in the
//!   token, certified by the development PKI; its activation, approved the same way, makes
//!   every new evidence sealed with it — on this instance and on a second one on the same
//!   database — and evidence sealed before stays valid (pyHanko, `pli verify`);
//! - the requester cannot approve; a request expires after 24 hours; the active key cannot be
//!   retired, a retired key cannot be activated; a certificate for another key is refused; a
//!   key's certificate signing request is one OpenSSL verifies;
//! - a TSA that does not answer a test time-stamp is refused at approval, a working one is
//!   used by every instance from then on;
//! - every function and route refused to a non-operator (403), an operator of another role
//!   (403) and a visitor (401); bad input is a 4xx;
//! - the page `/back-office/seal-keys`, linked from the back office, works without JavaScript.

mod common;

use app::error::AppError;
use app::seal_keys::{SealKeyView, SealKeysPage};
use chrono::TimeDelta;
use common::flows::{User, account};
use common::operators::{officers, staff};
use common::records::{assert_valid_evidence, evidence, pli_verify, root_pem};
use common::scenario::Scenario;
use common::{Backend, TestApp, spawn_app};
use domain::seal_keys::SealKeyRefusal;
use x509_cert::der::DecodePem;

on_both_databases!(
    a_key_generated_and_activated_under_dual_control_seals_on_every_instance,
    refusals_expiry_and_retirement,
    the_tsa_changes_only_to_one_that_answers,
    seal_keys_are_refused_to_anyone_else,
    the_page_works_without_javascript,
);

/// Two seal officers, Sophie and Simon.
async fn seal_officers(app: &TestApp) -> (User, User) {
    let officers = officers(app).await;
    let sophie = staff(app, &officers, "sophie@example.org", "seal_officer").await;
    let simon = staff(app, &officers, "simon@example.org", "seal_officer").await;
    (sophie, simon)
}

async fn call(
    app: &TestApp,
    by: &User,
    endpoint: &str,
    form: &[(&str, &str)],
) -> Result<SealKeysPage, AppError> {
    let reply = by.call(app, endpoint, form).await;
    if reply.status.is_success() {
        Ok(reply.ok())
    } else {
        let status = reply.status.as_u16();
        let error = reply.err();
        assert_eq!(status, error.status().as_u16(), "{error:?}");
        Err(error)
    }
}

/// `by` requests `endpoint`, `approver` approves: the page after.
async fn dual(
    app: &TestApp,
    by: &User,
    approver: &User,
    endpoint: &str,
    form: &[(&str, &str)],
) -> Result<SealKeysPage, AppError> {
    let page = call(app, by, endpoint, form).await.expect("requested");
    let request = page
        .requests
        .iter()
        .rev()
        .find(|r| r.own)
        .expect("own request")
        .id
        .clone();
    call(
        app,
        approver,
        "seal_key_approve",
        &[("request_id", &request)],
    )
    .await
}

fn active(page: &SealKeysPage) -> &SealKeyView {
    page.keys
        .iter()
        .find(|k| k.status == "active")
        .expect("an active key")
}

/// A journal checkpoint sealed by `app`'s sealer now: its PDF.
async fn seal_one(app: &TestApp) -> Vec<u8> {
    // The journal's head moves, so that there is something to checkpoint.
    let event = server::audit::Event::system("system", "test", serde_json::json!({}));
    server::audit::record(&app.state.db, app.state.clock.now(), &event)
        .await
        .expect("recorded");
    let head = [7u8; 32];
    let issued = server::sealing::checkpoint(
        &app.state.db,
        &app.state.sealer,
        app.state.clock.now(),
        (1, &head),
    )
    .await
    .expect("sealed")
    .expect("a checkpoint");
    evidence(app, &issued.id).await.1
}

/// The journal's events of the operators' category named `action`.
async fn events(app: &TestApp, action: &str) -> Vec<serde_json::Value> {
    common::records::events(app, action)
        .await
        .into_iter()
        .filter(|event| event["category"] == "operators")
        .collect()
}

/// `pli verify FILE` exits 0.
fn pli_verifies(app: &TestApp, pdf: &[u8]) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("evidence.pdf");
    std::fs::write(&path, pdf).expect("write");
    let (code, report) = pli_verify(app, &[&path]);
    assert_eq!(code, Some(0), "{report}");
}

/// Covers OPS-06 (generate, activate under dual control), OPS-01 (seal officer), EVD-01.
async fn a_key_generated_and_activated_under_dual_control_seals_on_every_instance(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (sophie, simon) = seal_officers(&app).await;
    let page = call(&app, &sophie, "seal_keys", &[]).await.expect("page");
    assert!(page.may_request && page.may_approve && page.development);
    assert_eq!(page.keys.len(), 1, "the key of the settings");
    let first = active(&page).clone();
    assert_eq!(
        (first.label.as_str(), first.origin.as_str()),
        ("seal", "configuration")
    );
    let before = seal_one(&app).await;
    let second = app.second_instance().await;

    // Sophie asks for a key; she cannot approve it; Simon does: generated and certified.
    let page = call(&app, &sophie, "seal_key_generate", &[])
        .await
        .expect("requested");
    let request = page.requests[0].clone();
    assert!(request.own && request.action == "generate_seal_key");
    let own = call(
        &app,
        &sophie,
        "seal_key_approve",
        &[("request_id", &request.id)],
    )
    .await;
    assert_eq!(own, Err(AppError::OwnRequest));
    assert_eq!(page.keys.len(), 1, "nothing generated before the approval");
    let page = call(
        &app,
        &simon,
        "seal_key_approve",
        &[("request_id", &request.id)],
    )
    .await
    .expect("approved");
    assert!(page.requests.is_empty());
    let new = page
        .keys
        .iter()
        .find(|k| k.origin == "generated")
        .expect("generated")
        .clone();
    assert_eq!(new.status, "ready");
    assert!(new.label.starts_with("seal-"));
    let serial = new.certificate_serial.clone().expect("certified");
    assert!(new.public_key.starts_with("-----BEGIN PUBLIC KEY-----"));
    let again = call(
        &app,
        &simon,
        "seal_key_approve",
        &[("request_id", &request.id)],
    )
    .await;
    assert_eq!(again, Err(AppError::RequestClosed));
    let protection = app
        .state
        .sealer
        .hsm()
        .key_protection(&new.label)
        .expect("in the token");
    assert!(!protection.extractable && protection.sensitive && protection.local);

    // Activated under dual control: the old key is ready again.
    let page = dual(
        &app,
        &sophie,
        &simon,
        "seal_key_activate",
        &[("key_id", &new.id)],
    )
    .await
    .expect("activated");
    assert_eq!(active(&page).id, new.id);
    let old = page
        .keys
        .iter()
        .find(|k| k.id == first.id)
        .expect("old key");
    assert_eq!(old.status, "ready");
    for action in [
        "seal_key_generation_requested",
        "seal_key_generated",
        "seal_key_activation_requested",
        "seal_key_activated",
    ] {
        assert_eq!(events(&app, action).await.len(), 1, "{action}");
    }
    let approvals = events(&app, "dual_control_approved").await;
    assert!(
        approvals
            .iter()
            .any(|e| e.to_string().contains("activate_seal_key")),
        "{approvals:?}"
    );

    // A letter's evidence is sealed with the new key, and validates.
    let sent = Scenario::new(&app)
        .sender("sam@example.org", "Sam Leroy")
        .professional("rita@example.net", "Rita Blanc", "Blanc SARL")
        .send()
        .await;
    let deposit = common::records::letter_pdf(&app, sent.transaction(), "Deposit").await;
    let report = assert_valid_evidence(&app, &deposit);
    assert_eq!(report.seal_serial.as_deref(), Some(serial.as_str()));
    pli_verifies(&app, &deposit);

    // The second instance on the same database follows before its next seal.
    assert_eq!(second.state.sealer.active_key_label(), "seal");
    let theirs = seal_one(&second).await;
    assert_eq!(second.state.sealer.active_key_label(), new.label);
    let report = assert_valid_evidence(&app, &theirs);
    assert_eq!(report.seal_serial.as_deref(), Some(serial.as_str()));

    // The published seal certificate is the new one, on both instances.
    for instance in [&app, &second] {
        let published = instance.get_text("/pki/seal.pem").await;
        let certificate = x509_cert::Certificate::from_pem(published.as_bytes()).expect("PEM");
        let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02X}")).collect::<String>();
        assert_eq!(
            hex(certificate.tbs_certificate.serial_number.as_bytes()),
            serial
        );
    }

    // Evidence sealed before, with the first key, stays valid.
    let report = assert_valid_evidence(&app, &before);
    assert_eq!(report.seal_serial, first.certificate_serial);
    pli_verifies(&app, &before);
    common::records::assert_journal_intact(&app).await;
    second.stop().await;
}

/// Covers OPS-06 (self-approval, 24-hour expiry, retirement).
async fn refusals_expiry_and_retirement(backend: Backend) {
    let app = spawn_app(backend).await;
    let (sophie, simon) = seal_officers(&app).await;
    let page = call(&app, &sophie, "seal_keys", &[]).await.expect("page");
    let first = active(&page).clone();

    // The active key cannot be retired; unknown keys are not found.
    let refused = call(&app, &sophie, "seal_key_retire", &[("key_id", &first.id)]).await;
    assert_eq!(
        refused,
        Err(AppError::SealKey(SealKeyRefusal::RetireActive))
    );
    let message = AppError::SealKey(SealKeyRefusal::RetireActive).message(app::i18n::Lang::En);
    assert!(message.contains("activate another key first"), "{message}");
    for endpoint in ["seal_key_retire", "seal_key_activate"] {
        let unknown = call(&app, &sophie, endpoint, &[("key_id", "no-such-key")]).await;
        assert_eq!(unknown, Err(AppError::NotFound), "{endpoint}");
    }
    let twice = call(&app, &sophie, "seal_key_activate", &[("key_id", &first.id)]).await;
    assert_eq!(twice, Err(AppError::SealKey(SealKeyRefusal::AlreadyActive)));

    // A request not approved within 24 hours expires.
    let page = call(&app, &sophie, "seal_key_generate", &[])
        .await
        .expect("requested");
    let pending = page.requests[0].id.clone();
    let same = call(&app, &simon, "seal_key_generate", &[]).await;
    assert_eq!(same, Err(AppError::SealKey(SealKeyRefusal::Pending)));
    app.state
        .clock
        .advance(TimeDelta::hours(24) + TimeDelta::minutes(1));
    simon.sign_in_again(&app).await;
    sophie.sign_in_again(&app).await;
    let late = call(
        &app,
        &simon,
        "seal_key_approve",
        &[("request_id", &pending)],
    )
    .await;
    assert_eq!(late, Err(AppError::RequestClosed));
    assert_eq!(events(&app, "dual_control_expired").await.len(), 1);

    // A generated key, certified; a certificate of another key is refused.
    let page = dual(&app, &sophie, &simon, "seal_key_generate", &[])
        .await
        .expect("generated");
    let new = page
        .keys
        .iter()
        .find(|k| k.origin == "generated")
        .expect("new")
        .clone();
    let root = std::fs::read_to_string(root_pem(&app)).expect("root");
    let other = call(
        &app,
        &sophie,
        "seal_key_certificate",
        &[("key_id", &new.id), ("certificate", &root)],
    )
    .await;
    assert_eq!(
        other,
        Err(AppError::SealKey(SealKeyRefusal::CertificateMismatch))
    );
    let junk = call(
        &app,
        &sophie,
        "seal_key_certificate",
        &[("key_id", &new.id), ("certificate", "junk")],
    )
    .await;
    assert_eq!(junk, Err(AppError::SealKey(SealKeyRefusal::Certificate)));

    // Its certificate signing request, signed by the key in the token, verifies.
    let csr = sophie
        .get(
            &app,
            &format!("/back-office/seal-keys/{}/request.pem", new.id),
        )
        .await;
    assert!(csr.status.is_success(), "{}", csr.text());
    assert!(
        csr.text()
            .starts_with("-----BEGIN CERTIFICATE REQUEST-----"),
        "{}",
        csr.text()
    );
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("request.pem");
    std::fs::write(&path, &csr.body).expect("write");
    let out = std::process::Command::new("openssl")
        .args(["req", "-noout", "-verify", "-in"])
        .arg(&path)
        .output()
        .expect("openssl");
    let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && text.contains("OK"), "{text}");

    // Retired under dual control: it can no longer be activated.
    let page = dual(
        &app,
        &sophie,
        &simon,
        "seal_key_retire",
        &[("key_id", &new.id)],
    )
    .await
    .expect("retired");
    let retired = page.keys.iter().find(|k| k.id == new.id).expect("key");
    assert_eq!(retired.status, "retired");
    assert_eq!(events(&app, "seal_key_retired").await.len(), 1);
    let activate = call(&app, &sophie, "seal_key_activate", &[("key_id", &new.id)]).await;
    assert_eq!(activate, Err(AppError::SealKey(SealKeyRefusal::Retired)));
    let retire = call(&app, &sophie, "seal_key_retire", &[("key_id", &new.id)]).await;
    assert_eq!(retire, Err(AppError::SealKey(SealKeyRefusal::Retired)));

    // Rejected, and withdrawn by its requester.
    let page = call(&app, &sophie, "seal_key_generate", &[])
        .await
        .expect("requested");
    let id = page.requests[0].id.clone();
    let page = call(&app, &sophie, "seal_key_reject", &[("request_id", &id)])
        .await
        .expect("withdrawn");
    assert!(page.requests.is_empty());
    assert_eq!(events(&app, "dual_control_rejected").await.len(), 1);
    assert_eq!(active(&page).id, first.id, "the first key still seals");
    common::records::assert_journal_intact(&app).await;
}

/// Covers OPS-06 (change the TSA), EVD-02.
async fn the_tsa_changes_only_to_one_that_answers(backend: Backend) {
    let app = spawn_app(backend).await;
    let (sophie, simon) = seal_officers(&app).await;
    let second = app.second_instance().await;

    // Bad input: 422.
    let bad = call(&app, &sophie, "tsa_change", &[("url", "ftp://tsa.example")]).await;
    assert_eq!(bad, Err(AppError::SealKey(SealKeyRefusal::TsaUrl)));
    let roots = [
        ("url", "https://tsa.example/ts"),
        ("trust_roots", "not a certificate"),
    ];
    let bad = call(&app, &sophie, "tsa_change", &roots).await;
    assert_eq!(bad, Err(AppError::SealKey(SealKeyRefusal::TrustRoots)));

    // A TSA that does not answer is refused at approval: nothing changes.
    let dead = [("url", "http://127.0.0.1:9/tsa")];
    let refused = dual(&app, &sophie, &simon, "tsa_change", &dead).await;
    assert_eq!(
        refused,
        Err(AppError::SealKey(SealKeyRefusal::TsaUnreachable))
    );
    assert_eq!(events(&app, "tsa_change_refused").await.len(), 1);
    let page = call(&app, &sophie, "seal_keys", &[]).await.expect("page");
    assert_eq!(
        (page.tsa_url.as_str(), page.tsa_from_settings),
        ("builtin", true)
    );
    assert_eq!(page.requests.len(), 1, "still pending");

    // The development TSA over HTTP answers: every instance uses it from then on.
    let url = format!("{}/tsa", app.url);
    let page = dual(&app, &sophie, &simon, "tsa_change", &[("url", &url)])
        .await
        .expect("changed");
    assert_eq!(
        (page.tsa_url.as_str(), page.tsa_from_settings),
        (url.as_str(), false)
    );
    assert_eq!(events(&app, "tsa_changed").await.len(), 1);
    let ours = seal_one(&app).await;
    assert_valid_evidence(&app, &ours);
    let theirs = seal_one(&second).await;
    assert_eq!(second.state.sealer.tsa_url(), url);
    assert_valid_evidence(&app, &theirs);
    pli_verifies(&app, &theirs);
    second.stop().await;
}

/// Covers OPS-01, OPS-06 (every seal-key function refused to anyone else).
async fn seal_keys_are_refused_to_anyone_else(backend: Backend) {
    let app = spawn_app(backend).await;
    let officers = officers(&app).await;
    let sophie = staff(&app, &officers, "sophie@example.org", "seal_officer").await;
    let carol = staff(&app, &officers, "carol@example.org", "system_operator").await;
    let nobody = account(&app, "nobody@example.org", "Nobody").await;
    let visitor = User::visitor("visitor@example.org", "Visitor");
    let page = call(&app, &sophie, "seal_key_generate", &[])
        .await
        .expect("requested");
    let request = page.requests[0].id.clone();
    let key = active(&page).id.clone();
    let functions: [(&str, Vec<(&str, &str)>); 8] = [
        ("seal_keys", vec![]),
        ("seal_key_generate", vec![]),
        ("seal_key_activate", vec![("key_id", &key)]),
        ("seal_key_retire", vec![("key_id", &key)]),
        ("tsa_change", vec![("url", "https://tsa.example/ts")]),
        (
            "seal_key_certificate",
            vec![("key_id", &key), ("certificate", "x")],
        ),
        ("seal_key_approve", vec![("request_id", &request)]),
        ("seal_key_reject", vec![("request_id", &request)]),
    ];
    let csr = format!("/back-office/seal-keys/{key}/request.pem");
    for (who, expected) in [
        (&nobody, AppError::OperatorOnly),
        (&carol, AppError::OperatorOnly),
        (&visitor, AppError::SignInRequired),
    ] {
        for (endpoint, form) in &functions {
            let refused = call(&app, who, endpoint, form).await;
            assert_eq!(
                refused,
                Err(expected.clone()),
                "{endpoint} by {}",
                who.email
            );
        }
        let reply = who.get(&app, &csr).await;
        assert_eq!(reply.route_err(), expected, "{csr}");
    }

    // A security officer reads and approves, but does not request; the role page does not
    // decide seal-key requests.
    let alice = &officers.0;
    let asked = call(&app, alice, "seal_key_generate", &[]).await;
    assert_eq!(asked, Err(AppError::OperatorOnly));
    let roles = alice
        .call(&app, "dual_control_approve", &[("request_id", &request)])
        .await;
    assert_eq!(roles.err(), AppError::NotFound);
    let office: app::operators::BackOffice = alice.call(&app, "back_office", &[]).await.ok();
    assert!(
        office.requests.is_empty(),
        "seal-key requests are not role requests"
    );
    let page = call(&app, alice, "seal_key_approve", &[("request_id", &request)])
        .await
        .expect("approved");
    assert!(!page.may_request && page.may_approve);
    assert_eq!(page.keys.len(), 2);
}

/// Covers OPS-06 (the seal officer's page, forms posted without JavaScript).
async fn the_page_works_without_javascript(backend: Backend) {
    use common::pages::{location, page_at, plain_post};
    let app = spawn_app(backend).await;
    let (sophie, simon) = seal_officers(&app).await;
    let office = page_at(&app, &sophie.client, "/back-office").await;
    assert!(
        office.contains(r#"href="/back-office/seal-keys""#),
        "{office}"
    );
    let page = page_at(&app, &sophie.client, "/back-office/seal-keys").await;
    assert!(page.contains("Clés de cachet et horodatage"), "{page}");
    assert!(page.contains(r#"data-label="seal""#) && page.contains("seal-key-generate"));
    assert!(page.contains("builtin") && page.contains(r#"name="trust_roots""#));

    let path = "/back-office/seal-keys";
    let response = plain_post(&app, &sophie.client, "seal_key_generate", path, &[]).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let back = location(&response);
    assert!(back.contains(path) && back.contains("__done="), "{back}");
    let page = page_at(&app, &simon.client, path).await;
    assert!(page.contains("seal-request-approve"), "{page}");
    let id: String = sqlx::query_scalar(
        "SELECT id FROM dual_control_request WHERE action = 'generate_seal_key'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .expect("request");
    let response = plain_post(
        &app,
        &simon.client,
        "seal_key_approve",
        path,
        &[("request_id", &id)],
    )
    .await;
    assert!(location(&response).contains("__done="));
    let page = page_at(&app, &sophie.client, path).await;
    assert!(page.contains(r#"data-status="ready""#), "{page}");
    assert!(page.contains("seal-key-activate"));
}
