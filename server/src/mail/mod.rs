//! Every email's text, by subject. Delivery goes one way: the durable outbox
//! ([`outbox::Outbox`], job kind `email`), queued in the transaction of the change an email
//! announces, so that a change and its emails commit together or not at all.

pub mod account;
pub mod consent;
pub mod customers;
pub mod entities;
pub mod letters;
pub mod outbox;

pub use outbox::Outbox;
