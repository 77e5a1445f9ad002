//! Accounts through the running server, calling the server functions over HTTP as the browser
//! does (form-encoded POST to `/api/<endpoint>`), with time driven by the manual clock; each
//! on SQLite and on PostgreSQL (issue 4: AUTH-01..05, OPS-03).

mod common;

use app::error::AppError;
use app::types::{
    AuthState, IdentityStatus, OtpSessionInfo, QualifiedAction, SecondFactorMethod,
    SimulatorSession, TERMS_VERSION, TotpEnrolment,
};
use app::validation::Invalid;
use chrono::TimeDelta;
use common::flows::{
    PASSWORD, USER_AGENT, User, account, confirmed, now_s, simulator_session, totp_code,
};
use common::records::{
    assert_journal_intact, assert_valid_evidence, count, events, evidence, journal_actions_of,
    last_event, last_mail, link_token,
};
use common::{Backend, TestApp, spawn_app, spawn_app_with, validators};

on_both_databases!(
    sign_up_confirm_sign_in_enrol_totp_sign_out_and_back_in,
    sign_up_rules_and_no_enumeration_of_existing_addresses,
    confirmation_link_expires_at_15_minutes_and_works_once,
    totp_time_step_is_never_accepted_twice,
    recovery_code_signs_in_once,
    otp_session_lasts_exactly_15_minutes,
    inactivity_signs_out_after_15_minutes,
    sign_in_is_rate_limited_without_enumeration,
    second_factor_is_rate_limited,
    session_cookie_attributes_and_rotation,
    secure_cookie_over_https,
    cross_origin_state_changes_are_refused,
    pages_carry_a_strict_content_security_policy_with_the_script_nonce,
    identity_proofing_with_the_simulator_gates_qualified_actions,
    auth_01_before_enrolling_a_second_factor_an_account_can_only_enrol_it,
    deactivation_and_reactivation_by_emailed_link,
    second_factor_is_replaced_or_removed_only_with_a_fresh_code,
    client_address_comes_from_trusted_proxies_only,
    identity_provider_callbacks_must_be_signed,
);

/// Everyone here signs up as Alice Martin, the name the identity simulator expects.
const NAME: &str = "Alice Martin";

/// Someone about to sign up as `email`, in their own browser.
fn visitor(email: &str) -> User {
    User::visitor(email, NAME)
}

/// The journal's authentication events.
async fn actions(app: &TestApp) -> Vec<String> {
    journal_actions_of(app, "auth").await
}

