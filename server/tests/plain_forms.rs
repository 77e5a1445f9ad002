//! Issue 11, forms before hydration: the profile's and compose's forms posted by the browser
//! itself (no JavaScript), at the HTTP level (the browser journeys are in
//! end2end/tests/no-js.spec.ts). Each post is answered with a 303 to a page that says the
//! outcome by itself: the TOTP enrolment begun (the secret the server keeps), the recovery
//! codes (carried once in a short-lived cookie), the password change, the draft kept, the
//! deactivation; and bad input ends on the page with its error, nothing stored.

mod common;

use common::flows::{PASSWORD, User, now_s, signed_in, totp_code};
use common::pages::{location, page_at, plain_post};
use common::records::count;
use common::{Backend, TestApp, spawn_app};
use reqwest::header::SET_COOKIE;

on_both_databases!(
    the_profile_forms_work_without_javascript,
    compose_keeps_a_draft_without_javascript,
);

/// `user` posts `form` from `page` to `function` without JavaScript; the 303's target.
async fn post_back(
    app: &TestApp,
    user: &User,
    function: &str,
    page: &str,
    form: &[(&str, &str)],
) -> (String, Vec<String>) {
    // `page`: a path, or where a previous post led.
    let page = page.trim_start_matches(&app.url);
    let response = plain_post(app, &user.client, function, page, form).await;
    // 303 back to the page; a redirect elsewhere (to a draft's page, to sign-in) as the
    // function set it.
    assert!(
        response.status().is_redirection(),
        "{function}: {}",
        response.status()
    );
    let cookies = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect();
    (location(&response), cookies)
}

/// The text between `start` and the next `end` in `html`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    let to = html[from..].find(end).expect("end") + from;
    &html[from..to]
}

