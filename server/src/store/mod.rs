//! The only code that knows SQL: one file per group of tables, typed rows (`sqlx::FromRow`),
//! functions that take a pool or the caller's transaction. SQL is written once with `$n`
//! placeholders, understood by SQLite and PostgreSQL (docs/architecture.md, "Database"). A store
//! returns `sqlx::Error`; what a refusal means to the user is the flows' business.

pub mod accounts;
pub mod attachments;
pub mod attempts;
pub mod consents;
pub mod contacts;
pub mod dev_clock;
pub mod evidence;
pub mod identity_simulator;
pub mod jobs;
pub mod journal;
pub mod letter_evidence;
pub mod letters;
pub mod links;
pub mod mailbox;
pub mod mismatches;
pub mod notifications;
pub mod proofings;
pub mod receptions;
pub mod sessions;
pub mod transactions;
