//! Compose (LET-01, LET-02): a draft saved as it is typed, its recipients among the sender's
//! contacts, its attachments hashed in the browser and uploaded with their SHA-256, then sent
//! after the checks of a qualified action (AUTH-02, ID-02).

use std::time::Duration;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::texts;
use super::{FreshCode, LetterError, ProgressLine, format_size};
use crate::api::check_qualified_action;
use crate::error::AppError;
use crate::i18n::{Lang, Tr, t, use_lang};
use crate::letters::{
    Attachment, Draft, RecipientChoice, attachment_delete, draft_create, draft_get, draft_save,
    letter_send, recipient_choices,
};
use crate::texts as common;
use crate::validation::{self, Invalid, MAX_ATTACHMENTS, MAX_LETTER_BYTES};

/// How long the draft waits after the last keystroke before it is saved.
const AUTOSAVE_DELAY: Duration = Duration::from_millis(800);

/// `/compose`: creates a draft and goes on to it.
#[component]
pub fn ComposeNewPage() -> impl IntoView {
    let failed = RwSignal::new(None::<AppError>);
    let navigate = use_navigate();
    // Effects run in the browser only: the draft is created once, after hydration.
    Effect::new(move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match draft_create().await {
                Ok(id) => navigate(
                    &format!("/compose/{id}"),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                ),
                Err(error) => failed.set(Some(error)),
            }
        });
    });
    view! {
        <Title text=t(texts::COMPOSE_TITLE) />
        <h1>{t(texts::COMPOSE_TITLE)}</h1>
        {move || match failed.get() {
            Some(error) => view! { <LetterError error /> }.into_any(),
            None => view! { <p>{t(texts::COMPOSE_CREATING)}</p> }.into_any(),
        }}
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

/// Where the autosave stands.
#[derive(Clone, Debug, PartialEq)]
enum SaveState {
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
struct Autosave {
    id: StoredValue<String>,
    subject: RwSignal<String>,
    message: RwSignal<String>,
    recipients: RwSignal<Vec<String>>,
    state: RwSignal<SaveState>,
    /// Incremented at every change.
    edits: StoredValue<u64>,
    /// The edit count of the last successful save.
    saved_edits: StoredValue<u64>,
    in_flight: StoredValue<bool>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl Autosave {
    fn changed(self) {
        self.edits.update_value(|e| *e += 1);
        self.state.set(SaveState::Dirty);
    }

    fn dirty(self) -> bool {
        self.edits.get_value() != self.saved_edits.get_value()
    }

    /// Saves after [`AUTOSAVE_DELAY`] without further change.
    fn schedule(self) {
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
    fn flush(self) {
        if self.dirty() && !self.in_flight.get_value() {
            leptos::task::spawn_local(async move {
                let _ = self.save().await;
            });
        }
    }

    /// Saves now (waits for a running save first) and says whether the draft is saved.
    async fn save(self) -> Result<(), AppError> {
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
        let result = draft_save(
            self.id.get_value(),
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

#[component]
fn Editor(draft: Draft, choices: Result<Vec<RecipientChoice>, AppError>) -> impl IntoView {
    let autosave = Autosave {
        id: StoredValue::new(draft.id.clone()),
        subject: RwSignal::new(draft.subject.clone()),
        message: RwSignal::new(draft.message.clone()),
        recipients: RwSignal::new(draft.recipients.clone()),
        state: RwSignal::new(SaveState::Saved(draft.updated_at.clone())),
        edits: StoredValue::new(0),
        saved_edits: StoredValue::new(0),
        in_flight: StoredValue::new(false),
        timer: StoredValue::new(None),
    };
    // Leaving the page with a change still waiting for its timer: save it now.
    on_cleanup(move || {
        if let Some(Some(handle)) = autosave.timer.try_get_value() {
            handle.clear();
            if let (Some(subject), Some(message), Some(recipients)) = (
                autosave.subject.try_get_untracked(),
                autosave.message.try_get_untracked(),
                autosave.recipients.try_get_untracked(),
            ) {
                let id = autosave.id.get_value();
                leptos::task::spawn_local(async move {
                    let _ = draft_save(id, subject, message, recipients.join(",")).await;
                });
            }
        }
    });
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

    view! {
        <p class="lead">{t(texts::COMPOSE_LEAD)}</p>
        <SaveStatus state=autosave.state />
        <form class="compose-form" on:submit=|event| event.prevent_default()>
            <label>
                {t(texts::FIELD_SUBJECT)}
                <input
                    type="text"
                    name="subject"
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
                    rows="6"
                    maxlength=validation::MESSAGE_MAX_CHARS.to_string()
                    on:input=on_message
                    on:blur=on_blur
                >
                    {draft.message.clone()}
                </textarea>
            </label>
        </form>
        <Attachments draft_id=autosave.id attachments bytes_left />
        <SendLetter autosave attachments />
    }
}

/// "Saved at 05:12 UTC", "Saving…", or why saving failed.
#[component]
fn SaveStatus(state: RwSignal<SaveState>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="save-status" role="status" aria-live="polite">
            {move || match state.get() {
                SaveState::Saved(at) => {
                    let clock = super::format_clock(&at);
                    view! { {t(texts::SAVED_AT)} " " <time datetime=at>{clock}</time> }.into_any()
                }
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

/// The consent status of a non-professional contact (CONS-01).
fn consent_label(consent: Option<&str>) -> Tr {
    match consent {
        Some("requested") => texts::CONSENT_REQUESTED,
        Some("granted") => texts::CONSENT_GRANTED,
        Some("refused") => texts::CONSENT_REFUSED,
        Some("revoked") => texts::CONSENT_REVOKED,
        Some("expired") => texts::CONSENT_EXPIRED,
        _ => texts::CONSENT_NONE,
    }
}

/// The recipients: the sender's contacts, non-professionals only once they consented.
#[component]
fn Recipients(
    choices: Result<Vec<RecipientChoice>, AppError>,
    autosave: Autosave,
) -> impl IntoView {
    let chosen = autosave.recipients.get_untracked();
    let list = match choices {
        Err(error) => return view! { <LetterError error /> }.into_any(),
        Ok(list) => list,
    };
    let empty = list.is_empty();
    let toggle = move |contact: String, checked: bool| {
        autosave.recipients.update(|r| {
            r.retain(|c| *c != contact);
            if checked {
                r.push(contact);
            }
        });
        autosave.changed();
        autosave.flush();
    };
    view! {
        <fieldset class="choices recipients">
            <legend>{t(texts::RECIPIENTS)}</legend>
            {empty.then(|| view! { <p class="muted">{t(texts::RECIPIENTS_NONE)}</p> })}
            {list
                .into_iter()
                .map(|choice| {
                    let checked = chosen.contains(&choice.contact_id);
                    let contact = choice.contact_id.clone();
                    let on_change = move |event: leptos::ev::Event| {
                        toggle(contact.clone(), event_target_checked(&event));
                    };
                    let detail = if choice.professional {
                        let company = choice.company_name.clone().unwrap_or_default();
                        view! {
                            <span class="muted">{t(texts::PROFESSIONAL)} " · " {company}</span>
                        }
                            .into_any()
                    } else {
                        let consent = consent_label(choice.consent.as_deref());
                        view! {
                            <span class="muted consent">
                                {t(texts::CONSENT)} " : " {t(consent)}
                            </span>
                        }
                            .into_any()
                    };
                    let disabled = !choice.selectable && !checked;
                    let class = if choice.selectable { "check recipient" } else { "check recipient unavailable" };
                    view! {
                        <label class=class>
                            <input
                                type="checkbox"
                                value=choice.contact_id.clone()
                                checked=checked
                                disabled=disabled
                                on:change=on_change
                            />
                            <span>
                                <strong>{choice.name.clone()}</strong>
                                " "
                                <span class="recipient-email">{format!("<{}>", choice.email)}</span>
                                <br />
                                {detail}
                                {(!choice.selectable)
                                    .then(|| {
                                        view! {
                                            " · "
                                            <A href="/contacts">{t(texts::MANAGE_CONTACTS)}</A>
                                        }
                                    })}
                            </span>
                        </label>
                    }
                })
                .collect_view()}
            <p>
                <A href="/contacts">{t(texts::MANAGE_CONTACTS)}</A>
            </p>
        </fieldset>
    }
        .into_any()
}

/// Why a file was not attached.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "files are attached in the browser only")
)]
enum UploadError {
    TooLarge {
        size: u64,
        left: u64,
    },
    TooMany,
    Hash(String),
    /// The connection failed before an answer.
    Network,
    Server(AppError),
}

impl UploadError {
    fn message(&self, lang: Lang) -> String {
        match self {
            UploadError::TooLarge { size, left } => texts::TOO_LARGE
                .get(lang)
                .replace("{size}", &format_size(lang, *size))
                .replace("{left}", &format_size(lang, *left)),
            UploadError::TooMany => texts::TOO_MANY
                .get(lang)
                .replace("{max}", &MAX_ATTACHMENTS.to_string()),
            UploadError::Hash(detail) => format!("{} {detail}", texts::HASH_FAILED.get(lang)),
            UploadError::Network => texts::UPLOAD_FAILED.get(lang).to_owned(),
            UploadError::Server(error) => error.message(lang),
        }
    }
}

/// Where one chosen file stands.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "files are attached in the browser only")
)]
enum Phase {
    Waiting,
    /// (bytes done, bytes in all, seconds)
    Hashing(f64, f64, f64),
    Uploading(f64, f64, f64),
    Failed(UploadError),
}

#[derive(Clone, Debug, PartialEq)]
struct Job {
    key: u64,
    name: String,
    size: u64,
    phase: Phase,
}

/// The attachments: the list with name, size and SHA-256, and the file picker that hashes then
/// uploads each chosen file with progress bars.
#[component]
fn Attachments(
    draft_id: StoredValue<String>,
    attachments: RwSignal<Vec<Attachment>>,
    bytes_left: RwSignal<u64>,
) -> impl IntoView {
    let lang = use_lang();
    let jobs = RwSignal::new(Vec::<Job>::new());
    let next_key = StoredValue::new(0_u64);
    let remove_error = RwSignal::new(None::<AppError>);

    let set_phase = move |key: u64, phase: Phase| {
        jobs.update(|jobs| {
            if let Some(job) = jobs.iter_mut().find(|j| j.key == key) {
                job.phase = phase;
            }
        });
    };
    let on_files = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(list) = input.files() else { return };
            let files: Vec<web_sys::File> =
                (0..list.length()).filter_map(|i| list.get(i)).collect();
            // The same file may be chosen again later.
            input.set_value("");
            let mut queued = Vec::new();
            for file in files {
                let key = next_key.get_value();
                next_key.set_value(key + 1);
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "a file size"
                )]
                let size = file.size() as u64;
                jobs.update(|jobs| {
                    jobs.push(Job {
                        key,
                        name: file.name(),
                        size,
                        phase: Phase::Waiting,
                    })
                });
                queued.push((key, size, file));
            }
            leptos::task::spawn_local(async move {
                for (key, size, file) in queued {
                    match attach(
                        draft_id.get_value(),
                        &file,
                        size,
                        bytes_left,
                        attachments,
                        move |phase| set_phase(key, phase),
                    )
                    .await
                    {
                        Ok(attachment) => {
                            bytes_left.update(|left| *left = left.saturating_sub(attachment.size));
                            attachments.update(|list| list.push(attachment));
                            jobs.update(|jobs| jobs.retain(|j| j.key != key));
                        }
                        Err(error) => set_phase(key, Phase::Failed(error)),
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (event, next_key, set_phase);
    };
    let remove = move |attachment_id: String| {
        leptos::task::spawn_local(async move {
            match attachment_delete(draft_id.get_value(), attachment_id).await {
                Ok(draft) => {
                    remove_error.set(None);
                    attachments.set(draft.attachments);
                    bytes_left.set(draft.bytes_left);
                }
                Err(error) => remove_error.set(Some(error)),
            }
        });
    };

    view! {
        <section class="card attachments">
            <h2>{t(texts::ATTACHMENTS)}</h2>
            <p class="muted">{t(texts::ATTACHMENTS_LEAD)}</p>
            <p class="size-limit">
                {t(texts::SIZE_LIMIT)} " " {move || format_size(lang.get(), MAX_LETTER_BYTES)}
                " · " {t(texts::SIZE_LEFT)} " "
                <span class="bytes-left">{move || format_size(lang.get(), bytes_left.get())}</span>
            </p>
            <ul class="attachment-list">
                {move || {
                    attachments
                        .get()
                        .into_iter()
                        .map(|attachment| {
                            let id = attachment.id.clone();
                            view! {
                                <li class="attachment">
                                    <span class="attachment-name">{attachment.name}</span>
                                    <span class="muted attachment-size">
                                        {move || format_size(lang.get(), attachment.size)}
                                    </span>
                                    <code class="attachment-sha256">{attachment.sha256}</code>
                                    <button
                                        type="button"
                                        class="remove"
                                        on:click=move |_| remove(id.clone())
                                    >
                                        {t(texts::REMOVE)}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            {move || remove_error.get().map(|error| view! { <LetterError error /> })}
            <ul class="upload-jobs">
                {move || {
                    jobs.get()
                        .into_iter()
                        .map(|job| {
                            let key = job.key;
                            let phase = match job.phase {
                                Phase::Waiting => view! { <p class="muted">{t(common::LOADING)}</p> }.into_any(),
                                Phase::Hashing(done, total, seconds) => {
                                    view! { <ProgressLine label=texts::HASHING progress=Signal::stored((done, total, seconds)) /> }.into_any()
                                }
                                Phase::Uploading(done, total, seconds) => {
                                    view! { <ProgressLine label=texts::UPLOADING progress=Signal::stored((done, total, seconds)) /> }.into_any()
                                }
                                Phase::Failed(error) => {
                                    view! {
                                        <p class="error" role="alert">{move || error.message(lang.get())}</p>
                                        <button type="button" on:click=move |_| jobs.update(|jobs| jobs.retain(|j| j.key != key))>
                                            {t(texts::DISMISS)}
                                        </button>
                                    }
                                        .into_any()
                                }
                            };
                            view! {
                                <li class="upload-job">
                                    <span class="attachment-name">{job.name}</span>
                                    <span class="muted">{move || format_size(lang.get(), job.size)}</span>
                                    {phase}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <label>
                {t(texts::ATTACHMENTS_PICK)}
                <input type="file" name="attachments" multiple on:change=on_files />
            </label>
        </section>
    }
}

/// Checks, hashes and uploads one file (LET-02).
#[cfg(feature = "hydrate")]
async fn attach(
    draft_id: String,
    file: &web_sys::File,
    size: u64,
    bytes_left: RwSignal<u64>,
    attachments: RwSignal<Vec<Attachment>>,
    phase: impl Fn(Phase) + Copy + 'static,
) -> Result<Attachment, UploadError> {
    if attachments.get_untracked().len() >= MAX_ATTACHMENTS {
        return Err(UploadError::TooMany);
    }
    let left = bytes_left.get_untracked();
    if size > left {
        return Err(UploadError::TooLarge { size, left });
    }
    #[expect(clippy::cast_precision_loss, reason = "progress display")]
    let total = size as f64;
    phase(Phase::Hashing(0.0, total, 0.0));
    let sha256 = crate::hashing::sha256_file(file, move |p| {
        phase(Phase::Hashing(p.done, p.total, p.seconds));
    })
    .await
    .map_err(UploadError::Hash)?;
    phase(Phase::Uploading(0.0, total, 0.0));
    let started = js_sys::Date::now();
    upload(&draft_id, file, &sha256, move |done, total| {
        let seconds = (js_sys::Date::now() - started) / 1000.0;
        phase(Phase::Uploading(done, total, seconds));
    })
    .await
}

/// The error body of the attachment route.
#[cfg(feature = "hydrate")]
#[derive(serde::Deserialize)]
struct ErrorBody {
    error: AppError,
}

/// Posts `file` as the raw body to the attachment route with an `XMLHttpRequest`, for its
/// upload progress events (fetch has none).
#[cfg(feature = "hydrate")]
async fn upload(
    draft_id: &str,
    file: &web_sys::File,
    sha256: &str,
    on_progress: impl Fn(f64, f64) + 'static,
) -> Result<Attachment, UploadError> {
    use leptos::server_fn::Bytes;
    use leptos::server_fn::Decodes;
    use leptos::server_fn::codec::JsonEncoding;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    let url = format!(
        "/letters/{}/attachments?name={}",
        js_sys::encode_uri_component(draft_id),
        js_sys::encode_uri_component(&file.name())
    );
    let request = web_sys::XmlHttpRequest::new().map_err(|_| UploadError::Network)?;
    request
        .open_with_async("POST", &url, true)
        .map_err(|_| UploadError::Network)?;
    request
        .set_request_header(crate::letters::SHA256_HEADER, sha256)
        .map_err(|_| UploadError::Network)?;
    let (sender, receiver) = futures::channel::oneshot::channel::<bool>();
    let sender = std::rc::Rc::new(std::cell::RefCell::new(Some(sender)));
    let finish = move |ok: bool| {
        if let Some(sender) = sender.borrow_mut().take() {
            let _ = sender.send(ok);
        }
    };
    let onload = Closure::<dyn FnMut()>::new({
        let finish = finish.clone();
        move || finish(true)
    });
    let onerror = Closure::<dyn FnMut()>::new(move || finish(false));
    let onprogress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            on_progress(event.loaded(), event.total())
        });
    request.set_onload(Some(onload.as_ref().unchecked_ref()));
    request.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    request.set_onabort(Some(onerror.as_ref().unchecked_ref()));
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(onprogress.as_ref().unchecked_ref()));
    }
    request
        .send_with_opt_blob(Some(file))
        .map_err(|_| UploadError::Network)?;
    let loaded = receiver.await.unwrap_or(false);
    drop((onload, onerror, onprogress));
    if !loaded {
        return Err(UploadError::Network);
    }
    let status = request.status().unwrap_or(0);
    let body = Bytes::from(request.response_text().ok().flatten().unwrap_or_default());
    if (200..300).contains(&status) {
        <JsonEncoding as Decodes<Attachment>>::decode(body).map_err(|_| UploadError::Network)
    } else {
        match <JsonEncoding as Decodes<ErrorBody>>::decode(body) {
            Ok(body) => Err(UploadError::Server(body.error)),
            Err(_) if status == 413 => Err(UploadError::Server(Invalid::LetterTooLarge.into())),
            Err(_) => Err(UploadError::Server(AppError::Internal {
                request_id: format!("HTTP {status}"),
            })),
        }
    }
}

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
fn SendLetter(autosave: Autosave, attachments: RwSignal<Vec<Attachment>>) -> impl IntoView {
    let state = RwSignal::new(SendState::Idle);
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
                SendState::Failed(error) => view! { <LetterError error /> }.into_any(),
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
