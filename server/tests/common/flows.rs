//! What users do, over HTTP as the browser does it: server functions (form-encoded POST to
//! `/api/<endpoint>` from our origin) and the plain routes, each user with their own cookie
//! jar. Every test file signs up, signs in, enrols TOTP, proves an identity and keeps
//! contacts through these.

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::error::AppError;
use app::types::{AuthState, TERMS_VERSION, TotpEnrolment};
use chrono::TimeDelta;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::TestApp;
use super::records::{last_mail, link_token};

pub const PASSWORD: &str = "correct horse battery staple";

/// The `User-Agent` of every test browser (the journal records it, AUTH-05).
pub const USER_AGENT: &str = "pli-tests";

/// The answer of a server function or route.
pub struct Reply {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
    /// How long the server took to answer (sign-in timing, AUTH-01).
    pub elapsed: Duration,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    #[track_caller]
    pub fn ok<T: DeserializeOwned>(&self) -> T {
        assert!(self.status.is_success(), "{}: {}", self.status, self.text());
        serde_json::from_slice(&self.body).expect("JSON output")
    }

    /// The error of a server function (`AppError` as JSON).
    #[track_caller]
    pub fn err(&self) -> AppError {
        assert!(
            !self.status.is_success(),
            "expected an error: {}",
            self.text()
        );
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }

    /// The error of a plain route (`{error, message}`).
    #[track_caller]
    pub fn route_err(&self) -> AppError {
        assert!(
            !self.status.is_success(),
            "expected an error: {}",
            self.text()
        );
        let value: serde_json::Value = serde_json::from_slice(&self.body).expect("JSON error");
        assert!(value["message"].as_str().is_some_and(|m| !m.is_empty()));
        serde_json::from_value(value["error"].clone()).expect("AppError")
    }

    /// The `Set-Cookie` headers of the answer.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().expect("ascii").to_owned())
            .collect()
    }

    /// The session token the answer set (None: none set; Some(""): cookie removed).
    pub fn session_token(&self) -> Option<String> {
        self.set_cookies().iter().find_map(|c| {
            c.strip_prefix("pli_session=")
                .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
        })
    }
}

/// A person with their own browser (cookie jar).
#[derive(Clone)]
pub struct User {
    pub email: String,
    pub name: String,
    pub client: reqwest::Client,
    /// The cookies of this user's browser.
    pub jar: Arc<reqwest::cookie::Jar>,
    pub totp_secret: Option<String>,
    /// The recovery codes shown at the TOTP enrolment.
    pub recovery_codes: Vec<String>,
}

/// A client with the cookies of `jar`, not reusing connections of any other client.
pub fn client_with(jar: &Arc<reqwest::cookie::Jar>) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn reply(response: reqwest::Response, started: Instant) -> Reply {
    let elapsed = started.elapsed();
    Reply {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.bytes().await.expect("body").to_vec(),
        elapsed,
    }
}

/// The origin a browser on our pages sends: behind TLS the public https origin, otherwise the
/// server's own address.
pub fn origin(app: &TestApp) -> &str {
    let public = &app.state.config.server.public_url;
    if public.starts_with("https://") {
        public
    } else {
        &app.url
    }
}

/// A TOTP code of `secret` for the time `unix_seconds`.
pub fn totp_code(secret: &str, unix_seconds: i64) -> String {
    server::account::totp::generator(secret, "t")
        .expect("generator")
        .generate(unix_seconds as u64)
        .to_string()
}

/// The service time in Unix seconds.
pub fn now_s(app: &TestApp) -> i64 {
    app.state.clock.now().timestamp()
}

impl User {
    /// Someone with a browser and no account yet.
    pub fn visitor(email: &str, name: &str) -> User {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        User {
            email: email.to_owned(),
            name: name.to_owned(),
            client: client_with(&jar),
            jar,
            totp_secret: None,
            recovery_codes: Vec::new(),
        }
    }

