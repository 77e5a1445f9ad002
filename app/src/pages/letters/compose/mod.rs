//! Compose (LET-01, LET-02): a draft saved as it is typed, its recipients among the sender's
//! contacts, its attachments hashed in the browser and uploaded with their SHA-256, then sent
//! after the checks of a qualified action (AUTH-02, ID-02).

mod attachments;
mod autosave;
mod recipients;
mod send;
#[cfg(feature = "hydrate")]
mod upload;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use self::attachments::Attachments;
use self::autosave::{Autosave, SaveStatus};
use self::recipients::Recipients;
use self::send::SendLetter;
use super::LetterError;
use super::texts;
use crate::error::AppError;
use crate::i18n::{t, use_lang};
use crate::letters::{Draft, DraftKeep, RecipientChoice, draft_get, recipient_choices};
use crate::pages::first_steps::MissingToSend;
use crate::pages::form_error::FormError;
use crate::texts as common;
use crate::validation;
use crate::{action_error, form_done};
use leptos::server_fn::ServerFn;

/// `/compose`: a new letter. Nothing is stored until the sender writes something or attaches a
/// file (issue 11): the first change creates the draft, and the address becomes its page.
#[component]
pub fn ComposeNewPage() -> impl IntoView {
    let choices = Resource::new(|| (), |()| recipient_choices());
    view! {
        <Title text=t(texts::COMPOSE_TITLE) />
        <h1>{t(texts::COMPOSE_TITLE)}</h1>
        <MissingToSend />
        <Suspense fallback=move || view! { <p>{t(common::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match choices.await {
                    // Signed out, or not allowed to write yet: said once, nothing created.
                    Err(error) => view! { <LetterError error /> }.into_any(),
                    Ok(list) => view! { <Editor draft=Draft::new_letter() choices=Ok(list) /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/compose/:id`: the draft editor.
#[component]
pub fn ComposePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let data = Resource::new(id, |id| async move {
        (draft_get(id).await, recipient_choices().await)
    });
    view! {
        <Title text=t(texts::COMPOSE_TITLE) />
        <h1>{t(texts::COMPOSE_TITLE)}</h1>
        <MissingToSend />
        <Suspense fallback=move || view! { <p>{t(common::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    (Ok(draft), choices) => view! { <Editor draft choices /> }.into_any(),
                    (Err(error), _) => view! { <LetterError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The draft editor: subject, recipients, message, attachments, and the Send button.
#[component]
fn Editor(draft: Draft, choices: Result<Vec<RecipientChoice>, AppError>) -> impl IntoView {
    let choices_for_summary = choices.clone().unwrap_or_default();
    let autosave = Autosave::new(&draft);
    // Leaving the page with a change still waiting for its timer: save it now.
    on_cleanup(move || autosave.save_pending());
    let attachments = RwSignal::new(draft.attachments.clone());
    let bytes_left = RwSignal::new(draft.bytes_left);

    let on_subject = move |event: leptos::ev::Event| {
        autosave.subject.set(event_target_value(&event));
        autosave.changed();
        autosave.schedule();
    };
    let on_message = move |event: leptos::ev::Event| {
        autosave.message.set(event_target_value(&event));
        autosave.changed();
        autosave.schedule();
    };
    let on_blur = move |_| autosave.flush();
    let send_error = FormError::reported("send-error");

    // Without JavaScript the form is posted as it is (issue 11): its text fields and
    // recipients are kept as a draft by `draft_keep`, which sends the browser to the draft.
    let keep = ServerAction::<DraftKeep>::new();
    let kept = form_done::<DraftKeep>();
    let lang = use_lang();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        autosave.flush();
    };

    view! {
        <noscript inner_html=move || {
            format!("<p class=\"notice compose-noscript\">{}</p>", texts::COMPOSE_NOSCRIPT.get(lang.get()))
        } />
        <p class="lead">{t(texts::COMPOSE_LEAD)}</p>
        <SaveStatus state=autosave.state />
        <form class="compose-form" method="post" action=DraftKeep::PATH on:submit=on_submit>
            <input type="hidden" name="id" value=draft.id.clone() />
            <label>
                {t(texts::FIELD_SUBJECT)}
                <input
                    type="text"
                    name="subject"
                    {..send_error.field("subject")}
                    value=draft.subject.clone()
                    maxlength=validation::SUBJECT_MAX_CHARS.to_string()
                    required
                    on:input=on_subject
                    on:blur=on_blur
                />
            </label>
            <Recipients choices autosave />
            <label>
                {t(texts::FIELD_MESSAGE)}
                <textarea
                    name="message"
                    {..send_error.field("message")}
                    rows="6"
                    maxlength=validation::MESSAGE_MAX_CHARS.to_string()
                    on:input=on_message
                    on:blur=on_blur
                >
                    {draft.message.clone()}
                </textarea>
            </label>
            <div class="actions">
                <button type="submit" class="secondary keep-draft">{t(texts::DRAFT_KEEP)}</button>
            </div>
            {action_error(move || keep.value().get())}
            <Show when=kept>
                <p class="success" role="status">{t(texts::DRAFT_KEPT)}</p>
            </Show>
        </form>
        <Attachments autosave attachments bytes_left />
        <SendLetter autosave attachments choices=choices_for_summary error=send_error />
    }
}
