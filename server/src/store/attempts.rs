//! The `auth_failure` table: failed sign-in and second-factor attempts, by kind and scope
//! (`account:<address>` or `ip:<address>`), for rate limiting.

use sqlx::{Any, Executor};

/// When the failures of `kind` and `scope` after `since` happened, newest first.
pub async fn failures_since(
    db: impl Executor<'_, Database = Any>,
    kind: &str,
    scope: &str,
    since: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let recent: Vec<(i64,)> = sqlx::query_as(
        "SELECT failed_at FROM auth_failure WHERE kind = $1 AND scope = $2 AND failed_at > $3 \
         ORDER BY failed_at DESC",
    )
    .bind(kind)
    .bind(scope)
    .bind(since)
    .fetch_all(db)
    .await?;
    Ok(recent.into_iter().map(|(at,)| at).collect())
}

/// Forgets the failures at or before `until`.
pub async fn forget_until(
    db: impl Executor<'_, Database = Any>,
    until: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_failure WHERE failed_at <= $1")
        .bind(until)
        .execute(db)
        .await?;
    Ok(())
}

/// Records a failure.
pub async fn insert(
    db: impl Executor<'_, Database = Any>,
    kind: &str,
    scope: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO auth_failure (id, kind, scope, failed_at) VALUES ($1, $2, $3, $4)")
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(kind)
        .bind(scope)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets the failures of `kind` and `scope`.
pub async fn clear(
    db: impl Executor<'_, Database = Any>,
    kind: &str,
    scope: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_failure WHERE kind = $1 AND scope = $2")
        .bind(kind)
        .bind(scope)
        .execute(db)
        .await?;
    Ok(())
}
