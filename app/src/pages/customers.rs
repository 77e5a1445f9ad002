//! The customers' pages (issue 13; policy §4.3, §4.4):
//! - `/customer`, the signed-in person's customer space: the invitations sent to their
//!   address (accept or decline), their customer and contract, and for an administrator its
//!   users (invite, remove) and its letters; in development, the demonstration contract.
//! - `/back-office/customers`, the business operator's register: record a customer with its
//!   contract and first administrator, invite and remove users, end a contract.
//!
//! Every form works without JavaScript.

use domain::customers::{ContractStatus, CustomerKind, CustomerRole};
use domain::lifecycle::TransactionStatus;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::customers::{
    CustomerDecline, CustomerDevContract, CustomerEnd, CustomerInvitationWithdraw, CustomerInvite,
    CustomerJoin, CustomerLetterView, CustomerRecord, CustomerUserRemove, CustomerView,
    InvitationView, UserView, fetch_customer_space, fetch_customers,
};
use crate::error::AppError;
use crate::i18n::t;
use crate::pages::contacts::load_error;
use crate::pages::letters::{FreshCode, StatusBadge};
use crate::pages::organisations::RegistrySelect;
use crate::texts::customers::{self as tx, role_label};
use crate::when::DayOf;
use crate::{action_error, texts};

/// The actions that change who sends for a customer, shared by both pages.
#[derive(Clone, Copy)]
struct Managing {
    invite: ServerAction<CustomerInvite>,
    remove: ServerAction<CustomerUserRemove>,
    withdraw: ServerAction<CustomerInvitationWithdraw>,
}

impl Managing {
    fn new() -> Self {
        Managing {
            invite: ServerAction::new(),
            remove: ServerAction::new(),
            withdraw: ServerAction::new(),
        }
    }

    fn versions(self) -> (usize, usize, usize) {
        (
            self.invite.version().get(),
            self.remove.version().get(),
            self.withdraw.version().get(),
        )
    }

    /// Their errors, and the invitation's success.
    fn outcome(self) -> impl IntoView {
        view! {
            {action_error(move || self.invite.value().get())}
            {action_error(move || self.remove.value().get())}
            {action_error(move || self.withdraw.value().get())}
            {move || {
                self.invite
                    .value()
                    .get()
                    .is_some_and(|r| r.is_ok())
                    .then(|| view! { <p class="success" role="status">{t(tx::INVITED)}</p> })
            }}
        }
    }

    /// Whether an action was refused for want of a fresh second-factor code.
    fn needs_code(self) -> bool {
        let code = |value: Option<Result<(), AppError>>| {
            matches!(value, Some(Err(AppError::OtpSessionRequired)))
        };
        code(self.invite.value().get())
            || code(self.remove.value().get())
            || code(self.withdraw.value().get())
    }
}

fn role_name(code: &str) -> AnyView {
    match CustomerRole::from_code(code) {
        Some(role) => t(role_label(role)).into_any(),
        None => code.to_owned().into_any(),
    }
}

