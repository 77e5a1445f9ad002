//! Long-term evidence (EVD-05, issue 12): sealed evidence PDFs extended to PAdES-B-LT and
//! B-LTA by incremental updates ([`evidence::pades::ltv`]), judged by independent tools:
//! pyHanko's AdES long-term validation offline (`ltv_validate.py`: trust anchor the
//! development root, revocation data required, nothing fetched), at today's time and after
//! the seal certificate has expired; poppler's `pdfsig` for every signature and document
//! time-stamp; `qpdf --check`. One changed byte in any revision is caught by both validators.
//!
//! The seal key, the development PKI and the development TSA live in a SoftHSM token created
//! for this test process; the revocation data come from the development root
//! ([`DevRevocation`]).
//!
//! Needs softhsm2, qpdf, poppler-utils, libnss3-tools and pyhanko (PyPI), found in
//! `${PLI_CACHE:-~/.cache/pli}/venv/bin` or on `PATH` (`scripts/setup.sh test`).

#![allow(
    clippy::unwrap_used,
    reason = "tests: a panic is the failure report; expect() is used where context helps"
)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use evidence::pades::ltv::{self, ValidationData};
use evidence::pades::{self, Evidence, EvidenceKind, PadesError};
use evidence::pki::DevRevocation;
use rand_core::{OsRng, RngCore};

use common::sealing::{DevSealing, POLICY_OID};
use common::tools::{output, path, run, tool};
use common::{issuer, recipient, sessions};

struct Fixture {
    dev: DevSealing,
    revocation: DevRevocation,
    /// The document time-stamp's size hint, measured from a token of the development TSA.
    hint: usize,
    /// An NSS database trusting the development root, for pdfsig.
    nss_db: PathBuf,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dev = DevSealing::new("ltv-", "ltv");
        let revocation = DevRevocation::new(&dev.hsm, &dev.pki, Vec::new()).expect("revocation");
        let token = dev.tsa.timestamp_blocking(&[7; 32]).expect("token");
        let hint = pades::timestamp_size_hint(token.der.len());
        let dir = dev.dir.join("nss");
        std::fs::create_dir_all(&dir).unwrap();
        let db = format!("sql:{}", dir.display());
        run("certutil", &["-N", "-d", &db, "--empty-password"]);
        let root = path(&dev.root_pem);
        run(
            "certutil",
            &["-A", "-d", &db, "-n", "root", "-t", "CT,C,C", "-i", &root],
        );
        Fixture {
            dev,
            revocation,
            hint,
            nss_db: dir,
        }
    })
}

/// An acceptance evidence (a letter, a recipient, sessions).
fn sample() -> Evidence {
    let now = SystemTime::now();
    let id = format!("EVD-ACC-{:08x}", OsRng.next_u32());
    let mut e = Evidence::new(EvidenceKind::Acceptance, id, now, POLICY_OID, issuer());
    e.recipient = Some(recipient());
    e.letter_id = Some("LRE-2026-000451".to_owned());
    e.subject = Some("Résiliation du bail".to_owned());
    e.sessions = Some(sessions(now));
    e
}

/// The validation data of `pdf` under the development PKI, now.
fn validation_data(pdf: &[u8]) -> ValidationData {
    let fx = fixture();
    ValidationData::for_dev_pki(pdf, &fx.revocation, SystemTime::now()).expect("validation data")
}

/// `pdf` extended with its validation data and a document time-stamp (B-LTA, or a renewal).
fn extend(pdf: &[u8]) -> Vec<u8> {
    let fx = fixture();
    ltv::extend_lta(pdf, &validation_data(pdf), fx.hint, |digest| {
        fx.dev.tsa.timestamp_blocking(digest).map(|token| token.der)
    })
    .expect("extend to B-LTA")
}

/// A freshly sealed evidence.
async fn sealed() -> Vec<u8> {
    fixture().dev.seal(&sample()).await
}

