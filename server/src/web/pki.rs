//! The development root's revocation data over HTTP — **NOT QUALIFIED**, development mode
//! only (404 otherwise, like the built-in TSA at `/tsa`): the addresses that the development
//! seal and TSA certificates carry ([`evidence::pki::Addresses`]).
//!
//! - `GET /pki/root.crl`: the root's CRL (RFC 5280 §5), DER, `application/pkix-crl`, made at
//!   each request (one signature by the root key; thisUpdate now, nextUpdate in a week);
//! - `POST /pki/ocsp`: the OCSP responder (RFC 6960), `application/ocsp-request` in,
//!   `application/ocsp-response` out; another content type is refused (415), a body that is
//!   not an OCSP request gets a malformedRequest OCSP response (200);
//! - `GET /pki/ocsp/{request}`: the same, the request in the path, base64 then URL-encoded
//!   (RFC 6960 Appendix A.1);
//! - `GET /pki/root.cer`: the root certificate, DER, `application/pkix-cert` (the caIssuers
//!   address; RFC 5280 §4.2.2.1 wants DER there, `/pki/root.pem` stays for people).
//!
//! A production service publishes no revocation data of its own: its certificates carry the
//! addresses of the CA that issued them.
//!
//! The CRL and the OCSP responses state real UTC time, like the built-in TSA: the development
//! clock's offset never applies to them.

use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use evidence::pki::DevRevocation;
use x509_cert::der::Encode;

use crate::AppState;

/// Where the OCSP responder takes POST requests; machine-to-machine, like `/tsa`, so exempt
/// from the same-origin check of state-changing requests (OCSP clients send no `Origin`).
pub const OCSP_PATH: &str = "/pki/ocsp";

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/pki/root.crl", get(root_crl))
        .route("/pki/root.cer", get(root_certificate))
        .route(OCSP_PATH, post(ocsp_post))
        .route("/pki/ocsp/{*request}", get(ocsp_get))
}

/// The development root's revocation services, if this server runs them.
fn services(state: &AppState) -> Option<DevRevocation> {
    state.seal.dev_revocation.clone()
}

async fn root_crl(State(state): State<AppState>) -> Response {
    let Some(services) = services(&state) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match tokio::task::spawn_blocking(move || services.crl(SystemTime::now())).await {
        Ok(Ok(crl)) => ([(header::CONTENT_TYPE, "application/pkix-crl")], crl).into_response(),
        Ok(Err(error)) => {
            tracing::error!(%error, "cannot make the development CRL");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Err(error) => {
            tracing::error!(%error, "CRL task failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn root_certificate(State(state): State<AppState>) -> Response {
    let Some(services) = services(&state) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match services.root().to_der() {
        Ok(der) => ([(header::CONTENT_TYPE, "application/pkix-cert")], der).into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot encode the development root certificate");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn ocsp_post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(services) = services(&state) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim);
    if !media_type.is_some_and(|t| t.eq_ignore_ascii_case("application/ocsp-request")) {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "expected Content-Type: application/ocsp-request",
        )
            .into_response();
    }
    answer(services, body.to_vec()).await
}

/// RFC 6960 Appendix A.1: "GET {url}/{url-encoding of base-64 encoding of the DER encoding of
/// the OCSPRequest}" (the path is already percent-decoded). A path that is not base64 is
/// answered like any undecodable request: malformedRequest.
async fn ocsp_get(State(state): State<AppState>, Path(request): Path<String>) -> Response {
    let Some(services) = services(&state) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let der = base64::engine::general_purpose::STANDARD
        .decode(request.trim_start_matches('/'))
        .unwrap_or_default();
    answer(services, der).await
}

async fn answer(services: DevRevocation, request: Vec<u8>) -> Response {
    match tokio::task::spawn_blocking(move || services.respond(&request, SystemTime::now())).await {
        Ok(response) => (
            [(header::CONTENT_TYPE, "application/ocsp-response")],
            response,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "OCSP task failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
