//! Contacts and consent (issue 5: CONS-01..CONS-05, and the consent part of ACC-01), one file
//! per use case:
//!
//! - [`address_book`]: the sender's contacts (CONS-01, CONS-05);
//! - [`consent_request`], [`consent_answer`], [`consent_revocation`], [`consent_expiry`]: the
//!   life of a private recipient's consent (CONS-02..CONS-04), with what they share in
//!   [`consent`].
//!
//! The rule that letters apply is [`consent_allows`]. The rows are in [`crate::store::contacts`]
//! and [`crate::store::consents`]; the emails' texts in [`crate::mail::consent`]; the server
//! functions reach these flows through `crate::web::contacts`.

pub mod address_book;
pub mod consent;
pub mod consent_answer;
pub mod consent_expiry;
pub mod consent_request;
pub mod consent_revocation;

use app::api::Caller;
use app::contacts::{ConsentRequestView, Contact, ContactForm, GrantedConsent};

use crate::AppState;
use crate::error::ServerError;

pub use consent::{CONSENT_EXPIRY_JOB, consent_allows};
pub use consent_expiry::ConsentExpiry;
pub use consent_revocation::withdraw_consents_of_account;

/// The comparison key of an address: the same rule as `account.email_key`.
pub use crate::account::principal::email_key;

/// CONS-01: the caller's contacts, by name.
pub async fn contacts(state: &AppState, caller: &Caller) -> Result<Vec<Contact>, ServerError> {
    let sender = state.principal(caller).await?;
    address_book::contacts(state, &sender.account_id).await
}

/// CONS-01: creates or edits one of the caller's contacts.
pub async fn contact_save(
    state: &AppState,
    caller: &Caller,
    id: Option<String>,
    form: ContactForm,
) -> Result<Contact, ServerError> {
    let sender = state.principal(caller).await?;
    address_book::save(state, &sender.account_id, id, form).await
}

/// CONS-02: asks the consent of the caller's contact `contact_id`; the contact as it stands.
/// A request discloses the sender to the recipient (policy §5.1), so it is a qualified action:
/// a live OTP session and a proven identity, whose verified name the request carries (§6).
pub async fn consent_request(
    state: &AppState,
    caller: &Caller,
    contact_id: &str,
) -> Result<Contact, ServerError> {
    let (mut sender, qualified) = state.qualified(caller).await?;
    sender.name = qualified.verified_name;
    let contact = address_book::own_contact(state, &sender.account_id, contact_id).await?;
    consent_request::request(state, &sender, &contact).await?;
    let contact = address_book::own_contact(state, &sender.account_id, contact_id).await?;
    address_book::contact_view(state, &sender.account_id, contact).await
}

/// What the consent link `token` shows.
pub async fn consent_view(
    state: &AppState,
    token: &str,
) -> Result<ConsentRequestView, ServerError> {
    consent::view_by_token(state, token).await
}

/// CONS-02: the recipient's answer through the link.
pub async fn consent_answer(
    state: &AppState,
    token: &str,
    grant: bool,
) -> Result<ConsentRequestView, ServerError> {
    consent_answer::answer(state, token, grant).await
}

/// CONS-03: the recipient revokes through the link.
pub async fn consent_revoke(
    state: &AppState,
    caller: &Caller,
    token: &str,
) -> Result<ConsentRequestView, ServerError> {
    consent_revocation::revoke_by_link(state, caller, token).await
}

/// The consents granted from the caller's address.
pub async fn consents_granted(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<GrantedConsent>, ServerError> {
    let account = state.principal(caller).await?;
    consent_revocation::granted_from(state, &account.email).await
}

/// CONS-03: the signed-in recipient withdraws a consent; the consents still granted.
pub async fn consent_withdraw(
    state: &AppState,
    caller: &Caller,
    consent_id: &str,
) -> Result<Vec<GrantedConsent>, ServerError> {
    let account = state.principal(caller).await?;
    consent_revocation::withdraw(state, caller, &account, consent_id).await?;
    consent_revocation::granted_from(state, &account.email).await
}
