//! The customers' server functions (`app::customers`), wired to `crate::customers`.

use app::api::Caller;
use app::customers::{CustomerForm, CustomerServices, CustomerSpace, CustomerView};
use app::error::AppError;

use crate::AppState;
use crate::customers;

#[async_trait::async_trait]
impl CustomerServices for AppState {
    async fn space(&self, caller: Caller) -> Result<CustomerSpace, AppError> {
        Ok(customers::views::space(self, &caller).await?)
    }

    async fn answer(
        &self,
        caller: Caller,
        invitation_id: String,
        accept: bool,
    ) -> Result<(), AppError> {
        Ok(customers::answer(self, &caller, &invitation_id, accept).await?)
    }

    async fn invite(
        &self,
        caller: Caller,
        customer_id: String,
        email: String,
        role: String,
    ) -> Result<(), AppError> {
        customers::invite(self, &caller, &customer_id, &email, &role).await?;
        Ok(())
    }

    async fn remove(&self, caller: Caller, user_id: String) -> Result<(), AppError> {
        Ok(customers::remove(self, &caller, &user_id).await?)
    }

    async fn withdraw(&self, caller: Caller, invitation_id: String) -> Result<(), AppError> {
        Ok(customers::withdraw(self, &caller, &invitation_id).await?)
    }

    async fn development_contract(&self, caller: Caller) -> Result<(), AppError> {
        Ok(customers::development_contract(self, &caller).await?)
    }

    async fn register(&self, caller: Caller) -> Result<Vec<CustomerView>, AppError> {
        Ok(customers::views::register(self, &caller).await?)
    }

    async fn record(&self, caller: Caller, form: CustomerForm) -> Result<CustomerView, AppError> {
        let customer = customers::record(self, &caller, &form).await?;
        Ok(customers::views::one(self, customer).await?)
    }

    async fn end(&self, caller: Caller, customer_id: String) -> Result<(), AppError> {
        Ok(customers::end(self, &caller, &customer_id).await?)
    }
}
