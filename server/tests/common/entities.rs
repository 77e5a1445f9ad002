//! The legal entities' flows (issue 13), as the companies page and the verification queue
//! drive them: requests, multipart uploads, an identity-check operator.

use app::entities::{DocumentView, MemberView, Organisations};
use app::error::AppError;
use chrono::TimeDelta;

use super::TestApp;
use super::flows::{User, account, origin, sender};

pub const PDF: &[u8] = b"%PDF-1.7\n% a scanned document\n%%EOF\n";
pub const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0];

/// A date `days` before the service's today, as typed.
pub fn days_ago(app: &TestApp, days: i64) -> String {
    (app.state.clock.now() - TimeDelta::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// An identity-check operator (the role given directly: dual control has its own tests).
pub async fn checker(app: &TestApp) -> User {
    let user = account(app, "verif@example.org", "Vera Contrôle").await;
    grant(app, &user, "identity_check_operator").await;
    user
}

/// Gives `user` the trusted role `role` in effect, directly (dual control has its own tests).
pub async fn grant(app: &TestApp, user: &User, role: &str) {
    let (id,): (String,) = sqlx::query_as("SELECT id FROM account WHERE email = $1")
        .bind(&user.email)
        .fetch_one(app.state.db.pool())
        .await
        .expect("account");
    let assignment = server::store::roles::NewAssignment {
        id: &format!("assignment-{role}-{id}"),
        account_id: &id,
        role,
        status: "active",
        request_id: None,
        at: app.state.clock.now().timestamp_millis(),
    };
    server::store::roles::insert_assignment(app.state.db.pool(), &assignment)
        .await
        .expect("role");
}

pub async fn new_request(
    app: &TestApp,
    user: &User,
    name: &str,
    number: &str,
    role: &str,
    representative: &str,
) -> Result<Organisations, AppError> {
    let form = [
        ("company_name", name),
        ("registry", "rcs_fr"),
        ("number", number),
        ("role", role),
        ("representative_name", representative),
    ];
    let reply = user.call(app, "entity_request", &form).await;
    if reply.status.is_success() {
        Ok(reply.ok())
    } else {
        Err(reply.err())
    }
}

/// A new draft request, as created (see [`new_request`]).
pub async fn draft_request(
    app: &TestApp,
    user: &User,
    (name, number): (&str, &str),
    role: &str,
    representative: &str,
) -> MemberView {
    let list = new_request(app, user, name, number, role, representative)
        .await
        .expect("request");
    list.requests[0].clone()
}

/// Submits request `member_id` to the verification queue.
pub async fn submit(app: &TestApp, user: &User, member_id: &str) -> Organisations {
    user.call(app, "entity_submit", &[("member_id", member_id)])
        .await
        .ok()
}

/// Uploads a document to request `member` as the page's form does (asking for JSON).
pub async fn upload(
    app: &TestApp,
    user: &User,
    member: &str,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
) -> Result<DocumentView, AppError> {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    let part = reqwest::multipart::Part::bytes(file.1.to_vec()).file_name(file.0.to_owned());
    form = form.part("file", part);
    let response = super::flows::client_with(&user.jar)
        .post(format!("{}/organisations/{member}/documents", app.url))
        .header("origin", origin(app))
        .header("accept", "application/json")
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = response.status();
    let body: serde_json::Value = response.json().await.expect("JSON");
    if status.is_success() {
        Ok(serde_json::from_value(body).expect("document"))
    } else {
        assert!(status.is_client_error(), "{status}: {body}");
        Err(serde_json::from_value(body["error"].clone()).expect("error"))
    }
}

pub async fn kbis(
    app: &TestApp,
    user: &User,
    member: &str,
    company: (&str, &str),
    led_by: &str,
    issued_days_ago: i64,
) -> Result<DocumentView, AppError> {
    let date = days_ago(app, issued_days_ago);
    let fields = [
        ("kind", "kbis"),
        ("issued_on", date.as_str()),
        ("company_name", company.0),
        ("registry", "rcs_fr"),
        ("number", company.1),
        ("led_by", led_by),
    ];
    upload(app, user, member, &fields, ("kbis.pdf", PDF)).await
}

pub async fn organisations(app: &TestApp, user: &User) -> Organisations {
    user.call(app, "organisations", &[]).await.ok()
}

pub async fn call_err(
    app: &TestApp,
    user: &User,
    endpoint: &str,
    form: &[(&str, &str)],
) -> AppError {
    let reply = user.call(app, endpoint, form).await;
    assert!(
        reply.status.is_client_error(),
        "{endpoint}: {}",
        reply.status
    );
    reply.err()
}

pub async fn evidence_pdf(app: &TestApp, id: &str) -> Vec<u8> {
    server::store::evidence::pdf(app.state.db.pool(), id)
        .await
        .expect("read")
        .expect("evidence stored")
}

/// The identification evidence of `email`'s successful identity proofing, validated by pyHanko,
/// and that every one of `expected` is in it; the validation report.
pub async fn assert_identification_names(app: &TestApp, email: &str, expected: &[&str]) -> String {
    let evidence_id: String = sqlx::query_scalar(
        "SELECT p.evidence_id FROM identity_proofing p JOIN account a ON a.id = p.account_id \
         WHERE a.email_key = $1 AND p.status = 'succeeded'",
    )
    .bind(email)
    .fetch_one(app.state.db.pool())
    .await
    .expect("proofing");
    let pdf = evidence_pdf(app, &evidence_id).await;
    let report = format!("{:?}", super::records::assert_valid_evidence(app, &pdf));
    for expected in expected {
        assert!(report.contains(expected), "{expected}: {report}");
    }
    report
}

pub async fn kind_of(app: &TestApp, id: &str) -> String {
    sqlx::query_scalar("SELECT kind FROM evidence WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .expect("evidence")
}

/// Dan Leroy, verified legal representative of Filiale SAS (led by Holding SA, which he
/// leads), approved by `checker`; returns his request.
pub async fn representative(app: &TestApp, checker: &User) -> (User, MemberView) {
    let dan = sender(app, "dan@example.org", "Dan Leroy").await;
    let member = draft_request(
        app,
        &dan,
        ("Filiale SAS", "732 829 320"),
        "representative",
        "",
    )
    .await;
    kbis(
        app,
        &dan,
        &member.id,
        ("Filiale SAS", "732829320"),
        "552100554",
        10,
    )
    .await
    .expect("extract");
    kbis(app, &dan, &member.id, ("Holding SA", "552100554"), "", 5)
        .await
        .expect("extract of the leader");
    submit(app, &dan, &member.id).await;
    let _: Vec<MemberView> = checker
        .call(app, "verification_approve", &[("member_id", &member.id)])
        .await
        .ok();
    let member = organisations(app, &dan).await.requests[0].clone();
    assert_eq!(member.status, "verified");
    (dan, member)
}

/// Ève Martin, verified delegate of Filiale SAS (whose legal representative is Dan Leroy),
/// approved by `checker`; returns her request.
pub async fn delegate(app: &TestApp, checker: &User) -> (User, MemberView) {
    let eve = sender(app, "eve@example.org", "Ève Martin").await;
    let member = draft_request(
        app,
        &eve,
        ("Filiale SAS", "732829320"),
        "delegate",
        "Dan Leroy",
    )
    .await;
    kbis(app, &eve, &member.id, ("Filiale SAS", "732829320"), "", 20)
        .await
        .expect("extract");
    let power = [
        ("kind", "power_of_attorney"),
        ("issued_on", &*days_ago(app, 30)),
    ];
    upload(app, &eve, &member.id, &power, ("procuration.pdf", PDF))
        .await
        .expect("power of attorney");
    for side in ["id_front", "id_back"] {
        upload(app, &eve, &member.id, &[("kind", side)], ("cni.jpg", JPEG))
            .await
            .expect("ID");
    }
    submit(app, &eve, &member.id).await;
    let _: Vec<MemberView> = checker
        .call(app, "verification_approve", &[("member_id", &member.id)])
        .await
        .ok();
    let member = organisations(app, &eve).await.requests[0].clone();
    assert_eq!(member.status, "verified");
    (eve, member)
}