    /// Calls a server function.
    pub async fn call(&self, app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        let started = Instant::now();
        let response = self
            .client
            .post(format!("{}/api/{endpoint}", app.url))
            .header("origin", origin(app))
            .header("user-agent", USER_AGENT)
            .form(form)
            .send()
            .await
            .expect("POST");
        reply(response, started).await
    }

    pub async fn get(&self, app: &TestApp, path: &str) -> Reply {
        let started = Instant::now();
        let response = self
            .client
            .get(format!("{}{path}", app.url))
            .header("user-agent", USER_AGENT)
            .send()
            .await
            .expect("GET");
        reply(response, started).await
    }

    /// Uploads an attachment to a draft with `sha256` as the browser's hash.
    pub async fn upload_with_hash(
        &self,
        app: &TestApp,
        draft: &str,
        name: &str,
        bytes: Vec<u8>,
        sha256: &str,
    ) -> Reply {
        let started = Instant::now();
        // On a connection of its own: a refused upload is answered before its body is read,
        // and the server then closes the connection, which a pooled client might reuse.
        let response = client_with(&self.jar)
            .post(format!("{}/letters/{draft}/attachments", app.url))
            .query(&[("name", name)])
            .header("origin", origin(app))
            .header("content-type", "application/pdf")
            .header(app::letters::SHA256_HEADER, sha256)
            .body(bytes)
            .send()
            .await
            .expect("upload");
        reply(response, started).await
    }

    /// Uploads an attachment with its true SHA-256.
    pub async fn upload(&self, app: &TestApp, draft: &str, name: &str, bytes: Vec<u8>) -> Reply {
        let hash = sha256_hex(&bytes);
        self.upload_with_hash(app, draft, name, bytes, &hash).await
    }

    /// Submits the sign-up form with this user's name and address, [`PASSWORD`] and the
    /// current terms.
    pub async fn sign_up(&self, app: &TestApp) -> Reply {
        self.call(
            app,
            "sign_up",
            &[
                ("name", &self.name),
                ("email", &self.email),
                ("password", PASSWORD),
                ("terms_version", TERMS_VERSION),
                ("accept_terms", "on"),
            ],
        )
        .await
    }

    /// Follows the link of the newest mail to this user (`confirm_email?token=`).
    pub async fn confirm_email(&self, app: &TestApp) {
        let token = link_token(app, &self.email).await;
        self.call(app, "confirm_email", &[("token", &token)])
            .await
            .ok::<()>();
    }

    /// Signs in with [`PASSWORD`].
    pub async fn sign_in(&self, app: &TestApp) -> Reply {
        self.sign_in_with(app, PASSWORD).await
    }

    pub async fn sign_in_with(&self, app: &TestApp, password: &str) -> Reply {
        self.call(
            app,
            "sign_in",
            &[("email", &self.email), ("password", password)],
        )
        .await
    }

    pub async fn sign_out(&self, app: &TestApp) {
        self.call(app, "sign_out", &[]).await.ok::<()>();
    }

    pub async fn auth_state(&self, app: &TestApp) -> AuthState {
        self.call(app, "auth_state", &[]).await.ok()
    }

    /// Sends a second-factor code (an authenticator's or a recovery code).
    pub async fn second_factor(&self, app: &TestApp, code: &str) -> Reply {
        self.call(app, "second_factor", &[("code", code)]).await
    }

    /// Enrols an authenticator app (signed in): keeps its secret and recovery codes. The
    /// clock then stands 30 s later, so that the next code is from a new time step.
    pub async fn enrol_totp(&mut self, app: &TestApp) {
        let enrolment: TotpEnrolment = self.call(app, "totp_begin", &[]).await.ok();
        let code = totp_code(&enrolment.secret_base32, now_s(app));
        self.recovery_codes = self
            .call(app, "totp_confirm", &[("code", &code)])
            .await
            .ok();
        self.totp_secret = Some(enrolment.secret_base32);
        app.state.clock.advance(TimeDelta::seconds(30));
    }

