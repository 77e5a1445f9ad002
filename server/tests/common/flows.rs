//! What users do, over HTTP as the browser does it: server functions (form-encoded POST to
//! `/api/<endpoint>` from our origin) and the plain routes, each user with their own cookie
//! jar. Shared by the letter tests.

use app::error::AppError;
use app::types::{AuthState, TERMS_VERSION, TotpEnrolment};
use chrono::TimeDelta;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::TestApp;

pub const PASSWORD: &str = "correct horse battery staple";

/// The answer of a server function or route.
pub struct Reply {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
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
}

/// A person with their own browser (cookie jar).
pub struct User {
    pub email: String,
    pub name: String,
    pub client: reqwest::Client,
    /// The cookies of this user's browser.
    pub jar: std::sync::Arc<reqwest::cookie::Jar>,
    pub totp_secret: Option<String>,
}

/// A client with the cookies of `jar`, not reusing connections of any other client.
pub fn client_with(jar: &std::sync::Arc<reqwest::cookie::Jar>) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn reply(response: reqwest::Response) -> Reply {
    Reply {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.bytes().await.expect("body").to_vec(),
    }
}

impl User {
    /// Someone with a browser and no account yet.
    pub fn visitor(email: &str, name: &str) -> User {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        User {
            email: email.to_owned(),
            name: name.to_owned(),
            client: client_with(&jar),
            jar,
            totp_secret: None,
        }
    }

    /// Calls a server function.
    pub async fn call(&self, app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        let response = self
            .client
            .post(format!("{}/api/{endpoint}", app.url))
            .header("origin", &app.url)
            .header("user-agent", "letters-test")
            .form(form)
            .send()
            .await
            .expect("POST");
        reply(response).await
    }

    pub async fn get(&self, app: &TestApp, path: &str) -> Reply {
        let response = self
            .client
            .get(format!("{}{path}", app.url))
            .header("user-agent", "letters-test")
            .send()
            .await
            .expect("GET");
        reply(response).await
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
        // On a connection of its own: a refused upload is answered before its body is read,
        // and the server then closes the connection, which a pooled client might reuse.
        let response = client_with(&self.jar)
            .post(format!("{}/letters/{draft}/attachments", app.url))
            .query(&[("name", name)])
            .header("origin", &app.url)
            .header("content-type", "application/pdf")
            .header(app::letters::SHA256_HEADER, sha256)
            .body(bytes)
            .send()
            .await
            .expect("upload");
        reply(response).await
    }

    /// Uploads an attachment with its true SHA-256.
    pub async fn upload(&self, app: &TestApp, draft: &str, name: &str, bytes: Vec<u8>) -> Reply {
        let hash = sha256_hex(&bytes);
        self.upload_with_hash(app, draft, name, bytes, &hash).await
    }

    /// A code for the current service time (the clock then moves 30 s so that the next code
    /// is from a new time step).
    pub fn code(&self, app: &TestApp) -> String {
        let secret = self.totp_secret.as_deref().expect("TOTP enrolled");
        let code = server::account::totp::generator(secret, "t")
            .expect("generator")
            .generate(app.state.clock.now().timestamp() as u64)
            .to_string();
        app.state.clock.advance(TimeDelta::seconds(30));
        code
    }

    /// Signs in again (password and code), e.g. after inactivity.
    pub async fn sign_in_again(&self, app: &TestApp) {
        self.call(
            app,
            "sign_in",
            &[("email", &self.email), ("password", PASSWORD)],
        )
        .await
        .ok::<AuthState>();
        self.fresh_code(app).await;
    }

    /// Opens a fresh OTP session (AUTH-02).
    pub async fn fresh_code(&self, app: &TestApp) {
        let code = self.code(app);
        self.call(app, "second_factor", &[("code", &code)])
            .await
            .ok::<AuthState>();
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The newest mail to `to`: (subject, text).
pub async fn last_mail(app: &TestApp, to: &str) -> Option<(String, String)> {
    sqlx::query_as(
        "SELECT subject, text_body FROM dev_mailbox WHERE mail_to = $1 ORDER BY sent_at DESC, id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_optional(app.state.db.pool())
    .await
    .expect("mailbox")
}

/// Every mail to `to`, oldest first: (subject, text).
pub async fn mails(app: &TestApp, to: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT subject, text_body FROM dev_mailbox WHERE mail_to = $1 ORDER BY sent_at, id",
    )
    .bind(to)
    .fetch_all(app.state.db.pool())
    .await
    .expect("mailbox")
}

/// The value after `marker` in `text`, up to whitespace or a quote.
pub fn after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {text}"))
        + marker.len();
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '&')
        .next()
        .expect("value")
        .to_owned()
}

