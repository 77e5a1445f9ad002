//! Customers and who may send (issue 13; policy §4.3, §4.4; `domain::customers`): a business
//! operator records a customer and its contract and invites its first administrator; the
//! customer's administrators invite and remove users and see the customer's letters; a person
//! joins by accepting an invitation sent to their address. Only an active user of a customer
//! whose contract is active may send.
//!
//! The types the pages show, the server-side port [`CustomerServices`] (implemented by
//! `server::customers`), and the server functions. Pages: `/customer` (the person's customer
//! space) and `/back-office/customers` (the business operator's register).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A user of a customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserView {
    pub id: String,
    pub name: String,
    pub email: String,
    /// `domain::customers::CustomerRole::code`.
    pub role: String,
    /// RFC 3339 UTC.
    pub joined_at: String,
}

/// An invitation waiting for its answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: String,
    pub customer_name: String,
    pub email: String,
    /// `domain::customers::CustomerRole::code`.
    pub role: String,
    pub inviter_name: String,
    /// RFC 3339 UTC.
    pub invited_at: String,
    pub expires_at: String,
}

/// A customer and its contract; its users and pending invitations for those who manage it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerView {
    pub id: String,
    /// `domain::customers::CustomerKind::code`.
    pub kind: String,
    pub name: String,
    /// A company's registry number as it reads ("RCS 732 829 320").
    pub registry_number: Option<String>,
    pub contract_reference: String,
    /// YYYY-MM-DD.
    pub contract_signed_on: String,
    /// `domain::customers::ContractStatus::code`.
    pub status: String,
    /// Recorded by the development contract simulator, not by an operator.
    pub development: bool,
    pub users: Vec<UserView>,
    pub invitations: Vec<InvitationView>,
}

/// A letter sent for the customer, one line per recipient.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerLetterView {
    pub transaction_id: String,
    pub subject: String,
    /// RFC 3339 UTC.
    pub sent_at: String,
    pub sender_name: String,
    pub sender_company: Option<String>,
    pub recipient_name: String,
    pub recipient_email: String,
    /// `domain::lifecycle::TransactionStatus` code.
    pub status: String,
}

/// The caller's customer space.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerSpace {
    /// The customer the caller sends for, and their role in it (users and invitations filled
    /// for an administrator only).
    pub customer: Option<CustomerView>,
    /// `domain::customers::CustomerRole::code`.
    pub role: Option<String>,
    /// The caller's own user id (an administrator cannot remove themselves here).
    pub user_id: Option<String>,
    /// The invitations sent to the caller's address.
    pub invitations: Vec<InvitationView>,
    /// The customer's letters, for an administrator.
    pub letters: Vec<CustomerLetterView>,
    /// The development contract simulator is offered (embedded defaults only).
    pub development: bool,
}

/// A new customer, as a business operator types it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerForm {
    /// `domain::customers::CustomerKind::code`.
    pub kind: String,
    pub name: String,
    /// `domain::entities::Registry::code`, for a company.
    pub registry: String,
    pub number: String,
    pub contract_reference: String,
    /// YYYY-MM-DD.
    pub contract_signed_on: String,
    /// Who is invited as the customer's first administrator.
    pub administrator_email: String,
}

/// The server-side port of the customers, implemented by the `server` crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait CustomerServices: Send + Sync + 'static {
    async fn space(&self, caller: crate::api::Caller) -> Result<CustomerSpace, AppError>;
    async fn answer(
        &self,
        caller: crate::api::Caller,
        invitation_id: String,
        accept: bool,
    ) -> Result<(), AppError>;
    async fn invite(
        &self,
        caller: crate::api::Caller,
        customer_id: String,
        email: String,
        role: String,
    ) -> Result<(), AppError>;
    async fn remove(&self, caller: crate::api::Caller, user_id: String) -> Result<(), AppError>;
    async fn withdraw(
        &self,
        caller: crate::api::Caller,
        invitation_id: String,
    ) -> Result<(), AppError>;
    async fn development_contract(&self, caller: crate::api::Caller) -> Result<(), AppError>;
    /// The register of a business operator.
    async fn register(&self, caller: crate::api::Caller) -> Result<Vec<CustomerView>, AppError>;
    async fn record(
        &self,
        caller: crate::api::Caller,
        form: CustomerForm,
    ) -> Result<CustomerView, AppError>;
    async fn end(&self, caller: crate::api::Caller, customer_id: String) -> Result<(), AppError>;
}