/// AUTH-01, AUTH-05, OPS-03: the whole journey over HTTP — sign-up, confirmation link from
/// the mailbox, sign-in, TOTP enrolment (QR code, otpauth URI, recovery codes), sign-out,
/// sign-in with a code from pyotp; every step in the journal, which stays intact.
async fn sign_up_confirm_sign_in_enrol_totp_sign_out_and_back_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = visitor("alice@example.org");
    alice.sign_up(&app).await.ok::<()>();
    // Not confirmed yet: the right password is refused with a clear message and a new link.
    assert_eq!(alice.sign_in(&app).await.err(), AppError::EmailNotConfirmed);
    alice.confirm_email(&app).await;

    let signed_in: AuthState = alice.sign_in(&app).await.ok();
    let user = signed_in.user.expect("signed in");
    assert_eq!(user.name, "Alice Martin");
    assert!(
        !user.awaiting_second_factor,
        "no second factor enrolled yet"
    );
    assert_eq!(user.second_factor, None);
    assert_eq!(
        alice.call(&app, "otp_session", &[]).await.err(),
        AppError::SecondFactorSetupRequired
    );

    let enrolment: TotpEnrolment = alice.call(&app, "totp_begin", &[]).await.ok();
    assert!(
        enrolment
            .otpauth_uri
            .starts_with("otpauth://totp/Pli:alice%40example.org?"),
        "{}",
        enrolment.otpauth_uri
    );
    assert!(enrolment.otpauth_uri.contains("issuer=Pli"));
    assert_eq!(enrolment.secret_base32.len(), 32, "160-bit secret");
    assert!(!enrolment.qr_png_base64.is_empty());
    assert_eq!(
        alice
            .call(&app, "totp_confirm", &[("code", "000000")])
            .await
            .err(),
        AppError::BadCode
    );
    let code = totp_code(&enrolment.secret_base32, now_s(&app));
    let codes: Vec<String> = alice
        .call(&app, "totp_confirm", &[("code", &code)])
        .await
        .ok();
    assert_eq!(codes.len(), 10);
    let user = alice.auth_state(&app).await.user.expect("signed in");
    assert_eq!(user.second_factor, Some(SecondFactorMethod::Totp));
    assert_eq!(user.recovery_codes_left, 10);
    assert!(
        user.otp_seconds_left.is_some(),
        "enrolment opens an OTP session"
    );

    alice.sign_out(&app).await;
    assert_eq!(alice.auth_state(&app).await, AuthState::default());

    app.state.clock.advance(TimeDelta::seconds(30));
    let pending: AuthState = alice.sign_in(&app).await.ok();
    assert!(pending.awaiting_second_factor());
    assert_eq!(
        alice.call(&app, "otp_session", &[]).await.err(),
        AppError::SignInRequired,
        "no qualified action before the second factor"
    );
    let now = now_s(&app);
    let code = match validators::pyotp(&enrolment.secret_base32, now) {
        Some(code) => code,
        None => {
            assert!(
                std::env::var_os("PLI_TEST_REQUIRE_POSTGRES").is_none(),
                "pyotp missing from the test venv"
            );
            eprintln!("pyotp unavailable: using totp-rs");
            totp_code(&enrolment.secret_base32, now)
        }
    };
    assert_eq!(
        code,
        totp_code(&enrolment.secret_base32, now),
        "pyotp agrees"
    );
    let state: AuthState = alice.second_factor(&app, &code).await.ok();
    assert!(state.signed_in());
    let otp: OtpSessionInfo = alice.call(&app, "otp_session", &[]).await.ok();
    assert_eq!(otp.seconds_left, 15 * 60);

    let journal = actions(&app).await;
    for action in [
        "sign_up",
        "sign_in_refused_unconfirmed",
        "email_confirmed",
        "sign_in_success",
        "second_factor_failure",
        "totp_enrolled",
        "otp_session_opened",
        "logout",
        "second_factor_success",
    ] {
        assert!(
            journal.iter().any(|a| a == action),
            "{action} in {journal:?}"
        );
    }
    // Who, from where, which sessions (AUTH-05).
    let document = last_event(&app, "second_factor_success").await;
    assert_eq!(document["details"]["ip"], "127.0.0.1");
    assert_eq!(document["details"]["user_agent"], USER_AGENT);
    assert_eq!(document["details"]["session_id"], otp.login_session_id);
    assert!(document["time"].as_str().expect("time").ends_with('Z'));
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// Sign-up rules (password length, terms) with clear errors; the accepted terms version is
/// recorded; an address that already has an account gets the same answer (and an email).
async fn sign_up_rules_and_no_enumeration_of_existing_addresses(backend: Backend) {
    let app = spawn_app(backend).await;
    let attempt = |password: &'static str, terms: Option<&'static str>, version: &'static str| {
        let mut form = vec![
            ("name", "Bob"),
            ("email", "bob@example.org"),
            ("password", password),
            ("terms_version", version),
        ];
        if let Some(terms) = terms {
            form.push(("accept_terms", terms));
        }
        let app = &app;
        async move { visitor("bob@example.org").call(app, "sign_up", &form).await }
    };
    assert_eq!(
        attempt("too short", Some("on"), TERMS_VERSION).await.err(),
        AppError::Invalid(Invalid::Password)
    );
    assert_eq!(
        attempt(PASSWORD, None, TERMS_VERSION).await.err(),
        AppError::Invalid(Invalid::Terms)
    );
    assert_eq!(
        attempt(PASSWORD, Some("on"), "1999-01").await.err(),
        AppError::Invalid(Invalid::Terms),
        "an outdated version of the terms"
    );
    let first = attempt(PASSWORD, Some("on"), TERMS_VERSION).await;
    first.ok::<()>();
    let (version, hash): (String, String) =
        sqlx::query_as("SELECT terms_version, password_hash FROM account WHERE email_key = $1")
            .bind("bob@example.org")
            .fetch_one(app.state.db.pool())
            .await
            .expect("account");
    assert_eq!(version, TERMS_VERSION);
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(PASSWORD));

    let again = attempt(PASSWORD, Some("on"), TERMS_VERSION).await;
    assert_eq!(again.status, first.status);
    assert_eq!(
        again.body, first.body,
        "same answer for an existing address"
    );
    let mails = common::records::mails(&app, "bob@example.org").await;
    let subjects = mails.iter().filter(|(s, _)| s.contains("already")).count();
    assert_eq!(subjects, 1, "the owner is told by email");
    app.stop().await;
}

