//! The evidence of a transaction as its parties read it (table `evidence`, in the order of the
//! journal `ledger`): the steps a letter page lists and the files of a dossier (LET-12).

use domain::ids::TransactionId;
use sqlx::{Any, Executor};

/// One evidence of a transaction.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EvidenceStep {
    pub id: String,
    pub kind: String,
    pub created_at: i64,
}

/// One evidence with its sealed PDF.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EvidenceFile {
    pub id: String,
    pub kind: String,
    pub created_at: i64,
    pub pdf: Vec<u8>,
}

/// The evidence of a transaction (`$1`) in journal order, but for those of a kind (`$2`).
fn in_journal_order(columns: &str) -> String {
    format!(
        "SELECT {columns} FROM evidence e \
         JOIN ledger l ON l.entry_type = 'evidence' AND l.ref_id = e.id \
         WHERE e.letter_id = $1 AND e.kind <> $2 ORDER BY l.seq"
    )
}

/// The evidence of `transaction_id` in journal order, but for those of kind `except`.
pub async fn steps<'c>(
    executor: impl Executor<'c, Database = Any>,
    transaction_id: &TransactionId,
    except: &str,
) -> Result<Vec<EvidenceStep>, sqlx::Error> {
    sqlx::query_as(&in_journal_order("e.id, e.kind, e.created_at"))
        .bind(transaction_id.as_str())
        .bind(except)
        .fetch_all(executor)
        .await
}

/// [`steps`], with each sealed PDF.
pub async fn files<'c>(
    executor: impl Executor<'c, Database = Any>,
    transaction_id: &TransactionId,
    except: &str,
) -> Result<Vec<EvidenceFile>, sqlx::Error> {
    sqlx::query_as(&in_journal_order("e.id, e.kind, e.created_at, e.pdf"))
        .bind(transaction_id.as_str())
        .bind(except)
        .fetch_all(executor)
        .await
}

/// Evidence `id` with its PDF, if it exists.
pub async fn file<'c>(
    executor: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<EvidenceFile>, sqlx::Error> {
    sqlx::query_as("SELECT id, kind, created_at, pdf FROM evidence WHERE id = $1")
        .bind(id)
        .fetch_optional(executor)
        .await
}
