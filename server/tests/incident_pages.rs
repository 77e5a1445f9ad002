//! The incident register's pages (issue 13, OPS-08) as a browser without JavaScript uses them:
//! a security officer opens an incident from `/back-office/incidents`, finds it listed, and
//! qualifies it from its page, each form posted by the browser itself and answered with a
//! redirect back to the page, which says what happened; the back office links the register;
//! the pages in English.

mod common;

use common::flows::account;
use common::pages::{location, page_at, plain_post};
use common::{Backend, spawn_app};

on_both_databases!(the_register_works_without_javascript);

async fn the_register_works_without_javascript(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = account(&app, "alice@example.org", "Alice Martin").await;
    server::operators::ceremony::security_officer(
        &app.state.db,
        app.state.clock.now(),
        &alice.email,
    )
    .await
    .expect("security officer");

    let office = page_at(&app, &alice.client, "/back-office").await;
    assert!(
        office.contains(r#"href="/back-office/incidents""#),
        "{office}"
    );
    let register = page_at(&app, &alice.client, "/back-office/incidents").await;
    assert!(register.contains("Registre des incidents de sécurité"));
    assert!(register.contains("Aucun incident enregistré."));
    assert!(register.contains(r#"name="detected_at""#));

    let form = [
        ("title", "Certificat du cachet exposé"),
        (
            "description",
            "Une copie de la clé a été trouvée sur un poste.",
        ),
        ("severity", "critical"),
        ("detected_at", ""),
    ];
    let page = "/back-office/incidents";
    let response = plain_post(&app, &alice.client, "incident_open", page, &form).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let back = location(&response);
    assert!(back.contains(page) && back.contains("__done="), "{back}");
    let register = page_at(&app, &alice.client, &back).await;
    assert!(register.contains("Incident ouvert."), "{register}");
    assert!(register.contains("Certificat du cachet exposé"));
    let id: String = sqlx::query_scalar("SELECT id FROM incident")
        .fetch_one(app.state.db.pool())
        .await
        .expect("incident");

    let page = format!("/back-office/incidents/{id}");
    let sheet = page_at(&app, &alice.client, &page).await;
    assert!(sheet.contains("incident-qualify"), "{sheet}");
    assert!(sheet.contains(&format!(r#"href="/back-office/incidents/{id}/report""#)));
    let form = [
        ("id", id.as_str()),
        ("severity", "high"),
        ("integrity", "on"),
        ("assessment", "Clé révoquée."),
    ];
    let response = plain_post(&app, &alice.client, "incident_qualify", &page, &form).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let sheet = page_at(&app, &alice.client, &location(&response)).await;
    assert!(sheet.contains("C&#x27;est enregistré") || sheet.contains("C'est enregistré"));
    assert!(
        sheet.contains(r#"data-impact="integrity" data-value="true""#),
        "{sheet}"
    );
    assert!(!sheet.contains("incident-qualify-submit"), "qualified once");
    assert!(sheet.contains("incident-notice-submit"));

    // A refusal comes back to the page too, said there.
    let form = [("id", id.as_str()), ("letter_id", "no-such-letter")];
    let response = plain_post(&app, &alice.client, "incident_attach", &page, &form).await;
    let back = location(&response);
    assert!(back.contains("__err="), "{back}");
    let sheet = page_at(&app, &alice.client, &back).await;
    assert!(
        sheet.contains("Aucune lettre envoyée ne porte cet identifiant"),
        "{sheet}"
    );
    app.stop().await;
}
