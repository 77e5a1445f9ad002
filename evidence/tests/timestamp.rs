//! EVD-02: every evidence carries an RFC 3161 time-stamp from a configurable TSA.
//!
//! Real peers only: the development TSA signs in a SoftHSM token and `openssl ts` judges its
//! answers; certomancer (a Python test PKI) is an independent TSA for the HTTP client; small
//! local HTTP servers (tokio) replay, rewrite or mangle answers as a hostile network would.
//!
//! One SoftHSM token directory per test process (`SOFTHSM2_CONF` is read at `C_Initialize`),
//! one token and one development PKI shared by the tests.
//!
//! Needs softhsm2 (module path overridable with `PLI_PKCS11_MODULE`), openssl, and
//! certomancer on `PATH` (`source scripts/env.sh` adds `$PLI_CACHE/venv/bin`).

#![allow(
    clippy::unwrap_used,
    reason = "tests: a panic showing the unexpected value is the failure report"
)]

mod common;

use std::fs;
use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use der::asn1::{Int, OctetString};
use der::{Decode, DecodePem, Encode};
use evidence::timestamp::{
    DevTsa, HttpTimeStamper, LocalTimeStamper, TimeStampRequest, TimeStamper, TimestampError,
    TsaTrust, token_from_response, verify_token,
};
use evidence::{Certificate, DevPki, Error, Hsm};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use tokio::net::{TcpListener, TcpStream};
use x509_tsp::{MessageImprint, TimeStampReq, TspVersion};

use common::tools::{hex, output};

/// The policy of the development TSA in these tests (an obviously fake arc; const-oid 0.9
/// cannot encode the X.660 example arc 2.999).
const POLICY: &str = "1.2.3.4.3161.1";

/// certomancer's fixed TSA policy.
const CERTOMANCER_POLICY: &str = "1.3.6.1.4.1.4146.2.3";

// ---------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------

/// This process's SoftHSM token directory, announced through `SOFTHSM2_CONF` before the
/// first PKCS#11 call (as in tests/softhsm.rs).
fn softhsm_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| common::softhsm_dir("softhsm-tsp-"))
}

/// The shared token, development PKI and development TSA.
struct Dev {
    hsm: Hsm,
    pki: DevPki,
    pki_dir: PathBuf,
    tsa: DevTsa,
}

fn dev() -> &'static Dev {
    static DEV: OnceLock<Dev> = OnceLock::new();
    DEV.get_or_init(|| {
        let pki_dir = softhsm_dir().join("pki");
        let (hsm, pki) = common::dev_token(softhsm_dir(), "t-tsa");
        let tsa = DevTsa::from_dev_pki(&hsm, &pki, policy()).unwrap();
        Dev {
            hsm,
            pki,
            pki_dir,
            tsa,
        }
    })
}

fn policy() -> const_oid::ObjectIdentifier {
    const_oid::ObjectIdentifier::from_str(POLICY).unwrap()
}

fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// Runs openssl; returns whether it succeeded and its stdout + stderr.
fn openssl(args: &[&str]) -> (bool, String) {
    output("openssl", args)
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A granted token from the development TSA for `digest`, with the request's nonce.
fn dev_token(digest: &[u8; 32]) -> (Vec<u8>, Vec<u8>) {
    let request = TimeStampRequest::new(digest, None).unwrap();
    let response = dev().tsa.respond(&request.der, SystemTime::now());
    (token_from_response(&response).unwrap(), request.nonce)
}

// ---------------------------------------------------------------------------------------
// The development TSA, judged by OpenSSL
// ---------------------------------------------------------------------------------------

/// EVD-02: a development TSA token verifies with `openssl ts -verify` against the
/// development root, and `openssl ts -reply -text` shows our policy and nonce; requests
/// written by OpenSSL itself (SHA-256, SHA-384, SHA-512 imprints) are answered too.
#[test]
fn evd02_dev_tsa_token_passes_openssl_verify() {
    let dev = dev();
    let work = tempfile::tempdir().unwrap();
    let root = dev.pki_dir.join("root.pem");
    let digest = sha256(b"EVD-02: evidence for letter 42");
    let request = TimeStampRequest::new(&digest, Some(policy())).unwrap();
    let response = dev.tsa.respond(&request.der, SystemTime::now());
    let tsr = work.path().join("resp.tsr");
    fs::write(&tsr, &response).unwrap();

    let (ok, out) = openssl(&[
        "ts",
        "-verify",
        "-digest",
        &hex(&digest),
        "-in",
        path_str(&tsr),
        "-CAfile",
        path_str(&root),
    ]);
    assert!(ok && out.contains("Verification: OK"), "{out}");

    let (ok, text) = openssl(&["ts", "-reply", "-in", path_str(&tsr), "-text"]);
    assert!(ok, "{text}");
    assert!(text.contains("Status: Granted."), "{text}");
    assert!(text.contains(&format!("Policy OID: {POLICY}")), "{text}");
    let nonce = format!("Nonce: 0x{}", hex(&request.nonce).to_uppercase());
    assert!(text.contains(&nonce), "expected {nonce:?} in\n{text}");
    assert!(text.contains("Hash Algorithm: sha256"), "{text}");
    assert!(text.contains("Accuracy: 0x01 seconds"), "{text}");
    assert!(text.contains("(NOT QUALIFIED)"), "{text}");

    for (algorithm, data) in [("-sha256", "a"), ("-sha384", "b"), ("-sha512", "c")] {
        let data_file = work.path().join(format!("data-{data}"));
        fs::write(&data_file, data).unwrap();
        let tsq = work.path().join(format!("q{algorithm}.tsq"));
        let (ok, out) = openssl(&[
            "ts",
            "-query",
            "-data",
            path_str(&data_file),
            algorithm,
            "-cert",
            "-out",
            path_str(&tsq),
        ]);
        assert!(ok, "{out}");
        let response = dev.tsa.respond(&fs::read(&tsq).unwrap(), SystemTime::now());
        let tsr = work.path().join(format!("r{algorithm}.tsr"));
        fs::write(&tsr, &response).unwrap();
        // -queryfile: OpenSSL checks the imprint and the nonce of its own request.
        let (ok, out) = openssl(&[
            "ts",
            "-verify",
            "-queryfile",
            path_str(&tsq),
            "-in",
            path_str(&tsr),
            "-CAfile",
            path_str(&root),
        ]);
        assert!(ok && out.contains("Verification: OK"), "{algorithm}: {out}");
    }
}

/// EVD-02: OpenSSL refuses a development TSA token checked against another digest.
#[test]
fn evd02_openssl_refuses_dev_token_for_another_digest() {
    let dev = dev();
    let work = tempfile::tempdir().unwrap();
    let digest = sha256(b"the sealed evidence");
    let request = TimeStampRequest::new(&digest, None).unwrap();
    let tsr = work.path().join("resp.tsr");
    fs::write(&tsr, dev.tsa.respond(&request.der, SystemTime::now())).unwrap();
    let (ok, out) = openssl(&[
        "ts",
        "-verify",
        "-digest",
        &hex(&sha256(b"another document")),
        "-in",
        path_str(&tsr),
        "-CAfile",
        path_str(&dev.pki_dir.join("root.pem")),
    ]);
    assert!(!ok, "{out}");
    assert!(out.contains("message imprint mismatch"), "{out}");
}

/// EVD-02: bad requests get a rejection response (status 2) with the right failInfo, as
/// OpenSSL reads it; no input makes the development TSA panic.
#[test]
fn evd02_dev_tsa_rejects_bad_requests_without_panicking() {
    let dev = dev();
    let digest = sha256(b"x");
    let valid = TimeStampRequest::new(&digest, None).unwrap().der;

    let request_with = |oid: const_oid::ObjectIdentifier, hashed: &[u8], version_2: bool| {
        let mut der = TimeStampReq {
            version: TspVersion::V1,
            message_imprint: MessageImprint {
                hash_algorithm: AlgorithmIdentifierOwned {
                    oid,
                    parameters: None,
                },
                hashed_message: OctetString::new(hashed).unwrap(),
            },
            req_policy: None,
            nonce: Some(Int::new(&[0x12, 0x34]).unwrap()),
            cert_req: true,
            extensions: None,
        }
        .to_der()
        .unwrap();
        if version_2 {
            // 30 len 02 01 01: the version's value byte.
            assert_eq!(&der[2..5], [0x02, 0x01, 0x01]);
            der[4] = 2;
        }
        der
    };
    let sha1 = const_oid::db::rfc5912::ID_SHA_1;
    let sha256_oid = const_oid::db::rfc5912::ID_SHA_256;
    let mut noise = Vec::new();
    let mut block = sha256(b"noise");
    for _ in 0..40 {
        noise.extend_from_slice(&block);
        block = sha256(&block);
    }
    let other_policy = TimeStampRequest::new(
        &digest,
        Some(const_oid::ObjectIdentifier::new_unwrap("1.2.3.4.9")),
    )
    .unwrap()
    .der;

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "badDataFormat"),
        ("text", b"please time-stamp this".to_vec(), "badDataFormat"),
        ("noise", noise, "badDataFormat"),
        (
            "truncated",
            valid[..valid.len() - 3].to_vec(),
            "badDataFormat",
        ),
        (
            "trailing data",
            [valid.as_slice(), &[0]].concat(),
            "badDataFormat",
        ),
        ("sha1", request_with(sha1, &[0; 20], false), "badAlg"),
        (
            "short digest",
            request_with(sha256_oid, &[0; 20], false),
            "badDataFormat",
        ),
        (
            "version 2",
            request_with(sha256_oid, &[0; 32], true),
            "badRequest",
        ),
        ("other policy", other_policy, "unacceptedPolicy"),
    ];
    let work = tempfile::tempdir().unwrap();
    for (name, request, fail_info) in cases {
        let response = dev.tsa.respond(&request, SystemTime::now());
        match token_from_response(&response) {
            Err(TimestampError::Rejected {
                status,
                fail_info: found,
                text,
            }) => {
                assert_eq!(status, "rejection", "{name}");
                assert_eq!(found, fail_info, "{name}");
                assert!(!text.is_empty(), "{name}");
            }
            other => panic!("{name}: expected a rejection, got {other:?}"),
        }
        // OpenSSL reads it as a rejection too.
        let tsr = work.path().join("rejected.tsr");
        fs::write(&tsr, &response).unwrap();
        let (ok, text) = openssl(&["ts", "-reply", "-in", path_str(&tsr), "-text"]);
        assert!(ok && text.contains("Status: Rejected."), "{name}: {text}");
    }

    // Every single-byte corruption of a valid request still gets a well-formed answer.
    for i in 0..valid.len() {
        let mut corrupted = valid.clone();
        corrupted[i] ^= 0x5a;
        let response = dev.tsa.respond(&corrupted, SystemTime::now());
        match token_from_response(&response) {
            Ok(_) | Err(TimestampError::Rejected { .. }) => {}
            Err(other) => panic!("byte {i}: malformed answer: {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// verify_token and LocalTimeStamper
// ---------------------------------------------------------------------------------------

/// EVD-02: `verify_token` accepts the development TSA's tokens and reports what they say;
/// it refuses another digest, another nonce, a flipped byte, an untrusted root, a token
/// without the signer's certificate.
#[test]
fn evd02_verify_token_accepts_dev_tokens_and_refuses_altered_ones() {
    let dev = dev();
    let roots = [dev.pki.root.clone()];
    let digest = sha256(b"verify me");
    let before = SystemTime::now() - Duration::from_secs(1);
    let (token, nonce) = dev_token(&digest);

    let verified = verify_token(&token, &digest, Some(&nonce), &roots).unwrap();
    assert_eq!(verified.der, token);
    assert_eq!(verified.policy, policy());
    assert_eq!(verified.nonce.as_deref(), Some(nonce.as_slice()));
    assert_eq!(verified.accuracy, Some(Duration::from_secs(1)));
    assert_eq!(verified.serial.len(), 12);
    assert!(verified.gen_time >= before && verified.gen_time <= SystemTime::now());
    assert!(
        verified
            .tsa_subject()
            .contains("time-stamping unit (NOT QUALIFIED)"),
        "{}",
        verified.tsa_subject()
    );
    assert_eq!(verified.tsa_certificate, dev.pki.tsa);

    let error = verify_token(&token, &sha256(b"other"), Some(&nonce), &roots).unwrap_err();
    assert!(
        matches!(error, TimestampError::ImprintMismatch { .. }),
        "{error:?}"
    );
    let error = verify_token(&token, &digest, Some(&[0x42; 16]), &roots).unwrap_err();
    assert!(
        matches!(error, TimestampError::NonceMismatch { .. }),
        "{error:?}"
    );

    // The last byte belongs to the RSA signature.
    let mut flipped = token.clone();
    *flipped.last_mut().unwrap() ^= 0x01;
    let error = verify_token(&flipped, &digest, Some(&nonce), &roots).unwrap_err();
    assert!(
        matches!(error, TimestampError::BadSignature { .. }),
        "{error:?}"
    );

    // A changed genTime digit: the signed message-digest no longer matches the TSTInfo.
    let at = token
        .windows(2)
        .position(|w| w == [0x18, 0x0f])
        .expect("genTime in the token")
        + 2
        + 13; // last digit of the seconds
    let mut flipped = token.clone();
    flipped[at] = if flipped[at] == b'0' { b'1' } else { b'0' };
    let error = verify_token(&flipped, &digest, Some(&nonce), &roots).unwrap_err();
    assert!(
        matches!(error, TimestampError::BadSignature { .. }),
        "{error:?}"
    );

    let error = verify_token(
        &token,
        &digest,
        Some(&nonce),
        std::slice::from_ref(&dev.pki.seal),
    )
    .unwrap_err();
    assert!(
        matches!(error, TimestampError::UntrustedTsa { .. }),
        "{error:?}"
    );
    let error = verify_token(&token, &digest, Some(&nonce), &[]).unwrap_err();
    assert!(
        matches!(error, TimestampError::UntrustedTsa { .. }),
        "{error:?}"
    );

    let error = verify_token(b"\x30\x03\x02\x01\x01", &digest, None, &roots).unwrap_err();
    assert!(
        matches!(error, TimestampError::Malformed { .. }),
        "{error:?}"
    );

    // certReq false: the TSA leaves out its certificate, the signer cannot be found.
    let request = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            hash_algorithm: AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::ID_SHA_256,
                parameters: None,
            },
            hashed_message: OctetString::new(digest.as_slice()).unwrap(),
        },
        req_policy: None,
        nonce: None,
        cert_req: false,
        extensions: None,
    };
    let response = dev
        .tsa
        .respond(&request.to_der().unwrap(), SystemTime::now());
    let token = token_from_response(&response).unwrap();
    let error = verify_token(&token, &digest, None, &roots).unwrap_err();
    assert!(
        matches!(error, TimestampError::SignerCertificateNotFound),
        "{error:?}"
    );
}

