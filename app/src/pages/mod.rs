//! One module per page (or family of pages).

pub mod accessibility;
pub mod account;
pub mod back_office;
pub mod consent;
pub mod contacts;
pub mod customers;
pub mod dev_clock;
pub mod dev_evidence;
pub mod dev_identity;
pub mod dev_mailbox;
pub mod first_steps;
pub mod form_error;
pub mod home;
pub mod incidents;
pub mod lazy;
pub mod letters;
pub mod organisations;
pub mod password;
pub mod policy;
pub mod profile;
pub mod seal_keys;
pub mod soon;
pub mod terms;
pub mod verifications;
pub mod verify;
mod verify_words;
pub mod wallet;