/// Emailed links are single-use and valid 15 minutes exactly (issue 4, ACC-02's rule).
async fn confirmation_link_expires_at_15_minutes_and_works_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let late = visitor("late@example.org");
    late.sign_up(&app).await.ok::<()>();
    let token = link_token(&app, &late.email).await;
    app.state.clock.advance(TimeDelta::minutes(15));
    let confirm = async |token: &str| late.call(&app, "confirm_email", &[("token", token)]).await;
    assert_eq!(
        confirm(&token).await.err(),
        AppError::LinkInvalid,
        "expired at 15:00"
    );
    assert_eq!(confirm("forged").await.err(), AppError::LinkInvalid);

    // Signing in with the right password sends a new link; at 14:59 it still works, once.
    assert_eq!(late.sign_in(&app).await.err(), AppError::EmailNotConfirmed);
    let token = link_token(&app, &late.email).await;
    app.state
        .clock
        .advance(TimeDelta::minutes(14) + TimeDelta::seconds(59));
    confirm(&token).await.ok::<()>();
    assert_eq!(
        confirm(&token).await.err(),
        AppError::LinkInvalid,
        "single use"
    );
    late.sign_in(&app).await.ok::<AuthState>();
    app.stop().await;
}

/// AUTH-01: a code is refused when its time step was already accepted, even within the ±1
/// step window; the next step's code is accepted; ±2 steps of drift are refused.
async fn totp_time_step_is_never_accepted_twice(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = account(&app, "steps@example.org", NAME).await;
    user.sign_out(&app).await;
    // The enrolment used the step 30 s ago; from 90 s later, the steps before are fresh.
    app.state.clock.advance(TimeDelta::seconds(60));
    user.sign_in(&app).await.ok::<AuthState>();
    let now = now_s(&app);
    assert_eq!(
        user.second_factor(&app, &user.code_at(now - 60))
            .await
            .err(),
        AppError::BadCode,
        "two steps behind"
    );
    let code = user.code_at(now - 30);
    user.second_factor(&app, &code).await.ok::<AuthState>();
    // Same code again (OTP session renewal): refused, as is the previous step.
    assert_eq!(
        user.second_factor(&app, &code).await.err(),
        AppError::BadCode
    );
    assert_eq!(
        user.second_factor(&app, &user.code_at(now - 60))
            .await
            .err(),
        AppError::BadCode
    );
    user.second_factor(&app, &user.code_at(now))
        .await
        .ok::<AuthState>();
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// AUTH-01: a recovery code replaces an app code once.
async fn recovery_code_signs_in_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = account(&app, "lost-phone@example.org", NAME).await;
    let codes = &user.recovery_codes;
    user.sign_out(&app).await;
    user.sign_in(&app).await.ok::<AuthState>();
    let state: AuthState = user
        .second_factor(&app, &codes[3].to_uppercase())
        .await
        .ok();
    assert!(state.signed_in());
    assert_eq!(state.user.expect("user").recovery_codes_left, 9);
    user.sign_out(&app).await;
    user.sign_in(&app).await.ok::<AuthState>();
    assert_eq!(
        user.second_factor(&app, &codes[3]).await.err(),
        AppError::BadCode,
        "spent"
    );
    app.stop().await;
}

/// AUTH-02: the OTP session lasts exactly 15 minutes — live at 14:59, gone at 15:00 — then
/// the user, still signed in, opens a new one (new id) with a fresh code.
async fn otp_session_lasts_exactly_15_minutes(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = account(&app, "otp@example.org", NAME).await;
    user.sign_out(&app).await;
    user.sign_in(&app).await.ok::<AuthState>();
    user.second_factor(&app, &user.code_at(now_s(&app)))
        .await
        .ok::<AuthState>();
    let first: OtpSessionInfo = user.call(&app, "otp_session", &[]).await.ok();
    assert_eq!(first.seconds_left, 900);

    app.state
        .clock
        .advance(TimeDelta::minutes(14) + TimeDelta::seconds(59));
    let still: OtpSessionInfo = user.call(&app, "otp_session", &[]).await.ok();
    assert_eq!(still.otp_session_id, first.otp_session_id);
    assert_eq!(still.seconds_left, 1);

    app.state.clock.advance(TimeDelta::seconds(1));
    assert_eq!(
        user.call(&app, "otp_session", &[]).await.err(),
        AppError::OtpSessionRequired
    );
    let state = user.auth_state(&app).await;
    assert!(state.signed_in(), "still signed in");
    assert_eq!(state.user.expect("user").otp_seconds_left, None);

    user.second_factor(&app, &user.code_at(now_s(&app)))
        .await
        .ok::<AuthState>();
    let renewed: OtpSessionInfo = user.call(&app, "otp_session", &[]).await.ok();
    assert_ne!(renewed.otp_session_id, first.otp_session_id);
    assert_eq!(renewed.login_session_id, first.login_session_id);
    let journal = actions(&app).await;
    assert_eq!(
        journal
            .iter()
            .filter(|a| *a == "otp_session_expired")
            .count(),
        1,
        "{journal:?}"
    );
    app.stop().await;
}

