//! The security-incident register of the back office (OPS-08; eIDAS Art. 19(2); policy
//! §13.9.2): `/back-office/incidents` lists the incidents, the latest detected first, with
//! the time their report is due and those past it without a notification, and lets the staff
//! who detect incidents open one; `/back-office/incidents/:id` ([`sheet`]) takes an incident
//! through its steps and links its report. Every form works without JavaScript.

pub mod sheet;

use domain::incidents::{IncidentStatus, Severity};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::error::AppError;
use crate::i18n::t;
use crate::incidents::{IncidentOpen, IncidentSummary, fetch_incidents};
use crate::pages::contacts::load_error;
use crate::pages::letters::FreshCode;
use crate::texts::incidents::{self as tx, severity_label, status_label};
use crate::when::Time;
use crate::{action_error, form_done, texts};

/// The label of a severity code (the code itself for an unknown one).
pub(crate) fn severity_name(code: &str) -> AnyView {
    match Severity::from_code(code) {
        Some(severity) => t(severity_label(severity)).into_any(),
        None => code.to_owned().into_any(),
    }
}

/// The label of a status code (the code itself for an unknown one).
pub(crate) fn status_name(code: &str) -> AnyView {
    match IncidentStatus::from_code(code) {
        Some(status) => t(status_label(status)).into_any(),
        None => code.to_owned().into_any(),
    }
}

/// The severities as options of a `<select>`, `selected` chosen.
pub(crate) fn severity_options(selected: &str) -> impl IntoView + use<> {
    Severity::ALL
        .into_iter()
        .map(|severity| {
            let chosen = severity.code() == selected;
            view! { <option value=severity.code() selected=chosen>{t(severity_label(severity))}</option> }
        })
        .collect_view()
}

/// A link back to the back office.
#[component]
pub(crate) fn BackOfficeLink() -> impl IntoView {
    view! {
        <p class="back-link">
            <A href="/back-office">{t(texts::operators::BACK_OFFICE_TITLE)}</A>
        </p>
    }
}

/// `/back-office/incidents`: the register.
#[component]
pub fn IncidentsPage() -> impl IntoView {
    let open = ServerAction::<IncidentOpen>::new();
    let fresh = RwSignal::new(0);
    let register = Resource::new(
        move || (open.version().get(), fresh.get()),
        |_| fetch_incidents(),
    );
    let on_code = Callback::new(move |()| fresh.update(|n| *n += 1));
    // Opened here, or by the form posted without JavaScript (the server sent the browser back).
    let posted = form_done::<IncidentOpen>();
    view! {
        <Title text=t(tx::REGISTER_TITLE) />
        <BackOfficeLink />
        <h1>{t(tx::REGISTER_TITLE)}</h1>
        <p class="lead">{t(tx::REGISTER_LEAD)}</p>
        <div class="incident-result" aria-live="polite">
            {action_error(move || open.value().get())}
            {move || match open.value().get() {
                Some(Ok(id)) => Some(view! {
                    <p class="success" role="status">
                        {t(tx::OPENED)} " "
                        <A href=format!("/back-office/incidents/{id}")>{t(tx::SEE)}</A>
                    </p>
                }.into_any()),
                None if posted() => Some(view! { <p class="success" role="status">{t(tx::OPENED)}</p> }.into_any()),
                _ => None,
            }}
        </div>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match register.await {
                    Err(AppError::OtpSessionRequired) => {
                        view! { <FreshCode lead=tx::OTP_NEEDED on_done=on_code /> }.into_any()
                    }
                    Err(error) => load_error(error),
                    Ok(register) => view! {
                        {register.rights.open.then(|| view! { <OpenForm open /> })}
                        <IncidentList incidents=register.incidents />
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OpenForm(open: ServerAction<IncidentOpen>) -> impl IntoView {
    view! {
        <section class="card incident-open">
            <h2>{t(tx::OPEN_TITLE)}</h2>
            <ActionForm action=open attr:class="stack-form">
                <label>
                    {t(tx::FIELD_TITLE)}
                    <input type="text" name="title" required maxlength="200" autocomplete="off" />
                </label>
                <label>
                    {t(tx::FIELD_DESCRIPTION)}
                    <textarea name="description" required rows="4"></textarea>
                </label>
                <label>
                    {t(tx::FIELD_SEVERITY)}
                    <select name="severity" required>{severity_options("medium")}</select>
                </label>
                <label>
                    {t(tx::FIELD_DETECTED)}
                    <input type="datetime-local" name="detected_at" />
                </label>
                <div class="actions">
                    <button type="submit" class="incident-open-submit">{t(tx::OPEN_SUBMIT)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn IncidentList(incidents: Vec<IncidentSummary>) -> impl IntoView {
    if incidents.is_empty() {
        return view! { <p class="incidents-empty">{t(tx::EMPTY)}</p> }.into_any();
    }
    view! {
        <ul class="plain-list incident-list">
            {incidents
                .into_iter()
                .map(|incident| {
                    let IncidentSummary { id, title, severity, status, detected_at, report_due, overdue } = incident;
                    let (data_status, data_severity) = (status.clone(), severity.clone());
                    view! {
                        <li class="card incident" data-status=data_status data-severity=data_severity>
                            <p>
                                <strong>
                                    <A href=format!("/back-office/incidents/{id}")>{title}</A>
                                </strong>
                                " · " {status_name(&status)} " · " {severity_name(&severity)}
                            </p>
                            <p class="muted">
                                {t(tx::DETECTED)} " " <Time at=detected_at /> " · "
                                {t(tx::REPORT_DUE)} " " <Time at=report_due />
                            </p>
                            {overdue.then(|| view! { <p class="error incident-overdue">{t(tx::OVERDUE)}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
