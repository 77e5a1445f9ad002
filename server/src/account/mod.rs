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
mod current;
mod deactivation;
pub mod links;
pub mod passkeys;
pub mod password;
mod password_change;
mod password_reset;
pub mod principal;
mod proofing;
mod second_factor;
pub mod session;
mod sign_in;
mod sign_up;
pub mod terms;
pub mod totp;

pub use current::SessionMemo;
pub use deactivation::{deactivate, reactivate, reactivate_after_reception_proofing};
pub use password_change::password_change;
pub use password_reset::{password_forgot, password_reset, password_reset_check};
pub use proofing::{proofing_start, require_qualified_action};
pub use second_factor::{require_otp_session, totp_begin, totp_confirm, totp_pending, totp_remove};
pub use sign_in::{auth_state, second_factor, sign_in, sign_out};
pub use sign_up::{confirm_email, sign_up};

use app::api::Caller;
use domain::time::rfc3339_millis;
use serde_json::Value;

use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::mail;
use crate::mailer::Email;
use current::{Account, Lookup, awaiting_second_factor, require_otp};
use links::Purpose;

impl AppState {
    fn secure_cookies(&self) -> bool {
        self.config.server.public_url.starts_with("https://")
    }

    fn cookie(&self, token: Option<&str>) -> Option<String> {
        Some(session::cookie(token, self.secure_cookies()))
    }

    /// The service's public URL, without a trailing slash.
    fn public_url(&self) -> &str {
        self.config.server.public_url.trim_end_matches('/')
    }

    /// Records an authentication event (AUTH-05) with the caller's address and browser.
    async fn record_auth(
        &self,
        action: &'static str,
        actor: Option<&str>,
        caller: &Caller,
        details: Value,
    ) -> Result<(), ServerError> {
        audit::record(
            &self.db,
            self.clock.now(),
            &auth_event(action, actor, caller, details),
        )
        .await?;
        Ok(())
    }

    /// The email that carries an emailed link (`token`) for `purpose` to `to`, named `name`.
    fn link_email(&self, to: &str, name: &str, purpose: Purpose, token: &str) -> Email {
        let url = purpose.url(self.public_url(), token);
        match purpose {
            Purpose::ConfirmEmail => mail::account::confirm_address(to, name, &url),
            Purpose::Reactivate => mail::account::reactivate_account(to, name, &url),
            Purpose::ResetPassword => mail::account::reset_password(to, name, &url),
        }
    }
}

pub use crate::audit::auth_event;

/// AUTH-02: the journal entry of an OTP session opened by a second-factor check (at sign-in,
/// for a fresh code, or at enrolment).
fn otp_session_opened(
    caller: &Caller,
    account_id: &str,
    login: &session::LoginSession,
    otp: &session::OtpSession,
) -> audit::Event {
    auth_event(
        "otp_session_opened",
        Some(account_id),
        caller,
        serde_json::json!({ "user_id": account_id, "session_id": login.id,
                            "otp_session_id": otp.id, "expires_at": rfc3339_millis(otp.expires_at) }),
    )
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ServerError> {
    Ok(tokio::task::spawn_blocking(f).await?)
}
