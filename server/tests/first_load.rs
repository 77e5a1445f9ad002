//! Issue 11, first load and forms before hydration, at the HTTP level (the browser journeys
//! are in end2end/tests/no-js.spec.ts):
//! - a form posted by the browser itself (no JavaScript: it asks for `text/html`) is answered
//!   with a 303 back to its page, the outcome in the address: the error (`__err`, which the
//!   page renders) or `__done=<function>`; a call from the WASM client still gets the
//!   function's encoding;
//! - the bundle is served from its content-addressed directory `/pkg/<hash>/`, precompressed
//!   (brotli, gzip) as the browser accepts, with `Cache-Control: immutable`; pages name that
//!   directory.

mod common;

use app::types::TERMS_VERSION;
use common::flows::{PASSWORD, origin};
use common::pages::{location, page_at, plain_post};
use common::{Backend, TestApp, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING};

on_both_databases!(
    a_form_posted_without_javascript_comes_back_to_its_page_with_its_outcome,
    the_bundle_is_content_addressed_precompressed_and_cached_for_good,
);

async fn page_text(app: &TestApp, location: &str) -> String {
    page_at(app, &app.client, location).await
}

async fn a_form_posted_without_javascript_comes_back_to_its_page_with_its_outcome(
    backend: Backend,
) {
    let app = spawn_app(backend).await;

    // A wrong password: back to the sign-in page (its own query kept), the error in the
    // address, and the page says it in words.
    let response = plain_post(
        &app,
        &app.client,
        "sign_in",
        "/signin?next=/inbox",
        &[
            ("email", "nobody@example.org"),
            ("password", "not the password"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let back = location(&response);
    assert!(back.starts_with(&format!("{}/signin?", app.url)), "{back}");
    assert!(
        back.contains("next=%2Finbox") || back.contains("next=/inbox"),
        "{back}"
    );
    assert!(
        back.contains("__err=") && !back.contains("__done="),
        "{back}"
    );
    let page = page_text(&app, &back).await;
    assert!(
        page.contains("Adresse électronique ou mot de passe incorrect"),
        "the sign-in page shows the error"
    );
    assert!(
        page.contains(r#"action="/api/sign_in""#),
        "and the form again"
    );

    // A sign-up that succeeds: back with `__done`, and the page says what comes next.
    let response = plain_post(
        &app,
        &app.client,
        "sign_up",
        "/signup",
        &[
            ("name", "Hélène Sansscript"),
            ("email", "helene@example.org"),
            ("password", PASSWORD),
            ("terms_version", TERMS_VERSION),
            ("accept_terms", "on"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let back = location(&response);
    assert!(back.ends_with("/signup?__done=%2Fapi%2Fsign_up"), "{back}");
    let page = page_text(&app, &back).await;
    assert!(page.contains("ouvrez le lien"), "the sign-up page confirms");

    // The WASM client's call (it asks for the function's encoding) is answered as before.
    let response = app
        .client
        .post(format!("{}/api/sign_in", app.url))
        .header(ACCEPT, "application/json")
        .header("origin", origin(&app))
        .form(&[("email", "nobody@example.org"), ("password", "x")])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.text().await.expect("body"), r#""BadCredentials""#);
}

async fn the_bundle_is_content_addressed_precompressed_and_cached_for_good(backend: Backend) {
    let site = tempfile::tempdir().expect("site");
    let hash = "0123456789abcdef";
    let dir = site.path().join("pkg").join(hash);
    std::fs::create_dir_all(&dir).expect("bundle dir");
    std::fs::write(site.path().join("pkg/BUNDLE"), format!("{hash}\n")).expect("BUNDLE");
    std::fs::write(dir.join("pli.js"), "export default 1;").expect("js");
    std::fs::write(dir.join("pli.js.br"), "brotli bytes").expect("br");
    std::fs::write(dir.join("pli.js.gz"), "gzip bytes").expect("gz");
    let root = site.path().to_owned();
    let app = spawn_app_with(backend, |config| config.server.site_root = root).await;

    let page = page_text(&app, &format!("{}/", app.url)).await;
    assert!(
        page.contains(&format!("/pkg/{hash}/pli.js")),
        "the page loads the bundle"
    );
    assert!(
        page.contains(&format!("/pkg/{hash}/pli.css")),
        "and its style sheet"
    );
    assert!(
        page.contains(&format!(r#"<meta name="pli-bundle" content="/pkg/{hash}""#)),
        "and names the bundle directory for the hashing worker"
    );

    let url = format!("{}/pkg/{hash}/pli.js", app.url);
    for (accepts, encoding, body) in [
        ("br, gzip", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("identity", None, "export default 1;"),
    ] {
        let response = app
            .client
            .get(&url)
            .header(ACCEPT_ENCODING, accepts)
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), StatusCode::OK, "{accepts}");
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(header(CONTENT_ENCODING).as_deref(), encoding, "{accepts}");
        assert_eq!(
            header(CACHE_CONTROL).as_deref(),
            Some("public, max-age=31536000, immutable"),
            "{accepts}"
        );
        assert_eq!(response.bytes().await.expect("body"), body.as_bytes());
    }
    let missing = app
        .client
        .get(format!("{}/pkg/{hash}/nothing.js", app.url))
        .send()
        .await
        .expect("GET");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
