//! Accounts through the running server, calling the server functions over HTTP as the browser
//! does (form-encoded POST to `/api/<endpoint>`), with time driven by the manual clock; each
//! on SQLite and on PostgreSQL (issue 4: AUTH-01..05, OPS-03).

mod common;

use std::time::Instant;

use app::error::AppError;
use app::types::{
    AuthState, IdentityStatus, OtpSessionInfo, QualifiedAction, SecondFactorMethod,
    SimulatorSession, TERMS_VERSION, TotpEnrolment,
};
use app::validation::Invalid;
use chrono::TimeDelta;
use common::{Backend, TestApp, spawn_app, spawn_app_with};
use serde::de::DeserializeOwned;
use server::ledger;

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
    deactivation_and_reactivation_by_emailed_link,
    second_factor_is_replaced_or_removed_only_with_a_fresh_code,
    client_address_comes_from_trusted_proxies_only,
    identity_provider_callbacks_must_be_signed,
);

const PASSWORD: &str = "correct horse battery staple";

/// The answer of a server function.
struct Reply {
    status: reqwest::StatusCode,
    set_cookies: Vec<String>,
    body: String,
    elapsed: std::time::Duration,
}

impl Reply {
    fn ok<T: DeserializeOwned>(&self) -> T {
        assert!(self.status.is_success(), "{}: {}", self.status, self.body);
        serde_json::from_str(&self.body).expect("server function output")
    }

