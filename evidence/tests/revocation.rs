//! The development PKI's revocation data against a real SoftHSM2 token, judged by OpenSSL:
//! the addresses in the certificates, the root's CRL (`openssl crl`, `openssl verify
//! -crl_check`) and its OCSP responder (`openssl ocsp`), with nothing revoked and with a
//! revoked seal certificate. Covers EVD-05 (the revocation data long-term evidence embeds)
//! and EVD-07 (the published certificates' status).
//!
//! Needs softhsm2 (module path overridable with `PLI_PKCS11_MODULE`) and openssl.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use evidence::pki::{DevRevocation, Revoked, Role};
use evidence::{DevPki, Hsm};

use common::tools::{output, path, run};

/// This process's token and development PKI, made once (three RSA-3072 key generations).
struct Fixture {
    hsm: Hsm,
    dir: PathBuf,
    pki: DevPki,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = common::softhsm_dir("revocation-");
        let (hsm, pki) = common::dev_token(&dir, "t-revocation");
        Fixture { hsm, dir, pki }
    })
}

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = fixture().dir.join(name);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The PEM file of `role` in the fixture's PKI directory.
fn pem(role: Role) -> String {
    path(&fixture().dir.join("pki").join(role.file_name()))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let file = dir.join(name);
    std::fs::write(&file, bytes).expect("write");
    path(&file)
}

fn revocation(revoked: Vec<Revoked>) -> DevRevocation {
    let Fixture { hsm, pki, .. } = fixture();
    DevRevocation::new(hsm, pki, revoked).expect("revocation services")
}

