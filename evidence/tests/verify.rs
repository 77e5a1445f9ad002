//! `evidence::verify_pdf`: verification of evidence PDFs by anyone (EVD-03, EVD-06) — seal,
//! integrity, certificate chain, time-stamp, attached evidence data, original file — on
//! sealed evidences, on every kind of damage, and in agreement with pyHanko.
//!
//! The evidences are sealed as the service seals them: the `seal` key of a SoftHSM token
//! created for this test process, the development PKI ([`DevPki`]) and the development TSA
//! ([`LocalTimeStamper`]); verification trusts the development root only.
//!
//! Needs softhsm2, openssl and pyhanko (PyPI), found in `${PLI_CACHE:-~/.cache/pli}/venv/bin`
//! or on `PATH` (`scripts/setup.sh test`).

#![allow(
    clippy::unwrap_used,
    reason = "tests: a panic is the failure report; expect() is used where context helps"
)]

mod common;

use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use der::Decode;
use evidence::pades::{ContentDigest, Evidence, EvidenceKind, Field, keys, rfc3339_utc};
use evidence::verify::{CheckId, Outcome, Report, trust_roots_from_bytes};
use evidence::{Certificate, verify_pdf};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use common::sealing::{DevSealing, POLICY_OID};
use common::tools::{der_len, output, path, pyhanko, tool};

// ---------------------------------------------------------------------------------------------
// Fixture: one SoftHSM token with the development PKI and TSA.
// ---------------------------------------------------------------------------------------------

fn fixture() -> &'static DevSealing {
    static FIXTURE: OnceLock<DevSealing> = OnceLock::new();
    FIXTURE.get_or_init(|| DevSealing::new("verify-", "verify"))
}

/// pyHanko's judgement (true: VALID), trusting only `root` (the development PKI publishes no
/// revocation data).
fn pyhanko_valid(root: &Path, pdf: &Path) -> (bool, String) {
    let (ok, report) = pyhanko(&[root], pdf);
    (ok && report.contains("judged VALID"), report)
}

// ---------------------------------------------------------------------------------------------
// Evidences.
// ---------------------------------------------------------------------------------------------

use common::{issuer, recipient, sender, sessions};

/// The content of an attached file named `name` (the tests' original files).
fn file_content(name: &str) -> Vec<u8> {
    format!("%PDF-1.7 contenu de {name}").into_bytes()
}

fn attachment(name: &str, id: &str) -> ContentDigest {
    ContentDigest::sha256_of(name, Some(id.to_owned()), &file_content(name))
}

/// A complete evidence of `kind` (one of those the tests use).
fn sample(kind: EvidenceKind) -> Evidence {
    let now = SystemTime::now();
    let id = format!("EVD-{}-{:08x}", kind.code(), OsRng.next_u32());
    let mut e = Evidence::new(kind, id, now, POLICY_OID, issuer());
    let letter = |e: &mut Evidence| {
        e.letter_id = Some("LRE-2026-000451".to_owned());
        e.subject = Some("Résiliation du bail <n°42> & « préavis »".to_owned());
    };
    match kind {
        EvidenceKind::Deposit => {
            e.sender = Some(sender());
            letter(&mut e);
            e.submission_time = Some(now);
            e.sessions = Some(sessions(now));
        }
        EvidenceKind::LetterSummary => {
            e.sender = Some(sender());
            e.recipient = Some(recipient());
            letter(&mut e);
            e.submission_time = Some(now);
            e.sessions = Some(sessions(now));
            e.fields.push(Field::known(
                keys::LETTER_MESSAGE,
                "Madame, Monsieur, je vous notifie la résiliation du bail. ".repeat(60),
            ));
            e.digests = vec![
                attachment("lettre-résiliation.pdf", "att_01"),
                attachment("état-des-lieux-entrée.pdf", "att_02"),
            ];
        }
        EvidenceKind::Acceptance => {
            e.recipient = Some(recipient());
            letter(&mut e);
            e.sessions = Some(sessions(now));
        }
        EvidenceKind::Opening => {
            e.recipient = Some(recipient());
            letter(&mut e);
            e.sessions = Some(sessions(now));
            e.digests = vec![attachment("lettre-résiliation.pdf", "att_01")];
        }
        EvidenceKind::Identification => {
            e.user = Some(recipient());
            e.fields.extend([
                Field::known(
                    keys::IDENTIFICATION_PROVIDER,
                    "Simulateur PVID (NON QUALIFIÉ)",
                ),
                Field::known(keys::IDENTIFICATION_SESSION_ID, "pvid_5c0e2b7f"),
                Field::known(keys::IDENTIFICATION_RESULT, "Réussi / Succeeded"),
            ]);
        }
        EvidenceKind::KbisUpload => {
            e.user = Some(sender());
            e.fields.extend([
                Field::known(keys::COMPANY_NAME, "Boulangerie Lefèvre & Fils SARL"),
                Field::known(keys::COMPANY_RCS, "RCS Lyon 512 345 678"),
            ]);
            e.digests = vec![attachment("kbis-2026-10.pdf", "file_kbis_01")];
        }
        other => panic!("no sample for {other}"),
    }
    e.validate().expect("complete sample");
    e
}

