//! Sending a draft: a summary to confirm (recipients, documents with their SHA-256, what
//! happens next, that it cannot be undone: issue 11), then the checks of a qualified action
//! (AUTH-02, ID-02), then the letter.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::autosave::Autosave;
use crate::api::check_qualified_action;
use crate::error::AppError;
use crate::i18n::{t, use_lang};
use crate::letters::{Attachment, RecipientChoice, letter_send};
use crate::pages::form_error::FormError;
use crate::pages::letters::{FreshCode, LetterError, format_size, texts};
use crate::validation::{self, Invalid};

/// Where sending stands.
#[derive(Clone, Debug, PartialEq)]
enum SendState {
    Idle,
    /// The summary is shown; nothing is sent until it is confirmed.
    Confirming,
    Working,
    /// The OTP session expired: a fresh code is asked inline (AUTH-02).
    NeedCode,
    Failed(AppError),
}

/// The Send button: checks what the browser can, saves, shows the summary to confirm, then
/// checks the qualified action (fresh code, identity), sends, and goes to the sent letter.
#[component]
pub(super) fn SendLetter(
    autosave: Autosave,
    attachments: RwSignal<Vec<Attachment>>,
    choices: Vec<RecipientChoice>,
    /// The compose form's error, tied to the fields it is about.
    error: FormError,
) -> impl IntoView {
    let state = RwSignal::new(SendState::Idle);
    let choices = StoredValue::new(choices);
    // For whom: the sender, or a company they act for (issue 13); "" is the sender.
    let for_company = RwSignal::new(String::new());
    Effect::new(move |_| {
        error.report(match state.get() {
            SendState::Failed(failure) => Some(failure),
            _ => None,
        });
    });
    // Where to go once sent. The navigation runs in an effect (browser only): `use_navigate`'s
    // closure is neither `Send` nor `Sync`, so the callback below cannot hold it.
    let sent = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(id) = sent.get() {
            navigate(&format!("/sent/{id}"), Default::default());
        }
    });
    // The summary: checks the browser can make at once (with the server's messages), saves.
    let review = Callback::new(move |()| {
        let invalid = if validation::subject(&autosave.subject.get_untracked()).is_err() {
            Some(Invalid::Subject)
        } else if autosave.recipients.with_untracked(Vec::is_empty) {
            Some(Invalid::NoRecipient)
        } else if attachments.with_untracked(Vec::is_empty) {
            Some(Invalid::NoAttachment)
        } else {
            None
        };
        if let Some(reason) = invalid {
            state.set(SendState::Failed(reason.into()));
            return;
        }
        state.set(SendState::Working);
        leptos::task::spawn_local(async move {
            match autosave.save().await {
                Ok(()) => state.set(SendState::Confirming),
                Err(error) => state.set(SendState::Failed(error)),
            }
        });
    });
    let send = Callback::new(move |()| {
        state.set(SendState::Working);
        leptos::task::spawn_local(async move {
            if let Err(error) = autosave.save().await {
                state.set(SendState::Failed(error));
                return;
            }
            match check_qualified_action().await {
                Ok(_) => {}
                Err(AppError::OtpSessionRequired) => {
                    state.set(SendState::NeedCode);
                    return;
                }
                Err(error) => {
                    state.set(SendState::Failed(error));
                    return;
                }
            }
            let company = Some(for_company.get_untracked()).filter(|m| !m.is_empty());
            match letter_send(autosave.id.get_value(), company).await {
                Ok(letter) => sent.set(Some(letter.id)),
                Err(AppError::OtpSessionRequired) => state.set(SendState::NeedCode),
                Err(error) => state.set(SendState::Failed(error)),
            }
        });
    });
    let confirming = move || matches!(state.get(), SendState::Confirming | SendState::NeedCode);
    view! {
        <section class="card send">
            <p class="muted">{t(texts::SEND_LEAD)}</p>
            {move || confirming().then(|| view! {
                <Summary autosave attachments choices=choices.get_value() />
                <SendAs for_company />
            })}
            {move || match state.get() {
                SendState::NeedCode => {
                    view! { <FreshCode lead=texts::OTP_NEEDED on_done=send /> }.into_any()
                }
                SendState::Failed(failure) => {
                    view! { <div id=error.id()><LetterError error=failure /></div> }.into_any()
                }
                _ => ().into_any(),
            }}
            {move || if state.get() == SendState::Confirming {
                view! {
                    <div class="actions">
                        <button type="button" class="primary confirm-send" on:click=move |_| send.run(())>
                            {t(texts::CONFIRM_SEND)}
                        </button>
                        <button type="button" class="secondary back-to-edit" on:click=move |_| state.set(SendState::Idle)>
                            {t(texts::BACK_TO_EDIT)}
                        </button>
                    </div>
                }
                    .into_any()
            } else {
                view! {
                    <button
                        type="button"
                        class="primary send-letter"
                        disabled=move || matches!(state.get(), SendState::Working | SendState::NeedCode)
                        on:click=move |_| review.run(())
                    >
                        {move || if state.get() == SendState::Working { t(texts::SENDING)() } else { t(texts::SEND)() }}
                    </button>
                }
                    .into_any()
            }}
        </section>
    }
}