/// The serial number of a certificate as `openssl crl -text` prints it (upper-case hex).
fn serial_hex(role: Role) -> String {
    fixture()
        .pki
        .certificate(role)
        .tbs_certificate
        .serial_number
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

#[test]
fn seal_and_tsa_certificates_carry_the_revocation_addresses() {
    for role in [Role::Seal, Role::Tsa] {
        let text = run("openssl", &["x509", "-in", &pem(role), "-noout", "-text"]);
        for expected in [
            "X509v3 CRL Distribution Points",
            "URI:http://127.0.0.1:3000/pki/root.crl",
            "Authority Information Access",
            "OCSP - URI:http://127.0.0.1:3000/pki/ocsp",
            "CA Issuers - URI:http://127.0.0.1:3000/pki/root.cer",
            "X509v3 Subject Key Identifier",
            "X509v3 Authority Key Identifier",
        ] {
            assert!(
                text.contains(expected),
                "{role:?} lacks {expected}:\n{text}"
            );
        }
    }
    let root = run(
        "openssl",
        &["x509", "-in", &pem(Role::Root), "-noout", "-text"],
    );
    assert!(!root.contains("CRL Distribution Points"), "{root}");
    assert!(root.contains("X509v3 Subject Key Identifier"), "{root}");
}

#[test]
fn the_crl_verifies_with_openssl_and_revokes_nothing() {
    let dir = scratch("crl");
    let now = SystemTime::now();
    let crl = revocation(Vec::new()).crl(now).expect("CRL");
    let file = write(&dir, "root.crl", &crl);
    let (_, verified) = output(
        "openssl",
        &[
            "crl",
            "-in",
            &file,
            "-inform",
            "DER",
            "-CAfile",
            &pem(Role::Root),
            "-noout",
        ],
    );
    assert!(verified.contains("verify OK"), "{verified}");

    let text = run(
        "openssl",
        &["crl", "-in", &file, "-inform", "DER", "-noout", "-text"],
    );
    for expected in [
        "Version 2 (0x1)",
        "Signature Algorithm: sha256WithRSAEncryption",
        "Issuer: C = FR, O = Pli (development), CN = Pli development root CA (NOT QUALIFIED)",
        "Next Update:",
        "X509v3 CRL Number",
        "X509v3 Authority Key Identifier",
        "No Revoked Certificates.",
    ] {
        assert!(text.contains(expected), "CRL lacks {expected}:\n{text}");
    }
    let next = text.split("Next Update: ").nth(1).expect("next update");
    let next = next.lines().next().expect("date");
    assert!(
        next.contains(&year_month_day(now + Duration::from_secs(7 * 86_400))),
        "nextUpdate is in a week: {next}"
    );

    // The seal and TSA certificates verify with the CRL checked.
    let crl_pem = crl_as_pem(&dir, &file);
    for role in [Role::Seal, Role::Tsa] {
        let verdict = run(
            "openssl",
            &[
                "verify",
                "-crl_check",
                "-CAfile",
                &pem(Role::Root),
                "-CRLfile",
                &crl_pem,
                &pem(role),
            ],
        );
        assert!(verdict.trim_end().ends_with(": OK"), "{verdict}");
    }
}

#[test]
fn a_revoked_seal_certificate_shows_in_the_crl_and_in_ocsp() {
    let dir = scratch("revoked");
    let seal = &fixture().pki.seal;
    let services = revocation(vec![Revoked {
        serial: seal.tbs_certificate.serial_number.clone(),
        at: SystemTime::now() - Duration::from_secs(3600),
    }]);
    let file = write(
        &dir,
        "root.crl",
        &services.crl(SystemTime::now()).expect("CRL"),
    );
    let text = run(
        "openssl",
        &["crl", "-in", &file, "-inform", "DER", "-noout", "-text"],
    );
    assert!(text.contains("Revoked Certificates:"), "{text}");
    assert!(
        text.contains(&format!("Serial Number: {}", serial_hex(Role::Seal))),
        "the seal's serial is listed:\n{text}"
    );
    assert!(!text.contains(&serial_hex(Role::Tsa)), "{text}");

    let crl_pem = crl_as_pem(&dir, &file);
    let (ok, verdict) = output(
        "openssl",
        &[
            "verify",
            "-crl_check",
            "-CAfile",
            &pem(Role::Root),
            "-CRLfile",
            &crl_pem,
            &pem(Role::Seal),
        ],
    );
    assert!(!ok && verdict.contains("certificate revoked"), "{verdict}");

    let answer = ocsp(
        &services,
        &dir,
        &["-cert", &pem(Role::Seal), "-cert", &pem(Role::Tsa)],
    );
    assert!(answer.contains("Response verify OK"), "{answer}");
    assert!(answer.contains("seal.pem: revoked"), "{answer}");
    assert!(answer.contains("tsa.pem: good"), "{answer}");
}

#[test]
fn ocsp_says_good_for_the_seal_and_tsa_certificates() {
    let services = revocation(Vec::new());
    let (seal, tsa) = (pem(Role::Seal), pem(Role::Tsa));
    // SHA-1 CertIDs (openssl's default), then SHA-256 ones.
    for (name, hash) in [("ocsp-sha1", None), ("ocsp-sha256", Some("-sha256"))] {
        let dir = scratch(name);
        let mut args: Vec<&str> = hash.into_iter().collect();
        args.extend(["-cert", &seal, "-cert", &tsa]);
        let answer = ocsp(&services, &dir, &args);
        assert!(answer.contains("Response verify OK"), "{answer}");
        assert!(answer.contains("seal.pem: good"), "{answer}");
        assert!(answer.contains("tsa.pem: good"), "{answer}");
        assert!(answer.contains("This Update:"), "{answer}");
        assert!(answer.contains("Next Update:"), "{answer}");

        // The nonce is echoed; the responder is the root, by key.
        let nonce = |text: &str| {
            let after = text.split("OCSP Nonce:").nth(1).expect("a nonce");
            after
                .split_whitespace()
                .next()
                .expect("nonce value")
                .to_owned()
        };
        let asked = run(
            "openssl",
            &["ocsp", "-reqin", &path(&dir.join("req.der")), "-req_text"],
        );
        let text = run(
            "openssl",
            &[
                "ocsp",
                "-respin",
                &path(&dir.join("resp.der")),
                "-resp_text",
                "-noverify",
            ],
        );
        assert_eq!(nonce(&text), nonce(&asked), "{text}");
        assert!(
            text.contains("OCSP Response Status: successful (0x0)"),
            "{text}"
        );
        let key_id = run(
            "openssl",
            &[
                "x509",
                "-in",
                &pem(Role::Root),
                "-noout",
                "-ext",
                "subjectKeyIdentifier",
            ],
        );
        let key_id = key_id
            .lines()
            .nth(1)
            .expect("key id")
            .trim()
            .replace(':', "");
        assert!(text.contains(&format!("Responder Id: {key_id}")), "{text}");
    }
}

#[test]
fn a_response_made_without_a_request_verifies_with_openssl() {
    let dir = scratch("direct");
    let services = revocation(Vec::new());
    for role in [Role::Seal, Role::Tsa] {
        let response = services
            .response_for(fixture().pki.certificate(role), SystemTime::now())
            .expect("response");
        let file = write(&dir, "resp.der", &response);
        let root = pem(Role::Root);
        let answer = run(
            "openssl",
            &[
                "ocsp",
                "-issuer",
                &root,
                "-cert",
                &pem(role),
                "-respin",
                &file,
                "-CAfile",
                &root,
                "-no_nonce",
            ],
        );
        assert!(
            answer.contains(&format!("{}: good", role.file_name())),
            "{answer}"
        );
    }
}

#[test]
fn ocsp_says_unknown_unauthorized_or_malformed_when_it_must() {
    let services = revocation(Vec::new());

    let dir = scratch("unknown");
    let answer = ocsp(&services, &dir, &["-serial", "0x1234"]);
    assert!(answer.contains("Response verify OK"), "{answer}");
    assert!(answer.contains("0x1234: unknown"), "{answer}");

    // A certificate of another CA (made by openssl here).
    let dir = scratch("other-issuer");
    let other_key = path(&dir.join("other.key"));
    let other = path(&dir.join("other.pem"));
    run(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &other_key,
            "-out",
            &other,
            "-subj",
            "/CN=Another CA",
            "-days",
            "2",
        ],
    );
    let request = path(&dir.join("req.der"));
    run(
        "openssl",
        &[
            "ocsp", "-issuer", &other, "-serial", "0x01", "-reqout", &request,
        ],
    );
    let response = services.respond(
        &std::fs::read(&request).expect("request"),
        SystemTime::now(),
    );
    let text = response_text(&dir, &response);
    assert!(text.contains("unauthorized (6)"), "{text}");

    // Not a request at all.
    let dir = scratch("malformed");
    for garbage in [
        &b""[..],
        b"hello",
        &[0x30, 0x03, 0x02, 0x01, 0x01],
        &[0x30, 0x80],
    ] {
        let response = services.respond(garbage, SystemTime::now());
        let text = response_text(&dir, &response);
        assert!(text.contains("malformedrequest (1)"), "{text}");
    }
}

