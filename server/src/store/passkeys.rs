//! The `passkey` and `passkey_ceremony` tables (issue 14, AUTH-01): the passkeys an account
//! registered as its second factor, and the WebAuthn ceremonies begun and not finished.

use sqlx::{Any, Executor};

/// A registered passkey.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Passkey {
    pub id: String,
    pub account_id: String,
    /// The authenticator's credential id, base64url.
    pub credential_id: String,
    /// The public key and signature counter as the WebAuthn library keeps them (JSON).
    pub credential: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

const COLUMNS: &str = "id, account_id, credential_id, credential, name, created_at, last_used_at";

/// The passkeys of `account_id`, oldest first.
pub async fn of_account(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
) -> Result<Vec<Passkey>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM passkey WHERE account_id = $1 ORDER BY created_at, id"
    ))
    .bind(account_id)
    .fetch_all(db)
    .await
}

pub async fn insert(
    db: impl Executor<'_, Database = Any>,
    row: &Passkey,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO passkey ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&row.id)
    .bind(&row.account_id)
    .bind(&row.credential_id)
    .bind(&row.credential)
    .bind(&row.name)
    .bind(row.created_at)
    .bind(row.last_used_at)
    .execute(db)
    .await
    .map(|_| ())
}

/// How many passkeys `account_id` has.
pub async fn count(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM passkey WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(db)
        .await
}

/// Whether a passkey with this credential id is registered (to any account).
pub async fn credential_taken(
    db: impl Executor<'_, Database = Any>,
    credential_id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM passkey WHERE credential_id = $1")
        .bind(credential_id)
        .fetch_one(db)
        .await
        .map(|count| count > 0)
}

/// Records a use of passkey `id`: its updated credential (signature counter) and the time.
pub async fn used(
    db: impl Executor<'_, Database = Any>,
    id: &str,
    credential: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE passkey SET credential = $1, last_used_at = $2 WHERE id = $3")
        .bind(credential)
        .bind(at)
        .bind(id)
        .execute(db)
        .await
        .map(|_| ())
}

/// Deletes passkey `id` of `account_id`; false when the account has no such passkey.
pub async fn delete(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM passkey WHERE id = $1 AND account_id = $2")
        .bind(id)
        .bind(account_id)
        .execute(db)
        .await
        .map(|done| done.rows_affected() == 1)
}

/// Deletes every passkey of `account_id` (the account switched to an authenticator app).
pub async fn delete_all(
    db: impl Executor<'_, Database = Any>,
    account_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM passkey WHERE account_id = $1")
        .bind(account_id)
        .execute(db)
        .await
        .map(|_| ())
}

/// A WebAuthn ceremony begun by a login session.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Ceremony {
    pub id: String,
    pub login_session_id: String,
    pub account_id: String,
    /// `register` or `authenticate`.
    pub kind: String,
    /// The library's ceremony state (JSON): the challenge and what the answer must match.
    pub state: String,
    pub created_at: i64,
}

pub async fn insert_ceremony(
    db: impl Executor<'_, Database = Any>,
    row: &Ceremony,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO passkey_ceremony (id, login_session_id, account_id, kind, state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&row.id)
    .bind(&row.login_session_id)
    .bind(&row.account_id)
    .bind(&row.kind)
    .bind(&row.state)
    .bind(row.created_at)
    .execute(db)
    .await
    .map(|_| ())
}

/// Deletes the ceremonies begun before `before` (expired, finished or not).
pub async fn prune_ceremonies(
    db: impl Executor<'_, Database = Any>,
    before: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM passkey_ceremony WHERE created_at < $1")
        .bind(before)
        .execute(db)
        .await
        .map(|_| ())
}

/// Takes ceremony `id` of kind `kind` begun by `login_session_id` at or after `since`: marks it
/// finished and returns it, once; `None` when there is no such ceremony open.
pub async fn take_ceremony(
    db: impl Executor<'_, Database = Any> + Copy,
    id: &str,
    login_session_id: &str,
    kind: &str,
    since: i64,
    now: i64,
) -> Result<Option<Ceremony>, sqlx::Error> {
    let taken = sqlx::query(
        "UPDATE passkey_ceremony SET finished_at = $1 WHERE id = $2 AND login_session_id = $3 \
         AND kind = $4 AND created_at >= $5 AND finished_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(login_session_id)
    .bind(kind)
    .bind(since)
    .execute(db)
    .await?;
    if taken.rows_affected() != 1 {
        return Ok(None);
    }
    sqlx::query_as(
        "SELECT id, login_session_id, account_id, kind, state, created_at FROM passkey_ceremony \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}
