//! The sender's side: the drafts, the sent letters with each recipient's status (filter and
//! search), and one sent letter with its evidence, attachments and dossiers (LET-03, LET-12).

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::pager::{Pager, link, page_at};
use super::texts;
use super::{
    Day, LetterError, StatusBadge, Time, attachment_url, dossier_url, evidence_url, format_size,
};
use crate::error::AppError;
use crate::i18n::{Lang, t, tr, use_lang};
use crate::letters::{
    DraftSummary, SentLetter, SentSummary, SentTransaction, draft_delete, drafts,
    fetch_sent_letter, sent_letters,
};
use crate::lifecycle::TransactionStatus;
use crate::texts as common;

/// The status filter's choices: (value sent to the server, label).
const FILTERS: [(&str, crate::i18n::Tr); 8] = [
    ("", texts::FILTER_ALL),
    ("notifying", texts::STATUS_NOTIFYING),
    ("awaiting", texts::STATUS_AWAITING),
    ("accepted", texts::STATUS_ACCEPTED),
    ("refused", texts::STATUS_REFUSED),
    ("expired", texts::STATUS_EXPIRED),
    ("not_notified", texts::STATUS_NOT_NOTIFIED),
    ("opened", texts::FILTER_OPENED),
];

fn non_empty(value: String) -> Option<String> {
    let value = value.trim().to_owned();
    (!value.is_empty()).then_some(value)
}

