//! Accounts (issue 4): sign-up with a confirmed address, sign-in with a password then a
//! second factor (AUTH-01), OTP sessions (AUTH-02), inactivity logout (AUTH-03), rate
//! limiting, and a journal entry for every authentication event (AUTH-05, OPS-03).
//!
//! The server functions of `app::api` reach these flows through the `Services` port.
//!
//! Time: session lifetimes, OTP sessions, emailed links, rate-limit windows and TOTP codes
//! are about people's own time, so they follow [`Clock::device_now`](crate::clock::Clock):
//! the real time even when the development clock is moved forward to demonstrate letter
//! deadlines (which would otherwise sign everyone out). It is the service time in production
//! and the manual time in tests. Journal entries keep the service time.

pub mod attempts;
mod deactivation;
pub mod links;
pub mod password;
pub mod principal;
mod proofing;
pub mod session;
pub mod totp;

pub use deactivation::{deactivate, reactivate, reactivate_after_reception_proofing};
pub use proofing::{proofing_callback, proofing_start, require_qualified_action};

use app::api::{Caller, SignUpForm, WithCookie};
use app::error::AppError;
use app::types::{AuthState, OtpSessionInfo, SecondFactorMethod, SignedInUser, TotpEnrolment};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::AppState;
use crate::audit::{self, Event};
use crate::mailer::Email;
use crate::services::internal;
use attempts::Kind;
use links::Purpose;
use session::LoginSession;

/// An account row, as the flows need it.
#[derive(Clone, Debug)]
struct Account {
    id: String,
    email: String,
    name: String,
    password_hash: String,
    email_confirmed: bool,
    totp_secret: Option<String>,
    totp_pending_secret: Option<String>,
    totp_last_step: Option<i64>,
    deactivated_at: Option<i64>,
    reactivated_at: Option<i64>,
}

