//! The recipient's inbox: before acceptance only that a letter awaits and until when (LET-05);
//! the sender and subject after acceptance (LET-08); refused or expired, only that (LET-09,
//! LET-10).

use leptos::either::EitherOf5;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::pager::{Pager, page_at};
use super::texts;
use super::{Day, LetterError, StatusBadge, Time};
use crate::i18n::{t, tr, use_lang};
use crate::letters::{InboxItem, inbox};
use crate::lifecycle::TransactionStatus;
use crate::texts as common;

/// `/inbox`: a page of the received letters (issue 11; `older`/`newer` in the URL, plain
/// links between pages).
#[component]
pub fn InboxPage() -> impl IntoView {
    let query = use_query_map();
    let items = Resource::new(
        move || page_at(&query.read()),
        |at| inbox(at.older, at.newer),
    );
    view! {
        <Title text=t(texts::INBOX_TITLE) />
        <h1>{t(texts::INBOX_TITLE)}</h1>
        <Suspense fallback=move || view! { <p>{t(common::LOADING)}</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(page) if page.items.is_empty() => {
                        view! { <p class="muted">{t(texts::INBOX_NONE)}</p> }.into_any()
                    }
                    Ok(page) => {
                        view! {
                            <ul class="letter-list inbox">
                                {page.items.into_iter().map(|item| view! { <InboxRow item /> }).collect_view()}
                            </ul>
                            <Pager newer=page.newer older=page.older path="/inbox" filters=Vec::new() />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <LetterError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One received letter in the list. The language signal is looked up once for the row
/// ([`tr`]).
#[component]
fn InboxRow(item: InboxItem) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/received/{}", item.transaction_id);
    let body = match item.status {
        TransactionStatus::Awaiting => EitherOf5::A(view! {
            <span>{tr(lang, texts::AWAITS_UNTIL)} " " <Day day=item.last_day lang /></span>
        }),
        TransactionStatus::Accepted => EitherOf5::B(view! {
            <span class="letter-subject">{item.subject.unwrap_or_default()}</span>
            <span class="muted">
                {tr(lang, texts::FROM)} " " <span class="sender-name">{item.sender_name.unwrap_or_default()}</span>
            </span>
        }),
        TransactionStatus::Refused => {
            EitherOf5::C(view! { <span>{tr(lang, texts::REFUSED_ON)}</span> })
        }
        TransactionStatus::Expired => {
            EitherOf5::D(view! { <span>{tr(lang, texts::EXPIRED_NOTICE)}</span> })
        }
        // Never listed: a recipient not notified has nothing (issue 10).
        TransactionStatus::Notifying | TransactionStatus::NotNotified => EitherOf5::E(()),
    };
    view! {
        <li class="inbox-item" data-transaction=item.transaction_id>
            <div class="letter-head">
                <StatusBadge status=item.status lang />
                <span class="muted">{tr(lang, texts::NOTIFIED_AT)} " " <Time at=item.notified_at lang /></span>
            </div>
            {item.company.map(|company| view! {
                <span class="inbox-company">{tr(lang, texts::FOR_COMPANY)} " " <strong>{company}</strong></span>
            })}
            {body}
            <A href=href attr:class="button">{tr(lang, texts::OPEN_LETTER)}</A>
        </li>
    }
}
