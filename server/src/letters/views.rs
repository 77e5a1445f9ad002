//! What each party sees of sent letters: the sender's dashboard (all of it, at any time) and
//! the recipient's inbox (only what the transaction's state allows, LET-05, LET-10).
//!
//! Each page costs a constant number of queries, whatever the number of letters and evidence
//! (issue 11): a list page is one query ([`letters::sent_page`],
//! [`transactions::notified_to_address`]) of [`LIST_PAGE_SIZE`] letters; a letter's page reads
//! the letter, its transactions, all their evidence, the identities verified at their decisions
//! and its attachments (five).

use std::collections::HashMap;

use app::api::Caller;
use app::error::AppError;
use app::letters::{
    EvidenceRef, InboxItem, LIST_PAGE_SIZE, ListPage, PageAt, SentLetter, SentRecipient,
    SentSummary, SentTransaction,
};
use app::lifecycle::{LetterStatus, TransactionStatus};
use domain::ids::{LetterId, TransactionId};
use domain::visibility::recipient_sight;
use evidence::pades::EvidenceKind;

use crate::AppState;
use crate::deadline::Deadlines;
use crate::error::ServerError;
use crate::store::Keyset;
use crate::store::letter_evidence::{self, LetterStep};
use crate::store::letters::{self, SentFilter, SentListRow};
use crate::store::transactions::{self, TransactionRecord};

/// What the sender sees of an evidence.
fn evidence_ref(state: &AppState, step: LetterStep) -> EvidenceRef {
    let known = EvidenceKind::from_code(&step.kind);
    EvidenceRef {
        title_fr: known.map_or(step.kind.clone(), |k| k.title_fr().to_owned()),
        title_en: known.map_or(step.kind.clone(), |k| k.title_en().to_owned()),
        id: step.id,
        kind: step.kind,
        created_at: state.legal_time(step.created_at),
    }
}

fn sent_transaction(
    state: &AppState,
    record: &TransactionRecord,
    evidence: Vec<EvidenceRef>,
) -> SentTransaction {
    // Until the hand-over (or without it) there is no notification instant nor period.
    let notified = record.status.is_notified();
    let deadlines = Deadlines::new(record.notified(), state.legal_zone());
    SentTransaction {
        id: record.id.to_string(),
        recipient_name: record.recipient_name.clone(),
        recipient_email: record.recipient_email.clone(),
        // With its registry number when the letter is for the company (policy §6.4).
        recipient_company: super::reception::company::label(record)
            .or_else(|| record.recipient_company.clone()),
        status: record.status,
        opened: record.opened_at.is_some(),
        notified_at: notified.then(|| state.legal_time(record.notified_at)),
        expires_at: notified.then(|| state.legal_time(record.expires_at)),
        last_day: notified.then(|| deadlines.last_day.to_string()),
        decided_at: record.decided_at.map(|ms| state.legal_time(ms)),
        opened_at: record.opened_at.map(|ms| state.legal_time(ms)),
        verified_name: None,
        evidence,
    }
}

