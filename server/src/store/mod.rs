//! The only code that knows SQL: one file per group of tables, typed rows (`sqlx::FromRow`),
//! functions that take a pool or the caller's transaction. SQL is written once with `$n`
//! placeholders, understood by SQLite and PostgreSQL (docs/architecture.md, "Database"). A store
//! returns `sqlx::Error`; what a refusal means to the user is the flows' business.

pub mod accounts;
pub mod attachments;
pub mod attempts;
pub mod consents;
pub mod contacts;
pub mod customers;
pub mod dev_clock;
pub mod entities;
pub mod evidence;
pub mod identity_simulator;
pub mod incidents;
pub mod jobs;
pub mod journal;
pub mod letter_evidence;
pub mod letters;
pub mod links;
pub mod log;
pub mod mailbox;
pub mod mismatches;
pub mod notifications;
pub mod oidc;
pub mod passkeys;
pub mod proofings;
pub mod receptions;
pub mod roles;
pub mod seal_keys;
pub mod sessions;
pub mod transactions;
pub mod wallet;

/// Where a page of a list (newest first) starts, by the (time, id) of a row of another page
/// (keyset pagination: rows added meanwhile shift no page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyset<'a> {
    First,
    /// The rows older than this one.
    Older(i64, &'a str),
    /// The rows newer than this one.
    Newer(i64, &'a str),
}

impl Keyset<'_> {
    /// The condition on `time`/`id` columns (parameters `$n`, `$n+1`) and the order to read
    /// in: newest first, but oldest first for [`Keyset::Newer`] (the page just above).
    fn clause(&self, time: &str, id: &str, n: usize) -> (Option<String>, &'static str) {
        let next = n + 1;
        match self {
            Keyset::First => (None, "DESC"),
            // Row values: both databases compare them in index order, within the index.
            Keyset::Older(..) => (Some(format!("({time}, {id}) < (${n}, ${next})")), "DESC"),
            Keyset::Newer(..) => (Some(format!("({time}, {id}) > (${n}, ${next})")), "ASC"),
        }
    }

    fn cursor(&self) -> Option<(i64, String)> {
        match self {
            Keyset::First => None,
            Keyset::Older(time, id) | Keyset::Newer(time, id) => Some((*time, (*id).to_owned())),
        }
    }
}

/// A value bound to a query built at run time.
enum Bind {
    Text(String),
    Int(i64),
}

/// Binds `values` in order.
fn bind_all<'q, O>(
    mut query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    values: Vec<Bind>,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    for value in values {
        query = match value {
            Bind::Text(text) => query.bind(text),
            Bind::Int(int) => query.bind(int),
        };
    }
    query
}