/// AUTH-03: 15 minutes without a request end the session (server side); any request before
/// that counts as activity.
async fn inactivity_signs_out_after_15_minutes(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = confirmed(&app, "idle@example.org", NAME).await;
    user.sign_in(&app).await.ok::<AuthState>();
    app.state
        .clock
        .advance(TimeDelta::minutes(14) + TimeDelta::seconds(59));
    assert!(
        user.auth_state(&app).await.signed_in(),
        "14:59 idle: still in"
    );
    app.state.clock.advance(TimeDelta::minutes(15));
    let reply = user.call(&app, "auth_state", &[]).await;
    let state: AuthState = reply.ok();
    assert_eq!(state.user, None);
    assert!(state.signed_out_for_inactivity);
    assert_eq!(reply.session_token().as_deref(), Some(""), "cookie removed");
    assert_eq!(
        user.call(&app, "totp_begin", &[]).await.err(),
        AppError::SignInRequired
    );
    assert!(
        actions(&app)
            .await
            .contains(&"inactivity_logout".to_owned())
    );

    // The browser's own timer signs out too (AUTH-03, in the browser), journaled as such.
    user.sign_in(&app).await.ok::<AuthState>();
    user.call(&app, "sign_out", &[("inactivity", "browser")])
        .await
        .ok::<()>();
    assert_eq!(user.auth_state(&app).await.user, None);
    let by: Vec<String> = events(&app, "inactivity_logout")
        .await
        .iter()
        .map(|d| {
            d["details"]["detected_by"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(by, ["server", "browser"]);
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// Sign-in attempts: 5 failures per account in 15 minutes, then a clear "retry in N minutes";
/// an unknown address gets the same messages, in a similar time (argon2 work either way).
async fn sign_in_is_rate_limited_without_enumeration(backend: Backend) {
    let app = spawn_app(backend).await;
    let target = confirmed(&app, "target@example.org", NAME).await;
    let nobody = visitor("nobody@example.org");
    let mut known = std::time::Duration::ZERO;
    let mut unknown = std::time::Duration::ZERO;
    for _ in 0..5 {
        let wrong = target.sign_in_with(&app, "wrong password!").await;
        assert_eq!(wrong.err(), AppError::BadCredentials);
        known += wrong.elapsed;
        let nobody = nobody.sign_in_with(&app, "wrong password!").await;
        assert_eq!(nobody.err(), AppError::BadCredentials);
        assert_eq!(nobody.body, wrong.body, "same answer");
        unknown += nobody.elapsed;
    }
    let ratio = known.as_secs_f64() / unknown.as_secs_f64();
    assert!(
        (0.25..4.0).contains(&ratio),
        "similar timing: {known:?} vs {unknown:?}"
    );
    // The sixth attempt is refused even with the right password; same for the unknown one.
    let blocked = target.sign_in(&app).await;
    assert_eq!(blocked.err(), AppError::TooManyAttempts { minutes: 15 });
    assert_eq!(blocked.status, 429, "user errors are 4xx, not 500");
    assert_eq!(nobody.sign_in(&app).await.body, blocked.body);
    assert!(
        blocked
            .err()
            .message(app::i18n::Lang::En)
            .contains("Try again in 15 minute"),
    );
    app.state.clock.advance(TimeDelta::minutes(10));
    assert_eq!(
        target.sign_in(&app).await.err(),
        AppError::TooManyAttempts { minutes: 5 }
    );
    app.state.clock.advance(TimeDelta::minutes(5));
    target.sign_in(&app).await.ok::<AuthState>();
    app.stop().await;
}

/// Second-factor attempts are rate-limited per account too.
async fn second_factor_is_rate_limited(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = account(&app, "guess@example.org", NAME).await;
    user.sign_out(&app).await;
    user.sign_in(&app).await.ok::<AuthState>();
    for _ in 0..5 {
        assert_eq!(
            user.second_factor(&app, "000000").await.err(),
            AppError::BadCode
        );
    }
    let good = user.code_at(now_s(&app));
    assert_eq!(
        user.second_factor(&app, &good).await.err(),
        AppError::TooManyAttempts { minutes: 15 }
    );
    app.state.clock.advance(TimeDelta::minutes(15));
    // 15 idle minutes also ended the pending session: sign in again.
    user.sign_in(&app).await.ok::<AuthState>();
    let good = user.code_at(now_s(&app));
    user.second_factor(&app, &good).await.ok::<AuthState>();
    app.stop().await;
}

/// Session cookie: HttpOnly, SameSite=Lax, Path=/, not Secure over plain http (development);
/// a new session id at sign-in and after the second factor; the old ones stop working.
async fn session_cookie_attributes_and_rotation(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = account(&app, "cookie@example.org", NAME).await;
    user.sign_out(&app).await;
    let reply = user.sign_in(&app).await;
    let cookies = reply.set_cookies();
    let cookie = cookies
        .iter()
        .find(|c| c.starts_with("pli_session="))
        .expect("session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http in development");
    let first = reply.session_token().expect("token");
    assert_eq!(first.len(), 43, "256 bits, base64url");
    let reply = user.second_factor(&app, &user.code_at(now_s(&app))).await;
    let second = reply.session_token().expect("rotated at privilege change");
    assert_ne!(first, second);
    // The pre-2FA token is dead: a client holding it is not signed in.
    let stale = common::browser();
    let with_old = stale
        .post(format!("{}/api/auth_state", app.url))
        .header("origin", &app.url)
        .header("cookie", format!("pli_session={first}"))
        .send()
        .await
        .expect("POST");
    let state: AuthState = with_old.json().await.expect("json");
    assert_eq!(state.user, None);
    // The database holds hashes only.
    let stored = count(
        &app,
        "SELECT COUNT(*) FROM login_session WHERE token_hash = $1",
        &[&second],
    )
    .await;
    assert_eq!(stored, 0);
    app.stop().await;
}

/// The session cookie is `Secure` when the service is reached over https.
async fn secure_cookie_over_https(backend: Backend) {
    let app = spawn_app_with(backend, |config| {
        config.server.public_url = "https://pli.example".to_owned();
    })
    .await;
    let user = confirmed(&app, "tls@example.org", NAME).await;
    let cookies = user.sign_in(&app).await.set_cookies();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("pli_session=") && c.contains("; Secure")),
        "{cookies:?}"
    );
    app.stop().await;
}

/// CSRF: state-changing requests from another origin, or with no origin at all, are refused;
/// same-origin ones (Origin or Referer) pass.
async fn cross_origin_state_changes_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let post = |headers: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let mut request = app.client.post(format!("{}/api/sign_in", app.url)).form(&[
                ("email", "a@example.org"),
                ("password", "whatever-password"),
            ]);
            for (name, value) in headers {
                request = request.header(name, value);
            }
            request.send().await.expect("POST").status().as_u16()
        }
    };
    assert_eq!(
        post(vec![("origin", "https://evil.example".into())]).await,
        403
    );
    assert_eq!(post(vec![]).await, 403, "no Origin, no Referer");
    assert_eq!(
        post(vec![("referer", "https://evil.example/page".into())]).await,
        403
    );
    // Same origin: reaches the server function (which refuses the credentials: 401).
    assert_eq!(post(vec![("origin", app.url.clone())]).await, 401);
    assert_eq!(
        post(vec![("referer", format!("{}/signin", app.url))]).await,
        401
    );
    assert_eq!(
        post(vec![("origin", "http://localhost:3000".into())]).await,
        401,
        "the configured public URL"
    );
    // Reading stays open.
    assert_eq!(app.get("/healthz").await.status(), 200);
    app.stop().await;
}