#[test]
fn a_new_public_url_reissues_the_leaves_and_ocsp_still_knows_the_old_ones() {
    let Fixture { hsm, .. } = fixture();
    let dir = scratch("moved").join("pki");
    let before =
        DevPki::ensure(hsm, &dir, "http://127.0.0.1:3000", SystemTime::now()).expect("ensure");
    let same =
        DevPki::ensure(hsm, &dir, "http://127.0.0.1:3000/", SystemTime::now()).expect("ensure");
    assert_eq!(same, before, "the same URL keeps every certificate");

    let moved =
        DevPki::ensure(hsm, &dir, "https://pli.example:8443", SystemTime::now()).expect("ensure");
    assert_eq!(moved.root, before.root, "the root carries no address");
    assert_ne!(moved.seal, before.seal);
    assert_ne!(moved.tsa, before.tsa);
    assert_eq!(
        moved.addresses().ocsp(),
        "https://pli.example:8443/pki/ocsp"
    );
    let text = run(
        "openssl",
        &[
            "x509",
            "-in",
            &path(&dir.join("seal.pem")),
            "-noout",
            "-text",
        ],
    );
    assert!(
        text.contains("URI:https://pli.example:8443/pki/root.crl"),
        "{text}"
    );

    // The earlier seal certificate (same key, same root) is still known: good, not unknown.
    let services = DevRevocation::new(hsm, &moved, Vec::new()).expect("services");
    let scratch = scratch("moved");
    let old_seal = write(
        &scratch,
        "old-seal.pem",
        before.pem(Role::Seal).expect("pem").as_bytes(),
    );
    let root = path(&dir.join("root.pem"));
    let request = path(&scratch.join("req.der"));
    run(
        "openssl",
        &[
            "ocsp", "-issuer", &root, "-cert", &old_seal, "-reqout", &request,
        ],
    );
    let response = services.respond(
        &std::fs::read(&request).expect("request"),
        SystemTime::now(),
    );
    let response_file = write(&scratch, "resp.der", &response);
    let answer = run(
        "openssl",
        &[
            "ocsp",
            "-issuer",
            &root,
            "-cert",
            &old_seal,
            "-respin",
            &response_file,
            "-CAfile",
            &root,
            "-no_nonce",
        ],
    );
    assert!(answer.contains("old-seal.pem: good"), "{answer}");
    assert!(dir.join("issued").read_dir().expect("issued").count() >= 5);

    let refused = DevPki::ensure(hsm, &dir, "ftp://pli.example", SystemTime::now())
        .expect_err("not an http URL");
    assert!(
        refused.to_string().contains("ftp://pli.example"),
        "{refused}"
    );
}

