//! Contacts and consent (issue 5: CONS-01..CONS-05, and the consent part of ACC-01).
//!
//! A sender's address book lives in table `contact`; the consents of non-professional
//! recipients in table `consent` (see [`consent`]). The rule that letters apply is
//! [`consent_allows`].

pub mod consent;

use app::api::Caller;
use app::contacts::{ConsentRequestView, Contact, ContactForm, ContactServices, GrantedConsent};
use app::error::AppError;
use app::validation::Invalid;
use axum::Router;

use crate::AppState;
use crate::services::internal;

pub use consent::{
    CONSENT_EXPIRY_JOB, ConsentExpiry, consent_allows, withdraw_consents_of_account,
};

/// The plain HTTP routes of contacts (none: everything goes through server functions).
pub fn routes() -> Router<AppState> {
    Router::new()
}

/// The comparison key of an address: the same rule as `account.email_key`.
pub use crate::account::principal::email_key;

/// A contact row: id, email, email_key, name, professional, company_name.
type ContactRow = (String, String, String, String, i64, Option<String>);

const CONTACT_COLUMNS: &str = "id, email, email_key, name, professional, company_name";

impl AppState {
    /// The caller's contact `id`; another user's (or an unknown) contact is NotFound.
    async fn own_contact(&self, owner_id: &str, id: &str) -> Result<ContactRow, AppError> {
        sqlx::query_as(&format!(
            "SELECT {CONTACT_COLUMNS} FROM contact WHERE id = $1 AND owner_id = $2"
        ))
        .bind(id)
        .bind(owner_id)
        .fetch_optional(self.db.pool())
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
    }

    /// A contact as the sender sees it, with the consent that counts for its address.
    async fn contact_view(&self, owner_id: &str, row: ContactRow) -> Result<Contact, AppError> {
        let (id, email, email_key, name, professional, company_name) = row;
        let professional = professional != 0;
        let latest = if professional {
            None
        } else {
            consent::latest(self.db.pool(), owner_id, &email_key)
                .await
                .map_err(internal)?
        };
        let consent = latest.as_ref().map(|latest| latest.status);
        let consent_expires_at = latest
            .filter(|latest| latest.status == app::lifecycle::ConsentStatus::Requested)
            .map(|latest| consent::rfc3339(latest.expires_at));
        Ok(Contact {
            id,
            email,
            name,
            professional,
            company_name,
            consent,
            consent_expires_at,
        })
    }
}

/// CONS-01: the caller's contacts, by name.
async fn contacts(state: &AppState, caller: Caller) -> Result<Vec<Contact>, AppError> {
    let sender = state.principal(&caller).await?;
    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
        "SELECT {CONTACT_COLUMNS} FROM contact WHERE owner_id = $1 ORDER BY name, email_key"
    ))
    .bind(&sender.account_id)
    .fetch_all(state.db.pool())
    .await
    .map_err(internal)?;
    let mut contacts = Vec::with_capacity(rows.len());
    for row in rows {
        contacts.push(state.contact_view(&sender.account_id, row).await?);
    }
    Ok(contacts)
}

/// CONS-01: creates or edits a contact. An address already in the caller's book (another
/// contact) is refused with [`Invalid::ContactExists`]; nothing is lost.
async fn contact_save(
    state: &AppState,
    caller: Caller,
    id: Option<String>,
    form: ContactForm,
) -> Result<Contact, AppError> {
    let sender = state.principal(&caller).await?;
    let key = email_key(&form.email);
    if let Some(id) = &id {
        state.own_contact(&sender.account_id, id).await?;
    }
    let duplicate: Option<(String,)> =
        sqlx::query_as("SELECT id FROM contact WHERE owner_id = $1 AND email_key = $2")
            .bind(&sender.account_id)
            .bind(&key)
            .fetch_optional(state.db.pool())
            .await
            .map_err(internal)?;
    if duplicate.is_some_and(|(other,)| Some(&other) != id.as_ref()) {
        return Err(Invalid::ContactExists.into());
    }
    let now = state.clock.now_ms();
    let id = match id {
        Some(id) => {
            sqlx::query(
                "UPDATE contact SET email = $1, email_key = $2, name = $3, professional = $4, \
                 company_name = $5, updated_at = $6 WHERE id = $7 AND owner_id = $8",
            )
            .bind(&form.email)
            .bind(&key)
            .bind(&form.name)
            .bind(i64::from(form.professional))
            .bind(form.company_name.clone())
            .bind(now)
            .bind(&id)
            .bind(&sender.account_id)
            .execute(state.db.pool())
            .await
            .map_err(unique_or_internal)?;
            id
        }
        None => {
            let id = uuid::Uuid::now_v7().to_string();
            sqlx::query(
                "INSERT INTO contact (id, owner_id, email, email_key, name, professional, \
                 company_name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(&id)
            .bind(&sender.account_id)
            .bind(&form.email)
            .bind(&key)
            .bind(&form.name)
            .bind(i64::from(form.professional))
            .bind(form.company_name.clone())
            .bind(now)
            .execute(state.db.pool())
            .await
            .map_err(unique_or_internal)?;
            id
        }
    };
    let row = state.own_contact(&sender.account_id, &id).await?;
    state.contact_view(&sender.account_id, row).await
}

/// Two requests racing to add the same address: the unique index decides, the loser is told.
fn unique_or_internal(error: sqlx::Error) -> AppError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => Invalid::ContactExists.into(),
        _ => internal(error),
    }
}

#[async_trait::async_trait]
impl ContactServices for AppState {
    async fn contacts(&self, caller: Caller) -> Result<Vec<Contact>, AppError> {
        contacts(self, caller).await
    }

    async fn contact_save(
        &self,
        caller: Caller,
        id: Option<String>,
        form: ContactForm,
    ) -> Result<Contact, AppError> {
        contact_save(self, caller, id, form).await
    }

    async fn consent_request(
        &self,
        caller: Caller,
        contact_id: String,
    ) -> Result<Contact, AppError> {
        let sender = self.principal(&caller).await?;
        let row = self.own_contact(&sender.account_id, &contact_id).await?;
        consent::request(self, &sender, &row).await?;
        let row = self.own_contact(&sender.account_id, &contact_id).await?;
        self.contact_view(&sender.account_id, row).await
    }

    async fn consent_view(&self, token: String) -> Result<ConsentRequestView, AppError> {
        consent::view(self, &token).await
    }

    async fn consent_answer(
        &self,
        caller: Caller,
        token: String,
        grant: bool,
    ) -> Result<ConsentRequestView, AppError> {
        let _ = caller;
        consent::answer(self, &token, grant).await
    }

    async fn consent_revoke(
        &self,
        caller: Caller,
        token: String,
    ) -> Result<ConsentRequestView, AppError> {
        consent::revoke_by_link(self, &caller, &token).await
    }

    async fn consents_granted(&self, caller: Caller) -> Result<Vec<GrantedConsent>, AppError> {
        let account = self.principal(&caller).await?;
        consent::granted_from(self, &account.email).await
    }

    async fn consent_withdraw(
        &self,
        caller: Caller,
        consent_id: String,
    ) -> Result<Vec<GrantedConsent>, AppError> {
        let account = self.principal(&caller).await?;
        consent::withdraw(self, &caller, &account, &consent_id).await?;
        consent::granted_from(self, &account.email).await
    }
}