/// Security headers: a Content-Security-Policy without 'unsafe-inline' whose nonce is the one
/// on Leptos' inline hydration script (the Playwright suite proves the WASM app still runs).
async fn pages_carry_a_strict_content_security_policy_with_the_script_nonce(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.get("/signin").await;
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    for directive in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(policy.contains(directive), "{directive} in {policy}");
    }
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce")
        .to_owned();
    let html = response.text().await.expect("body");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "scripts carry the nonce"
    );
    let again = app.get("/signin").await;
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .expect("ascii")
            .contains(&nonce),
        "a new nonce per response"
    );
    let probe = app.get("/healthz").await;
    assert_eq!(probe.headers()["x-content-type-options"], "nosniff");
    app.stop().await;
}

fn identity(state: &AuthState) -> IdentityStatus {
    state.user.as_ref().expect("signed in").identity.clone()
}

/// Runs a proofing through the simulator with the tester's `success` and name.
async fn prove_identity(app: &TestApp, user: &User, success: bool, name: &str) -> AuthState {
    let redirect: String = user.call(app, "proofing_start", &[]).await.ok();
    let session = simulator_session(&redirect);
    assert!(redirect.starts_with(&app.state.config.server.public_url));
    assert_eq!(
        identity(&user.auth_state(app).await),
        IdentityStatus::Pending
    );
    let shown: SimulatorSession = user
        .call(app, "dev_identity_get", &[("id", &session)])
        .await
        .ok();
    assert_eq!(shown.expected_name, NAME);
    assert!(!shown.decided);
    let back = common::flows::simulator(app, user, &redirect, name, success).await;
    assert!(back.contains("/profile?proofing="), "{back}");
    // The provider's decision is final.
    assert_eq!(
        user.call(
            app,
            "dev_identity_decide",
            &[
                ("id", &session),
                ("outcome", "success"),
                ("verified_name", name)
            ],
        )
        .await
        .err(),
        AppError::NotFound
    );
    user.auth_state(app).await
}

