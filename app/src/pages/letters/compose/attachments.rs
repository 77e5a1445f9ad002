//! The attachments of a draft (LET-02): the list, and the file picker that checks, hashes
//! (in the browser) and uploads each chosen file.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{Lang, t, use_lang};
use crate::letters::{Attachment, attachment_delete};
use crate::pages::letters::{LetterError, ProgressLine, format_size, texts};
use crate::texts as common;
use crate::validation::{MAX_ATTACHMENTS, MAX_LETTER_BYTES};

/// Why a file was not attached.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "files are attached in the browser only")
)]
pub(super) enum UploadError {
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
pub(super) fn Attachments(
    autosave: super::autosave::Autosave,
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
            let Some(input) = crate::hashing::file_input(&event) else {
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
                // A new letter is stored with its first file.
                let draft_id = match autosave.ensure_created().await {
                    Ok(id) => id,
                    Err(error) => {
                        for (key, _, _) in queued {
                            set_phase(key, Phase::Failed(UploadError::Server(error.clone())));
                        }
                        return;
                    }
                };
                for (key, size, file) in queued {
                    match attach(
                        draft_id.clone(),
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
            match attachment_delete(autosave.id.get_value(), attachment_id).await {
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
    if size == 0 {
        return Err(UploadError::Server(
            crate::validation::Invalid::EmptyFile.into(),
        ));
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
    super::upload::upload(&draft_id, file, &sha256, move |done, total| {
        let seconds = (js_sys::Date::now() - started) / 1000.0;
        phase(Phase::Uploading(done, total, seconds));
    })
    .await
}
