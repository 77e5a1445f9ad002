//! The caller's current session and account, as every account flow (and, through
//! [`Principal`](super::principal::Principal), every other area) finds them: session lookup
//! with the inactivity logout (AUTH-03), the signed-in check, the live OTP session (AUTH-02)
//! and the state the app shows.

use app::api::Caller;
use app::error::AppError;
use app::types::{AuthState, OtpSessionInfo, SecondFactorMethod, SignedInUser};
use serde_json::json;
use std::sync::Arc;
use tokio::sync::OnceCell;

use super::auth_event;
use super::session::{self, LoginSession};
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::store::{accounts, sessions};
use domain::time::rfc3339_millis;

/// An account row, as the flows need it.
pub use crate::store::accounts::AccountRow as Account;

/// What the caller's cookie leads to.
#[derive(Clone)]
pub(super) enum Lookup {
    /// No session cookie.
    None,
    /// A cookie of an ended or unknown session.
    Unknown,
    /// The session had been idle for 15 minutes; it is now ended.
    Idle,
    Live(Box<(LoginSession, Account)>),
}

/// The session look-up of one page request, shared by the server functions its rendering
/// calls (issue 11: the header's state, the list, the drafts each asked again). The web layer
/// puts one in the extensions of a `GET` request only: a server function called on its own
/// (`POST`) may change the session, and looks it up itself.
#[derive(Clone, Default)]
pub struct SessionMemo(Arc<OnceCell<Lookup>>);

impl AppState {
    /// The account whose id is `id`.
    pub(super) async fn account_by_id(&self, id: &str) -> Result<Option<Account>, ServerError> {
        Ok(accounts::by_id(self.db.pool(), id).await?)
    }

    /// The caller's live session and account; ends it if idle for 15 minutes (AUTH-03).
    /// Once per page request ([`SessionMemo`]).
    pub(super) async fn lookup(&self, caller: &Caller) -> Result<Lookup, ServerError> {
        match caller.extensions.get::<SessionMemo>() {
            Some(memo) => Ok(memo
                .0
                .get_or_try_init(|| self.look_up(caller))
                .await?
                .clone()),
            None => self.look_up(caller).await,
        }
    }

    async fn look_up(&self, caller: &Caller) -> Result<Lookup, ServerError> {
        let Some(token) = caller.session_token.as_deref() else {
            return Ok(Lookup::None);
        };
        let Some((login, account)) = session::find_with_account(&self.db, token).await? else {
            return Ok(Lookup::Unknown);
        };
        let now = self.clock.device_now().timestamp_millis();
        if now - login.last_seen_at >= session::IDLE_TIMEOUT_MS {
            let mut tx = self.db.begin().await?;
            session::end(&mut tx, &login.id, now, "inactivity").await?;
            let event = auth_event(
                "inactivity_logout",
                Some(&login.account_id),
                caller,
                json!({ "user_id": login.account_id, "session_id": login.id,
                        "last_seen_at": rfc3339_millis(login.last_seen_at), "detected_by": "server" }),
            );
            audit::record_in(&mut tx, self.clock.now(), &event).await?;
            tx.commit().await?;
            return Ok(Lookup::Idle);
        }
        session::touch(&self.db, &login, now).await?;
        if account.deactivated_at.is_some() {
            return Ok(Lookup::Unknown);
        }
        Ok(Lookup::Live(Box::new((login, account))))
    }

    /// The caller's live session, or the error that says why there is none.
    pub(super) async fn require_session(
        &self,
        caller: &Caller,
    ) -> Result<(LoginSession, Account), ServerError> {
        match self.lookup(caller).await? {
            Lookup::Live(live) => Ok(*live),
            Lookup::Idle => Err(AppError::SessionExpired.into()),
            Lookup::None | Lookup::Unknown => Err(AppError::SignInRequired.into()),
        }
    }

    /// A session past its second factor (or of an account without one yet): enough to
    /// enrol the second factor, and for nothing else ([`Self::require_signed_in`]).
    pub(super) async fn require_enrolling(
        &self,
        caller: &Caller,
    ) -> Result<(LoginSession, Account), ServerError> {
        let (login, account) = self.require_session(caller).await?;
        if awaiting_second_factor(&login, &account) {
            return Err(AppError::SignInRequired.into());
        }
        Ok((login, account))
    }

