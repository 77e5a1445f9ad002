//! Server functions: the only way the browser asks the server for anything. Each one is a thin
//! adapter: it validates its input with the shared rules, then calls the [`Services`] port that
//! the `server` crate implements, so that no database, HSM or mail code is compiled here.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::{
    AuthState, ClockState, EvidenceSummary, MailMessage, MailSummary, OtpSessionInfo,
    QualifiedAction, ServerInfo, SimulatorSession, TotpEnrolment, VerificationReport,
    WalletRequest,
};
#[cfg(feature = "ssr")]
use crate::validation;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// The server-side port behind the server functions, implemented by the `server` crate and
/// provided to every request as a [`ServicesHandle`] context.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait Services: Send + Sync + 'static {
    fn info(&self) -> ServerInfo;
    /// Whether cookies are `Secure` (the service's public URL is https).
    fn secure_cookies(&self) -> bool;
    async fn mailbox_list(&self) -> Result<Vec<MailSummary>, AppError>;
    async fn mailbox_get(&self, id: String) -> Result<MailMessage, AppError>;
    async fn mailbox_send_test(&self, to: String) -> Result<(), AppError>;
    async fn clock_state(&self) -> Result<ClockState, AppError>;
    async fn clock_advance(&self, seconds: i64) -> Result<ClockState, AppError>;
    async fn clock_reset(&self) -> Result<ClockState, AppError>;

    // Accounts (issue 4). Each call gets the [`Caller`]; those that change the session return
    // the `Set-Cookie` value in a [`WithCookie`].
    async fn sign_up(&self, caller: Caller, form: SignUpForm) -> Result<(), AppError>;
    async fn confirm_email(&self, caller: Caller, token: String) -> Result<(), AppError>;
    async fn sign_in(
        &self,
        caller: Caller,
        email: String,
        password: String,
    ) -> Result<WithCookie<AuthState>, AppError>;
    /// Checks a TOTP or recovery code: completes a sign-in, or opens a new OTP session for a
    /// signed-in user whose OTP session expired (AUTH-02).
    async fn second_factor(
        &self,
        caller: Caller,
        code: String,
    ) -> Result<WithCookie<AuthState>, AppError>;
    /// Ends the session; `idle`: the browser saw 15 minutes without activity (AUTH-03).
    async fn sign_out(&self, caller: Caller, idle: bool) -> Result<WithCookie<()>, AppError>;
    /// The caller's state; counts as activity (AUTH-03) and ends an idle session.
    async fn auth_state(&self, caller: Caller) -> Result<WithCookie<AuthState>, AppError>;
    /// The signed-in caller accepts the edition `version` of the sender terms in force
    /// (OPS-07).
    async fn terms_accept(&self, caller: Caller, version: String) -> Result<(), AppError>;
    async fn totp_begin(&self, caller: Caller) -> Result<TotpEnrolment, AppError>;
    /// The enrolment begun and not confirmed yet, shown again (a page reached without
    /// JavaScript after `totp_begin`); the same rules as beginning one.
    async fn totp_pending(&self, caller: Caller) -> Result<Option<TotpEnrolment>, AppError>;
    /// Confirms the enrolment with a first code; returns the recovery codes, shown once.
    async fn totp_confirm(
        &self,
        caller: Caller,
        code: String,
    ) -> Result<WithCookie<Vec<String>>, AppError>;
    /// The live OTP session that a qualified action needs (AUTH-02), or
    /// [`AppError::OtpSessionRequired`] (the user stays signed in and enters a fresh code).
    async fn require_otp_session(&self, caller: Caller) -> Result<OtpSessionInfo, AppError>;
    /// What every qualified action demands: a live OTP session (AUTH-02) and a successful
    /// identity proofing, newer than any reactivation (ID-02, ACC-02).
    async fn require_qualified_action(&self, caller: Caller) -> Result<QualifiedAction, AppError>;
    /// Starts an identity proofing (ID-01); returns the provider's page to send the user to.
    async fn proofing_start(&self, caller: Caller) -> Result<String, AppError>;
    async fn simulator_session(&self, id: String) -> Result<SimulatorSession, AppError>;
    /// The EU digital identity wallet's request `id` (issue 14): its QR code and link, or where
    /// to go once the wallet answered.
    async fn wallet_request(&self, id: String) -> Result<WalletRequest, AppError>;
    /// The tester's choice on the simulator page; returns where to send the user back.
    async fn simulator_decide(
        &self,
        id: String,
        success: bool,
        verified_name: String,
    ) -> Result<String, AppError>;
    /// Removes the TOTP method (needs a live OTP session).
    async fn totp_remove(&self, caller: Caller) -> Result<(), AppError>;
    /// ACC-01: deactivates the caller's account and signs it out everywhere.
    async fn deactivate(&self, caller: Caller) -> Result<WithCookie<()>, AppError>;
    /// ACC-02: reactivates with the token of the emailed link (single use, 15 minutes).
    async fn reactivate(&self, caller: Caller, token: String) -> Result<(), AppError>;

    // Forgotten password (issue 11).
    /// Emails a reset link if `email` has an account; the same answer otherwise.
    async fn password_forgot(&self, caller: Caller, email: String) -> Result<(), AppError>;
    /// Whether a reset link still works, without spending it.
    async fn password_reset_check(&self, token: String) -> Result<(), AppError>;
    /// Sets a new password with a reset link (single use, 15 minutes); ends every session.
    async fn password_reset(
        &self,
        caller: Caller,
        token: String,
        password: String,
    ) -> Result<WithCookie<()>, AppError>;

    /// Changes the password from the profile (issue 11): `current` must be the account's;
    /// needs a live OTP session; every other session ends.
    async fn password_change(
        &self,
        caller: Caller,
        current: String,
        password: String,
    ) -> Result<(), AppError>;

    // Evidence (issue 3).
    async fn evidence_list(&self) -> Result<Vec<EvidenceSummary>, AppError>;
    /// Verifies an evidence PDF (EVD-03, EVD-06); `original_sha256` is a file's SHA-256
    /// computed in the user's browser.
    async fn verify_evidence(
        &self,
        pdf: Vec<u8>,
        original_sha256: Option<String>,
    ) -> Result<VerificationReport, AppError>;
    /// Seals a checkpoint of the journal now; the new evidence's id, if the head moved.
    async fn checkpoint_now(&self) -> Result<Option<String>, AppError>;
}