/// EVD-02, issue 11: `TsaTrust` verifies a TSA certificate's path once, then checks only
/// the validity of the kept path — while each token's own signature, imprint and nonce are
/// still checked. A token from another TSA whose certificates carry the same names but other
/// keys (an impostor chain) is refused even after the genuine path was kept, and a refused
/// path is not kept.
#[test]
fn evd02_tsa_trust_verifies_the_chain_once_and_refuses_other_chains() {
    let dev = dev();
    let trust = TsaTrust::new(vec![dev.pki.root.clone()]);
    let digest = sha256(b"trusted once");
    assert_eq!(trust.cached_paths(), 0);
    for _ in 0..3 {
        let (token, nonce) = dev_token(&digest);
        let verified = trust.verify_token(&token, &digest, Some(&nonce)).unwrap();
        assert_eq!(verified.tsa_certificate, dev.pki.tsa);
    }
    assert_eq!(
        trust.cached_paths(),
        1,
        "one TSA certificate, one kept path"
    );

    // The token's own checks still run with the path kept.
    let (token, nonce) = dev_token(&digest);
    let mut flipped = token.clone();
    *flipped.last_mut().unwrap() ^= 0x01;
    let error = trust
        .verify_token(&flipped, &digest, Some(&nonce))
        .unwrap_err();
    assert!(
        matches!(error, TimestampError::BadSignature { .. }),
        "{error:?}"
    );
    let error = trust
        .verify_token(&token, &sha256(b"other"), Some(&nonce))
        .unwrap_err();
    assert!(
        matches!(error, TimestampError::ImprintMismatch { .. }),
        "{error:?}"
    );
    let error = trust
        .verify_token(&token, &digest, Some(&[0x42; 16]))
        .unwrap_err();
    assert!(
        matches!(error, TimestampError::NonceMismatch { .. }),
        "{error:?}"
    );

    // Another token, same names, other keys: its TSA certificate is not the kept one, and
    // its issuer's name is the trusted root's but not its key.
    let (other_hsm, other_pki) =
        common::dev_token(&softhsm_dir().join("impostor"), "t-tsa-impostor");
    assert_eq!(
        other_pki.root.tbs_certificate.subject,
        dev.pki.root.tbs_certificate.subject
    );
    let impostor = DevTsa::from_dev_pki(&other_hsm, &other_pki, policy()).unwrap();
    let request = TimeStampRequest::new(&digest, None).unwrap();
    let token = token_from_response(&impostor.respond(&request.der, SystemTime::now())).unwrap();
    for _ in 0..2 {
        let error = trust
            .verify_token(&token, &digest, Some(&request.nonce))
            .unwrap_err();
        assert!(
            matches!(error, TimestampError::UntrustedTsa { .. }),
            "{error:?}"
        );
    }
    assert_eq!(trust.cached_paths(), 1, "a refused path is not kept");

    // A trust without the TSA's root refuses the genuine token, every time.
    let wrong = TsaTrust::new(vec![dev.pki.seal.clone()]);
    let (token, nonce) = dev_token(&digest);
    for _ in 0..2 {
        let error = wrong
            .verify_token(&token, &digest, Some(&nonce))
            .unwrap_err();
        assert!(
            matches!(error, TimestampError::UntrustedTsa { .. }),
            "{error:?}"
        );
    }
    assert_eq!(wrong.cached_paths(), 0);
}

