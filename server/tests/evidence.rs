//! Evidence issued by the running server: sealed in the HSM, time-stamped by the built-in
//! TSA, stored with its journal entry, downloadable, and accepted by independent validators
//! (EVD-01, EVD-02, EVD-03, EVD-04, OPS-02).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::records::{count, evidence, pli_verify, root_pem, tampered};
use common::{Backend, TestApp, spawn_app, spawn_app_with, validators};
use evidence::pades::SealProfile;
use server::ledger::{self, Break};

on_both_databases!(
    checkpoint_evidence_validates_with_pyhanko_and_pdfsig,
    builtin_tsa_answers_rfc3161_requests_that_openssl_verifies,
    rewriting_the_chain_after_a_checkpoint_is_detected,
    pli_verify_checks_seal_timestamp_integrity_journal_and_original,
    web_verification_gives_the_same_verdicts,
    unreachable_tsa_fails_clearly_and_is_recorded,
    tsa_with_a_long_chain_is_measured_at_start_up,
    tsa_chain_grown_after_start_up_is_measured_again,
);

/// EVD-01..04, OPS-02: the checkpoint evidence sealed by the server passes pyHanko and pdfsig;
/// one changed byte fails both.
async fn checkpoint_evidence_validates_with_pyhanko_and_pdfsig(backend: Backend) {
    let app = spawn_app(backend).await;
    let issued = server::transparency::heads::publish_now(&app.state)
        .await
        .expect("checkpoint")
        .expect("the head moved since start");
    let response = app.get(&format!("/dev/evidence/{}.pdf", issued.id)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let pdf = response.bytes().await.expect("pdf").to_vec();
    assert_eq!(ledger::sha256_hex(&pdf), issued.sha256);

    let dir = tempfile::tempdir().expect("dir");
    let root = root_pem(&app);
    let good = dir.path().join("checkpoint.pdf");
    std::fs::write(&good, &pdf).expect("write");
    let (valid, report) = validators::pyhanko(&good, &root);
    assert!(valid, "pyHanko: {report}");
    let (valid, report) = validators::pdfsig(&good, &root);
    assert!(valid, "pdfsig: {report}");

    // "ledger" becomes "medger".
    let bad = dir.path().join("tampered.pdf");
    std::fs::write(&bad, tampered(&pdf, b"ledger", b'l' ^ 0x01)).expect("write");
    assert!(
        !validators::pyhanko(&bad, &root).0,
        "pyHanko must refuse a modified evidence"
    );
    assert!(
        !validators::pdfsig(&bad, &root).0,
        "pdfsig must refuse a modified evidence"
    );

    let report = ledger::verify(&app.state.db).await.expect("verify");
    assert_eq!(report.first_break, None);
    // Nothing new since: no second checkpoint.
    let again = server::transparency::heads::publish_now(&app.state).await;
    assert!(again.expect("checkpoint").is_none());
    app.stop().await;
}

/// EVD-02: the built-in development TSA is a real RFC 3161 service.
async fn builtin_tsa_answers_rfc3161_requests_that_openssl_verifies(backend: Backend) {
    let app = spawn_app(backend).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data.txt");
    std::fs::write(&data, b"Lettre recommandee").expect("write");
    let query = dir.path().join("q.tsq");
    let status = std::process::Command::new("openssl")
        .args(["ts", "-query", "-sha256", "-cert", "-data"])
        .arg(&data)
        .arg("-out")
        .arg(&query)
        .status()
        .expect("openssl ts -query");
    assert!(status.success());
    let reply = app
        .client
        .post(format!("{}/tsa", app.url))
        .header("content-type", "application/timestamp-query")
        .body(std::fs::read(&query).expect("query"))
        .send()
        .await
        .expect("POST /tsa");
    assert_eq!(
        reply.headers()["content-type"],
        "application/timestamp-reply"
    );
    let tsr = dir.path().join("r.tsr");
    std::fs::write(&tsr, reply.bytes().await.expect("reply")).expect("write");
    let out = std::process::Command::new("openssl")
        .args(["ts", "-verify", "-data"])
        .arg(&data)
        .arg("-in")
        .arg(&tsr)
        .arg("-CAfile")
        .arg(root_pem(&app))
        .output()
        .expect("openssl ts -verify");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Verification: OK"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    app.stop().await;
}

/// OPS-02: someone with database access who alters an event and recomputes every later link
/// (a consistent forged chain) is caught by the sealed checkpoint.
async fn rewriting_the_chain_after_a_checkpoint_is_detected(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = &app.state.db;
    server::transparency::heads::publish_now(&app.state)
        .await
        .expect("checkpoint");

    // Forge: alter the first event and rebuild the whole chain consistently.
    sqlx::query("UPDATE audit_event SET document = REPLACE(document, '\"start\"', '\"forged\"')")
        .execute(db.pool())
        .await
        .expect("forge");
    let rows: Vec<(i64, String, String, i64)> =
        sqlx::query_as("SELECT seq, entry_type, ref_id, recorded_at FROM ledger ORDER BY seq")
            .fetch_all(db.pool())
            .await
            .expect("rows");
    let mut prev = ledger::GENESIS.to_owned();
    for (seq, entry_type, ref_id, recorded_at) in rows {
        let payload: String = if entry_type == "event" {
            let (doc,): (String,) =
                sqlx::query_as("SELECT document FROM audit_event WHERE id = $1")
                    .bind(&ref_id)
                    .fetch_one(db.pool())
                    .await
                    .expect("doc");
            ledger::sha256_hex(doc.as_bytes())
        } else {
            ledger::sha256_hex(&evidence(&app, &ref_id).await.1)
        };
        let link = ledger::link_hash(seq, &entry_type, &ref_id, recorded_at, &payload, &prev);
        sqlx::query(
            "UPDATE ledger SET payload_sha256 = $1, prev_hash = $2, link_hash = $3 WHERE seq = $4",
        )
        .bind(&payload)
        .bind(&prev)
        .bind(&link)
        .bind(seq)
        .execute(db.pool())
        .await
        .expect("relink");
        prev = link;
    }
    sqlx::query("UPDATE ledger_head SET link_hash = $1")
        .bind(&prev)
        .execute(db.pool())
        .await
        .expect("head");

    let found = ledger::verify(db).await.expect("verify").first_break;
    assert!(matches!(found, Some(Break::Checkpoint { .. })), "{found:?}");
    app.stop().await;
}

/// Seals a deposit evidence recording one file's digest, through the server's own sealer.
async fn issue_deposit(app: &TestApp, file: &[u8]) -> server::sealing::Issued {
    use evidence::pades::ContentDigest;
    let mut evidence = common::records::deposit_evidence(app, "letter-1");
    evidence.digests = vec![ContentDigest::sha256_of(
        "contrat.pdf",
        Some("file-1".to_owned()),
        file,
    )];
    app.state
        .sealer
        .issue(&app.state.db, &evidence, Some("letter-1"))
        .await
        .expect("issue")
}

/// A deposit evidence sealed for `file`, as stored and journaled: (evidence id, journal entry,
/// PDF).
async fn deposit_of(app: &TestApp, file: &[u8]) -> (String, i64, Vec<u8>) {
    let issued = issue_deposit(app, file).await;
    let (_, pdf) = evidence(app, &issued.id).await;
    (issued.id, issued.seq, pdf)
}

/// EVD-03, EVD-06: `pli verify FILE.pdf [--file ORIGINAL]` — exit 0 and a readable report for
/// a valid evidence recorded in the journal and its original; exit 1 for a modified one, or
/// with a file that is not the original.
async fn pli_verify_checks_seal_timestamp_integrity_journal_and_original(backend: Backend) {
    let app = spawn_app(backend).await;
    let original = b"%PDF-1.7 contrat de bail".to_vec();
    let (id, seq, pdf) = deposit_of(&app, &original).await;
    let dir = tempfile::tempdir().expect("dir");
    let (good, bad, orig, other) = (
        dir.path().join("good.pdf"),
        dir.path().join("bad.pdf"),
        dir.path().join("contrat.pdf"),
        dir.path().join("other.pdf"),
    );
    std::fs::write(&good, &pdf).expect("write");
    std::fs::write(&orig, &original).expect("write");
    std::fs::write(&other, b"something else").expect("write");
    // The sender's name in the page.
    std::fs::write(&bad, tampered(&pdf, b"Alice", b'E')).expect("write");
    let pli = |args: &[&std::path::Path]| pli_verify(&app, args);

    let (code, text) = pli(&[&good, std::path::Path::new("--file"), &orig]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("RESULT: VALID"), "{text}");
    assert!(text.contains(&id), "evidence id in the report: {text}");
    assert!(
        text.contains(&format!("entry #{seq}")),
        "journal inclusion: {text}"
    );
    assert!(
        text.contains("contrat.pdf"),
        "original file matched by name: {text}"
    );
    // EVD-08: what the embedded XML says, read back: the ETSI event with its label, the
    // parties as the XML names them, and the event time.
    for line in [
        "Event: Envoi accepté par le service / Submission accepted \
         (http://uri.etsi.org/19522/Event/SubmissionAcceptance)",
        "Sender: Alice Martin <alice@example.org> (id user-1)",
        "Event time: ",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(line)),
            "{line:?} in the report: {text}"
        );
    }

    // A failed check fails the verdict and the exit code: the file given is not the original.
    let (code, text) = pli(&[&good, std::path::Path::new("--file"), &other]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("[FAIL] Original file"), "{text}");
    assert!(text.contains("does not match"), "{text}");
    assert!(text.contains("RESULT: INVALID"), "{text}");
    assert!(!text.contains("RESULT: VALID"), "{text}");

    let (code, text) = pli(&[&bad]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("RESULT: INVALID"), "{text}");
    assert!(
        text.contains("not recorded"),
        "a modified file is not in the journal: {text}"
    );
    app.stop().await;
}

