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

pub use domain::policy::{IDLE_TIMEOUT_MS, OTP_SESSION_MS};

/// A random 256-bit token, base64url.
pub fn new_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// A login session row.
#[derive(Clone, Debug)]
pub struct LoginSession {
    pub id: String,
    pub account_id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub second_factor_at: Option<i64>,
}

type Row = (String, String, i64, i64, Option<i64>);

fn from_row((id, account_id, created_at, last_seen_at, second_factor_at): Row) -> LoginSession {
    LoginSession {
        id,
        account_id,
        created_at,
        last_seen_at,
        second_factor_at,
    }
}

/// Opens a session; returns it and the token for the cookie.
pub async fn create(
    tx: &mut Transaction<'_, Any>,
    account_id: &str,
    ip: &str,
    user_agent: &str,
    now: i64,
) -> Result<(LoginSession, String), sqlx::Error> {
    let id = uuid::Uuid::now_v7().to_string();
    let token = new_token();
    sqlx::query(
        "INSERT INTO login_session (id, token_hash, account_id, created_at, last_seen_at, ip, user_agent) \
         VALUES ($1, $2, $3, $4, $4, $5, $6)",
    )
    .bind(&id)
    .bind(token_hash(&token))
    .bind(account_id)
    .bind(now)
    .bind(ip)
    .bind(user_agent)
    .execute(&mut **tx)
    .await?;
    let session = LoginSession {
        id,
        account_id: account_id.to_owned(),
        created_at: now,
        last_seen_at: now,
        second_factor_at: None,
    };
    Ok((session, token))
}

/// The open session whose token is `token`, if any.
pub async fn find(db: &Db, token: &str) -> Result<Option<LoginSession>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, account_id, created_at, last_seen_at, second_factor_at FROM login_session \
         WHERE token_hash = $1 AND ended_at IS NULL",
    )
    .bind(token_hash(token))
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(from_row))
}

/// Records activity (AUTH-03).
pub async fn touch(db: &Db, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE login_session SET last_seen_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Replaces the session's token (privilege change); returns the new one.
pub async fn rotate(tx: &mut Transaction<'_, Any>, id: &str) -> Result<String, sqlx::Error> {
    let token = new_token();
    sqlx::query("UPDATE login_session SET token_hash = $1 WHERE id = $2")
        .bind(token_hash(&token))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(token)
}

/// Ends a session (`logout`, `inactivity`, `replaced`).
pub async fn end(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    now: i64,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE login_session SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL",
    )
    .bind(now)
    .bind(reason)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An OTP session row.
#[derive(Clone, Debug)]
pub struct OtpSession {
    pub id: String,
    pub opened_at: i64,
    pub expires_at: i64,
    pub expiry_recorded_at: Option<i64>,
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
    sqlx::query(
        "INSERT INTO otp_session (id, login_session_id, account_id, method, opened_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&otp.id)
    .bind(&login.id)
    .bind(&login.account_id)
    .bind(method)
    .bind(otp.opened_at)
    .bind(otp.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(otp)
}

/// The latest OTP session of a login session.
pub async fn latest_otp(db: &Db, login_id: &str) -> Result<Option<OtpSession>, sqlx::Error> {
    let row: Option<(String, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, opened_at, expires_at, expiry_recorded_at FROM otp_session \
         WHERE login_session_id = $1 ORDER BY opened_at DESC, id DESC LIMIT 1",
    )
    .bind(login_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(
        |(id, opened_at, expires_at, expiry_recorded_at)| OtpSession {
            id,
            opened_at,
            expires_at,
            expiry_recorded_at,
        },
    ))
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