/// Asks `services` about the certificates `args` name (openssl makes the request, with a
/// nonce), then lets openssl check the response against the root; returns openssl's output.
/// (openssl checks the nonce only against a request it makes in the same run: the echo is
/// checked by [`ocsp_says_good_for_the_seal_and_tsa_certificates`].)
fn ocsp(services: &DevRevocation, dir: &Path, args: &[&str]) -> String {
    let root = pem(Role::Root);
    let request = path(&dir.join("req.der"));
    let mut make = vec!["ocsp", "-issuer", &root, "-reqout", &request];
    make.extend(args);
    run("openssl", &make);
    let response = services.respond(
        &std::fs::read(&request).expect("request"),
        SystemTime::now(),
    );
    let response_file = write(dir, "resp.der", &response);
    let mut check = vec![
        "ocsp",
        "-issuer",
        &root,
        "-respin",
        &response_file,
        "-CAfile",
        &root,
        "-no_nonce",
    ];
    check.extend(args);
    let (_, text) = output("openssl", &check);
    text
}

/// `openssl ocsp -resp_text` of a response that may carry no body.
fn response_text(dir: &Path, response: &[u8]) -> String {
    let file = write(dir, "resp.der", response);
    output(
        "openssl",
        &["ocsp", "-respin", &file, "-resp_text", "-noverify"],
    )
    .1
}

fn crl_as_pem(dir: &Path, der_file: &str) -> String {
    let out = path(&dir.join("root.crl.pem"));
    run(
        "openssl",
        &[
            "crl", "-in", der_file, "-inform", "DER", "-out", &out, "-outform", "PEM",
        ],
    );
    out
}

/// "Mon DD" of `at` as openssl prints dates (e.g. "Dec  8"), and its year, as one pattern
/// that openssl's "Dec  8 16:52:03 2026 GMT" contains: the month and day.
fn year_month_day(at: SystemTime) -> String {
    let date = x509_cert::der::DateTime::from_system_time(at).expect("date");
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {:>2}",
        MONTHS[usize::from(date.month() - 1)],
        date.day()
    )
}

