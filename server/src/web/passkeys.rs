//! The passkeys' server functions (`app::passkeys`), wired to `crate::account::passkeys`.

use app::api::{Caller, WithCookie};
use app::error::AppError;
use app::passkeys::{PasskeyCeremony, PasskeyServices, PasskeyView};
use app::types::AuthState;

use crate::AppState;
use crate::account::passkeys;

#[async_trait::async_trait]
impl PasskeyServices for AppState {
    async fn list(&self, caller: Caller) -> Result<Vec<PasskeyView>, AppError> {
        Ok(passkeys::list(self, caller).await?)
    }

    async fn register_begin(&self, caller: Caller) -> Result<PasskeyCeremony, AppError> {
        Ok(passkeys::register_begin(self, caller).await?)
    }

    async fn register_finish(
        &self,
        caller: Caller,
        ceremony: String,
        credential: String,
        name: String,
    ) -> Result<WithCookie<Vec<String>>, AppError> {
        Ok(passkeys::register_finish(self, caller, ceremony, credential, name).await?)
    }

    async fn challenge(&self, caller: Caller) -> Result<PasskeyCeremony, AppError> {
        Ok(passkeys::challenge(self, caller).await?)
    }

    async fn assert(
        &self,
        caller: Caller,
        ceremony: String,
        credential: String,
    ) -> Result<WithCookie<AuthState>, AppError> {
        Ok(passkeys::assert(self, caller, ceremony, credential).await?)
    }

    async fn remove(&self, caller: Caller, id: String) -> Result<(), AppError> {
        Ok(passkeys::remove(self, caller, id).await?)
    }
}