#[component]
pub fn CustomerSpacePage() -> impl IntoView {
    let join = ServerAction::<CustomerJoin>::new();
    let decline = ServerAction::<CustomerDecline>::new();
    let dev = ServerAction::<CustomerDevContract>::new();
    let managing = Managing::new();
    let fresh = RwSignal::new(0);
    let space = Resource::new(
        move || {
            (
                join.version().get(),
                decline.version().get(),
                dev.version().get(),
                managing.versions(),
                fresh.get(),
            )
        },
        |_| fetch_customer_space(),
    );
    let on_code = Callback::new(move |()| fresh.update(|n| *n += 1));
    // Whether the account may send changed: the pages' state (the compose page's first steps)
    // follows.
    let auth = crate::use_auth();
    Effect::new(move |_| {
        let joined = matches!(join.value().get(), Some(Ok(())));
        if joined || matches!(dev.value().get(), Some(Ok(()))) {
            auth.refresh();
        }
    });
    view! {
        <Title text=t(tx::SPACE_TITLE) />
        <h1>{t(tx::SPACE_TITLE)}</h1>
        <p class="lead">{t(tx::SPACE_LEAD)}</p>
        <div class="customer-result" aria-live="polite">
            {action_error(move || join.value().get())}
            {action_error(move || decline.value().get())}
            {action_error(move || dev.value().get())}
            {managing.outcome()}
            {move || managing.needs_code().then(|| view! {
                <FreshCode lead=tx::OTP_NEEDED on_done=on_code />
            })}
        </div>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match space.await {
                    Err(error) => load_error(error),
                    Ok(space) => {
                        let administrator = space.role.as_deref() == Some(CustomerRole::Administrator.code());
                        let role = space.role.clone().unwrap_or_default();
                        let user_id = space.user_id.clone().unwrap_or_default();
                        view! {
                            {(!space.invitations.is_empty()).then(|| view! {
                                <Invitations invitations=space.invitations.clone() join decline />
                            })}
                            {match space.customer {
                                Some(customer) => view! {
                                    <Contract customer=customer.clone() role=Some(role) />
                                    {administrator.then(|| view! {
                                        <Users customer=customer.clone() managing me=user_id.clone() />
                                        <Letters letters=space.letters.clone() />
                                    })}
                                }
                                .into_any(),
                                None => view! {
                                    <p class="card no-customer">{t(tx::NO_CUSTOMER)}</p>
                                    {space.development.then(|| view! { <DevContract action=dev /> })}
                                }
                                .into_any(),
                            }}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The invitations sent to the person's address.
#[component]
fn Invitations(
    invitations: Vec<InvitationView>,
    join: ServerAction<CustomerJoin>,
    decline: ServerAction<CustomerDecline>,
) -> impl IntoView {
    view! {
        <section class="card customer-invitations">
            <h2>{t(tx::INVITATIONS_TITLE)}</h2>
            <ul class="plain-list">
                {invitations
                    .into_iter()
                    .map(|invitation| {
                        let (accept_id, decline_id) = (invitation.id.clone(), invitation.id.clone());
                        let data_customer = invitation.customer_name.clone();
                        view! {
                            <li class="customer-invitation" data-customer=data_customer>
                                <strong>{invitation.customer_name}</strong> " · " {t(tx::AS_ROLE)} " "
                                {role_name(&invitation.role)} " · " {t(tx::INVITED_BY)} " "
                                {invitation.inviter_name} " · " {t(tx::UNTIL)} " "
                                <DayOf at=invitation.expires_at />
                                <ActionForm action=join attr:class="inline">
                                    <input type="hidden" name="invitation_id" value=accept_id />
                                    <button type="submit" class="customer-join">{t(tx::JOIN)}</button>
                                </ActionForm>
                                <ActionForm action=decline attr:class="inline">
                                    <input type="hidden" name="invitation_id" value=decline_id />
                                    <button type="submit" class="secondary customer-decline">{t(tx::DECLINE)}</button>
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// A customer and its contract (and the person's role in it, on their own space).
#[component]
fn Contract(customer: CustomerView, role: Option<String>) -> impl IntoView {
    let status = match ContractStatus::from_code(&customer.status) {
        Some(ContractStatus::Active) => tx::STATUS_ACTIVE,
        _ => tx::STATUS_ENDED,
    };
    let kind = match CustomerKind::from_code(&customer.kind) {
        Some(CustomerKind::Company) => tx::KIND_COMPANY,
        _ => tx::KIND_PERSON,
    };
    view! {
        <section class="card customer-contract" data-status=customer.status.clone()>
            <h2>{t(tx::YOUR_CUSTOMER)} " : " <span class="customer-name">{customer.name}</span></h2>
            <p>
                {t(kind)}
                {customer.registry_number.map(|number| view! { " · " {number} })}
                {customer.development.then(|| view! { " · " <span class="badge">{t(tx::DEV_BADGE)}</span> })}
            </p>
            <p>
                {t(tx::CONTRACT)} " " <code class="contract-reference">{customer.contract_reference}</code>
                " · " {t(tx::SIGNED_ON)} " " {customer.contract_signed_on} " · "
                <strong class="contract-status">{t(status)}</strong>
            </p>
            {role.map(|role| view! {
                <p class="customer-role" data-role=role.clone()>{t(tx::YOUR_ROLE)} " : " {role_name(&role)}</p>
            })}
        </section>
    }
}

/// A customer's users, its pending invitations and the invitation form; `me`: the viewer's
/// own user id (not removable from here).
#[component]
fn Users(customer: CustomerView, managing: Managing, me: String) -> impl IntoView {
    let active = customer.status == ContractStatus::Active.code();
    let customer_id = customer.id.clone();
    let invitations = customer.invitations;
    view! {
        <section class="card customer-users">
            <h2>{t(tx::USERS_TITLE)}</h2>
            <ul class="plain-list">
                {customer
                    .users
                    .into_iter()
                    .map(|user| view! { <UserLine user managing me=me.clone() /> })
                    .collect_view()}
            </ul>
            {(!invitations.is_empty()).then(move || view! {
                <h3>{t(tx::PENDING_TITLE)}</h3>
                <ul class="plain-list">
                    {invitations
                        .into_iter()
                        .map(|i| view! { <Pending invitation=i managing /> })
                        .collect_view()}
                </ul>
            })}
            {active.then(|| view! { <InviteForm customer_id=customer_id.clone() action=managing.invite /> })}
        </section>
    }
}

/// A pending invitation, which its inviters may withdraw.
#[component]
fn Pending(invitation: InvitationView, managing: Managing) -> impl IntoView {
    let data_email = invitation.email.clone();
    view! {
        <li class="customer-pending" data-email=data_email>
            {invitation.email} " · " {role_name(&invitation.role)} " · " {t(tx::UNTIL)} " "
            <DayOf at=invitation.expires_at />
            <ActionForm action=managing.withdraw attr:class="inline">
                <input type="hidden" name="invitation_id" value=invitation.id />
                <button type="submit" class="secondary customer-withdraw">{t(tx::WITHDRAW)}</button>
            </ActionForm>
        </li>
    }
}

#[component]
fn UserLine(user: UserView, managing: Managing, me: String) -> impl IntoView {
    let removable = user.id != me;
    let data_email = user.email.clone();
    let id = user.id.clone();
    view! {
        <li class="customer-user" data-email=data_email>
            <strong>{user.name}</strong> " (" {user.email} ") · " {role_name(&user.role)}
            {removable.then(|| view! {
                <ActionForm action=managing.remove attr:class="inline">
                    <input type="hidden" name="user_id" value=id.clone() />
                    <button type="submit" class="secondary customer-remove">{t(tx::REMOVE)}</button>
                </ActionForm>
            })}
        </li>
    }
}

#[component]
fn InviteForm(customer_id: String, action: ServerAction<CustomerInvite>) -> impl IntoView {
    view! {
        <ActionForm action attr:class="stack-form customer-invite">
            <h3>{t(tx::INVITE_TITLE)}</h3>
            <input type="hidden" name="customer_id" value=customer_id />
            <label>
                {t(tx::INVITE_EMAIL)}
                <input type="email" name="email" required autocomplete="off" />
            </label>
            <label>
                {t(tx::INVITE_ROLE)}
                <select name="role">
                    <option value=CustomerRole::User.code()>{t(role_label(CustomerRole::User))}</option>
                    <option value=CustomerRole::Administrator.code()>{t(role_label(CustomerRole::Administrator))}</option>
                </select>
            </label>
            <div class="actions">
                <button type="submit" class="customer-invite-submit">{t(tx::INVITE)}</button>
            </div>
        </ActionForm>
    }
}

/// The customer's letters, one line per recipient.
#[component]
fn Letters(letters: Vec<CustomerLetterView>) -> impl IntoView {
    view! {
        <section class="card customer-letters">
            <h2>{t(tx::LETTERS_TITLE)}</h2>
            {if letters.is_empty() {
                view! { <p>{t(tx::NO_LETTERS)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {letters
                            .into_iter()
                            .map(|letter| {
                                let status = TransactionStatus::from_code(&letter.status);
                                view! {
                                    <li class="customer-letter" data-letter=letter.transaction_id.clone()>
                                        <strong>{letter.subject}</strong> " · " <DayOf at=letter.sent_at /> <br />
                                        {t(tx::LETTER_SENDER)} " : " {letter.sender_name}
                                        {letter.sender_company.map(|c| view! { " (" {c} ")" })}
                                        " → " {letter.recipient_name} " <" {letter.recipient_email} "> "
                                        {status.map(|status| view! { <StatusBadge status /> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn DevContract(action: ServerAction<CustomerDevContract>) -> impl IntoView {
    view! {
        <section class="card dev-contract">
            <h2>{t(tx::DEV_TITLE)}</h2>
            <p>{t(tx::DEV_LEAD)}</p>
            <ActionForm action>
                <button type="submit" class="dev-contract-sign">{t(tx::DEV_SIGN)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let record = ServerAction::<CustomerRecord>::new();
    let end = ServerAction::<CustomerEnd>::new();
    let managing = Managing::new();
    let fresh = RwSignal::new(0);
    let list = Resource::new(
        move || {
            (
                record.version().get(),
                end.version().get(),
                managing.versions(),
                fresh.get(),
            )
        },
        |_| fetch_customers(),
    );
    let on_code = Callback::new(move |()| fresh.update(|n| *n += 1));
    view! {
        <Title text=t(tx::REGISTER_TITLE) />
        <h1>{t(tx::REGISTER_TITLE)}</h1>
        <p class="lead">{t(tx::REGISTER_LEAD)}</p>
        <div class="customers-result" aria-live="polite">
            {action_error(move || record.value().get())}
            {action_error(move || end.value().get())}
            {managing.outcome()}
            {move || {
                record
                    .value()
                    .get()
                    .is_some_and(|r| r.is_ok())
                    .then(|| view! { <p class="success" role="status">{t(tx::RECORDED)}</p> })
            }}
        </div>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(AppError::OtpSessionRequired) => view! {
                        <FreshCode lead=texts::operators::OTP_NEEDED_BACK_OFFICE on_done=on_code />
                    }
                    .into_any(),
                    Err(error) => load_error(error),
                    Ok(customers) => view! {
                        <RecordForm action=record />
                        {if customers.is_empty() {
                            view! { <p class="customers-empty">{t(tx::NO_CUSTOMERS)}</p> }.into_any()
                        } else {
                            customers
                                .into_iter()
                                .map(|customer| view! { <Registered customer managing end /> })
                                .collect_view()
                                .into_any()
                        }}
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

/// A customer in the register: its contract, users and invitations, and the end of contract.
#[component]
fn Registered(
    customer: CustomerView,
    managing: Managing,
    end: ServerAction<CustomerEnd>,
) -> impl IntoView {
    let active = customer.status == ContractStatus::Active.code();
    let id = customer.id.clone();
    let data_reference = customer.contract_reference.clone();
    view! {
        <article class="registered-customer" data-reference=data_reference>
            <Contract customer=customer.clone() role=None />
            <Users customer managing me=String::new() />
            {active.then(|| view! {
                <ActionForm action=end attr:class="inline">
                    <input type="hidden" name="customer_id" value=id.clone() />
                    <button type="submit" class="secondary customer-end">{t(tx::END)}</button>
                </ActionForm>
            })}
        </article>
    }
}

#[component]
fn RecordForm(action: ServerAction<CustomerRecord>) -> impl IntoView {
    view! {
        <section class="card customer-record">
            <h2>{t(tx::RECORD)}</h2>
            <ActionForm action attr:class="stack-form">
                <label>
                    {t(tx::KIND)}
                    <select name="kind">
                        <option value=CustomerKind::Company.code()>{t(tx::KIND_COMPANY)}</option>
                        <option value=CustomerKind::Person.code()>{t(tx::KIND_PERSON)}</option>
                    </select>
                </label>
                <label>
                    {t(tx::NAME)}
                    <input type="text" name="name" required autocomplete="off" />
                </label>
                <RegistrySelect label=tx::REGISTRY />
                <label>
                    {t(tx::NUMBER)}
                    <input type="text" name="number" autocomplete="off" />
                </label>
                <label>
                    {t(tx::REFERENCE)}
                    <input type="text" name="contract_reference" required autocomplete="off" />
                </label>
                <label>
                    {t(tx::SIGNED)}
                    <input type="date" name="contract_signed_on" required />
                </label>
                <label>
                    {t(tx::ADMIN_EMAIL)}
                    <input type="email" name="administrator_email" required autocomplete="off" />
                </label>
                <div class="actions">
                    <button type="submit" class="customer-record-submit">{t(tx::RECORD)}</button>
                </div>
            </ActionForm>
        </section>
    }
}