// ---------------------------------------------------------------------------------------------
// Helpers on sealed files.
// ---------------------------------------------------------------------------------------------

/// Where the `/Contents` hex string is (`<` and `>` included), from the `/ByteRange`.
fn contents_gap(pdf: &[u8]) -> std::ops::Range<usize> {
    let at = pdf
        .windows(12)
        .rposition(|w| w == b"/ByteRange [")
        .expect("ByteRange");
    let close = at + pdf[at..].iter().position(|&b| b == b']').unwrap();
    let numbers: Vec<usize> = std::str::from_utf8(&pdf[at + 12..close])
        .unwrap()
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    numbers[1]..numbers[2]
}

/// The end of the signature dictionary's `endobj`.
fn signature_end(pdf: &[u8], contents_end: usize) -> usize {
    contents_end + position(&pdf[contents_end..], b"endobj") + "endobj".len()
}

fn position(pdf: &[u8], needle: &[u8]) -> usize {
    pdf.windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{:?} not in the PDF", String::from_utf8_lossy(needle)))
}

fn outcome(report: &Report, id: CheckId) -> Outcome {
    report
        .check(id)
        .unwrap_or_else(|| panic!("no {id:?} check in:\n{report}"))
        .outcome
}

/// Asserts that every mandatory check passed except `failed`, which failed.
fn assert_only_failed(report: &Report, failed: &[CheckId]) {
    assert!(!report.valid(), "judged valid:\n{report}");
    for id in CheckId::MANDATORY {
        let expected = if failed.contains(&id) {
            Outcome::Failed
        } else {
            Outcome::Passed
        };
        assert_eq!(outcome(report, id), expected, "{id:?} in:\n{report}");
    }
}

/// A PDF without any signature, written with pdf-writer.
fn unsigned_pdf() -> Vec<u8> {
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
    let mut pdf = Pdf::new();
    let (catalog, pages, page, content, font) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
    );
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.parent(pages)
        .media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
        .contents(content);
    p.resources().fonts().pair(Name(b"F1"), font);
    p.finish();
    pdf.type1_font(font).base_font(Name(b"Helvetica"));
    let mut text = Content::new();
    text.begin_text()
        .set_font(Name(b"F1"), 12.0)
        .next_line(72.0, 770.0)
        .show(Str(b"Preuve de depot /ByteRange [0 1 2 3] /Contents <00>"))
        .end_text();
    pdf.stream(content, &text.finish());
    pdf.finish()
}

/// A tiny deterministic generator (xorshift64*), so that a failing mutation can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

// ---------------------------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------------------------

