//! Registered letters (issue 5): the types the pages show, the server-side port
//! [`LetterServices`] (implemented by `server::letters`), and the server functions.
//!
//! Besides these server functions, three plain HTTP routes of the server carry bytes:
//! - `POST /letters/{draft_id}/attachments?name=<file name>` with the file as the raw body and
//!   the browser's SHA-256 in the `x-pli-sha256` header (LET-02); answers an [`Attachment`] as
//!   JSON, or an error `{ "error": <AppError>, "message": <text> }` with a 4xx status;
//! - `GET /letters/{transaction_id}/attachments/{attachment_id}`: a recipient opens an
//!   attachment (LET-11, opening evidence at the first download), or the sender downloads it;
//! - `GET /letters/{transaction_id}/dossier.zip`: the evidence dossier (LET-12).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::lifecycle::TransactionStatus;

mod reception;
pub use reception::*;

/// Name of the cookie of a reception session (a recipient without an account after an
/// identity proofing at this reception, ID-03).
pub const RECEPTION_COOKIE: &str = "pli_reception";

/// Header carrying the browser's SHA-256 of an uploaded attachment (LET-02).
pub const SHA256_HEADER: &str = "x-pli-sha256";

/// An attachment of a draft or a letter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: String,
    pub name: String,
    pub media_type: String,
    pub size: u64,
    /// Lowercase hex, computed by the server over the received bytes (equal to the browser's).
    pub sha256: String,
}

/// A contact the compose page offers as a recipient (LET-01, CONS-01, CONS-05).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecipientChoice {
    pub contact_id: String,
    pub name: String,
    pub email: String,
    pub professional: bool,
    pub company_name: Option<String>,
    /// `None` for professionals; else `requested`, `granted`, `refused`, `revoked`,
    /// `expired`, or `none` (never asked).
    pub consent: Option<String>,
    /// Whether a letter may be sent to this contact now.
    pub selectable: bool,
}

/// A draft, as its author sees it: always the full content (LET-01).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub id: String,
    pub subject: String,
    pub message: String,
    /// Contact ids, in the order chosen.
    pub recipients: Vec<String>,
    pub attachments: Vec<Attachment>,
    /// RFC 3339 UTC.
    pub updated_at: String,
    /// Bytes still allowed for attachments ([`crate::validation::MAX_LETTER_BYTES`] minus the
    /// attached).
    pub bytes_left: u64,
}

impl Draft {
    /// A letter not yet stored: no id, nothing written (issue 11).
    pub fn new_letter() -> Draft {
        Draft {
            id: String::new(),
            subject: String::new(),
            message: String::new(),
            recipients: Vec::new(),
            attachments: Vec::new(),
            updated_at: String::new(),
            bytes_left: crate::validation::MAX_LETTER_BYTES,
        }
    }
}

/// One line of the drafts list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftSummary {
    pub id: String,
    pub subject: String,
    pub updated_at: String,
}

/// An evidence of a transaction, in its dossier order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRef {
    pub id: String,
    pub kind: String,
    pub title_fr: String,
    pub title_en: String,
    pub created_at: String,
}

/// One recipient of a sent letter, as the sender sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentTransaction {
    /// The transaction's own letter id (LET-03).
    pub id: String,
    pub recipient_name: String,
    pub recipient_email: String,
    pub recipient_company: Option<String>,
    pub status: TransactionStatus,
    /// Whether the recipient downloaded at least one attachment (LET-11).
    pub opened: bool,
    /// When the notification was handed over to the mail server (LET-05); `None` while it is
    /// on its way or when it failed (issue 10).
    pub notified_at: Option<String>,
    /// The end of the acceptance period (00:00 local on day 16, LET-06), RFC 3339 UTC; `None`
    /// when the recipient is not notified.
    pub expires_at: Option<String>,
    /// The last day the recipient may act, in the legal time zone (YYYY-MM-DD); `None` when
    /// the recipient is not notified.
    pub last_day: Option<String>,
    pub decided_at: Option<String>,
    pub opened_at: Option<String>,
    /// The identity verified for the recipient who decided (ID-03), as their proofing gave it.
    pub verified_name: Option<String>,
    pub evidence: Vec<EvidenceRef>,
}

/// A sent letter, as its sender sees it (dashboard).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentLetter {
    pub id: String,
    pub subject: String,
    pub message: String,
    pub sent_at: String,
    pub attachments: Vec<Attachment>,
    pub transactions: Vec<SentTransaction>,
}

