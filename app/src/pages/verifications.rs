//! The manual verification queue of the back office (issue 13; ID-05, ID-06): an
//! identity-check operator reads each submitted request — the requester, the company, the
//! chain of extracts, the power of attorney and ID documents — and approves or rejects it
//! with a reason. Every form works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::entities::{
    MemberView, VerificationApprove, VerificationReject, fetch_verification_queue,
};
use crate::error::AppError;
use crate::i18n::t;
use crate::pages::contacts::load_error;
use crate::pages::letters::FreshCode;
use crate::pages::organisations::Documents;
use crate::texts::entities::{self as tx, role_label};
use crate::when::DayOf;
use crate::{action_error, texts};

#[component]
pub fn VerificationsPage() -> impl IntoView {
    let approve = ServerAction::<VerificationApprove>::new();
    let reject = ServerAction::<VerificationReject>::new();
    let fresh = RwSignal::new(0);
    let queue = Resource::new(
        move || (approve.version().get(), reject.version().get(), fresh.get()),
        |_| fetch_verification_queue(),
    );
    let on_code = Callback::new(move |()| fresh.update(|n| *n += 1));
    view! {
        <Title text=t(tx::QUEUE_TITLE) />
        <h1>{t(tx::QUEUE_TITLE)}</h1>
        <p class="lead">{t(tx::QUEUE_LEAD)}</p>
        <div class="verifications-result" aria-live="polite">
            {action_error(move || approve.value().get())}
            {action_error(move || reject.value().get())}
            {move || {
                let done = approve.value().get().is_some_and(|r| r.is_ok())
                    || reject.value().get().is_some_and(|r| r.is_ok());
                done.then(|| view! { <p class="success" role="status">{t(texts::operators::DONE)}</p> })
            }}
        </div>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(AppError::OtpSessionRequired) => view! {
                        <FreshCode lead=texts::operators::OTP_NEEDED_BACK_OFFICE on_done=on_code />
                    }
                    .into_any(),
                    Err(error) => load_error(error),
                    Ok(members) if members.is_empty() => {
                        view! { <p class="queue-empty">{t(tx::QUEUE_EMPTY)}</p> }.into_any()
                    }
                    Ok(members) => members
                        .into_iter()
                        .map(|member| view! { <Pending member approve reject /> })
                        .collect_view()
                        .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Pending(
    member: MemberView,
    approve: ServerAction<VerificationApprove>,
    reject: ServerAction<VerificationReject>,
) -> impl IntoView {
    let MemberView {
        id,
        entity_name,
        registry_number,
        role,
        representative_name,
        person_name,
        person_email,
        identified,
        submitted_at,
        documents,
        ..
    } = member;
    let role = domain::entities::MemberRole::from_code(&role)
        .map(|r| t(role_label(r)).into_any())
        .unwrap_or_else(|| role.into_any());
    let (approve_id, data_email) = (id.clone(), person_email.clone());
    view! {
        <article class="card verification" data-email=data_email>
            <h2>{entity_name} " · " {registry_number}</h2>
            <p>
                {t(tx::REQUESTER)} " : " <strong>{person_name}</strong> " (" {person_email} ") · "
                {role}
                {identified.then(|| view! { " · " <span class="success">{t(tx::IDENTIFIED)}</span> })}
            </p>
            <p>{t(tx::REPRESENTATIVE_NAME)} " : " <strong>{representative_name}</strong></p>
            {submitted_at.map(|at| view! { <p class="muted"><DayOf at /></p> })}
            <Documents documents />
            <div class="actions">
                <ActionForm action=approve attr:class="inline">
                    <input type="hidden" name="member_id" value=approve_id />
                    <button type="submit" class="verification-approve">{t(tx::APPROVE)}</button>
                </ActionForm>
            </div>
            <ActionForm action=reject attr:class="stack-form verification-reject-form">
                <input type="hidden" name="member_id" value=id />
                <label>
                    {t(tx::REASON)}
                    <input type="text" name="reason" required maxlength="500" />
                </label>
                <div class="actions">
                    <button type="submit" class="secondary verification-reject">{t(tx::REJECT)}</button>
                </div>
            </ActionForm>
        </article>
    }
}