type AccountRow = (
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

const ACCOUNT_COLUMNS: &str = "id, email, name, password_hash, email_confirmed_at, totp_secret, \
                               totp_pending_secret, totp_last_step, deactivated_at, reactivated_at";

fn account_from_row(row: AccountRow) -> Account {
    let (
        id,
        email,
        name,
        password_hash,
        confirmed,
        totp_secret,
        pending,
        last_step,
        deactivated_at,
        reactivated_at,
    ) = row;
    Account {
        id,
        email,
        name,
        password_hash,
        email_confirmed: confirmed.is_some(),
        totp_secret,
        totp_pending_secret: pending,
        totp_last_step: last_step,
        deactivated_at,
        reactivated_at,
    }
}

impl AppState {
    async fn account_by(&self, column: &str, value: &str) -> Result<Option<Account>, AppError> {
        let row: Option<AccountRow> = sqlx::query_as(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account WHERE {column} = $1"
        ))
        .bind(value)
        .fetch_optional(self.db.pool())
        .await
        .map_err(internal)?;
        Ok(row.map(account_from_row))
    }

    fn secure_cookies(&self) -> bool {
        self.config.server.public_url.starts_with("https://")
    }

    fn cookie(&self, token: Option<&str>) -> Option<String> {
        Some(session::cookie(token, self.secure_cookies()))
    }

    /// Records an authentication event (AUTH-05) with the caller's address and browser.
    async fn record_auth(
        &self,
        action: &'static str,
        actor: Option<&str>,
        caller: &Caller,
        details: Value,
    ) -> Result<(), AppError> {
        audit::record(
            &self.db,
            self.clock.now(),
            &auth_event(action, actor, caller, details),
        )
        .await
        .map(|_| ())
        .map_err(internal)
    }

    async fn send_link(
        &self,
        account: &Account,
        purpose: Purpose,
        token: &str,
    ) -> Result<(), AppError> {
        let url = format!(
            "{}{}?token={token}",
            self.config.server.public_url.trim_end_matches('/'),
            purpose.page()
        );
        let (subject, fr, en, button_fr) = match purpose {
            Purpose::ConfirmEmail => (
                "Pli : confirmez votre adresse / confirm your address",
                "Confirmez votre adresse",
                "Confirm your address",
                "Confirmer mon adresse",
            ),
            Purpose::Reactivate => (
                "Pli : réactivez votre compte / reactivate your account",
                "Réactivez votre compte",
                "Reactivate your account",
                "Réactiver mon compte",
            ),
        };
        let name = &account.name;
        let email = Email {
            to: account.email.clone(),
            subject: subject.to_owned(),
            text: format!(
                "Bonjour {name},\n\n{fr} en ouvrant ce lien (valable 15 minutes, une seule fois) \
                 :\n{url}\n\nHello {name},\n\n{en} by opening this link (valid for 15 minutes, \
                 once):\n{url}\n\nSi vous n'avez rien demandé, ignorez ce courriel. / If you did \
                 not ask for this, ignore this email.\n"
            ),
            html: Some(format!(
                "<p>Bonjour {name},</p><p>{fr} (lien valable 15 minutes, une seule fois) :</p>\
                 <p><a href=\"{url}\">{button_fr}</a></p>\
                 <p><i>Hello {name}, {en} (link valid for 15 minutes, once):</i> \
                 <a href=\"{url}\">{en}</a></p>",
                name = html_escape(name)
            )),
        };
        self.mailer.send(&email).await.map(|_| ()).map_err(internal)
    }

    /// The caller's live session and account; ends it if idle for 15 minutes (AUTH-03).
    async fn lookup(&self, caller: &Caller) -> Result<Lookup, AppError> {
        let Some(token) = caller.session_token.as_deref() else {
            return Ok(Lookup::None);
        };
        let Some(login) = session::find(&self.db, token).await.map_err(internal)? else {
            return Ok(Lookup::Unknown);
        };
        let now = self.clock.device_now().timestamp_millis();
        if now - login.last_seen_at >= session::IDLE_TIMEOUT_MS {
            let mut tx = self.db.pool().begin().await.map_err(internal)?;
            session::end(&mut tx, &login.id, now, "inactivity")
                .await
                .map_err(internal)?;
            let event = auth_event(
                "inactivity_logout",
                Some(&login.account_id),
                caller,
                json!({ "user_id": login.account_id, "session_id": login.id,
                        "last_seen_at": rfc3339(login.last_seen_at), "detected_by": "server" }),
            );
            audit::record_in(&mut tx, self.clock.now(), &event)
                .await
                .map_err(internal)?;
            tx.commit().await.map_err(internal)?;
            return Ok(Lookup::Idle);
        }
        session::touch(&self.db, &login.id, now)
            .await
            .map_err(internal)?;
        let account = self
            .account_by("id", &login.account_id)
            .await?
            .ok_or_else(|| internal("session of a missing account"))?;
        if account.deactivated_at.is_some() {
            return Ok(Lookup::Unknown);
        }
        Ok(Lookup::Live(Box::new((login, account))))
    }

    /// The caller's live session, or the error that says why there is none.
    async fn require_session(&self, caller: &Caller) -> Result<(LoginSession, Account), AppError> {
        match self.lookup(caller).await? {
            Lookup::Live(live) => Ok(*live),
            Lookup::Idle => Err(AppError::SessionExpired),
            Lookup::None | Lookup::Unknown => Err(AppError::SignInRequired),
        }
    }

    /// A session past its second factor (or of an account without one yet).
    async fn require_signed_in(
        &self,
        caller: &Caller,
    ) -> Result<(LoginSession, Account), AppError> {
        let (login, account) = self.require_session(caller).await?;
        if awaiting_second_factor(&login, &account) {
            return Err(AppError::SignInRequired);
        }
        Ok((login, account))
    }

    async fn state_of(
        &self,
        caller: &Caller,
        login: &LoginSession,
        account: &Account,
    ) -> Result<AuthState, AppError> {
        let identity = self.identity_status(caller, account).await?.0;
        let now = self.clock.device_now().timestamp_millis();
        let otp = session::latest_otp(&self.db, &login.id)
            .await
            .map_err(internal)?
            .filter(|otp| now < otp.expires_at);
        let (recovery_codes_left,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM recovery_code WHERE account_id = $1 AND used_at IS NULL",
        )
        .bind(&account.id)
        .fetch_one(self.db.pool())
        .await
        .map_err(internal)?;
        Ok(AuthState {
            user: Some(SignedInUser {
                name: account.name.clone(),
                email: account.email.clone(),
                awaiting_second_factor: awaiting_second_factor(login, account),
                second_factor: account
                    .totp_secret
                    .as_ref()
                    .map(|_| SecondFactorMethod::Totp),
                recovery_codes_left,
                otp_seconds_left: otp.map(|otp| (otp.expires_at - now) / 1000),
                idle_timeout_seconds: session::IDLE_TIMEOUT_MS / 1000,
                identity,
            }),
            signed_out_for_inactivity: false,
        })
    }

    /// Checks a TOTP code (refusing a used time step) or spends a recovery code; returns the
    /// method that matched.
    async fn check_code(
        &self,
        account: &Account,
        code: &str,
    ) -> Result<Option<&'static str>, AppError> {
        let Some(secret) = account.totp_secret.as_deref() else {
            return Ok(None);
        };
        let now = self.clock.now();
        if code.len() == 6 {
            let Some(step) = totp::check(
                secret,
                code,
                self.clock.device_now().timestamp(),
                account.totp_last_step,
            ) else {
                return Ok(None);
            };
            // Conditional, so that two requests racing with the same code cannot both win.
            let updated = sqlx::query(
                "UPDATE account SET totp_last_step = $1 WHERE id = $2 \
                 AND (totp_last_step IS NULL OR totp_last_step < $1)",
            )
            .bind(step)
            .bind(&account.id)
            .execute(self.db.pool())
            .await
            .map_err(internal)?;
            return Ok((updated.rows_affected() == 1).then_some("totp"));
        }
        let spent = sqlx::query(
            "UPDATE recovery_code SET used_at = $1 WHERE account_id = $2 AND code_hash = $3 \
             AND used_at IS NULL",
        )
        .bind(now.timestamp_millis())
        .bind(&account.id)
        .bind(totp::recovery_code_hash(code))
        .execute(self.db.pool())
        .await
        .map_err(internal)?;
        Ok((spent.rows_affected() == 1).then_some("recovery_code"))
    }
}

