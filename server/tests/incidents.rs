//! The security-incident register (issue 13: OPS-08; eIDAS Art. 19(2); policy §13.9.2),
//! through the server functions and the report's route, on both databases:
//!
//! - a system operator opens an incident and adds a sent letter (by a recipient's letter id,
//!   then by the letter's: added once); a security officer qualifies it, the service's report
//!   is exported by the system auditor (Markdown and JSON: the incident, its timeline, its
//!   qualification, the letters, the affected users' addresses), it is notified and closed;
//!   each step journaled, the journal intact;
//! - the steps out of order are refused (409), the register and the report to a non-operator,
//!   to an operator without a role for them and to a visitor;
//! - bad input is a 4xx that says what is wrong.

mod common;

use app::error::AppError;
use app::incidents::{IncidentPage, IncidentRegister};
use chrono::TimeDelta;
use common::flows::{User, account};
use common::operators::{officers, staff};
use common::scenario::Scenario;
use common::{Backend, TestApp, spawn_app};
use domain::incidents::{IncidentAction, IncidentRefusal, IncidentStatus};

on_both_databases!(
    an_incident_goes_from_detection_to_closing_with_its_report,
    the_register_refuses_anyone_else,
    bad_input_is_refused_with_a_4xx,
);

async fn events(app: &TestApp, action: &str) -> i64 {
    common::records::events(app, action).await.len() as i64
}

fn transition(status: IncidentStatus, action: IncidentAction) -> AppError {
    AppError::Incident(IncidentRefusal::Transition { status, action })
}

/// Opens an incident as `by`; its id.
async fn open(app: &TestApp, by: &User, title: &str, detected_at: &str) -> String {
    let form = [
        ("title", title),
        (
            "description",
            "Des accès inhabituels au stockage des pièces jointes.",
        ),
        ("severity", "medium"),
        ("detected_at", detected_at),
    ];
    by.call(app, "incident_open", &form).await.ok()
}

