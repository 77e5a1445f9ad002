//! The autosave of a draft (LET-01) and the line that says where it stands.

use std::time::Duration;

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{t, use_lang};
use crate::letters::{Draft, draft_create, draft_save};
use crate::pages::letters::texts;
use crate::when::Clock;

/// How long the draft waits after the last keystroke before it is saved.
const AUTOSAVE_DELAY: Duration = Duration::from_millis(800);
/// Where the autosave stands.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum SaveState {
    /// A new letter, not written to yet: nothing is stored until the first change (issue 11:
    /// visiting the compose page creates no draft).
    New,
    /// Saved; the server's time of the last save.
    Saved(String),
    /// Changed since the last save.
    Dirty,
    Saving,
    Failed(AppError),
}

/// The autosave of a draft: debounced after typing, immediate on blur or a click, one request
/// at a time (a change made while a save runs is saved right after it).
#[derive(Clone, Copy)]
pub(super) struct Autosave {
    /// The draft's id; empty until the first change creates the draft.
    pub(super) id: StoredValue<String>,
    /// Whether the draft is being created.
    creating: StoredValue<bool>,
    pub(super) subject: RwSignal<String>,
    pub(super) message: RwSignal<String>,
    pub(super) recipients: RwSignal<Vec<String>>,
    pub(super) state: RwSignal<SaveState>,
    /// Incremented at every change.
    edits: StoredValue<u64>,
    /// The edit count of the last successful save.
    saved_edits: StoredValue<u64>,
    in_flight: StoredValue<bool>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl Autosave {
    /// The autosave of `draft`, as loaded (saved).
    pub(super) fn new(draft: &Draft) -> Autosave {
        let state = if draft.id.is_empty() {
            SaveState::New
        } else {
            SaveState::Saved(draft.updated_at.clone())
        };
        Autosave {
            id: StoredValue::new(draft.id.clone()),
            creating: StoredValue::new(false),
            subject: RwSignal::new(draft.subject.clone()),
            message: RwSignal::new(draft.message.clone()),
            recipients: RwSignal::new(draft.recipients.clone()),
            state: RwSignal::new(state),
            edits: StoredValue::new(0),
            saved_edits: StoredValue::new(0),
            in_flight: StoredValue::new(false),
            timer: StoredValue::new(None),
        }
    }

    /// Saves at once, in the background, a change still waiting for its timer (the page is
    /// being left).
    pub(super) fn save_pending(self) {
        if let Some(Some(handle)) = self.timer.try_get_value() {
            handle.clear();
            if let (Some(subject), Some(message), Some(recipients)) = (
                self.subject.try_get_untracked(),
                self.message.try_get_untracked(),
                self.recipients.try_get_untracked(),
            ) {
                let id = self.id.get_value();
                leptos::task::spawn_local(async move {
                    let id = if id.is_empty() {
                        match draft_create().await {
                            Ok(id) => id,
                            Err(_) => return,
                        }
                    } else {
                        id
                    };
                    let _ = draft_save(id, subject, message, recipients.join(",")).await;
                });
            }
        }
    }

    pub(super) fn changed(self) {
        self.edits.update_value(|e| *e += 1);
        self.state.set(SaveState::Dirty);
    }

    fn dirty(self) -> bool {
        self.edits.get_value() != self.saved_edits.get_value()
    }

    /// Saves after [`AUTOSAVE_DELAY`] without further change.
    pub(super) fn schedule(self) {
        self.cancel_timer();
        let handle = set_timeout_with_handle(
            move || {
                if self.timer.try_set_value(None).is_none() {
                    self.flush();
                }
            },
            AUTOSAVE_DELAY,
        )
        .ok();
        self.timer.set_value(handle);
    }

    fn cancel_timer(self) {
        if let Some(Some(handle)) = self.timer.try_get_value() {
            handle.clear();
            self.timer.set_value(None);
        }
    }

    /// Saves now if anything changed (in the background).
    pub(super) fn flush(self) {
        if self.dirty() && !self.in_flight.get_value() {
            leptos::task::spawn_local(async move {
                let _ = self.save().await;
            });
        }
    }

    /// The draft's id, creating the draft first if this is a new letter (once, however many
    /// callers ask at the same time); the address bar then shows the draft's page.
    pub(super) async fn ensure_created(self) -> Result<String, AppError> {
        loop {
            let id = self.id.try_get_value().unwrap_or_default();
            if !id.is_empty() {
                return Ok(id);
            }
            if !self.creating.try_get_value().unwrap_or(false) {
                break;
            }
            sleep(Duration::from_millis(50)).await;
        }
        self.creating.set_value(true);
        let created = draft_create().await;
        self.creating.try_set_value(false);
        let id = created?;
        self.id.try_set_value(id.clone());
        show_address(&format!("/compose/{id}"));
        Ok(id)
    }

    /// Saves now (waits for a running save first) and says whether the draft is saved.
    pub(super) async fn save(self) -> Result<(), AppError> {
        self.cancel_timer();
        while self.in_flight.try_get_value().unwrap_or(false) {
            sleep(Duration::from_millis(50)).await;
        }
        let Some(edits) = self.edits.try_get_value() else {
            return Ok(());
        };
        if edits == self.saved_edits.get_value() {
            return Ok(());
        }
        self.in_flight.set_value(true);
        self.state.set(SaveState::Saving);
        let id = match self.ensure_created().await {
            Ok(id) => id,
            Err(error) => {
                self.in_flight.try_set_value(false);
                self.state.try_set(SaveState::Failed(error.clone()));
                return Err(error);
            }
        };
        let result = draft_save(
            id,
            self.subject.get_untracked(),
            self.message.get_untracked(),
            self.recipients.get_untracked().join(","),
        )
        .await;
        // The page may have been left meanwhile.
        if self.in_flight.try_set_value(false).is_some() {
            return result.map(|_| ());
        }
        match result {
            Ok(draft) => {
                self.saved_edits.set_value(edits);
                if self.dirty() {
                    self.state.set(SaveState::Dirty);
                    self.schedule();
                } else {
                    self.state.set(SaveState::Saved(draft.updated_at));
                }
                Ok(())
            }
            Err(error) => {
                self.state.set(SaveState::Failed(error.clone()));
                Err(error)
            }
        }
    }
}

/// Shows `path` in the address bar without a navigation (the editor stays as it is), so that
/// a reload or a bookmark finds the draft.
fn show_address(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Waits `duration` (browser only; returns at once on the server, where it is never called).
async fn sleep(duration: Duration) {
    #[cfg(feature = "hydrate")]
    {
        let (sender, receiver) = futures::channel::oneshot::channel::<()>();
        set_timeout(
            move || {
                let _ = sender.send(());
            },
            duration,
        );
        let _ = receiver.await;
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = duration;
}
/// "Saved at 05:12 UTC", "Saving…", or why saving failed.
#[component]
pub(super) fn SaveStatus(state: RwSignal<SaveState>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="save-status" role="status" aria-live="polite">
            {move || match state.get() {
                SaveState::New => ().into_any(),
                SaveState::Saved(at) => view! { {t(texts::SAVED_AT)} " " <Clock at /> }.into_any(),
                SaveState::Dirty => view! { <span class="muted">{t(texts::UNSAVED)}</span> }.into_any(),
                SaveState::Saving => view! { <span class="muted">{t(texts::SAVING)}</span> }.into_any(),
                SaveState::Failed(error) => {
                    view! {
                        <span class="error">
                            {t(texts::SAVE_FAILED)} " " {move || error.message(lang.get())}
                        </span>
                    }
                        .into_any()
                }
            }}
        </p>
    }
}
