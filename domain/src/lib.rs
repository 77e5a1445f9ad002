//! Pli's domain: what a registered letter, a consent and an account *are*, written once and
//! used by the browser (`app`, compiled to WASM), the server's flows and jobs, and the evidence
//! model. Nothing here does input or output: no clock (times are arguments), no database, no
//! HTTP, no async.
//!
//! - [`ids`]: typed identifiers (`LetterId`, `TransactionId`, `AccountId`, `ContactId`) and
//!   [`ids::Sha256`].
//! - [`policy`]: every number the policy sets (15 days, reminder days and hour, 15-minute
//!   windows, 30-day consent requests, size limits), once.
//! - [`lifecycle`]: the state machines of a letter, a transaction (one recipient) and a consent.
//! - [`deadline`]: the dates of one transaction (LET-06, LET-07, LET-10).
//! - [`text`]: what text the service accepts (no control characters, line ends normalised), the
//!   one rule shared by the forms, the server and the evidence documents.
//! - [`time`]: how a time is written (RFC 3339, UTC).
//! - [`validation`]: the input rules built on it, each failing with an [`validation::Invalid`].
//! - [`identity`]: whether a verified identity is the addressee the sender named (ID-03).
//! - [`customers`]: customers, their contracts and users: who may send (§4.3, §4.4).
//! - [`roles`]: the trusted roles, their forbidden combinations, and the statuses of their
//!   assignments and of dual-control requests (OPS-01, OPS-06).
//! - [`seal_keys`]: the seal keys' statuses and the seal-key operations under dual control
//!   (OPS-01, OPS-06).
//! - [`incidents`]: the security-incident register's statuses, who may do what, its inputs
//!   and the 24-hour report deadline (OPS-08).
//! - [`visibility`]: what a recipient may learn of a letter in each state (LET-05, LET-09).
//! - [`DomainError`]: why a rule refused something.

// The checkout this crate is built from (`.cargo/config.toml`): clones share one cargo target
// directory, and reading the variable makes cargo rebuild the crate when another clone built it
// last (see docs/build.md, "One target directory, several checkouts").
const _: Option<&str> = option_env!("PLI_CHECKOUT");

pub mod customers;
pub mod deadline;
pub mod entities;
pub mod identity;
pub mod ids;
pub mod incidents;
pub mod lifecycle;
pub mod policy;
pub mod roles;
pub mod seal_keys;
pub mod text;
pub mod time;
pub mod validation;
pub mod visibility;

pub use lifecycle::TransitionError;
pub use validation::Invalid;

/// Why a domain rule refused an action: an input that breaks a validation rule, or an event
/// that a state machine does not allow in the current state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// An input breaks a validation rule.
    #[error("invalid input: {0:?}")]
    Invalid(Invalid),
    /// A letter's transaction cannot take this event in its state.
    #[error(transparent)]
    Transition(#[from] TransitionError),
}

impl From<Invalid> for DomainError {
    fn from(reason: Invalid) -> Self {
        DomainError::Invalid(reason)
    }
}
