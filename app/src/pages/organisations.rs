//! The companies page (issue 13; ID-05..ID-07): the signed-in person's requests to act for a
//! company, their documents (uploaded by a plain multipart form, which works without
//! JavaScript), the submission to the verification queue, and for a legal representative the
//! delegates they may revoke. Its companion for operators is [`super::verifications`].

use domain::entities::{DocumentKind, MemberRole, MemberStatus, Registry};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::entities::{
    DocumentView, EntityRequest, EntityRevoke, EntitySubmit, MemberView, document_url,
    documents_url, fetch_organisations,
};
use crate::error::AppError;
use crate::i18n::t;
use crate::pages::contacts::load_error;
use crate::texts::entities::{self as tx, document_label, missing_label, role_label, status_label};
use crate::when::DayOf;
use crate::{ErrorText, action_error, texts};

/// The label of a status code.
fn status_name(code: &str) -> AnyView {
    match MemberStatus::from_code(code) {
        Some(status) => t(status_label(status)).into_any(),
        None => code.to_owned().into_any(),
    }
}

fn role_name(code: &str) -> AnyView {
    match MemberRole::from_code(code) {
        Some(role) => t(role_label(role)).into_any(),
        None => code.to_owned().into_any(),
    }
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let request = ServerAction::<EntityRequest>::new();
    let submit = ServerAction::<EntitySubmit>::new();
    let revoke = ServerAction::<EntityRevoke>::new();
    let list = Resource::new(
        move || {
            (
                request.version().get(),
                submit.version().get(),
                revoke.version().get(),
            )
        },
        |_| fetch_organisations(),
    );
    let query = use_query_map();
    // The upload form's outcome, from the address the server sent the browser back to.
    let uploaded = move || query.read().get("uploaded").is_some();
    let upload_error = move || {
        query
            .read()
            .get("error")
            .and_then(|json| serde_json::from_str::<AppError>(&json).ok())
    };
    view! {
        <Title text=t(tx::TITLE) />
        <h1>{t(tx::TITLE)}</h1>
        <p class="lead">{t(tx::LEAD)}</p>
        <div class="organisations-result" aria-live="polite">
            {move || uploaded().then(|| view! { <p class="success" role="status">{t(tx::UPLOADED)}</p> })}
            {move || upload_error().map(|error| view! { <ErrorText error /> })}
            {action_error(move || request.value().get())}
            {action_error(move || submit.value().get())}
            {action_error(move || revoke.value().get())}
        </div>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => load_error(error),
                    Ok(organisations) => view! {
                        <section class="card entity-requests">
                            {if organisations.requests.is_empty() {
                                view! { <p class="requests-empty">{t(tx::NO_REQUEST)}</p> }.into_any()
                            } else {
                                organisations
                                    .requests
                                    .into_iter()
                                    .map(|member| view! { <Request member submit /> })
                                    .collect_view()
                                    .into_any()
                            }}
                        </section>
                        {(!organisations.delegates.is_empty()).then(|| view! {
                            <Delegates delegates=organisations.delegates revoke />
                        })}
                        <NewRequest action=request />
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

/// One request: its company, status, documents, and while a draft the upload form.
#[component]
fn Request(member: MemberView, submit: ServerAction<EntitySubmit>) -> impl IntoView {
    let draft = member.status == MemberStatus::Draft.code();
    let MemberView {
        id,
        entity_name,
        registry_number,
        role,
        status,
        reason,
        documents,
        missing,
        ..
    } = member;
    let (data_status, data_number) = (status.clone(), registry_number.clone());
    let lang = crate::i18n::use_lang();
    let missing_text = move || {
        missing
            .iter()
            .map(|code| match code.as_str() {
                "identification" => tx::NOT_IDENTIFIED.get(lang.get()).to_owned(),
                code => missing_label(code, lang.get()),
            })
            .collect::<Vec<_>>()
            .join(" ; ")
    };
    let has_missing = !missing_text().is_empty();
    let submit_id = id.clone();
    view! {
        <article class="entity-request" data-status=data_status data-number=data_number>
            <h2>{entity_name}</h2>
            <p>
                {registry_number} " · " {role_name(&role)} " · "
                <strong class="entity-status">{status_name(&status)}</strong>
            </p>
            {reason.map(|reason| view! { <p class="error">{t(tx::REASON)} " : " {reason}</p> })}
            <Documents documents />
            {draft.then(move || view! {
                {has_missing.then(|| view! {
                    <p class="entity-missing">{t(tx::MISSING)} " " {missing_text}</p>
                })}
                <UploadForm member_id=id.clone() />
                <ActionForm action=submit attr:class="inline">
                    <input type="hidden" name="member_id" value=submit_id />
                    <button type="submit" class="entity-submit">{t(tx::SUBMIT)}</button>
                </ActionForm>
            })}
        </article>
    }
}

/// The documents of a request, with their hashes (and a link while not purged).
#[component]
pub fn Documents(documents: Vec<DocumentView>) -> impl IntoView {
    view! {
        <ul class="plain-list entity-documents">
            {documents
                .into_iter()
                .map(|document| {
                    let label = DocumentKind::from_code(&document.kind)
                        .map(|kind| t(document_label(kind)).into_any())
                        .unwrap_or_else(|| document.kind.clone().into_any());
                    let href = document_url(&document.id);
                    let data_kind = document.kind.clone();
                    view! {
                        <li class="entity-document" data-kind=data_kind>
                            <strong>{label}</strong> " · "
                            {if document.purged {
                                view! { <span>{document.file_name} " (" {t(tx::PURGED)} ")"</span> }.into_any()
                            } else {
                                view! { <a href=href rel="external" target="_blank">{document.file_name}</a> }.into_any()
                            }}
                            {document.company.map(|company| view! { " · " {company} })}
                            {document.led_by.map(|leader| view! { " ← " {leader} })}
                            {document.issued_on.map(|day| view! { " · " {day} })}
                            <br />
                            <span class="muted">
                                "SHA-256 " <code class="hash">{document.sha256}</code> " · "
                                <DayOf at=document.uploaded_at />
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The multipart upload of one document (a plain form: the server sends the browser back).
#[component]
fn UploadForm(member_id: String) -> impl IntoView {
    view! {
        <form
            class="stack-form entity-upload"
            method="post"
            enctype="multipart/form-data"
            action=documents_url(&member_id)
        >
            <h3>{t(tx::ADD_DOCUMENT)}</h3>
            <label>
                {t(tx::DOCUMENT_KIND)}
                <select name="kind" required>
                    {DocumentKind::ALL
                        .into_iter()
                        .map(|kind| view! { <option value=kind.code()>{t(document_label(kind))}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                {t(tx::ISSUED_ON)}
                <input type="date" name="issued_on" />
            </label>
            <fieldset>
                <legend>{t(tx::EXTRACT_COMPANY)}</legend>
                <label>
                    {t(tx::COMPANY_NAME)}
                    <input type="text" name="company_name" autocomplete="off" />
                </label>
                <RegistrySelect />
                <label>
                    {t(tx::NUMBER)}
                    <input type="text" name="number" autocomplete="off" />
                </label>
                <label>
                    {t(tx::LED_BY)}
                    <input type="text" name="led_by" autocomplete="off" />
                </label>
            </fieldset>
            <label>
                {t(tx::FILE)}
                <input type="file" name="file" required accept="application/pdf,image/jpeg,image/png" />
            </label>
            <div class="actions">
                <button type="submit" class="entity-upload-submit">{t(tx::UPLOAD)}</button>
            </div>
        </form>
    }
}

/// The trade register of a company (§4.2), under `label` (default « Registre »).
#[component]
pub(crate) fn RegistrySelect(
    #[prop(optional)] label: Option<crate::i18n::Tr>,
    /// The field's name; "registry" unless given.
    #[prop(optional)]
    name: Option<&'static str>,
    /// The label's class.
    #[prop(optional)]
    class: Option<&'static str>,
    /// The selected registry's code, kept in a signal (a form that loads a stored value).
    #[prop(optional)]
    value: Option<RwSignal<String>>,
) -> impl IntoView {
    let selected = move |code: &'static str| value.is_some_and(|v| v.get() == code);
    let on_change = move |event: leptos::ev::Event| {
        if let Some(value) = value {
            value.set(event_target_value(&event));
        }
    };
    view! {
        <label class=class>
            {t(label.unwrap_or(tx::REGISTRY))}
            <select name=name.unwrap_or("registry") on:change=on_change>
                {Registry::ALL
                    .into_iter()
                    .map(|registry| {
                        let code = registry.code();
                        let text = match registry {
                            Registry::France => tx::REGISTRY_FR,
                            Registry::Luxembourg => tx::REGISTRY_LU,
                        };
                        view! {
                            <option value=code prop:selected=move || selected(code)>{t(text)}</option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The delegates of the companies the person represents.
#[component]
fn Delegates(delegates: Vec<MemberView>, revoke: ServerAction<EntityRevoke>) -> impl IntoView {
    view! {
        <section class="card entity-delegates">
            <h2>{t(tx::DELEGATES)}</h2>
            <ul class="plain-list">
                {delegates
                    .into_iter()
                    .map(|delegate| {
                        let data_email = delegate.person_email.clone();
                        view! {
                            <li class="entity-delegate" data-email=data_email>
                                <strong>{delegate.person_name}</strong> " (" {delegate.person_email}
                                ") · " {delegate.entity_name}
                                <ActionForm action=revoke attr:class="inline">
                                    <input type="hidden" name="member_id" value=delegate.id />
                                    <button type="submit" class="secondary entity-revoke">{t(tx::REVOKE)}</button>
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn NewRequest(action: ServerAction<EntityRequest>) -> impl IntoView {
    view! {
        <section class="card entity-new">
            <h2>{t(tx::NEW_REQUEST)}</h2>
            <ActionForm action attr:class="stack-form">
                <label>
                    {t(tx::COMPANY_NAME)}
                    <input type="text" name="company_name" required autocomplete="organization" />
                </label>
                <RegistrySelect />
                <label>
                    {t(tx::NUMBER)}
                    <input type="text" name="number" required autocomplete="off" />
                </label>
                <label>
                    {t(tx::ROLE)}
                    <select name="role">
                        <option value=MemberRole::Representative.code()>{t(role_label(MemberRole::Representative))}</option>
                        <option value=MemberRole::Delegate.code()>{t(role_label(MemberRole::Delegate))}</option>
                    </select>
                </label>
                <label>
                    {t(tx::REPRESENTATIVE_NAME)}
                    <input type="text" name="representative_name" autocomplete="off" />
                </label>
                <div class="actions">
                    <button type="submit" class="entity-create">{t(tx::CREATE)}</button>
                </div>
            </ActionForm>
        </section>
    }
}