/// One of the caller's sent letters.
pub async fn sent_letter(
    state: &AppState,
    caller: &Caller,
    id: &LetterId,
) -> Result<SentLetter, ServerError> {
    let sender = state.principal(caller).await?;
    let letter = letters::text(state.db.pool(), id)
        .await?
        .filter(|l| l.status == LetterStatus::Sent && l.author_id == sender.account_id)
        .ok_or(AppError::NotFound)?;
    let records = transactions::of_letter(state.db.pool(), id).await?;
    // Every transaction's evidence in one query (without the sealed manifests of the dossiers
    // downloaded: they are about the dossier, not a step of the letter), in journal order.
    let mut evidence: HashMap<TransactionId, Vec<EvidenceRef>> = HashMap::new();
    for step in
        letter_evidence::steps_of_letter(state.db.pool(), id, EvidenceKind::DossierManifest.code())
            .await?
    {
        evidence
            .entry(step.transaction_id.clone())
            .or_default()
            .push(evidence_ref(state, step));
    }
    let mut verified: HashMap<String, String> =
        transactions::verified_names_of_letter(state.db.pool(), id)
            .await?
            .into_iter()
            .collect();
    let mut transactions: Vec<SentTransaction> = records
        .iter()
        .map(|record| {
            let steps = evidence.remove(&record.id).unwrap_or_default();
            let mut view = sent_transaction(state, record, steps);
            view.verified_name = verified.remove(record.id.as_str());
            view
        })
        .collect();
    transactions.sort_by(|a, b| a.recipient_name.cmp(&b.recipient_name));
    Ok(SentLetter {
        attachments: super::drafts::attachments_of(state, id).await?,
        id: id.to_string(),
        subject: letter.subject,
        message: letter.message,
        sent_at: letter
            .sent_at
            .map(|ms| state.legal_time(ms))
            .unwrap_or_default(),
        transactions,
    })
}

/// A list cursor: the time and id of a row, as `<ms>_<id>`.
fn cursor(time: i64, id: &str) -> String {
    format!("{time}_{id}")
}

/// The keyset of a page asked for; an unreadable cursor gives the first page.
fn keyset(at: &PageAt) -> Keyset<'_> {
    fn parse(cursor: &Option<String>) -> Option<(i64, &str)> {
        let (time, id) = cursor.as_deref()?.split_once('_')?;
        Some((time.parse::<i64>().ok()?, id))
    }
    if let Some((time, id)) = parse(&at.older) {
        Keyset::Older(time, id)
    } else if let Some((time, id)) = parse(&at.newer) {
        Keyset::Newer(time, id)
    } else {
        Keyset::First
    }
}

/// A page of `rows` (newest first) read with [`LIST_PAGE_SIZE`] + 1 from `at`: the extra row,
/// if any, says that there is a page beyond; `cursor_of` gives a row's cursor.
fn page_of<T>(mut rows: Vec<T>, at: Keyset<'_>, cursor_of: impl Fn(&T) -> String) -> ListPage<T> {
    let more = rows.len() > LIST_PAGE_SIZE;
    let newer_side = matches!(at, Keyset::Newer(..));
    if more {
        if newer_side {
            rows.remove(0);
        } else {
            rows.truncate(LIST_PAGE_SIZE);
        }
    }
    // Coming from a page on one side, that side has letters; beyond this one, `more` says.
    let (has_newer, has_older) = match at {
        Keyset::First => (false, more),
        Keyset::Older(..) => (true, more),
        Keyset::Newer(..) => (more, true),
    };
    ListPage {
        newer: rows.first().filter(|_| has_newer).map(&cursor_of),
        older: rows.last().filter(|_| has_older).map(&cursor_of),
        items: rows,
    }
}

/// A page of the caller's sent letters, newest first, filtered by a transaction status (or
/// `opened`) and a subject search.
pub async fn sent_letters(
    state: &AppState,
    caller: &Caller,
    status: Option<String>,
    query: Option<String>,
    at: PageAt,
) -> Result<ListPage<SentSummary>, ServerError> {
    let sender = state.principal(caller).await?;
    let status = status.filter(|s| !s.is_empty() && s != "all");
    let wanted = match status.as_deref() {
        None | Some("opened") => None,
        Some(code) => match TransactionStatus::from_code(code) {
            Some(wanted) => Some(wanted),
            // No transaction is in a state that does not exist.
            None => {
                return Ok(ListPage {
                    items: Vec::new(),
                    newer: None,
                    older: None,
                });
            }
        },
    };
    let filter = SentFilter {
        opened: status.as_deref() == Some("opened"),
        status: wanted,
        subject_key: query
            .map(|q| domain::text::search_key(q.trim()))
            .filter(|q| !q.is_empty()),
    };
    let keyset = keyset(&at);
    let rows = letters::sent_page(
        state.db.pool(),
        &sender.account_id,
        &filter,
        keyset,
        LIST_PAGE_SIZE + 1,
    )
    .await?;
    // The rows, newest letter first, grouped by letter (with its sending time, the cursor).
    let mut letters: Vec<(i64, SentSummary)> = Vec::new();
    for row in rows {
        let recipient = recipient_of(state, &row);
        match letters.last_mut() {
            Some((_, letter)) if letter.id == row.letter_id.as_str() => {
                letter.recipients.push(recipient)
            }
            _ => letters.push((
                row.sent_at,
                SentSummary {
                    id: row.letter_id.to_string(),
                    subject: row.subject,
                    sent_at: state.legal_time(row.sent_at),
                    recipients: vec![recipient],
                },
            )),
        }
    }
    let page = page_of(letters, keyset, |(sent_at, letter)| {
        cursor(*sent_at, &letter.id)
    });
    Ok(ListPage {
        items: page.items.into_iter().map(|(_, letter)| letter).collect(),
        newer: page.newer,
        older: page.older,
    })
}

