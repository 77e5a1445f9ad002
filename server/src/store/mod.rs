//! The stores: the only code that writes SQL (docs/architecture.md, "layers"). One file per
//! table group, typed rows (`sqlx::FromRow`), `sqlx::Error` for failures; never the user's
//! error. SQL is written once with `$n` placeholders, for SQLite and PostgreSQL alike.

pub mod accounts;
pub mod attempts;
pub mod links;
pub mod proofings;
pub mod sessions;
