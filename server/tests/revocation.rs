//! The development root's revocation data served by the running server (issue 12, part 1):
//! OpenSSL fetches and checks the CRL and asks the OCSP responder over HTTP; bad requests get
//! OCSP's own errors or a 415, never a 5xx; production serves none of it; and pyHanko
//! validates a sealed evidence with revocation checking on, fetching from the server.
//! Covers EVD-05 and EVD-07.
//!
//! SQLite only: these routes never touch the database.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use common::smtp::free_port;
use common::validators::venv_bin;
use common::{Backend, TestApp, spawn_app, spawn_app_with};
use server::ledger;

/// `OCSPResponse` with status malformedRequest and no body.
const MALFORMED_REQUEST: [u8; 5] = [0x30, 0x03, 0x0a, 0x01, 0x01];

/// Runs `program` off the async workers (it may call the server); (success, stdout + stderr).
async fn run(program: impl Into<PathBuf>, args: Vec<String>) -> (bool, String) {
    let program = program.into();
    tokio::task::spawn_blocking(move || {
        let out = Command::new(&program)
            .args(&args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    })
    .await
    .expect("program task")
}

fn args(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| (*a).to_owned()).collect()
}

fn pki_file(app: &TestApp, name: &str) -> String {
    app.state
        .config
        .pki
        .dir
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openssl_asks_the_ocsp_responder_over_http() {
    let app = spawn_app(Backend::Sqlite).await;
    let (root, seal, tsa) = (
        pki_file(&app, "root.pem"),
        pki_file(&app, "seal.pem"),
        pki_file(&app, "tsa.pem"),
    );
    let url = format!("{}/pki/ocsp", app.url);
    // With a nonce (openssl's default), then with SHA-256 CertIDs.
    for digest in [None, Some("-sha256")] {
        let mut command = vec!["ocsp", "-issuer", &root];
        command.extend(digest);
        command.extend([
            "-cert", &seal, "-cert", &tsa, "-url", &url, "-CAfile", &root,
        ]);
        let (ok, answer) = run("openssl", args(&command)).await;
        assert!(ok, "{answer}");
        assert!(answer.contains("Response verify OK"), "{answer}");
        assert!(answer.contains("seal.pem: good"), "{answer}");
        assert!(answer.contains("tsa.pem: good"), "{answer}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_crl_and_the_root_certificate_are_published() {
    let app = spawn_app(Backend::Sqlite).await;
    let dir = tempfile::tempdir().expect("dir");

    let response = app.get("/pki/root.crl").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pkix-crl");
    let crl = dir.path().join("root.crl");
    std::fs::write(&crl, response.bytes().await.expect("CRL")).expect("write");
    let crl = crl.to_string_lossy().into_owned();
    let root = pki_file(&app, "root.pem");
    let (_, verified) = run(
        "openssl",
        args(&[
            "crl", "-in", &crl, "-inform", "DER", "-CAfile", &root, "-noout",
        ]),
    )
    .await;
    assert!(verified.contains("verify OK"), "{verified}");
    let (ok, text) = run(
        "openssl",
        args(&["crl", "-in", &crl, "-inform", "DER", "-noout", "-text"]),
    )
    .await;
    assert!(ok && text.contains("No Revoked Certificates."), "{text}");

    // The caIssuers address: the root certificate in DER.
    let response = app.get("/pki/root.cer").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pkix-cert");
    let der = response.bytes().await.expect("certificate");
    use x509_cert::der::Encode;
    let expected = app
        .state
        .seal
        .dev_pki
        .as_ref()
        .expect("dev PKI")
        .root
        .to_der();
    assert_eq!(der.to_vec(), expected.expect("DER"));

    // The seal certificate points at these addresses (the configured public URL).
    let (_, text) = run(
        "openssl",
        args(&[
            "x509",
            "-in",
            &pki_file(&app, "seal.pem"),
            "-noout",
            "-text",
        ]),
    )
    .await;
    let public = app.state.config.server.public_url.trim_end_matches('/');
    for address in ["/pki/root.crl", "/pki/ocsp", "/pki/root.cer"] {
        assert!(text.contains(&format!("{public}{address}")), "{text}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_get_form_of_ocsp_works_and_bad_requests_get_ocsp_errors_or_415() {
    let app = spawn_app(Backend::Sqlite).await;
    let dir = tempfile::tempdir().expect("dir");
    let (root, seal) = (pki_file(&app, "root.pem"), pki_file(&app, "seal.pem"));
    let request = dir.path().join("req.der").to_string_lossy().into_owned();
    let (ok, text) = run(
        "openssl",
        args(&[
            "ocsp",
            "-issuer",
            &root,
            "-cert",
            &seal,
            "-no_nonce",
            "-reqout",
            &request,
        ]),
    )
    .await;
    assert!(ok, "{text}");

    // RFC 6960 Appendix A.1: base64, then URL-encoded; some clients leave out the URL
    // encoding (a `/` of the base64 then splits the path).
    let base64 =
        base64::engine::general_purpose::STANDARD.encode(std::fs::read(&request).expect("request"));
    let encoded = base64
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    for form in [encoded, base64] {
        let response = app.get(&format!("/pki/ocsp/{form}")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/ocsp-response"
        );
        let file = dir.path().join("resp.der");
        std::fs::write(&file, response.bytes().await.expect("body")).expect("write");
        let file = file.to_string_lossy().into_owned();
        let (_, answer) = run(
            "openssl",
            args(&[
                "ocsp",
                "-issuer",
                &root,
                "-cert",
                &seal,
                "-respin",
                &file,
                "-CAfile",
                &root,
                "-no_nonce",
            ]),
        )
        .await;
        assert!(answer.contains("Response verify OK"), "{form}: {answer}");
        assert!(answer.contains("seal.pem: good"), "{form}: {answer}");
    }

    // Garbage: an OCSP malformedRequest, in both forms.
    let post = |body: Vec<u8>, content_type: &'static str| {
        app.client
            .post(format!("{}/pki/ocsp", app.url))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    for body in [&b""[..], b"not an OCSP request", &[0x30, 0x84, 0xff, 0xff]] {
        let response = post(body.to_vec(), "application/ocsp-request")
            .await
            .expect("POST");
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.bytes().await.expect("body").to_vec(),
            MALFORMED_REQUEST
        );
    }
    for path in [
        "/pki/ocsp/not%20base64!",
        "/pki/ocsp/aGVsbG8%3D",
        "/pki/ocsp/a/b/c",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response.bytes().await.expect("body").to_vec(),
            MALFORMED_REQUEST,
            "{path}"
        );
    }
    // The wrong content type: 415, whatever the body.
    let der = std::fs::read(&request).expect("request");
    for content_type in ["application/octet-stream", "text/plain"] {
        let response = post(der.clone(), content_type).await.expect("POST");
        assert_eq!(response.status(), 415);
    }
    let response = app
        .client
        .post(format!("{}/pki/ocsp", app.url))
        .body(der)
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 415, "no content type");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_serves_no_development_revocation_data() {
    let app = spawn_app_with(Backend::Sqlite, |config| {
        config.mode = server::config::Mode::Production;
        config.mail.transport = server::config::MailTransport::Smtp;
        config.mail.smtp_url = Some("smtp://127.0.0.1:9".to_owned());
        config.hsm.so_pin = None;
        config.tsa.url = "http://127.0.0.1:9/tsa".to_owned();
    })
    .await;
    for path in ["/pki/root.crl", "/pki/root.cer", "/pki/ocsp/MAA%3D"] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
    let response = app
        .client
        .post(format!("{}/pki/ocsp", app.url))
        .header("content-type", "application/ocsp-request")
        .body(vec![0x30, 0x00])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 404);
    app.stop().await;
}

/// pyHanko validates a sealed evidence with revocation checking on (`hard-fail`, its CLI's
/// default): it fetches the seal's and the TSA's status from the server the certificates
/// point at. The server listens at its public URL here, and has its own PKI directory so that
/// the other tests' certificates keep their addresses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pyhanko_validates_an_evidence_with_revocation_checking_on() {
    let port = free_port();
    let app = spawn_app_with(Backend::Sqlite, |config| {
        config.server.listen = ([127, 0, 0, 1], port).into();
        config.server.public_url = format!("http://127.0.0.1:{port}");
        config.pki.dir = config.var_dir.join("pki");
    })
    .await;
    let issued = server::transparency::heads::publish_now(&app.state)
        .await
        .expect("checkpoint")
        .expect("the head moved since start");
    let (_, pdf) = common::records::evidence(&app, &issued.id).await;
    assert_eq!(ledger::sha256_hex(&pdf), issued.sha256);
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("checkpoint.pdf");
    std::fs::write(&file, &pdf).expect("write");
    // Copied: the server's directory goes when it stops.
    let root = dir.path().join("root.pem");
    std::fs::copy(app.state.config.pki.dir.join("root.pem"), &root).expect("copy root");

    let (valid, report) = pyhanko(&file, &root).await;
    assert!(valid, "pyHanko with revocation checking: {report}");

    // The same evidence, the server stopped: nothing answers at the addresses any more, and
    // pyHanko cannot judge it valid (the check was really made).
    app.stop().await;
    let (valid, report) = pyhanko(&file, &root).await;
    assert!(!valid, "pyHanko without revocation data: {report}");
    assert!(
        report.contains("no revocation information could be found"),
        "{report}"
    );
}

/// `pyhanko sign validate` trusting only `root`, revocation checking on: (judged VALID,
/// output).
async fn pyhanko(pdf: &Path, root: &Path) -> (bool, String) {
    let (ok, text) = run(
        venv_bin("pyhanko"),
        vec![
            "sign".to_owned(),
            "validate".to_owned(),
            "--pretty-print".to_owned(),
            "--trust-replace".to_owned(),
            "--trust".to_owned(),
            root.to_string_lossy().into_owned(),
            pdf.to_string_lossy().into_owned(),
        ],
    )
    .await;
    (ok && text.contains("judged VALID"), text)
}
