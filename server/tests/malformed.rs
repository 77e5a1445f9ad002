//! Bad input never costs a 5xx (issue 9): every plain route and every registered server
//! function answers a malformed request — wrong content type, missing and extra fields,
//! truncated multipart, oversized, invalid UTF-8 — with a 4xx (and, for a server function, an
//! error the client can read and translate), and no request panics a handler.

mod common;

use std::sync::{Mutex, OnceLock};

use app::error::AppError;
use app::i18n::Lang;
use app::validation::{Invalid, MAX_EVIDENCE_BYTES};
use common::{Backend, spawn_app};
use leptos::server_fn::ServerFn;
use reqwest::{Method, StatusCode};
use server::web::server_fns::{MAX_BYTES, MAX_UPLOAD_BYTES};

on_both_databases!(
    every_route_and_server_function_answers_malformed_requests_with_4xx,
    evidence_upload_mistakes_are_the_users,
);

/// Panics on the server's threads since the first call. The server runs in this process, on
/// the tokio runtime's threads (`tokio-rt-worker`, or `tokio-runtime-worker` in older tokio;
/// blocking tasks included); a test's own failed assertion runs on the test's thread and is
/// not counted.
fn server_panics() -> Vec<String> {
    static PANICS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    fn record() -> &'static Mutex<Vec<String>> {
        PANICS.get_or_init(|| Mutex::new(Vec::new()))
    }
    static HOOK: OnceLock<()> = OnceLock::new();
    HOOK.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current();
            if thread.name().is_some_and(|name| name.starts_with("tokio-")) {
                record()
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(info.to_string());
            }
            previous(info);
        }));
    });
    record().lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// One hostile request.
struct Probe {
    method: Method,
    path: String,
    content_type: Option<&'static str>,
    body: Vec<u8>,
}

impl Probe {
    fn new(method: Method, path: &str, content_type: Option<&'static str>, body: &[u8]) -> Probe {
        Probe {
            method,
            path: path.to_owned(),
            content_type,
            body: body.to_vec(),
        }
    }

    fn describe(&self) -> String {
        let mut body = String::from_utf8_lossy(&self.body[..self.body.len().min(60)]).into_owned();
        if self.body.len() > 60 {
            body.push_str(&format!("… ({} bytes)", self.body.len()));
        }
        format!(
            "{} {} [{}] {body:?}",
            self.method,
            self.path,
            self.content_type.unwrap_or("no content type")
        )
    }

    /// Sends the probe from our own origin (so that it passes the CSRF check and reaches the
    /// decoders), on a connection of its own (a refused body may close it).
    async fn send(&self, app: &common::TestApp) -> (StatusCode, Vec<u8>) {
        let mut request = common::browser()
            .request(self.method.clone(), format!("{}{}", app.url, self.path))
            .header("origin", &app.url)
            .body(self.body.clone());
        if let Some(content_type) = self.content_type {
            request = request.header("content-type", content_type);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: no answer ({e})", self.describe()));
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map(|b| b.to_vec())
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {status} with an unreadable body ({e})",
                    self.describe()
                )
            });
        (status, body)
    }
}

const FORM: Option<&str> = Some("application/x-www-form-urlencoded");
const BOUNDARY: &str = "pli-test-boundary";
const MULTIPART: Option<&str> = Some("multipart/form-data; boundary=pli-test-boundary");

/// A multipart body of `fields` (name, value), closed or not.
fn multipart(fields: &[(&str, &[u8])], closed: bool) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{name}.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    if closed {
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    }
    body
}