/// Issue 11: the built-in TSA answers from its blocking entry point as from the async one,
/// and checks what it returns.
#[test]
fn evd02_local_time_stamper_blocking_round_trip() {
    let dev = dev();
    let stamper = LocalTimeStamper(dev.tsa.clone());
    let digest = sha256(b"blocking");
    let token = stamper.timestamp_blocking(&digest).unwrap();
    let verified = verify_token(
        &token.der,
        &digest,
        None,
        std::slice::from_ref(&dev.pki.root),
    )
    .unwrap();
    assert_eq!(verified.serial, token.serial);
}

/// EVD-02: the development TSA refuses, at construction, a certificate that is not a
/// time-stamping certificate or not for its key.
#[test]
fn evd02_dev_tsa_checks_its_certificate() {
    let dev = dev();
    let root = vec![dev.pki.root.clone()];
    let error = DevTsa::new(
        &dev.hsm,
        "seal",
        dev.pki.seal.clone(),
        root.clone(),
        policy(),
    )
    .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timestamp(TimestampError::NotTsaCertificate { .. })
        ),
        "{error:?}"
    );
    let error = DevTsa::new(&dev.hsm, "dev-tsa", dev.pki.seal.clone(), root, policy()).unwrap_err();
    assert!(
        matches!(error, Error::CertificateKeyMismatch { .. }),
        "{error:?}"
    );
}

