//! The evidence of a transaction as its parties read it (table `evidence`, in the order of the
//! journal `ledger`): the steps a letter page lists and the files of a dossier (LET-12).

use domain::ids::{LetterId, TransactionId};
use sqlx::{Any, Executor};

/// One evidence with its sealed PDF.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EvidenceFile {
    pub id: String,
    pub kind: String,
    pub created_at: i64,
    pub pdf: Vec<u8>,
}

/// One evidence of one of a letter's transactions.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LetterStep {
    #[sqlx(try_from = "String")]
    pub transaction_id: TransactionId,
    pub id: String,
    pub kind: String,
    pub created_at: i64,
}

/// The evidence of a transaction (`$1`) in journal order, but for those of a kind (`$2`).
///
/// `CROSS JOIN` (an inner join for both databases) fixes SQLite's join order (issue 11): the
/// transaction's few evidence rows by `evidence_letter`, then each one's journal entry by
/// `ledger_ref`, then a sort. Without statistics SQLite preferred to walk the whole journal in
/// `seq` order to save that sort, reading every evidence of every user.
fn in_journal_order(columns: &str) -> String {
    format!(
        "SELECT {columns} FROM evidence e CROSS JOIN ledger l \
         WHERE e.letter_id = $1 AND e.kind <> $2 \
         AND l.entry_type = 'evidence' AND l.ref_id = e.id ORDER BY l.seq"
    )
}

/// The evidence of every transaction of letter `letter_id` (LET-03: one per recipient), in
/// journal order, but for those of kind `except`: one query whatever the number of
/// recipients, in the same join order as [`in_journal_order`].
pub async fn steps_of_letter<'c>(
    executor: impl Executor<'c, Database = Any>,
    letter_id: &LetterId,
    except: &str,
) -> Result<Vec<LetterStep>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id AS transaction_id, e.id, e.kind, e.created_at \
         FROM letter_transaction t CROSS JOIN evidence e CROSS JOIN ledger l \
         WHERE t.letter_id = $1 AND e.letter_id = t.id AND e.kind <> $2 \
         AND l.entry_type = 'evidence' AND l.ref_id = e.id ORDER BY l.seq",
    )
    .bind(letter_id.as_str())
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
