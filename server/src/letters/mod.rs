//! Registered letters (issue 5): drafts and attachments ([`drafts`]), atomic sending
//! ([`send`]), the recipient's side ([`reception`]), reminders and expiry ([`deadlines`]), the
//! evidence dossier ([`dossier`]), what each party sees ([`views`]) and the emails ([`emails`]).
//! The rules they apply live in `app::lifecycle` (states) and [`crate::deadline`] (dates).

pub mod deadlines;
pub mod dossier;
pub mod drafts;
pub mod emails;
pub mod reception;
pub mod send;
pub mod storage;
pub mod views;

/// The transaction rows, read by every letter flow (`crate::store::transactions`).
pub use crate::store::transactions as record;

use std::sync::Arc;

use app::api::{Caller, WithCookie};
use app::error::AppError;
use app::letters::{
    Draft, DraftSummary, InboxItem, LetterServices, Reception, RecipientChoice, SentLetter,
};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, SecondsFormat, Utc};

use crate::AppState;

/// RFC 3339 UTC of a time in milliseconds.
pub(crate) fn rfc3339(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl AppState {
    /// The legal time zone of deadlines (LET-06), checked when the configuration was loaded.
    pub fn legal_zone(&self) -> chrono_tz::Tz {
        self.config
            .policy
            .legal_time_zone
            .parse()
            .unwrap_or(chrono_tz::Europe::Paris)
    }
}

/// Registers the job handlers of letters (reminders and expiry, LET-07, LET-10).
pub fn register_jobs(state: &AppState) {
    let handler = Arc::new(deadlines::DeadlineJobs::new(state.clone()));
    state
        .jobs
        .register(deadlines::REMINDER_JOB, handler.clone());
    state.jobs.register(deadlines::EXPIRY_JOB, handler);
}

/// The plain HTTP routes of letters: attachment upload and download, dossiers.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/letters/{draft_id}/attachments", post(upload_attachment))
        .route(
            "/letters/{transaction_id}/attachments/{attachment_id}",
            get(download_attachment),
        )
        .route(
            "/letters/{transaction_id}/dossier.zip",
            get(download_dossier),
        )
}

/// An error of a plain route, as JSON `{error, message}` in the caller's language.
pub(crate) fn error_response(parts: &axum::http::request::Parts, error: AppError) -> Response {
    let lang = parts
        .headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(app::i18n::Lang::from_cookie_header)
        .unwrap_or_default();
    let body = serde_json::json!({ "error": error, "message": error.message(lang) });
    (error.status(), axum::Json(body)).into_response()
}

#[derive(serde::Deserialize)]
struct UploadQuery {
    name: String,
}

async fn upload_attachment(
    State(state): State<AppState>,
    Path(draft_id): Path<String>,
    Query(query): Query<UploadQuery>,
    request: axum::extract::Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let caller = app::api::caller_of(&parts);
    let headers: &HeaderMap = &parts.headers;
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let upload = drafts::Upload {
        draft_id,
        name: query.name,
        media_type: text(header::CONTENT_TYPE.as_str())
            .filter(|t| !t.is_empty() && t.len() <= 200)
            .unwrap_or_else(|| "application/octet-stream".to_owned()),
        sha256: text(app::letters::SHA256_HEADER).unwrap_or_default(),
        declared_length: text(header::CONTENT_LENGTH.as_str()).and_then(|v| v.parse().ok()),
        body,
    };
    match drafts::upload(&state, caller, upload).await {
        Ok(attachment) => (StatusCode::CREATED, axum::Json(attachment)).into_response(),
        Err(error) => error_response(&parts, error),
    }
}

