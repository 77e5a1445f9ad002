//! Server functions at the HTTP boundary: what a request must be before a decoder of
//! leptos' `server_fn` sees it, and the one place where a server function's error
//! ([`AppError`]) becomes an HTTP status ([`AppError::status`]).
//!
//! `server_fn` decodes the arguments before the function runs and answers any failure with a
//! 500; its multipart codec panics on a request without a multipart boundary; a URL-encoded
//! body is read whole, a multipart one without limit. Bad input must never cost a 5xx, so this
//! layer, in front of every registered server function:
//! - reads the body, at most [`MAX_BYTES`] ([`MAX_UPLOAD_BYTES`] for a multipart function):
//!   413 [`AppError::TooLarge`] beyond;
//! - refuses a multipart function's request that is not `multipart/form-data` with a boundary,
//!   and any other function's body that is not UTF-8: 400 [`AppError::Malformed`];
//! - gives a failed function's answer the status of its error (a decoding failure is
//!   [`AppError::Malformed`], 400);
//! - for a form posted without JavaScript (progressive enhancement: the browser asks for
//!   `text/html`), `server_fn` answers with a redirect back to the page, the error encoded in
//!   its address (`__path`, `__err`, which `ServerAction::new` reads back): this layer adds
//!   `__done=<function path>` on success, so that the page can show the outcome
//!   ([`app::form_done`]).

use std::collections::HashSet;
use std::sync::OnceLock;

use app::error::AppError;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::ServerFn;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

/// Largest body of a server function, but the multipart ones: the longest field, a letter's
/// message (10,000 characters), takes at most 120 KB URL-encoded.
pub const MAX_BYTES: usize = 1024 * 1024;

/// Largest body of a multipart server function: an evidence PDF and its multipart framing.
pub const MAX_UPLOAD_BYTES: usize = app::validation::MAX_EVIDENCE_BYTES + 64 * 1024;

/// The server functions whose input is `multipart/form-data`.
const MULTIPART: [&str; 1] = [<app::api::VerifyEvidence as ServerFn>::PATH];

/// The paths of every registered server function (leptos' registry, filled at start-up).
fn paths() -> &'static HashSet<&'static str> {
    static PATHS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    PATHS.get_or_init(|| {
        leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path)
            .collect()
    })
}

/// The middleware (see the module's documentation).
pub async fn guard(request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if !paths().contains(path.as_str()) {
        return next.run(request).await;
    }
    let multipart = MULTIPART.contains(&path.as_str());
    let (parts, body) = request.into_parts();
    let limit = if multipart {
        MAX_UPLOAD_BYTES
    } else {
        MAX_BYTES
    };
    let refuse = |error: AppError| {
        tracing::info!(%error, "server function request refused");
        error_response(&error)
    };
    if multipart {
        let boundary = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(multer::parse_boundary);
        if !matches!(boundary, Some(Ok(_))) {
            return refuse(AppError::Malformed(
                "expected Content-Type: multipart/form-data with a boundary".into(),
            ));
        }
    }
    let bytes: Bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(error) => {
            return refuse(if is_length_limit(&error) {
                AppError::TooLarge {
                    max_bytes: limit as u64,
                }
            } else {
                AppError::Malformed(format!("unreadable body: {error}"))
            });
        }
    };
    if !multipart && std::str::from_utf8(&bytes).is_err() {
        return refuse(AppError::Malformed("the body is not UTF-8".into()));
    }
    let plain_form = accepts_html(&parts.headers);
    let referer = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .map(|referer| referer.split('?').next().unwrap_or_default().to_owned());
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if plain_form {
        return marked_done(response, &path, referer.as_deref());
    }
    with_error_status(response).await
}

/// Whether the request is a browser's own form submission (no JavaScript): it asks for a
/// page, where the WASM client asks for the function's encoding.
fn accepts_html(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// A plain form's answer: the redirect back to the page (`referer`, without its query),
/// `__done=<path>` added on success (`server_fn` already put `__err` there on failure); 303, so
/// that the browser follows it with a GET. A redirect elsewhere (set by the function, e.g. to
/// an identity provider) is left as it is.
fn marked_done(mut response: Response, path: &str, referer: Option<&str>) -> Response {
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
    else {
        return response;
    };
    let (base, query) = location.split_once('?').unwrap_or((location, ""));
    if referer.is_some_and(|referer| referer != base) {
        return response;
    }
    // A previous submission's marker goes; this one's is added on success.
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("__done="))
        .map(str::to_owned)
        .collect();
    if !query.contains("__err=") {
        pairs.push(format!("__done={}", path.replace('/', "%2F")));
    }
    let marked = if pairs.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", pairs.join("&"))
    };
    if let Ok(value) = HeaderValue::from_str(&marked) {
        response.headers_mut().insert(header::LOCATION, value);
        *response.status_mut() = StatusCode::SEE_OTHER;
    }
    response
}

/// Whether reading a body failed on the size limit (rather than on the connection).
fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = error.source();
    }
    false
}

/// A server function's error answer, as `server_fn` writes one (the client decodes the body
/// as the function's error type), with the error's status.
fn error_response(error: &AppError) -> Response {
    let body = serde_json::to_vec(error).unwrap_or_default();
    let mut response = (error.status(), body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(SERVER_FN_ERROR_HEADER, HeaderValue::from_static("guard"));
    response
}

/// Gives a server function's failed answer (a 500 from `server_fn`, whatever the error) the
/// status of its [`AppError`]; a redirect (a form posted without JavaScript) and a status set
/// by the function itself stay as they are.
async fn with_error_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // An error body is a small JSON document; anything else is left as it is.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, parts.headers).into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if error.status().is_client_error() {
            tracing::info!(%error, "server function request refused");
        }
        parts.status = error.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_multipart_functions_are_registered() {
        for path in super::MULTIPART {
            assert!(super::paths().contains(path), "{path}");
        }
    }
}