/// ID-01, ID-02, ID-04: identity proofing through the provider interface with the built-in,
/// not qualified simulator: start → provider page → result (failure, then success) recorded
/// and journaled with the provider session id and the verified name; qualified actions need
/// both a live OTP session and a successful proofing.
async fn identity_proofing_with_the_simulator_gates_qualified_actions(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = account(&app, "proof@example.org", NAME).await;
    assert_eq!(
        identity(&user.auth_state(&app).await),
        IdentityStatus::NotVerified
    );
    assert_eq!(
        user.call(&app, "qualified_action", &[]).await.err(),
        AppError::IdentityProofingRequired
    );

    let failed = prove_identity(&app, &user, false, NAME).await;
    assert_eq!(identity(&failed), IdentityStatus::Failed { reason: None });
    let verified = prove_identity(&app, &user, true, "Alice MARTIN").await;
    assert_eq!(
        identity(&verified),
        IdentityStatus::Verified {
            verified_name: "Alice MARTIN".to_owned(),
            qualified_provider: false,
        }
    );
    let allowed: QualifiedAction = user.call(&app, "qualified_action", &[]).await.ok();
    assert_eq!(allowed.verified_name, "Alice MARTIN");
    let (provider, session, status): (String, String, String) = sqlx::query_as(
        "SELECT provider, provider_session_id, status FROM identity_proofing WHERE id = $1",
    )
    .bind(&allowed.identification_id)
    .fetch_one(app.state.db.pool())
    .await
    .expect("identification record");
    assert_eq!(
        (provider.as_str(), status.as_str()),
        ("simulator", "succeeded")
    );

    // The OTP session still rules: after 15 minutes, a fresh code first.
    app.state.clock.advance(TimeDelta::minutes(10));
    assert!(user.auth_state(&app).await.signed_in());
    app.state.clock.advance(TimeDelta::minutes(5));
    assert_eq!(
        user.call(&app, "qualified_action", &[]).await.err(),
        AppError::OtpSessionRequired
    );

    let document = last_event(&app, "proofing_succeeded").await;
    assert_eq!(document["details"]["provider_session_id"], session);
    assert_eq!(document["details"]["verified_name"], "Alice MARTIN");
    assert_eq!(document["details"]["qualified_provider"], false);
    let journal = actions(&app).await;
    for action in ["proofing_started", "proofing_failed", "proofing_succeeded"] {
        assert!(
            journal.iter().any(|a| a == action),
            "{action} in {journal:?}"
        );
    }
    // ID-04: the successful proofing (only it) yields a sealed identification evidence that
    // independent validators accept and that names the provider session, user and result.
    let proofings: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT status, evidence_id FROM identity_proofing ORDER BY started_at")
            .fetch_all(app.state.db.pool())
            .await
            .expect("proofings");
    assert!(
        proofings
            .iter()
            .all(|(status, evidence)| (status == "succeeded") == evidence.is_some()),
        "{proofings:?}"
    );
    let evidence_id = proofings
        .iter()
        .find_map(|(_, e)| e.clone())
        .expect("identification evidence");
    let (kind, pdf) = evidence(&app, &evidence_id).await;
    assert_eq!(kind, "Identification");
    let report = assert_valid_evidence(&app, &pdf);
    assert_eq!(report.evidence_id.as_deref(), Some(evidence_id.as_str()));
    // The result in the policy's words (§4.6, §9.6), French first.
    let text = common::records::pdftotext(&pdf);
    assert!(text.contains("Réussi / Succeeded"), "{text}");
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// ACC-01, ACC-02: deactivation from the profile signs out everywhere and mails a
/// confirmation with a reactivation button; signing in then sends a reactivation link valid
/// 15 minutes, once; after reactivation a confirmation email, and qualified actions need a new
/// identity proofing.
async fn deactivation_and_reactivation_by_emailed_link(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = "leaving@example.org";
    let user = account(&app, email, NAME).await;
    prove_identity(&app, &user, true, NAME).await;
    user.call(&app, "qualified_action", &[])
        .await
        .ok::<QualifiedAction>();

    let other_device = visitor(email);
    let reply = other_device.sign_in(&app).await;
    assert!(reply.ok::<AuthState>().awaiting_second_factor());

    let reply = user.call(&app, "deactivate_account", &[]).await;
    reply.ok::<()>();
    assert_eq!(reply.session_token().as_deref(), Some(""), "cookie removed");
    assert_eq!(user.auth_state(&app).await.user, None);
    assert_eq!(
        other_device.auth_state(&app).await.user,
        None,
        "every session ended"
    );
    let (subject, text) = last_mail(&app, email).await;
    assert!(subject.contains("désactivé"), "{subject}");
    assert!(text.contains("/signin?reactivate=1"), "{text}");

    // Sign-in offers reactivation by email; the link expires at 15:00.
    assert_eq!(user.sign_in(&app).await.err(), AppError::AccountDeactivated);
    assert_eq!(
        user.sign_in_with(&app, "wrong password!").await.err(),
        AppError::BadCredentials,
        "no reactivation without the password"
    );
    let reactivate = async |token: &str| {
        user.call(&app, "reactivate_account", &[("token", token)])
            .await
    };
    let token = link_token(&app, email).await;
    app.state.clock.advance(TimeDelta::minutes(15));
    assert_eq!(reactivate(&token).await.err(), AppError::LinkInvalid);
    assert_eq!(user.sign_in(&app).await.err(), AppError::AccountDeactivated);
    let token = link_token(&app, email).await;
    assert_eq!(
        user.call(&app, "confirm_email", &[("token", &token)])
            .await
            .err(),
        AppError::LinkInvalid,
        "a link serves its own purpose only"
    );
    reactivate(&token).await.ok::<()>();
    assert_eq!(
        reactivate(&token).await.err(),
        AppError::LinkInvalid,
        "single use"
    );
    let (subject, _) = last_mail(&app, email).await;
    assert!(subject.contains("réactivé"), "{subject}");

    // Active again: sign-in with the second factor, but a new proofing is required.
    user.sign_in(&app).await.ok::<AuthState>();
    app.state.clock.advance(TimeDelta::seconds(30));
    let state: AuthState = user
        .second_factor(&app, &user.code_at(now_s(&app)))
        .await
        .ok();
    assert_eq!(identity(&state), IdentityStatus::NotVerified);
    assert_eq!(
        user.call(&app, "qualified_action", &[]).await.err(),
        AppError::IdentityProofingRequired
    );
    prove_identity(&app, &user, true, NAME).await;
    user.call(&app, "qualified_action", &[])
        .await
        .ok::<QualifiedAction>();

    let journal = actions(&app).await;
    for action in [
        "account_deactivated",
        "reactivation_requested",
        "account_reactivated",
    ] {
        assert!(
            journal.iter().any(|a| a == action),
            "{action} in {journal:?}"
        );
    }
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// AUTH-01, OPS-03: the authenticator app can be replaced or removed from the profile, only
/// within a live OTP session; both are journaled.
async fn second_factor_is_replaced_or_removed_only_with_a_fresh_code(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = "phone-change@example.org";
    let user = account(&app, email, NAME).await;
    let old_secret = user.totp_secret.clone().expect("enrolled");
    app.state.clock.advance(TimeDelta::minutes(10));
    assert!(user.auth_state(&app).await.signed_in());
    app.state.clock.advance(TimeDelta::minutes(5));
    assert_eq!(
        user.call(&app, "totp_begin", &[]).await.err(),
        AppError::OtpSessionRequired
    );
    assert_eq!(
        user.call(&app, "totp_remove", &[]).await.err(),
        AppError::OtpSessionRequired
    );
    user.second_factor(&app, &totp_code(&old_secret, now_s(&app)))
        .await
        .ok::<AuthState>();

    let enrolment: TotpEnrolment = user.call(&app, "totp_begin", &[]).await.ok();
    assert_ne!(enrolment.secret_base32, old_secret);
    let code = totp_code(&enrolment.secret_base32, now_s(&app));
    let codes: Vec<String> = user
        .call(&app, "totp_confirm", &[("code", &code)])
        .await
        .ok();
    assert_eq!(codes.len(), 10);

    // The old app's codes no longer work.
    user.sign_out(&app).await;
    app.state.clock.advance(TimeDelta::seconds(30));
    user.sign_in(&app).await.ok::<AuthState>();
    assert_eq!(
        user.second_factor(&app, &totp_code(&old_secret, now_s(&app)))
            .await
            .err(),
        AppError::BadCode
    );
    user.second_factor(&app, &totp_code(&enrolment.secret_base32, now_s(&app)))
        .await
        .ok::<AuthState>();

    user.call(&app, "totp_remove", &[]).await.ok::<()>();
    let shown = user.auth_state(&app).await.user.expect("still signed in");
    assert_eq!(shown.second_factor, None);
    assert_eq!(shown.recovery_codes_left, 0);
    assert_eq!(
        user.call(&app, "otp_session", &[]).await.err(),
        AppError::SecondFactorSetupRequired
    );
    let journal = actions(&app).await;
    assert!(journal.contains(&"totp_removed".to_owned()), "{journal:?}");
    let document = last_event(&app, "totp_enrolled").await;
    assert_eq!(document["details"]["replaced"], true);
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// The journal and the per-IP limits see the client's address: `X-Forwarded-For` counts only
/// when the connection comes from a configured trusted proxy.
async fn client_address_comes_from_trusted_proxies_only(backend: Backend) {
    let forwarded_sign_in = |app: &TestApp| {
        app.client
            .post(format!("{}/api/sign_in", app.url))
            .header("origin", &app.url)
            .header("x-forwarded-for", "203.0.113.7")
            .form(&[("email", "x@example.org"), ("password", "wrong password!")])
            .send()
    };
    let last_ip = async |app: &TestApp| {
        last_event(app, "sign_in_failure").await["details"]["ip"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let direct = spawn_app(backend).await;
    forwarded_sign_in(&direct).await.expect("POST");
    assert_eq!(last_ip(&direct).await, "127.0.0.1", "header ignored");
    direct.stop().await;

    let proxied = spawn_app_with(backend, |config| {
        config.server.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    })
    .await;
    forwarded_sign_in(&proxied).await.expect("POST");
    assert_eq!(last_ip(&proxied).await, "203.0.113.7");
    proxied.stop().await;
}

/// ID-01: a provider may push its result to `/identity/callback/<provider>` instead of being
/// polled; only a correctly signed callback is accepted (no Origin needed: it comes from the
/// provider's server), and a refused one is journaled.
async fn identity_provider_callbacks_must_be_signed(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = common::flows::account(&app, "pushed@example.org", NAME).await;
    let redirect: String = user.call(&app, "proofing_start", &[]).await.ok();
    let session = redirect.rsplit('/').next().expect("session").to_owned();
    let body = |session: &str| {
        serde_json::json!({ "provider_session_id": session, "status": "succeeded",
                            "verified_name": "Alice MARTIN" })
        .to_string()
    };
    let push = |provider: &'static str, body: String, signature: String| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/identity/callback/{provider}", app.url))
                .header("x-pli-signature", signature)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .expect("POST")
                .status()
                .as_u16()
        }
    };
    let forged = body(&session);
    assert_eq!(
        push(
            "simulator",
            forged.clone(),
            format!("sha256={}", "00".repeat(32))
        )
        .await,
        401
    );
    assert_eq!(push("simulator", forged.clone(), String::new()).await, 401);
    assert_eq!(
        identity(&user.auth_state(&app).await),
        IdentityStatus::Pending
    );
    assert!(
        actions(&app)
            .await
            .contains(&"proofing_callback_refused".to_owned())
    );

    let unknown = body("no-such-session");
    let signature = server::identity::simulator_signature(unknown.as_bytes());
    assert_eq!(push("simulator", unknown, signature).await, 404);
    let signature = server::identity::simulator_signature(forged.as_bytes());
    assert_eq!(
        push("acme-pvid", forged.clone(), signature.clone()).await,
        404
    );
    assert_eq!(push("simulator", forged, signature).await, 204);
    assert_eq!(
        identity(&user.auth_state(&app).await),
        IdentityStatus::Verified {
            verified_name: "Alice MARTIN".to_owned(),
            qualified_provider: false,
        }
    );
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// Policy §6, §13.7, AUTH-01 (issue 10): after sign-up, the only thing an account can do before
/// enrolling a second factor is enrol it — no contacts, drafts, inbox or identity proofing
/// with a password alone; once TOTP is enrolled, they open.
async fn auth_01_before_enrolling_a_second_factor_an_account_can_only_enrol_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut user = common::flows::signed_in(&app, "fresh@example.org", NAME).await;
    for endpoint in [
        "contacts",
        "draft_create",
        "inbox",
        "sent_letters",
        "proofing_start",
    ] {
        assert_eq!(
            user.call(&app, endpoint, &[]).await.err(),
            AppError::SecondFactorSetupRequired,
            "{endpoint}"
        );
    }
    let state: AuthState = user.auth_state(&app).await;
    assert!(state.signed_in());
    user.enrol_totp(&app).await;
    for endpoint in ["contacts", "inbox", "sent_letters"] {
        assert!(
            user.call(&app, endpoint, &[]).await.status.is_success(),
            "{endpoint}"
        );
    }
    app.stop().await;
}
