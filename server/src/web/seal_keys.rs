//! The seal keys' port of the server functions (`app::seal_keys::SealKeyServices`), each call
//! going to its flow in [`crate::operators::seal_keys`], and the plain route of a key's
//! certificate signing request: `GET /back-office/seal-keys/{id}/request.pem` (OPS-06).

use app::api::Caller;
use app::error::AppError;
use app::seal_keys::{SealKeyServices, SealKeysPage};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::operators::seal_keys::{self as flows, execute};

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/back-office/seal-keys/{id}/request.pem",
        get(certificate_request),
    )
}

async fn certificate_request(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let caller = app::api::caller_of(&parts);
    match flows::certificate_request(&state, &caller, &id).await {
        Ok((pem, name)) => (
            [
                (header::CONTENT_TYPE, "application/pkcs10".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            pem,
        )
            .into_response(),
        Err(error) => super::letters::error_response(&parts, error),
    }
}

#[async_trait::async_trait]
impl SealKeyServices for AppState {
    async fn page(&self, caller: Caller) -> Result<SealKeysPage, AppError> {
        Ok(flows::page(self, &caller).await?)
    }

    async fn request_generation(&self, caller: Caller) -> Result<SealKeysPage, AppError> {
        flows::request_generation(self, &caller).await?;
        Ok(flows::page(self, &caller).await?)
    }

    async fn request_activation(
        &self,
        caller: Caller,
        key_id: String,
    ) -> Result<SealKeysPage, AppError> {
        flows::request_activation(self, &caller, &key_id).await?;
        Ok(flows::page(self, &caller).await?)
    }

    async fn request_retirement(
        &self,
        caller: Caller,
        key_id: String,
    ) -> Result<SealKeysPage, AppError> {
        flows::request_retirement(self, &caller, &key_id).await?;
        Ok(flows::page(self, &caller).await?)
    }

    async fn request_tsa_change(
        &self,
        caller: Caller,
        url: String,
        trust_roots: String,
    ) -> Result<SealKeysPage, AppError> {
        flows::request_tsa_change(self, &caller, &url, &trust_roots).await?;
        Ok(flows::page(self, &caller).await?)
    }

    async fn attach_certificate(
        &self,
        caller: Caller,
        key_id: String,
        certificate: String,
    ) -> Result<SealKeysPage, AppError> {
        flows::attach_certificate(self, &caller, &key_id, &certificate).await?;
        Ok(flows::page(self, &caller).await?)
    }

    async fn decide(
        &self,
        caller: Caller,
        request_id: String,
        approve: bool,
    ) -> Result<SealKeysPage, AppError> {
        execute::decide(self, &caller, &request_id, approve).await?;
        Ok(flows::page(self, &caller).await?)
    }
}