/// Sealed evidences of several kinds verify valid, and the report gives back their id, kind,
/// event, event time, policy, digests, seal certificate and time-stamp. Covers EVD-03, EVD-06.
#[tokio::test]
async fn sealed_evidences_verify_valid() {
    let fx = fixture();
    for kind in [
        EvidenceKind::Deposit,
        EvidenceKind::LetterSummary,
        EvidenceKind::Opening,
        EvidenceKind::Identification,
        EvidenceKind::KbisUpload,
    ] {
        let evidence = sample(kind);
        let pdf = fx.seal(&evidence).await;
        let started = Instant::now();
        let report = verify_pdf(&pdf, &fx.roots(), None);
        let took = started.elapsed();
        assert!(report.valid(), "{kind}:\n{report}");
        assert!(
            report.checks.iter().all(|c| c.outcome == Outcome::Passed),
            "{report}"
        );
        assert_eq!(report.evidence_id.as_deref(), Some(evidence.id.as_str()));
        assert_eq!(report.kind, Some(kind));
        assert_eq!(report.event.as_deref(), Some(kind.event_uri().as_str()));
        assert_eq!(
            report.event_time.map(rfc3339_utc),
            Some(rfc3339_utc(evidence.event_time))
        );
        assert_eq!(report.policy_oid.as_deref(), Some(POLICY_OID));
        assert_eq!(report.digests, evidence.digests);
        assert_eq!(
            report.signer_subject,
            Some(fx.pki.seal.tbs_certificate.subject.to_string())
        );
        let serial: String = fx
            .pki
            .seal
            .tbs_certificate
            .serial_number
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        assert_eq!(report.seal_serial, Some(serial));
        assert_eq!(
            report.tsa_subject,
            Some(fx.pki.tsa.tbs_certificate.subject.to_string())
        );
        let now = SystemTime::now();
        let stamped = report.timestamp_time.expect("time-stamp time");
        assert!(
            now.duration_since(stamped)
                .is_ok_and(|d| d < Duration::from_secs(60)),
            "time-stamp {stamped:?}, now {now:?}"
        );
        let signed = report.signing_time.expect("/M");
        // /M has whole seconds; the time-stamp follows the signature.
        assert!(
            stamped
                .duration_since(signed)
                .is_ok_and(|d| d < Duration::from_secs(60)),
            "/M {signed:?}, time-stamp {stamped:?}"
        );
        assert_eq!(report.original_file_matches(), None);
        assert!(report.check(CheckId::OriginalFile).is_none());

        let text = report.to_string();
        eprintln!("{kind}: {} bytes verified in {took:?}\n{text}", pdf.len());
        assert!(text.starts_with("Evidence seal: VALID\n"), "{text}");
        for expected in [
            evidence.id.as_str(),
            kind.title_en(),
            POLICY_OID,
            "Document unmodified since sealing",
        ] {
            assert!(text.contains(expected), "{expected:?} not in:\n{text}");
        }
        assert!(report.clone().ensure_valid().is_ok());
    }
}

/// One changed byte inside the signed range — page content, attached XML, the signature
/// dictionary's `/M` — is reported as a modified document; a changed byte in the signature
/// value breaks the seal signature and the time-stamp. Covers EVD-03, EVD-06.
#[tokio::test]
async fn changed_bytes_are_detected() {
    let fx = fixture();
    let evidence = sample(EvidenceKind::Acceptance);
    let pdf = fx.seal(&evidence).await;
    let gap = contents_gap(&pdf);

    // The page text is Flate-compressed (issue 11): a byte of the first content stream.
    let flate = position(&pdf, b"/FlateDecode");
    let in_page = flate + position(&pdf[flate..], b"stream\n") + "stream\n".len() + 20;
    let in_xml = position(
        &pdf,
        format!("<EvidenceIdentifier>{}", evidence.id).as_bytes(),
    ) + "<EvidenceIdentifier>EVD-".len();
    // A digit of /M's year: still a valid date, one year off.
    let in_m = position(&pdf, b"/M (D:") + 9;
    for (name, at) in [("page", in_page), ("xml", in_xml), ("/M", in_m)] {
        assert!(at < gap.start || at >= gap.end, "{name} is signed");
        let mut tampered = pdf.clone();
        tampered[at] ^= 0x01;
        let report = verify_pdf(&tampered, &fx.roots(), None);
        assert_only_failed(&report, &[CheckId::DocumentUnmodified]);
        let detail = &report.check(CheckId::DocumentUnmodified).unwrap().detail;
        assert!(
            detail.contains("modified after sealing"),
            "{name}: {detail}"
        );
        assert!(report.to_string().starts_with("Evidence seal: INVALID"));
    }

    // The signature value: the last 384 bytes before the unsigned attributes are hard to
    // locate in hex, so change a digit of the RSA signature found through the CMS itself.
    let cms = hex_decode(&pdf[gap.start + 1..gap.end - 1]);
    let content_info = cms::content_info::ContentInfo::from_der(&cms[..der_len(&cms)]).unwrap();
    let signed = content_info
        .content
        .decode_as::<cms::signed_data::SignedData>()
        .unwrap();
    let signature = signed.signer_infos.0.as_slice()[0]
        .signature
        .as_bytes()
        .to_vec();
    let offset = position(&cms, &signature) + signature.len() / 2;
    let mut tampered = pdf.clone();
    let digit = &mut tampered[gap.start + 1 + 2 * offset];
    *digit = if *digit == b'0' { b'1' } else { b'0' };
    let report = verify_pdf(&tampered, &fx.roots(), None);
    assert_only_failed(&report, &[CheckId::SealSignature, CheckId::Timestamp]);
    let detail = &report.check(CheckId::Timestamp).unwrap().detail;
    assert!(detail.contains("covers digest"), "{detail}");
}

