//! Registered letters (issue 5): drafts, attachments, sending, reception, deadlines, dossiers.
//! Work in progress: the port answers NotFound until each part lands.

use app::api::{Caller, WithCookie};
use app::error::AppError;
use app::letters::{
    Draft, DraftSummary, InboxItem, LetterServices, Reception, RecipientChoice, SentLetter,
};
use axum::Router;

use crate::AppState;

/// The plain HTTP routes of letters (attachments, dossiers).
pub fn routes() -> Router<AppState> {
    Router::new()
}

#[async_trait::async_trait]
impl LetterServices for AppState {
    async fn recipient_choices(&self, _: Caller) -> Result<Vec<RecipientChoice>, AppError> {
        Err(AppError::NotFound)
    }
    async fn drafts(&self, _: Caller) -> Result<Vec<DraftSummary>, AppError> {
        Err(AppError::NotFound)
    }
    async fn draft_create(&self, _: Caller) -> Result<String, AppError> {
        Err(AppError::NotFound)
    }
    async fn draft_get(&self, _: Caller, _: String) -> Result<Draft, AppError> {
        Err(AppError::NotFound)
    }
    async fn draft_save(
        &self,
        _: Caller,
        _: String,
        _: String,
        _: String,
        _: Vec<String>,
    ) -> Result<Draft, AppError> {
        Err(AppError::NotFound)
    }
    async fn draft_delete(&self, _: Caller, _: String) -> Result<(), AppError> {
        Err(AppError::NotFound)
    }
    async fn attachment_delete(&self, _: Caller, _: String, _: String) -> Result<Draft, AppError> {
        Err(AppError::NotFound)
    }
    async fn send(&self, _: Caller, _: String) -> Result<SentLetter, AppError> {
        Err(AppError::NotFound)
    }
    async fn sent_letters(
        &self,
        _: Caller,
        _: Option<String>,
        _: Option<String>,
    ) -> Result<Vec<SentLetter>, AppError> {
        Err(AppError::NotFound)
    }
    async fn sent_letter(&self, _: Caller, _: String) -> Result<SentLetter, AppError> {
        Err(AppError::NotFound)
    }
    async fn inbox(&self, _: Caller) -> Result<Vec<InboxItem>, AppError> {
        Err(AppError::NotFound)
    }
    async fn reception(
        &self,
        _: Caller,
        _: Option<String>,
        _: String,
        _: Option<String>,
    ) -> Result<Reception, AppError> {
        Err(AppError::NotFound)
    }
    async fn reception_proofing_start(
        &self,
        _: Caller,
        _: String,
        _: String,
    ) -> Result<WithCookie<String>, AppError> {
        Err(AppError::NotFound)
    }
    async fn accept(&self, _: Caller, _: Option<String>, _: String) -> Result<Reception, AppError> {
        Err(AppError::NotFound)
    }
    async fn refuse(&self, _: Caller, _: Option<String>, _: String) -> Result<Reception, AppError> {
        Err(AppError::NotFound)
    }
}
