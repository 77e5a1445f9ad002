//! Sending a draft: the checks of a qualified action (AUTH-02, ID-02), then the letter.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::autosave::Autosave;
use crate::api::check_qualified_action;
use crate::error::AppError;
use crate::i18n::t;
use crate::letters::{Attachment, letter_send};
use crate::pages::form_error::FormError;
use crate::pages::letters::{FreshCode, LetterError, texts};
use crate::validation::{self, Invalid};

/// Where sending stands.
#[derive(Clone, Debug, PartialEq)]
enum SendState {
    Idle,
    Working,
    /// The OTP session expired: a fresh code is asked inline (AUTH-02).
    NeedCode,
    Failed(AppError),
}

/// The Send button: saves, checks the qualified action (fresh code, identity), sends, and
/// goes to the sent letter.
#[component]
pub(super) fn SendLetter(
    autosave: Autosave,
    attachments: RwSignal<Vec<Attachment>>,
    /// The compose form's error, tied to the fields it is about.
    error: FormError,
) -> impl IntoView {
    let state = RwSignal::new(SendState::Idle);
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
    let send = Callback::new(move |()| {
        // Checks the browser can make at once, with the server's messages.
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
            match letter_send(autosave.id.get_value()).await {
                Ok(letter) => sent.set(Some(letter.id)),
                Err(AppError::OtpSessionRequired) => state.set(SendState::NeedCode),
                Err(error) => state.set(SendState::Failed(error)),
            }
        });
    });
    view! {
        <section class="card send">
            <p class="muted">{t(texts::SEND_LEAD)}</p>
            {move || match state.get() {
                SendState::NeedCode => {
                    view! { <FreshCode lead=texts::OTP_NEEDED on_done=send /> }.into_any()
                }
                SendState::Failed(failure) => {
                    view! { <div id=error.id()><LetterError error=failure /></div> }.into_any()
                }
                _ => ().into_any(),
            }}
            <button
                type="button"
                class="primary send-letter"
                disabled=move || state.get() == SendState::Working
                on:click=move |_| send.run(())
            >
                {move || if state.get() == SendState::Working { t(texts::SENDING)() } else { t(texts::SEND)() }}
            </button>
        </section>
    }
}
