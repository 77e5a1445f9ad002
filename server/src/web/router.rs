//! The HTTP surface: the Leptos pages and server functions, health probes, the published
//! certificates, static files; with a request id on every request and response, and one
//! tracing span per request carrying it.

use std::sync::Arc;

use std::net::{IpAddr, SocketAddr};

use axum::Router;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::AppState;
use app::api::{ClientAddr, ServicesHandle};
use app::terms::DocumentKind;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The app's routes, generated once per process. Generating them renders the app with resource
/// loading suppressed process-wide (a global flag in leptos_server): a resource first polled by
/// a request of another server instance in the same process during that window would never
/// resolve, and its page would never finish (leptos-rs/leptos#4773). One generation, before any
/// instance serves, avoids it; the list is the same for every instance.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let services = ServicesHandle(Arc::new(state.clone()));
    let letters = app::letters::LetterServicesHandle(Arc::new(state.clone()));
    let contacts = app::contacts::ContactServicesHandle(Arc::new(state.clone()));
    let operators = app::operators::OperatorServicesHandle(Arc::new(state.clone()));
    let entities = app::entities::EntityServicesHandle(Arc::new(state.clone()));
    let incidents = app::incidents::IncidentServicesHandle(Arc::new(state.clone()));
    let customers = app::customers::CustomerServicesHandle(Arc::new(state.clone()));
    let seal_keys = app::seal_keys::SealKeyServicesHandle(Arc::new(state.clone()));
    let passkeys = app::passkeys::PasskeyServicesHandle(Arc::new(state.clone()));
    let context = move || {
        provide_context(services.clone());
        provide_context(letters.clone());
        provide_context(contacts.clone());
        provide_context(operators.clone());
        provide_context(entities.clone());
        provide_context(incidents.clone());
        provide_context(customers.clone());
        provide_context(seal_keys.clone());
        provide_context(passkeys.clone());
    };
    let leptos_options = state.leptos.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/pki/{file}", get(published_certificate))
        .route("/tsa", axum::routing::post(time_stamp))
        .route("/dev/evidence/{file}", get(dev_evidence_pdf))
        .route("/identity/callback/{provider}", post(identity_callback))
        .merge(crate::web::letters::routes())
        .merge(crate::web::entities::routes())
        .merge(crate::web::log::routes())
        .merge(crate::web::operators::routes())
        .merge(crate::web::incidents::routes())
        .merge(crate::web::seal_keys::routes())
        .merge(crate::web::pki::routes())
        .merge(crate::web::identity::routes())
        .merge(published_documents())
        .merge(bundle(&leptos_options))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, app::shell))
        .layer(middleware::from_fn(crate::web::server_fns::guard))
        .layer(middleware::from_fn_with_state(state.clone(), same_origin_only))
        .layer(middleware::from_fn_with_state(state.clone(), client_addr))
        .layer(middleware::from_fn(session_memo))
        .with_state(state)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // The last resort: a handler that panics answers 500 (logged in its request's span)
        // rather than dropping the connection. No request should reach it.
        .layer(CatchPanicLayer::custom(panicked))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let request_id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// The content-addressed bundle `/pkg/<hash>/` (scripts/build-site.sh): cached for good by
/// browsers (a new build is a new address), sent precompressed (brotli or gzip, as the
/// browser accepts).
fn bundle(options: &leptos::config::LeptosOptions) -> Router<AppState> {
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let files = tower_http::services::ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip();
    Router::new().nest_service(
        &format!("/{}", options.site_pkg_dir),
        tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ))
            .service(files),
    )
}

/// The answer to a request whose handler panicked: a 500 that says nothing of the cause (the
/// server error page, with its title and heading, in French then English); the panic goes to
/// the log, with the request id of the span (which the response carries, `x-request-id`).
fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        SERVER_ERROR_PAGE,
    )
        .into_response()
}