/// The malformed requests sent to a server function at `path` called with `method`.
fn server_function_probes(path: &str, method: &Method) -> Vec<Probe> {
    let invalid_utf8: &[u8] = &[0xff, 0xfe, b'=', 0xc3, 0x28];
    let call = |content_type, body: &[u8]| {
        if *method == Method::GET {
            // Arguments travel in the query string.
            let query = String::from_utf8_lossy(body).replace(['\n', ' '], "");
            Probe::new(Method::GET, &format!("{path}?{query}"), content_type, b"")
        } else {
            Probe::new(method.clone(), path, content_type, body)
        }
    };
    let mut probes = vec![
        // Missing fields.
        call(FORM, b""),
        call(None, b""),
        // Extra fields, an array where a text is expected, a bad percent-escape.
        call(
            FORM,
            b"unexpected=1&email[]=a&email[]=b&password=%FF%FE&code=%zz",
        ),
        // A JSON body to a URL-encoded function.
        call(
            Some("application/json"),
            br#"{"email": 1, "password": null}"#,
        ),
        call(Some("text/plain"), b"hello"),
        // Not UTF-8.
        call(FORM, invalid_utf8),
        call(Some("application/octet-stream"), invalid_utf8),
        // Multipart: without a boundary, truncated, with unknown fields.
        call(Some("multipart/form-data"), b"--x\r\n"),
        call(
            MULTIPART,
            &multipart(&[("evidence", b"%PDF-1.7 trunc")], false),
        ),
        call(MULTIPART, &multipart(&[("unknown", b"1")], true)),
        // The other method.
        Probe::new(
            if *method == Method::GET {
                Method::POST
            } else {
                Method::GET
            },
            path,
            None,
            b"",
        ),
    ];
    if *method != Method::GET {
        // Just over the limit (the server answers before reading further: a client that
        // writes megabytes more before reading the answer finds the connection closed).
        probes.push(call(FORM, &vec![b'a'; MAX_BYTES + 1]));
    }
    probes
}

/// The malformed requests sent to the plain routes (`server::web::router::router` and the routers
/// it merges) and to pages.
fn route_probes() -> Vec<Probe> {
    let get = |path: &str| Probe::new(Method::GET, path, None, b"");
    let post =
        |path: &str, content_type, body: &[u8]| Probe::new(Method::POST, path, content_type, body);
    let junk: &[u8] = &[0xff, 0x00, 0xfe, b'{', b'<'];
    vec![
        get("/healthz"),
        get("/readyz"),
        post("/healthz", FORM, b"x=1"),
        get("/pki/root.pem"),
        get("/pki/%FF"),
        get("/pki/..%2F..%2Fetc%2Fpasswd"),
        get("/pki/"),
        post("/tsa", None, junk),
        post("/tsa", Some("application/timestamp-query"), junk),
        post("/tsa", Some("application/timestamp-query"), b""),
        post(
            "/tsa",
            Some("application/timestamp-query"),
            &vec![0x30; 3 * 1024 * 1024],
        ),
        get("/tsa"),
        get("/dev/evidence/%FF%FE.pdf"),
        get("/dev/evidence/nothing.pdf"),
        get("/dev/evidence/nothing"),
        post("/identity/callback/nobody", Some("application/json"), b"{}"),
        post(
            "/identity/callback/simulator",
            Some("application/json"),
            junk,
        ),
        post("/identity/callback/simulator", FORM, b""),
        post(
            "/identity/callback/simulator",
            Some("application/json"),
            &vec![b'a'; 100 * 1024],
        ),
        post("/identity/callback/%FF", None, b""),
        post(
            "/letters/nothing/attachments",
            Some("application/pdf"),
            b"%PDF",
        ),
        post("/letters/nothing/attachments?name=%FF%FE", None, junk),
        post(
            "/letters/nothing/attachments?name=a.pdf&name=b.pdf",
            None,
            junk,
        ),
        post("/letters/%FF/attachments?name=a.pdf", MULTIPART, junk),
        get("/letters/nothing/attachments"),
        get("/letters/nothing/attachments/nothing"),
        get("/letters/%FF/attachments/%FE"),
        get("/letters/nothing/dossier.zip"),
        get("/letters/%FF/dossier.zip"),
        // Pages and the fallback.
        get("/verify?%FF=%FE&x"),
        get("/%FF%FE"),
        get("/letters/%FF"),
        get("/reception/%FF"),
        post("/verify", FORM, b"x=1"),
        post("/", MULTIPART, junk),
        post("/api/no_such_function", FORM, b""),
        get("/api/"),
    ]
}

