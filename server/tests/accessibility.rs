//! Issue 11, accessibility, in the pages as the server renders them (before any JavaScript;
//! the browser journeys and the axe-core checks are in end2end/tests/a11y.spec.ts): the skip
//! link first, `<main id="main">` its target, a title and a heading on the 404 page, the
//! accessibility statement (French, English, with the operator's contact address when
//! configured), and a form's error tied to its fields in a page reached without JavaScript.

mod common;

use common::pages::{english, location, page_at, plain_post};
use common::{Backend, TestApp, spawn_app, spawn_app_with};
use reqwest::StatusCode;

on_both_databases!(
    every_page_starts_with_a_skip_link_to_main,
    the_not_found_page_has_a_title_and_a_heading,
    the_accessibility_statement_is_published_in_both_languages,
    a_refused_sign_in_ties_its_error_to_the_fields_without_javascript,
);

/// The opening tag of the first element named `tag` with `attribute` in `html`.
fn tag_with<'a>(html: &'a str, tag: &str, attribute: &str) -> &'a str {
    let at = html
        .match_indices(&format!("<{tag} "))
        .map(|(at, _)| at)
        .find(|&at| {
            html[at..]
                .split('>')
                .next()
                .is_some_and(|t| t.contains(attribute))
        })
        .unwrap_or_else(|| panic!("no <{tag}> with {attribute}"));
    let end = html[at..].find('>').expect("end of tag") + at;
    &html[at..=end]
}

async fn every_page_starts_with_a_skip_link_to_main(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in ["/", "/signin", "/policy", "/no-such-page"] {
        let html = app.get(path).await.text().await.expect("page");
        let body = &html[html.find("<body").expect("body")..];
        // The first link of the body, before the header's.
        let first_link = &body[body.find("<a ").expect("a link")..];
        let tag = &first_link[..=first_link.find('>').expect("end of tag")];
        assert!(
            tag.contains(r#"class="skip-link""#) && tag.contains(r##"href="#main""##),
            "{path}: {tag}"
        );
        assert!(first_link.contains("Aller au contenu"), "{path}");
        let main = tag_with(&html, "main", "id=\"main\"");
        assert!(main.contains(r#"tabindex="-1""#), "{path}: {main}");
        assert!(
            html.contains(r#"href="/accessibilite""#)
                && html.contains("Accessibilité : partiellement conforme"),
            "{path}: the footer states the conformity status"
        );
    }
    app.stop().await;
}

async fn the_not_found_page_has_a_title_and_a_heading(backend: Backend) {
    let app = spawn_app(backend).await;
    let missing = app.get("/no-such-page").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let html = missing.text().await.expect("page");
    assert!(
        html.contains("<title>Page introuvable · Pli</title>"),
        "{html}"
    );
    assert!(html.contains("<h1>Page introuvable"), "{html}");
    app.stop().await;
}

async fn the_accessibility_statement_is_published_in_both_languages(backend: Backend) {
    let app = spawn_app(backend).await;
    let html = app.get_text("/accessibilite").await;
    let html = html.replace("&#x27;", "'").replace("&#39;", "'");
    assert!(
        html.contains("<title>Déclaration d'accessibilité · Pli</title>"),
        "{html}"
    );
    for text in [
        "partiellement conforme",
        "RGAA",
        "4.1",
        "axe-core",
        "Aucun audit manuel",
        "Défenseur des droits",
        "https://formulaire.defenseurdesdroits.fr/",
        "Libre réponse 71120",
        // No contact address configured: where to write instead.
        "adresse de contact qu'il publie",
    ] {
        assert!(html.contains(text), "{text}");
    }
    let english = english(&app, "/accessibilite").await;
    assert!(english.contains("<title>Accessibility statement · Pli</title>"));
    assert!(english.contains("partially conformant"));
    app.stop().await;

    // The operator's address, when configured, is the contact.
    let app = spawn_app_with(backend, |config| {
        config.policy.contact_email = Some("accessibilite@operateur.example".to_owned());
    })
    .await;
    let html = app.get_text("/accessibilite").await;
    assert!(
        html.contains(r#"href="mailto:accessibilite@operateur.example""#),
        "contact address"
    );
    app.stop().await;
}

/// The page a browser without JavaScript lands on after posting `form` from `page` to
/// `function`: the server's 303 back to the page, followed.
async fn posted_back(app: &TestApp, function: &str, page: &str, form: &[(&str, &str)]) -> String {
    let response = plain_post(app, &app.client, function, page, form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    page_at(app, &app.client, &location(&response)).await
}

async fn a_refused_sign_in_ties_its_error_to_the_fields_without_javascript(backend: Backend) {
    let app = spawn_app(backend).await;
    let fresh = app.get_text("/signin").await;
    assert!(
        !fresh.contains("aria-invalid"),
        "no error, no invalid field"
    );

    let html = posted_back(
        &app,
        "sign_in",
        "/signin",
        &[
            ("email", "nobody@example.org"),
            ("password", "not the password"),
        ],
    )
    .await;
    let message = tag_with(&html, "p", r#"id="sign-in-error""#);
    assert!(message.contains(r#"role="alert""#), "{message}");
    for field in [r#"name="email""#, r#"name="password""#] {
        let input = tag_with(&html, "input", field);
        assert!(input.contains(r#"aria-invalid="true""#), "{input}");
        assert!(
            input.contains(r#"aria-describedby="sign-in-error""#),
            "{input}"
        );
    }

    // A refused sign-up names the field at fault only.
    let html = posted_back(
        &app,
        "sign_up",
        "/signup",
        &[
            ("name", "Hélène Sansscript"),
            ("email", "not an address"),
            ("password", common::flows::PASSWORD),
            ("terms_version", app::types::TERMS_VERSION),
            ("accept_terms", "on"),
        ],
    )
    .await;
    let email = tag_with(&html, "input", r#"name="email""#);
    assert!(email.contains(r#"aria-invalid="true""#), "{email}");
    assert!(
        email.contains(r#"aria-describedby="sign-up-error""#),
        "{email}"
    );
    let name = tag_with(&html, "input", r#"name="name""#);
    assert!(!name.contains("aria-invalid"), "{name}");
    assert!(html.contains(r#"id="sign-up-error""#));
    app.stop().await;
}