/// The page of a request that failed on our side, when the app cannot render one.
const SERVER_ERROR_PAGE: &str = "<!DOCTYPE html>
<html lang=\"fr\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>Une erreur est survenue · Pli</title>
</head>
<body>
<main>
<h1>Une erreur est survenue</h1>
<p>Une erreur est survenue de notre côté. Rien n'a été perdu ; réessayez plus tard. \
<a href=\"/\">Retour à l'accueil</a></p>
<div lang=\"en\">
<h2>Something went wrong</h2>
<p>Something went wrong on our side. Nothing was lost; please try again later. \
<a href=\"/\">Back to the home page</a></p>
</div>
</main>
</body>
</html>
";

/// Liveness: the process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the process can serve users — its database and its HSM answer.
async fn readyz(State(state): State<AppState>) -> Response {
    let database = state.db.ping().await.map_err(|e| e.to_string());
    let hsm = state.seal.check().await.map_err(|e| e.to_string());
    let word = |r: &Result<(), String>| if r.is_ok() { "ok" } else { "unreachable" };
    let body = serde_json::json!({
        "status": if database.is_ok() && hsm.is_ok() { "ready" } else { "not ready" },
        "database": word(&database),
        "hsm": word(&hsm),
    });
    if let (Ok(()), Ok(())) = (&database, &hsm) {
        return (StatusCode::OK, axum::Json(body)).into_response();
    }
    tracing::warn!(?database, ?hsm, "readiness check failed");
    (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response()
}

/// The published certificates (EVD-07): root, seal and time-stamping unit, in PEM.
async fn published_certificate(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Response {
    if !matches!(file.as_str(), "root.pem" | "seal.pem" | "tsa.pem") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let read = if file == "seal.pem" {
        // The active seal key's, which may have changed under dual control (OPS-06).
        active_seal_pem(&state).await
    } else {
        tokio::fs::read(state.config.pki.dir.join(&file)).await.ok()
    };
    match read.ok_or(()) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/x-pem-file"),
                (header::CONTENT_DISPOSITION, "attachment"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The active seal certificate in PEM, if it can be read.
async fn active_seal_pem(state: &AppState) -> Option<Vec<u8>> {
    use x509_cert::der::EncodePem;
    let certificate = state.sealer.seal_certificate().await.ok()?;
    let pem = certificate
        .to_pem(x509_cert::der::pem::LineEnding::LF)
        .ok()?;
    Some(pem.into_bytes())
}

/// The published documents' PDFs (TERMS-01, OPS-07): `/policy.pdf`, `/terms/senders.pdf`,
/// `/terms/recipients.pdf` the editions in force that day, and every edition at its own
/// address (`/terms/senders/2027-01.pdf`) from its publication on: the very bytes whose SHA-256
/// the pages state (also sent in `x-pli-sha256`).
fn published_documents() -> Router<AppState> {
    let paths: Vec<String> = DocumentKind::ALL
        .into_iter()
        .flat_map(|kind| {
            std::iter::once(kind.document().pdf.to_owned())
                .chain(kind.editions().iter().map(|e| e.edition_pdf()))
        })
        .collect();
    paths.into_iter().fold(Router::new(), |router, path| {
        let served = path.clone();
        router.route(
            &path,
            get(move |State(state): State<AppState>| async move {
                let Some(published) = state.publication.by_pdf_path(&served, &state.legal_today())
                else {
                    return StatusCode::NOT_FOUND.into_response();
                };
                let name = format!(
                    "pli-{}-{}.pdf",
                    published
                        .kind
                        .document()
                        .pdf
                        .trim_start_matches('/')
                        .trim_end_matches(".pdf")
                        .replace('/', "-"),
                    published.version
                );
                (
                    [
                        (header::CONTENT_TYPE, "application/pdf".to_owned()),
                        (
                            header::CONTENT_DISPOSITION,
                            format!("inline; filename=\"{name}\""),
                        ),
                        (
                            HeaderName::from_static("x-pli-sha256"),
                            published.sha256.clone(),
                        ),
                    ],
                    axum::body::Bytes::copy_from_slice(&published.pdf),
                )
                    .into_response()
            }),
        )
    })
}

/// A page request (`GET`) looks the caller's session up once, whichever of its server
/// functions asks first ([`crate::account::SessionMemo`]).
async fn session_memo(mut request: Request<axum::body::Body>, next: Next) -> Response {
    if request.method() == Method::GET {
        request
            .extensions_mut()
            .insert(crate::account::SessionMemo::default());
    }
    next.run(request).await
}

/// Gives server functions the client's address ([`ClientAddr`]), for rate limiting and the
/// journal: the TCP peer, or — when the peer is one of `server.trusted_proxies` — the nearest
/// untrusted address in `X-Forwarded-For`.
async fn client_addr(
    State(state): State<AppState>,
    mut request: Request<axum::body::Body>,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .copied()
    {
        let forwarded = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        let ip = client_ip(peer.ip(), forwarded, &state.config.server.trusted_proxies);
        request.extensions_mut().insert(ClientAddr(ip));
    }
    next.run(request).await
}

/// The client behind a chain of proxies: walks `X-Forwarded-For` from the right while the hop
/// is a trusted proxy; a client cannot forge anything to the right of its own entry.
fn client_ip(peer: IpAddr, forwarded: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    if !trusted.contains(&peer) {
        return client;
    }
    for hop in forwarded.unwrap_or_default().rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(address) => {
                client = address;
                if !trusted.contains(&address) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

/// CSRF protection: a state-changing request (anything but GET, HEAD, OPTIONS) must come
/// from one of our own pages, which browsers prove with the `Origin` header (or, failing
/// that, `Referer`). Accepted origins: the configured `server.public_url`, and the origin the
/// request itself was addressed to (scheme of `public_url` + `Host`), which a cross-site page
/// cannot forge. Session cookies are also `SameSite=Lax`; this check is the second wall.
async fn same_origin_only(
    State(state): State<AppState>,
    request: Request<axum::body::Body>,
    next: Next,
) -> Response {
    // `/tsa` and `/pki/ocsp` are machine-to-machine endpoints (RFC 3161, RFC 6960: stateless,
    // no cookies; their clients — openssl, validators, other services — send no Origin);
    // identity providers' callbacks come from their servers, authenticated by a signature;
    // a wallet's answer (OpenID4VP `direct_post`) comes from the wallet, bound to its request
    // by the state and the key-bound nonce, and sets no session.
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || request.uri().path() == "/tsa"
        || request.uri().path() == crate::web::pki::OCSP_PATH
        || request.uri().path().starts_with(IDENTITY_CALLBACK)
        || request.uri().path() == crate::identity::wallet::RESPONSE_PATH
    {
        return next.run(request).await;
    }
    let headers = request.headers();
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let public = origin_of(&state.config.server.public_url);
    let scheme = if state.config.server.public_url.starts_with("https://") {
        "https"
    } else {
        "http"
    };
    let addressed = text(header::HOST).map(|host| format!("{scheme}://{host}"));
    let claimed = match (text(header::ORIGIN), text(header::REFERER)) {
        (Some(origin), _) => Some(origin.to_owned()),
        (None, Some(referer)) => Some(origin_of(referer)),
        (None, None) => None,
    };
    match claimed {
        Some(claimed) if claimed == public || Some(&claimed) == addressed.as_ref() => {
            next.run(request).await
        }
        _ => {
            tracing::warn!(origin = ?claimed, "cross-origin state-changing request refused");
            (
                StatusCode::FORBIDDEN,
                "cross-origin request refused / requête d'une autre origine refusée",
            )
                .into_response()
        }
    }
}

const IDENTITY_CALLBACK: &str = "/identity/callback/";

/// ID-01: results pushed by identity-proofing providers, with their signature in
/// `X-Pli-Signature`: 204 when recorded, 401 for a bad signature, 404 for an unknown provider
/// or session.
async fn identity_callback(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    request: Request<axum::body::Body>,
) -> Response {
    let caller = app::api::Caller {
        session_token: None,
        ip: request
            .extensions()
            .get::<ClientAddr>()
            .map(|a| a.0.to_string())
            .unwrap_or_default(),
        user_agent: request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(512)
            .collect(),
        ..app::api::Caller::default()
    };
    let signature = request
        .headers()
        .get("x-pli-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let Ok(body) = axum::body::to_bytes(request.into_body(), 64 * 1024).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    match crate::identity::proofing::callback(&state, &caller, &provider, &signature, &body).await {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => StatusCode::UNAUTHORIZED.into_response(),
        Err(error) if error.user() == Some(&app::error::AppError::NotFound) => {
            StatusCode::NOT_FOUND.into_response()
        }
        Err(error) => {
            tracing::error!(%error, "identity callback failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `scheme://host[:port]` of a URL (the URL itself if it has no path).
fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(slash) => url[..after_scheme + slash].to_owned(),
        None => url.to_owned(),
    }
}

/// The built-in development time-stamping unit (NOT qualified): RFC 3161 over HTTP
/// (`application/timestamp-query` in, `application/timestamp-reply` out), for anyone —
/// e.g. `openssl ts -query ... | curl --data-binary @- -H 'Content-Type: application/timestamp-query'`.
/// Absent (404) unless `tsa.url = "builtin"` in development.
async fn time_stamp(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let Some(tsa) = state.sealer.dev_tsa().cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        != Some("application/timestamp-query")
    {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "expected Content-Type: application/timestamp-query",
        )
            .into_response();
    }
    // A time-stamping unit states real UTC time: the development clock's offset (which moves
    // deadlines forward for demonstrations) never applies to it.
    let now = std::time::SystemTime::now();
    match tokio::task::spawn_blocking(move || tsa.respond(&body, now)).await {
        Ok(reply) => (
            [(header::CONTENT_TYPE, "application/timestamp-reply")],
            reply,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "time-stamping task failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Development only: download any stored evidence PDF (`/dev/evidence/<id>.pdf`).
async fn dev_evidence_pdf(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(id) = file
        .strip_suffix(".pdf")
        .filter(|_| state.config.is_development())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match crate::store::evidence::pdf(state.db.pool(), id).await {
        Ok(Some(pdf)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"evidence-{id}.pdf\""),
                ),
            ],
            pdf,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot read evidence");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn client_behind_trusted_proxies() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().expect("ip");
        let proxy = ip("10.0.0.1");
        let trusted = [proxy, ip("10.0.0.2")];
        let client = |peer, header| super::client_ip(peer, header, &trusted);
        assert_eq!(
            client(ip("198.51.100.9"), Some("203.0.113.7")),
            ip("198.51.100.9"),
            "untrusted peer: header ignored"
        );
        assert_eq!(client(proxy, Some("203.0.113.7")), ip("203.0.113.7"));
        assert_eq!(
            client(proxy, Some("1.2.3.4, 203.0.113.7, 10.0.0.2")),
            ip("203.0.113.7"),
            "a forged left part is ignored"
        );
        assert_eq!(client(proxy, None), proxy);
        assert_eq!(client(proxy, Some("garbage")), proxy);
    }

    #[test]
    fn origins() {
        assert_eq!(
            super::origin_of("https://pli.example/a/b?c"),
            "https://pli.example"
        );
        assert_eq!(
            super::origin_of("http://127.0.0.1:3000"),
            "http://127.0.0.1:3000"
        );
        assert_eq!(
            super::origin_of("http://127.0.0.1:3000/"),
            "http://127.0.0.1:3000"
        );
    }

    #[tokio::test]
    async fn the_server_error_page_has_a_title_and_a_heading() {
        use axum::http::{StatusCode, header};
        let response = super::panicked(Box::new("boom"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let page = String::from_utf8(body.to_vec()).expect("UTF-8");
        assert!(page.contains("<title>Une erreur est survenue · Pli</title>"));
        assert!(page.contains("<h1>Une erreur est survenue</h1>"));
        assert!(page.contains(r#"lang="en""#) && page.contains("Something went wrong"));
        assert!(!page.contains("boom"), "the cause stays in the log");
    }
}