/// EVD-06: the public verification endpoint behind /verify gives the same verdicts.
async fn web_verification_gives_the_same_verdicts(backend: Backend) {
    let app = spawn_app(backend).await;
    let original = b"annexe 1".to_vec();
    let (id, seq, pdf) = deposit_of(&app, &original).await;
    let post = |pdf: Vec<u8>, original: Option<String>| {
        let mut form = reqwest::multipart::Form::new().part(
            "evidence",
            reqwest::multipart::Part::bytes(pdf)
                .file_name("e.pdf")
                .mime_str("application/pdf")
                .expect("mime"),
        );
        if let Some(hex) = original {
            form = form.text("original_sha256", hex);
        }
        app.client
            .post(format!("{}/api/verify_evidence", app.url))
            // As a browser does on every POST (state-changing requests need a same-origin Origin).
            .header("origin", app.url.as_str())
            .multipart(form)
            .send()
    };
    let verdict = async |pdf: Vec<u8>, original: Option<String>| -> serde_json::Value {
        let response = post(pdf, original).await.expect("post");
        response.json().await.expect("json")
    };
    let report = verdict(pdf.clone(), Some(ledger::sha256_hex(&original))).await;
    assert_eq!(report["valid"], true, "{report}");
    assert_eq!(report["evidence_id"], id.as_str());
    assert_eq!(report["kind"], "Deposit");
    assert_eq!(report["journal_seq"], seq);
    assert_eq!(
        report["original_matches"],
        serde_json::json!(["contrat.pdf"])
    );

    let report = verdict(tampered(&pdf, b"Alice", b'E'), None).await;
    assert_eq!(report["valid"], false, "{report}");
    let unmodified = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["code"] == "DocumentUnmodified")
        .expect("check");
    assert_eq!(unmodified["passed"], false);

    // Not a PDF at all: the user chose the wrong file (422), not a verdict on an evidence.
    let garbage = post(b"not a pdf".to_vec(), None).await.expect("post");
    assert_eq!(garbage.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let error: app::error::AppError = garbage.json().await.expect("json");
    assert_eq!(error, app::error::AppError::NotPdf);
    // A PDF without a seal: a verdict, invalid with reasons.
    let report = verdict(b"%PDF-1.7\n%%EOF\n".to_vec(), None).await;
    assert_eq!(report["valid"], false, "{report}");
    app.stop().await;
}