/// Who is calling a server function: their session token (from the `pli_session` cookie),
/// address and browser, for authentication and for the journal (AUTH-05).
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub session_token: Option<String>,
    pub ip: String,
    pub user_agent: String,
    /// The request's extensions, where the server keeps what one request may look up once
    /// and share between the server functions of its page (the session).
    pub extensions: http::Extensions,
}

/// The peer address of a request, put in the request extensions by the server's HTTP layer
/// (from the TCP connection, never from a header a client could forge).
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub std::net::IpAddr);

/// Name of the session cookie (`HttpOnly`, `SameSite=Lax`, `Secure` over https).
pub const SESSION_COOKIE: &str = "pli_session";

/// A result and the `Set-Cookie` header value that goes with it, if any.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct WithCookie<T> {
    pub value: T,
    pub set_cookie: Option<String>,
}

/// What sign-up asks, validated.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct SignUpForm {
    pub name: String,
    pub email: String,
    pub password: String,
    pub terms_version: String,
}

/// The caller of the current server function.
#[cfg(feature = "ssr")]
pub fn caller() -> Caller {
    use_context::<http::request::Parts>()
        .map(|parts| caller_of(&parts))
        .unwrap_or_default()
}

/// For a form posted without JavaScript (the browser asks for a page): answer with a redirect
/// to `url` instead of the function's value, which the WASM client would have acted on (e.g.
/// going to an identity provider's page). A call from the client is left as it is.
#[cfg(feature = "ssr")]
pub fn redirect_plain_form(url: &str) {
    if plain_form() {
        leptos_axum::redirect(url);
    }
}

/// Whether the current server function was called by a form the browser posted itself (no
/// JavaScript): it asks for a page.
#[cfg(feature = "ssr")]
pub fn plain_form() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// The caller of a request (for the server's plain HTTP routes).
#[cfg(feature = "ssr")]
pub fn caller_of(parts: &http::request::Parts) -> Caller {
    let header = |name: http::header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    Caller {
        session_token: cookie_of(parts, SESSION_COOKIE),
        ip: parts
            .extensions
            .get::<ClientAddr>()
            .map(|addr| addr.0.to_string())
            .unwrap_or_default(),
        user_agent: header(http::header::USER_AGENT).chars().take(512).collect(),
        extensions: parts.extensions.clone(),
    }
}

