//! Rate limiting of sign-in and second-factor attempts, and of password-reset requests, per
//! account and per IP address: after [`ACCOUNT_LIMIT`] failures for one account (or
//! [`IP_LIMIT`] from one address) within [`WINDOW_MS`], further attempts are refused until the
//! oldest failure leaves the window. Keyed by the address typed, so that unknown and known
//! accounts behave alike. Every password-reset request counts (each may send an email).

use app::error::AppError;

use crate::db::Db;
use crate::error::ServerError;
use crate::store::attempts;

pub use domain::policy::{
    ATTEMPT_WINDOW_MS as WINDOW_MS, ATTEMPTS_PER_ACCOUNT as ACCOUNT_LIMIT,
    ATTEMPTS_PER_IP as IP_LIMIT,
};

/// What is being attempted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    SignIn,
    SecondFactor,
    /// A "forgotten password" request (issue 11).
    PasswordReset,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::SignIn => "sign_in",
            Kind::SecondFactor => "second_factor",
            Kind::PasswordReset => "password_reset",
        }
    }
}

/// One attempt of `kind` on `account` (the address typed, or the account id) from `ip`, at
/// `now` (milliseconds, the device clock).
pub struct Attempt<'a> {
    pub db: &'a Db,
    pub kind: Kind,
    pub account: &'a str,
    pub ip: &'a str,
    pub now: i64,
}

impl Attempt<'_> {
    fn scopes(&self) -> [(String, i64); 2] {
        [
            (format!("account:{}", self.account), ACCOUNT_LIMIT),
            (format!("ip:{}", self.ip), IP_LIMIT),
        ]
    }

    /// Refuses with [`AppError::TooManyAttempts`] when either limit is reached.
    pub async fn check(&self) -> Result<(), ServerError> {
        let since = self.now - WINDOW_MS;
        let mut wait_ms = 0;
        for (scope, limit) in self.scopes() {
            let recent =
                attempts::failures_since(self.db.pool(), self.kind.as_str(), &scope, since).await?;
            // Attempts resume when the limit-th most recent failure leaves the window.
            if let Some(at) = recent.get(usize::try_from(limit - 1).unwrap_or(0))
                && recent.len() as i64 >= limit
            {
                wait_ms = wait_ms.max(at + WINDOW_MS - self.now);
            }
        }
        if wait_ms > 0 {
            let minutes = u32::try_from((wait_ms + 59_999) / 60_000)
                .unwrap_or(15)
                .max(1);
            return Err(AppError::TooManyAttempts { minutes }.into());
        }
        Ok(())
    }

    /// Counts a failure against the account and the address.
    pub async fn record_failure(&self) -> Result<(), ServerError> {
        // Failures older than the window count for nothing: forget them.
        attempts::forget_until(self.db.pool(), self.now - WINDOW_MS).await?;
        for (scope, _) in self.scopes() {
            attempts::insert(self.db.pool(), self.kind.as_str(), &scope, self.now).await?;
        }
        Ok(())
    }
}

/// Forgets an account's failures after a success (the address keeps its count).
pub async fn clear(db: &Db, kind: Kind, account: &str) -> Result<(), ServerError> {
    attempts::clear(db.pool(), kind.as_str(), &format!("account:{account}")).await?;
    Ok(())
}
