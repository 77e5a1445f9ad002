//! The back office (issue 13; OPS-01, OPS-06): the roles offered to the signed-in person, which
//! they accept or decline; an operator's roles in effect; and for a security officer, the
//! request form, the pending dual-control requests (approve, reject, withdraw) and the roles
//! given (request a removal). Every form works without JavaScript.

use domain::roles::TrustedRole;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;
use crate::i18n::t;
use crate::operators::{
    AssignmentView, AuditJournal, AuditVerifyLedger, BackOffice, DualControlApprove,
    DualControlReject, JournalPage, LedgerCheck, RequestView, RoleAccept, RoleDecline, RoleRemoval,
    RoleRequest, fetch_back_office, fetch_role_offers,
};
use crate::pages::contacts::load_error;
use crate::pages::letters::FreshCode;
use crate::texts::operators::{self as tx, role_label};
use crate::when::DayOf;
use crate::{action_error, texts};

/// The label of a role code (the code itself for an unknown one).
fn role_name(code: &str) -> AnyView {
    match TrustedRole::from_code(code) {
        Some(role) => t(role_label(role)).into_any(),
        None => code.to_owned().into_any(),
    }
}

#[derive(Clone, Copy)]
struct Actions {
    request: ServerAction<RoleRequest>,
    removal: ServerAction<RoleRemoval>,
    approve: ServerAction<DualControlApprove>,
    reject: ServerAction<DualControlReject>,
    accept: ServerAction<RoleAccept>,
    decline: ServerAction<RoleDecline>,
}