/// A recipient's line in the sent list.
fn recipient_of(state: &AppState, row: &SentListRow) -> SentRecipient {
    let notified = row.status.is_notified();
    let notified_at = chrono::DateTime::from_timestamp_millis(row.notified_at).unwrap_or_default();
    let deadlines = Deadlines::new(notified_at, state.legal_zone());
    SentRecipient {
        transaction_id: row.transaction_id.to_string(),
        recipient_name: row.recipient_name.clone(),
        status: row.status,
        opened: row.opened_at.is_some(),
        notified_at: notified.then(|| state.legal_time(row.notified_at)),
        last_day: notified.then(|| deadlines.last_day.to_string()),
        decided_at: row.decided_at.map(|ms| state.legal_time(ms)),
    }
}

/// A page of the signed-in recipient's received letters, each as the visibility rule lets
/// this account see it (`domain::visibility`: sender and subject only after acceptance, to the
/// addressee proven by the account's identity proofing; LET-05, LET-10) — once notified
/// (issue 10).
pub async fn inbox(
    state: &AppState,
    caller: &Caller,
    at: PageAt,
) -> Result<ListPage<InboxItem>, ServerError> {
    let recipient = state.principal(caller).await?;
    let verified = state.verified_identity(caller, &recipient).await?;
    let keyset = keyset(&at);
    // Policy §6.4: the letters to the companies the account acts for are its letters too.
    let companies = super::reception::company::companies_of(state, &recipient.account_id).await?;
    let mut records = transactions::notified_to_address(
        state.db.pool(),
        &recipient.email_key,
        &companies,
        keyset,
        LIST_PAGE_SIZE + 1,
    )
    .await?;
    if matches!(keyset, Keyset::Newer(..)) {
        records.reverse();
    }
    let page = page_of(records, keyset, |record| {
        cursor(record.notified_at, record.id.as_str())
    });
    Ok(ListPage {
        newer: page.newer,
        older: page.older,
        items: page
            .items
            .into_iter()
            .map(|record| {
                let deadlines = Deadlines::new(record.notified(), state.legal_zone());
                let acts_for = companies.iter().any(|(registry, number)| {
                    super::reception::company::is_for(&record, registry, number)
                });
                let viewer = super::reception::viewer_of(
                    &record,
                    verified.as_ref().map(|v| v.name.as_str()),
                    acts_for,
                );
                let accepted = recipient_sight(record.status, viewer).content;
                InboxItem {
                    transaction_id: record.id.to_string(),
                    status: record.status,
                    notified_at: state.legal_time(record.notified_at),
                    expires_at: state.legal_time(record.expires_at),
                    last_day: deadlines.last_day.to_string(),
                    sender_name: accepted.then(|| record.sender_name.clone()),
                    subject: accepted.then(|| record.subject.clone()),
                    company: super::reception::company::label(&record),
                }
            })
            .collect(),
    })
}