/// EVD-02: `LocalTimeStamper` (`tsa.url = "builtin"`) returns checked tokens with increasing
/// serial numbers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evd02_local_time_stamper_round_trip() {
    let dev = dev();
    let stamper: Box<dyn TimeStamper> = Box::new(LocalTimeStamper(dev.tsa.clone()));
    let digest = sha256(b"local");
    let first = stamper.timestamp(&digest).await.unwrap();
    let second = stamper.timestamp(&digest).await.unwrap();
    let verified = verify_token(
        &first.der,
        &digest,
        None,
        std::slice::from_ref(&dev.pki.root),
    )
    .unwrap();
    assert_eq!(verified.gen_time, first.gen_time);
    assert_eq!(verified.serial, first.serial);
    assert!(second.serial > first.serial, "serials must increase");
    let age = SystemTime::now().duration_since(first.gen_time).unwrap();
    assert!(age < Duration::from_secs(10), "{age:?}");
}

// ---------------------------------------------------------------------------------------
// HttpTimeStamper against certomancer and misbehaving servers
// ---------------------------------------------------------------------------------------

/// certomancer's development server, killed when dropped.
struct Certomancer {
    child: Child,
    port: u16,
    root: Certificate,
    /// Keys, configuration and log; removed after the child is killed.
    _dir: tempfile::TempDir,
}

