//! Tables `seal_key` and `seal_state`: the seal keys of the HSM and what every instance's
//! sealer uses — the active key, the TSA, and the version that tells an instance to reload
//! them (OPS-06; `domain::seal_keys`).

use sqlx::{Any, Executor};

/// A seal key.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SealKey {
    pub id: String,
    /// CKA_LABEL in the token.
    pub label: String,
    /// `domain::seal_keys::SealKeyStatus::code`.
    pub status: String,
    /// `configuration` or `generated`.
    pub origin: String,
    /// SubjectPublicKeyInfo, PEM.
    pub public_key: String,
    /// The seal certificate, PEM.
    pub certificate: Option<String>,
    pub request_id: Option<String>,
    pub created_at: i64,
    pub activated_at: Option<i64>,
    pub retired_at: Option<i64>,
}

const KEY: &str = "SELECT id, label, status, origin, public_key, certificate, request_id, \
     created_at, activated_at, retired_at FROM seal_key";

/// A key to write.
#[derive(Clone, Debug)]
pub struct NewKey<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub status: &'a str,
    pub origin: &'a str,
    pub public_key: &'a str,
    pub certificate: Option<&'a str>,
    pub request_id: Option<&'a str>,
    pub at: i64,
}

/// Inserts `new` unless a key with its label exists; whether it did.
pub async fn insert<'c>(
    executor: impl Executor<'c, Database = Any>,
    new: &NewKey<'_>,
) -> Result<bool, sqlx::Error> {
    let activated = (new.status == "active").then_some(new.at);
    sqlx::query(
        "INSERT INTO seal_key (id, label, status, origin, public_key, certificate, request_id, \
         created_at, activated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (label) DO NOTHING",
    )
    .bind(new.id)
    .bind(new.label)
    .bind(new.status)
    .bind(new.origin)
    .bind(new.public_key)
    .bind(new.certificate)
    .bind(new.request_id)
    .bind(new.at)
    .bind(activated)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

/// Every key, newest first.
pub async fn all<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Vec<SealKey>, sqlx::Error> {
    sqlx::query_as(&format!("{KEY} ORDER BY created_at DESC, id DESC"))
        .fetch_all(executor)
        .await
}

/// Key `id`.
pub async fn by_id<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<SealKey>, sqlx::Error> {
    sqlx::query_as(&format!("{KEY} WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

/// The active key, if one is registered.
pub async fn active<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Option<SealKey>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{KEY} WHERE status = 'active' ORDER BY activated_at DESC LIMIT 1"
    ))
    .fetch_optional(executor)
    .await
}

/// Attaches `certificate` to key `id` (generated or ready), which becomes ready; false when it
/// was in neither status.
pub async fn attach_certificate<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    certificate: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE seal_key SET certificate = $1, status = 'ready' \
         WHERE id = $2 AND status IN ('generated', 'ready')",
    )
    .bind(certificate)
    .bind(id)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

/// Makes the active key ready again (another one is being activated).
pub async fn deactivate_all<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE seal_key SET status = 'ready' WHERE status = 'active'")
        .execute(executor)
        .await
        .map(|_| ())
}

/// Makes ready key `id` active at `at`; false when it was not ready.
pub async fn activate<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE seal_key SET status = 'active', activated_at = $1 WHERE id = $2 AND status = 'ready'",
    )
    .bind(at)
    .bind(id)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

/// Retires key `id` (generated or ready) at `at`; false when it was in neither status.
pub async fn retire<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE seal_key SET status = 'retired', retired_at = $1 \
         WHERE id = $2 AND status IN ('generated', 'ready')",
    )
    .bind(at)
    .bind(id)
    .execute(executor)
    .await
    .map(|done| done.rows_affected() == 1)
}

/// What the sealers use (the one row of `seal_state`).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SealState {
    pub version: i64,
    /// NULL: the TSA of the settings.
    pub tsa_url: Option<String>,
    /// The roots trusted for `tsa_url` (PEM, possibly empty).
    pub tsa_roots: String,
    /// Every root ever trusted by a TSA change (PEM).
    pub tsa_roots_history: String,
}

pub async fn state<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<SealState, sqlx::Error> {
    sqlx::query_as(
        "SELECT version, tsa_url, tsa_roots, tsa_roots_history FROM seal_state WHERE id = 1",
    )
    .fetch_one(executor)
    .await
}

/// The version alone: what an instance compares before each seal.
pub async fn version<'c>(executor: impl Executor<'c, Database = Any>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT version FROM seal_state WHERE id = 1")
        .fetch_one(executor)
        .await
}

/// One more version: every instance reloads its key and TSA before its next seal.
pub async fn bump<'c>(
    executor: impl Executor<'c, Database = Any>,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE seal_state SET version = version + 1, updated_at = $1 WHERE id = 1")
        .bind(at)
        .execute(executor)
        .await
        .map(|_| ())
}

/// Sets the TSA (and one more version).
pub async fn set_tsa<'c>(
    executor: impl Executor<'c, Database = Any>,
    url: &str,
    roots: &str,
    history: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE seal_state SET tsa_url = $1, tsa_roots = $2, tsa_roots_history = $3, \
         version = version + 1, updated_at = $4 WHERE id = 1",
    )
    .bind(url)
    .bind(roots)
    .bind(history)
    .bind(at)
    .execute(executor)
    .await
    .map(|_| ())
}