async fn an_incident_goes_from_detection_to_closing_with_its_report(backend: Backend) {
    let app = spawn_app(backend).await;
    let officers = officers(&app).await;
    let (alice, bob) = (&officers.0, &officers.1);
    let carol = staff(&app, &officers, "carol@example.org", "system_operator").await;
    let dave = staff(&app, &officers, "dave@example.org", "system_auditor").await;
    let sent = Scenario::new(&app)
        .sender("sam@example.org", "Sam Leroy")
        .professional("rita@example.net", "Rita Blanc", "Blanc SARL")
        .send()
        .await;

    // Carol, a system operator, opens it and adds the letter by Rita's letter id.
    let id = open(&app, &carol, "Accès suspects", "").await;
    let register: IncidentRegister = carol.call(&app, "incidents", &[]).await.ok();
    assert!(register.rights.open && !register.rights.decide);
    assert_eq!(register.incidents.len(), 1);
    assert_eq!(register.incidents[0].status, "open");
    assert!(!register.incidents[0].overdue);
    let attach = |letter: &str| [("id", id.clone()), ("letter_id", letter.to_owned())];
    let form = attach(sent.transaction());
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page: IncidentPage = carol.call(&app, "incident_attach", &form).await.ok();
    assert_eq!(page.detail.letters.len(), 1);
    let letter = &page.detail.letters[0];
    assert_eq!(letter.letter_id, sent.id);
    assert_eq!(letter.recipient_letter_id, sent.transaction());
    assert_eq!(letter.recipient_email, "rita@example.net");
    assert_eq!(letter.sender_email, "sam@example.org");
    let form = [("id", id.as_str()), ("letter_id", sent.id.as_str())];
    let page: IncidentPage = alice.call(&app, "incident_attach", &form).await.ok();
    assert_eq!(page.detail.letters.len(), 1, "added once");
    app.state.clock.advance(TimeDelta::minutes(1));

    // Only a security officer or the service manager qualifies; nothing before it.
    let qualify = [
        ("id", id.as_str()),
        ("severity", "high"),
        ("personal_data", "on"),
        ("confidentiality", "on"),
        (
            "assessment",
            "Lecture possible des pièces jointes d'une lettre.",
        ),
    ];
    let refused = carol.call(&app, "incident_qualify", &qualify).await;
    assert_eq!(refused.status.as_u16(), 403);
    assert_eq!(refused.err(), AppError::OperatorOnly);
    let early = alice
        .call(&app, "incident_close", &[("id", &id), ("summary", "Rien.")])
        .await;
    assert_eq!(early.status.as_u16(), 409);
    assert_eq!(
        early.err(),
        transition(IncidentStatus::Open, IncidentAction::Close)
    );
    let early = alice
        .call(&app, "incident_notify", &[("id", &id), ("notice", "ANSSI")])
        .await;
    assert_eq!(
        early.err(),
        transition(IncidentStatus::Open, IncidentAction::Notify)
    );
    let page: IncidentPage = alice.call(&app, "incident_qualify", &qualify).await.ok();
    let incident = &page.detail.incident;
    assert_eq!(
        (incident.status.as_str(), incident.severity.as_str()),
        ("qualified", "high")
    );
    let found = incident.qualification.as_ref().expect("qualification");
    assert!(found.personal_data && found.confidentiality);
    assert!(!found.integrity && !found.availability);
    let again = bob.call(&app, "incident_qualify", &qualify).await;
    assert_eq!(again.status.as_u16(), 409);

    // The report, by the auditor, at any time: Markdown in the reader's language, and JSON.
    let path = format!("/back-office/incidents/{id}/report");
    let report = dave.get(&app, &path).await;
    assert_eq!(report.status.as_u16(), 200, "{}", report.text());
    assert!(
        report.headers["content-type"]
            .to_str()
            .is_ok_and(|v| v.starts_with("text/markdown"))
    );
    assert!(
        report.headers["content-disposition"]
            .to_str()
            .is_ok_and(|v| v.contains(&format!("incident-{id}.md")))
    );
    let text = report.text();
    for expected in [
        "# Rapport d'incident de sécurité — Accès suspects",
        "Violation de données à caractère personnel : oui",
        "Atteinte à l'intégrité : non",
        "Lecture possible des pièces jointes",
        &format!(
            "| `{}` | `{}` | Sam Leroy <sam@example.org>",
            sent.id,
            sent.transaction()
        ),
        "- rita@example.net\n- sam@example.org",
        "Rapport dû avant",
        "Lettre concernée ajoutée",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    let json = dave.get(&app, &format!("{path}?format=json")).await;
    let document: serde_json::Value = serde_json::from_slice(&json.body).expect("JSON report");
    assert_eq!(document["incident"]["id"], id.as_str());
    assert_eq!(
        document["letters"][0]["recipient_email"],
        "rita@example.net"
    );
    assert_eq!(
        document["affected_addresses"],
        serde_json::json!(["rita@example.net", "sam@example.org"])
    );
    let timeline: Vec<&str> = document["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|entry| entry["event"].as_str())
        .collect();
    assert_eq!(
        timeline,
        ["detected", "opened", "letter_attached", "qualified"]
    );

    // Notified, then closed; a closed incident takes no letter any more.
    app.state.clock.advance(TimeDelta::hours(2));
    bob.sign_in_again(&app).await;
    let notice = [
        ("id", id.as_str()),
        (
            "notice",
            "ANSSI par courriel, réf. 2026-42 ; utilisateurs informés.",
        ),
    ];
    let page: IncidentPage = bob.call(&app, "incident_notify", &notice).await.ok();
    assert_eq!(page.detail.incident.status, "notified");
    let notified = common::records::last_event(&app, "incident_notified").await;
    assert_eq!(notified["details"]["within_24_hours"], true);
    bob.fresh_code(&app).await;
    let close = [
        ("id", id.as_str()),
        ("summary", "Clé d'accès révoquée ; accès revus."),
    ];
    let page: IncidentPage = bob.call(&app, "incident_close", &close).await.ok();
    let incident = &page.detail.incident;
    assert_eq!(incident.status, "closed");
    assert!(
        incident
            .closed
            .as_ref()
            .is_some_and(|s| s.by.contains("bob@example.org"))
    );
    let late = bob.call(&app, "incident_attach", &form).await;
    assert_eq!(
        late.err(),
        transition(IncidentStatus::Closed, IncidentAction::AttachLetter)
    );

    // An incident detected 25 hours ago and not notified is overdue.
    let detected = (app.state.clock.now() - TimeDelta::hours(25))
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    bob.fresh_code(&app).await;
    let late_id = open(&app, bob, "Panne de l'horodatage", &detected).await;
    let register: IncidentRegister = bob.call(&app, "incidents", &[]).await.ok();
    let late = register
        .incidents
        .iter()
        .find(|i| i.id == late_id)
        .expect("listed");
    assert!(late.overdue);

    for (action, count) in [
        ("incident_opened", 2),
        ("incident_letter_attached", 1),
        ("incident_qualified", 1),
        ("incident_report_exported", 2),
        ("incident_notified", 1),
        ("incident_closed", 1),
    ] {
        assert_eq!(events(&app, action).await, count, "{action}");
    }
    common::records::assert_journal_intact(&app).await;
    app.stop().await;
}

/// Every function of the register, on incident `id`.
fn calls(id: &str) -> [(&'static str, Vec<(&'static str, String)>); 7] {
    let id = || ("id", id.to_owned());
    let text = |name| (name, "Texte.".to_owned());
    [
        ("incidents", vec![]),
        ("incident", vec![id()]),
        (
            "incident_open",
            vec![
                text("title"),
                text("description"),
                ("severity", "low".into()),
                ("detected_at", String::new()),
            ],
        ),
        (
            "incident_qualify",
            vec![id(), ("severity", "low".into()), text("assessment")],
        ),
        ("incident_attach", vec![id(), ("letter_id", "x".into())]),
        ("incident_notify", vec![id(), text("notice")]),
        ("incident_close", vec![id(), text("summary")]),
    ]
}

async fn call(
    app: &TestApp,
    user: &User,
    endpoint: &str,
    form: &[(&str, String)],
) -> common::flows::Reply {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    user.call(app, endpoint, &form).await
}

async fn the_register_refuses_anyone_else(backend: Backend) {
    let app = spawn_app(backend).await;
    let officers = officers(&app).await;
    let id = open(&app, &officers.0, "Incident", "").await;
    let eve = account(&app, "eve@example.org", "Eve Noël").await;
    let seal = staff(&app, &officers, "sophie@example.org", "seal_officer").await;
    let auditor = staff(&app, &officers, "dave@example.org", "system_auditor").await;
    let report = format!("/back-office/incidents/{id}/report");

    // A non-operator and an operator without a role of the register: nothing.
    for user in [&eve, &seal] {
        for (endpoint, form) in calls(&id) {
            let reply = call(&app, user, endpoint, &form).await;
            assert_eq!(reply.status.as_u16(), 403, "{endpoint}: {}", reply.text());
            assert_eq!(reply.err(), AppError::OperatorOnly, "{endpoint}");
        }
        let refused = user.get(&app, &report).await;
        assert_eq!(refused.status.as_u16(), 403);
        assert_eq!(refused.route_err(), AppError::OperatorOnly);
    }
    // The auditor reads and reports, and takes no step.
    for (endpoint, form) in calls(&id) {
        let reply = call(&app, &auditor, endpoint, &form).await;
        if ["incidents", "incident"].contains(&endpoint) {
            assert!(reply.status.is_success(), "{endpoint}: {}", reply.text());
        } else {
            assert_eq!(reply.err(), AppError::OperatorOnly, "{endpoint}");
        }
    }
    assert_eq!(auditor.get(&app, &report).await.status.as_u16(), 200);
    // A visitor is asked to sign in.
    let visitor = User::visitor("visitor@example.org", "Visitor");
    let refused = visitor.get(&app, &report).await;
    assert_eq!(refused.status.as_u16(), 401);
    assert_eq!(refused.route_err(), AppError::SignInRequired);
    let reply = visitor.call(&app, "incidents", &[]).await;
    assert_eq!(reply.err(), AppError::SignInRequired);
    assert_eq!(events(&app, "incident_report_exported").await, 1);
    app.stop().await;
}

async fn bad_input_is_refused_with_a_4xx(backend: Backend) {
    let app = spawn_app(backend).await;
    let (alice, _bob) = officers(&app).await;
    let refusal = |error| AppError::Incident(error);
    let form = |title: &'static str,
                description: &'static str,
                severity: &'static str,
                detected: &'static str| {
        [
            ("title", title),
            ("description", description),
            ("severity", severity),
            ("detected_at", detected),
        ]
    };
    for (fields, expected) in [
        (form(" ", "Texte.", "low", ""), IncidentRefusal::Title),
        (form("Titre", "  \n", "low", ""), IncidentRefusal::Text),
        (
            form("Titre", "Texte.", "urgent", ""),
            IncidentRefusal::Severity,
        ),
        (
            form("Titre", "Texte.", "low", "hier"),
            IncidentRefusal::DetectedAt,
        ),
        (
            form("Titre", "Texte.", "low", "2999-01-01T00:00"),
            IncidentRefusal::DetectedAt,
        ),
    ] {
        let reply = alice.call(&app, "incident_open", &fields).await;
        assert_eq!(reply.status.as_u16(), 422, "{fields:?}");
        let error = reply.err();
        assert_eq!(error, refusal(expected));
        assert!(!error.message(app::i18n::Lang::Fr).is_empty());
    }
    let missing = alice
        .call(&app, "incident_open", &[("title", "Titre")])
        .await;
    assert_eq!(missing.status.as_u16(), 400);
    assert!(matches!(missing.err(), AppError::Malformed(_)));

    // An unknown incident, an unknown letter, a draft, an empty notice, an unknown format.
    for (endpoint, form) in calls("no-such-incident") {
        if ["incidents", "incident_open"].contains(&endpoint) {
            continue;
        }
        let reply = call(&app, &alice, endpoint, &form).await;
        assert_eq!(reply.status.as_u16(), 404, "{endpoint}: {}", reply.text());
        assert_eq!(reply.err(), AppError::NotFound, "{endpoint}");
    }
    let reply = alice
        .get(&app, "/back-office/incidents/no-such-incident/report")
        .await;
    assert_eq!(reply.route_err(), AppError::NotFound);
    let id = open(&app, &alice, "Incident", "").await;
    let draft = Scenario::new(&app)
        .sender("sam@example.org", "Sam Leroy")
        .professional("rita@example.net", "Rita Blanc", "Blanc SARL")
        .draft()
        .await;
    alice.fresh_code(&app).await;
    for letter in ["", "no-such-letter", draft.id.as_str()] {
        let reply = alice
            .call(
                &app,
                "incident_attach",
                &[("id", &id), ("letter_id", letter)],
            )
            .await;
        assert_eq!(reply.status.as_u16(), 404, "{letter:?}");
        assert_eq!(reply.err(), refusal(IncidentRefusal::UnknownLetter));
    }
    let qualify = [("id", id.as_str()), ("severity", "low"), ("assessment", "")];
    let _: IncidentPage = alice.call(&app, "incident_qualify", &qualify).await.ok();
    let empty = alice
        .call(&app, "incident_notify", &[("id", &id), ("notice", "")])
        .await;
    assert_eq!(empty.err(), refusal(IncidentRefusal::Text));
    let format = alice
        .get(
            &app,
            &format!("/back-office/incidents/{id}/report?format=pdf"),
        )
        .await;
    assert_eq!(format.status.as_u16(), 400);
    app.stop().await;
}
