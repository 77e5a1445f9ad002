//! Letters on the web: the plain HTTP routes (attachment upload and download, dossiers) and
//! the letters port of the server functions (`app::letters::LetterServices`). Each call goes to
//! its flow in [`crate::letters`]; a failure becomes the user's error here.

use app::api::{Caller, WithCookie};
use app::error::AppError;
use app::letters::{
    Draft, DraftSummary, InboxItem, LetterServices, ListPage, PageAt, Reception, RecipientChoice,
    SentLetter, SentSummary,
};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use domain::ids::{LetterId, TransactionId};

use crate::AppState;
use crate::error::ServerError;
use crate::letters::{dossier, drafts, reception, send, upload, views};

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
        .route(
            "/letters/{transaction_id}/evidence/{evidence_id}",
            get(download_evidence),
        )
}

/// The language of a plain route's caller (their language cookie).
pub(super) fn lang_of(parts: &axum::http::request::Parts) -> app::i18n::Lang {
    parts
        .headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(app::i18n::Lang::from_cookie_header)
        .unwrap_or_default()
}

/// An error of a plain route, as JSON `{error, message}` in the caller's language.
pub(super) fn error_response(parts: &axum::http::request::Parts, error: ServerError) -> Response {
    let error = AppError::from(error);
    let lang = lang_of(parts);
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
    let upload = upload::Upload {
        draft_id: LetterId(draft_id),
        name: query.name,
        media_type: text(header::CONTENT_TYPE.as_str())
            .filter(|t| !t.is_empty() && t.len() <= 200)
            .unwrap_or_else(|| "application/octet-stream".to_owned()),
        sha256: text(app::letters::SHA256_HEADER).unwrap_or_default(),
        declared_length: text(header::CONTENT_LENGTH.as_str()).and_then(|v| v.parse().ok()),
        body: body.into_data_stream(),
    };
    match upload::upload(&state, &caller, upload).await {
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
    let (caller, reception_token) = asker(&parts);
    let opened = reception::open(
        &state,
        &caller,
        reception_token.as_deref(),
        &TransactionId(transaction_id),
        &attachment_id,
    )
    .await;
    match opened {
        Ok(download) => {
            let body =
                axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(download.file));
            let headers = [
                (header::CONTENT_TYPE, download.media_type),
                (header::CONTENT_LENGTH, download.size.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    content_disposition(&download.name),
                ),
                (
                    HeaderName::from_static(app::letters::SHA256_HEADER),
                    download.sha256,
                ),
            ];
            (headers, body).into_response()
        }
        Err(error) => error_response(&parts, error),
    }
}

/// Who asks for a letter's file: the caller, and their reception cookie if any.
fn asker(parts: &axum::http::request::Parts) -> (app::api::Caller, Option<String>) {
    (
        app::api::caller_of(parts),
        app::api::cookie_of(parts, app::letters::RECEPTION_COOKIE),
    )
}

/// A file built in memory, as a download named `name`; or the error.
fn whole_file(
    parts: &axum::http::request::Parts,
    outcome: Result<(String, Vec<u8>), ServerError>,
    media_type: &str,
) -> Response {
    match outcome {
        Ok((name, bytes)) => {
            let headers = [
                (header::CONTENT_TYPE, media_type.to_owned()),
                (header::CONTENT_DISPOSITION, content_disposition(&name)),
            ];
            (headers, bytes).into_response()
        }
        Err(error) => error_response(parts, error),
    }
}