/// The same evidence checked against a trust list without the development root — an
/// impostor root with the same name but another key, or no root at all — is refused: the
/// seal's chain and the time-stamp's are not trusted. Covers EVD-03.
#[tokio::test]
async fn untrusted_roots_are_refused() {
    let fx = fixture();
    let pdf = fx.seal(&sample(EvidenceKind::Deposit)).await;
    let impostor = impostor_root(fx);
    assert_eq!(
        impostor.tbs_certificate.subject,
        fx.pki.root.tbs_certificate.subject
    );
    for roots in [vec![impostor], vec![fx.pki.seal.clone()], Vec::new()] {
        let report = verify_pdf(&pdf, &roots, None);
        if roots.first() == Some(&fx.pki.seal) {
            // The seal certificate itself as a trust anchor: the chain passes, the
            // time-stamping unit (issued by the development root) does not.
            assert_only_failed(&report, &[CheckId::Timestamp]);
        } else {
            assert_only_failed(&report, &[CheckId::CertificateChain, CheckId::Timestamp]);
        }
        assert!(report.timestamp_time.is_none(), "{report}");
    }
    let report = verify_pdf(&pdf, &[], None);
    let detail = &report.check(CheckId::CertificateChain).unwrap().detail;
    assert!(detail.contains("no trust root"), "{detail}");
}

/// A self-signed certificate with the development root's name but a key of its own.
fn impostor_root(fx: &DevSealing) -> Certificate {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    use x509_cert::builder::{Builder, CertificateBuilder, Profile};
    let key_file = fx.dir.join("impostor.key.der");
    let (ok, text) = output(
        "openssl",
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-outform",
            "DER",
            "-out",
            &path(&key_file),
        ],
    );
    assert!(ok, "{text}");
    // OpenSSL writes DER keys as PKCS#1 or PKCS#8 depending on its version.
    let der = std::fs::read(&key_file).unwrap();
    let key = rsa::RsaPrivateKey::from_pkcs8_der(&der)
        .or_else(|_| rsa::RsaPrivateKey::from_pkcs1_der(&der))
        .unwrap();
    let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(key.clone());
    let spki = spki::SubjectPublicKeyInfoOwned::from_key(key.to_public_key()).unwrap();
    let validity = x509_cert::time::Validity::from_now(Duration::from_secs(86_400)).unwrap();
    CertificateBuilder::new(
        Profile::Root,
        x509_cert::serial_number::SerialNumber::new(&[1]).unwrap(),
        validity,
        fx.pki.root.tbs_certificate.subject.clone(),
        spki,
        &signer,
    )
    .unwrap()
    .build::<rsa::pkcs1v15::Signature>()
    .unwrap()
}

/// Anything after the signed range — bytes appended after `%%EOF`, or a real incremental
/// update (pyHanko `addfields`) — is reported: the seal no longer covers the whole file.
/// Covers EVD-03.
#[tokio::test]
async fn additions_after_sealing_are_refused() {
    let fx = fixture();
    let pdf = fx.seal(&sample(EvidenceKind::Opening)).await;
    assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));

    let mut appended = pdf.clone();
    appended.extend_from_slice(b"\n% a note added later\n");
    let report = verify_pdf(&appended, &fx.roots(), None);
    assert_only_failed(&report, &[CheckId::WholeFileCovered]);
    let detail = &report.check(CheckId::WholeFileCovered).unwrap().detail;
    assert!(
        detail.contains("22 bytes after the signed range"),
        "{detail}"
    );

    // A genuine incremental update adding a signature field.
    let original = fx.write("before-update.pdf", &pdf);
    let updated = fx.dir.join("out").join("after-update.pdf");
    let (ok, text) = output(
        tool("pyhanko"),
        &[
            "sign",
            "addfields",
            "--field",
            "1/10,10,110,60/Witness",
            &path(&original),
            &path(&updated),
        ],
    );
    assert!(ok, "pyhanko addfields: {text}");
    let updated = std::fs::read(&updated).unwrap();
    assert!(updated.starts_with(&pdf), "an incremental update appends");
    let report = verify_pdf(&updated, &fx.roots(), None);
    assert_only_failed(&report, &[CheckId::WholeFileCovered]);
    let detail = &report.check(CheckId::WholeFileCovered).unwrap().detail;
    assert!(detail.contains("added after sealing"), "{detail}");
    // The evidence data still comes from the signed part.
    assert_eq!(report.kind, Some(EvidenceKind::Opening));
}