    fn err(&self) -> AppError {
        assert!(
            !self.status.is_success(),
            "expected an error: {}",
            self.body
        );
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The session token the response set (None: none set; Some(""): cookie removed).
    fn session_token(&self) -> Option<String> {
        self.set_cookies.iter().find_map(|c| {
            c.strip_prefix("pli_session=")
                .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
        })
    }
}

/// POSTs form fields to a server function, from our own origin, with `client`'s cookies.
async fn call_with(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    form: &[(&str, &str)],
) -> Reply {
    // As a browser on our pages would send it (behind TLS: the public https origin).
    let public = &app.state.config.server.public_url;
    let origin = if public.starts_with("https://") {
        public
    } else {
        &app.url
    };
    let started = Instant::now();
    let response = client
        .post(format!("{}/api/{endpoint}", app.url))
        .header("origin", origin)
        .header("user-agent", "accounts-test")
        .form(form)
        .send()
        .await
        .expect("POST");
    let elapsed = started.elapsed();
    let status = response.status();
    let set_cookies = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .collect();
    let body = response.text().await.expect("body");
    Reply {
        status,
        set_cookies,
        body,
        elapsed,
    }
}

async fn call(app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> Reply {
    call_with(app, &app.client, endpoint, form).await
}

fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn sign_up(app: &TestApp, email: &str) -> Reply {
    call(
        app,
        "sign_up",
        &[
            ("name", "Alice Martin"),
            ("email", email),
            ("password", PASSWORD),
            ("terms_version", TERMS_VERSION),
            ("accept_terms", "on"),
        ],
    )
    .await
}

/// The newest mail to `to` (subject, text) from the development mailbox, once the outbox
/// has delivered the queued mail.
async fn last_mail(app: &TestApp, to: &str) -> (String, String) {
    common::flows::settle(app).await;
    sqlx::query_as(
        "SELECT subject, text_body FROM dev_mailbox WHERE mail_to = $1 ORDER BY sent_at DESC, id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_one(app.state.db.pool())
    .await
    .expect("a mail")
}

/// The token of the last link mailed to `to` (from the development mailbox).
async fn last_link_token(app: &TestApp, to: &str) -> String {
    let (_, text) = last_mail(app, to).await;
    let start = text.find("token=").expect("a link with a token") + "token=".len();
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '"')
        .next()
        .expect("token")
        .to_owned()
}

/// Signs up and confirms `email`; returns nothing, the account is ready to sign in.
async fn confirmed_account(app: &TestApp, email: &str) {
    sign_up(app, email).await.ok::<()>();
    let token = last_link_token(app, email).await;
    call(app, "confirm_email", &[("token", &token)])
        .await
        .ok::<()>();
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> Reply {
    call(app, "sign_in", &[("email", email), ("password", password)]).await
}

fn totp_code(secret: &str, unix_seconds: i64) -> String {
    server::account::totp::generator(secret, "t")
        .expect("generator")
        .generate(unix_seconds as u64)
        .to_string()
}

fn now_s(app: &TestApp) -> i64 {
    app.state.clock.now().timestamp()
}

/// A confirmed account signed in with TOTP enrolled; returns the secret and recovery codes.
/// The clock then stands 30 s later, so the next code is from a new time step.
async fn enrolled_account(app: &TestApp, email: &str) -> (String, Vec<String>) {
    confirmed_account(app, email).await;
    sign_in(app, email, PASSWORD).await.ok::<AuthState>();
    let enrolment: TotpEnrolment = call(app, "totp_begin", &[]).await.ok();
    let code = totp_code(&enrolment.secret_base32, now_s(app));
    let codes: Vec<String> = call(app, "totp_confirm", &[("code", &code)]).await.ok();
    app.state.clock.advance(TimeDelta::seconds(30));
    (enrolment.secret_base32, codes)
}

async fn auth_state(app: &TestApp) -> AuthState {
    call(app, "auth_state", &[]).await.ok()
}

async fn actions(app: &TestApp) -> Vec<String> {
    sqlx::query_as::<_, (String,)>(
        "SELECT action FROM audit_event WHERE category = 'auth' ORDER BY recorded_at, id",
    )
    .fetch_all(app.state.db.pool())
    .await
    .expect("events")
    .into_iter()
    .map(|(a,)| a)
    .collect()
}

async fn assert_journal_intact(app: &TestApp) {
    let report = ledger::verify(&app.state.db).await.expect("verify");
    assert_eq!(report.first_break, None, "journal intact");
}

/// A code from an independent generator (pyotp, in the test venv).
fn pyotp_code(secret: &str, unix_seconds: i64) -> Option<String> {
    let python = std::env::var("PLI_CACHE")
        .map(|c| format!("{c}/venv/bin/python"))
        .unwrap_or_else(|_| {
            format!(
                "{}/.cache/pli/venv/bin/python",
                std::env::var("HOME").unwrap_or_default()
            )
        });
    let output = std::process::Command::new(python)
        .args([
            "-c",
            "import sys, pyotp; print(pyotp.TOTP(sys.argv[1]).at(int(sys.argv[2])))",
            secret,
            &unix_seconds.to_string(),
        ])
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// AUTH-01, AUTH-05, OPS-03: the whole journey over HTTP — sign-up, confirmation link from
/// the mailbox, sign-in, TOTP enrolment (QR code, otpauth URI, recovery codes), sign-out,
/// sign-in with a code from pyotp; every step in the journal, which stays intact.
async fn sign_up_confirm_sign_in_enrol_totp_sign_out_and_back_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = "alice@example.org";
    sign_up(&app, email).await.ok::<()>();
    // Not confirmed yet: the right password is refused with a clear message and a new link.
    assert_eq!(
        sign_in(&app, email, PASSWORD).await.err(),
        AppError::EmailNotConfirmed
    );
    let token = last_link_token(&app, email).await;
    call(&app, "confirm_email", &[("token", &token)])
        .await
        .ok::<()>();

    let signed_in: AuthState = sign_in(&app, email, PASSWORD).await.ok();
    let user = signed_in.user.expect("signed in");
    assert_eq!(user.name, "Alice Martin");
    assert!(
        !user.awaiting_second_factor,
        "no second factor enrolled yet"
    );
    assert_eq!(user.second_factor, None);
    assert_eq!(
        call(&app, "otp_session", &[]).await.err(),
        AppError::SecondFactorSetupRequired
    );

    let enrolment: TotpEnrolment = call(&app, "totp_begin", &[]).await.ok();
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
        call(&app, "totp_confirm", &[("code", "000000")])
            .await
            .err(),
        AppError::BadCode
    );
    let code = totp_code(&enrolment.secret_base32, now_s(&app));
    let codes: Vec<String> = call(&app, "totp_confirm", &[("code", &code)]).await.ok();
    assert_eq!(codes.len(), 10);
    let user = auth_state(&app).await.user.expect("signed in");
    assert_eq!(user.second_factor, Some(SecondFactorMethod::Totp));
    assert_eq!(user.recovery_codes_left, 10);
    assert!(
        user.otp_seconds_left.is_some(),
        "enrolment opens an OTP session"
    );

    call(&app, "sign_out", &[]).await.ok::<()>();
    assert_eq!(auth_state(&app).await, AuthState::default());

    app.state.clock.advance(TimeDelta::seconds(30));
    let pending: AuthState = sign_in(&app, email, PASSWORD).await.ok();
    assert!(pending.awaiting_second_factor());
    assert_eq!(
        call(&app, "otp_session", &[]).await.err(),
        AppError::SignInRequired,
        "no qualified action before the second factor"
    );
    let now = now_s(&app);
    let code = match pyotp_code(&enrolment.secret_base32, now) {
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
    let state: AuthState = call(&app, "second_factor", &[("code", &code)]).await.ok();
    assert!(state.signed_in());
    let otp: OtpSessionInfo = call(&app, "otp_session", &[]).await.ok();
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
    let (document,): (String,) =
        sqlx::query_as("SELECT document FROM audit_event WHERE action = 'second_factor_success'")
            .fetch_one(app.state.db.pool())
            .await
            .expect("event");
    let document: serde_json::Value = serde_json::from_str(&document).expect("json");
    assert_eq!(document["details"]["ip"], "127.0.0.1");
    assert_eq!(document["details"]["user_agent"], "accounts-test");
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
        async move { call(app, "sign_up", &form).await }
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
    let (version, hash): (String, String) = sqlx::query_as(
        "SELECT terms_version, password_hash FROM account WHERE email_key = 'bob@example.org'",
    )
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
    common::flows::settle(&app).await;
    let (subjects,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM dev_mailbox WHERE mail_to = 'bob@example.org' AND subject LIKE '%already%'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .expect("mails");
    assert_eq!(subjects, 1, "the owner is told by email");
    app.stop().await;
}

/// Emailed links are single-use and valid 15 minutes exactly (issue 4, ACC-02's rule).
async fn confirmation_link_expires_at_15_minutes_and_works_once(backend: Backend) {
    let app = spawn_app(backend).await;
    sign_up(&app, "late@example.org").await.ok::<()>();
    let token = last_link_token(&app, "late@example.org").await;
    app.state.clock.advance(TimeDelta::minutes(15));
    assert_eq!(
        call(&app, "confirm_email", &[("token", &token)])
            .await
            .err(),
        AppError::LinkInvalid,
        "expired at 15:00"
    );
    assert_eq!(
        call(&app, "confirm_email", &[("token", "forged")])
            .await
            .err(),
        AppError::LinkInvalid
    );

    // Signing in with the right password sends a new link; at 14:59 it still works, once.
    assert_eq!(
        sign_in(&app, "late@example.org", PASSWORD).await.err(),
        AppError::EmailNotConfirmed
    );
    let token = last_link_token(&app, "late@example.org").await;
    app.state
        .clock
        .advance(TimeDelta::minutes(14) + TimeDelta::seconds(59));
    call(&app, "confirm_email", &[("token", &token)])
        .await
        .ok::<()>();
    assert_eq!(
        call(&app, "confirm_email", &[("token", &token)])
            .await
            .err(),
        AppError::LinkInvalid,
        "single use"
    );
    sign_in(&app, "late@example.org", PASSWORD)
        .await
        .ok::<AuthState>();
    app.stop().await;
}

/// AUTH-01: a code is refused when its time step was already accepted, even within the ±1
/// step window; the next step's code is accepted; ±2 steps of drift are refused.
async fn totp_time_step_is_never_accepted_twice(backend: Backend) {
    let app = spawn_app(backend).await;
    let (secret, _) = enrolled_account(&app, "steps@example.org").await;
    call(&app, "sign_out", &[]).await.ok::<()>();
    // The enrolment used the step 30 s ago; from 90 s later, the steps before are fresh.
    app.state.clock.advance(TimeDelta::seconds(60));
    sign_in(&app, "steps@example.org", PASSWORD)
        .await
        .ok::<AuthState>();
    let now = now_s(&app);
    assert_eq!(
        call(
            &app,
            "second_factor",
            &[("code", &totp_code(&secret, now - 60))]
        )
        .await
        .err(),
        AppError::BadCode,
        "two steps behind"
    );
    let code = totp_code(&secret, now - 30);
    call(&app, "second_factor", &[("code", &code)])
        .await
        .ok::<AuthState>();
    // Same code again (OTP session renewal): refused, as is the previous step.
    assert_eq!(
        call(&app, "second_factor", &[("code", &code)]).await.err(),
        AppError::BadCode
    );
    assert_eq!(
        call(
            &app,
            "second_factor",
            &[("code", &totp_code(&secret, now - 60))]
        )
        .await
        .err(),
        AppError::BadCode
    );
    call(&app, "second_factor", &[("code", &totp_code(&secret, now))])
        .await
        .ok::<AuthState>();
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// AUTH-01: a recovery code replaces an app code once.
async fn recovery_code_signs_in_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, codes) = enrolled_account(&app, "lost-phone@example.org").await;
    call(&app, "sign_out", &[]).await.ok::<()>();
    sign_in(&app, "lost-phone@example.org", PASSWORD)
        .await
        .ok::<AuthState>();
    let state: AuthState = call(&app, "second_factor", &[("code", &codes[3].to_uppercase())])
        .await
        .ok();
    assert!(state.signed_in());
    assert_eq!(state.user.expect("user").recovery_codes_left, 9);
    call(&app, "sign_out", &[]).await.ok::<()>();
    sign_in(&app, "lost-phone@example.org", PASSWORD)
        .await
        .ok::<AuthState>();
    assert_eq!(
        call(&app, "second_factor", &[("code", &codes[3])])
            .await
            .err(),
        AppError::BadCode,
        "spent"
    );
    app.stop().await;
}

/// AUTH-02: the OTP session lasts exactly 15 minutes — live at 14:59, gone at 15:00 — then
/// the user, still signed in, opens a new one (new id) with a fresh code.
async fn otp_session_lasts_exactly_15_minutes(backend: Backend) {
    let app = spawn_app(backend).await;
    let (secret, _) = enrolled_account(&app, "otp@example.org").await;
    call(&app, "sign_out", &[]).await.ok::<()>();
    sign_in(&app, "otp@example.org", PASSWORD)
        .await
        .ok::<AuthState>();
    call(
        &app,
        "second_factor",
        &[("code", &totp_code(&secret, now_s(&app)))],
    )
    .await
    .ok::<AuthState>();
    let first: OtpSessionInfo = call(&app, "otp_session", &[]).await.ok();
    assert_eq!(first.seconds_left, 900);

    app.state
        .clock
        .advance(TimeDelta::minutes(14) + TimeDelta::seconds(59));
    let still: OtpSessionInfo = call(&app, "otp_session", &[]).await.ok();
    assert_eq!(still.otp_session_id, first.otp_session_id);
    assert_eq!(still.seconds_left, 1);

    app.state.clock.advance(TimeDelta::seconds(1));
    assert_eq!(
        call(&app, "otp_session", &[]).await.err(),
        AppError::OtpSessionRequired
    );
    let state = auth_state(&app).await;
    assert!(state.signed_in(), "still signed in");
    assert_eq!(state.user.expect("user").otp_seconds_left, None);

    call(
        &app,
        "second_factor",
        &[("code", &totp_code(&secret, now_s(&app)))],
    )
    .await
    .ok::<AuthState>();
    let renewed: OtpSessionInfo = call(&app, "otp_session", &[]).await.ok();
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
    confirmed_account(&app, "idle@example.org").await;
    sign_in(&app, "idle@example.org", PASSWORD)
        .await
        .ok::<AuthState>();
    app.state
        .clock
        .advance(TimeDelta::minutes(14) + TimeDelta::seconds(59));
    assert!(auth_state(&app).await.signed_in(), "14:59 idle: still in");
    app.state.clock.advance(TimeDelta::minutes(15));
    let reply = call(&app, "auth_state", &[]).await;
    let state: AuthState = reply.ok();
    assert_eq!(state.user, None);
    assert!(state.signed_out_for_inactivity);
    assert_eq!(reply.session_token().as_deref(), Some(""), "cookie removed");
    assert_eq!(
        call(&app, "totp_begin", &[]).await.err(),
        AppError::SignInRequired
    );
    assert!(
        actions(&app)
            .await
            .contains(&"inactivity_logout".to_owned())
    );

    // The browser's own timer signs out too (AUTH-03, in the browser), journaled as such.
    sign_in(&app, "idle@example.org", PASSWORD)
        .await
        .ok::<AuthState>();
    call(&app, "sign_out", &[("inactivity", "browser")])
        .await
        .ok::<()>();
    assert_eq!(auth_state(&app).await.user, None);
    let detected: Vec<(String,)> = sqlx::query_as(
        "SELECT document FROM audit_event WHERE action = 'inactivity_logout' ORDER BY recorded_at, id",
    )
    .fetch_all(app.state.db.pool())
    .await
    .expect("events");
    let by: Vec<String> = detected
        .iter()
        .map(|(d,)| {
            let d: serde_json::Value = serde_json::from_str(d).expect("json");
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
    confirmed_account(&app, "target@example.org").await;
    let mut known = std::time::Duration::ZERO;
    let mut unknown = std::time::Duration::ZERO;
    for _ in 0..5 {
        let wrong = sign_in(&app, "target@example.org", "wrong password!").await;
        assert_eq!(wrong.err(), AppError::BadCredentials);
        known += wrong.elapsed;
        let nobody = sign_in(&app, "nobody@example.org", "wrong password!").await;
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
    let blocked = sign_in(&app, "target@example.org", PASSWORD).await;
    assert_eq!(blocked.err(), AppError::TooManyAttempts { minutes: 15 });
    assert_eq!(blocked.status, 429, "user errors are 4xx, not 500");
    assert_eq!(
        sign_in(&app, "nobody@example.org", PASSWORD).await.body,
        blocked.body
    );
    assert!(
        blocked
            .err()
            .message(app::i18n::Lang::En)
            .contains("Try again in 15 minute"),
    );
    app.state.clock.advance(TimeDelta::minutes(10));
    assert_eq!(
        sign_in(&app, "target@example.org", PASSWORD).await.err(),
        AppError::TooManyAttempts { minutes: 5 }
    );
    app.state.clock.advance(TimeDelta::minutes(5));
    sign_in(&app, "target@example.org", PASSWORD)
        .await
        .ok::<AuthState>();
    app.stop().await;
}

/// Second-factor attempts are rate-limited per account too.
async fn second_factor_is_rate_limited(backend: Backend) {
    let app = spawn_app(backend).await;
    let (secret, _) = enrolled_account(&app, "guess@example.org").await;
    call(&app, "sign_out", &[]).await.ok::<()>();
    sign_in(&app, "guess@example.org", PASSWORD)
        .await
        .ok::<AuthState>();
    for _ in 0..5 {
        assert_eq!(
            call(&app, "second_factor", &[("code", "000000")])
                .await
                .err(),
            AppError::BadCode
        );
    }
    let good = totp_code(&secret, now_s(&app));
    assert_eq!(
        call(&app, "second_factor", &[("code", &good)]).await.err(),
        AppError::TooManyAttempts { minutes: 15 }
    );
    app.state.clock.advance(TimeDelta::minutes(15));
    // 15 idle minutes also ended the pending session: sign in again.
    sign_in(&app, "guess@example.org", PASSWORD)
        .await
        .ok::<AuthState>();
    let good = totp_code(&secret, now_s(&app));
    call(&app, "second_factor", &[("code", &good)])
        .await
        .ok::<AuthState>();
    app.stop().await;
}

/// Session cookie: HttpOnly, SameSite=Lax, Path=/, not Secure over plain http (development);
/// a new session id at sign-in and after the second factor; the old ones stop working.
async fn session_cookie_attributes_and_rotation(backend: Backend) {
    let app = spawn_app(backend).await;
    let (secret, _) = enrolled_account(&app, "cookie@example.org").await;
    call(&app, "sign_out", &[]).await.ok::<()>();
    let reply = sign_in(&app, "cookie@example.org", PASSWORD).await;
    let cookie = reply
        .set_cookies
        .iter()
        .find(|c| c.starts_with("pli_session="))
        .expect("session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http in development");
    let first = reply.session_token().expect("token");
    assert_eq!(first.len(), 43, "256 bits, base64url");
    let reply = call(
        &app,
        "second_factor",
        &[("code", &totp_code(&secret, now_s(&app)))],
    )
    .await;
    let second = reply.session_token().expect("rotated at privilege change");
    assert_ne!(first, second);
    // The pre-2FA token is dead: a client holding it is not signed in.
    let stale = new_client();
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
    let (stored,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM login_session WHERE token_hash = $1")
            .bind(&second)
            .fetch_one(app.state.db.pool())
            .await
            .expect("count");
    assert_eq!(stored, 0);
    app.stop().await;
}

/// The session cookie is `Secure` when the service is reached over https.
async fn secure_cookie_over_https(backend: Backend) {
    let app = spawn_app_with(backend, |config| {
        config.server.public_url = "https://pli.example".to_owned();
    })
    .await;
    confirmed_account(&app, "tls@example.org").await;
    let reply = sign_in(&app, "tls@example.org", PASSWORD).await;
    assert!(
        reply
            .set_cookies
            .iter()
            .any(|c| c.starts_with("pli_session=") && c.contains("; Secure")),
        "{:?}",
        reply.set_cookies
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
        post(vec![("origin", "http://127.0.0.1:3000".into())]).await,
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
async fn prove_identity(app: &TestApp, success: bool, name: &str) -> AuthState {
    let redirect: String = call(app, "proofing_start", &[]).await.ok();
    let session = redirect
        .rsplit("/dev/identity/")
        .next()
        .expect("the simulator page")
        .to_owned();
    assert!(redirect.starts_with(&app.state.config.server.public_url));
    assert_eq!(identity(&auth_state(app).await), IdentityStatus::Pending);
    let shown: SimulatorSession = call(app, "dev_identity_get", &[("id", &session)])
        .await
        .ok();
    assert_eq!(shown.expected_name, "Alice Martin");
    assert!(!shown.decided);
    let outcome = if success { "success" } else { "failure" };
    let back: String = call(
        app,
        "dev_identity_decide",
        &[
            ("id", &session),
            ("outcome", outcome),
            ("verified_name", name),
        ],
    )
    .await
    .ok();
    assert!(back.contains("/profile?proofing="), "{back}");
    // The provider's decision is final.
    assert_eq!(
        call(
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
    auth_state(app).await
}

/// ID-01, ID-02, ID-04: identity proofing through the provider interface with the built-in,
/// not qualified simulator: start → provider page → result (failure, then success) recorded
/// and journaled with the provider session id and the verified name; qualified actions need
/// both a live OTP session and a successful proofing.
async fn identity_proofing_with_the_simulator_gates_qualified_actions(backend: Backend) {
    let app = spawn_app(backend).await;
    enrolled_account(&app, "proof@example.org").await;
    assert_eq!(
        identity(&auth_state(&app).await),
        IdentityStatus::NotVerified
    );
    assert_eq!(
        call(&app, "qualified_action", &[]).await.err(),
        AppError::IdentityProofingRequired
    );

    let failed = prove_identity(&app, false, "Alice Martin").await;
    assert_eq!(identity(&failed), IdentityStatus::Failed);
    let verified = prove_identity(&app, true, "Alice MARTIN").await;
    assert_eq!(
        identity(&verified),
        IdentityStatus::Verified {
            verified_name: "Alice MARTIN".to_owned(),
            qualified_provider: false,
        }
    );
    let allowed: QualifiedAction = call(&app, "qualified_action", &[]).await.ok();
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
    assert!(auth_state(&app).await.signed_in());
    app.state.clock.advance(TimeDelta::minutes(5));
    assert_eq!(
        call(&app, "qualified_action", &[]).await.err(),
        AppError::OtpSessionRequired
    );

    let (document,): (String,) =
        sqlx::query_as("SELECT document FROM audit_event WHERE action = 'proofing_succeeded'")
            .fetch_one(app.state.db.pool())
            .await
            .expect("event");
    let document: serde_json::Value = serde_json::from_str(&document).expect("json");
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
    let (kind, pdf): (String, Vec<u8>) =
        sqlx::query_as("SELECT kind, pdf FROM evidence WHERE id = $1")
            .bind(&evidence_id)
            .fetch_one(app.state.db.pool())
            .await
            .expect("evidence");
    assert_eq!(kind, "Identification");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("identification.pdf");
    std::fs::write(&file, &pdf).expect("write");
    let (valid, report) =
        common::validators::pyhanko(&file, &app.state.config.pki.dir.join("root.pem"));
    assert!(valid, "pyHanko: {report}");
    let report = evidence::verify_pdf(&pdf, app.state.sealer.trust_roots(), None);
    assert!(report.valid(), "{report}");
    assert_eq!(report.evidence_id.as_deref(), Some(evidence_id.as_str()));
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
    let (secret, _) = enrolled_account(&app, email).await;
    prove_identity(&app, true, "Alice Martin").await;
    call(&app, "qualified_action", &[])
        .await
        .ok::<QualifiedAction>();

    let other_device = new_client();
    let reply = call_with(
        &app,
        &other_device,
        "sign_in",
        &[("email", email), ("password", PASSWORD)],
    )
    .await;
    assert!(reply.ok::<AuthState>().awaiting_second_factor());

    let reply = call(&app, "deactivate_account", &[]).await;
    reply.ok::<()>();
    assert_eq!(reply.session_token().as_deref(), Some(""), "cookie removed");
    assert_eq!(auth_state(&app).await.user, None);
    assert_eq!(
        call_with(&app, &other_device, "auth_state", &[])
            .await
            .ok::<AuthState>()
            .user,
        None,
        "every session ended"
    );
    let (subject, text) = last_mail(&app, email).await;
    assert!(subject.contains("désactivé"), "{subject}");
    assert!(text.contains("/signin?reactivate=1"), "{text}");

    // Sign-in offers reactivation by email; the link expires at 15:00.
    assert_eq!(
        sign_in(&app, email, PASSWORD).await.err(),
        AppError::AccountDeactivated
    );
    assert_eq!(
        sign_in(&app, email, "wrong password!").await.err(),
        AppError::BadCredentials,
        "no reactivation without the password"
    );
    let token = last_link_token(&app, email).await;
    app.state.clock.advance(TimeDelta::minutes(15));
    assert_eq!(
        call(&app, "reactivate_account", &[("token", &token)])
            .await
            .err(),
        AppError::LinkInvalid
    );
    assert_eq!(
        sign_in(&app, email, PASSWORD).await.err(),
        AppError::AccountDeactivated
    );
    let token = last_link_token(&app, email).await;
    assert_eq!(
        call(&app, "confirm_email", &[("token", &token)])
            .await
            .err(),
        AppError::LinkInvalid,
        "a link serves its own purpose only"
    );
    call(&app, "reactivate_account", &[("token", &token)])
        .await
        .ok::<()>();
    assert_eq!(
        call(&app, "reactivate_account", &[("token", &token)])
            .await
            .err(),
        AppError::LinkInvalid,
        "single use"
    );
    let (subject, _) = last_mail(&app, email).await;
    assert!(subject.contains("réactivé"), "{subject}");

    // Active again: sign-in with the second factor, but a new proofing is required.
    sign_in(&app, email, PASSWORD).await.ok::<AuthState>();
    app.state.clock.advance(TimeDelta::seconds(30));
    let state: AuthState = call(
        &app,
        "second_factor",
        &[("code", &totp_code(&secret, now_s(&app)))],
    )
    .await
    .ok();
    assert_eq!(identity(&state), IdentityStatus::NotVerified);
    assert_eq!(
        call(&app, "qualified_action", &[]).await.err(),
        AppError::IdentityProofingRequired
    );
    prove_identity(&app, true, "Alice Martin").await;
    call(&app, "qualified_action", &[])
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
    let (old_secret, _) = enrolled_account(&app, email).await;
    app.state.clock.advance(TimeDelta::minutes(10));
    assert!(auth_state(&app).await.signed_in());
    app.state.clock.advance(TimeDelta::minutes(5));
    assert_eq!(
        call(&app, "totp_begin", &[]).await.err(),
        AppError::OtpSessionRequired
    );
    assert_eq!(
        call(&app, "totp_remove", &[]).await.err(),
        AppError::OtpSessionRequired
    );
    call(
        &app,
        "second_factor",
        &[("code", &totp_code(&old_secret, now_s(&app)))],
    )
    .await
    .ok::<AuthState>();

    let enrolment: TotpEnrolment = call(&app, "totp_begin", &[]).await.ok();
    assert_ne!(enrolment.secret_base32, old_secret);
    let code = totp_code(&enrolment.secret_base32, now_s(&app));
    let codes: Vec<String> = call(&app, "totp_confirm", &[("code", &code)]).await.ok();
    assert_eq!(codes.len(), 10);

    // The old app's codes no longer work.
    call(&app, "sign_out", &[]).await.ok::<()>();
    app.state.clock.advance(TimeDelta::seconds(30));
    sign_in(&app, email, PASSWORD).await.ok::<AuthState>();
    assert_eq!(
        call(
            &app,
            "second_factor",
            &[("code", &totp_code(&old_secret, now_s(&app)))]
        )
        .await
        .err(),
        AppError::BadCode
    );
    call(
        &app,
        "second_factor",
        &[("code", &totp_code(&enrolment.secret_base32, now_s(&app)))],
    )
    .await
    .ok::<AuthState>();

    call(&app, "totp_remove", &[]).await.ok::<()>();
    let user = auth_state(&app).await.user.expect("still signed in");
    assert_eq!(user.second_factor, None);
    assert_eq!(user.recovery_codes_left, 0);
    assert_eq!(
        call(&app, "otp_session", &[]).await.err(),
        AppError::SecondFactorSetupRequired
    );
    let journal = actions(&app).await;
    assert!(journal.contains(&"totp_removed".to_owned()), "{journal:?}");
    let (document,): (String,) = sqlx::query_as(
        "SELECT document FROM audit_event WHERE action = 'totp_enrolled' ORDER BY recorded_at DESC, id DESC LIMIT 1",
    )
    .fetch_one(app.state.db.pool())
    .await
    .expect("event");
    let document: serde_json::Value = serde_json::from_str(&document).expect("json");
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
    let last_ip = |app: &TestApp| {
        let db = app.state.db.clone();
        async move {
            let (document,): (String,) = sqlx::query_as(
                "SELECT document FROM audit_event WHERE action = 'sign_in_failure' ORDER BY recorded_at DESC, id DESC LIMIT 1",
            )
            .fetch_one(db.pool())
            .await
            .expect("event");
            let document: serde_json::Value = serde_json::from_str(&document).expect("json");
            document["details"]["ip"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        }
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
    confirmed_account(&app, "pushed@example.org").await;
    sign_in(&app, "pushed@example.org", PASSWORD)
        .await
        .ok::<AuthState>();
    let redirect: String = call(&app, "proofing_start", &[]).await.ok();
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
    assert_eq!(identity(&auth_state(&app).await), IdentityStatus::Pending);
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
        identity(&auth_state(&app).await),
        IdentityStatus::Verified {
            verified_name: "Alice MARTIN".to_owned(),
            qualified_provider: false,
        }
    );
    assert_journal_intact(&app).await;
    app.stop().await;
}
