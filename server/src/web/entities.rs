//! The legal entities' web layer (`app::entities::EntityServices`), the multipart upload of a
//! request's documents and the reading of a document.
//!
//! The upload is a plain form (it works without JavaScript): a browser is sent back to the
//! companies page (`303`, with `?uploaded=` or `?error=` the error's JSON); a client asking for
//! `application/json` gets the document's view, or the error, as JSON.

use app::api::Caller;
use app::entities::{EntityServices, MemberView, Organisations, RequestForm};
use app::error::AppError;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::entities::DOCUMENT_MAX_BYTES;

use crate::AppState;
use crate::entities::{self, documents};
use crate::error::ServerError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organisations/{member_id}/documents",
            post(upload_document).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/organisations/documents/{document_id}", get(read_document))
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// Reads the multipart form (at most one document and its fields); a malformed or too
/// large body is a 4xx.
async fn read_form(
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<documents::Upload, ServerError> {
    let malformed = |what: String| ServerError::User(AppError::Malformed(what));
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| malformed("multipart/form-data expected".to_owned()))
        .and_then(|v| multer::parse_boundary(v).map_err(|e| malformed(e.to_string())))?;
    let limit = DOCUMENT_MAX_BYTES + 64 * 1024;
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(limit)
            .per_field(limit),
    );
    let mut form =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let read = |e: multer::Error| match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            ServerError::User(AppError::Invalid(domain::Invalid::DocumentFile))
        }
        other => ServerError::User(AppError::Malformed(other.to_string())),
    };
    let mut upload = documents::Upload::default();
    while let Some(field) = form.next_field().await.map_err(read)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            upload.file_name = field.file_name().unwrap_or_default().to_owned();
            upload.bytes = field.bytes().await.map_err(read)?.to_vec();
            continue;
        }
        let value = field.text().await.map_err(read)?;
        match name.as_str() {
            "kind" => upload.kind = value,
            "issued_on" => upload.issued_on = value,
            "company_name" => upload.company_name = value,
            "registry" => upload.registry = value,
            "number" => upload.number = value,
            "led_by" => upload.led_by = value,
            _ => {}
        }
    }
    Ok(upload)
}

/// `value` percent-encoded for a query string.
fn query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn upload_document(
    State(state): State<AppState>,
    Path(member_id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let caller = app::api::caller_of(&parts);
    let json = wants_json(&parts.headers);
    let result = match read_form(&parts.headers, body).await {
        Ok(upload) => documents::upload(&state, &caller, &member_id, upload).await,
        Err(error) => Err(error),
    };
    match (result, json) {
        (Ok(document), true) => {
            axum::Json(entities::views::document_view(document)).into_response()
        }
        (Ok(document), false) => {
            Redirect::to(&format!("/organisations?uploaded={}", document.id)).into_response()
        }
        (Err(error), true) => super::letters::error_response(&parts, error),
        (Err(error), false) => {
            let error = AppError::from(error);
            let code = serde_json::to_string(&error).unwrap_or_default();
            Redirect::to(&format!("/organisations?error={}", query_value(&code))).into_response()
        }
    }
}

async fn read_document(
    State(state): State<AppState>,
    Path(document_id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let caller = app::api::caller_of(&parts);
    match documents::read(&state, &caller, &document_id).await {
        Ok((document, content)) => (
            [
                (header::CONTENT_TYPE, document.media_type),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{}\"", document.id),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            content,
        )
            .into_response(),
        Err(error) => super::letters::error_response(&parts, error),
    }
}

#[async_trait::async_trait]
impl EntityServices for AppState {
    async fn organisations(&self, caller: Caller) -> Result<Organisations, AppError> {
        Ok(entities::organisations(self, &caller).await?)
    }

    async fn request(&self, caller: Caller, form: RequestForm) -> Result<Organisations, AppError> {
        entities::request(self, &caller, &form).await?;
        Ok(entities::organisations(self, &caller).await?)
    }

    async fn submit(&self, caller: Caller, member_id: String) -> Result<Organisations, AppError> {
        entities::submit(self, &caller, &member_id).await?;
        Ok(entities::organisations(self, &caller).await?)
    }

    async fn revoke(&self, caller: Caller, member_id: String) -> Result<Organisations, AppError> {
        entities::revoke(self, &caller, &member_id).await?;
        Ok(entities::organisations(self, &caller).await?)
    }

    async fn queue(&self, caller: Caller) -> Result<Vec<MemberView>, AppError> {
        Ok(entities::views::queue(self, &caller).await?)
    }

    async fn decide(
        &self,
        caller: Caller,
        member_id: String,
        approve: bool,
        reason: String,
    ) -> Result<Vec<MemberView>, AppError> {
        entities::verification::decide(self, &caller, &member_id, approve, &reason).await?;
        Ok(entities::views::queue(self, &caller).await?)
    }
}
