//! The development mailbox: every email the service "sent" in development mode, readable and
//! clickable, so that a newcomer can follow the links in confirmation and notification mails.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::ErrorText;
use crate::api::{DevMailboxSendTest, dev_mailbox_get, dev_mailbox_list};
use crate::i18n::t;
use crate::texts;
use crate::types::MailSummary;

#[component]
pub fn MailboxPage() -> impl IntoView {
    let send = ServerAction::<DevMailboxSendTest>::new();
    let mails = Resource::new(move || send.version().get(), |_| dev_mailbox_list());
    view! {
        <Title text=t(texts::MAILBOX_TITLE) />
        <h1>{t(texts::MAILBOX_TITLE)}</h1>
        <p class="lead">{t(texts::MAILBOX_LEAD)}</p>
        <ActionForm action=send attr:class="inline-form">
            <label>
                {t(texts::MAILBOX_TEST_TO)}
                <input type="email" name="to" required value="alice@example.org" />
            </label>
            <button type="submit">{t(texts::MAILBOX_TEST)}</button>
        </ActionForm>
        {move || match send.value().get() {
            Some(Ok(())) => view! { <p class="success" role="status">{t(texts::MAILBOX_TEST_SENT)}</p> }.into_any(),
            Some(Err(error)) => view! { <ErrorText error /> }.into_any(),
            None => ().into_any(),
        }}
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match mails.await {
                    Ok(list) if list.is_empty() => view! { <p>{t(texts::MAILBOX_EMPTY)}</p> }.into_any(),
                    Ok(list) => view! { <MailList list /> }.into_any(),
                    Err(error) => view! { <ErrorText error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn MailList(list: Vec<MailSummary>) -> impl IntoView {
    view! {
        <ul class="mail-list">
            {list
                .into_iter()
                .map(|mail| {
                    view! {
                        <li>
                            <A href=format!("/dev/mailbox/{}", mail.id)>
                                <span class="mail-subject">{mail.subject}</span>
                                <span class="mail-meta">{mail.to} " · " {mail.sent_at}</span>
                            </A>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn MailPage() -> impl IntoView {
    let params = use_params_map();
    let mail = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        dev_mailbox_get,
    );
    view! {
        <Title text=t(texts::MAILBOX_TITLE) />
        <p><A href="/dev/mailbox">{t(texts::MAILBOX_BACK)}</A></p>
        <Transition fallback=move || view! { <p>{t(texts::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match mail.await {
                    Ok(mail) => view! {
                        <article class="mail">
                            <h1 class="mail-subject">{mail.summary.subject}</h1>
                            <dl class="facts">
                                <dt>{t(texts::MAILBOX_FROM)}</dt><dd>{mail.summary.from}</dd>
                                <dt>{t(texts::MAILBOX_TO)}</dt><dd class="mail-to">{mail.summary.to}</dd>
                                <dt>{t(texts::MAILBOX_DATE)}</dt><dd>{mail.summary.sent_at}</dd>
                            </dl>
                            {mail.html.map(|html| view! {
                                <iframe class="mail-html" title="HTML" sandbox="allow-popups allow-top-navigation-by-user-activation" srcdoc=html></iframe>
                            })}
                            <pre class="mail-text">{mail.text}</pre>
                            <details>
                                <summary>{t(texts::MAILBOX_SOURCE)}</summary>
                                <pre class="mail-raw">{mail.raw}</pre>
                            </details>
                        </article>
                    }.into_any(),
                    Err(error) => view! { <ErrorText error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
