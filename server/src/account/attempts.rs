//! Rate limiting of sign-in and second-factor attempts, per account and per IP address:
//! after [`ACCOUNT_LIMIT`] failures for one account (or [`IP_LIMIT`] from one address) within
//! [`WINDOW_MS`], further attempts are refused until the oldest failure leaves the window.
//! Keyed by the address typed, so that unknown and known accounts behave alike.

use app::error::AppError;

use crate::db::Db;

pub use domain::policy::{
    ATTEMPT_WINDOW_MS as WINDOW_MS, ATTEMPTS_PER_ACCOUNT as ACCOUNT_LIMIT,
    ATTEMPTS_PER_IP as IP_LIMIT,
};

/// What is being attempted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    SignIn,
    SecondFactor,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::SignIn => "sign_in",
            Kind::SecondFactor => "second_factor",
        }
    }
}

fn scopes(account: &str, ip: &str) -> [(String, i64); 2] {
    [
        (format!("account:{account}"), ACCOUNT_LIMIT),
        (format!("ip:{ip}"), IP_LIMIT),
    ]
}

/// Refuses with [`AppError::TooManyAttempts`] when either limit is reached.
pub async fn check(db: &Db, kind: Kind, account: &str, ip: &str, now: i64) -> Result<(), AppError> {
    let mut wait_ms = 0;
    for (scope, limit) in scopes(account, ip) {
        let recent: Vec<(i64,)> = sqlx::query_as(
            "SELECT failed_at FROM auth_failure WHERE kind = $1 AND scope = $2 AND failed_at > $3 \
             ORDER BY failed_at DESC",
        )
        .bind(kind.as_str())
        .bind(&scope)
        .bind(now - WINDOW_MS)
        .fetch_all(db.pool())
        .await
        .map_err(crate::services::internal)?;
        // Attempts resume when the limit-th most recent failure leaves the window.
        if let Some((at,)) = recent.get(usize::try_from(limit - 1).unwrap_or(0))
            && recent.len() as i64 >= limit
        {
            wait_ms = wait_ms.max(at + WINDOW_MS - now);
        }
    }
    if wait_ms > 0 {
        let minutes = u32::try_from((wait_ms + 59_999) / 60_000)
            .unwrap_or(15)
            .max(1);
        return Err(AppError::TooManyAttempts { minutes });
    }
    Ok(())
}

/// Counts a failure against the account and the address.
pub async fn record_failure(
    db: &Db,
    kind: Kind,
    account: &str,
    ip: &str,
    now: i64,
) -> Result<(), AppError> {
    // Failures older than the window count for nothing: forget them.
    sqlx::query("DELETE FROM auth_failure WHERE failed_at <= $1")
        .bind(now - WINDOW_MS)
        .execute(db.pool())
        .await
        .map_err(crate::services::internal)?;
    for (scope, _) in scopes(account, ip) {
        sqlx::query(
            "INSERT INTO auth_failure (id, kind, scope, failed_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(kind.as_str())
        .bind(scope)
        .bind(now)
        .execute(db.pool())
        .await
        .map_err(crate::services::internal)?;
    }
    Ok(())
}

/// Forgets an account's failures after a success (the address keeps its count).
pub async fn clear(db: &Db, kind: Kind, account: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM auth_failure WHERE kind = $1 AND scope = $2")
        .bind(kind.as_str())
        .bind(format!("account:{account}"))
        .execute(db.pool())
        .await
        .map_err(crate::services::internal)?;
    Ok(())
}