/// One recipient of a letter in the sender's list: where their transaction stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentRecipient {
    /// The transaction's own letter id (LET-03).
    pub transaction_id: String,
    pub recipient_name: String,
    pub status: TransactionStatus,
    /// Whether the recipient downloaded at least one attachment (LET-11).
    pub opened: bool,
    /// As in [`SentTransaction`]: `None` until the recipient is notified.
    pub notified_at: Option<String>,
    pub last_day: Option<String>,
    pub decided_at: Option<String>,
}

/// A sent letter in the sender's list: subject, date, and each recipient's status (the
/// letter's page, [`SentLetter`], has the rest).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentSummary {
    pub id: String,
    pub subject: String,
    pub sent_at: String,
    /// By recipient name.
    pub recipients: Vec<SentRecipient>,
}

/// How many letters a page of the sent list or of the inbox shows.
pub const LIST_PAGE_SIZE: usize = 25;

/// Which page of a list (newest first) to show: the first, or the one just older or just
/// newer than a letter of another page, by that letter's cursor ([`ListPage::older`],
/// [`ListPage::newer`]). Keyset pages: a letter arriving meanwhile shifts no page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PageAt {
    /// Show the letters older than this cursor.
    pub older: Option<String>,
    /// Show the letters newer than this cursor (when `older` is not given).
    pub newer: Option<String>,
}

/// A page of a list, newest first, with the cursors of the pages around it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListPage<T> {
    pub items: Vec<T>,
    /// The cursor for the next page (older letters), if there are any.
    pub older: Option<String>,
    /// The cursor for the previous page (newer letters), if there are any.
    pub newer: Option<String>,
}

/// How the recipient may authenticate for a decision (ID-03).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RecipientAuth {
    /// Nobody identified: sign in (account holders) or prove identity (anyone).
    None,
    /// A proofing at this reception is awaited.
    ProofingPending,
    /// The last proofing at this reception failed, and why when the provider said
    /// ([`crate::texts::identity_failure`]).
    ProofingFailed { reason: Option<String> },
    /// Signed in with the recipient's account, whose identity proofing verified `name` (the
    /// addressee); `otp_seconds_left` = 0 when a fresh code is needed before a decision
    /// (AUTH-02).
    Account { name: String, otp_seconds_left: i64 },
    /// Signed in with the recipient's address, but the account holds no successful identity
    /// proofing: it must prove its identity before anything is delivered (ID-03, policy §4.4).
    AccountUnverified { name: String },
    /// Identified (by the account's proofing or at this reception) as `verified_name`, who is
    /// not the addressee the sender named: nothing is delivered to them (ID-03, eIDAS Art.
    /// 44(1)(c)); the sender was told.
    NotTheAddressee { verified_name: String },
    /// Identified by a proofing at this reception, live for `seconds_left`.
    Reception {
        verified_name: String,
        seconds_left: i64,
    },
}

/// The sender as disclosed after acceptance (LET-08).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SenderView {
    pub name: String,
    pub email: String,
}

/// A received letter, as its recipient may see it now. Before acceptance: only that a
/// registered letter awaits, and until when (LET-05); after acceptance: the sender and the
/// content (LET-08); refused or expired: only that (LET-09, LET-10).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reception {
    pub transaction_id: String,
    pub status: TransactionStatus,
    pub notified_at: String,
    pub expires_at: String,
    pub last_day: String,
    pub decided_at: Option<String>,
    pub auth: RecipientAuth,
    /// Whether the caller may accept or refuse now (awaiting, in period, identified, live).
    pub can_decide: bool,
    pub sender: Option<SenderView>,
    pub subject: Option<String>,
    pub message: Option<String>,
    pub attachments: Vec<Attachment>,
    /// Ids of the attachments this recipient already opened.
    pub opened: Vec<String>,
    /// Whether the caller may download the dossier: an identified recipient, after accepting or
    /// refusing (not while awaiting, LET-05, nor after an expiry, LET-10).
    pub dossier: bool,
    /// Identified by a proofing at this reception and no active account has this address:
    /// offer to create one (ID-03), or to reactivate the deactivated one (ACC-02 (3),
    /// [`reception_reactivate`]) when `deactivated_account`.
    pub offer_account: bool,
    pub deactivated_account: bool,
    /// For a letter to a company, the company as it reads ("Filiale SAS (RCS 732 829 320)"):
    /// it is delivered to its legal representative or a delegate (policy §6.4).
    pub company: Option<String>,
}

