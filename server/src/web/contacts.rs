//! The contacts port of the server functions (`app::contacts::ContactServices`): each call goes
//! to its flow in [`crate::contacts`], and a failure becomes the user's error here.

use app::api::Caller;
use app::contacts::{ConsentRequestView, Contact, ContactForm, ContactServices, GrantedConsent};
use app::error::AppError;

use crate::AppState;
use crate::contacts;

#[async_trait::async_trait]
impl ContactServices for AppState {
    async fn contacts(&self, caller: Caller) -> Result<Vec<Contact>, AppError> {
        Ok(contacts::contacts(self, &caller).await?)
    }

    async fn contact_save(
        &self,
        caller: Caller,
        id: Option<String>,
        form: ContactForm,
    ) -> Result<Contact, AppError> {
        Ok(contacts::contact_save(self, &caller, id, form).await?)
    }

    async fn consent_request(
        &self,
        caller: Caller,
        contact_id: String,
    ) -> Result<Contact, AppError> {
        Ok(contacts::consent_request(self, &caller, &contact_id).await?)
    }

    async fn consent_view(&self, token: String) -> Result<ConsentRequestView, AppError> {
        Ok(contacts::consent_view(self, &token).await?)
    }

    async fn consent_answer(
        &self,
        _caller: Caller,
        token: String,
        grant: bool,
    ) -> Result<ConsentRequestView, AppError> {
        Ok(contacts::consent_answer(self, &token, grant).await?)
    }

    async fn consent_revoke(
        &self,
        caller: Caller,
        token: String,
    ) -> Result<ConsentRequestView, AppError> {
        Ok(contacts::consent_revoke(self, &caller, &token).await?)
    }

    async fn consents_granted(&self, caller: Caller) -> Result<Vec<GrantedConsent>, AppError> {
        Ok(contacts::consents_granted(self, &caller).await?)
    }

    async fn consent_withdraw(
        &self,
        caller: Caller,
        consent_id: String,
    ) -> Result<Vec<GrantedConsent>, AppError> {
        Ok(contacts::consent_withdraw(self, &caller, &consent_id).await?)
    }
}