/// `evidence::revinfo` (what production CAs' data go through) on the development root's data:
/// addresses, request, good and revoked, and a changed byte, wrong issuer, stale data refused.
#[test]
fn revinfo_reads_the_addresses_and_checks_responses_and_crls() {
    use evidence::revinfo::{self, RevinfoError};
    let pki = &fixture().pki;
    let (root, seal, tsa) = (&pki.root, &pki.seal, pki.certificate(Role::Tsa));
    for cert in [seal, tsa] {
        let (ocsp, crl) = (revinfo::ocsp_urls(cert), revinfo::crl_urls(cert));
        assert!(
            ocsp.len() == 1 && ocsp[0].ends_with("/pki/ocsp"),
            "{ocsp:?}"
        );
        assert!(
            crl.len() == 1 && crl[0].ends_with("/pki/root.crl"),
            "{crl:?}"
        );
    }
    assert!(revinfo::ocsp_urls(root).is_empty());

    let now = SystemTime::now();
    let good = revocation(Vec::new());
    let request = revinfo::ocsp_request(seal, root).expect("request");
    let answer = good.respond(&request, now);
    let current = revinfo::check_ocsp(&answer, seal, root, now).expect("good");
    assert!(current.this_update <= now && current.next_update.is_some_and(|next| next > now));
    let stale = revinfo::check_ocsp(&answer, seal, root, now + Duration::from_secs(2 * 86_400));
    assert!(
        matches!(&stale, Err(RevinfoError::Invalid(why)) if why.contains("stale")),
        "{stale:?}"
    );
    let other = revinfo::check_ocsp(&answer, tsa, root, now);
    assert!(
        matches!(other, Err(RevinfoError::Invalid(_))),
        "not about the TSA: {other:?}"
    );
    let wrong_issuer = revinfo::check_ocsp(&answer, seal, seal, now);
    assert!(
        matches!(wrong_issuer, Err(RevinfoError::Invalid(_))),
        "{wrong_issuer:?}"
    );
    // A byte of the response's signature (the first RSA-3072 BIT STRING: 384 bytes and no
    // unused bits; the root certificate the response carries comes after it).
    let signature = answer
        .windows(5)
        .position(|w| w == [0x03, 0x82, 0x01, 0x81, 0x00])
        .expect("signature");
    let mut changed = answer.clone();
    changed[signature + 20] ^= 1;
    let changed = revinfo::check_ocsp(&changed, seal, root, now);
    assert!(
        matches!(changed, Err(RevinfoError::Invalid(_))),
        "{changed:?}"
    );
    let crl = good.crl(now).expect("CRL");
    revinfo::check_crl(&crl, seal, root, now).expect("not listed");

    let revoked = revocation(vec![Revoked {
        serial: seal.tbs_certificate.serial_number.clone(),
        at: now - Duration::from_secs(3600),
    }]);
    let answer = revoked.response_for(seal, now).expect("response");
    let said = revinfo::check_ocsp(&answer, seal, root, now);
    assert!(
        matches!(
            said,
            Err(RevinfoError::Revoked {
                by: "OCSP responder",
                ..
            })
        ),
        "{said:?}"
    );
    let crl = revoked.crl(now).expect("CRL");
    let listed = revinfo::check_crl(&crl, seal, root, now);
    assert!(
        matches!(listed, Err(RevinfoError::Revoked { by: "CRL", .. })),
        "{listed:?}"
    );
    revinfo::check_crl(&crl, tsa, root, now).expect("the TSA is not listed");
    let mut changed = crl.clone();
    *changed.last_mut().expect("bytes") ^= 1;
    let changed = revinfo::check_crl(&changed, tsa, root, now);
    assert!(
        matches!(changed, Err(RevinfoError::Invalid(_))),
        "{changed:?}"
    );
}