/// `/sent`: drafts, then a page of the sent letters (issue 11). The filter and the page are
/// in the URL (`status`, `q`, `older`/`newer`): the filter form is a plain GET form and the
/// pages plain links, so both work before the WASM arrives; once it has, the filter applies as
/// the user chooses or types.
#[component]
pub fn SentPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let letters = Resource::new(
        move || (param("status"), param("q"), page_at(&query.read())),
        |(status, q, at)| sent_letters(non_empty(status), non_empty(q), at.older, at.newer),
    );
    let navigate = use_navigate();
    let filter = move |status: String, q: String| {
        navigate(
            &link("/sent", &[("status", &status), ("q", &q)]),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let on_status = {
        let filter = filter.clone();
        move |event: leptos::ev::Event| filter(event_target_value(&event), param("q"))
    };
    let on_search = {
        let filter = filter.clone();
        move |event: leptos::ev::Event| filter(param("status"), event_target_value(&event))
    };
    // Read once: the field keeps what the user types (the URL follows it).
    let typed = query.read_untracked().get("q").unwrap_or_default();
    view! {
        <Title text=t(texts::SENT_TITLE) />
        <div class="page-head">
            <h1>{t(texts::SENT_TITLE)}</h1>
            <A href="/compose" attr:class="button primary">{t(texts::NEW_LETTER)}</A>
        </div>
        <Drafts />
        <form
            class="inline-form sent-filter"
            method="get"
            action="/sent"
            on:submit=move |event| {
                event.prevent_default();
            }
        >
            <label>
                {t(texts::FILTER_STATUS)}
                <select name="status" on:change=on_status>
                    {FILTERS
                        .into_iter()
                        .map(|(value, label)| {
                            view! {
                                <option value=value selected=move || param("status") == value>
                                    {t(label)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                {t(texts::SEARCH_SUBJECT)}
                <input type="search" name="q" value=typed on:input=on_search />
            </label>
            <button type="submit" class="button filter-apply">{t(texts::FILTER_APPLY)}</button>
        </form>
        <Transition fallback=move || view! { <p>{t(common::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match letters.await {
                    Ok(page) if page.items.is_empty() => {
                        view! { <p class="muted">{t(texts::SENT_NONE)}</p> }.into_any()
                    }
                    Ok(page) => {
                        let filters = vec![("status", param("status")), ("q", param("q"))];
                        view! {
                            <ul class="letter-list sent-letters">
                                {page.items.into_iter().map(|letter| view! { <SentRow letter /> }).collect_view()}
                            </ul>
                            <Pager newer=page.newer older=page.older path="/sent" filters />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <LetterError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The drafts, with a way to resume or delete each.
#[component]
fn Drafts() -> impl IntoView {
    let version = RwSignal::new(0_u32);
    let list = Resource::new(move || version.get(), |_| drafts());
    let failed = RwSignal::new(None::<AppError>);
    let delete = move |id: String| {
        leptos::task::spawn_local(async move {
            match draft_delete(id).await {
                Ok(()) => {
                    failed.set(None);
                    version.update(|v| *v += 1);
                }
                Err(error) => failed.set(Some(error)),
            }
        });
    };
    let row = move |draft: DraftSummary| {
        let id = draft.id.clone();
        let subject = if draft.subject.trim().is_empty() {
            None
        } else {
            Some(draft.subject.clone())
        };
        view! {
            <li class="draft">
                <A href=format!("/compose/{}", draft.id)>
                    {match subject {
                        Some(subject) => subject.into_any(),
                        None => t(texts::NO_SUBJECT).into_any(),
                    }}
                </A>
                " "
                <span class="muted"><Time at=draft.updated_at /></span>
                " "
                <button type="button" class="remove" on:click=move |_| delete(id.clone())>
                    {t(texts::DELETE_DRAFT)}
                </button>
            </li>
        }
    };
    view! {
        <section class="card drafts">
            <h2>{t(texts::DRAFTS)}</h2>
            <Transition fallback=move || view! { <p>{t(common::LOADING)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(drafts) if drafts.is_empty() => {
                            view! { <p class="muted">{t(texts::DRAFTS_NONE)}</p> }.into_any()
                        }
                        Ok(drafts) => {
                            view! {
                                <ul class="draft-list">
                                    {drafts.into_iter().map(row).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        // Signed out: the letters list below says it once.
                        Err(AppError::SignInRequired | AppError::SessionExpired) => ().into_any(),
                        Err(error) => view! { <LetterError error /> }.into_any(),
                    }
                })}
            </Transition>
            {move || failed.get().map(|error| view! { <LetterError error /> })}
        </section>
    }
}

/// One sent letter in the list: subject, date, and each recipient's status. The language
/// signal is looked up once for the row ([`tr`]).
#[component]
fn SentRow(letter: SentSummary) -> impl IntoView {
    let lang = use_lang();
    view! {
        <li class="sent-letter">
            <div class="letter-head">
                <A href=format!("/sent/{}", letter.id) attr:class="letter-subject">
                    {letter.subject}
                </A>
                <span class="muted">{tr(lang, texts::SENT_AT)} " " <Time at=letter.sent_at lang /></span>
            </div>
            <ul class="transactions">
                {letter
                    .recipients
                    .into_iter()
                    .map(|transaction| {
                        view! {
                            <li class="transaction">
                                <span class="recipient-name">{transaction.recipient_name}</span>
                                " "
                                <StatusBadge status=transaction.status lang />
                                {transaction.opened.then(|| view! { " " <span class="status opened">{tr(lang, texts::OPENED)}</span> })}
                                {transaction.notified_at.map(|notified_at| view! {
                                    <span class="muted transaction-dates">
                                        {tr(lang, texts::NOTIFIED_AT)} " " <Time at=notified_at lang />
                                        {match (transaction.decided_at, transaction.last_day) {
                                            (Some(at), _) => EitherOf3::A(view! { " · " {tr(lang, texts::DECIDED_AT)} " " <Time at lang /> }),
                                            (None, Some(day)) => EitherOf3::B(view! { " · " {tr(lang, texts::LAST_DAY)} " " <Day day lang /> }),
                                            (None, None) => EitherOf3::C(()),
                                        }}
                                    </span>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </li>
    }
}

/// `/sent/:id`: one sent letter.
#[component]
pub fn SentLetterPage() -> impl IntoView {
    let params = use_params_map();
    let letter = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        fetch_sent_letter,
    );
    view! {
        <Title text=t(texts::SENT_TITLE) />
        <Suspense fallback=move || view! { <p>{t(common::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match letter.await {
                    Ok(letter) => view! { <SentLetterView letter /> }.into_any(),
                    Err(error) => view! { <h1>{t(texts::SENT_TITLE)}</h1> <LetterError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SentLetterView(letter: SentLetter) -> impl IntoView {
    let lang = use_lang();
    // The sender downloads an attachment through any of the letter's transactions.
    let via = letter
        .transactions
        .first()
        .map(|transaction| transaction.id.clone());
    view! {
        <h1 class="letter-subject">{letter.subject.clone()}</h1>
        <dl class="facts">
            <dt>{t(texts::SENT_AT)}</dt>
            <dd><Time at=letter.sent_at.clone() /></dd>
            <dt>{t(texts::LETTER_ID)}</dt>
            <dd><code>{letter.id.clone()}</code></dd>
        </dl>
        {(!letter.message.is_empty()).then(|| view! { <pre class="letter-message">{letter.message.clone()}</pre> })}
        <section class="card">
            <h2>{t(texts::ATTACHMENTS)}</h2>
            <ul class="attachment-list">
                {letter
                    .attachments
                    .iter()
                    .cloned()
                    .map(|attachment| {
                        let href = via.as_deref().map(|via| attachment_url(via, &attachment.id));
                        view! {
                            <li class="attachment">
                                {match href {
                                    Some(href) => view! { <a href=href rel="external" download=attachment.name.clone() class="attachment-name">{attachment.name.clone()}</a> }.into_any(),
                                    None => view! { <span class="attachment-name">{attachment.name.clone()}</span> }.into_any(),
                                }}
                                <span class="muted attachment-size">{move || format_size(lang.get(), attachment.size)}</span>
                                <code class="attachment-sha256">{attachment.sha256.clone()}</code>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        {letter
            .transactions
            .into_iter()
            .map(|transaction| view! { <TransactionCard transaction /> })
            .collect_view()}
    }
}

/// One recipient of a sent letter: status, dates, evidence and dossier.
#[component]
fn TransactionCard(transaction: SentTransaction) -> impl IntoView {
    let lang = use_lang();
    let dossier = dossier_url(&transaction.id);
    view! {
        <section class="card transaction-card" data-transaction=transaction.id.clone()>
            <h2>
                <span class="recipient-name">{transaction.recipient_name.clone()}</span> " "
                <StatusBadge status=transaction.status />
                {transaction.opened.then(|| view! { " " <span class="status opened">{t(texts::OPENED)}</span> })}
            </h2>
            <dl class="facts">
                <dt>{t(common::FIELD_EMAIL)}</dt>
                <dd>{transaction.recipient_email.clone()}</dd>
                {transaction.recipient_company.clone().map(|company| view! {
                    <dt>{t(texts::COMPANY)}</dt>
                    <dd>{company}</dd>
                })}
                <dt>{t(texts::LETTER_ID)}</dt>
                <dd><code>{transaction.id.clone()}</code></dd>
                {transaction.notified_at.clone().map(|at| view! {
                    <dt>{t(texts::NOTIFIED_AT)}</dt>
                    <dd class="notified-at"><Time at /></dd>
                })}
                {transaction.last_day.clone().map(|day| view! {
                    <dt>{t(texts::LAST_DAY)}</dt>
                    <dd><Day day /></dd>
                })}
                {transaction.decided_at.clone().map(|at| view! {
                    <dt>{t(texts::DECIDED_AT)}</dt>
                    <dd class="decided-at"><Time at /></dd>
                })}
                {transaction.opened_at.clone().map(|at| view! {
                    <dt>{t(texts::OPENED_AT)}</dt>
                    <dd class="opened-at"><Time at /></dd>
                })}
                {transaction.verified_name.clone().map(|name| view! {
                    <dt>{t(texts::VERIFIED_IDENTITY)}</dt>
                    <dd class="verified-identity">{name}</dd>
                })}
                {transaction.notified_at.is_some().then(|| {
                    let reminders: Vec<String> = transaction
                        .evidence
                        .iter()
                        .filter(|evidence| evidence.kind == "Reminder")
                        .map(|evidence| evidence.created_at.clone())
                        .collect();
                    view! {
                        <dt>{t(texts::REMINDERS_SENT)}</dt>
                        <dd class="reminders">
                            {if reminders.is_empty() {
                                t(texts::NO_REMINDER).into_any()
                            } else {
                                view! {
                                    <ul class="plain">
                                        {reminders.into_iter().map(|at| view! { <li><Time at /></li> }).collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }}
                        </dd>
                    }
                })}
            </dl>
            {match transaction.status {
                TransactionStatus::Notifying => Some(view! { <p class="notice notifying">{t(texts::NOTIFYING_NOTICE)}</p> }.into_any()),
                TransactionStatus::NotNotified => Some(view! { <p class="notice not-notified">{t(texts::NOT_NOTIFIED_NOTICE)}</p> }.into_any()),
                _ => None,
            }}
            <h3>{t(texts::EVIDENCE)}</h3>
            <ol class="evidence-list">
                {transaction
                    .evidence
                    .into_iter()
                    .map(|evidence| {
                        let (fr, en) = (evidence.title_fr.clone(), evidence.title_en.clone());
                        let href = evidence_url(&transaction.id, &evidence.id);
                        view! {
                            <li class="evidence" data-kind=evidence.kind.clone()>
                                <span>{move || if lang.get() == Lang::Fr { fr.clone() } else { en.clone() }}</span>
                                " "
                                <span class="muted"><Time at=evidence.created_at.clone() /></span>
                                " "
                                <a href=href rel="external" download class="evidence-pdf" title=t(texts::EVIDENCE_DOWNLOAD)>
                                    {t(texts::EVIDENCE_PDF)}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <p>
                <a href=dossier rel="external" download class="button dossier">{t(texts::DOSSIER)}</a>
            </p>
        </section>
    }
}
