//! The `login_session` (AUTH-03) and `otp_session` (AUTH-02) tables. Tokens are stored as
//! their SHA-256 only.

use sqlx::{Any, Executor};

use super::accounts::AccountRow;

/// A login session row.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LoginSession {
    pub id: String,
    pub account_id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub second_factor_at: Option<i64>,
}

/// An OTP session row.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OtpSession {
    pub id: String,
    pub opened_at: i64,
    pub expires_at: i64,
    pub expiry_recorded_at: Option<i64>,
}

/// Inserts an open login session, whose token's hash is `token_hash`.
pub async fn insert(
    db: impl Executor<'_, Database = Any>,
    session: &LoginSession,
    token_hash: &str,
    ip: &str,
    user_agent: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO login_session (id, token_hash, account_id, created_at, last_seen_at, ip, user_agent) \
         VALUES ($1, $2, $3, $4, $4, $5, $6)",
    )
    .bind(&session.id)
    .bind(token_hash)
    .bind(&session.account_id)
    .bind(session.created_at)
    .bind(ip)
    .bind(user_agent)
    .execute(db)
    .await?;
    Ok(())
}

/// The open session whose token's hash is `token_hash`.
pub async fn open_by_token_hash(
    db: impl Executor<'_, Database = Any>,
    token_hash: &str,
) -> Result<Option<LoginSession>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, account_id, created_at, last_seen_at, second_factor_at FROM login_session \
         WHERE token_hash = $1 AND ended_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

/// A session row and its account's, read together.
#[derive(sqlx::FromRow)]
struct SessionOfAccount {
    session_id: String,
    session_created_at: i64,
    last_seen_at: i64,
    second_factor_at: Option<i64>,
    #[sqlx(flatten)]
    account: AccountRow,
}

/// The open session whose token's hash is `token_hash`, with its account, in one query (a
/// page's every request asks).
pub async fn open_with_account(
    db: impl Executor<'_, Database = Any>,
    token_hash: &str,
) -> Result<Option<(LoginSession, AccountRow)>, sqlx::Error> {
    let row: Option<SessionOfAccount> = sqlx::query_as(
        "SELECT s.id AS session_id, s.created_at AS session_created_at, s.last_seen_at, \
         s.second_factor_at, a.id, a.email, a.name, a.password_hash, a.email_confirmed_at, \
         a.totp_secret, a.totp_pending_secret, a.totp_last_step, a.deactivated_at, \
         a.reactivated_at, a.second_factor FROM login_session s \
         JOIN account a ON a.id = s.account_id \
         WHERE s.token_hash = $1 AND s.ended_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| {
        let session = LoginSession {
            id: row.session_id,
            account_id: row.account.id.clone(),
            created_at: row.session_created_at,
            last_seen_at: row.last_seen_at,
            second_factor_at: row.second_factor_at,
        };
        (session, row.account)
    }))
}

/// Records activity at `now` unless the recorded activity is more recent than `since` (a
/// concurrent request of the same session already recorded it); whether it wrote.
pub async fn touch(
    db: impl Executor<'_, Database = Any>,
    id: &str,
    now: i64,
    since: i64,
) -> Result<bool, sqlx::Error> {
    let touched = sqlx::query(
        "UPDATE login_session SET last_seen_at = $1 WHERE id = $2 AND last_seen_at <= $3",
    )
    .bind(now)
    .bind(id)
    .bind(since)
    .execute(db)
    .await?;
    Ok(touched.rows_affected() == 1)
}

/// Replaces the hash of the session's token.
pub async fn set_token_hash(
    db: impl Executor<'_, Database = Any>,
    id: &str,
    token_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE login_session SET token_hash = $1 WHERE id = $2")
        .bind(token_hash)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Records that the session passed its second factor.
pub async fn set_second_factor(
    db: impl Executor<'_, Database = Any>,
    id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE login_session SET second_factor_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends a session, if open, for `reason`.
pub async fn end(
    db: impl Executor<'_, Database = Any>,
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
    .execute(db)
    .await?;
    Ok(())
}

/// Ends every open session of a deactivated account (ACC-01).
pub async fn end_all_deactivated(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE login_session SET ended_at = $1, end_reason = 'deactivated' \
         WHERE account_id = $2 AND ended_at IS NULL",
    )
    .bind(now)
    .bind(account_id)
    .execute(db)
    .await?;
    Ok(())
}

/// Ends every open session of an account for `reason`, but `keep` if given (a password reset
/// ends them all; a change from the profile keeps the session that made it), and closes their
/// OTP sessions at `now`; how many login sessions ended.
pub async fn end_all(
    tx: &mut sqlx::Transaction<'_, Any>,
    account_id: &str,
    keep: Option<&str>,
    now: i64,
    reason: &str,
) -> Result<u64, sqlx::Error> {
    // No session id is empty: "" keeps none.
    let keep = keep.unwrap_or("");
    sqlx::query(
        "UPDATE otp_session SET expires_at = $1, expiry_recorded_at = $1 \
         WHERE account_id = $2 AND login_session_id <> $3 AND expires_at > $1",
    )
    .bind(now)
    .bind(account_id)
    .bind(keep)
    .execute(&mut **tx)
    .await?;
    let ended = sqlx::query(
        "UPDATE login_session SET ended_at = $1, end_reason = $2 \
         WHERE account_id = $3 AND id <> $4 AND ended_at IS NULL",
    )
    .bind(now)
    .bind(reason)
    .bind(account_id)
    .bind(keep)
    .execute(&mut **tx)
    .await?;
    Ok(ended.rows_affected())
}

/// Inserts an OTP session of `login`.
pub async fn insert_otp(
    db: impl Executor<'_, Database = Any>,
    otp: &OtpSession,
    login: &LoginSession,
    method: &str,
) -> Result<(), sqlx::Error> {
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
    .execute(db)
    .await?;
    Ok(())
}

/// The latest OTP session of a login session.
pub async fn latest_otp(
    db: impl Executor<'_, Database = Any>,
    login_id: &str,
) -> Result<Option<OtpSession>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, opened_at, expires_at, expiry_recorded_at FROM otp_session \
         WHERE login_session_id = $1 ORDER BY opened_at DESC, id DESC LIMIT 1",
    )
    .bind(login_id)
    .fetch_optional(db)
    .await
}

/// What the header shows of a signed-in session's second factor, in one query: when its
/// latest OTP session expires (milliseconds since the epoch), and how many of the account's
/// recovery codes are unused.
pub async fn second_factor_state(
    db: impl Executor<'_, Database = Any>,
    login_id: &str,
    account_id: &str,
) -> Result<(Option<i64>, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT expires_at FROM otp_session WHERE login_session_id = $1 \
         ORDER BY opened_at DESC, id DESC LIMIT 1), \
         (SELECT COUNT(*) FROM recovery_code WHERE account_id = $2 AND used_at IS NULL)",
    )
    .bind(login_id)
    .bind(account_id)
    .fetch_one(db)
    .await
}

/// Records that the OTP session's expiry was journaled (once).
pub async fn set_otp_expiry_recorded(
    db: impl Executor<'_, Database = Any>,
    id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE otp_session SET expiry_recorded_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