/// The [`CustomerServices`] of this server, as a request context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct CustomerServicesHandle(pub std::sync::Arc<dyn CustomerServices>);

#[cfg(feature = "ssr")]
fn services() -> Result<std::sync::Arc<dyn CustomerServices>, AppError> {
    use_context::<CustomerServicesHandle>()
        .map(|handle| handle.0)
        .ok_or_else(|| AppError::Internal {
            request_id: "no-customer-services-context".to_owned(),
        })
}

#[server(endpoint = "customer_space")]
pub async fn fetch_customer_space() -> Result<CustomerSpace, AppError> {
    services()?.space(crate::api::caller()).await
}

/// Accepts an invitation sent to the caller's address: the caller becomes a user of the
/// customer (of one customer at a time).
#[server(endpoint = "customer_join")]
pub async fn customer_join(invitation_id: String) -> Result<(), AppError> {
    services()?
        .answer(crate::api::caller(), invitation_id, true)
        .await
}

#[server(endpoint = "customer_decline")]
pub async fn customer_decline(invitation_id: String) -> Result<(), AppError> {
    services()?
        .answer(crate::api::caller(), invitation_id, false)
        .await
}

/// Invites an address to become a user of the customer (its administrators, or a business
/// operator); the invitation is emailed.
#[server(endpoint = "customer_invite")]
pub async fn customer_invite(
    customer_id: String,
    email: String,
    role: String,
) -> Result<(), AppError> {
    services()?
        .invite(crate::api::caller(), customer_id, email, role)
        .await
}

/// Removes a user from the customer: they can no longer send for it.
#[server(endpoint = "customer_user_remove")]
pub async fn customer_user_remove(user_id: String) -> Result<(), AppError> {
    services()?.remove(crate::api::caller(), user_id).await
}

/// Withdraws a pending invitation (its customer's administrators, or a business operator).
#[server(endpoint = "customer_invitation_withdraw")]
pub async fn customer_invitation_withdraw(invitation_id: String) -> Result<(), AppError> {
    services()?
        .withdraw(crate::api::caller(), invitation_id)
        .await
}

/// The development contract simulator: makes the caller the administrator of a customer of
/// their own, with a contract marked as development (embedded defaults only).
#[server(endpoint = "customer_dev_contract")]
pub async fn customer_dev_contract() -> Result<(), AppError> {
    services()?.development_contract(crate::api::caller()).await
}

#[server(endpoint = "customers")]
pub async fn fetch_customers() -> Result<Vec<CustomerView>, AppError> {
    services()?.register(crate::api::caller()).await
}

/// A business operator records a customer with its active contract, and invites its first
/// administrator.
#[server(endpoint = "customer_record")]
pub async fn customer_record(
    kind: String,
    name: String,
    registry: Option<String>,
    number: Option<String>,
    contract_reference: String,
    contract_signed_on: String,
    administrator_email: String,
) -> Result<CustomerView, AppError> {
    let form = CustomerForm {
        kind,
        name,
        registry: registry.unwrap_or_default(),
        number: number.unwrap_or_default(),
        contract_reference,
        contract_signed_on,
        administrator_email,
    };
    services()?.record(crate::api::caller(), form).await
}

/// A business operator ends a customer's contract: its users can no longer send.
#[server(endpoint = "customer_end")]
pub async fn customer_end(customer_id: String) -> Result<(), AppError> {
    services()?.end(crate::api::caller(), customer_id).await
}