#[component]
pub fn BackOfficePage() -> impl IntoView {
    let actions = Actions {
        request: ServerAction::new(),
        removal: ServerAction::new(),
        approve: ServerAction::new(),
        reject: ServerAction::new(),
        accept: ServerAction::new(),
        decline: ServerAction::new(),
    };
    let fresh = RwSignal::new(0);
    let version = move || {
        (
            actions.request.version().get(),
            actions.removal.version().get(),
            actions.approve.version().get(),
            actions.reject.version().get(),
            actions.accept.version().get(),
            actions.decline.version().get(),
            fresh.get(),
        )
    };
    let offers = Resource::new(version, |_| fetch_role_offers());
    let office = Resource::new(version, |_| fetch_back_office());
    let on_code = Callback::new(move |()| fresh.update(|n| *n += 1));
    let done = move || {
        [
            actions.request.value().get().is_some_and(|r| r.is_ok()),
            actions.removal.value().get().is_some_and(|r| r.is_ok()),
            actions.approve.value().get().is_some_and(|r| r.is_ok()),
            actions.reject.value().get().is_some_and(|r| r.is_ok()),
            actions.accept.value().get().is_some_and(|r| r.is_ok()),
            actions.decline.value().get().is_some_and(|r| r.is_ok()),
        ]
        .contains(&true)
    };
    view! {
        <Title text=t(tx::BACK_OFFICE_TITLE) />
        <h1>{t(tx::BACK_OFFICE_TITLE)}</h1>
        <p class="lead">{t(tx::BACK_OFFICE_LEAD)}</p>
        <div class="back-office-result" aria-live="polite">
            {action_error(move || actions.request.value().get())}
            {action_error(move || actions.removal.value().get())}
            {action_error(move || actions.approve.value().get())}
            {action_error(move || actions.reject.value().get())}
            {action_error(move || actions.accept.value().get())}
            {action_error(move || actions.decline.value().get())}
            {move || done().then(|| view! { <p class="success" role="status">{t(tx::DONE)}</p> })}
        </div>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match (offers.await, office.await) {
                    (Err(AppError::OtpSessionRequired), _) | (_, Err(AppError::OtpSessionRequired)) => {
                        view! { <FreshCode lead=tx::OTP_NEEDED_BACK_OFFICE on_done=on_code /> }.into_any()
                    }
                    (Err(error), _) => load_error(error),
                    (Ok(offers), office) => {
                        let has_offers = !offers.is_empty();
                        view! {
                            {has_offers.then(|| view! { <Offers offers actions /> })}
                            {match office {
                                Ok(office) => view! { <Office office actions /> }.into_any(),
                                Err(AppError::OperatorOnly) if has_offers => ().into_any(),
                                Err(error) => load_error(error),
                            }}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The roles offered to the signed-in person.
#[component]
fn Offers(offers: Vec<AssignmentView>, actions: Actions) -> impl IntoView {
    view! {
        <section class="card role-offers">
            <h2>{t(tx::OFFERS_TITLE)}</h2>
            <p>{t(tx::OFFERS_LEAD)}</p>
            <ul class="plain-list">
                {offers
                    .into_iter()
                    .map(|offer| {
                        let (accept_id, decline_id) = (offer.id.clone(), offer.id);
                        let name = role_name(&offer.role);
                        view! {
                            <li class="role-offer" data-role=offer.role>
                                <strong>{name}</strong>
                                <div class="actions">
                                    <ActionForm action=actions.accept attr:class="inline">
                                        <input type="hidden" name="assignment_id" value=accept_id />
                                        <button type="submit" class="role-accept">{t(tx::OFFER_ACCEPT)}</button>
                                    </ActionForm>
                                    <ActionForm action=actions.decline attr:class="inline">
                                        <input type="hidden" name="assignment_id" value=decline_id />
                                        <button type="submit" class="secondary">{t(tx::OFFER_DECLINE)}</button>
                                    </ActionForm>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// An operator's back office.
#[component]
fn Office(office: BackOffice, actions: Actions) -> impl IntoView {
    let holds = |role: TrustedRole| office.roles.iter().any(|held| held == role.code());
    let (officer, auditor, checker) = (
        holds(TrustedRole::SecurityOfficer),
        holds(TrustedRole::SystemAuditor),
        holds(TrustedRole::IdentityCheckOperator),
    );
    let incidents = domain::incidents::IncidentAction::Read
        .roles()
        .iter()
        .any(|r| holds(*r));
    let seal_keys = holds(TrustedRole::SealOfficer) || holds(TrustedRole::SecurityOfficer);
    view! {
        <section class="card my-roles">
            <h2>{t(tx::MY_ROLES)}</h2>
            <ul class="plain-list">
                {office
                    .roles
                    .iter()
                    .map(|role| view! { <li class="my-role" data-role=role.clone()>{role_name(role)}</li> })
                    .collect_view()}
            </ul>
        </section>
        {checker.then(|| view! {
            <p class="card">
                <a href="/back-office/verifications" class="button verifications-link">
                    {t(crate::texts::entities::QUEUE_TITLE)}
                </a>
            </p>
        })}
        {holds(TrustedRole::BusinessOperator).then(|| view! {
            <p class="customers-link"><a href="/back-office/customers">{t(crate::texts::customers::REGISTER_LINK)}</a></p>
        })}
        {incidents.then(|| view! {
            <p class="incidents-link"><a href="/back-office/incidents">{t(texts::incidents::NAV_INCIDENTS)}</a></p>
        })}
        {seal_keys.then(|| view! {
            <p class="seal-keys-link"><a href="/back-office/seal-keys">{t(texts::seal_keys::NAV_SEAL_KEYS)}</a></p>
        })}
        {auditor.then(|| view! { <Journal /> })}
        {officer.then(|| view! {
            <RequestForm actions />
            <Requests requests=office.requests.clone() actions />
            <Assignments assignments=office.assignments.clone() actions />
        })}
    }
}

#[component]
fn RequestForm(actions: Actions) -> impl IntoView {
    view! {
        <section class="card role-request">
            <h2>{t(tx::REQUEST_TITLE)}</h2>
            <ActionForm action=actions.request attr:class="stack-form">
                <label>
                    {t(tx::FIELD_PERSON_EMAIL)}
                    <input type="email" name="email" required autocomplete="off" />
                </label>
                <label>
                    {t(tx::FIELD_ROLE)}
                    <select name="role" required>
                        {TrustedRole::ALL
                            .into_iter()
                            .map(|role| view! { <option value=role.code()>{t(role_label(role))}</option> })
                            .collect_view()}
                    </select>
                </label>
                <div class="actions">
                    <button type="submit">{t(tx::REQUEST_SUBMIT)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn Requests(requests: Vec<RequestView>, actions: Actions) -> impl IntoView {
    view! {
        <section class="card dual-control">
            <h2>{t(tx::REQUESTS_TITLE)}</h2>
            {if requests.is_empty() {
                view! { <p class="requests-empty">{t(tx::REQUESTS_EMPTY)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {requests.into_iter().map(|request| view! { <RequestItem request actions /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn RequestItem(request: RequestView, actions: Actions) -> impl IntoView {
    let what = if request.action == "grant_role" {
        tx::REQUEST_GRANT
    } else {
        tx::REQUEST_REMOVE
    };
    let RequestView {
        id,
        subject_name,
        subject_email,
        role,
        requested_by,
        own,
        expires_at,
        ..
    } = request;
    let name = role_name(&role);
    let approve_id = id.clone();
    let reject_label = if own { tx::WITHDRAW } else { tx::REJECT };
    let data_email = subject_email.clone();
    view! {
        <li class="dual-control-request" data-email=data_email data-role=role>
            <p>
                <strong>{t(what)} " · " {name}</strong>
                " — " {subject_name} " (" {subject_email} ")"
            </p>
            <p class="muted">
                {t(tx::REQUESTED_BY)} " " {requested_by} " · " {t(tx::EXPIRES)} " "
                <DayOf at=expires_at />
            </p>
            <div class="actions">
                {(!own).then(move || view! {
                    <ActionForm action=actions.approve attr:class="inline">
                        <input type="hidden" name="request_id" value=approve_id />
                        <button type="submit" class="dual-control-approve">{t(tx::APPROVE)}</button>
                    </ActionForm>
                })}
                <ActionForm action=actions.reject attr:class="inline">
                    <input type="hidden" name="request_id" value=id />
                    <button type="submit" class="secondary">{t(reject_label)}</button>
                </ActionForm>
            </div>
        </li>
    }
}

#[component]
fn Assignments(assignments: Vec<AssignmentView>, actions: Actions) -> impl IntoView {
    view! {
        <section class="card role-assignments">
            <h2>{t(tx::ASSIGNMENTS_TITLE)}</h2>
            <ul class="plain-list">
                {assignments
                    .into_iter()
                    .map(|assignment| {
                        let status = if assignment.status == "active" {
                            tx::ASSIGNMENT_ACTIVE
                        } else {
                            tx::ASSIGNMENT_OFFERED
                        };
                        let AssignmentView { id, name, email, role, status: code, .. } = assignment;
                        let label = role_name(&role);
                        let data_email = email.clone();
                        view! {
                            <li
                                class="role-assignment"
                                data-email=data_email
                                data-role=role
                                data-status=code
                            >
                                <p>
                                    <strong>{name}</strong> " (" {email} ") · " {label} " · "
                                    {t(status)}
                                </p>
                                <ActionForm action=actions.removal attr:class="inline">
                                    <input type="hidden" name="assignment_id" value=id />
                                    <button type="submit" class="secondary">{t(tx::ASSIGNMENT_REMOVE)}</button>
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// A system auditor's view of the journal: the events of a period, its export, and the
/// verification of the hash chain.
#[component]
fn Journal() -> impl IntoView {
    let show = ServerAction::<AuditJournal>::new();
    let verify = ServerAction::<AuditVerifyLedger>::new();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let export = move || {
        format!(
            "/back-office/journal.jsonl?from={}&to={}",
            from.get(),
            to.get()
        )
    };
    view! {
        <section class="card journal">
            <h2>{t(tx::JOURNAL_TITLE)}</h2>
            <p>{t(tx::JOURNAL_LEAD)}</p>
            <ActionForm action=verify attr:class="inline">
                <button type="submit" class="ledger-verify">{t(tx::LEDGER_VERIFY)}</button>
            </ActionForm>
            {action_error(move || verify.value().get())}
            {move || verify.value().get().and_then(Result::ok).map(|check| view! { <LedgerResult check /> })}
            <ActionForm action=show attr:class="stack-form journal-period">
                <label>
                    {t(tx::FIELD_FROM)}
                    <input type="date" name="from" bind:value=from />
                </label>
                <label>
                    {t(tx::FIELD_TO)}
                    <input type="date" name="to" bind:value=to />
                </label>
                <div class="actions">
                    <button type="submit">{t(tx::JOURNAL_SHOW)}</button>
                    <a class="button secondary journal-export" href=export download>
                        {t(tx::JOURNAL_EXPORT)}
                    </a>
                </div>
            </ActionForm>
            {action_error(move || show.value().get())}
            {move || show.value().get().and_then(Result::ok).map(|page| view! { <JournalEvents page /> })}
        </section>
    }
}

#[component]
fn LedgerResult(check: LedgerCheck) -> impl IntoView {
    let (class, verdict) = match &check.first_break {
        None => ("success ledger-result", tx::LEDGER_INTACT),
        Some(_) => ("error ledger-result", tx::LEDGER_BROKEN),
    };
    view! {
        <p class=class role="status">
            <strong>{t(verdict)}</strong> " : " {check.entries} " " {t(tx::LEDGER_ENTRIES)} ", "
            {t(tx::LEDGER_HEAD)} " " <code class="hash">{check.head}</code>
            {check.first_break.map(|problem| view! { " — " {problem} })}
        </p>
    }
}

#[component]
fn JournalEvents(page: JournalPage) -> impl IntoView {
    if page.events.is_empty() {
        return view! { <p class="journal-empty">{t(tx::JOURNAL_EMPTY)}</p> }.into_any();
    }
    view! {
        <ol class="plain-list journal-events">
            {page
                .events
                .into_iter()
                .map(|event| {
                        let (data_action, datetime) = (event.action.clone(), event.time.clone());
                    view! {
                        <li class="journal-event" data-action=data_action>
                            <time datetime=datetime>{event.time}</time> " · "
                            <strong>{event.category} "/" {event.action}</strong>
                            {event.actor.map(|actor| view! { " · " <span class="muted">{actor}</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        {page.more.then(|| view! { <p class="muted">{t(tx::JOURNAL_MORE)}</p> })}
    }
    .into_any()
}
