//! Login sessions (AUTH-03) and OTP sessions (AUTH-02), stored in the database.
//!
//! The browser holds a random 256-bit token in the `pli_session` cookie; the database keeps
//! only its SHA-256, so a leaked database does not give live sessions. The token is replaced
//! at sign-in and at every privilege change (second factor passed, second factor enrolled).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sqlx::{Any, Transaction};

use app::api::SESSION_COOKIE;

use crate::db::Db;
use crate::ledger::sha256_hex;
use crate::store::accounts::AccountRow;
use crate::store::sessions;

pub use domain::policy::{ACTIVITY_PRECISION_MS, IDLE_TIMEOUT_MS, OTP_SESSION_MS};

/// A random 256-bit token, base64url.
pub fn new_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

pub use crate::store::sessions::{LoginSession, OtpSession};

/// Opens a session; returns it and the token for the cookie.
pub async fn create(
    tx: &mut Transaction<'_, Any>,
    account_id: &str,
    ip: &str,
    user_agent: &str,
    now: i64,
) -> Result<(LoginSession, String), sqlx::Error> {
    let token = new_token();
    let session = LoginSession {
        id: uuid::Uuid::now_v7().to_string(),
        account_id: account_id.to_owned(),
        created_at: now,
        last_seen_at: now,
        second_factor_at: None,
    };
    sessions::insert(&mut **tx, &session, &token_hash(&token), ip, user_agent).await?;
    Ok((session, token))
}

/// The open session whose token is `token`, if any.
pub async fn find(db: &Db, token: &str) -> Result<Option<LoginSession>, sqlx::Error> {
    sessions::open_by_token_hash(db.pool(), &token_hash(token)).await
}

/// The open session whose token is `token`, with its account, if any.
pub async fn find_with_account(
    db: &Db,
    token: &str,
) -> Result<Option<(LoginSession, AccountRow)>, sqlx::Error> {
    sessions::open_with_account(db.pool(), &token_hash(token)).await
}

/// Records activity (AUTH-03) to [`ACTIVITY_PRECISION_MS`]: writes only when the activity
/// recorded in `login` is older than that, and then once even if the several server functions
/// of one page ask together (issue 11: at most one session write per request).
pub async fn touch(db: &Db, login: &LoginSession, now: i64) -> Result<(), sqlx::Error> {
    if now - login.last_seen_at < ACTIVITY_PRECISION_MS {
        return Ok(());
    }
    sessions::touch(db.pool(), &login.id, now, now - ACTIVITY_PRECISION_MS).await?;
    Ok(())
}

/// Replaces the session's token (privilege change); returns the new one.
pub async fn rotate(tx: &mut Transaction<'_, Any>, id: &str) -> Result<String, sqlx::Error> {
    let token = new_token();
    sessions::set_token_hash(&mut **tx, id, &token_hash(&token)).await?;
    Ok(token)
}

/// Ends a session (`logout`, `inactivity`, `replaced`).
pub async fn end(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    now: i64,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sessions::end(&mut **tx, id, now, reason).await
}

/// Opens an OTP session of [`OTP_SESSION_MS`] for a login session.
pub async fn open_otp(
    tx: &mut Transaction<'_, Any>,
    login: &LoginSession,
    method: &str,
    now: i64,
) -> Result<OtpSession, sqlx::Error> {
    let otp = OtpSession {
        id: uuid::Uuid::now_v7().to_string(),
        opened_at: now,
        expires_at: now + OTP_SESSION_MS,
        expiry_recorded_at: None,
    };
    sessions::insert_otp(&mut **tx, &otp, login, method).await?;
    Ok(otp)
}

/// The latest OTP session of a login session.
pub async fn latest_otp(db: &Db, login_id: &str) -> Result<Option<OtpSession>, sqlx::Error> {
    sessions::latest_otp(db.pool(), login_id).await
}

/// The `Set-Cookie` value that gives the browser `token` (or, with `None`, removes it).
/// `HttpOnly` (no script reads it), `SameSite=Lax` (not sent with cross-site posts), `Path=/`,
/// and `Secure` when the service is reached over https. No `Max-Age`: it lives as long as
/// the browser session, and the server ends it after 15 idle minutes anyway.
pub fn cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(token) => format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/{secure}"),
        None => format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{secure}"),
    }
}