    /// A session past the account's second factor (policy §6, §13.7; AUTH-01): after sign-up,
    /// the only thing an account can do before enrolling one is enrol it
    /// ([`AppError::SecondFactorSetupRequired`] otherwise).
    pub(super) async fn require_signed_in(
        &self,
        caller: &Caller,
    ) -> Result<(LoginSession, Account), ServerError> {
        let (login, account) = self.require_enrolling(caller).await?;
        if !account.has_second_factor() {
            return Err(AppError::SecondFactorSetupRequired.into());
        }
        Ok((login, account))
    }

    /// What the app shows of the caller's session and account.
    pub(super) async fn state_of(
        &self,
        caller: &Caller,
        login: &LoginSession,
        account: &Account,
    ) -> Result<AuthState, ServerError> {
        let identity = self.identity_status(caller, account).await?.0;
        let now = self.clock.device_now().timestamp_millis();
        let (otp_expires_at, recovery_codes_left) =
            sessions::second_factor_state(self.db.pool(), &login.id, &account.id).await?;
        let trusted_staff = crate::store::roles::of_account(self.db.pool(), &account.id)
            .await?
            .iter()
            .any(|row| {
                domain::roles::AssignmentStatus::from_code(&row.status).is_some_and(|s| s.holds())
            });
        Ok(AuthState {
            user: Some(SignedInUser {
                name: account.name.clone(),
                email: account.email.clone(),
                awaiting_second_factor: awaiting_second_factor(login, account),
                second_factor: match account.second_factor.as_deref() {
                    Some(accounts::METHOD_PASSKEY) => Some(SecondFactorMethod::Passkey),
                    Some(_) => Some(SecondFactorMethod::Totp),
                    None => None,
                },
                recovery_codes_left,
                otp_seconds_left: otp_expires_at
                    .filter(|expires_at| now < *expires_at)
                    .map(|expires_at| (expires_at - now) / 1000),
                idle_timeout_seconds: session::IDLE_TIMEOUT_MS / 1000,
                identity,
                trusted_staff,
                terms_to_accept: super::terms::pending(self, &account.id)
                    .await?
                    .map(|terms| terms.version.to_owned()),
                customer: crate::customers::require_sender(self, &account.id)
                    .await
                    .is_ok(),
            }),
            signed_out_for_inactivity: false,
        })
    }
}

/// Whether the session still waits for the account's second factor.
pub(super) fn awaiting_second_factor(login: &LoginSession, account: &Account) -> bool {
    account.has_second_factor() && login.second_factor_at.is_none()
}

/// The caller's live OTP session (AUTH-02). When it has expired the user stays signed in and
/// is asked for a fresh code ([`AppError::OtpSessionRequired`]); the expiry is journaled once.
pub(super) async fn require_otp(
    state: &AppState,
    caller: &Caller,
    login: &LoginSession,
    account: &Account,
) -> Result<OtpSessionInfo, ServerError> {
    if !account.has_second_factor() {
        return Err(AppError::SecondFactorSetupRequired.into());
    }
    let now = state.clock.device_now().timestamp_millis();
    match session::latest_otp(&state.db, &login.id).await? {
        Some(otp) if now < otp.expires_at => Ok(OtpSessionInfo {
            otp_session_id: otp.id,
            login_session_id: login.id.clone(),
            login_time: rfc3339_millis(login.created_at),
            seconds_left: (otp.expires_at - now) / 1000,
        }),
        Some(otp) => {
            if otp.expiry_recorded_at.is_none() {
                let mut tx = state.db.begin().await?;
                sessions::set_otp_expiry_recorded(&mut *tx, &otp.id, now).await?;
                let event = auth_event(
                    "otp_session_expired",
                    Some(&account.id),
                    caller,
                    json!({ "user_id": account.id, "session_id": login.id,
                            "otp_session_id": otp.id, "expired_at": rfc3339_millis(otp.expires_at) }),
                );
                audit::record_in(&mut tx, state.clock.now(), &event).await?;
                tx.commit().await?;
            }
            Err(AppError::OtpSessionRequired.into())
        }
        None => Err(AppError::OtpSessionRequired.into()),
    }
}
