//! Legal entities (issue 13; ID-05..ID-07; policy §4.2, §4.5, §4.7), through the server
//! functions and the multipart upload:
//!
//! - registry numbers are checked (SIREN with its Luhn key; Luxembourg RCS);
//! - extracts and powers of attorney must be less than 3 months old, at the upload and again
//!   when an identity-check operator approves;
//! - a company led by a company is followed up the chain of extracts to a natural person;
//! - every upload yields its upload evidence, the approval the verification evidence, a
//!   delegate's sign-in the representative-link evidence: all validated by pyHanko;
//! - the power of attorney and the ID documents are purged 60 days after their upload (the
//!   service clock), with a purge evidence; their hashes stay;
//! - the verification queue refuses anyone but an identity-check operator.

mod common;

use app::entities::{DocumentView, MemberView, Organisations};
use app::error::AppError;
use chrono::TimeDelta;
use common::entities::*;
use common::flows::{User, account, sender};
use common::records::{assert_valid_evidence, mails};
use common::{Backend, TestApp, spawn_app};
use domain::Invalid;

on_both_databases!(
    a_company_is_verified_up_its_chain_of_extracts,
    a_delegate_is_verified_linked_revoked_and_purged,
    approval_rechecks_the_three_month_rule,
);

async fn a_company_is_verified_up_its_chain_of_extracts(backend: Backend) {
    let app = spawn_app(backend).await;
    let vera = checker(&app).await;
    let dan = sender(&app, "dan@example.org", "Dan Leroy").await;

    // The registry number is checked.
    let bad = new_request(
        &app,
        &dan,
        "Filiale SAS",
        "732 829 321",
        "representative",
        "",
    )
    .await;
    assert_eq!(bad, Err(AppError::Invalid(Invalid::RegistryNumber)));
    let member = draft_request(
        &app,
        &dan,
        ("Filiale SAS", "732 829 320"),
        "representative",
        "",
    )
    .await;
    assert_eq!(
        (member.status.as_str(), member.registry_number.as_str()),
        ("draft", "RCS 732 829 320")
    );
    assert_eq!(member.missing, vec!["kbis:732829320".to_owned()]);
    let again = new_request(&app, &dan, "Filiale", "732829320", "representative", "").await;
    assert_eq!(again, Err(AppError::MemberExists));

    // The 3-month rule at the upload, and the file's type; nothing is stored.
    let company = ("Filiale SAS", "732829320");
    let stale = kbis(&app, &dan, &member.id, company, "552100554", 92).await;
    assert_eq!(stale, Err(AppError::Invalid(Invalid::DocumentTooOld)));
    let future = kbis(&app, &dan, &member.id, company, "552100554", -1).await;
    assert_eq!(future, Err(AppError::Invalid(Invalid::DocumentDate)));
    let text = upload(
        &app,
        &dan,
        &member.id,
        &[("kind", "kbis"), ("issued_on", &days_ago(&app, 3))],
        ("kbis.txt", b"not a scan"),
    )
    .await;
    assert_eq!(text, Err(AppError::Invalid(Invalid::DocumentFile)));
    assert!(
        organisations(&app, &dan).await.requests[0]
            .documents
            .is_empty()
    );

    // The company's extract names a company leading it: the chain goes on.
    let extract = kbis(&app, &dan, &member.id, company, "552100554", 10)
        .await
        .expect("extract");
    assert_eq!(
        kind_of(&app, &extract.upload_evidence_id).await,
        "KbisUpload"
    );
    assert_valid_evidence(&app, &evidence_pdf(&app, &extract.upload_evidence_id).await);
    let incomplete = call_err(&app, &dan, "entity_submit", &[("member_id", &member.id)]).await;
    assert_eq!(
        incomplete,
        AppError::DossierIncomplete {
            missing: vec!["kbis:552100554".to_owned()]
        }
    );
    kbis(&app, &dan, &member.id, ("Holding SA", "552100554"), "", 5)
        .await
        .expect("extract of the leader");
    let submitted: Organisations = dan
        .call(&app, "entity_submit", &[("member_id", &member.id)])
        .await
        .ok();
    assert_eq!(submitted.requests[0].status, "pending");
    // Submitted: no more documents.
    let closed = kbis(&app, &dan, &member.id, company, "", 1).await;
    assert_eq!(closed, Err(AppError::RequestClosed));

    // The queue is an identity-check operator's only.
    for (endpoint, form) in [
        ("verification_queue", vec![]),
        (
            "verification_approve",
            vec![("member_id", member.id.as_str())],
        ),
        (
            "verification_reject",
            vec![("member_id", member.id.as_str()), ("reason", "no")],
        ),
    ] {
        assert_eq!(
            call_err(&app, &dan, endpoint, &form).await,
            AppError::OperatorOnly
        );
        let anonymous = User::visitor("x@example.invalid", "x");
        assert_eq!(
            call_err(&app, &anonymous, endpoint, &form).await,
            AppError::SignInRequired
        );
    }
    let stranger = account(&app, "eve@example.org", "Ève Martin").await;
    let read = stranger
        .get(&app, &app::entities::document_url(&extract.id))
        .await;
    assert_eq!(read.status.as_u16(), 403, "{}", read.text());
    let queue: Vec<MemberView> = vera.call(&app, "verification_queue", &[]).await.ok();
    assert_eq!(queue.len(), 1);
    assert!(queue[0].identified);
    assert_eq!(queue[0].documents.len(), 2);
    let read = vera
        .get(&app, &app::entities::document_url(&extract.id))
        .await;
    assert!(read.status.is_success());

    // Approved: the representative-link evidence names both companies and both extracts.
    let after: Vec<MemberView> = vera
        .call(&app, "verification_approve", &[("member_id", &member.id)])
        .await
        .ok();
    assert!(after.is_empty());
    let member = organisations(&app, &dan).await.requests[0].clone();
    assert_eq!(member.status, "verified");
    let link = member
        .connection_evidence_id
        .clone()
        .expect("link evidence");
    assert_eq!(kind_of(&app, &link).await, "LegalRepresentativeConnection");
    let report = assert_valid_evidence(&app, &evidence_pdf(&app, &link).await);
    let text = format!("{report:?}");
    for expected in ["Holding SA", "RCS 552 100 554", "Filiale SAS", "Dan Leroy"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    let again = call_err(
        &app,
        &vera,
        "verification_approve",
        &[("member_id", &member.id)],
    )
    .await;
    assert_eq!(again, AppError::RequestClosed);
    let sent = mails(&app, "dan@example.org").await;
    assert!(
        sent.iter()
            .any(|(subject, _)| subject.contains("demande validée"))
    );
    app.stop().await;
}

async fn a_delegate_is_verified_linked_revoked_and_purged(backend: Backend) {
    let app = spawn_app(backend).await;
    let vera = checker(&app).await;
    let (dan, _) = representative(&app, &vera).await;
    let eve = sender(&app, "eve@example.org", "Ève Martin").await;
    let member = draft_request(
        &app,
        &eve,
        ("Filiale SAS", "732829320"),
        "delegate",
        "Dan Leroy",
    )
    .await;
    kbis(
        &app,
        &eve,
        &member.id,
        ("Filiale SAS", "732829320"),
        "552100554",
        20,
    )
    .await
    .expect("extract");
    kbis(&app, &eve, &member.id, ("Holding SA", "552100554"), "", 20)
        .await
        .expect("extract of the leader");
    let power = [
        ("kind", "power_of_attorney"),
        ("issued_on", &*days_ago(&app, 100)),
    ];
    let stale = upload(&app, &eve, &member.id, &power, ("procuration.pdf", PDF)).await;
    assert_eq!(stale, Err(AppError::Invalid(Invalid::DocumentTooOld)));
    let incomplete = call_err(&app, &eve, "entity_submit", &[("member_id", &member.id)]).await;
    assert_eq!(
        incomplete,
        AppError::DossierIncomplete {
            missing: vec![
                "power_of_attorney".into(),
                "id_front".into(),
                "id_back".into()
            ]
        }
    );
    let power = [
        ("kind", "power_of_attorney"),
        ("issued_on", &*days_ago(&app, 30)),
    ];
    let poa = upload(&app, &eve, &member.id, &power, ("procuration.pdf", PDF))
        .await
        .expect("power of attorney");
    for side in ["id_front", "id_back"] {
        let id = upload(&app, &eve, &member.id, &[("kind", side)], ("cni.jpg", JPEG))
            .await
            .expect("ID");
        assert_eq!(
            kind_of(&app, &id.upload_evidence_id).await,
            "DocumentUpload"
        );
    }
    assert_valid_evidence(&app, &evidence_pdf(&app, &poa.upload_evidence_id).await);
    submit(&app, &eve, &member.id).await;

    // A rejection needs a reason; the operator approves.
    let no_reason = call_err(
        &app,
        &vera,
        "verification_reject",
        &[("member_id", &member.id), ("reason", " ")],
    )
    .await;
    assert_eq!(no_reason, AppError::ReasonRequired);
    let _: Vec<MemberView> = vera
        .call(&app, "verification_approve", &[("member_id", &member.id)])
        .await
        .ok();
    let member = organisations(&app, &eve).await.requests[0].clone();
    assert_eq!(member.status, "verified");
    let verification = member
        .verification_evidence_id
        .clone()
        .expect("verification");
    assert_eq!(
        kind_of(&app, &verification).await,
        "PowerOfAttorneyVerification"
    );
    assert_valid_evidence(&app, &evidence_pdf(&app, &verification).await);
    assert_eq!(member.connection_evidence_id, None);

    // Her next sign-in links her to the representative (§4.7).
    eve.sign_in_again(&app).await;
    app.state.jobs.run_due().await.expect("jobs");
    let member = organisations(&app, &eve).await.requests[0].clone();
    let link = member
        .connection_evidence_id
        .clone()
        .expect("link evidence");
    let report = assert_valid_evidence(&app, &evidence_pdf(&app, &link).await);
    let text = format!("{report:?}");
    for expected in ["Ève Martin", "Dan Leroy", &verification, "Holding SA"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }

    // The documents of the verification are purged at 60 days, the extracts kept.
    app.state
        .clock
        .advance(TimeDelta::days(60) - TimeDelta::minutes(1));
    app.state.jobs.run_due().await.expect("jobs");
    assert!(
        !organisations_of(&app, &member.id)
            .await
            .iter()
            .any(|d| d.purged)
    );
    app.state.clock.advance(TimeDelta::minutes(2));
    app.state.jobs.run_due().await.expect("jobs");
    let documents = organisations_of(&app, &member.id).await;
    let purged: Vec<&DocumentView> = documents.iter().filter(|d| d.purged).collect();
    assert_eq!(purged.len(), 3, "{documents:?}");
    assert!(documents.iter().all(|d| d.purged == (d.kind != "kbis")));
    let (evidence_id,): (String,) =
        sqlx::query_as("SELECT purge_evidence_id FROM entity_document WHERE id = $1")
            .bind(&poa.id)
            .fetch_one(app.state.db.pool())
            .await
            .expect("purge");
    assert_eq!(kind_of(&app, &evidence_id).await, "DocumentPurge");
    let report = assert_valid_evidence(&app, &evidence_pdf(&app, &evidence_id).await);
    assert!(format!("{report:?}").contains(&poa.sha256));
    eve.sign_in_again(&app).await;
    let gone = eve.get(&app, &app::entities::document_url(&poa.id)).await;
    assert_eq!(gone.status.as_u16(), 410);

    // The representative revokes the delegate.
    dan.sign_in_again(&app).await;
    let shown = organisations(&app, &dan).await;
    assert_eq!(shown.delegates.len(), 1);
    let after: Organisations = dan
        .call(&app, "entity_revoke", &[("member_id", &member.id)])
        .await
        .ok();
    assert!(after.delegates.is_empty());
    assert_eq!(
        organisations(&app, &eve).await.requests[0].status,
        "revoked"
    );
    let refused = call_err(&app, &eve, "entity_revoke", &[("member_id", &member.id)]).await;
    assert_eq!(refused, AppError::NotFound);
    let sent = mails(&app, "eve@example.org").await;
    assert!(sent.iter().any(|(subject, _)| subject.contains("révoquée")));
    app.stop().await;
}

/// The documents of request `member_id`, as stored.
async fn organisations_of(app: &TestApp, member_id: &str) -> Vec<DocumentView> {
    let rows = server::store::entities::documents(app.state.db.pool(), member_id)
        .await
        .expect("documents");
    rows.into_iter()
        .map(server::entities::views::document_view)
        .collect()
}

async fn approval_rechecks_the_three_month_rule(backend: Backend) {
    let app = spawn_app(backend).await;
    let vera = checker(&app).await;
    let dan = sender(&app, "dan@example.org", "Dan Leroy").await;
    let member = draft_request(
        &app,
        &dan,
        ("Boulangerie SARL", "443061841"),
        "representative",
        "",
    )
    .await;
    kbis(
        &app,
        &dan,
        &member.id,
        ("Boulangerie SARL", "443061841"),
        "",
        80,
    )
    .await
    .expect("extract");
    submit(&app, &dan, &member.id).await;
    // Fifteen days in the queue: the extract is now over 3 months old.
    app.state.clock.advance(TimeDelta::days(15));
    vera.sign_in_again(&app).await;
    let stale = call_err(
        &app,
        &vera,
        "verification_approve",
        &[("member_id", &member.id)],
    )
    .await;
    assert_eq!(stale, AppError::Invalid(Invalid::DocumentTooOld));
    let _: Vec<MemberView> = vera
        .call(
            &app,
            "verification_reject",
            &[("member_id", &member.id), ("reason", "Extrait Kbis périmé")],
        )
        .await
        .ok();
    dan.sign_in_again(&app).await;
    let member = organisations(&app, &dan).await.requests[0].clone();
    assert_eq!(member.status, "rejected");
    assert_eq!(member.reason.as_deref(), Some("Extrait Kbis périmé"));
    let sent = mails(&app, "dan@example.org").await;
    assert!(
        sent.iter()
            .any(|(subject, text)| subject.contains("refusée")
                && text.contains("Extrait Kbis périmé"))
    );
    // A rejected request leaves room for a new one.
    new_request(
        &app,
        &dan,
        "Boulangerie SARL",
        "443061841",
        "representative",
        "",
    )
    .await
    .expect("a new request");
    app.stop().await;
}