/// The value of cookie `name` in the current request, if any.
#[cfg(feature = "ssr")]
pub(crate) fn cookie(name: &str) -> Option<String> {
    use_context::<http::request::Parts>().and_then(|parts| cookie_of(&parts, name))
}

#[cfg(feature = "ssr")]
/// The value of cookie `name` in a request.
pub fn cookie_of(parts: &http::request::Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| key.trim() == name)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// Sends the cookie of `reply` with the response and returns its value.
#[cfg(feature = "ssr")]
pub(crate) fn with_cookie<T>(reply: WithCookie<T>) -> T {
    if let Some(cookie) = reply.set_cookie
        && let Ok(value) = http::HeaderValue::from_str(&cookie)
        && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
    reply.value
}

/// The [`Services`] of this server, as a request context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct ServicesHandle(pub std::sync::Arc<dyn Services>);

#[cfg(feature = "ssr")]
pub(crate) fn services() -> Result<std::sync::Arc<dyn Services>, AppError> {
    use_context::<ServicesHandle>()
        .map(|handle| handle.0)
        .ok_or_else(|| AppError::Internal {
            request_id: "no-services-context".to_owned(),
        })
}

#[cfg(feature = "ssr")]
fn development_services() -> Result<std::sync::Arc<dyn Services>, AppError> {
    let services = services()?;
    if services.info().development {
        Ok(services)
    } else {
        Err(AppError::DevelopmentOnly)
    }
}

/// This server's information, while rendering on the server.
#[cfg(feature = "ssr")]
pub fn current_server_info() -> Option<ServerInfo> {
    services().ok().map(|services| services.info())
}

#[server(endpoint = "fetch_server_info")]
pub async fn fetch_server_info() -> Result<ServerInfo, AppError> {
    Ok(services()?.info())
}

#[server(endpoint = "dev_mailbox_list")]
pub async fn dev_mailbox_list() -> Result<Vec<MailSummary>, AppError> {
    development_services()?.mailbox_list().await
}

#[server(endpoint = "dev_mailbox_get")]
pub async fn dev_mailbox_get(id: String) -> Result<MailMessage, AppError> {
    development_services()?.mailbox_get(id).await
}

#[server(endpoint = "dev_mailbox_send_test")]
pub async fn dev_mailbox_send_test(to: String) -> Result<(), AppError> {
    let to = validation::email(&to)?;
    development_services()?.mailbox_send_test(to).await
}

#[server(endpoint = "dev_clock_get")]
pub async fn dev_clock_get() -> Result<ClockState, AppError> {
    development_services()?.clock_state().await
}

#[server(endpoint = "dev_clock_advance")]
pub async fn dev_clock_advance(seconds: i64) -> Result<ClockState, AppError> {
    development_services()?.clock_advance(seconds).await
}

#[server(endpoint = "dev_clock_reset")]
pub async fn dev_clock_reset() -> Result<ClockState, AppError> {
    development_services()?.clock_reset().await
}

/// Creates an account and emails the address-confirmation link. Answers the same whether or
/// not the address already has an account (no enumeration).
#[server(endpoint = "sign_up")]
pub async fn sign_up(
    name: String,
    email: String,
    password: String,
    terms_version: String,
    accept_terms: Option<String>,
) -> Result<(), AppError> {
    let form = SignUpForm {
        name: validation::name(&name)?,
        email: validation::email(&email)?,
        password: validation::new_password(&password)?,
        terms_version,
    };
    // The edition in force is checked by the server, on its date.
    if accept_terms.is_none() || form.terms_version.trim().is_empty() {
        return Err(validation::Invalid::Terms.into());
    }
    services()?.sign_up(caller(), form).await
}

/// Confirms an address with the token of the emailed link (single use, 15 minutes).
#[server(endpoint = "confirm_email")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    services()?.confirm_email(caller(), token).await
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<AuthState, AppError> {
    // No format check on the address: a malformed one simply matches no account.
    Ok(with_cookie(
        services()?.sign_in(caller(), email, password).await?,
    ))
}