    /// This user's authenticator code for the time `unix_seconds`.
    pub fn code_at(&self, unix_seconds: i64) -> String {
        totp_code(
            self.totp_secret.as_deref().expect("TOTP enrolled"),
            unix_seconds,
        )
    }

    /// A code for the current service time (the clock then moves 30 s so that the next code
    /// is from a new time step).
    pub fn code(&self, app: &TestApp) -> String {
        let code = self.code_at(now_s(app));
        app.state.clock.advance(TimeDelta::seconds(30));
        code
    }

    /// Signs in again (password and code), e.g. after inactivity.
    pub async fn sign_in_again(&self, app: &TestApp) {
        self.sign_in(app).await.ok::<AuthState>();
        self.fresh_code(app).await;
    }

    /// Opens a fresh OTP session (AUTH-02).
    pub async fn fresh_code(&self, app: &TestApp) {
        let code = self.code(app);
        self.second_factor(app, &code).await.ok::<AuthState>();
    }
}

/// The form of a decision (`letter_accept`, `letter_refuse`) on `transaction`, with the
/// recipient terms in force accepted (TERMS-01).
pub fn decision(transaction: &str) -> [(&str, &str); 3] {
    [
        ("transaction_id", transaction),
        ("accept_terms", "on"),
        ("terms_version", app::terms::RECIPIENT_TERMS_VERSION),
    ]
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Signs up `email` as `name` and confirms the address from the mailed link; not signed in.
pub async fn confirmed(app: &TestApp, email: &str, name: &str) -> User {
    let user = User::visitor(email, name);
    user.sign_up(app).await.ok::<()>();
    user.confirm_email(app).await;
    user
}

/// A confirmed account, signed in, no second factor yet (enough for contacts: they are not a
/// qualified action).
pub async fn signed_in(app: &TestApp, email: &str, name: &str) -> User {
    let user = confirmed(app, email, name).await;
    let state: AuthState = user.sign_in(app).await.ok();
    assert!(state.signed_in());
    user
}

/// A confirmed account with TOTP enrolled, signed in with a live OTP session.
pub async fn account(app: &TestApp, email: &str, name: &str) -> User {
    let mut user = signed_in(app, email, name).await;
    user.enrol_totp(app).await;
    user
}

/// Runs an identity proofing started by `start` (a server function returning the provider
/// page) through the development simulator; returns where the simulator sends the user back.
pub async fn simulator(app: &TestApp, user: &User, redirect: &str, name: &str, ok: bool) -> String {
    user.call(
        app,
        "dev_identity_decide",
        &[
            ("id", &simulator_session(redirect)),
            ("outcome", if ok { "success" } else { "failure" }),
            ("verified_name", name),
        ],
    )
    .await
    .ok()
}

/// The simulator's session id in the provider page it redirects to.
pub fn simulator_session(redirect: &str) -> String {
    redirect
        .rsplit("/dev/identity/")
        .next()
        .expect("the simulator page")
        .to_owned()
}

/// An account with TOTP, its identity proven and a live OTP session, but no customer: it
/// receives, and cannot send yet.
pub async fn proven(app: &TestApp, email: &str, name: &str) -> User {
    let user = account(app, email, name).await;
    let redirect: String = user.call(app, "proofing_start", &[]).await.ok();
    simulator(app, &user, &redirect, name, true).await;
    user
}

/// An account that can send: TOTP, identity proven, live OTP session, a customer.
pub async fn sender(app: &TestApp, email: &str, name: &str) -> User {
    let user = proven(app, email, name).await;
    // Policy §4.3: senders are customers; the development contract makes this one a customer
    // of their own (tests/customers.rs covers the operator's contracts and invitations).
    let _: () = user.call(app, "customer_dev_contract", &[]).await.ok();
    user
}

/// Adds a contact to `owner`'s address book through the contacts page's server function
/// and, for a non-professional, takes the consent to `consent`: `requested` (asked by email),
/// `granted` or `refused` (answered from the emailed link), `revoked` (granted, then revoked
/// from the link). Returns the contact id.
pub async fn contact(
    app: &TestApp,
    owner: &User,
    email: &str,
    name: &str,
    company: Option<&str>,
    consent: Option<&str>,
) -> String {
    let mut form = vec![("email", email), ("name", name)];
    if let Some(company) = company {
        form.push(("professional", "on"));
        form.push(("company_name", company));
    }
    let contact: app::contacts::Contact = owner.call(app, "contact_save", &form).await.ok();
    if let Some(status) = consent {
        let token = ask_consent(app, owner, &contact.id, email).await;
        match status {
            "requested" => {}
            "granted" => {
                answer_consent(app, &token, "consent_grant").await;
            }
            "refused" => {
                answer_consent(app, &token, "consent_refuse").await;
            }
            "revoked" => {
                answer_consent(app, &token, "consent_grant").await;
                answer_consent(app, &token, "consent_revoke").await;
            }
            other => panic!("no consent status {other}"),
        }
    }
    contact.id
}

/// The sender asks the contact's consent (CONS-02); returns the token of the emailed link.
pub async fn ask_consent(app: &TestApp, owner: &User, contact_id: &str, email: &str) -> String {
    let asked: app::contacts::Contact = owner
        .call(app, "consent_request", &[("contact_id", contact_id)])
        .await
        .ok();
    assert_eq!(
        asked.consent,
        Some(app::lifecycle::ConsentStatus::Requested)
    );
    let (_, text) = last_mail(app, email).await;
    super::records::after(&text, "/consent/")
}

/// The recipient answers from the emailed link, in their own browser (no account needed);
/// returns what the consent page then shows.
pub async fn answer_consent(
    app: &TestApp,
    token: &str,
    endpoint: &str,
) -> app::contacts::ConsentRequestView {
    User::visitor("recipient@example.invalid", "recipient")
        .call(app, endpoint, &[("token", token)])
        .await
        .ok()
}

/// A draft with `subject`, `recipients` and attachments; returns its id.
pub async fn draft(
    app: &TestApp,
    sender: &User,
    subject: &str,
    recipients: &[&str],
    attachments: &[(&str, Vec<u8>)],
) -> String {
    let message = "Veuillez trouver ci-joint le document.";
    compose(app, sender, subject, message, recipients, attachments)
        .await
        .id
}

/// Composes a draft as the compose page does (create, autosave, uploads); returns the draft
/// as saved before the uploads.
pub async fn compose(
    app: &TestApp,
    sender: &User,
    subject: &str,
    message: &str,
    recipients: &[&str],
    attachments: &[(&str, Vec<u8>)],
) -> app::letters::Draft {
    let id: String = sender.call(app, "draft_create", &[]).await.ok();
    let saved: app::letters::Draft = sender
        .call(
            app,
            "draft_save",
            &[
                ("id", &id),
                ("subject", subject),
                ("message", message),
                ("recipients", &recipients.join(",")),
            ],
        )
        .await
        .ok();
    for (name, bytes) in attachments {
        sender
            .upload(app, &id, name, bytes.clone())
            .await
            .ok::<app::letters::Attachment>();
    }
    saved
}

/// The reception page's data for `user` (the link's `token`, if any).
pub async fn reception(
    app: &TestApp,
    user: &User,
    transaction: &str,
    token: Option<&str>,
) -> Reply {
    let mut form = vec![("transaction_id", transaction)];
    if let Some(token) = token {
        form.push(("token", token));
    }
    user.call(app, "reception", &form).await
}

/// Proves the identity of a recipient without an account at this reception (ID-03).
pub async fn prove_at_reception(
    app: &TestApp,
    recipient: &User,
    transaction: &str,
    token: &str,
    name: &str,
) {
    let redirect: String = recipient
        .call(
            app,
            "reception_proofing_start",
            &[("transaction_id", transaction), ("token", token)],
        )
        .await
        .ok();
    let back = simulator(app, recipient, &redirect, name, true).await;
    assert!(
        back.contains(&format!("/received/{transaction}?t={token}&proofing=")),
        "{back}"
    );
}