/// The journaled failures to use the seal (OPS-03).
async fn seal_use_errors(app: &TestApp) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM audit_event WHERE category = $1 AND action = $2",
        &["key", "seal_use_error"],
    )
    .await
}

/// EVD-02, OPS-03: with the TSA unreachable no evidence is produced, the error names the TSA,
/// and the failed use is recorded in the journal.
async fn unreachable_tsa_fails_clearly_and_is_recorded(backend: Backend) {
    let app = spawn_app_with(backend, |config| {
        config.tsa.url = "http://127.0.0.1:9/tsa".to_owned()
    })
    .await;
    let error = server::transparency::heads::publish_now(&app.state)
        .await
        .expect_err("no TSA, no evidence");
    let message = error.to_string();
    assert!(
        message.contains("127.0.0.1:9"),
        "the error names the TSA: {message}"
    );
    let stored = count(&app, "SELECT COUNT(*) FROM evidence", &[]).await;
    assert_eq!(stored, 0, "nothing half-done");
    assert_eq!(seal_use_errors(&app).await, 1);
    assert_eq!(
        ledger::verify(&app.state.db)
            .await
            .expect("verify")
            .first_break,
        None
    );
    app.stop().await;
}

/// EVD-02, EVD-03: a TSA whose tokens carry a long certificate chain (five intermediate CAs
/// between the root and the time-stamping unit, a token of about 9 KB) does not make every
/// seal fail: the server obtains one of its tokens at start-up and sizes the signature
/// placeholder from it. The evidence passes pyHanko (which checks the TSA's whole path) and
/// pdfsig.
async fn tsa_with_a_long_chain_is_measured_at_start_up(backend: Backend) {
    let first = spawn_app(backend).await;
    let tsa = long_chain::tsa(&first.state.seal);
    first.stop().await;
    let url = long_chain::serve(tsa, Arc::new(AtomicBool::new(true))).await;
    let app = spawn_app_with(backend, |config| config.tsa.url = url).await;
    let hint = app.state.sealer.timestamp_size_hint();
    assert!(
        hint > SealProfile::DEFAULT_TIMESTAMP_SIZE_HINT + 1024,
        "sized at start-up from a real token: {hint} bytes"
    );

    let issued = server::transparency::heads::publish_now(&app.state)
        .await
        .expect("sealed with the long-chain TSA")
        .expect("the head moved since start");
    let (_, pdf) = evidence(&app, &issued.id).await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("long-chain.pdf");
    std::fs::write(&file, &pdf).expect("write");
    let root = root_pem(&app);
    let (valid, report) = validators::pyhanko(&file, &root);
    assert!(valid, "pyHanko: {report}");
    assert!(
        report.contains("Pli test time-stamping unit"),
        "the token of the long-chain TSA: {report}"
    );
    let (valid, report) = validators::pdfsig(&file, &root);
    assert!(valid, "pdfsig: {report}");
    app.stop().await;
}

