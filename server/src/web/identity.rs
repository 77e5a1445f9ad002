//! The OpenID provider's way back (issue 14, ID-01): `GET /identity/oidc/callback?code&state`
//! checks the answer ([`crate::identity::oidc::callback`]) and sends the person on to the page
//! they started from (303), which shows the outcome; an unknown, answered or stale request is
//! 404, and nothing is recorded for it.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::AppState;
use crate::identity::oidc::{self, CallbackQuery};

pub fn routes() -> Router<AppState> {
    Router::new().route(oidc::CALLBACK_PATH, get(oidc_callback))
}

async fn oidc_callback(
    State(state): State<AppState>,
    Query(query): Query<CallbackQuery>,
) -> Response {
    match oidc::callback(&state, &query).await {
        Ok(Some(next)) => Redirect::to(&next).into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            "Cette demande d'identification est inconnue, déjà traitée ou expirée. \
             / This identification request is unknown, already answered or expired.",
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "oidc callback failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