/// One line of a recipient's inbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxItem {
    pub transaction_id: String,
    pub status: TransactionStatus,
    pub notified_at: String,
    pub expires_at: String,
    pub last_day: String,
    /// After acceptance only.
    pub sender_name: Option<String>,
    pub subject: Option<String>,
    /// For a letter to a company the reader acts for (policy §6.4): the company as it reads.
    pub company: Option<String>,
}

/// The server-side port of letters, implemented by the `server` crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait LetterServices: Send + Sync + 'static {
    async fn recipient_choices(
        &self,
        caller: crate::api::Caller,
    ) -> Result<Vec<RecipientChoice>, AppError>;
    async fn drafts(&self, caller: crate::api::Caller) -> Result<Vec<DraftSummary>, AppError>;
    async fn draft_create(&self, caller: crate::api::Caller) -> Result<String, AppError>;
    async fn draft_get(&self, caller: crate::api::Caller, id: String) -> Result<Draft, AppError>;
    /// Autosave: subject and message as typed (validated at sending), recipients by contact id.
    async fn draft_save(
        &self,
        caller: crate::api::Caller,
        id: String,
        subject: String,
        message: String,
        recipients: Vec<String>,
    ) -> Result<Draft, AppError>;
    /// The text fields of a draft posted without JavaScript (issue 11): draft `id`, or a new
    /// one created with them at once (nothing stored if a field is refused).
    async fn draft_keep(
        &self,
        caller: crate::api::Caller,
        id: Option<String>,
        subject: String,
        message: String,
        recipients: Vec<String>,
    ) -> Result<Draft, AppError>;
    async fn draft_delete(&self, caller: crate::api::Caller, id: String) -> Result<(), AppError>;
    async fn attachment_delete(
        &self,
        caller: crate::api::Caller,
        draft_id: String,
        attachment_id: String,
    ) -> Result<Draft, AppError>;
    /// LET-03/LET-04: sends the draft to each recipient, atomically.
    async fn send(
        &self,
        caller: crate::api::Caller,
        id: String,
        for_company: Option<String>,
    ) -> Result<SentLetter, AppError>;
    /// A page of the caller's sent letters, newest first; `status` filters on any
    /// transaction's status (`awaiting`, `accepted`, `refused`, `expired`, `opened`), `query`
    /// searches subjects.
    async fn sent_letters(
        &self,
        caller: crate::api::Caller,
        status: Option<String>,
        query: Option<String>,
        at: PageAt,
    ) -> Result<ListPage<SentSummary>, AppError>;
    async fn sent_letter(
        &self,
        caller: crate::api::Caller,
        id: String,
    ) -> Result<SentLetter, AppError>;
    /// A page of the signed-in recipient's received letters, newest first.
    async fn inbox(
        &self,
        caller: crate::api::Caller,
        at: PageAt,
    ) -> Result<ListPage<InboxItem>, AppError>;
    /// A received letter; `token` is the notification link's (needed unless the caller is
    /// signed in with the recipient's account or holds this reception's session).
    async fn reception(
        &self,
        caller: crate::api::Caller,
        reception_token: Option<String>,
        transaction_id: String,
        token: Option<String>,
    ) -> Result<Reception, AppError>;
    /// ID-03: starts an identity proofing for this reception; returns the provider's page.
    async fn reception_proofing_start(
        &self,
        caller: crate::api::Caller,
        transaction_id: String,
        token: String,
    ) -> Result<crate::api::WithCookie<String>, AppError>;
    /// `terms_version`: the recipient terms accepted (TERMS-01), already checked to be the
    /// version in force.
    async fn accept(
        &self,
        caller: crate::api::Caller,
        reception_token: Option<String>,
        transaction_id: String,
        terms_version: String,
    ) -> Result<Reception, AppError>;
    /// `terms_version`: the recipient terms accepted (TERMS-01), already checked to be the
    /// version in force.
    async fn refuse(
        &self,
        caller: crate::api::Caller,
        reception_token: Option<String>,
        transaction_id: String,
        terms_version: String,
    ) -> Result<Reception, AppError>;
    /// ACC-02 (3): reactivates the recipient's deactivated account after a proofing at this
    /// reception.
    async fn reactivate_after_reception(
        &self,
        caller: crate::api::Caller,
        reception_token: Option<String>,
        transaction_id: String,
    ) -> Result<Reception, AppError>;
}

/// The [`LetterServices`] of this server, as a request context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct LetterServicesHandle(pub std::sync::Arc<dyn LetterServices>);

#[cfg(feature = "ssr")]
pub(crate) fn letters() -> Result<std::sync::Arc<dyn LetterServices>, AppError> {
    use_context::<LetterServicesHandle>()
        .map(|handle| handle.0)
        .ok_or_else(|| AppError::Internal {
            request_id: "no-letter-services-context".to_owned(),
        })
}

