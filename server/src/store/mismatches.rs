//! Table `addressee_mismatch`: proofings whose verified identity is not the addressee the
//! sender named (ID-03), one row per proofing and transaction.

use sqlx::{Any, Transaction};

/// Records that proofing `proofing_id` verified `verified_name` for `transaction_id`, who is
/// not its addressee; false when it was recorded already.
pub async fn record(
    tx: &mut Transaction<'_, Any>,
    transaction_id: &str,
    proofing_id: &str,
    verified_name: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO addressee_mismatch (transaction_id, proofing_id, verified_name, at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(transaction_id)
    .bind(proofing_id)
    .bind(verified_name)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