/// Every server function of leptos' registry and every plain route, with every malformed
/// request: never a 5xx; a server function's refusal is an error the client decodes and
/// translates; a body over the limit is 413; and no handler panicked.
async fn every_route_and_server_function_answers_malformed_requests_with_4xx(backend: Backend) {
    server_panics();
    let app = spawn_app(backend).await;
    let functions: Vec<(&str, Method)> = leptos::server_fn::axum::server_fn_paths().collect();
    assert!(
        functions.len() > 40 && functions.iter().any(|(p, _)| *p == "/api/sign_in"),
        "the registry lists the server functions: {functions:?}"
    );
    let mut failures = Vec::new();
    for (path, method) in &functions {
        for probe in server_function_probes(path, method) {
            let (status, body) = probe.send(&app).await;
            let text = String::from_utf8_lossy(&body);
            if status.is_server_error() {
                failures.push(format!("{} → {status} {text}", probe.describe()));
                continue;
            }
            if !status.is_client_error() || status == StatusCode::METHOD_NOT_ALLOWED {
                // A function without arguments ran; or the router refused the method.
                continue;
            }
            match serde_json::from_slice::<AppError>(&body) {
                Ok(error) => {
                    if error.message(Lang::Fr).is_empty() || error.message(Lang::En).is_empty() {
                        failures.push(format!("{}: {error:?} without a message", probe.describe()));
                    }
                    // (The multipart function refuses a URL-encoded body before its size.)
                    if probe.body.len() > MAX_BYTES
                        && *path != <app::api::VerifyEvidence as ServerFn>::PATH
                        && status != StatusCode::PAYLOAD_TOO_LARGE
                    {
                        failures.push(format!("{} → {status}, not 413", probe.describe()));
                    }
                }
                Err(e) => failures.push(format!(
                    "{} → {status}: not an error the client can read ({e}): {text}",
                    probe.describe()
                )),
            }
        }
    }
    for probe in route_probes() {
        let (status, body) = probe.send(&app).await;
        if status.is_server_error() {
            let text = String::from_utf8_lossy(&body);
            failures.push(format!("{} → {status} {text}", probe.describe()));
        }
    }
    let panics = server_panics();
    assert!(
        failures.is_empty() && panics.is_empty(),
        "{} malformed requests answered 5xx:\n{}\n\n{} server panics:\n{}",
        failures.len(),
        failures.join("\n"),
        panics.len(),
        panics.join("\n"),
    );

    // The decoder's complaint reaches the user as a clear 400, in their language.
    let probe = Probe::new(Method::POST, "/api/sign_in", FORM, b"email=a%40b.example");
    let (status, body) = probe.send(&app).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error: AppError = serde_json::from_slice(&body).expect("AppError");
    assert!(
        matches!(&error, AppError::Malformed(d) if d.contains("password")),
        "{error:?}"
    );
    assert!(
        error.message(Lang::Fr).starts_with("Requête invalide"),
        "{error:?}"
    );
    assert!(
        error.message(Lang::En).starts_with("Invalid request"),
        "{error:?}"
    );
    let probe = Probe::new(
        Method::POST,
        "/api/sign_in",
        Some("application/json"),
        br#"{"email":"a@b.example","password":"x"}"#,
    );
    assert_eq!(probe.send(&app).await.0, StatusCode::BAD_REQUEST);
    let probe = Probe::new(
        Method::POST,
        "/api/sign_in",
        FORM,
        &vec![b'a'; MAX_BYTES + 1],
    );
    let (status, body) = probe.send(&app).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let error: AppError = serde_json::from_slice(&body).expect("AppError");
    assert_eq!(error.message(Lang::En), "Request too large: 1 MB at most.");
    app.stop().await;
}