/// Truncated files, an empty file, random bytes, a PDF without signature and a few broken
/// signatures are invalid, each with a reason, and nothing panics. Covers EVD-06.
#[tokio::test]
async fn broken_inputs_are_invalid_with_a_reason() {
    let fx = fixture();
    let pdf = fx.seal(&sample(EvidenceKind::Identification)).await;
    let gap = contents_gap(&pdf);
    let mut random = vec![0u8; 20_000];
    OsRng.fill_bytes(&mut random);
    let mut other_sub_filter = pdf.clone();
    // /SubFilter renamed (same length).
    let sub = position(&pdf, b"/ETSI.CAdES.detached");
    other_sub_filter[sub + 1..sub + 5].copy_from_slice(b"XXXX");
    let mut contents_garbage = pdf.clone();
    contents_garbage[gap.start + 1..gap.start + 9].copy_from_slice(b"3082FFFF");

    let cases: Vec<(&str, Vec<u8>, CheckId, &str)> = vec![
        ("empty", Vec::new(), CheckId::SignatureDictionary, "empty"),
        (
            "random bytes",
            random,
            CheckId::SignatureDictionary,
            "not a PDF",
        ),
        (
            "unsigned PDF",
            unsigned_pdf(),
            CheckId::SignatureDictionary,
            "not sealed",
        ),
        (
            "truncated by one byte",
            pdf[..pdf.len() - 1].to_vec(),
            CheckId::SignatureDictionary,
            "truncated",
        ),
        (
            "truncated after the signature",
            pdf[..signature_end(&pdf, gap.end) + 1].to_vec(),
            CheckId::SignatureDictionary,
            "truncated",
        ),
        (
            "truncated in the signature",
            pdf[..gap.start + 100].to_vec(),
            CheckId::SignatureDictionary,
            "no signature dictionary",
        ),
        (
            "half a file",
            pdf[..pdf.len() / 2].to_vec(),
            CheckId::SignatureDictionary,
            "no signature dictionary",
        ),
        (
            "another /SubFilter",
            other_sub_filter,
            CheckId::SignatureDictionary,
            "/SubFilter",
        ),
        (
            "garbage in /Contents",
            contents_garbage,
            CheckId::CmsStructure,
            "",
        ),
    ];
    for (name, bytes, check, reason) in cases {
        let report = verify_pdf(&bytes, &fx.roots(), Some(&[7; 32]));
        assert!(!report.valid(), "{name}: judged valid:\n{report}");
        let found = report.check(check).expect("check present");
        assert_eq!(found.outcome, Outcome::Failed, "{name}:\n{report}");
        assert!(
            found.detail.contains(reason) && !found.detail.is_empty(),
            "{name}: {reason:?} not in {:?}",
            found.detail
        );
        for id in CheckId::MANDATORY {
            assert!(report.check(id).is_some(), "{name}: no {id:?}:\n{report}");
        }
        assert!(report.check(CheckId::OriginalFile).is_some(), "{name}");
        let text = report.to_string();
        assert!(text.starts_with("Evidence seal: INVALID"), "{name}: {text}");
        eprintln!("{name}:\n{text}");
    }
}