/// EVD-02, EVD-03: a TSA that was down at start-up (placeholder of the default size) and then
/// answers with long-chain tokens: the first seal re-sizes the placeholder from the token that
/// did not fit and seals again, instead of failing.
async fn tsa_chain_grown_after_start_up_is_measured_again(backend: Backend) {
    let first = spawn_app(backend).await;
    let tsa = long_chain::tsa(&first.state.seal);
    first.stop().await;
    let up = Arc::new(AtomicBool::new(false));
    let url = long_chain::serve(tsa, up.clone()).await;
    let app = spawn_app_with(backend, |config| config.tsa.url = url).await;
    assert_eq!(
        app.state.sealer.timestamp_size_hint(),
        SealProfile::DEFAULT_TIMESTAMP_SIZE_HINT,
        "the TSA was down at start-up"
    );
    up.store(true, Ordering::SeqCst);

    let issued = server::transparency::heads::publish_now(&app.state)
        .await
        .expect("sealed after re-sizing")
        .expect("the head moved since start");
    assert!(app.state.sealer.timestamp_size_hint() > SealProfile::DEFAULT_TIMESTAMP_SIZE_HINT);
    let (_, pdf) = evidence(&app, &issued.id).await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("re-sized.pdf");
    std::fs::write(&file, &pdf).expect("write");
    let (valid, report) = validators::pyhanko(&file, &root_pem(&app));
    assert!(valid, "pyHanko: {report}");
    assert_eq!(
        seal_use_errors(&app).await,
        0,
        "the re-sized seal succeeded"
    );
    app.stop().await;
}