/// EVD-06: the verification page's mistakes are the user's (4xx with a translated message),
/// never a 500 or a panic: no multipart at all, a truncated one, no file, an empty file, a
/// file too large, not a PDF, a malformed SHA-256.
async fn evidence_upload_mistakes_are_the_users(backend: Backend) {
    server_panics();
    let app = spawn_app(backend).await;
    let path = "/api/verify_evidence";
    let pdf: &[u8] = b"%PDF-1.7\n%%EOF\n";
    let expect = async |content_type, body: Vec<u8>, status: StatusCode| -> AppError {
        let probe = Probe::new(Method::POST, path, content_type, &body);
        let (got, body) = probe.send(&app).await;
        let text = String::from_utf8_lossy(&body);
        assert_eq!(got, status, "{}: {text}", probe.describe());
        let error: AppError = serde_json::from_slice(&body).expect("AppError");
        assert!(!error.message(Lang::Fr).is_empty());
        error
    };
    let bad_request = StatusCode::BAD_REQUEST;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;

    // Not multipart (today: a panic in the multipart codec, an empty reply).
    for content_type in [
        FORM,
        None,
        Some("multipart/form-data"),
        Some("application/pdf"),
    ] {
        let error = expect(content_type, pdf.to_vec(), bad_request).await;
        assert!(matches!(error, AppError::Malformed(_)), "{error:?}");
    }
    // Truncated: the parts read so far are not taken for the whole form.
    let error = expect(
        MULTIPART,
        multipart(&[("evidence", pdf)], false),
        bad_request,
    )
    .await;
    assert!(matches!(error, AppError::Malformed(_)), "{error:?}");
    let error = expect(
        MULTIPART,
        multipart(&[("evidence", pdf), ("evidence", pdf)], true),
        bad_request,
    )
    .await;
    assert!(matches!(error, AppError::Malformed(_)), "{error:?}");
    // No file, an empty file.
    for body in [
        multipart(&[], true),
        multipart(&[("evidence", b"")], true),
        multipart(&[("original_sha256", b"")], true),
    ] {
        let error = expect(MULTIPART, body, unprocessable).await;
        assert_eq!(error, AppError::Invalid(Invalid::EvidenceFile));
    }
    // Too large: the file, the whole body.
    let big = vec![b'%'; MAX_EVIDENCE_BYTES + 1];
    let too_large = StatusCode::PAYLOAD_TOO_LARGE;
    let error = expect(MULTIPART, multipart(&[("evidence", &big)], true), too_large).await;
    assert!(matches!(error, AppError::TooLarge { .. }), "{error:?}");
    let huge = vec![b'%'; MAX_UPLOAD_BYTES + 1];
    let error = expect(
        MULTIPART,
        multipart(&[("evidence", &huge)], true),
        too_large,
    )
    .await;
    assert_eq!(
        error.message(Lang::Fr),
        "Requête trop volumineuse : 20 Mo au plus."
    );
    // Not a PDF, with a message that says so.
    let error = expect(
        MULTIPART,
        multipart(&[("evidence", b"PK\x03\x04 a zip, not a PDF")], true),
        unprocessable,
    )
    .await;
    assert_eq!(error, AppError::NotPdf);
    assert!(error.message(Lang::En).contains("not a PDF"));
    assert!(error.message(Lang::Fr).contains("pas un PDF"));
    // A malformed SHA-256 of the original.
    for sha in [&b"xyz"[..], &[b'g'; 64][..], &[0xff; 64][..]] {
        let error = expect(
            MULTIPART,
            multipart(&[("evidence", pdf), ("original_sha256", sha)], true),
            unprocessable,
        )
        .await;
        assert!(
            matches!(
                error,
                AppError::Invalid(Invalid::Sha256) | AppError::Malformed(_)
            ),
            "{error:?}"
        );
    }
    let panics = server_panics();
    assert!(panics.is_empty(), "server panics:\n{}", panics.join("\n"));
    app.stop().await;
}