#[server(endpoint = "second_factor")]
pub async fn second_factor(code: String) -> Result<AuthState, AppError> {
    let code = validation::code(&code)?;
    Ok(with_cookie(
        services()?.second_factor(caller(), code).await?,
    ))
}

/// Signs out; `inactivity` set when the browser's idle timer (AUTH-03) does it.
/// Accepts the edition of the sender terms in force that the account has not accepted yet
/// (OPS-07: asked at the next sign-in after it applies).
#[server(endpoint = "terms_accept")]
pub async fn terms_accept(terms_version: String) -> Result<(), AppError> {
    services()?.terms_accept(caller(), terms_version).await
}

#[server(endpoint = "sign_out")]
pub async fn sign_out(inactivity: Option<String>) -> Result<(), AppError> {
    with_cookie(services()?.sign_out(caller(), inactivity.is_some()).await?);
    Ok(())
}

#[server(endpoint = "auth_state")]
pub async fn fetch_auth_state() -> Result<AuthState, AppError> {
    Ok(with_cookie(services()?.auth_state(caller()).await?))
}

#[server(endpoint = "totp_begin")]
pub async fn totp_begin() -> Result<TotpEnrolment, AppError> {
    services()?.totp_begin(caller()).await
}

#[server(endpoint = "totp_confirm")]
pub async fn totp_confirm(code: String) -> Result<Vec<String>, AppError> {
    let code = validation::code(&code)?;
    let services = services()?;
    let codes = with_cookie(services.totp_confirm(caller(), code).await?);
    if plain_form() {
        crate::enrolment::keep_recovery_codes(&codes, services.secure_cookies());
    }
    Ok(codes)
}

/// The live OTP session, or [`AppError::OtpSessionRequired`] (AUTH-02). Pages call it before
/// a qualified action to ask for a fresh code first.
#[server(endpoint = "otp_session")]
pub async fn otp_session() -> Result<OtpSessionInfo, AppError> {
    services()?.require_otp_session(caller()).await
}

/// ID-02: checks that the caller may perform a qualified action now (live OTP session,
/// identity proven). Pages call it before offering to send, accept, refuse or open.
#[server(endpoint = "qualified_action")]
pub async fn check_qualified_action() -> Result<QualifiedAction, AppError> {
    services()?.require_qualified_action(caller()).await
}

/// Starts an identity proofing (ID-01); returns the provider page to go to.
#[server(endpoint = "proofing_start")]
pub async fn proofing_start() -> Result<String, AppError> {
    let url = services()?.proofing_start(caller()).await?;
    redirect_plain_form(&url);
    Ok(url)
}

/// The wallet page's request (issue 14): polled until the wallet answers.
#[server(endpoint = "wallet_status")]
pub async fn wallet_status(id: String) -> Result<WalletRequest, AppError> {
    services()?.wallet_request(id).await
}

#[server(endpoint = "dev_identity_get")]
pub async fn dev_identity_get(id: String) -> Result<SimulatorSession, AppError> {
    development_services()?.simulator_session(id).await
}

/// The development simulator's decision: `outcome` is `success` or `failure`.
#[server(endpoint = "dev_identity_decide")]
pub async fn dev_identity_decide(
    id: String,
    outcome: String,
    verified_name: String,
) -> Result<String, AppError> {
    let verified_name = validation::name(&verified_name)?;
    let back = development_services()?
        .simulator_decide(id, outcome == "success", verified_name)
        .await?;
    redirect_plain_form(&back);
    Ok(back)
}

#[server(endpoint = "deactivate_account")]
pub async fn deactivate_account() -> Result<(), AppError> {
    with_cookie(services()?.deactivate(caller()).await?);
    redirect_plain_form(DEACTIVATED);
    Ok(())
}

/// Where a deactivation leads: the sign-in page, with its notice.
pub const DEACTIVATED: &str = "/signin?deactivated=1";

#[server(endpoint = "reactivate_account")]
pub async fn reactivate_account(token: String) -> Result<(), AppError> {
    services()?.reactivate(caller(), token).await
}

