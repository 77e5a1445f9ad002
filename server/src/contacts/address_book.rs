//! CONS-01: a sender's address book — list, create, edit — each contact shown with the consent
//! that counts for its address.

use app::contacts::{Contact, ContactForm};
use app::error::AppError;
use app::lifecycle::ConsentStatus;
use app::validation::Invalid;

use super::email_key;
use crate::AppState;
use crate::error::ServerError;
use crate::store::consents;
use crate::store::contacts::{self, ContactFields, ContactRecord};

/// `owner_id`'s contact `id`; another user's (or an unknown) contact is NotFound.
pub(super) async fn own_contact(
    state: &AppState,
    owner_id: &str,
    id: &str,
) -> Result<ContactRecord, ServerError> {
    contacts::owned(state.db.pool(), owner_id, id)
        .await?
        .ok_or_else(|| AppError::NotFound.into())
}

/// A contact as the sender sees it, with the consent that counts for its address.
pub(super) async fn contact_view(
    state: &AppState,
    owner_id: &str,
    contact: ContactRecord,
) -> Result<Contact, ServerError> {
    let professional = contact.is_professional();
    let latest = if professional {
        None
    } else {
        consents::latest(state.db.pool(), owner_id, &contact.email_key).await?
    };
    let consent = latest.as_ref().map(|latest| latest.status);
    let consent_expires_at = latest
        .filter(|latest| latest.status == ConsentStatus::Requested)
        .map(|latest| state.legal_time(latest.expires_at));
    Ok(Contact {
        id: contact.id,
        email: contact.email,
        name: contact.name,
        professional,
        company_name: contact.company_name,
        company_registry: contact.company_registry,
        company_number: contact.company_number,
        consent,
        consent_expires_at,
    })
}

/// The contacts of `owner_id`, by name.
pub(super) async fn contacts(
    state: &AppState,
    owner_id: &str,
) -> Result<Vec<Contact>, ServerError> {
    let mut contacts = Vec::new();
    for contact in contacts::of_owner(state.db.pool(), owner_id).await? {
        contacts.push(contact_view(state, owner_id, contact).await?);
    }
    Ok(contacts)
}

/// Creates (`id` = None) or edits a contact of `owner_id`. An address already in the book
/// (another contact) is refused with [`Invalid::ContactExists`]; nothing is lost.
pub(super) async fn save(
    state: &AppState,
    owner_id: &str,
    id: Option<String>,
    form: ContactForm,
) -> Result<Contact, ServerError> {
    let key = email_key(&form.email);
    if let Some(id) = &id {
        own_contact(state, owner_id, id).await?;
    }
    let duplicate = contacts::with_address(state.db.pool(), owner_id, &key).await?;
    if duplicate.is_some_and(|other| Some(&other) != id.as_ref()) {
        return Err(Invalid::ContactExists.into());
    }
    let fields = ContactFields {
        email: &form.email,
        email_key: &key,
        name: &form.name,
        professional: form.professional,
        company_name: form.company_name.as_deref(),
        company_number: form
            .company_number
            .as_ref()
            .map(|(registry, number)| (registry.code(), number.as_str())),
    };
    let now = state.clock.now_ms();
    let id = match id {
        Some(id) => {
            contacts::update(state.db.pool(), &id, owner_id, &fields, now)
                .await
                .map_err(unique_address)?;
            id
        }
        None => {
            let id = uuid::Uuid::now_v7().to_string();
            contacts::insert(state.db.pool(), &id, owner_id, &fields, now)
                .await
                .map_err(unique_address)?;
            id
        }
    };
    let contact = own_contact(state, owner_id, &id).await?;
    contact_view(state, owner_id, contact).await
}

/// Two requests racing to add the same address: the unique index decides, the loser is told.
fn unique_address(error: sqlx::Error) -> ServerError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => Invalid::ContactExists.into(),
        _ => error.into(),
    }
}