/// What is about to be sent, to check before confirming: recipients, documents with their
/// SHA-256, what happens next, and that it cannot be undone.
#[component]
fn Summary(
    autosave: Autosave,
    attachments: RwSignal<Vec<Attachment>>,
    choices: Vec<RecipientChoice>,
) -> impl IntoView {
    let lang = use_lang();
    let recipients: Vec<RecipientChoice> = autosave
        .recipients
        .get_untracked()
        .iter()
        .filter_map(|id| choices.iter().find(|c| c.contact_id == *id).cloned())
        .collect();
    view! {
        <div class="send-summary" role="region" aria-labelledby="send-summary-title">
            <h2 id="send-summary-title">{t(texts::SUMMARY_TITLE)}</h2>
            <dl class="facts">
                <dt>{t(texts::FIELD_SUBJECT)}</dt>
                <dd class="summary-subject">{autosave.subject.get_untracked()}</dd>
            </dl>
            <h3>{t(texts::SUMMARY_RECIPIENTS)}</h3>
            <ul class="summary-recipients">
                {recipients
                    .into_iter()
                    .map(|r| view! {
                        <li>
                            <strong>{r.name}</strong> " " <span class="muted">{r.email}</span>
                            {r.company_name.map(|company| view! { " · " {company} })}
                        </li>
                    })
                    .collect_view()}
            </ul>
            <h3>{t(texts::SUMMARY_DOCUMENTS)}</h3>
            <ul class="summary-documents">
                {attachments
                    .get_untracked()
                    .into_iter()
                    .map(|a| {
                        let size = a.size;
                        view! {
                            <li>
                                <span class="attachment-name">{a.name}</span> " "
                                <span class="muted">{move || format_size(lang.get(), size)}</span>
                                <br />
                                <span class="muted">"SHA-256 "</span>
                                <code class="attachment-sha256">{a.sha256}</code>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h3>{t(texts::SUMMARY_NEXT)}</h3>
            <ol class="summary-next">
                <li>{t(texts::SUMMARY_NEXT_DEPOSIT)}</li>
                <li>{t(texts::SUMMARY_NEXT_NOTIFY)}</li>
                <li>{t(texts::SUMMARY_NEXT_DECIDE)}</li>
            </ol>
            <p class="notice irrevocable">{t(texts::SUMMARY_IRREVOCABLE)}</p>
        </div>
    }
}

/// The companies the sender may send for (their verified requests, `app::entities`): a choice
/// shown only to someone who acts for one.
#[component]
fn SendAs(for_company: RwSignal<String>) -> impl IntoView {
    let companies = Resource::new(|| (), |_| crate::entities::fetch_organisations());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let verified: Vec<(String, String)> = companies
                    .await
                    .map(|o| o.requests)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|m| m.status == "verified")
                    .map(|m| (m.id, format!("{} ({})", m.entity_name, m.registry_number)))
                    .collect();
                (!verified.is_empty()).then(|| view! {
                    <label class="send-as">
                        {t(crate::texts::entities::SEND_AS)}
                        <select
                            name="for_company"
                            on:change=move |ev| for_company.set(event_target_value(&ev))
                        >
                            <option value="">{t(crate::texts::entities::SEND_AS_MYSELF)}</option>
                            {verified
                                .into_iter()
                                .map(|(id, label)| view! { <option value=id>{label}</option> })
                                .collect_view()}
                        </select>
                    </label>
                })
            })}
        </Transition>
    }
}