/// A time-stamping unit five intermediate CAs below the development root, all keys in the
/// test token, served over HTTP.
mod long_chain {
    use std::str::FromStr;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, OnceLock};
    use std::time::SystemTime;

    use evidence::timestamp::DevTsa;
    use evidence::{Certificate, Hsm, KeySigner};
    use x509_cert::builder::{Builder, CertificateBuilder, Profile};
    use x509_cert::der::asn1::BitString;
    use x509_cert::der::oid::db::rfc5280::{ID_CE_EXT_KEY_USAGE, ID_KP_TIME_STAMPING};
    use x509_cert::der::oid::{AssociatedOid, ObjectIdentifier};
    use x509_cert::der::{Encode, Length, Writer};
    use x509_cert::ext::AsExtension;
    use x509_cert::ext::pkix::ExtendedKeyUsage;
    use x509_cert::name::Name;
    use x509_cert::serial_number::SerialNumber;
    use x509_cert::spki::SubjectPublicKeyInfoOwned;

    /// The extended key usage RFC 3161 §2.3 requires: id-kp-timeStamping only, critical.
    struct TimeStampingOnly;

    impl AssociatedOid for TimeStampingOnly {
        const OID: ObjectIdentifier = ID_CE_EXT_KEY_USAGE;
    }

    impl Encode for TimeStampingOnly {
        fn encoded_len(&self) -> x509_cert::der::Result<Length> {
            ExtendedKeyUsage(vec![ID_KP_TIME_STAMPING]).encoded_len()
        }

        fn encode(&self, writer: &mut impl Writer) -> x509_cert::der::Result<()> {
            ExtendedKeyUsage(vec![ID_KP_TIME_STAMPING]).encode(writer)
        }
    }

    impl AsExtension for TimeStampingOnly {
        fn critical(&self, _: &Name, _: &[x509_cert::ext::Extension]) -> bool {
            true
        }
    }

    /// `subject`'s certificate for the token key `key`, issued in the token by `issuer_key`
    /// under `issuer`, valid as long as the root.
    fn issue(
        hsm: &Hsm,
        issuer: &Certificate,
        issuer_key: &str,
        key: &str,
        subject: &str,
        ca: bool,
    ) -> Certificate {
        hsm.ensure_rsa_key(key).expect("key");
        let signer = KeySigner::new(hsm, issuer_key).expect("issuer key");
        let issuer_name = issuer.tbs_certificate.subject.clone();
        let profile = if ca {
            Profile::SubCA {
                issuer: issuer_name,
                path_len_constraint: None,
            }
        } else {
            Profile::Leaf {
                issuer: issuer_name,
                enable_key_agreement: false,
                enable_key_encipherment: false,
            }
        };
        let mut serial = rand::random::<[u8; 16]>();
        serial[0] = serial[0] % 0x7f + 1;
        let spki = SubjectPublicKeyInfoOwned::from_key(hsm.public_key(key).expect("public key"))
            .expect("spki");
        let mut builder = CertificateBuilder::new(
            profile,
            SerialNumber::new(&serial).expect("serial"),
            issuer.tbs_certificate.validity,
            Name::from_str(subject).expect("name"),
            spki,
            &signer,
        )
        .expect("builder");
        if !ca {
            builder.add_extension(&TimeStampingOnly).expect("EKU");
        }
        let tbs = builder.finalize().expect("tbs");
        let signature = hsm.sign_sha256_rsa(issuer_key, &tbs).expect("sign");
        builder
            .assemble(BitString::from_bytes(&signature).expect("bit string"))
            .expect("certificate")
    }

    /// A development TSA five intermediate CAs below the development root, made once per
    /// test process (tests run in parallel and share the token).
    pub fn tsa(seal: &server::sealing::seal::Seal) -> DevTsa {
        static TSA: OnceLock<DevTsa> = OnceLock::new();
        TSA.get_or_init(|| make_tsa(seal, 5)).clone()
    }

    fn make_tsa(seal: &server::sealing::seal::Seal, depth: usize) -> DevTsa {
        let pki = seal.dev_pki.as_ref().expect("development PKI");
        let hsm = &seal.hsm;
        let mut issuers = vec![pki.root.clone()];
        let mut issuer_key = evidence::pki::Role::Root.key_label().to_owned();
        for i in 1..=depth {
            let key = format!("test-chain-ca-{i}");
            let issuer = issuers.last().expect("issuer");
            let subject = format!("CN=Pli test intermediate CA {i},O=Pli (tests),C=FR");
            let ca = issue(hsm, issuer, &issuer_key, &key, &subject, true);
            issuers.push(ca);
            issuer_key = key;
        }
        let issuer = issuers.last().expect("issuer");
        let subject = "CN=Pli test time-stamping unit,O=Pli (tests),C=FR";
        let certificate = issue(hsm, issuer, &issuer_key, "test-chain-tsa", subject, false);
        issuers.reverse();
        let policy = "1.3.6.1.4.1.99999.3161".parse().expect("policy");
        DevTsa::new(hsm, "test-chain-tsa", certificate, issuers, policy).expect("TSA")
    }

    /// Serves `tsa` at `http://127.0.0.1:PORT/tsa` for the rest of the test, answering
    /// 503 Service Unavailable while `up` is false; returns the URL.
    pub async fn serve(tsa: DevTsa, up: Arc<AtomicBool>) -> String {
        use axum::extract::State;
        use axum::http::StatusCode;
        use axum::http::header::CONTENT_TYPE;
        use axum::response::{IntoResponse, Response};

        async fn answer(
            State((tsa, up)): State<(DevTsa, Arc<AtomicBool>)>,
            body: axum::body::Bytes,
        ) -> Response {
            if !up.load(Ordering::SeqCst) {
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
            let reply = tokio::task::spawn_blocking(move || tsa.respond(&body, SystemTime::now()))
                .await
                .expect("TSA task");
            ([(CONTENT_TYPE, "application/timestamp-reply")], reply).into_response()
        }

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/tsa", listener.local_addr().expect("address"));
        let router = axum::Router::new()
            .route("/tsa", axum::routing::post(answer))
            .with_state((tsa, up));
        tokio::spawn(async move { axum::serve(listener, router).await });
        url
    }
}