/// Runs the job queue until no due job is left (the server's own loop may run some too).
pub async fn settle(app: &TestApp) {
    for _ in 0..200 {
        app.state.jobs.run_due().await.expect("jobs");
        let (due,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM job WHERE status = 'pending' AND due_at <= $1")
                .bind(app.state.clock.now_ms())
                .fetch_one(app.state.db.pool())
                .await
                .expect("jobs");
        if due == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("jobs did not settle");
}

/// A confirmed account with TOTP enrolled, signed in with a live OTP session.
pub async fn account(app: &TestApp, email: &str, name: &str) -> User {
    let mut user = User::visitor(email, name);
    user.call(
        app,
        "sign_up",
        &[
            ("name", name),
            ("email", email),
            ("password", PASSWORD),
            ("terms_version", TERMS_VERSION),
            ("accept_terms", "on"),
        ],
    )
    .await
    .ok::<()>();
    settle(app).await;
    let (_, text) = last_mail(app, email).await.expect("confirmation mail");
    let token = after(&text, "token=");
    user.call(app, "confirm_email", &[("token", &token)])
        .await
        .ok::<()>();
    user.call(app, "sign_in", &[("email", email), ("password", PASSWORD)])
        .await
        .ok::<AuthState>();
    let enrolment: TotpEnrolment = user.call(app, "totp_begin", &[]).await.ok();
    user.totp_secret = Some(enrolment.secret_base32);
    let code = user.code(app);
    user.call(app, "totp_confirm", &[("code", &code)])
        .await
        .ok::<Vec<String>>();
    user
}

/// Runs an identity proofing started by `start` (a server function returning the provider
/// page) through the development simulator; returns where the simulator sends the user back.
pub async fn simulator(app: &TestApp, user: &User, redirect: &str, name: &str, ok: bool) -> String {
    let session = redirect
        .rsplit("/dev/identity/")
        .next()
        .expect("the simulator page")
        .to_owned();
    user.call(
        app,
        "dev_identity_decide",
        &[
            ("id", &session),
            ("outcome", if ok { "success" } else { "failure" }),
            ("verified_name", name),
        ],
    )
    .await
    .ok()
}

/// An account that can send: TOTP, identity proven, live OTP session.
pub async fn sender(app: &TestApp, email: &str, name: &str) -> User {
    let user = account(app, email, name).await;
    let redirect: String = user.call(app, "proofing_start", &[]).await.ok();
    simulator(app, &user, &redirect, name, true).await;
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
            "granted" => answer_consent(app, &token, "consent_grant").await,
            "refused" => answer_consent(app, &token, "consent_refuse").await,
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
    owner
        .call(app, "consent_request", &[("contact_id", contact_id)])
        .await
        .ok::<app::contacts::Contact>();
    settle(app).await;
    let (_, text) = last_mail(app, email).await.expect("consent request mail");
    after(&text, "/consent/")
}

/// The recipient answers from the emailed link, in their own browser.
pub async fn answer_consent(app: &TestApp, token: &str, endpoint: &str) {
    User::visitor("recipient@example.invalid", "recipient")
        .call(app, endpoint, &[("token", token)])
        .await
        .ok::<app::contacts::ConsentRequestView>();
}

/// A draft with `subject`, `recipients` and attachments; returns its id.
pub async fn draft(
    app: &TestApp,
    sender: &User,
    subject: &str,
    recipients: &[&str],
    attachments: &[(&str, Vec<u8>)],
) -> String {
    let id: String = sender.call(app, "draft_create", &[]).await.ok();
    sender
        .call(
            app,
            "draft_save",
            &[
                ("id", &id),
                ("subject", subject),
                ("message", "Veuillez trouver ci-joint le document."),
                ("recipients", &recipients.join(",")),
            ],
        )
        .await
        .ok::<app::letters::Draft>();
    for (name, bytes) in attachments {
        sender
            .upload(app, &id, name, bytes.clone())
            .await
            .ok::<app::letters::Attachment>();
    }
    id
}