enum Lookup {
    /// No session cookie.
    None,
    /// A cookie of an ended or unknown session.
    Unknown,
    /// The session had been idle for 15 minutes; it is now ended.
    Idle,
    Live(Box<(LoginSession, Account)>),
}

fn awaiting_second_factor(login: &LoginSession, account: &Account) -> bool {
    account.totp_secret.is_some() && login.second_factor_at.is_none()
}

/// An authentication event (AUTH-05) with the caller's address and browser.
pub(crate) fn auth_event(
    action: &'static str,
    actor: Option<&str>,
    caller: &Caller,
    details: Value,
) -> Event {
    let mut document = json!({ "ip": caller.ip, "user_agent": caller.user_agent });
    if let (Some(into), Value::Object(extra)) = (document.as_object_mut(), details) {
        into.extend(extra);
    }
    Event {
        category: "auth",
        action,
        actor: actor.map(str::to_owned),
        details: document,
    }
}

fn rfc3339(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f).await.map_err(internal)
}

/// Sign-up: creates the account (argon2id password, accepted terms version) and emails a
/// confirmation link. An address that already has an account gets an email saying so, and
/// the caller the same answer as for a new one (no enumeration).
pub async fn sign_up(state: &AppState, caller: Caller, form: SignUpForm) -> Result<(), AppError> {
    let now = state.clock.device_now().timestamp_millis();
    let email_key = form.email.to_lowercase();
    let password = form.password.clone();
    let hash = blocking(move || password::hash(&password))
        .await?
        .map_err(internal)?;
    if let Some(existing) = state.account_by("email_key", &email_key).await? {
        state
            .record_auth(
                "sign_up_existing_address",
                Some(&existing.id),
                &caller,
                json!({ "user_id": existing.id }),
            )
            .await?;
        let url = state.config.server.public_url.trim_end_matches('/');
        let email = Email {
            to: existing.email.clone(),
            subject: "Pli : vous avez déjà un compte / you already have an account".to_owned(),
            text: format!(
                "Quelqu'un (vous, sans doute) a voulu créer un compte Pli avec cette adresse, qui \
                 en a déjà un. Connectez-vous : {url}/signin\n\n\
                 Someone (probably you) tried to create a Pli account with this address, which \
                 already has one. Sign in: {url}/signin\n"
            ),
            html: None,
        };
        return state
            .mailer
            .send(&email)
            .await
            .map(|_| ())
            .map_err(internal);
    }
    let account = Account {
        id: uuid::Uuid::now_v7().to_string(),
        email: form.email.clone(),
        name: form.name.clone(),
        password_hash: hash,
        email_confirmed: false,
        totp_secret: None,
        totp_pending_secret: None,
        totp_last_step: None,
        deactivated_at: None,
        reactivated_at: None,
    };
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    sqlx::query(
        "INSERT INTO account (id, email, email_key, name, password_hash, terms_version, \
         terms_accepted_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(&account.id)
    .bind(&account.email)
    .bind(&email_key)
    .bind(&account.name)
    .bind(&account.password_hash)
    .bind(&form.terms_version)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    let token = links::issue(&mut tx, Purpose::ConfirmEmail, &account.id, now)
        .await
        .map_err(internal)?;
    let event = auth_event(
        "sign_up",
        Some(&account.id),
        &caller,
        json!({ "user_id": account.id, "email": account.email, "terms_version": form.terms_version }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    state
        .send_link(&account, Purpose::ConfirmEmail, &token)
        .await
}

/// Confirms an address with an emailed token (single use, 15 minutes).
pub async fn confirm_email(
    state: &AppState,
    caller: Caller,
    token: String,
) -> Result<(), AppError> {
    let now = state.clock.device_now().timestamp_millis();
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    let Some(account_id) = links::consume(&mut tx, Purpose::ConfirmEmail, &token, now)
        .await
        .map_err(internal)?
    else {
        drop(tx);
        state
            .record_auth("email_confirmation_refused", None, &caller, json!({}))
            .await?;
        return Err(AppError::LinkInvalid);
    };
    sqlx::query(
        "UPDATE account SET email_confirmed_at = $1 WHERE id = $2 AND email_confirmed_at IS NULL",
    )
    .bind(now)
    .bind(&account_id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    let event = auth_event(
        "email_confirmed",
        Some(&account_id),
        &caller,
        json!({ "user_id": account_id }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)
}

/// Sign-in with a password. Rate-limited per address typed and per IP; an unknown address
/// costs the same argon2 work and gets the same answer as a wrong password.
pub async fn sign_in(
    state: &AppState,
    caller: Caller,
    email: String,
    password: String,
) -> Result<WithCookie<AuthState>, AppError> {
    let now = state.clock.device_now().timestamp_millis();
    let email_key = email.trim().to_lowercase();
    attempts::check(&state.db, Kind::SignIn, &email_key, &caller.ip, now).await?;
    let account = state.account_by("email_key", &email_key).await?;
    let ok = match &account {
        Some(account) => {
            let hash = account.password_hash.clone();
            blocking(move || password::verify(&password, &hash)).await?
        }
        None => blocking(move || password::verify_nothing(&password)).await?,
    };
    let account = match account {
        Some(account) if ok => account,
        account => {
            attempts::record_failure(&state.db, Kind::SignIn, &email_key, &caller.ip, now).await?;
            let user_id = account.as_ref().map(|a| a.id.clone());
            state
                .record_auth(
                    "sign_in_failure",
                    user_id.as_deref(),
                    &caller,
                    json!({ "email": email_key, "user_id": user_id }),
                )
                .await?;
            return Err(AppError::BadCredentials);
        }
    };
    attempts::clear(&state.db, Kind::SignIn, &email_key).await?;
    if !account.email_confirmed {
        let mut tx = state.db.pool().begin().await.map_err(internal)?;
        let token = links::issue(&mut tx, Purpose::ConfirmEmail, &account.id, now)
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        state
            .record_auth(
                "sign_in_refused_unconfirmed",
                Some(&account.id),
                &caller,
                json!({ "user_id": account.id }),
            )
            .await?;
        state
            .send_link(&account, Purpose::ConfirmEmail, &token)
            .await?;
        return Err(AppError::EmailNotConfirmed);
    }
    if account.deactivated_at.is_some() {
        // ACC-02 (1): the login page offers reactivation through an emailed link.
        let mut tx = state.db.pool().begin().await.map_err(internal)?;
        let token = links::issue(&mut tx, Purpose::Reactivate, &account.id, now)
            .await
            .map_err(internal)?;
        let event = auth_event(
            "reactivation_requested",
            Some(&account.id),
            &caller,
            json!({ "user_id": account.id }),
        );
        audit::record_in(&mut tx, state.clock.now(), &event)
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        state
            .send_link(&account, Purpose::Reactivate, &token)
            .await?;
        return Err(AppError::AccountDeactivated);
    }
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    // A new session id at every sign-in: a token planted before sign-in is worthless after.
    if let Some(old) = caller.session_token.as_deref()
        && let Some(old) = session::find(&state.db, old).await.map_err(internal)?
    {
        session::end(&mut tx, &old.id, now, "replaced")
            .await
            .map_err(internal)?;
    }
    let (login, token) = session::create(&mut tx, &account.id, &caller.ip, &caller.user_agent, now)
        .await
        .map_err(internal)?;
    let event = auth_event(
        "sign_in_success",
        Some(&account.id),
        &caller,
        json!({ "user_id": account.id, "session_id": login.id, "factor": "password",
                "second_factor_required": account.totp_secret.is_some() }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(WithCookie {
        value: state.state_of(&caller, &login, &account).await?,
        set_cookie: state.cookie(Some(&token)),
    })
}

/// A second-factor check: completes a sign-in (new session id) or, for a signed-in user,
/// opens a fresh OTP session (AUTH-02). Rate-limited per account and per IP.
pub async fn second_factor(
    state: &AppState,
    caller: Caller,
    code: String,
) -> Result<WithCookie<AuthState>, AppError> {
    let (mut login, account) = state.require_session(&caller).await?;
    if account.totp_secret.is_none() {
        return Err(AppError::SecondFactorSetupRequired);
    }
    let now = state.clock.device_now().timestamp_millis();
    attempts::check(&state.db, Kind::SecondFactor, &account.id, &caller.ip, now).await?;
    let Some(method) = state.check_code(&account, &code).await? else {
        attempts::record_failure(&state.db, Kind::SecondFactor, &account.id, &caller.ip, now)
            .await?;
        state
            .record_auth(
                "second_factor_failure",
                Some(&account.id),
                &caller,
                json!({ "user_id": account.id, "session_id": login.id }),
            )
            .await?;
        return Err(AppError::BadCode);
    };
    attempts::clear(&state.db, Kind::SecondFactor, &account.id).await?;
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    let mut set_cookie = None;
    if login.second_factor_at.is_none() {
        sqlx::query("UPDATE login_session SET second_factor_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&login.id)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        login.second_factor_at = Some(now);
        let token = session::rotate(&mut tx, &login.id)
            .await
            .map_err(internal)?;
        set_cookie = state.cookie(Some(&token));
    }
    let otp = session::open_otp(&mut tx, &login, method, now)
        .await
        .map_err(internal)?;
    let at = state.clock.now();
    for event in [
        auth_event(
            "second_factor_success",
            Some(&account.id),
            &caller,
            json!({ "user_id": account.id, "session_id": login.id, "method": method }),
        ),
        auth_event(
            "otp_session_opened",
            Some(&account.id),
            &caller,
            json!({ "user_id": account.id, "session_id": login.id, "otp_session_id": otp.id,
                    "expires_at": rfc3339(otp.expires_at) }),
        ),
    ] {
        audit::record_in(&mut tx, at, &event)
            .await
            .map_err(internal)?;
    }
    tx.commit().await.map_err(internal)?;
    let account = state
        .account_by("id", &account.id)
        .await?
        .ok_or_else(|| internal("account vanished"))?;
    Ok(WithCookie {
        value: state.state_of(&caller, &login, &account).await?,
        set_cookie,
    })
}

/// Sign-out: ends the session and removes the cookie. `idle`: the browser's timer saw 15
/// minutes without activity (AUTH-03), journaled as an inactivity logout.
pub async fn sign_out(
    state: &AppState,
    caller: Caller,
    idle: bool,
) -> Result<WithCookie<()>, AppError> {
    if let Lookup::Live(live) = state.lookup(&caller).await? {
        let (login, account) = *live;
        let (reason, action, by) = if idle {
            ("inactivity", "inactivity_logout", "browser")
        } else {
            ("logout", "logout", "user")
        };
        let mut tx = state.db.pool().begin().await.map_err(internal)?;
        let now = state.clock.device_now().timestamp_millis();
        session::end(&mut tx, &login.id, now, reason)
            .await
            .map_err(internal)?;
        let event = auth_event(
            action,
            Some(&account.id),
            &caller,
            json!({ "user_id": account.id, "session_id": login.id, "detected_by": by }),
        );
        audit::record_in(&mut tx, state.clock.now(), &event)
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
    }
    Ok(WithCookie {
        value: (),
        set_cookie: state.cookie(None),
    })
}

/// The caller's state (counts as activity).
pub async fn auth_state(
    state: &AppState,
    caller: Caller,
) -> Result<WithCookie<AuthState>, AppError> {
    match state.lookup(&caller).await? {
        Lookup::None => Ok(WithCookie {
            value: AuthState::default(),
            set_cookie: None,
        }),
        Lookup::Unknown => Ok(WithCookie {
            value: AuthState::default(),
            set_cookie: state.cookie(None),
        }),
        Lookup::Idle => Ok(WithCookie {
            value: AuthState {
                user: None,
                signed_out_for_inactivity: true,
            },
            set_cookie: state.cookie(None),
        }),
        Lookup::Live(live) => Ok(WithCookie {
            value: state.state_of(&caller, &live.0, &live.1).await?,
            set_cookie: None,
        }),
    }
}

/// Starts a TOTP enrolment: a new secret, kept pending until a first code confirms it.
/// Replacing an enrolled method needs a live OTP session.
pub async fn totp_begin(state: &AppState, caller: Caller) -> Result<TotpEnrolment, AppError> {
    let (login, account) = state.require_signed_in(&caller).await?;
    if account.totp_secret.is_some() {
        require_otp(state, &caller, &login, &account).await?;
    }
    let secret = totp::new_secret();
    let enrolment = totp::enrolment(&secret, &account.email).map_err(internal)?;
    sqlx::query("UPDATE account SET totp_pending_secret = $1 WHERE id = $2")
        .bind(&secret)
        .bind(&account.id)
        .execute(state.db.pool())
        .await
        .map_err(internal)?;
    Ok(enrolment)
}

/// Confirms a TOTP enrolment with a first code: the method becomes active, 10 recovery codes
/// replace any earlier ones, the session gets a new id and an OTP session opens.
pub async fn totp_confirm(
    state: &AppState,
    caller: Caller,
    code: String,
) -> Result<WithCookie<Vec<String>>, AppError> {
    let (login, account) = state.require_signed_in(&caller).await?;
    let Some(secret) = account.totp_pending_secret.clone() else {
        return Err(AppError::SecondFactorSetupRequired);
    };
    let now = state.clock.now();
    let now_ms = state.clock.device_now().timestamp_millis();
    attempts::check(
        &state.db,
        Kind::SecondFactor,
        &account.id,
        &caller.ip,
        now_ms,
    )
    .await?;
    let step = (code.len() == 6)
        .then(|| totp::check(&secret, &code, state.clock.device_now().timestamp(), None))
        .flatten();
    let Some(step) = step else {
        attempts::record_failure(
            &state.db,
            Kind::SecondFactor,
            &account.id,
            &caller.ip,
            now_ms,
        )
        .await?;
        state
            .record_auth(
                "second_factor_failure",
                Some(&account.id),
                &caller,
                json!({ "user_id": account.id, "session_id": login.id, "stage": "enrolment" }),
            )
            .await?;
        return Err(AppError::BadCode);
    };
    let codes = totp::new_recovery_codes();
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    sqlx::query(
        "UPDATE account SET totp_secret = $1, totp_pending_secret = NULL, totp_enrolled_at = $2, \
         totp_last_step = $3 WHERE id = $4",
    )
    .bind(&secret)
    .bind(now_ms)
    .bind(step)
    .bind(&account.id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    sqlx::query("DELETE FROM recovery_code WHERE account_id = $1")
        .bind(&account.id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    for code in &codes {
        sqlx::query(
            "INSERT INTO recovery_code (account_id, code_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(&account.id)
        .bind(totp::recovery_code_hash(code))
        .bind(now_ms)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    }
    sqlx::query("UPDATE login_session SET second_factor_at = $1 WHERE id = $2")
        .bind(now_ms)
        .bind(&login.id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    let token = session::rotate(&mut tx, &login.id)
        .await
        .map_err(internal)?;
    let otp = session::open_otp(&mut tx, &login, "totp", now_ms)
        .await
        .map_err(internal)?;
    for event in [
        auth_event(
            "totp_enrolled",
            Some(&account.id),
            &caller,
            json!({ "user_id": account.id, "session_id": login.id,
                    "recovery_codes": codes.len(), "replaced": account.totp_secret.is_some() }),
        ),
        auth_event(
            "otp_session_opened",
            Some(&account.id),
            &caller,
            json!({ "user_id": account.id, "session_id": login.id, "otp_session_id": otp.id,
                    "expires_at": rfc3339(otp.expires_at) }),
        ),
    ] {
        audit::record_in(&mut tx, now, &event)
            .await
            .map_err(internal)?;
    }
    tx.commit().await.map_err(internal)?;
    Ok(WithCookie {
        value: codes,
        set_cookie: state.cookie(Some(&token)),
    })
}

/// Removes the second factor (OPS-03: "2FA revocation"): needs a live OTP session (a fresh
/// code); the recovery codes go too. Qualified actions then wait for a new enrolment.
pub async fn totp_remove(state: &AppState, caller: Caller) -> Result<(), AppError> {
    let (login, account) = state.require_signed_in(&caller).await?;
    let otp = require_otp(state, &caller, &login, &account).await?;
    let mut tx = state.db.pool().begin().await.map_err(internal)?;
    sqlx::query(
        "UPDATE account SET totp_secret = NULL, totp_pending_secret = NULL, \
         totp_enrolled_at = NULL, totp_last_step = NULL WHERE id = $1",
    )
    .bind(&account.id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    sqlx::query("DELETE FROM recovery_code WHERE account_id = $1")
        .bind(&account.id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    let event = auth_event(
        "totp_removed",
        Some(&account.id),
        &caller,
        json!({ "user_id": account.id, "session_id": login.id,
                "otp_session_id": otp.otp_session_id }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)
}

/// AUTH-02: the live OTP session that every qualified action (send, accept, refuse, open)
/// demands. When it has expired the user stays signed in and is asked for a fresh code
/// ([`AppError::OtpSessionRequired`]); the expiry is journaled once.
pub async fn require_otp_session(
    state: &AppState,
    caller: Caller,
) -> Result<OtpSessionInfo, AppError> {
    let (login, account) = state.require_signed_in(&caller).await?;
    require_otp(state, &caller, &login, &account).await
}

async fn require_otp(
    state: &AppState,
    caller: &Caller,
    login: &LoginSession,
    account: &Account,
) -> Result<OtpSessionInfo, AppError> {
    if account.totp_secret.is_none() {
        return Err(AppError::SecondFactorSetupRequired);
    }
    let now = state.clock.device_now().timestamp_millis();
    let latest = session::latest_otp(&state.db, &login.id)
        .await
        .map_err(internal)?;
    match latest {
        Some(otp) if now < otp.expires_at => Ok(OtpSessionInfo {
            otp_session_id: otp.id,
            login_session_id: login.id.clone(),
            login_time: rfc3339(login.created_at),
            seconds_left: (otp.expires_at - now) / 1000,
        }),
        Some(otp) => {
            if otp.expiry_recorded_at.is_none() {
                let mut tx = state.db.pool().begin().await.map_err(internal)?;
                sqlx::query("UPDATE otp_session SET expiry_recorded_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(&otp.id)
                    .execute(&mut *tx)
                    .await
                    .map_err(internal)?;
                let event = auth_event(
                    "otp_session_expired",
                    Some(&account.id),
                    caller,
                    json!({ "user_id": account.id, "session_id": login.id,
                            "otp_session_id": otp.id, "expired_at": rfc3339(otp.expires_at) }),
                );
                audit::record_in(&mut tx, state.clock.now(), &event)
                    .await
                    .map_err(internal)?;
                tx.commit().await.map_err(internal)?;
            }
            Err(AppError::OtpSessionRequired)
        }
        None => Err(AppError::OtpSessionRequired),
    }
}
