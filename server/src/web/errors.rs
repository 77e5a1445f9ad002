//! Where a [`ServerError`] becomes what the user learns ([`AppError`], translated by the app)
//! and, through [`AppError::status`], an HTTP status. Internal failures are logged here with
//! the request id, and the user gets "something went wrong (ref. <request id>)".

use app::error::AppError;

use crate::error::ServerError;
use crate::sealing::SealingError;
use evidence::pades::PadesError;

/// The request id of the current server-function call, if any (`x-request-id`).
fn request_id() -> String {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(crate::web::router::REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "-".to_owned())
}

/// Logs `error` with the request id and returns what the user may see.
pub fn internal(error: impl std::fmt::Display) -> AppError {
    let request_id = request_id();
    tracing::error!(%error, request_id, "request failed");
    AppError::Internal { request_id }
}

impl From<ServerError> for AppError {
    fn from(error: ServerError) -> AppError {
        match error {
            ServerError::User(error) => error,
            // An evidence the service itself built wrong is a defect (every text was checked
            // when it was entered): internal, not "retry later".
            ServerError::Sealing(
                error @ SealingError::Pades(
                    PadesError::MissingField { .. }
                    | PadesError::InvalidField { .. }
                    | PadesError::DuplicateField { .. },
                ),
            ) => internal(error),
            // The seal (HSM) or the TSA failed: nothing was recorded, the user may retry
            // (LET-03).
            ServerError::Sealing(error) => {
                tracing::error!(%error, request_id = request_id(), "evidence service unavailable");
                AppError::EvidenceUnavailable
            }
            other => internal(other),
        }
    }
}