impl Drop for Certomancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// certomancer: on `PATH`, else in the project's Python venv (`$PLI_CACHE/venv/bin`, by
/// default `~/.cache/pli/venv/bin`, where scripts/setup.sh installs it).
fn find_certomancer() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default();
    let cache = std::env::var_os("PLI_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache/pli")));
    on_path
        .into_iter()
        .chain(cache.map(|cache| cache.join("venv/bin")))
        .map(|dir| dir.join("certomancer"))
        .find(|path| path.is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// certomancer configuration: a root, a TSA certificate with critical EKU timeStamping and
/// one with a non-critical EKU, each behind a time-stamping service.
const CERTOMANCER_CONFIG: &str = r#"
external-url-prefix: "http://127.0.0.1:PORT"
keysets:
  testing:
    keys:
      root:
        path: root.key.pem
      tsa:
        path: tsa.key.pem
pki-architectures:
  testing:
    keyset: testing
    entity-defaults:
      country-name: BE
      organization-name: Certomancer test PKI
    entities:
      root:
        common-name: Certomancer Root CA
      tsa:
        common-name: Certomancer TSA
    certs:
      root:
        subject: root
        issuer: root
        validity:
          valid-from: "2020-01-01T00:00:00+0000"
          valid-to: "2100-01-01T00:00:00+0000"
        extensions:
          - id: basic_constraints
            critical: true
            value:
              ca: true
          - id: key_usage
            critical: true
            smart-value:
              schema: key-usage
              params: [digital_signature, key_cert_sign, crl_sign]
      tsa:
        issuer: root
        validity:
          valid-from: "2020-01-01T00:00:00+0000"
          valid-to: "2100-01-01T00:00:00+0000"
        extensions:
          - id: key_usage
            critical: true
            smart-value:
              schema: key-usage
              params: [digital_signature]
          - id: extended_key_usage
            critical: true
            value: [time_stamping]
      tsa-lax:
        subject: tsa
        subject-key: tsa
        issuer: root
        validity:
          valid-from: "2020-01-01T00:00:00+0000"
          valid-to: "2100-01-01T00:00:00+0000"
        extensions:
          - id: extended_key_usage
            critical: false
            value: [time_stamping]
    services:
      time-stamping:
        tsa:
          signing-key: tsa
          signing-cert: tsa
        tsa-lax:
          signing-key: tsa
          signing-cert: tsa-lax
"#;

impl Certomancer {
    /// Generates the keys, writes the configuration, fetches the root certificate and
    /// starts `certomancer animate` on a free port; waits until it accepts connections.
    fn start() -> Self {
        let exe = find_certomancer().unwrap_or_else(|| {
            panic!(
                "certomancer not found on PATH nor in $PLI_CACHE/venv/bin (default \
                 ~/.cache/pli/venv/bin): install it with scripts/setup.sh"
            )
        });
        let dir = tempfile::tempdir().unwrap();
        for key in ["root", "tsa"] {
            let out = dir.path().join(format!("{key}.key.pem"));
            let (ok, text) = openssl(&[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                path_str(&out),
            ]);
            assert!(ok, "{text}");
        }
        let port = free_port();
        let config = dir.path().join("c.yml");
        fs::write(
            &config,
            CERTOMANCER_CONFIG.replace("PORT", &port.to_string()),
        )
        .unwrap();

        let log_path = dir.path().join("animate.log");
        let log = fs::File::create(&log_path).unwrap();
        let child = Command::new(&exe)
            .arg("--config")
            .arg(&config)
            .args(["animate", "--no-web-ui", "--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));

        // While it starts, fetch the root certificate with a second process.
        let root_pem = dir.path().join("root.pem");
        let output = Command::new(&exe)
            .arg("--config")
            .arg(&config)
            .args(["summon", "testing", "root"])
            .arg(&root_pem)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "certomancer summon failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let root = Certificate::from_pem(fs::read(&root_pem).unwrap()).unwrap();

        let mut certomancer = Self {
            child,
            port,
            root,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = certomancer.child.try_wait().unwrap() {
                panic!(
                    "certomancer animate exited ({status}):\n{}",
                    fs::read_to_string(&log_path).unwrap_or_default()
                );
            }
            if std::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                return certomancer;
            }
            assert!(
                Instant::now() < deadline,
                "certomancer did not listen on port {port} within 30 s:\n{}",
                fs::read_to_string(&log_path).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn tsa_url(&self, service: &str) -> String {
        format!("http://127.0.0.1:{}/testing/tsa/{service}", self.port)
    }
}

/// How a local test server answers each request.
enum Reply {
    /// Always the same answer.
    Fixed {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// Reads the request and never answers.
    Silent,
    /// Forwards the request to `upstream` with the first digest byte changed (nonce kept).
    RewriteDigest { upstream: String },
    /// The development TSA, as the server's `/tsa` endpoint serves it.
    DevTsa,
}

/// Starts a one-route HTTP/1.1 server on 127.0.0.1 (plain tokio sockets, one request per
/// connection) and returns its URL.
async fn serve(reply: Reply) -> String {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let address: SocketAddr = listener.local_addr().unwrap();
    let reply = Arc::new(reply);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let reply = Arc::clone(&reply);
            tokio::spawn(async move { answer(stream, &reply).await });
        }
    });
    format!("http://{address}/tsa")
}

async fn answer(stream: TcpStream, reply: &Reply) {
    let Some(body) = read_request(&stream).await else {
        return;
    };
    let (status, content_type, body) = match reply {
        Reply::Fixed {
            status,
            content_type,
            body,
        } => (*status, content_type.to_string(), body.clone()),
        Reply::Silent => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            return;
        }
        Reply::RewriteDigest { upstream } => {
            let mut request = TimeStampReq::from_der(&body).unwrap();
            let mut digest = request.message_imprint.hashed_message.as_bytes().to_vec();
            digest[0] ^= 0xff;
            request.message_imprint.hashed_message = OctetString::new(digest).unwrap();
            let response = reqwest::Client::new()
                .post(upstream)
                .header("content-type", "application/timestamp-query")
                .body(request.to_der().unwrap())
                .send()
                .await
                .unwrap();
            let content_type = response.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_owned();
            let status = response.status().as_u16();
            (
                status,
                content_type,
                response.bytes().await.unwrap().to_vec(),
            )
        }
        Reply::DevTsa => {
            let response =
                tokio::task::spawn_blocking(move || dev().tsa.respond(&body, SystemTime::now()))
                    .await
                    .unwrap();
            (200, "application/timestamp-reply".to_owned(), response)
        }
    };
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        if status == 200 { "OK" } else { "Test" },
        body.len()
    );
    write_all(&stream, &[head.as_bytes(), &body].concat()).await;
}

/// The body of one HTTP request (headers up to the blank line, then Content-Length bytes).
async fn read_request(stream: &TcpStream) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let headers = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length = headers
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return Some(data[end + 4..end + 4 + length].to_vec());
            }
        }
        stream.readable().await.ok()?;
        match stream.try_read(&mut buffer) {
            Ok(0) => return None,
            Ok(n) => data.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Err(_) => return None,
        }
    }
}