async fn download_attachment(
    State(state): State<AppState>,
    Path((transaction_id, attachment_id)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let caller = app::api::caller_of(&parts);
    let reception_token = app::api::cookie_of(&parts, app::letters::RECEPTION_COOKIE);
    match reception::open(
        &state,
        caller,
        reception_token,
        &transaction_id,
        &attachment_id,
    )
    .await
    {
        Ok(response) => response,
        Err(error) => error_response(&parts, error),
    }
}

async fn download_dossier(
    State(state): State<AppState>,
    Path(transaction_id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let caller = app::api::caller_of(&parts);
    let reception_token = app::api::cookie_of(&parts, app::letters::RECEPTION_COOKIE);
    match dossier::download(&state, caller, reception_token, &transaction_id).await {
        Ok(response) => response,
        Err(error) => error_response(&parts, error),
    }
}

#[async_trait::async_trait]
impl LetterServices for AppState {
    async fn recipient_choices(&self, caller: Caller) -> Result<Vec<RecipientChoice>, AppError> {
        drafts::recipient_choices(self, caller).await
    }

    async fn drafts(&self, caller: Caller) -> Result<Vec<DraftSummary>, AppError> {
        drafts::drafts(self, caller).await
    }

    async fn draft_create(&self, caller: Caller) -> Result<String, AppError> {
        drafts::create(self, caller).await
    }

    async fn draft_get(&self, caller: Caller, id: String) -> Result<Draft, AppError> {
        drafts::get(self, caller, id).await
    }

    async fn draft_save(
        &self,
        caller: Caller,
        id: String,
        subject: String,
        message: String,
        recipients: Vec<String>,
    ) -> Result<Draft, AppError> {
        drafts::save(self, caller, id, subject, message, recipients).await
    }

    async fn draft_delete(&self, caller: Caller, id: String) -> Result<(), AppError> {
        drafts::delete(self, caller, id).await
    }

    async fn attachment_delete(
        &self,
        caller: Caller,
        draft_id: String,
        attachment_id: String,
    ) -> Result<Draft, AppError> {
        drafts::delete_attachment(self, caller, draft_id, attachment_id).await
    }

    async fn send(&self, caller: Caller, id: String) -> Result<SentLetter, AppError> {
        let letter_id = send::send(self, caller.clone(), &id).await?;
        views::sent_letter(self, caller, letter_id).await
    }

    async fn sent_letters(
        &self,
        caller: Caller,
        status: Option<String>,
        query: Option<String>,
    ) -> Result<Vec<SentLetter>, AppError> {
        views::sent_letters(self, caller, status, query).await
    }

    async fn sent_letter(&self, caller: Caller, id: String) -> Result<SentLetter, AppError> {
        views::sent_letter(self, caller, id).await
    }

    async fn inbox(&self, caller: Caller) -> Result<Vec<InboxItem>, AppError> {
        views::inbox(self, caller).await
    }

    async fn reception(
        &self,
        caller: Caller,
        reception_token: Option<String>,
        transaction_id: String,
        token: Option<String>,
    ) -> Result<Reception, AppError> {
        reception::view(self, caller, reception_token, &transaction_id, token).await
    }

    async fn reception_proofing_start(
        &self,
        caller: Caller,
        transaction_id: String,
        token: String,
    ) -> Result<WithCookie<String>, AppError> {
        reception::proofing_start(self, caller, &transaction_id, &token).await
    }

    async fn accept(
        &self,
        caller: Caller,
        reception_token: Option<String>,
        transaction_id: String,
    ) -> Result<Reception, AppError> {
        reception::decide(self, caller, reception_token, &transaction_id, true).await
    }

    async fn refuse(
        &self,
        caller: Caller,
        reception_token: Option<String>,
        transaction_id: String,
    ) -> Result<Reception, AppError> {
        reception::decide(self, caller, reception_token, &transaction_id, false).await
    }

    async fn reactivate_after_reception(
        &self,
        caller: Caller,
        reception_token: Option<String>,
        transaction_id: String,
    ) -> Result<Reception, AppError> {
        reception::reactivate(self, caller, reception_token, &transaction_id).await
    }
}
