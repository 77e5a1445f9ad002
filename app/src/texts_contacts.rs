//! The texts of the contacts and consent pages (CONS-01..CONS-05), in French then English.

use crate::i18n::Tr;

pub const ERR_CONTACT_EXISTS: Tr = Tr(
    "Cette adresse figure déjà dans vos contacts.",
    "This address is already in your contacts.",
);