async fn the_profile_forms_work_without_javascript(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = "plain@example.org";
    let user = signed_in(&app, email, "Hélène Sansscript").await;

    // Enrolment begun: back to the profile, which shows the secret kept by the server.
    let (back, _) = post_back(&app, &user, "totp_begin", "/profile", &[]).await;
    assert!(
        back.ends_with("/profile?__done=%2Fapi%2Ftotp_begin"),
        "{back}"
    );
    let html = page_at(&app, &user.client, &back).await;
    // (Without the markers the server may put around a dynamic text.)
    let secret = between(&html, r#"<code class="totp-secret">"#, "</code>").replace("<!>", "");
    assert_eq!(secret.len(), 32, "{secret}");
    assert!(html.contains("data:image/png;base64,"), "the QR code");

    // A wrong first code: the error, and the same secret to scan.
    let (back, cookies) =
        post_back(&app, &user, "totp_confirm", &back, &[("code", "000000")]).await;
    assert!(back.contains("__err="), "{back}");
    assert!(cookies.is_empty(), "{cookies:?}");
    let html = page_at(&app, &user.client, &back).await;
    assert!(html.contains(r#"id="totp-confirm-error""#));
    assert!(html.contains(&secret));

    // The right code: the recovery codes come back once, in a cookie of this browser only.
    let code = totp_code(&secret, now_s(&app));
    let (back, cookies) =
        post_back(&app, &user, "totp_confirm", "/profile", &[("code", &code)]).await;
    assert!(
        back.ends_with("/profile?__done=%2Fapi%2Ftotp_confirm"),
        "{back}"
    );
    let recovery = cookies
        .iter()
        .find(|c| c.starts_with("pli_recovery="))
        .expect("the recovery cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Max-Age=600"] {
        assert!(recovery.contains(attribute), "{recovery}");
    }
    let html = page_at(&app, &user.client, &back).await;
    assert_eq!(
        between(&html, r#"<ul class="recovery-codes">"#, "</ul>")
            .matches("<li>")
            .count(),
        10
    );
    let stranger = User::visitor("someone@example.org", "Someone");
    let elsewhere = page_at(&app, &stranger.client, &back).await;
    assert!(
        !elsewhere.contains("recovery-codes"),
        "not in another browser"
    );
    let (_, cookies) = post_back(&app, &user, "totp_recovery_done", &back, &[]).await;
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("pli_recovery=;") && c.contains("Max-Age=0")),
        "{cookies:?}"
    );
    let html = page_at(&app, &user.client, &back).await;
    assert!(!html.contains("recovery-codes"), "shown once");
    assert!(
        html.contains(r#"class="otp-left""#),
        "the OTP session is open"
    );

    // The password change: a wrong current password tied to its field, then the change.
    let new_password = "a new password without script";
    let form = [
        ("current_password", "not my password"),
        ("password", new_password),
    ];
    let (back, _) = post_back(&app, &user, "password_change", "/profile", &form).await;
    let html = page_at(&app, &user.client, &back).await;
    let field = between(&html, r#"name="current_password""#, ">");
    assert!(field.contains(r#"aria-invalid="true""#), "{field}");
    assert!(
        field.contains(r#"aria-describedby="password-change-error""#),
        "{field}"
    );
    let form = [("current_password", PASSWORD), ("password", new_password)];
    let (back, _) = post_back(&app, &user, "password_change", "/profile", &form).await;
    assert!(
        back.ends_with("/profile?__done=%2Fapi%2Fpassword_change"),
        "{back}"
    );
    let html = page_at(&app, &user.client, &back).await;
    assert!(html.contains("Votre mot de passe est changé"));

    // Deactivation lands on the sign-in page's notice.
    let (back, _) = post_back(
        &app,
        &user,
        "deactivate_account",
        "/profile",
        &[("confirm", "on")],
    )
    .await;
    assert!(back.ends_with("/signin?deactivated=1"), "{back}");
    app.stop().await;
}

async fn compose_keeps_a_draft_without_javascript(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut user = signed_in(&app, "writer@example.org", "Alice Martin").await;
    user.enrol_totp(&app).await;
    let contact = common::flows::contact(
        &app,
        &user,
        "pro@example.org",
        "Claire Durand",
        Some("Durand SARL"),
        None,
    )
    .await;
    let html = page_at(&app, &user.client, "/compose").await;
    assert!(
        html.contains("<noscript"),
        "the notice for a browser without JavaScript"
    );
    assert!(html.contains(r#"name="recipients[]""#));

    // Bad input: the page says it, and no draft is created.
    let letters = "SELECT COUNT(*) FROM letter";
    let before = count(&app, letters, &[]).await;
    let bad = [
        ("id", ""),
        ("subject", "a\u{7}bell"),
        ("message", ""),
        ("recipients[]", contact.as_str()),
    ];
    let (back, _) = post_back(&app, &user, "draft_keep", "/compose", &bad).await;
    assert!(
        back.contains("/compose?") && back.contains("__err="),
        "{back}"
    );
    let html = page_at(&app, &user.client, &back).await;
    assert!(html.contains(r#"role="alert""#));
    assert_eq!(count(&app, letters, &[]).await, before, "nothing stored");

    let form = [
        ("id", ""),
        ("subject", "Sans script"),
        ("message", "Écrit sans JavaScript."),
        ("recipients[]", contact.as_str()),
    ];
    let (back, _) = post_back(&app, &user, "draft_keep", "/compose", &form).await;
    let path = back.trim_start_matches(&app.url);
    assert!(
        path.starts_with("/compose/") && path.ends_with("?__done=%2Fapi%2Fdraft_keep"),
        "{back}"
    );
    let id = between(path, "/compose/", "?").to_owned();
    let html = page_at(&app, &user.client, &back).await;
    assert!(html.contains("Brouillon enregistré"));
    assert!(html.contains(r#"value="Sans script""#));
    assert!(html.contains("Écrit sans JavaScript."));
    let draft: app::letters::Draft = user.call(&app, "draft_get", &[("id", &id)]).await.ok();
    assert_eq!(draft.recipients, std::slice::from_ref(&contact));

    // Saved again on its page: the same draft, no recipient now.
    let page = format!("/compose/{id}");
    let form = [
        ("id", id.as_str()),
        ("subject", "Sans script, relu"),
        ("message", ""),
    ];
    let (back, _) = post_back(&app, &user, "draft_keep", &page, &form).await;
    assert!(
        back.ends_with(&format!("{page}?__done=%2Fapi%2Fdraft_keep")),
        "{back}"
    );
    let draft: app::letters::Draft = user.call(&app, "draft_get", &[("id", &id)]).await.ok();
    assert_eq!(draft.subject, "Sans script, relu");
    assert!(draft.recipients.is_empty());
    assert_eq!(count(&app, letters, &[]).await, before + 1);

    // Another's draft is not found (a clear 4xx, back on the page).
    let mut other = signed_in(&app, "other@example.org", "Bob Durand").await;
    other.enrol_totp(&app).await;
    let response = plain_post(&app, &other.client, "draft_keep", &page, &form).await;
    assert!(response.status().is_redirection());
    assert!(location(&response).contains("__err="));
    app.stop().await;
}
