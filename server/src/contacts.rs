//! Contacts and consent (issue 5: CONS-01..CONS-05).

use axum::Router;

use crate::AppState;

#[async_trait::async_trait]
impl app::contacts::ContactServices for AppState {}

/// The plain HTTP routes of contacts (none yet).
pub fn routes() -> Router<AppState> {
    Router::new()
}