/// "Forgotten password": emails a 15-minute reset link if the address has an account, and
/// answers the same if it has none (no enumeration). Rate-limited like sign-in.
#[server(endpoint = "password_forgot")]
pub async fn password_forgot(email: String) -> Result<(), AppError> {
    let email = validation::email(&email)?;
    services()?.password_forgot(caller(), email).await
}

/// Whether the reset link `token` still works ([`AppError::LinkInvalid`], 410, if not).
#[server(endpoint = "password_reset_check")]
pub async fn password_reset_check(token: String) -> Result<(), AppError> {
    services()?.password_reset_check(token).await
}

/// Sets a new password (the sign-up rules) with the reset link `token`; every session of the
/// account ends. A form posted without JavaScript lands on the sign-in page with a notice.
#[server(endpoint = "password_reset")]
pub async fn password_reset(token: String, password: String) -> Result<(), AppError> {
    let password = validation::new_password(&password)?;
    with_cookie(
        services()?
            .password_reset(caller(), token, password)
            .await?,
    );
    redirect_plain_form(PASSWORD_RESET_DONE);
    Ok(())
}

/// Where a successful password reset leads: the sign-in page, with its notice.
pub const PASSWORD_RESET_DONE: &str = "/signin?password_reset=1";

/// Changes the password from the profile (issue 11): the current one, then a new one (the
/// sign-up rules); needs a live OTP session; every other session of the account ends, this one
/// stays. A form posted without JavaScript comes back to the profile with `__done`.
#[server(endpoint = "password_change")]
pub async fn password_change(current_password: String, password: String) -> Result<(), AppError> {
    let password = validation::new_password(&password)?;
    services()?
        .password_change(caller(), current_password, password)
        .await
}

/// Removes the authenticator app (needs a live OTP session; journaled).
#[server(endpoint = "totp_remove")]
pub async fn totp_remove() -> Result<(), AppError> {
    services()?.totp_remove(caller()).await
}

#[server(endpoint = "dev_evidence_list")]
pub async fn dev_evidence_list() -> Result<Vec<EvidenceSummary>, AppError> {
    development_services()?.evidence_list().await
}

#[server(endpoint = "dev_checkpoint_now")]
pub async fn dev_checkpoint_now() -> Result<Option<String>, AppError> {
    development_services()?.checkpoint_now().await
}

/// Verifies an uploaded evidence PDF (multipart field `evidence`), and optionally whether an
/// original file's SHA-256 (field `original_sha256`, computed in the browser: the original
/// itself is never uploaded) is one the evidence records. Public: no account needed.
#[server(input = MultipartFormData, endpoint = "verify_evidence")]
pub async fn verify_evidence(data: MultipartData) -> Result<VerificationReport, AppError> {
    use validation::{Invalid, MAX_EVIDENCE_BYTES};
    // Every read error of the multipart stream (a truncated or malformed body) is the
    // request's fault: answered 400, never taken for the end of the form.
    fn malformed(error: impl std::fmt::Display) -> AppError {
        AppError::Malformed(format!("multipart body: {error}"))
    }
    let mut form = data
        .into_inner()
        .ok_or(AppError::Invalid(Invalid::EvidenceFile))?;
    let mut pdf = None::<Vec<u8>>;
    let mut original = None;
    while let Some(mut field) = form.next_field().await.map_err(malformed)? {
        match field.name() {
            Some("evidence") => {
                if pdf.is_some() {
                    return Err(AppError::Malformed("two `evidence` fields".into()));
                }
                let pdf = pdf.insert(Vec::new());
                while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                    if pdf.len() + chunk.len() > MAX_EVIDENCE_BYTES {
                        return Err(AppError::TooLarge {
                            max_bytes: MAX_EVIDENCE_BYTES as u64,
                        });
                    }
                    pdf.extend_from_slice(&chunk);
                }
            }
            Some("original_sha256") => {
                let text = field.text().await.map_err(malformed)?;
                if !text.trim().is_empty() {
                    original = Some(validation::sha256_hex(&text)?);
                }
            }
            _ => {}
        }
    }
    let pdf = pdf
        .filter(|pdf| !pdf.is_empty())
        .ok_or(Invalid::EvidenceFile)?;
    services()?.verify_evidence(pdf, original).await
}
