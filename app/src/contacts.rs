//! Contacts and consent (issue 5: CONS-01..CONS-05): the types the pages show, the server-side
//! port [`ContactServices`] (implemented by `server::contacts`), and the server functions.
//!
//! A sender keeps an address book of contacts (CONS-01). A professional contact needs no
//! consent (CONS-05); a non-professional one must first grant consent to this sender through
//! the emailed link `/consent/<token>` (CONS-02), which later lets them revoke it (CONS-03).
//! A request unanswered for [`crate::lifecycle::CONSENT_REQUEST_DAYS`] expires (CONS-04).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::lifecycle::ConsentStatus;
use domain::entities::Registry;

/// A contact of the signed-in sender, with the consent that counts for its current address
/// (CONS-01, CONS-05).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    pub email: String,
    pub name: String,
    pub professional: bool,
    pub company_name: Option<String>,
    /// The company's registry (`domain::entities::Registry::code`) and normalised number, when
    /// letters to this contact are for the company itself: they are delivered to its legal
    /// representative or a delegate (policy §6.4).
    pub company_registry: Option<String>,
    pub company_number: Option<String>,
    /// The latest consent for this sender and address; `None` for professionals (no consent
    /// needed) and for a non-professional never asked.
    pub consent: Option<ConsentStatus>,
    /// When the pending request expires (RFC 3339 UTC), while `consent` is `Requested`.
    pub consent_expires_at: Option<String>,
}

impl Contact {
    /// Whether the sender may ask this contact's consent now: a non-professional never asked,
    /// or whose last answer was a refusal, an expiry or a revocation.
    pub fn may_request_consent(&self) -> bool {
        !self.professional
            && !matches!(
                self.consent,
                Some(ConsentStatus::Requested | ConsentStatus::Granted)
            )
    }

    /// The company's registry number as it reads ("RCS 732 829 320"), when given.
    pub fn company_rcs(&self) -> Option<String> {
        company_rcs(
            self.company_registry.as_deref(),
            self.company_number.as_deref(),
        )
    }

    /// Whether letters may be sent to this contact now (CONS-01, CONS-05).
    pub fn may_receive_letters(&self) -> bool {
        self.professional || self.consent.is_some_and(ConsentStatus::allows_sending)
    }
}

/// What the consent link shows its recipient (no account needed): who asks, for which
/// address, and where the consent stands (CONS-02, CONS-03).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsentRequestView {
    pub sender_name: String,
    pub sender_email: String,
    pub recipient_name: String,
    pub recipient_email: String,
    pub status: ConsentStatus,
    /// RFC 3339 UTC.
    pub requested_at: String,
    pub expires_at: String,
    pub answered_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A consent granted from the signed-in user's address, which they may revoke (CONS-03).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrantedConsent {
    pub id: String,
    pub sender_name: String,
    pub sender_email: String,
    pub recipient_email: String,
    /// RFC 3339 UTC.
    pub granted_at: String,
}

/// A registry number as it reads ("RCS 732 829 320"), from its registry's code and the number.
pub fn company_rcs(registry: Option<&str>, number: Option<&str>) -> Option<String> {
    let registry = Registry::from_code(registry?)?;
    Some(registry.display(number?))
}

/// A contact as entered, validated by the server function (CONS-01).
#[derive(Clone, Debug, PartialEq)]
pub struct ContactForm {
    pub email: String,
    pub name: String,
    pub professional: bool,
    /// Required (and kept) for professionals only.
    pub company_name: Option<String>,
    /// For a professional, optionally: the company's registry and normalised number (policy
    /// §6.4: the letter is then for the company, delivered to its representative or a
    /// delegate).
    pub company_number: Option<(Registry, String)>,
}

impl ContactForm {
    /// Validates the fields of the contact form: an address, a name, and for a professional a
    /// company name (`app::validation::company_name`) and, if given, its registry number in
    /// `registry` (`domain::entities::Registry::number`; an unknown registry is
    /// [`Invalid::RegistryNumber`](crate::validation::Invalid::RegistryNumber) too).
    pub fn validate(
        email: &str,
        name: &str,
        professional: bool,
        company_name: &str,
        (registry, number): (&str, &str),
    ) -> Result<ContactForm, crate::validation::Invalid> {
        use crate::validation::{self, Invalid};
        let email = validation::email(email)?;
        let name = validation::name(name)?;
        let company_name = if professional {
            Some(validation::company_name(company_name)?)
        } else {
            None
        };
        let company_number = if professional && !number.trim().is_empty() {
            let registry = Registry::from_code(registry.trim()).ok_or(Invalid::RegistryNumber)?;
            Some((registry, registry.number(number)?))
        } else {
            None
        };
        Ok(ContactForm {
            email,
            name,
            professional,
            company_name,
            company_number,
        })
    }
}

