//! The `dev_clock` table: the development clock's offset, shared by every process of the
//! service (the operator page, `pli clock advance`, each server instance). One row (`id = 1`),
//! absent until the clock is first moved.

use sqlx::{Any, Executor, Transaction};

/// The stored offset in milliseconds, if the clock was ever moved.
pub async fn offset<'c>(
    executor: impl Executor<'c, Database = Any>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT offset_ms FROM dev_clock WHERE id = 1")
        .fetch_optional(executor)
        .await
}

/// Adds `delta_ms` to the stored offset (creating the row at `delta_ms`) and returns the new
/// offset, both inside `tx` so that concurrent moves add up.
pub async fn add(tx: &mut Transaction<'_, Any>, delta_ms: i64) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO dev_clock (id, offset_ms) VALUES (1, $1) \
         ON CONFLICT (id) DO UPDATE SET offset_ms = dev_clock.offset_ms + $1",
    )
    .bind(delta_ms)
    .execute(&mut **tx)
    .await?;
    sqlx::query_scalar("SELECT offset_ms FROM dev_clock WHERE id = 1")
        .fetch_one(&mut **tx)
        .await
}

/// Forgets the offset: the development clock is back to real time.
pub async fn reset<'c>(executor: impl Executor<'c, Database = Any>) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM dev_clock")
        .execute(executor)
        .await?;
    Ok(())
}
