//! The web layer: the only code that knows axum and Leptos — the router and its middleware,
//! the ports the server functions call, uploads, downloads, identity callbacks — and the one
//! place where a server error becomes the user's error and an HTTP status ([`errors`]).
//!
//! Being moved here from `http.rs`, `services.rs` and the route functions of the flows (issue
//! 9); see docs/architecture.md.

pub mod contacts;
pub mod customers;
pub mod entities;
pub mod errors;
pub mod identity;
pub mod incidents;
pub mod letters;
pub mod log;
pub mod operators;
pub mod passkeys;
pub mod pki;
pub mod router;
pub mod seal_keys;
pub mod server_fns;
mod services;
