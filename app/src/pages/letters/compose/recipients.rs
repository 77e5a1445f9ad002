//! The recipients of a draft: the sender's contacts, non-professionals only once they
//! consented (CONS-01).

use leptos::prelude::*;
use leptos_router::components::A;

use super::autosave::Autosave;
use crate::error::AppError;
use crate::i18n::{Tr, t};
use crate::letters::RecipientChoice;
use crate::pages::letters::{LetterError, texts};

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
pub(super) fn Recipients(
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
                                name="recipients[]"
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