async fn write_all(stream: &TcpStream, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        if stream.writable().await.is_err() {
            return;
        }
        match stream.try_write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Err(_) => return,
        }
    }
}

/// EVD-02 with an independent TSA (certomancer): `HttpTimeStamper` gets a checked token
/// when certomancer's root is trusted, and refuses it when only our development root is,
/// when the TSA certificate's EKU is not critical, when a response is replayed (nonce),
/// when a proxy changed the digest (imprint), and when the URL answers 404 HTML.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evd02_http_time_stamper_against_certomancer() {
    let certomancer = tokio::task::spawn_blocking(Certomancer::start)
        .await
        .unwrap();
    let url = certomancer.tsa_url("tsa");
    let trusted = vec![certomancer.root.clone()];
    let digest = sha256(b"sealed by Pli, stamped by certomancer");

    // A valid token, through the whole client path (with basic auth, which certomancer ignores).
    let stamper = HttpTimeStamper::builder(&url, trusted.clone())
        .basic_auth("pli", "secret")
        .timeouts(Duration::from_secs(5), Duration::from_secs(20))
        .build()
        .unwrap();
    let token = stamper.timestamp(&digest).await.unwrap();
    let verified = verify_token(&token.der, &digest, None, &trusted).unwrap();
    assert_eq!(verified.policy.to_string(), CERTOMANCER_POLICY);
    assert!(verified.tsa_subject().contains("Certomancer TSA"));
    let skew = match SystemTime::now().duration_since(verified.gen_time) {
        Ok(age) => age,
        Err(ahead) => ahead.duration(),
    };
    assert!(skew < Duration::from_secs(60), "{skew:?}");
    // certomancer writes genTime with microseconds (x509-tsp's TstInfo cannot read them);
    // a whole second happens once in a million.
    let since_epoch = verified
        .gen_time
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap();
    assert_ne!(since_epoch.subsec_nanos(), 0, "expected fractional seconds");

    // Only our development root trusted.
    let ours = HttpTimeStamper::new(&url, vec![dev().pki.root.clone()]).unwrap();
    let error = ours.timestamp(&digest).await.unwrap_err();
    assert!(
        matches!(&error, TimestampError::UntrustedTsa { subject, .. } if subject.contains("Certomancer TSA")),
        "{error:?}"
    );

    // A TSA certificate whose timeStamping EKU is not critical.
    let lax = HttpTimeStamper::new(certomancer.tsa_url("tsa-lax"), trusted.clone()).unwrap();
    let error = lax.timestamp(&digest).await.unwrap_err();
    assert!(
        matches!(error, TimestampError::NotTsaCertificate { .. }),
        "{error:?}"
    );

    // A replayed response: valid, trusted, same digest, but for an earlier request.
    let earlier = TimeStampRequest::new(&digest, None).unwrap();
    let stored = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/timestamp-query")
        .body(earlier.der)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let replay = serve(Reply::Fixed {
        status: 200,
        content_type: "application/timestamp-reply",
        body: stored,
    })
    .await;
    let error = HttpTimeStamper::new(replay, trusted.clone())
        .unwrap()
        .timestamp(&digest)
        .await
        .unwrap_err();
    assert!(
        matches!(error, TimestampError::NonceMismatch { .. }),
        "{error:?}"
    );

    // A proxy that has certomancer time-stamp another digest (our nonce kept).
    let rewrite = serve(Reply::RewriteDigest {
        upstream: url.clone(),
    })
    .await;
    let error = HttpTimeStamper::new(rewrite, trusted.clone())
        .unwrap()
        .timestamp(&digest)
        .await
        .unwrap_err();
    assert!(
        matches!(error, TimestampError::ImprintMismatch { .. }),
        "{error:?}"
    );

    // A wrong path: certomancer answers 404 with an HTML page.
    let wrong = certomancer.tsa_url("no-such-tsa");
    let error = HttpTimeStamper::new(&wrong, trusted)
        .unwrap()
        .timestamp(&digest)
        .await
        .unwrap_err();
    match &error {
        TimestampError::HttpStatus { url, status, body } => {
            assert_eq!(url, &wrong);
            assert_eq!(*status, 404);
            assert!(
                body.contains("text/html") && body.contains("not found"),
                "{body}"
            );
        }
        other => panic!("expected HTTP 404, got {other:?}"),
    }
    assert!(error.to_string().contains("404"), "{error}");

    // The Drop guard stops certomancer.
    let port = certomancer.port;
    drop(certomancer);
    assert!(
        std::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err(),
        "certomancer still listens on {port} after the guard was dropped"
    );
}

