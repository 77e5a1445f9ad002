//! Customers and who may send (issue 13; policy §4.3, §4.4; `domain::customers`).
//!
//! 1. A business operator records a customer — a person or a company — with its signed
//!    contract, and invites its first administrator by email ([`record`]).
//! 2. A person accepts (or declines) an invitation sent to their account's address
//!    ([`answer`]); they become a user of the customer, of one customer at a time.
//! 3. The customer's administrators (or a business operator) invite more users ([`invite`])
//!    and remove them ([`remove`]), never the last administrator; they see the customer's
//!    letters ([`views::space`]).
//! 4. Sending needs an active user of a customer with an active contract ([`require_sender`]);
//!    a business operator may end the contract ([`end`]).
//! 5. In development only, a person may sign a demonstration contract themselves
//!    ([`development_contract`]): the contract simulator of the embedded defaults, recorded
//!    with origin `development`.
//!
//! Every step is journaled (audit category `customers`).

pub mod views;

use app::api::Caller;
use app::customers::CustomerForm;
use app::error::AppError;
use domain::customers::{
    self as rules, ContractStatus, CustomerKind, CustomerRefusal, CustomerRole, InvitationStatus,
};
use domain::entities::Registry;
use domain::roles::TrustedRole;
use serde_json::json;

use crate::AppState;
use crate::account::principal::{Principal, email_key};
use crate::audit::{self, Event};
use crate::error::ServerError;
use crate::mail::Outbox;
use crate::store::customers::{self as rows, Customer, Invitation, User};

fn event(actor: &str, action: &'static str, details: serde_json::Value) -> Event {
    Event {
        category: "customers",
        action,
        actor: Some(actor.to_owned()),
        details,
    }
}

/// The customer `account_id` sends for: its id, when the account is an active user of a
/// customer whose contract is active; [`CustomerRefusal::NotACustomer`] or
/// [`CustomerRefusal::ContractEnded`] otherwise (§4.3).
pub async fn require_sender(state: &AppState, account_id: &str) -> Result<String, ServerError> {
    let contract = rows::contract_of(state.db.pool(), account_id).await?;
    let status = contract
        .as_ref()
        .map(|(_, status)| ContractStatus::from_code(status).unwrap_or(ContractStatus::Ended));
    rules::may_send(status).map_err(AppError::from)?;
    Ok(contract.map(|(id, _)| id).unwrap_or_default())
}

/// Whether `account_id` holds the business operator's role in effect.
async fn business_operator(state: &AppState, account_id: &str) -> Result<bool, ServerError> {
    Ok(crate::operators::roles_in_effect(state, account_id)
        .await?
        .contains(&TrustedRole::BusinessOperator))
}

