//! What the customer space and the business operator's register show (`app::customers`).

use app::api::Caller;
use app::customers::{CustomerLetterView, CustomerSpace, CustomerView, InvitationView, UserView};
use domain::customers::CustomerRole;
use domain::entities::Registry;
use domain::roles::TrustedRole;
use domain::time::rfc3339;

use crate::AppState;
use crate::error::ServerError;
use crate::store::customers::{self as rows, Customer, Invitation};

/// The most letter lines the customer space lists.
const LETTERS_SHOWN: i64 = 200;

fn invitation_view(invitation: Invitation) -> InvitationView {
    InvitationView {
        id: invitation.id,
        customer_name: invitation.customer_name,
        email: invitation.email,
        role: invitation.role,
        inviter_name: invitation.inviter_name,
        invited_at: rfc3339(invitation.invited_at),
        expires_at: rfc3339(invitation.expires_at),
    }
}

/// `customer` as the pages show it; with its users and pending invitations if `managed`.
async fn customer_view(
    state: &AppState,
    customer: Customer,
    managed: bool,
) -> Result<CustomerView, ServerError> {
    let pool = state.db.pool();
    let (users, invitations) = if managed {
        let users = rows::users(pool, &customer.id)
            .await?
            .into_iter()
            .map(|u| UserView {
                id: u.id,
                name: u.name,
                email: u.email,
                role: u.role,
                joined_at: rfc3339(u.joined_at),
            })
            .collect();
        let now = state.clock.now().timestamp_millis();
        let invitations = rows::invitations_of(pool, &customer.id, now)
            .await?
            .into_iter()
            .map(invitation_view)
            .collect();
        (users, invitations)
    } else {
        (Vec::new(), Vec::new())
    };
    let registry_number = match (&customer.registry, &customer.registry_number) {
        (Some(registry), Some(number)) => Some(
            Registry::from_code(registry)
                .unwrap_or(Registry::France)
                .display(number),
        ),
        _ => None,
    };
    Ok(CustomerView {
        id: customer.id,
        kind: customer.kind,
        name: customer.name,
        registry_number,
        contract_reference: customer.contract_reference,
        contract_signed_on: customer.contract_signed_on,
        status: customer.status,
        development: customer.origin == "development",
        users,
        invitations,
    })
}

/// The caller's customer space: their customer and role, the invitations to their address,
/// and for an administrator the customer's users, invitations and letters.
pub async fn space(state: &AppState, caller: &Caller) -> Result<CustomerSpace, ServerError> {
    let person = state.principal(caller).await?;
    let pool = state.db.pool();
    let now = state.clock.now().timestamp_millis();
    let invitations = rows::invitations_to(pool, &person.email_key, now)
        .await?
        .into_iter()
        .map(invitation_view)
        .collect();
    let mut space = CustomerSpace {
        customer: None,
        role: None,
        user_id: None,
        invitations,
        letters: Vec::new(),
        development: false,
    };
    let Some(user) = rows::active_user_of(pool, &person.account_id).await? else {
        space.development = state.config.is_development();
        return Ok(space);
    };
    let Some(customer) = rows::by_id(pool, &user.customer_id).await? else {
        return Err(ServerError::internal("a user without its customer"));
    };
    let administrator = user.role == CustomerRole::Administrator.code();
    if administrator {
        space.letters = rows::letters(pool, &customer.id, LETTERS_SHOWN)
            .await?
            .into_iter()
            .map(|l| CustomerLetterView {
                transaction_id: l.transaction_id,
                subject: l.subject,
                sent_at: rfc3339(l.sent_at),
                sender_name: l.sender_name,
                sender_company: l.sender_company,
                recipient_name: l.recipient_name,
                recipient_email: l.recipient_email,
                status: l.status,
            })
            .collect();
    }
    space.customer = Some(customer_view(state, customer, administrator).await?);
    space.role = Some(user.role);
    space.user_id = Some(user.id);
    Ok(space)
}

/// Every customer, with its users and pending invitations (a business operator).
pub async fn register(state: &AppState, caller: &Caller) -> Result<Vec<CustomerView>, ServerError> {
    let operator = state.operator(caller).await?;
    operator.require(TrustedRole::BusinessOperator)?;
    let mut views = Vec::new();
    for customer in rows::all(state.db.pool()).await? {
        views.push(customer_view(state, customer, true).await?);
    }
    Ok(views)
}

/// One customer as the register shows it.
pub async fn one(state: &AppState, customer: Customer) -> Result<CustomerView, ServerError> {
    customer_view(state, customer, true).await
}