/// pyHanko's offline long-term validation (`ltv_validate.py`), now or at `at`.
fn pyhanko_lta(pdf: &Path, at: Option<SystemTime>) -> (bool, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ltv_validate.py");
    let mut args = vec![path(&script), path(pdf), path(&fixture().dev.root_pem)];
    if let Some(at) = at {
        args.push(iso8601(at));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    output(tool("python3"), &args)
}

/// `time` as `YYYY-MM-DDTHH:MM:SS+00:00`.
fn iso8601(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Civil from days (H. Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// pdfsig's report (it exits 0 even for a digest mismatch).
fn pdfsig(pdf: &Path) -> String {
    let db = format!("sql:{}", fixture().nss_db.display());
    output("pdfsig", &["-nssdir", &db, "-no-ocsp", &path(pdf)]).1
}

/// Each document time-stamp of `pdf`: the bytes its `/ByteRange` covers and its token.
fn doc_timestamps(pdf: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = pdf[from..]
        .windows(19)
        .position(|w| w == b"/Type /DocTimeStamp")
    {
        let open = find(pdf, from + at, b"/ByteRange [") + 12;
        let close = find(pdf, open, b"]");
        let n: Vec<usize> = std::str::from_utf8(&pdf[open..close])
            .unwrap()
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        let mut signed = pdf[n[0]..n[0] + n[1]].to_vec();
        signed.extend_from_slice(&pdf[n[2]..n[2] + n[3]]);
        let hex = std::str::from_utf8(&pdf[n[1] + 1..n[2] - 1]).unwrap();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let token = bytes[..common::tools::der_len(&bytes)].to_vec();
        found.push((signed, token));
        from = close;
    }
    found
}

/// Whether `openssl ts -verify` accepts every document time-stamp of `pdf` (written under
/// `name`) as a token over its byte ranges, trusting the development root; its reports.
fn openssl_verifies_doc_timestamps(name: &str, pdf: &[u8]) -> (bool, String) {
    let fx = fixture();
    let mut all = true;
    let mut reports = String::new();
    for (i, (signed, token)) in doc_timestamps(pdf).into_iter().enumerate() {
        let data = fx.dev.write(&format!("{name}.ts{i}.data"), &signed);
        let token = fx.dev.write(&format!("{name}.ts{i}.tst"), &token);
        let (ok, report) = output(
            "openssl",
            &[
                "ts",
                "-verify",
                "-data",
                &path(&data),
                "-in",
                &path(&token),
                "-token_in",
                "-CAfile",
                &path(&fx.dev.root_pem),
            ],
        );
        all &= ok && report.contains("Verification: OK");
        reports.push_str(&report);
    }
    (all, reports)
}

/// Every tool accepts `pdf`, which holds the seal and `timestamps` document time-stamps.
///
/// pdfsig (poppler 22.12) validates the seal but reports document time-stamps
/// (`ETSI.RFC3161`) as "Unable to validate this type of signature": `openssl ts -verify`
/// checks each of them over its byte ranges instead.
fn every_validator_passes(name: &str, pdf: &[u8], timestamps: usize) -> PathBuf {
    let file = fixture().dev.write(name, pdf);
    let (ok, report) = pyhanko_lta(&file, None);
    assert!(ok, "pyHanko ({name}):\n{report}");
    let profile = if timestamps > 0 {
        "B-LTA AdESPassed.OK"
    } else {
        "B-LT bottom line True"
    };
    assert!(report.contains(profile), "{report}");
    assert!(report.contains("ModificationLevel.LTA_UPDATES"), "{report}");
    assert_eq!(
        report
            .matches("intact=True valid=True trusted=True")
            .count(),
        timestamps,
        "{report}"
    );
    eprintln!("pyHanko ({name}):\n{report}");

    let report = pdfsig(&file);
    assert_eq!(
        report.matches("Signature is Valid.").count(),
        1,
        "pdfsig ({name}):\n{report}"
    );
    assert!(!report.contains("Digest Mismatch"), "{report}");
    for i in 1..=timestamps {
        assert!(
            report.contains(&format!("Signature Field Name: DocTimeStamp{i}")),
            "{report}"
        );
    }

    assert_eq!(doc_timestamps(pdf).len(), timestamps);
    let (ok, report) = openssl_verifies_doc_timestamps(name, pdf);
    assert!(ok, "openssl ts -verify ({name}):\n{report}");

    let (ok, report) = output("qpdf", &["--check", &path(&file)]);
    assert!(
        ok && report.contains("No syntax or stream encoding errors found"),
        "qpdf ({name}):\n{report}"
    );

    // Our own verifier (`pli verify`, /verify): the updates only add validation data and
    // document time-stamps, each listed.
    let ours = evidence::verify_pdf(pdf, &fixture().dev.roots(), None);
    assert!(ours.valid(), "verify_pdf ({name}):\n{ours}");
    assert_eq!(ours.doc_timestamps.len(), timestamps, "{ours}");
    file
}

#[tokio::test(flavor = "multi_thread")]
async fn b_lt_then_b_lta_pass_pyhanko_pdfsig_and_qpdf() {
    let sealed = sealed().await;

    // B-LT: validation data only.
    let data = validation_data(&sealed);
    assert_eq!(data.certs.len(), 3, "seal, TSA, root");
    assert_eq!((data.crls.len(), data.ocsps.len()), (1, 2));
    let lt = ltv::extend_dss(&sealed, &data).expect("B-LT");
    assert!(lt.starts_with(&sealed));
    every_validator_passes("b-lt.pdf", &lt, 0);

    // B-LTA: validation data and a document time-stamp.
    let lta = extend(&sealed);
    assert!(lta.starts_with(&sealed));
    let file = every_validator_passes("b-lta.pdf", &lta, 1);
    eprintln!(
        "sealed (B-T) {} bytes; B-LT update {} bytes; B-LTA update {} bytes: {}",
        sealed.len(),
        lt.len() - sealed.len(),
        lta.len() - sealed.len(),
        file.display()
    );

    // The B-LTA update's own time-stamp, carried by a DSS-only update after it.
    let last = ltv::extend_dss(&lta, &validation_data(&lta)).expect("DSS after B-LTA");
    every_validator_passes("b-lta-dss.pdf", &last, 1);
    eprintln!(
        "DSS-only update after B-LTA: {} bytes",
        last.len() - lta.len()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn b_lta_still_validates_after_the_seal_certificate_expired() {
    let fx = fixture();
    let lta = extend(&sealed().await);
    let file = fx.dev.write("b-lta-later.pdf", &lta);
    let seal_expiry = fx
        .dev
        .pki
        .seal
        .tbs_certificate
        .validity
        .not_after
        .to_system_time();
    let tsa_expiry = fx
        .dev
        .pki
        .tsa
        .tbs_certificate
        .validity
        .not_after
        .to_system_time();
    let later = seal_expiry + Duration::from_secs(86_400);
    assert!(later < tsa_expiry, "the TSA outlives the seal");
    let (ok, report) = pyhanko_lta(&file, Some(later));
    assert!(ok, "pyHanko LTA at {}:\n{report}", iso8601(later));
    eprintln!(
        "validated at {} (seal expired {}):\n{report}",
        iso8601(later),
        iso8601(seal_expiry)
    );

    // Without a document time-stamp (B-LT), the same moment fails: nothing proves the
    // revocation data existed while the seal certificate was valid.
    let sealed = sealed().await;
    let lt = ltv::extend_dss(&sealed, &validation_data(&sealed)).unwrap();
    let file = fx.dev.write("b-lt-later.pdf", &lt);
    let (ok, report) = pyhanko_lta(&file, Some(later));
    assert!(!ok, "B-LT after the seal expired:\n{report}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_renewal_adds_a_second_document_time_stamp() {
    let sealed = sealed().await;
    // Renewals come years apart, with fresh revocation data: one second apart here, so that
    // the CRL and OCSP responses (to the second) are new ones, not deduplicated.
    let pause = || std::thread::sleep(Duration::from_millis(1_100));
    let first = extend(&sealed);
    pause();
    let second = extend(&first);
    assert!(second.starts_with(&first));
    let file = every_validator_passes("b-lta-renewed.pdf", &second, 2);
    let (ok, report) = pyhanko_lta(
        &file,
        Some(
            fixture()
                .dev
                .pki
                .seal
                .tbs_certificate
                .validity
                .not_after
                .to_system_time()
                + Duration::from_secs(86_400),
        ),
    );
    assert!(ok, "renewed, after the seal's expiry:\n{report}");
    pause();
    let data = validation_data(&second);
    let sizes = |list: &[Vec<u8>]| list.iter().map(Vec::len).collect::<Vec<_>>();
    eprintln!(
        "renewal validation data: certificates {:?}, CRLs {:?}, OCSP responses {:?} bytes",
        sizes(&data.certs),
        sizes(&data.crls),
        sizes(&data.ocsps)
    );
    let third = extend(&second);
    eprintln!(
        "bytes per renewal: {} then {} (first extension {}; B-T {} bytes)",
        second.len() - first.len(),
        third.len() - second.len(),
        first.len() - sealed.len(),
        sealed.len()
    );
    let text = String::from_utf8_lossy(&third);
    for name in ["DocTimeStamp1", "DocTimeStamp2", "DocTimeStamp3"] {
        assert!(text.contains(&format!("/T ({name})")), "{name}");
    }
}

/// `pdf` with the byte at `at` changed to another hex digit or letter.
fn flip(pdf: &[u8], at: usize) -> Vec<u8> {
    let mut tampered = pdf.to_vec();
    tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
    tampered
}

fn find(data: &[u8], from: usize, needle: &[u8]) -> usize {
    from + data[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{:?} not found", String::from_utf8_lossy(needle)))
}

fn rfind(data: &[u8], needle: &[u8]) -> usize {
    data.windows(needle.len())
        .rposition(|w| w == needle)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn one_changed_byte_in_any_revision_fails() {
    let sealed = sealed().await;
    let lta = extend(&sealed);

    // In the first revision: a character of the attached evidence XML.
    let xml = find(&lta, 0, b"<Evidence ") + 40;
    // In the update: inside the first DSS stream (a certificate).
    let update = sealed.len();
    let stream = find(&lta, update, b"stream\n") + 7 + 100;
    // In the document time-stamp's token: its last hex digit before the zero padding (the
    // TSA's signature value).
    let contents = find(&lta, rfind(&lta, b"/DocTimeStamp"), b"/Contents <") + 11;
    let token_end = contents
        + lta[contents..]
            .windows(16)
            .position(|w| w == b"0000000000000000")
            .unwrap();
    for (name, at) in [
        ("first-revision", xml),
        ("dss-stream", stream),
        ("doc-timestamp-token", token_end - 3),
    ] {
        let tampered = flip(&lta, at);
        let file = fixture()
            .dev
            .write(&format!("tampered-{name}.pdf"), &tampered);
        let (ok, report) = pyhanko_lta(&file, None);
        assert!(!ok, "pyHanko accepted a change in {name}:\n{report}");
        let pdfsig = pdfsig(&file);
        let (openssl, openssl_report) = openssl_verifies_doc_timestamps(name, &tampered);
        if name == "first-revision" {
            // Inside the seal's byte ranges (and the time-stamp's).
            assert!(pdfsig.contains("Digest Mismatch"), "pdfsig:\n{pdfsig}");
        } else {
            // Only the document time-stamp covers the update.
            assert!(pdfsig.contains("Signature is Valid."), "pdfsig:\n{pdfsig}");
        }
        assert!(
            !openssl,
            "openssl accepted a change in {name}:\n{openssl_report}"
        );
        let ours = evidence::verify_pdf(&tampered, &fixture().dev.roots(), None);
        assert!(
            !ours.valid(),
            "verify_pdf accepted a change in {name}:\n{ours}"
        );
        eprintln!(
            "{name}: pyHanko refused: {}",
            report.lines().next().unwrap_or_default()
        );
    }
}

#[test]
fn what_is_not_ours_is_refused_without_panic() {
    let stamp = |_: &[u8; 32]| Ok::<_, PadesError>(vec![0x30, 0]);
    for garbage in [
        &b""[..],
        b"%PDF-1.7\n%%EOF",
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nxref\n0 1\ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n45\n%%EOF",
    ] {
        let data = ValidationData::default();
        assert!(matches!(
            ltv::extend_lta(garbage, &data, 1000, stamp),
            Err(PadesError::Extend(_))
        ));
        assert!(ltv::extend_dss(garbage, &data).is_err());
        assert!(ltv::embedded_certificates(garbage).is_err());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_over_other_bytes_is_refused() {
    let fx = fixture();
    let sealed = sealed().await;
    let prepared = ltv::prepare_lta(&sealed, &validation_data(&sealed), fx.hint).unwrap();
    let other = fx.dev.tsa.timestamp_blocking(&[1; 32]).unwrap();
    assert!(matches!(
        prepared.clone().finish(&other.der),
        Err(PadesError::TimestampMismatch)
    ));
    let small = ltv::prepare_lta(&sealed, &ValidationData::default(), 100).unwrap();
    let token = fx.dev.tsa.timestamp_blocking(&small.digest()).unwrap();
    assert!(matches!(
        small.finish(&token.der),
        Err(PadesError::SignatureTooLarge { .. })
    ));
    let token = fx.dev.tsa.timestamp_blocking(&prepared.digest()).unwrap();
    assert!(prepared.finish(&token.der).is_ok());
}