/// The caller, with a live OTP session, as one who manages `customer_id`: one of its active
/// administrators or a business operator ([`CustomerRefusal::AdministratorOnly`]).
async fn manager(
    state: &AppState,
    caller: &Caller,
    customer_id: &str,
) -> Result<(Principal, Customer), ServerError> {
    let principal = state.principal(caller).await?;
    state.otp_session(caller).await?;
    let pool = state.db.pool();
    let administrator = rows::active_user_of(pool, &principal.account_id)
        .await?
        .is_some_and(|u| {
            u.customer_id == customer_id && u.role == CustomerRole::Administrator.code()
        });
    if !administrator && !business_operator(state, &principal.account_id).await? {
        return Err(AppError::from(CustomerRefusal::AdministratorOnly).into());
    }
    let customer = rows::by_id(pool, customer_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((principal, customer))
}

/// The refusal for an id of no customer's user or invitation, the same as for one of another
/// customer's: a stranger learns nothing of which ids exist.
async fn unknown(state: &AppState, caller: &Caller) -> ServerError {
    match state.principal(caller).await {
        Err(error) => error,
        Ok(_) => AppError::from(CustomerRefusal::AdministratorOnly).into(),
    }
}

fn active(customer: &Customer) -> Result<(), ServerError> {
    if customer.status == ContractStatus::Active.code() {
        Ok(())
    } else {
        Err(AppError::from(CustomerRefusal::ContractEnded).into())
    }
}

/// A business operator records a customer and its active contract, and invites its first
/// administrator.
pub async fn record(
    state: &AppState,
    caller: &Caller,
    form: &CustomerForm,
) -> Result<Customer, ServerError> {
    let operator = state.operator(caller).await?;
    operator.require(TrustedRole::BusinessOperator)?;
    let kind = CustomerKind::from_code(form.kind.trim()).ok_or(AppError::NotFound)?;
    let (name, registry, number) = match kind {
        CustomerKind::Person => (app::validation::name(&form.name)?, None, None),
        CustomerKind::Company => {
            let registry = Registry::from_code(form.registry.trim()).ok_or(AppError::NotFound)?;
            let number = registry.number(&form.number)?;
            let name = domain::entities::company_name(&form.name)?;
            (name, Some(registry.code().to_owned()), Some(number))
        }
    };
    let reference = rules::contract_reference(&form.contract_reference).map_err(AppError::from)?;
    let today = chrono::NaiveDate::parse_from_str(&state.legal_today(), "%Y-%m-%d")
        .map_err(|e| ServerError::internal(format!("legal date: {e}")))?;
    let signed_on =
        rules::contract_date(&form.contract_signed_on, today).map_err(AppError::from)?;
    let email = app::validation::email(&form.administrator_email)?;
    let now = state.clock.now();
    let account_id = &operator.principal.account_id;
    let customer = Customer {
        id: uuid::Uuid::now_v7().to_string(),
        kind: kind.code().to_owned(),
        name,
        registry,
        registry_number: number,
        contract_reference: reference,
        contract_signed_on: signed_on.format("%Y-%m-%d").to_string(),
        status: ContractStatus::Active.code().to_owned(),
        origin: "operator".to_owned(),
        recorded_by: account_id.clone(),
        recorded_at: now.timestamp_millis(),
        ended_at: None,
    };
    let mut tx = state.db.begin().await?;
    if !rows::insert(&mut *tx, &customer).await? {
        return Err(AppError::from(CustomerRefusal::ContractExists).into());
    }
    let details = json!({
        "customer_id": customer.id,
        "kind": customer.kind,
        "name": customer.name,
        "registry": customer.registry,
        "registry_number": customer.registry_number,
        "contract_reference": customer.contract_reference,
        "contract_signed_on": customer.contract_signed_on,
    });
    audit::record_in(
        &mut tx,
        now,
        &event(account_id, "customer_recorded", details),
    )
    .await?;
    queue_invitation(
        state,
        &mut tx,
        &customer,
        &operator.principal,
        &email,
        CustomerRole::Administrator,
    )
    .await?;
    tx.commit().await?;
    Ok(customer)
}

/// Writes, journals and emails an invitation of `email` to `customer`, inside `tx`.
async fn queue_invitation(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    customer: &Customer,
    inviter: &Principal,
    email: &str,
    role: CustomerRole,
) -> Result<Invitation, ServerError> {
    let now = state.clock.now();
    let invitation = Invitation {
        id: uuid::Uuid::now_v7().to_string(),
        customer_id: customer.id.clone(),
        customer_name: customer.name.clone(),
        email: email.to_owned(),
        email_key: email_key(email),
        role: role.code().to_owned(),
        invited_by: inviter.account_id.clone(),
        inviter_name: inviter.name.clone(),
        invited_at: now.timestamp_millis(),
        expires_at: (now + chrono::TimeDelta::days(rules::INVITATION_DAYS)).timestamp_millis(),
        status: InvitationStatus::Pending.code().to_owned(),
    };
    rows::insert_invitation(&mut **tx, &invitation).await?;
    let details = json!({
        "invitation_id": invitation.id,
        "customer_id": customer.id,
        "email": invitation.email,
        "role": invitation.role,
    });
    audit::record_in(
        tx,
        now,
        &event(&inviter.account_id, "user_invited", details),
    )
    .await?;
    let expires = chrono::DateTime::from_timestamp_millis(invitation.expires_at)
        .unwrap_or_default()
        .with_timezone(&state.legal_zone())
        .format("%d/%m/%Y")
        .to_string();
    let email =
        crate::mail::customers::invitation(&invitation, &expires, &state.config.server.public_url);
    Outbox::queue_in(&state.jobs, tx, &email, now).await?;
    Ok(invitation)
}

/// Invites `email` to become a user of `customer_id` with `role` (its administrators, or a
/// business operator).
pub async fn invite(
    state: &AppState,
    caller: &Caller,
    customer_id: &str,
    email: &str,
    role: &str,
) -> Result<Invitation, ServerError> {
    let (inviter, customer) = manager(state, caller, customer_id).await?;
    active(&customer)?;
    let role = CustomerRole::from_code(role.trim()).ok_or(AppError::NotFound)?;
    let email = app::validation::email(email)?;
    let key = email_key(&email);
    let pool = state.db.pool();
    let now = state.clock.now();
    let member = rows::users(pool, customer_id)
        .await?
        .iter()
        .any(|u| email_key(&u.email) == key);
    let invited = rows::invitations_of(pool, customer_id, now.timestamp_millis())
        .await?
        .iter()
        .any(|i| i.email_key == key);
    if member || invited {
        return Err(AppError::from(CustomerRefusal::AlreadyInvited).into());
    }
    let mut tx = state.db.begin().await?;
    let invitation = queue_invitation(state, &mut tx, &customer, &inviter, &email, role).await?;
    tx.commit().await?;
    Ok(invitation)
}

/// Withdraws a pending invitation (the customer's administrators, or a business operator).
pub async fn withdraw(
    state: &AppState,
    caller: &Caller,
    invitation_id: &str,
) -> Result<(), ServerError> {
    let pool = state.db.pool();
    let Some(invitation) = rows::invitation(pool, invitation_id).await? else {
        return Err(unknown(state, caller).await);
    };
    let (by, customer) = manager(state, caller, &invitation.customer_id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let withdrawn = InvitationStatus::Withdrawn.code();
    if !rows::answer_invitation(&mut *tx, &invitation.id, withdrawn, now.timestamp_millis()).await?
    {
        return Err(AppError::from(CustomerRefusal::InvitationClosed).into());
    }
    let details = json!({
        "invitation_id": invitation.id,
        "customer_id": customer.id,
        "email": invitation.email,
    });
    audit::record_in(
        &mut tx,
        now,
        &event(&by.account_id, "invitation_withdrawn", details),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The caller accepts (`accept`) or declines an invitation sent to their address.
pub async fn answer(
    state: &AppState,
    caller: &Caller,
    invitation_id: &str,
    accept: bool,
) -> Result<(), ServerError> {
    let person = state.principal(caller).await?;
    let pool = state.db.pool();
    let invitation = rows::invitation(pool, invitation_id)
        .await?
        .filter(|i| i.email_key == person.email_key)
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    if invitation.status != InvitationStatus::Pending.code()
        || invitation.expires_at <= now.timestamp_millis()
    {
        return Err(AppError::from(CustomerRefusal::InvitationClosed).into());
    }
    let customer = rows::by_id(pool, &invitation.customer_id)
        .await?
        .ok_or_else(|| ServerError::internal("an invitation without its customer"))?;
    let status = if accept {
        active(&customer)?;
        InvitationStatus::Accepted
    } else {
        InvitationStatus::Declined
    };
    let mut tx = state.db.begin().await?;
    if !rows::answer_invitation(
        &mut *tx,
        &invitation.id,
        status.code(),
        now.timestamp_millis(),
    )
    .await?
    {
        return Err(AppError::from(CustomerRefusal::InvitationClosed).into());
    }
    let mut details = json!({
        "invitation_id": invitation.id,
        "customer_id": customer.id,
        "role": invitation.role,
    });
    let action = if accept {
        let user = User {
            id: uuid::Uuid::now_v7().to_string(),
            customer_id: customer.id.clone(),
            account_id: person.account_id.clone(),
            name: person.name.clone(),
            email: person.email.clone(),
            role: invitation.role.clone(),
            status: "active".to_owned(),
            joined_at: now.timestamp_millis(),
            removed_at: None,
        };
        // One customer at a time: the database's unique index decides a race.
        if !rows::insert_user(&mut *tx, &user, Some(&invitation.id)).await? {
            return Err(AppError::from(CustomerRefusal::OtherCustomer).into());
        }
        details["user_id"] = json!(user.id);
        "user_joined"
    } else {
        "invitation_declined"
    };
    audit::record_in(&mut tx, now, &event(&person.account_id, action, details)).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes user `user_id` from their customer (its administrators, or a business operator):
/// they can no longer send for it. The last administrator stays.
pub async fn remove(state: &AppState, caller: &Caller, user_id: &str) -> Result<(), ServerError> {
    let pool = state.db.pool();
    let Some(user) = rows::user(pool, user_id).await? else {
        return Err(unknown(state, caller).await);
    };
    let (remover, customer) = manager(state, caller, &user.customer_id).await?;
    if user.status != "active" {
        return Err(AppError::NotFound.into());
    }
    let role = CustomerRole::from_code(&user.role).unwrap_or(CustomerRole::User);
    let administrators = rows::users(pool, &customer.id)
        .await?
        .iter()
        .filter(|u| u.role == CustomerRole::Administrator.code())
        .count();
    rules::may_remove(role, administrators).map_err(AppError::from)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !rows::remove_user(
        &mut *tx,
        &user.id,
        &remover.account_id,
        now.timestamp_millis(),
    )
    .await?
    {
        return Err(AppError::NotFound.into());
    }
    let details = json!({
        "user_id": user.id,
        "customer_id": customer.id,
        "account_id": user.account_id,
        "role": user.role,
    });
    audit::record_in(
        &mut tx,
        now,
        &event(&remover.account_id, "user_removed", details),
    )
    .await?;
    let email =
        crate::mail::customers::removed(&user, &customer.name, &state.config.server.public_url);
    Outbox::queue_in(&state.jobs, &mut tx, &email, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A business operator ends the contract of `customer_id`.
pub async fn end(state: &AppState, caller: &Caller, customer_id: &str) -> Result<(), ServerError> {
    let operator = state.operator(caller).await?;
    operator.require(TrustedRole::BusinessOperator)?;
    let pool = state.db.pool();
    let customer = rows::by_id(pool, customer_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    let account_id = &operator.principal.account_id;
    let mut tx = state.db.begin().await?;
    if !rows::end(&mut *tx, &customer.id, account_id, now.timestamp_millis()).await? {
        return Err(AppError::from(CustomerRefusal::ContractEnded).into());
    }
    let details = json!({
        "customer_id": customer.id,
        "contract_reference": customer.contract_reference,
    });
    audit::record_in(&mut tx, now, &event(account_id, "contract_ended", details)).await?;
    tx.commit().await?;
    Ok(())
}

/// The development contract simulator (embedded defaults only): the caller becomes the
/// administrator of a customer of their own, its contract marked `development`.
pub async fn development_contract(state: &AppState, caller: &Caller) -> Result<(), ServerError> {
    if !state.config.is_development() {
        return Err(AppError::DevelopmentOnly.into());
    }
    let person = state.principal(caller).await?;
    let now = state.clock.now();
    let id = uuid::Uuid::now_v7().to_string();
    let customer = Customer {
        contract_reference: format!("DEV-{}", &id[id.len() - 12..]),
        id,
        kind: CustomerKind::Person.code().to_owned(),
        name: person.name.clone(),
        registry: None,
        registry_number: None,
        contract_signed_on: state.legal_today(),
        status: ContractStatus::Active.code().to_owned(),
        origin: "development".to_owned(),
        recorded_by: person.account_id.clone(),
        recorded_at: now.timestamp_millis(),
        ended_at: None,
    };
    let user = User {
        id: uuid::Uuid::now_v7().to_string(),
        customer_id: customer.id.clone(),
        account_id: person.account_id.clone(),
        name: person.name.clone(),
        email: person.email.clone(),
        role: CustomerRole::Administrator.code().to_owned(),
        status: "active".to_owned(),
        joined_at: now.timestamp_millis(),
        removed_at: None,
    };
    let mut tx = state.db.begin().await?;
    if !rows::insert(&mut *tx, &customer).await? {
        return Err(ServerError::internal(
            "a development contract reference collided",
        ));
    }
    if !rows::insert_user(&mut *tx, &user, None).await? {
        return Err(AppError::from(CustomerRefusal::OtherCustomer).into());
    }
    let details = json!({
        "customer_id": customer.id,
        "user_id": user.id,
        "contract_reference": customer.contract_reference,
        "development": true,
    });
    audit::record_in(
        &mut tx,
        now,
        &event(&person.account_id, "development_contract", details),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