/// The server-side port of contacts and consents, implemented by the `server` crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ContactServices: Send + Sync + 'static {
    /// The caller's contacts, by name (CONS-01).
    async fn contacts(&self, caller: crate::api::Caller) -> Result<Vec<Contact>, AppError>;
    /// Creates a contact (`id` = `None`) or edits one of the caller's; another user's contact
    /// is [`AppError::NotFound`].
    async fn contact_save(
        &self,
        caller: crate::api::Caller,
        id: Option<String>,
        form: ContactForm,
    ) -> Result<Contact, AppError>;
    /// CONS-02: emails a consent request to a non-professional contact.
    async fn consent_request(
        &self,
        caller: crate::api::Caller,
        contact_id: String,
    ) -> Result<Contact, AppError>;
    /// What the consent link shows (no account needed).
    async fn consent_view(&self, token: String) -> Result<ConsentRequestView, AppError>;
    /// CONS-02: the recipient grants (`grant`) or refuses through the link.
    async fn consent_answer(
        &self,
        caller: crate::api::Caller,
        token: String,
        grant: bool,
    ) -> Result<ConsentRequestView, AppError>;
    /// CONS-03: the recipient revokes a granted consent through the link.
    async fn consent_revoke(
        &self,
        caller: crate::api::Caller,
        token: String,
    ) -> Result<ConsentRequestView, AppError>;
    /// The consents granted from the signed-in user's address (CONS-03).
    async fn consents_granted(
        &self,
        caller: crate::api::Caller,
    ) -> Result<Vec<GrantedConsent>, AppError>;
    /// CONS-03: the signed-in recipient revokes one of them.
    async fn consent_withdraw(
        &self,
        caller: crate::api::Caller,
        consent_id: String,
    ) -> Result<Vec<GrantedConsent>, AppError>;
}

/// The [`ContactServices`] of this server, as a request context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct ContactServicesHandle(pub std::sync::Arc<dyn ContactServices>);

#[cfg(feature = "ssr")]
fn contact_services() -> Result<std::sync::Arc<dyn ContactServices>, AppError> {
    use_context::<ContactServicesHandle>()
        .map(|handle| handle.0)
        .ok_or_else(|| AppError::Internal {
            request_id: "no-contact-services-context".to_owned(),
        })
}

#[server(endpoint = "contacts")]
pub async fn fetch_contacts() -> Result<Vec<Contact>, AppError> {
    contact_services()?.contacts(crate::api::caller()).await
}

/// Creates (empty `id`) or edits a contact; `professional` is a checkbox (present when set).
#[server(endpoint = "contact_save")]
pub async fn contact_save(
    id: Option<String>,
    email: String,
    name: String,
    professional: Option<String>,
    company_name: Option<String>,
    company_registry: Option<String>,
    company_number: Option<String>,
) -> Result<Contact, AppError> {
    let form = ContactForm::validate(
        &email,
        &name,
        professional.is_some(),
        company_name.as_deref().unwrap_or_default(),
        (
            company_registry.as_deref().unwrap_or_default(),
            company_number.as_deref().unwrap_or_default(),
        ),
    )?;
    let id = id.filter(|id| !id.trim().is_empty());
    contact_services()?
        .contact_save(crate::api::caller(), id, form)
        .await
}

/// CONS-02: emails a consent request to a non-professional contact.
#[server(endpoint = "consent_request")]
pub async fn consent_request(contact_id: String) -> Result<Contact, AppError> {
    contact_services()?
        .consent_request(crate::api::caller(), contact_id)
        .await
}

/// The consent behind an emailed link (public: the link is the credential).
#[server(endpoint = "consent_get")]
pub async fn fetch_consent(token: String) -> Result<ConsentRequestView, AppError> {
    contact_services()?.consent_view(token).await
}

#[server(endpoint = "consent_grant")]
pub async fn consent_grant(token: String) -> Result<ConsentRequestView, AppError> {
    contact_services()?
        .consent_answer(crate::api::caller(), token, true)
        .await
}

#[server(endpoint = "consent_refuse")]
pub async fn consent_refuse(token: String) -> Result<ConsentRequestView, AppError> {
    contact_services()?
        .consent_answer(crate::api::caller(), token, false)
        .await
}

#[server(endpoint = "consent_revoke")]
pub async fn consent_revoke(token: String) -> Result<ConsentRequestView, AppError> {
    contact_services()?
        .consent_revoke(crate::api::caller(), token)
        .await
}

#[server(endpoint = "consents_granted")]
pub async fn fetch_consents_granted() -> Result<Vec<GrantedConsent>, AppError> {
    contact_services()?
        .consents_granted(crate::api::caller())
        .await
}

#[server(endpoint = "consent_withdraw")]
pub async fn consent_withdraw(consent_id: String) -> Result<Vec<GrantedConsent>, AppError> {
    contact_services()?
        .consent_withdraw(crate::api::caller(), consent_id)
        .await
}