/// The reception session cookie of the current request, if any.
#[cfg(feature = "ssr")]
pub(crate) fn reception_token() -> Option<String> {
    crate::api::cookie(RECEPTION_COOKIE)
}

#[cfg(feature = "ssr")]
fn split_ids(ids: &str) -> Vec<String> {
    ids.split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect()
}

#[server(endpoint = "recipient_choices")]
pub async fn recipient_choices() -> Result<Vec<RecipientChoice>, AppError> {
    letters()?.recipient_choices(crate::api::caller()).await
}

#[server(endpoint = "drafts")]
pub async fn drafts() -> Result<Vec<DraftSummary>, AppError> {
    letters()?.drafts(crate::api::caller()).await
}

#[server(endpoint = "draft_create")]
pub async fn draft_create() -> Result<String, AppError> {
    letters()?.draft_create(crate::api::caller()).await
}

#[server(endpoint = "draft_get")]
pub async fn draft_get(id: String) -> Result<Draft, AppError> {
    letters()?.draft_get(crate::api::caller(), id).await
}

/// Autosaves a draft; `recipients` is a comma-separated list of contact ids.
#[server(endpoint = "draft_save")]
pub async fn draft_save(
    id: String,
    subject: String,
    message: String,
    recipients: String,
) -> Result<Draft, AppError> {
    let subject = crate::validation::draft_subject(&subject)?;
    let message = crate::validation::message(&message)?;
    letters()?
        .draft_save(
            crate::api::caller(),
            id,
            subject,
            message,
            split_ids(&recipients),
        )
        .await
}

/// The compose form posted without JavaScript (issue 11): saves its text fields and chosen
/// recipients (`recipients[]`, contact ids) as a draft, created if `id` is empty, then sends
/// the browser to the draft's page. With the client, the autosave does this as one types.
#[server(endpoint = "draft_keep")]
pub async fn draft_keep(
    id: Option<String>,
    subject: String,
    message: String,
    recipients: Option<Vec<String>>,
) -> Result<String, AppError> {
    let subject = crate::validation::draft_subject(&subject)?;
    let message = crate::validation::message(&message)?;
    let id = id.filter(|id| !id.trim().is_empty());
    let draft = letters()?
        .draft_keep(
            crate::api::caller(),
            id,
            subject,
            message,
            recipients.unwrap_or_default(),
        )
        .await?;
    crate::api::redirect_plain_form(&format!(
        "/compose/{}?__done={}",
        draft.id,
        <DraftKeep as leptos::server_fn::ServerFn>::PATH.replace('/', "%2F")
    ));
    Ok(draft.id)
}

#[server(endpoint = "draft_delete")]
pub async fn draft_delete(id: String) -> Result<(), AppError> {
    letters()?.draft_delete(crate::api::caller(), id).await
}

#[server(endpoint = "attachment_delete")]
pub async fn attachment_delete(draft_id: String, attachment_id: String) -> Result<Draft, AppError> {
    letters()?
        .attachment_delete(crate::api::caller(), draft_id, attachment_id)
        .await
}

/// Sends a draft (needs a live OTP session and a completed identity proofing).
/// `for_company`: the sender's verified request to act for a company (`app::entities`), to
/// send for it.
#[server(endpoint = "letter_send")]
pub async fn letter_send(id: String, for_company: Option<String>) -> Result<SentLetter, AppError> {
    letters()?.send(crate::api::caller(), id, for_company).await
}

/// A page of the caller's sent letters ([`LIST_PAGE_SIZE`]), older or newer than a cursor of
/// another page ([`PageAt`]).
#[server(endpoint = "sent_letters")]
pub async fn sent_letters(
    status: Option<String>,
    query: Option<String>,
    older: Option<String>,
    newer: Option<String>,
) -> Result<ListPage<SentSummary>, AppError> {
    letters()?
        .sent_letters(crate::api::caller(), status, query, PageAt { older, newer })
        .await
}

#[server(endpoint = "sent_letter")]
pub async fn fetch_sent_letter(id: String) -> Result<SentLetter, AppError> {
    letters()?.sent_letter(crate::api::caller(), id).await
}

/// A page of the caller's received letters, as [`sent_letters`].
#[server(endpoint = "inbox")]
pub async fn inbox(
    older: Option<String>,
    newer: Option<String>,
) -> Result<ListPage<InboxItem>, AppError> {
    letters()?
        .inbox(crate::api::caller(), PageAt { older, newer })
        .await
}