/// EVD-02: a closed port, a silent server, an HTML page served as 200, a TSA's rejection and
/// a malformed URL each give their own clear error; the development TSA served over HTTP
/// (as the server's `/tsa` endpoint) works with `HttpTimeStamper`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evd02_http_time_stamper_errors_are_distinct() {
    let digest = sha256(b"d");
    let roots = vec![
        tokio::task::spawn_blocking(|| dev().pki.root.clone())
            .await
            .unwrap(),
    ];

    // Closed port: connection refused, the URL in the error.
    let closed = format!("http://127.0.0.1:{}/tsa", free_port());
    let error = HttpTimeStamper::new(&closed, roots.clone())
        .unwrap()
        .timestamp(&digest)
        .await
        .unwrap_err();
    match &error {
        TimestampError::Unreachable { url, reason } => {
            assert_eq!(url, &closed);
            assert!(reason.to_lowercase().contains("refused"), "{reason}");
        }
        other => panic!("expected unreachable, got {other:?}"),
    }
    assert!(error.to_string().contains(&closed), "{error}");

    // A server that never answers: timeout.
    let silent = serve(Reply::Silent).await;
    let error = HttpTimeStamper::builder(&silent, roots.clone())
        .timeouts(Duration::from_secs(1), Duration::from_secs(1))
        .build()
        .unwrap()
        .timestamp(&digest)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, TimestampError::Unreachable { url, reason } if url == &silent && reason.contains("timed out")),
        "{error:?}"
    );

    // A web page answered with 200 OK.
    let html = serve(Reply::Fixed {
        status: 200,
        content_type: "text/html; charset=utf-8",
        body: b"<html><body>Welcome</body></html>".to_vec(),
    })
    .await;
    let error = HttpTimeStamper::new(&html, roots.clone())
        .unwrap()
        .timestamp(&digest)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, TimestampError::ContentType { content_type, .. } if content_type.starts_with("text/html")),
        "{error:?}"
    );

    // A TSA's rejection (the development TSA refusing garbage), status and failInfo reported.
    let rejection =
        tokio::task::spawn_blocking(|| dev().tsa.respond(b"garbage", SystemTime::now()))
            .await
            .unwrap();
    let rejecting = serve(Reply::Fixed {
        status: 200,
        content_type: "application/timestamp-reply",
        body: rejection,
    })
    .await;
    let error = HttpTimeStamper::new(&rejecting, roots.clone())
        .unwrap()
        .timestamp(&digest)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, TimestampError::Rejected { status, fail_info, .. } if status == "rejection" && fail_info == "badDataFormat"),
        "{error:?}"
    );
    assert!(error.to_string().contains("badDataFormat"), "{error}");

    // Garbage with the right content type.
    let garbage = serve(Reply::Fixed {
        status: 200,
        content_type: "application/timestamp-reply",
        body: b"not DER".to_vec(),
    })
    .await;
    let error = HttpTimeStamper::new(&garbage, roots.clone())
        .unwrap()
        .timestamp(&digest)
        .await
        .unwrap_err();
    assert!(
        matches!(error, TimestampError::Malformed { .. }),
        "{error:?}"
    );

    // URLs that cannot be a TSA.
    for bad in ["builtin", "ftp://tsa.example/", "http://"] {
        let error = HttpTimeStamper::new(bad, roots.clone()).unwrap_err();
        assert!(
            matches!(error, TimestampError::InvalidUrl { .. }),
            "{bad}: {error:?}"
        );
    }

    // The development TSA over HTTP, as the server exposes it at /tsa.
    let served = serve(Reply::DevTsa).await;
    let token = HttpTimeStamper::new(&served, roots.clone())
        .unwrap()
        .timestamp(&digest)
        .await
        .unwrap();
    verify_token(&token.der, &digest, None, &roots).unwrap();
}
