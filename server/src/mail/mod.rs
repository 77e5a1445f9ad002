//! The texts of the service's emails, by area (docs/architecture.md, "layers"): each function
//! builds an [`Email`](crate::mailer::Email) that a flow queues through the durable outbox
//! ([`Outbox::queue_in`](crate::mailer::Outbox::queue_in)). `crate::mailer` formats and
//! delivers them.

pub mod account;