async fn download_dossier(
    State(state): State<AppState>,
    Path(transaction_id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let (caller, reception_token) = asker(&parts);
    let id = TransactionId(transaction_id);
    let outcome = dossier::download(&state, &caller, reception_token.as_deref(), &id)
        .await
        .map(|zip| (format!("pli-dossier-{id}.zip"), zip));
    whole_file(&parts, outcome, "application/zip")
}

async fn download_evidence(
    State(state): State<AppState>,
    Path((transaction_id, evidence_id)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let (caller, reception_token) = asker(&parts);
    let id = TransactionId(transaction_id);
    let outcome = dossier::evidence_file(
        &state,
        &caller,
        reception_token.as_deref(),
        &id,
        &evidence_id,
    )
    .await;
    whole_file(&parts, outcome, "application/pdf")
}

/// `attachment; filename="..."; filename*=UTF-8''...` (RFC 6266).
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The recipient's acceptance (`accept`) or refusal.
async fn decision(
    state: &AppState,
    caller: Caller,
    reception_token: Option<String>,
    transaction_id: String,
    accept: bool,
    terms_version: String,
) -> Result<Reception, AppError> {
    let id = TransactionId(transaction_id);
    Ok(reception::decide(
        state,
        &caller,
        reception_token.as_deref(),
        &id,
        accept,
        &terms_version,
    )
    .await?)
}

#[async_trait::async_trait]
impl LetterServices for AppState {
    async fn recipient_choices(&self, caller: Caller) -> Result<Vec<RecipientChoice>, AppError> {
        Ok(drafts::recipient_choices(self, &caller).await?)
    }

    async fn drafts(&self, caller: Caller) -> Result<Vec<DraftSummary>, AppError> {
        Ok(drafts::drafts(self, &caller).await?)
    }

    async fn draft_create(&self, caller: Caller) -> Result<String, AppError> {
        Ok(drafts::create(self, &caller).await?.to_string())
    }

    async fn draft_get(&self, caller: Caller, id: String) -> Result<Draft, AppError> {
        Ok(drafts::get(self, &caller, &LetterId(id)).await?)
    }

    async fn draft_save(
        &self,
        caller: Caller,
        id: String,
        subject: String,
        message: String,
        recipients: Vec<String>,
    ) -> Result<Draft, AppError> {
        Ok(drafts::save(
            self,
            &caller,
            &LetterId(id),
            &subject,
            &message,
            &recipients,
        )
        .await?)
    }

    async fn draft_keep(
        &self,
        caller: Caller,
        id: Option<String>,
        subject: String,
        message: String,
        recipients: Vec<String>,
    ) -> Result<Draft, AppError> {
        let id = id.map(LetterId);
        Ok(drafts::keep(self, &caller, id.as_ref(), &subject, &message, &recipients).await?)
    }

    async fn draft_delete(&self, caller: Caller, id: String) -> Result<(), AppError> {
        Ok(drafts::delete(self, &caller, &LetterId(id)).await?)
    }

    async fn attachment_delete(
        &self,
        caller: Caller,
        draft_id: String,
        attachment_id: String,
    ) -> Result<Draft, AppError> {
        Ok(drafts::delete_attachment(self, &caller, &LetterId(draft_id), &attachment_id).await?)
    }

    async fn send(
        &self,
        caller: Caller,
        id: String,
        for_company: Option<String>,
    ) -> Result<SentLetter, AppError> {
        let for_company = for_company.filter(|m| !m.trim().is_empty());
        let letter_id = send::send(self, &caller, &LetterId(id), for_company.as_deref()).await?;
        Ok(views::sent_letter(self, &caller, &letter_id).await?)
    }

    async fn sent_letters(
        &self,
        caller: Caller,
        status: Option<String>,
        query: Option<String>,
        at: PageAt,
    ) -> Result<ListPage<SentSummary>, AppError> {
        Ok(views::sent_letters(self, &caller, status, query, at).await?)
    }

    async fn sent_letter(&self, caller: Caller, id: String) -> Result<SentLetter, AppError> {
        Ok(views::sent_letter(self, &caller, &LetterId(id)).await?)
    }

    async fn inbox(&self, caller: Caller, at: PageAt) -> Result<ListPage<InboxItem>, AppError> {
        Ok(views::inbox(self, &caller, at).await?)
    }

    async fn reception(
        &self,
        caller: Caller,
        reception_token: Option<String>,
        transaction_id: String,
        token: Option<String>,
    ) -> Result<Reception, AppError> {
        let (id, token) = (TransactionId(transaction_id), token.as_deref());
        Ok(reception::view(self, &caller, reception_token.as_deref(), &id, token).await?)
    }

    async fn reception_proofing_start(
        &self,
        caller: Caller,
        transaction_id: String,
        token: String,
    ) -> Result<WithCookie<String>, AppError> {
        Ok(
            reception::proofing_start(self, &caller, &TransactionId(transaction_id), &token)
                .await?,
        )
    }

    async fn accept(
        &self,
        caller: Caller,
        reception_token: Option<String>,
        transaction_id: String,
        terms_version: String,
    ) -> Result<Reception, AppError> {
        decision(
            self,
            caller,
            reception_token,
            transaction_id,
            true,
            terms_version,
        )
        .await
    }

    async fn refuse(
        &self,
        caller: Caller,
        reception_token: Option<String>,
        transaction_id: String,
        terms_version: String,
    ) -> Result<Reception, AppError> {
        decision(
            self,
            caller,
            reception_token,
            transaction_id,
            false,
            terms_version,
        )
        .await
    }

    async fn reactivate_after_reception(
        &self,
        caller: Caller,
        reception_token: Option<String>,
        transaction_id: String,
    ) -> Result<Reception, AppError> {
        let reception_token = reception_token.as_deref();
        Ok(reception::reactivate(
            self,
            &caller,
            reception_token,
            &TransactionId(transaction_id),
        )
        .await?)
    }
}