/// An original file is checked against the digests the evidence records: the matching file is
/// named, another file is reported as not matching (the seal itself stays valid).
/// Covers EVD-03, EVD-06.
#[tokio::test]
async fn original_file_is_checked_against_the_recorded_digests() {
    let fx = fixture();
    let evidence = sample(EvidenceKind::LetterSummary);
    let pdf = fx.seal(&evidence).await;

    let original: [u8; 32] = Sha256::digest(file_content("état-des-lieux-entrée.pdf")).into();
    let report = verify_pdf(&pdf, &fx.roots(), Some(&original));
    assert!(report.valid(), "{report}");
    assert_eq!(report.original_file_matches(), Some(true));
    assert_eq!(
        report.original_matches,
        Some(vec!["état-des-lieux-entrée.pdf".to_owned()])
    );
    assert_eq!(outcome(&report, CheckId::OriginalFile), Outcome::Passed);
    assert!(
        report
            .to_string()
            .contains("Original file: matches \"état-des-lieux-entrée.pdf\""),
        "{report}"
    );

    let other: [u8; 32] = Sha256::digest(b"another file").into();
    let report = verify_pdf(&pdf, &fx.roots(), Some(&other));
    assert!(report.valid(), "the seal is still valid:\n{report}");
    assert_eq!(report.original_file_matches(), Some(false));
    assert_eq!(outcome(&report, CheckId::OriginalFile), Outcome::Failed);
    assert!(
        report
            .to_string()
            .contains("Original file: does not match any file this evidence records"),
        "{report}"
    );
}

/// pyHanko, an independent PAdES validator, and `verify_pdf` agree: VALID/valid on a sealed
/// evidence, INVALID/invalid on the same evidence with one changed byte. Covers EVD-03.
#[tokio::test]
async fn agrees_with_pyhanko() {
    let fx = fixture();
    let evidence = sample(EvidenceKind::KbisUpload);
    let pdf = fx.seal(&evidence).await;
    let mut tampered = pdf.clone();
    let at = position(&pdf, b"Boulangerie Lef") + 2;
    tampered[at] ^= 0x01;
    let roots = trust_roots_from_bytes(&std::fs::read(&fx.root_pem).unwrap()).unwrap();
    assert_eq!(roots, fx.roots());

    for (name, bytes, expected) in [("valid", &pdf, true), ("tampered", &tampered, false)] {
        let file = fx.write(&format!("pyhanko-{name}.pdf"), bytes);
        let (theirs, text) = pyhanko_valid(&fx.root_pem, &file);
        let ours = verify_pdf(bytes, &roots, None);
        assert_eq!(theirs, expected, "pyHanko on {name}:\n{text}");
        assert_eq!(ours.valid(), expected, "verify_pdf on {name}:\n{ours}");
    }
}

/// 300 random one-byte changes of a sealed evidence (every other one inside the signed range,
/// since `/Contents` is more than half of the file): `verify_pdf` never panics, and every
/// change inside the signed range makes the evidence invalid. Covers EVD-03, EVD-06.
#[tokio::test]
async fn random_mutations_never_pass() {
    let fx = fixture();
    let pdf = fx.seal(&sample(EvidenceKind::Opening)).await;
    let gap = contents_gap(&pdf);
    let signed_len = pdf.len() - gap.len();
    let roots = fx.roots();
    let seed = std::env::var("PLI_VERIFY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_B17E_u64);
    eprintln!("seed {seed} (set PLI_VERIFY_SEED to replay)");
    let mut rng = Rng(seed);
    let started = Instant::now();
    let (mut signed, mut in_gap, mut still_valid_in_gap) = (0, 0, 0);
    for round in 0..300 {
        let at = if round % 2 == 0 {
            rng.below(pdf.len())
        } else {
            // A signed byte: skip over the gap.
            let i = rng.below(signed_len);
            if i < gap.start { i } else { i + gap.len() }
        };
        let flip = 1 + rng.below(255) as u8;
        let mut mutated = pdf.clone();
        mutated[at] ^= flip;
        let report = verify_pdf(&mutated, &roots, Some(&[0; 32]));
        if gap.contains(&at) {
            in_gap += 1;
            still_valid_in_gap += usize::from(report.valid());
        } else {
            signed += 1;
            assert!(
                !report.valid(),
                "round {round}: byte {at} ^= {flip:#04x} judged valid:\n{report}"
            );
        }
    }
    eprintln!(
        "300 mutations in {:?}: {signed} in the signed range (all invalid), {in_gap} in \
         /Contents ({still_valid_in_gap} still valid: white space or a hex digit's case, which change \
         no byte of the CMS, or a CMS field no signature covers)",
        started.elapsed()
    );
    assert!(signed >= 150);
}

// ---------------------------------------------------------------------------------------------
// Small decoders.
// ---------------------------------------------------------------------------------------------

fn hex_decode(hex: &[u8]) -> Vec<u8> {
    hex.chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}
