//! The accepted letter as its recipient sees it (LET-08, LET-11, LET-12): sender, subject,
//! message, each attachment with its SHA-256 (the first download is the opening), a check of a
//! downloaded file in the browser, and the evidence dossier.

use leptos::prelude::*;

use super::reception::AccountOffer;
use super::texts;
use super::{ProgressLine, attachment_url, dossier_url, format_size};
use crate::i18n::{t, use_lang};
use crate::letters::{Attachment, Reception, RecipientAuth};

/// The accepted letter: sender, subject, message, attachments to download (the first download
/// is the opening, LET-11), the file check, and the dossier.
#[component]
pub(super) fn Delivered(reception: Reception) -> impl IntoView {
    let lang = use_lang();
    let transaction_id = reception.transaction_id.clone();
    let opened = reception.opened.clone();
    let sender = reception.sender.clone();
    view! {
        <p class="notice accepted">{t(texts::ACCEPTED_NOTICE)}</p>
        {match reception.auth.clone() {
            RecipientAuth::Reception { verified_name, .. } => Some(view! {
                <p class="identified">
                    {t(texts::IDENTIFIED_AS)} " " <strong class="verified-name">{verified_name}</strong>
                </p>
                <AccountOffer reception=reception.clone() />
            }),
            _ => None,
        }}
        <dl class="facts">
            {sender.map(|sender| view! {
                <dt>{t(texts::SENDER)}</dt>
                <dd class="sender">
                    <span class="sender-name">{sender.name}</span> " "
                    <span class="sender-email">{format!("<{}>", sender.email)}</span>
                </dd>
            })}
            <dt>{t(texts::FIELD_SUBJECT)}</dt>
            <dd class="letter-subject">{reception.subject.clone().unwrap_or_default()}</dd>
        </dl>
        {reception
            .message
            .clone()
            .filter(|message| !message.is_empty())
            .map(|message| view! { <pre class="letter-message">{message}</pre> })}
        <section class="card">
            <h2>{t(texts::ATTACHMENTS)}</h2>
            <p class="muted">{t(texts::DOWNLOAD_LEAD)}</p>
            <ul class="attachment-list">
                {reception
                    .attachments
                    .iter()
                    .cloned()
                    .map(|attachment| {
                        let href = attachment_url(&transaction_id, &attachment.id);
                        let was_opened = opened.contains(&attachment.id);
                        view! {
                            <li class="attachment">
                                <a href=href rel="external" download=attachment.name.clone() class="attachment-name">
                                    {attachment.name.clone()}
                                </a>
                                <span class="muted attachment-size">{move || format_size(lang.get(), attachment.size)}</span>
                                {was_opened.then(|| view! { <span class="status opened">{t(texts::OPENED_MARK)}</span> })}
                                <code class="attachment-sha256">{attachment.sha256.clone()}</code>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <FileCheck attachments=reception.attachments.clone() />
        <DossierLink reception />
    }
}

/// The link to the recipient's evidence dossier, when the visibility rule gives them one: all
/// of it once accepted, what names neither sender nor content once refused (LET-12, LET-09).
#[component]
pub(super) fn DossierLink(reception: Reception) -> impl IntoView {
    reception.dossier.then(|| view! {
        <p>
            <a href=dossier_url(&reception.transaction_id) rel="external" download class="button dossier">
                {t(texts::DOSSIER)}
            </a>
        </p>
    })
}

/// Hashes a file chosen by the recipient, in the browser, and says which attachment it is.
#[component]
fn FileCheck(attachments: Vec<Attachment>) -> impl IntoView {
    let progress = RwSignal::new(None::<(f64, f64, f64)>);
    let result = RwSignal::new(None::<Result<String, String>>);
    let attachments = StoredValue::new(attachments);
    let on_change = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = crate::hashing::chosen_file(&event) else {
                return;
            };
            result.set(None);
            progress.set(Some((0.0, file.size(), 0.0)));
            leptos::task::spawn_local(async move {
                let digest = crate::hashing::sha256_file(&file, move |p| {
                    progress.set(Some((p.done, p.total, p.seconds)));
                })
                .await;
                if digest.is_ok() {
                    progress.update(|p| {
                        if let Some(p) = p {
                            p.0 = p.1;
                        }
                    });
                }
                result.set(Some(digest));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (event, progress, result);
    };
    view! {
        <section class="card file-check">
            <h2>{t(texts::CHECK_FILE_TITLE)}</h2>
            <p class="muted">{t(texts::CHECK_FILE_LEAD)}</p>
            <label>
                {t(texts::CHECK_FILE_PICK)}
                <input type="file" name="check" on:change=on_change />
            </label>
            {move || progress.get().map(|value| view! {
                <ProgressLine label=texts::HASHING progress=Signal::stored(value) />
            })}
            {move || match result.get() {
                Some(Ok(hex)) => {
                    let found = attachments.with_value(|list| {
                        list.iter().find(|a| a.sha256.eq_ignore_ascii_case(&hex)).map(|a| a.name.clone())
                    });
                    match found {
                        Some(name) => view! {
                            <p class="success check-result" role="status">
                                "✔ " {t(texts::CHECK_MATCH)} " " <strong>{name}</strong>
                            </p>
                            <code class="file-sha256">{hex}</code>
                        }
                        .into_any(),
                        None => view! {
                            <p class="error check-result" role="alert">"✘ " {t(texts::CHECK_NO_MATCH)}</p>
                            <code class="file-sha256">{hex}</code>
                        }
                        .into_any(),
                    }
                }
                Some(Err(error)) => view! {
                    <p class="error" role="alert">{t(texts::HASH_FAILED)} " " {error}</p>
                }
                .into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}
