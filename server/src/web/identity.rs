//! The identity providers' ways back (issue 14, ID-01).
//!
//! - The OpenID provider: `GET /identity/oidc/callback?code&state` checks the answer
//!   ([`crate::identity::oidc::callback`]) and sends the person on to the page they started
//!   from (303), which shows the outcome; an unknown, answered or stale request is 404, and
//!   nothing is recorded for it.
//! - The EU digital identity wallet (OpenID4VP, [`crate::identity::wallet`]): the wallet
//!   fetches the request object at `GET /identity/wallet/<state>/request?flow=same|cross` and
//!   posts its answer to `POST /identity/wallet/response` (`direct_post`); on the same device,
//!   the browser comes back to `GET /identity/wallet/<state>/returned?response_code=...`.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};

use crate::AppState;
use crate::identity::oidc::{self, CallbackQuery};
use crate::identity::wallet::{self, Answer};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(oidc::CALLBACK_PATH, get(oidc_callback))
        .route(
            &format!("{}/{{id}}/request", wallet::PAGE_PATH),
            get(wallet_request),
        )
        .route(wallet::RESPONSE_PATH, post(wallet_response))
        .route(
            &format!("{}/{{id}}/returned", wallet::PAGE_PATH),
            get(wallet_returned),
        )
}

fn unknown_request() -> Response {
    (
        StatusCode::NOT_FOUND,
        "Cette demande d'identification est inconnue, déjà traitée ou expirée. \
         / This identification request is unknown, already answered or expired.",
    )
        .into_response()
}

fn failed(error: impl std::fmt::Display, what: &str) -> Response {
    tracing::error!(%error, "{what} failed");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

async fn oidc_callback(
    State(state): State<AppState>,
    Query(query): Query<CallbackQuery>,
) -> Response {
    match oidc::callback(&state, &query).await {
        Ok(Some(next)) => Redirect::to(&next).into_response(),
        Ok(None) => unknown_request(),
        Err(error) => failed(error, "oidc callback"),
    }
}

#[derive(serde::Deserialize)]
struct Flow {
    flow: Option<String>,
}

async fn wallet_request(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(flow): Query<Flow>,
) -> Response {
    let flow = flow.flow.unwrap_or_default();
    match wallet::request_object(&state, &id, &flow).await {
        Ok(Some(jwt)) => (
            [(header::CONTENT_TYPE, "application/oauth-authz-req+jwt")],
            jwt,
        )
            .into_response(),
        Ok(None) => unknown_request(),
        Err(error) => failed(error, "wallet request object"),
    }
}

async fn wallet_response(
    State(state): State<AppState>,
    Form(response): Form<wallet::Response>,
) -> Response {
    match wallet::respond(&state, &response).await {
        Ok(Answer::Accepted { redirect_uri }) => Json(match redirect_uri {
            Some(uri) => serde_json::json!({ "redirect_uri": uri }),
            None => serde_json::json!({}),
        })
        .into_response(),
        Ok(Answer::Refused { error }) => (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({
                "error": "invalid_request",
                "error_description": error,
            })),
        )
            .into_response(),
        Err(error) => failed(error, "wallet response"),
    }
}

#[derive(serde::Deserialize)]
struct Returned {
    response_code: Option<String>,
}

async fn wallet_returned(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<Returned>,
) -> Response {
    let code = query.response_code.unwrap_or_default();
    match wallet::returned(&state, &id, &code).await {
        Ok(Some(next)) => Redirect::to(&next).into_response(),
        Ok(None) => unknown_request(),
        Err(error) => failed(error, "wallet return"),
    }
}
