//! `/back-office/incidents/:id`: one incident — its facts, its steps (qualify, add the letters
//! it affects, record its notification, close it: the forms each step's status and the
//! caller's roles allow), its timeline, the affected letters and users, and its report
//! (Markdown or JSON, from the plain route `/back-office/incidents/{id}/report`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{BackOfficeLink, severity_name, severity_options, status_name};
use crate::error::AppError;
use crate::i18n::{Tr, t, use_lang};
use crate::incidents::{
    AffectedLetter, IncidentAttach, IncidentClose, IncidentDetail, IncidentNotify, IncidentPage,
    IncidentQualify, Qualification, Step, fetch_incident,
};
use crate::pages::contacts::load_error;
use crate::pages::letters::FreshCode;
use crate::texts::incidents::{self as tx, event_label, letter_status};
use crate::when::Time;
use crate::{action_error, form_done, texts};

#[derive(Clone, Copy)]
struct Actions {
    qualify: ServerAction<IncidentQualify>,
    attach: ServerAction<IncidentAttach>,
    notify: ServerAction<IncidentNotify>,
    close: ServerAction<IncidentClose>,
}

#[component]
pub fn IncidentSheetPage() -> impl IntoView {
    let params = use_params_map();
    let actions = Actions {
        qualify: ServerAction::new(),
        attach: ServerAction::new(),
        notify: ServerAction::new(),
        close: ServerAction::new(),
    };
    let fresh = RwSignal::new(0);
    let page = Resource::new(
        move || {
            let id = params.read().get("id").unwrap_or_default();
            let versions = (
                actions.qualify.version().get(),
                actions.attach.version().get(),
                actions.notify.version().get(),
                actions.close.version().get(),
                fresh.get(),
            );
            (id, versions)
        },
        |(id, _)| fetch_incident(id),
    );
    let on_code = Callback::new(move |()| fresh.update(|n| *n += 1));
    // Done here, or by a form posted without JavaScript (the server sent the browser back).
    let posted = (
        form_done::<IncidentQualify>(),
        form_done::<IncidentAttach>(),
        form_done::<IncidentNotify>(),
        form_done::<IncidentClose>(),
    );
    let done = move || {
        [
            posted.0() || posted.1() || posted.2() || posted.3(),
            actions.qualify.value().get().is_some_and(|r| r.is_ok()),
            actions.attach.value().get().is_some_and(|r| r.is_ok()),
            actions.notify.value().get().is_some_and(|r| r.is_ok()),
            actions.close.value().get().is_some_and(|r| r.is_ok()),
        ]
        .contains(&true)
    };
    view! {
        <Title text=t(tx::REGISTER_TITLE) />
        <BackOfficeLink />
        <p class="back-link">
            <a href="/back-office/incidents">{t(tx::BACK_TO_REGISTER)}</a>
        </p>
        <div class="incident-result" aria-live="polite">
            {action_error(move || actions.qualify.value().get())}
            {action_error(move || actions.attach.value().get())}
            {action_error(move || actions.notify.value().get())}
            {action_error(move || actions.close.value().get())}
            {move || done().then(|| view! { <p class="success" role="status">{t(tx::DONE)}</p> })}
        </div>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(AppError::OtpSessionRequired) => {
                        view! { <FreshCode lead=tx::OTP_NEEDED on_done=on_code /> }.into_any()
                    }
                    Err(error) => view! { <h1>{t(tx::REGISTER_TITLE)}</h1> {load_error(error)} }.into_any(),
                    Ok(page) => view! { <Sheet page actions /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Who took a step, and when.
#[component]
fn Taken(step: Step) -> impl IntoView {
    view! { <p class="muted"><Time at=step.at /> " · " {t(tx::BY)} " " {step.by}</p> }
}

/// A text people typed, its line breaks kept.
#[component]
fn Typed(text: String) -> impl IntoView {
    view! { <p class="typed-text">{text}</p> }
}

#[component]
fn Sheet(page: IncidentPage, actions: Actions) -> impl IntoView {
    let IncidentPage { rights, detail } = page;
    let IncidentDetail {
        incident,
        timeline,
        letters,
        affected_addresses,
    } = detail;
    let id = incident.id.clone();
    let status = incident.status.clone();
    let is = |code: &str| status == code;
    let can_qualify = rights.decide && is("open");
    let can_notify = rights.decide && is("qualified");
    let can_close = rights.decide && (is("qualified") || is("notified"));
    let can_attach = rights.open && !is("closed");
    let report = format!("/back-office/incidents/{id}/report");
    let report_json = format!("{report}?format=json");
    let (data_status, severity) = (status.clone(), incident.severity.clone());
    view! {
        <h1>{incident.title.clone()}</h1>
        <section class="card incident-facts" data-status=data_status>
            <p>
                <strong>{t(tx::STATUS)}</strong> {t(tx::COLON)} <span class="incident-status">{status_name(&status)}</span>
                " · " <strong>{t(tx::FIELD_SEVERITY)}</strong> {t(tx::COLON)} {severity_name(&severity)}
            </p>
            <p>
                {t(tx::DETECTED)} " " <Time at=incident.detected_at.clone() /> " · "
                {t(tx::REPORT_DUE)} " " <Time at=incident.report_due.clone() />
            </p>
            <h2>{t(tx::DESCRIPTION)}</h2>
            <Typed text=incident.description.clone() />
            <Taken step=incident.opened.clone() />
        </section>
        <section class="card incident-report">
            <h2>{t(tx::REPORT)}</h2>
            <p>{t(tx::REPORT_LEAD)}</p>
            <div class="actions">
                <a class="button incident-report-md" href=report download>{t(tx::REPORT_MARKDOWN)}</a>
                <a class="button secondary incident-report-json" href=report_json download>{t(tx::REPORT_JSON)}</a>
            </div>
        </section>
        <section class="card incident-qualification">
            <h2>{t(tx::QUALIFICATION)}</h2>
            {incident.qualified.clone().map(|step| view! { <Taken step /> })}
            {incident.qualification.clone().map(|found| view! { <Found found /> })}
            {can_qualify.then(|| view! { <QualifyForm id=id.clone() severity=severity.clone() actions /> })}
        </section>
        <Letters letters addresses=affected_addresses />
        {can_attach.then(|| view! { <AttachForm id=id.clone() actions /> })}
        <Later title=tx::NOTIFICATION step=incident.notified.clone() text=incident.notice.clone() />
        {can_notify.then(|| view! {
            <LaterForm id=id.clone() step=LaterStep::Notify actions />
        })}
        <Later title=tx::CLOSING step=incident.closed.clone() text=incident.summary.clone() />
        {can_close.then(|| view! {
            <LaterForm id=id.clone() step=LaterStep::Close actions />
        })}
        <section class="card incident-timeline">
            <h2>{t(tx::TIMELINE)}</h2>
            <ol class="plain-list">
                {timeline
                    .into_iter()
                    .map(|entry| {
                        let data_event = entry.event.clone();
                        view! {
                            <li class="timeline-entry" data-event=data_event>
                                <Time at=entry.at /> " — " {t(event_label(&entry.event))}
                                {entry.letter_id.map(|letter| view! { " " <code>{letter}</code> })}
                                {(!entry.by.is_empty()).then(|| view! { " · " <span class="muted">{entry.by}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn Found(found: Qualification) -> impl IntoView {
    let yes_no = |flag: bool| t(if flag { tx::YES } else { tx::NO });
    view! {
        <ul class="plain-list">
            {[
                (tx::PERSONAL_DATA, found.personal_data, "personal_data"),
                (tx::CONFIDENTIALITY, found.confidentiality, "confidentiality"),
                (tx::INTEGRITY, found.integrity, "integrity"),
                (tx::AVAILABILITY, found.availability, "availability"),
            ]
                .into_iter()
                .map(|(label, flag, name)| view! {
                    <li class="impact" data-impact=name data-value=flag.to_string()>
                        {t(label)} {t(tx::COLON)} <strong>{yes_no(flag)}</strong>
                    </li>
                })
                .collect_view()}
        </ul>
        {(!found.assessment.is_empty()).then(|| view! { <Typed text=found.assessment /> })}
    }
}

#[component]
fn QualifyForm(id: String, severity: String, actions: Actions) -> impl IntoView {
    view! {
        <ActionForm action=actions.qualify attr:class="stack-form incident-qualify">
            <input type="hidden" name="id" value=id />
            <label>
                {t(tx::FIELD_SEVERITY)}
                <select name="severity" required>{severity_options(&severity)}</select>
            </label>
            {[
                ("personal_data", tx::PERSONAL_DATA),
                ("confidentiality", tx::CONFIDENTIALITY),
                ("integrity", tx::INTEGRITY),
                ("availability", tx::AVAILABILITY),
            ]
                .into_iter()
                .map(|(name, label)| view! {
                    <label class="checkbox">
                        <input type="checkbox" name=name /> " " {t(label)}
                    </label>
                })
                .collect_view()}
            <label>
                {t(tx::FIELD_ASSESSMENT)}
                <textarea name="assessment" rows="4"></textarea>
            </label>
            <div class="actions">
                <button type="submit" class="incident-qualify-submit">{t(tx::QUALIFY_SUBMIT)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn Letters(letters: Vec<AffectedLetter>, addresses: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card incident-letters">
            <h2>{t(tx::LETTERS)}</h2>
            {letters.is_empty().then(|| view! { <p class="letters-empty">{t(tx::LETTERS_EMPTY)}</p> })}
            <ul class="plain-list">
                {letters
                    .into_iter()
                    .map(|letter| {
                        let data_letter = letter.letter_id.clone();
                        let status = letter.status.clone();
                        view! {
                            <li class="affected-letter" data-letter=data_letter>
                                <p>
                                    {t(tx::LETTER)} " " <code>{letter.letter_id}</code> " · "
                                    {t(tx::RECIPIENT_LETTER)} " " <code>{letter.recipient_letter_id}</code>
                                </p>
                                <p>
                                    {t(tx::SENDER)} {t(tx::COLON)} {letter.sender_name} " (" {letter.sender_email} ") · "
                                    {t(tx::RECIPIENT)} {t(tx::COLON)} {letter.recipient_name} " (" {letter.recipient_email} ")"
                                </p>
                                <p class="muted">
                                    {move || letter_status(&status, lang.get())}
                                    {letter.sent_at.map(|at| view! { " · " {t(tx::SENT_AT)} " " <Time at /> })}
                                </p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h3>{t(tx::ADDRESSES)}</h3>
            <ul class="affected-addresses">
                {addresses.into_iter().map(|address| view! { <li>{address}</li> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn AttachForm(id: String, actions: Actions) -> impl IntoView {
    view! {
        <section class="card incident-attach">
            <ActionForm action=actions.attach attr:class="stack-form">
                <input type="hidden" name="id" value=id />
                <label>
                    {t(tx::FIELD_LETTER_ID)}
                    <input type="text" name="letter_id" required autocomplete="off" />
                </label>
                <div class="actions">
                    <button type="submit" class="incident-attach-submit">{t(tx::ATTACH_SUBMIT)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// A step after the qualification (notification, closing): who took it and what they wrote.
#[component]
fn Later(title: Tr, step: Option<Step>, text: Option<String>) -> impl IntoView {
    view! {
        <section class="card incident-step">
            <h2>{t(title)}</h2>
            {match step {
                Some(step) => view! { <Taken step /> }.into_any(),
                None => view! { <p class="muted">{t(tx::NOT_YET)}</p> }.into_any(),
            }}
            {text.map(|text| view! { <Typed text /> })}
        </section>
    }
}

/// The steps after the qualification, each recording a text.
#[derive(Clone, Copy, PartialEq)]
enum LaterStep {
    Notify,
    Close,
}

/// The form of a step after the qualification.
#[component]
fn LaterForm(id: String, step: LaterStep, actions: Actions) -> impl IntoView {
    let (name, label, submit) = match step {
        LaterStep::Notify => ("notice", tx::FIELD_NOTICE, tx::NOTIFY_SUBMIT),
        LaterStep::Close => ("summary", tx::FIELD_SUMMARY, tx::CLOSE_SUBMIT),
    };
    let fields = move || {
        view! {
            <input type="hidden" name="id" value=id />
            <label>
                {t(label)}
                <textarea name=name required rows="4"></textarea>
            </label>
            <div class="actions">
                <button type="submit" class=format!("incident-{name}-submit")>{t(submit)}</button>
            </div>
        }
    };
    let class = "stack-form incident-later";
    match step {
        LaterStep::Notify => {
            view! { <ActionForm action=actions.notify attr:class=class>{fields()}</ActionForm> }
                .into_any()
        }
        LaterStep::Close => {
            view! { <ActionForm action=actions.close attr:class=class>{fields()}</ActionForm> }
                .into_any()
        }
    }
}
