//! Evidence PDFs sealed as PAdES-B-T, judged by independent tools: pyHanko and poppler's
//! `pdfsig` (signature, chain, time-stamp), `qpdf --check` (syntax), `pdfdetach` (the attached
//! XML), `pdftotext` (the human-readable text) and `openssl ts -verify` (the time-stamp token).
//! Covers EVD-01, EVD-02, EVD-03, EVD-04 and, through one evidence of each kind, LET-04,
//! LET-07, LET-08, LET-09, LET-10, LET-11, CONS-04, ID-04, ID-06, AUTH-04.
//!
//! The seal key is the `seal` key of a SoftHSM token created for this test process, with the
//! development PKI ([`DevPki`]); the time-stamps come from the development TSA
//! ([`LocalTimeStamper`], key `dev-tsa` in the same token), so the validators trust the
//! development root only. One test instead time-stamps through [`HttpTimeStamper`] at
//! certomancer's RFC 3161 TSA, an independent peer with its own root.
//!
//! Needs softhsm2, openssl, qpdf, poppler-utils, libnss3-tools, and pyhanko + certomancer
//! (PyPI), found in `${PLI_CACHE:-~/.cache/pli}/venv/bin` or on `PATH` (`scripts/setup.sh test`).

#![allow(
    clippy::unwrap_used,
    reason = "tests: a panic is the failure report; expect() is used where context helps"
)]

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use ::cms::content_info::ContentInfo;
use ::cms::signed_data::SignedData;
use der::{Decode, DecodePem, Encode};
use evidence::KeySigner;
use evidence::pades::{
    self, ContentDigest, Evidence, EvidenceKind, Field, ID_AA_SIGNATURE_TIME_STAMP_TOKEN,
    PadesError, SealProfile, keys,
};
use evidence::pki::Role;
use evidence::timestamp::{HttpTimeStamper, TimeStamper};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use common::sealing::{DevSealing, POLICY_OID};
use common::tools::{der_len, hex, output, path, pyhanko, run, tool};

// ---------------------------------------------------------------------------------------------
// Fixture: one SoftHSM token, the development PKI, certomancer's TSA and the validators' trust.
// ---------------------------------------------------------------------------------------------

struct Fixture {
    dev: DevSealing,
    /// An NSS database trusting the development root, for pdfsig.
    nss_db: PathBuf,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dev = DevSealing::new("pades-", "pades");
        let nss_db = nss_db(&dev.dir.join("nss"), &[&dev.root_pem]);
        Fixture { dev, nss_db }
    })
}

/// An NSS database (for pdfsig) trusting `roots`.
fn nss_db(dir: &Path, roots: &[&Path]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let db = format!("sql:{}", dir.display());
    run("certutil", &["-N", "-d", &db, "--empty-password"]);
    for (i, pem) in roots.iter().enumerate() {
        let nick = format!("root-{i}");
        run(
            "certutil",
            &[
                "-A",
                "-d",
                &db,
                "-n",
                &nick,
                "-t",
                "CT,C,C",
                "-i",
                &path(pem),
            ],
        );
    }
    dir.to_path_buf()
}

/// certomancer's TSA, an independent RFC 3161 peer, started on first use.
struct ThirdPartyTsa {
    stamper: HttpTimeStamper,
    root: PathBuf,
    /// pdfsig's trust: the development root and certomancer's root.
    nss_db: PathBuf,
    /// The wrapper shell keeping certomancer alive; it kills certomancer when our end of its
    /// stdin closes, i.e. when this test process exits.
    _process: Mutex<Child>,
}

fn third_party_tsa() -> &'static ThirdPartyTsa {
    static TSA: OnceLock<ThirdPartyTsa> = OnceLock::new();
    TSA.get_or_init(|| {
        let fx = fixture();
        let (url, root, process) = start_certomancer(&fx.dev.dir.join("certomancer"));
        let root_cert = x509_cert::Certificate::from_pem(std::fs::read(&root).unwrap())
            .expect("certomancer root");
        let stamper = HttpTimeStamper::new(url, vec![root_cert]).expect("HTTP time-stamper");
        let nss_db = nss_db(&fx.dev.dir.join("nss-both"), &[&fx.dev.root_pem, &root]);
        ThirdPartyTsa {
            stamper,
            root,
            nss_db,
            _process: Mutex::new(process),
        }
    })
}

/// Starts certomancer's animator on a free port with the fixture configuration and fresh keys;
/// returns the TSA's URL, its root certificate file and the wrapper process.
fn start_certomancer(dir: &Path) -> (String, PathBuf, Child) {
    std::fs::create_dir_all(dir).unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let template = include_str!("fixtures/pades/certomancer.yml");
    std::fs::write(
        dir.join("certomancer.yml"),
        template.replace("@URL@", &base),
    )
    .unwrap();
    for key in ["root", "tsa"] {
        let out = dir.join(format!("{key}.key.pem"));
        run(
            "openssl",
            &[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:3072",
                "-out",
                &path(&out),
            ],
        );
    }
    let config = path(&dir.join("certomancer.yml"));
    let certomancer = tool("certomancer");
    let root = dir.join("tsa-root.pem");
    run(
        &certomancer,
        &[
            "--config",
            &config,
            "summon",
            "tsa-test",
            "root",
            &path(&root),
        ],
    );
    // The shell reads its stdin (our pipe) and kills certomancer, by its pid, once the pipe
    // closes: at the latest when this test process exits.
    let child = Command::new("sh")
        .arg("-c")
        .arg(r#""$@" </dev/null >animator.log 2>&1 & pid=$!; read -r _; kill "$pid""#)
        .arg("sh")
        .arg(&certomancer)
        .args(["--config", &config, "animate", "--no-web-ui", "--port"])
        .arg(port.to_string())
        .current_dir(dir)
        .stdin(Stdio::piped())
        .spawn()
        .expect("start certomancer");
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "certomancer did not start; see {}",
            dir.join("animator.log").display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (format!("{base}/tsa-test/tsa/tsa"), root, child)
}

// ---------------------------------------------------------------------------------------------
// Realistic evidences, one per kind.
// ---------------------------------------------------------------------------------------------

use common::{issuer, recipient, sender, sessions};

const SUBJECT: &str = "Résiliation du bail <n°42> & « préavis » de départ";

fn attachment(name: &str, id: Option<&str>) -> ContentDigest {
    ContentDigest::sha256_of(name, id.map(str::to_owned), name.as_bytes())
}

/// An evidence of `kind` with every required field (and a few optional ones), French accents
/// and XML-special characters included.
fn sample(kind: EvidenceKind) -> Evidence {
    let now = SystemTime::now();
    let id = format!("EVD-{}-{:08x}", kind.code(), OsRng.next_u32());
    let mut e = Evidence::new(kind, id, now, POLICY_OID, issuer());
    let letter = |e: &mut Evidence| {
        e.letter_id = Some("LRE-2026-000451".to_owned());
        e.subject = Some(SUBJECT.to_owned());
    };
    match kind {
        EvidenceKind::Deposit => {
            e.sender = Some(sender());
            letter(&mut e);
            e.submission_time = Some(now);
            e.sessions = Some(sessions(now));
        }
        EvidenceKind::Transmission => {
            e.recipient = Some(recipient());
            letter(&mut e);
            e.submission_time = Some(now - Duration::from_secs(2));
        }
        EvidenceKind::LetterSummary => {
            e.sender = Some(sender());
            e.recipient = Some(recipient());
            letter(&mut e);
            e.submission_time = Some(now);
            e.sessions = Some(sessions(now));
            // Long enough for a second page.
            let paragraph = "Madame, Monsieur, par la présente je vous notifie la résiliation \
                             du bail de l'appartement situé au 12, rue de l'Église, à effet \
                             au terme du préavis légal de trois mois. Les clés seront remises \
                             lors de l'état des lieux de sortie, dont je vous propose de fixer \
                             la date d'un commun accord. ";
            e.fields.push(Field::known(
                keys::LETTER_MESSAGE,
                format!("{}\n\nCordialement,\nÉlodie Lefèvre", paragraph.repeat(14)),
            ));
            e.digests = vec![
                attachment("lettre-résiliation.pdf", Some("att_01")),
                attachment("état-des-lieux-entrée.pdf", Some("att_02")),
                attachment(
                    "quittance_loyer_octobre_2026_avec_un_nom_de_fichier_très_long.pdf",
                    None,
                ),
            ];
        }
        EvidenceKind::Reminder => {
            e.sender = Some(sender());
            e.recipient = Some(recipient());
            letter(&mut e);
            e.fields.push(Field::known(keys::REMINDER_DAY, "8"));
        }
        EvidenceKind::Acceptance | EvidenceKind::Refusal => {
            e.recipient = Some(recipient());
            letter(&mut e);
            e.sessions = Some(sessions(now));
        }
        EvidenceKind::NonClaim => {
            letter(&mut e);
            e.fields.push(Field::time(
                keys::LETTER_EXPIRY_TIME,
                now - Duration::from_secs(1),
            ));
        }
        EvidenceKind::Opening => {
            e.recipient = Some(recipient());
            letter(&mut e);
            e.sessions = Some(sessions(now));
            e.digests = vec![attachment("lettre-résiliation.pdf", Some("att_01"))];
        }
        EvidenceKind::ConsentRequest
        | EvidenceKind::ConsentGranted
        | EvidenceKind::ConsentRefused
        | EvidenceKind::ConsentExpired => {
            e.sender = Some(sender());
            e.recipient = Some(recipient());
            e.fields
                .push(Field::known(keys::CONSENT_ID, "cst_01HZY0A1B2"));
        }
        EvidenceKind::Identification => {
            e.user = Some(recipient());
            e.fields.extend([
                Field::known(
                    keys::IDENTIFICATION_PROVIDER,
                    "Simulateur PVID intégré (NON QUALIFIÉ)",
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
            e.digests = vec![attachment("kbis-2026-10.pdf", Some("file_kbis_01"))];
        }
        EvidenceKind::PowerOfAttorneyVerification => {
            e.user = Some(sender());
            e.fields.push(Field::known(
                keys::VERIFICATION_STATUS,
                "Vérifiée / Verified",
            ));
            e.digests = vec![
                attachment("procuration-signée.pdf", Some("file_poa_01")),
                attachment("cni-recto.jpg", Some("file_id_front_01")),
                attachment("cni-verso.jpg", Some("file_id_back_01")),
            ];
        }
        EvidenceKind::LegalRepresentativeConnection => {
            e.user = Some(sender());
            e.fields.extend([
                Field::known(keys::VERIFICATION_STATUS, "Connexion établie / Connected"),
                Field::known(keys::REPRESENTATIVE_NAME, "Jean-Michel Lefèvre"),
                Field::known(keys::REPRESENTATIVE_ID, "usr_01HZW7RT2C"),
                Field::known(
                    keys::REPRESENTATIVE_COMPANY,
                    "Boulangerie Lefèvre & Fils SARL",
                ),
                Field::known(keys::REPRESENTATIVE_RCS, "RCS Lyon 512 345 678"),
                Field::known(keys::DELEGATE_NAME, "Élodie Lefèvre"),
                Field::known(keys::DELEGATE_ID, "usr_01HZX3K8Q4"),
                Field::known(keys::DELEGATE_COMPANY, "Holding Lefèvre SAS"),
                Field::known(keys::DELEGATE_RCS, "RCS Lyon 801 234 567"),
                Field::known(
                    keys::POA_EVIDENCE,
                    "EVD-PowerOfAttorneyVerification-1a2b3c4d",
                ),
                Field::known(
                    keys::KBIS_EVIDENCES,
                    "EVD-KbisUpload-5e6f7a8b, EVD-KbisUpload-9c0d1e2f",
                ),
            ]);
            e.digests = vec![
                attachment("procuration-signée.pdf", Some("file_poa_01")),
                attachment("cni-recto.jpg", Some("file_id_front_01")),
                attachment("cni-verso.jpg", Some("file_id_back_01")),
                attachment("kbis-boulangerie.pdf", Some("file_kbis_01")),
                attachment("kbis-holding.pdf", Some("file_kbis_02")),
            ];
        }
        EvidenceKind::DocumentUpload => {
            e.user = Some(sender());
            e.fields.push(Field::known(
                keys::DOCUMENT_KIND,
                "Procuration / Power of attorney",
            ));
            e.digests = vec![attachment("procuration-signée.pdf", Some("file_poa_01"))];
        }
        EvidenceKind::DocumentPurge => {
            e.user = Some(sender());
            e.digests = vec![
                attachment("procuration-signée.pdf", Some("file_poa_01")),
                attachment("cni-recto.jpg", Some("file_id_front_01")),
            ];
        }
        EvidenceKind::NotificationFailure => {
            e.recipient = Some(recipient());
            letter(&mut e);
            e.fields.extend([
                Field::known(
                    keys::NOTIFICATION_MESSAGE_ID,
                    "<0192f3a4-5b6c-7d8e-9f00-112233445566@pli.example>",
                ),
                Field::known(
                    keys::NOTIFICATION_SERVER_RESPONSE,
                    "550 5.1.1 <destinataire@refused.invalid>: mailbox unavailable",
                ),
            ]);
        }
        EvidenceKind::DossierManifest => {
            letter(&mut e);
            e.digests = vec![
                attachment("01-Deposit-evd_01.pdf", Some("evd_01")),
                attachment("02-Transmission-evd_02.pdf", Some("evd_02")),
            ];
        }
        EvidenceKind::LedgerCheckpoint => {
            let head = hex(&Sha256::digest(b"head"));
            e.fields.extend([
                Field::known(keys::LEDGER_FIRST_SEQUENCE, "1"),
                Field::known(keys::LEDGER_LAST_SEQUENCE, "48213"),
                Field::known(keys::LEDGER_HEAD_HASH, format!("SHA-256 {head}")),
            ]);
        }
    }
    e
}

// ---------------------------------------------------------------------------------------------
// Sealing and judging.
// ---------------------------------------------------------------------------------------------

/// Seals `evidence` stage by stage, as the server does (the HSM stage in `spawn_blocking`).
async fn seal_in_stages(
    fx: &Fixture,
    profile: &SealProfile,
    stamper: &dyn TimeStamper,
    evidence: &Evidence,
) -> Vec<u8> {
    let prepared = evidence
        .prepare(profile, SystemTime::now())
        .expect("prepare");
    let signer = fx.dev.signer.clone();
    let signed = tokio::task::spawn_blocking(move || prepared.sign(&signer))
        .await
        .expect("join")
        .expect("sign");
    // The server awaits this stage in a spawned task: it must be `Send`.
    require_send(signed.timestamp(stamper))
        .await
        .expect("timestamp")
        .finish()
}

fn require_send<T: Send>(value: T) -> T {
    value
}

/// `pdfsig` with the NSS database `nss_db` as its trust store. It exits 0 even for a digest
/// mismatch: callers read its report.
fn pdfsig(nss_db: &Path, pdf: &Path) -> String {
    output(
        "pdfsig",
        &[
            "-nssdir",
            &format!("sql:{}", nss_db.display()),
            "-no-ocsp",
            &path(pdf),
        ],
    )
    .1
}

/// The CMS in the PDF's `/Contents`, found through its `/ByteRange`.
fn embedded_cms(pdf: &[u8]) -> Vec<u8> {
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
    let (start, end) = (numbers[1], numbers[2]);
    assert_eq!(numbers[0], 0);
    assert_eq!(
        numbers[2] + numbers[3],
        pdf.len(),
        "ByteRange covers the file's end"
    );
    let hex = std::str::from_utf8(&pdf[start + 1..end - 1]).unwrap();
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    bytes[..der_len(&bytes)].to_vec()
}

/// The signature value and the signature time-stamp token of the PDF's CMS.
fn signature_and_token(pdf: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let content_info = ContentInfo::from_der(&embedded_cms(pdf)).unwrap();
    let signed = content_info.content.decode_as::<SignedData>().unwrap();
    let info = signed.signer_infos.0.as_slice()[0].clone();
    let token = info
        .unsigned_attrs
        .expect("unsigned attributes")
        .iter()
        .find(|a| a.oid == ID_AA_SIGNATURE_TIME_STAMP_TOKEN)
        .expect("signature-time-stamp attribute")
        .values
        .get(0)
        .unwrap()
        .to_der()
        .unwrap();
    (info.signature.as_bytes().to_vec(), token)
}

/// `openssl ts -verify` accepts the PDF's signature time-stamp token (written to `out/name`)
/// as a token over SHA-256 of the signature value, trusting `root`.
fn openssl_verifies_token(pdf: &[u8], name: &str, root: &Path) {
    let (signature, token) = signature_and_token(pdf);
    let token_file = fixture().dev.write(name, &token);
    let report = run(
        "openssl",
        &[
            "ts",
            "-verify",
            "-in",
            &path(&token_file),
            "-token_in",
            "-digest",
            &hex(&Sha256::digest(&signature)),
            "-CAfile",
            &path(root),
        ],
    );
    assert!(report.contains("Verification: OK"), "openssl ts:\n{report}");
}

fn normalised(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Seals one evidence of `kind` and has every independent tool judge it.
async fn sealed_evidence_passes_every_validator(kind: EvidenceKind) {
    let fx = fixture();
    let evidence = sample(kind);
    evidence.validate().expect("sample is complete");
    let started = Instant::now();
    let pdf = seal_in_stages(fx, &fx.dev.profile, &fx.dev.tsa, &evidence).await;
    let sealing = started.elapsed();
    let file = fx.dev.write(&format!("{}.pdf", kind.code()), &pdf);
    eprintln!(
        "{kind}: {} bytes, sealed in {sealing:?}: {}",
        pdf.len(),
        file.display()
    );

    // pyHanko: signature, chain to the development root, signature time-stamp.
    let (ok, report) = pyhanko(&[&fx.dev.root_pem], &file);
    assert!(ok && report.contains("judged VALID"), "pyHanko:\n{report}");
    for expected in [
        "The signer's certificate is trusted.",
        "Signature timestamp token:",
        "The timestamp token is cryptographically sound.",
        "The TSA certificate is trusted.",
        "The signature covers the entire file.",
    ] {
        assert!(
            report.contains(expected),
            "pyHanko: no {expected:?} in:\n{report}"
        );
    }

    // poppler.
    let report = pdfsig(&fx.nss_db, &file);
    assert!(report.contains("Signature is Valid."), "pdfsig:\n{report}");
    assert!(report.contains("ETSI.CAdES.detached"), "pdfsig:\n{report}");

    // qpdf: syntax.
    let (ok, report) = output("qpdf", &["--check", &path(&file)]);
    assert!(
        ok && report.contains("No syntax or stream encoding errors found"),
        "qpdf:\n{report}"
    );

    // The attached XML, byte for byte.
    let xml = evidence.to_xml();
    let listing = run("pdfdetach", &["-list", &path(&file)]);
    assert!(
        listing.contains(&evidence.xml_file_name()),
        "pdfdetach -list:\n{listing}"
    );
    let extracted = fx.dev.dir.join("out").join(format!("{}.xml", kind.code()));
    run(
        "pdfdetach",
        &["-save", "1", "-o", &path(&extracted), &path(&file)],
    );
    assert_eq!(std::fs::read_to_string(&extracted).unwrap(), xml);
    assert!(xml.contains(&format!(
        "<EvidenceIdentifier>{}</EvidenceIdentifier>",
        evidence.id
    )));
    assert!(xml.contains(&format!("<ERDSEventId>{}</ERDSEventId>", kind.event_uri())));
    // Well-formed, and following the clauses of EN 319 522-3 we follow, for an independent
    // XML parser (EVD-08).
    follows_etsi_clauses(&evidence, &extracted);

    // The human-readable text: both titles, the id and every value of a required key (EVD-04).
    let text_file = fx.dev.dir.join("out").join(format!("{}.txt", kind.code()));
    run("pdftotext", &[&path(&file), &path(&text_file)]);
    let text = normalised(&std::fs::read_to_string(&text_file).unwrap());
    for expected in [
        kind.title_fr(),
        kind.title_en(),
        evidence.id.as_str(),
        POLICY_OID,
    ] {
        assert!(
            text.contains(&normalised(expected)),
            "{expected:?} not in:\n{text}"
        );
    }
    // Long values may be cut anywhere when wrapped: compare without white space.
    let compact: String = text.split_whitespace().collect();
    for field in &evidence.fields {
        if field.key == keys::LETTER_MESSAGE {
            // It runs over several pages, interrupted by their headers and footers.
            let first: String = field.value.split_whitespace().take(12).collect();
            assert!(compact.contains(&first), "message not in:\n{text}");
            continue;
        }
        let value: String = field.value.split_whitespace().collect();
        assert!(
            compact.contains(&value),
            "{:?} not in:\n{text}",
            field.value
        );
    }
    for party in [&evidence.sender, &evidence.recipient, &evidence.user]
        .into_iter()
        .flatten()
    {
        assert!(text.contains(&party.name), "{} not in:\n{text}", party.name);
    }
    if evidence.subject.is_some() {
        assert!(
            text.contains(&normalised(SUBJECT)),
            "subject not in:\n{text}"
        );
    }
    for digest in &evidence.digests {
        // The hex is wrapped: look for its first half.
        assert!(
            text.contains(&digest.hex[..32]),
            "{} not in:\n{text}",
            digest.hex
        );
    }
    assert!(
        text.contains(
            "Evidence sealed by Pli (développement); verify at https://pli.example/verify"
        ),
        "{text}"
    );

    // The time-stamp token on its own, for OpenSSL: it covers SHA-256 of the signature value.
    openssl_verifies_token(&pdf, &format!("{}.tst", kind.code()), &fx.dev.root_pem);
}

/// Runs `etsi_structure.py` (Python's XML parser) on the evidence XML at `file`: the clauses
/// X1–X6 of docs/evidence-events.md, the kind's event URI, and the party elements its
/// required fields call for.
fn follows_etsi_clauses(evidence: &Evidence, file: &Path) {
    let required = evidence.kind.required_fields();
    let mut args = vec![
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/etsi_structure.py").to_owned(),
        path(file),
        evidence.kind.event_uri(),
    ];
    for (key, element) in [
        (keys::SENDER_NAME, "SenderDetails"),
        (keys::RECIPIENT_NAME, "RecipientDetails"),
        (keys::SUBMISSION_TIME, "SubmissionTime"),
    ] {
        if required.contains(&key) {
            args.push(element.to_owned());
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, report) = output("python3", &args);
    assert!(ok && report.trim() == "ok", "{}: {report}", evidence.kind);
}

/// Every kind's XML follows the EN 319 522-3 clauses Pli follows (X1–X6 in
/// docs/evidence-events.md), the standard's event identifiers for the delivery events, and
/// the policy's words for the statuses (« Accepté », « Rejeté ») and the proofing result
/// (« Réussi »), French first. Covers EVD-08, EVD-04.
#[test]
fn every_kind_xml_follows_the_standard_and_the_policy_words() {
    let dir = tempfile::tempdir().unwrap();
    for kind in EvidenceKind::ALL {
        let evidence = sample(kind);
        evidence.validate().expect("sample is complete");
        let xml = evidence.to_xml();
        let file = dir.path().join(format!("{}.xml", kind.code()));
        std::fs::write(&file, &xml).unwrap();
        follows_etsi_clauses(&evidence, &file);
    }
    for (kind, event) in [
        (EvidenceKind::Deposit, "SubmissionAcceptance"),
        (EvidenceKind::Transmission, "NotificationForAcceptance"),
        (EvidenceKind::Acceptance, "ConsignmentAcceptance"),
        (EvidenceKind::Refusal, "ConsignmentRejection"),
        (EvidenceKind::NonClaim, "AcceptanceRejectionExpiry"),
        (EvidenceKind::Opening, "ContentHandover"),
    ] {
        assert_eq!(
            kind.event_uri(),
            format!("http://uri.etsi.org/19522/Event/{event}")
        );
    }
    for (kind, fr, en) in [
        (EvidenceKind::Acceptance, "Accepté", "Accepted"),
        (EvidenceKind::Refusal, "Rejeté", "Rejected"),
    ] {
        let xml = sample(kind).to_xml();
        let status = format!(
            "<pli:Status xml:lang=\"fr\">{fr}</pli:Status>\n{}<pli:Status xml:lang=\"en\">{en}</pli:Status>",
            " ".repeat(10)
        );
        assert!(xml.contains(&status), "{status} not in {xml}");
    }
    // An identification evidence records « Réussi »: any other result is refused.
    let mut wrong = sample(EvidenceKind::Identification);
    wrong
        .fields
        .retain(|f| f.key != keys::IDENTIFICATION_RESULT);
    wrong
        .fields
        .push(Field::known(keys::IDENTIFICATION_RESULT, "succeeded"));
    assert!(matches!(
        wrong.validate(),
        Err(evidence::pades::PadesError::InvalidField { ref field, .. })
            if field == keys::IDENTIFICATION_RESULT
    ));
    assert_eq!(
        evidence::pades::PROOFING_SUCCEEDED.joined(),
        "Réussi / Succeeded"
    );
}

macro_rules! every_kind {
    ($($test:ident => $kind:ident),* $(,)?) => {
        $(
            /// One evidence of this kind, sealed with the SoftHSM seal key and time-stamped,
            /// accepted by pyHanko, pdfsig, qpdf, pdfdetach, pdftotext and openssl.
            /// Covers EVD-01, EVD-03, EVD-04 and the kind's requirements.
            #[tokio::test]
            async fn $test() {
                sealed_evidence_passes_every_validator(EvidenceKind::$kind).await;
            }
        )*

        /// Every kind has its own test above.
        #[test]
        fn every_kind_is_tested() {
            let tested = [$(EvidenceKind::$kind),*];
            for kind in EvidenceKind::ALL {
                assert!(tested.contains(&kind), "{kind} has no sealing test");
            }
        }
    };
}

every_kind! {
    deposit_evidence_let_04_auth_04 => Deposit,
    transmission_evidence_let_04 => Transmission,
    letter_summary_let_04_auth_04 => LetterSummary,
    reminder_evidence_let_07 => Reminder,
    acceptance_evidence_let_08_auth_04 => Acceptance,
    refusal_evidence_let_09_auth_04 => Refusal,
    non_claim_evidence_let_10 => NonClaim,
    opening_evidence_let_11_auth_04 => Opening,
    consent_request_evidence_cons_04 => ConsentRequest,
    consent_granted_evidence_cons_04 => ConsentGranted,
    consent_refused_evidence_cons_04 => ConsentRefused,
    consent_expired_evidence_cons_04 => ConsentExpired,
    identification_evidence_id_04 => Identification,
    kbis_upload_evidence_id_06 => KbisUpload,
    power_of_attorney_verification_evidence_id_06 => PowerOfAttorneyVerification,
    legal_representative_connection_evidence_id_06 => LegalRepresentativeConnection,
    ledger_checkpoint_evidence => LedgerCheckpoint,
    dossier_manifest_evidence_let_12 => DossierManifest,
    notification_failure_evidence_let_05 => NotificationFailure,
    document_upload_evidence_id_07 => DocumentUpload,
    document_purge_evidence_id_07 => DocumentPurge,
}

/// One changed byte inside the signed range — in the page text, then in the attached XML —
/// makes both validators reject the evidence. Covers EVD-03.
#[tokio::test]
async fn one_changed_byte_is_detected_by_both_validators() {
    let fx = fixture();
    let evidence = sample(EvidenceKind::Acceptance);
    let pdf = seal_in_stages(fx, &fx.dev.profile, &fx.dev.tsa, &evidence).await;

    // In the page content: a byte of the first page's compressed content stream (issue 11:
    // the page text is Flate-compressed, no longer readable as is in the file).
    let flate = pdf
        .windows(12)
        .position(|w| w == b"/FlateDecode")
        .expect("a compressed content stream");
    let in_page = flate
        + pdf[flate..]
            .windows(7)
            .position(|w| w == b"stream\n")
            .expect("its data")
        + 7
        + 20;
    // In the attached XML (written verbatim, after the pages).
    let needle = format!("<EvidenceIdentifier>{}", evidence.id);
    let in_xml = pdf
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .expect("XML in the file")
        + needle.len()
        - 1;

    for (name, at) in [("tampered-page", in_page), ("tampered-xml", in_xml)] {
        let mut tampered = pdf.clone();
        tampered[at] ^= 0x01;
        let file = fx.dev.write(&format!("{name}.pdf"), &tampered);
        let (ok, report) = pyhanko(&[&fx.dev.root_pem], &file);
        assert!(!ok, "{name}: pyHanko accepted a tampered file:\n{report}");
        assert!(report.contains("INVALID"), "{name}: pyHanko:\n{report}");
        let report = pdfsig(&fx.nss_db, &file);
        assert!(
            report.contains("Digest Mismatch"),
            "{name}: pdfsig:\n{report}"
        );
    }
}

/// An evidence lacking a field its kind requires is refused, naming the field, before any
/// PDF is written. Covers EVD-04.
#[test]
fn missing_required_fields_are_named() {
    let fx = fixture();
    let mut deposit = sample(EvidenceKind::Deposit);
    deposit.sessions = None;
    let error = deposit.validate().unwrap_err();
    assert!(
        matches!(
            error,
            PadesError::MissingField {
                kind: EvidenceKind::Deposit,
                field: keys::LOGIN_SESSION_ID
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("session.login_id"), "{error}");
    assert!(
        matches!(
            deposit.prepare(&fx.dev.profile, SystemTime::now()),
            Err(PadesError::MissingField { .. })
        ),
        "prepare must validate"
    );

    let mut acceptance = sample(EvidenceKind::Acceptance);
    if let Some(recipient) = acceptance.recipient.as_mut() {
        recipient.email = None;
    }
    let error = acceptance.validate().unwrap_err();
    assert!(error.to_string().contains("recipient.email"), "{error}");
    assert!(
        error.to_string().contains("Recipient email address"),
        "{error}"
    );

    let mut non_claim = sample(EvidenceKind::NonClaim);
    non_claim.fields.clear();
    let error = non_claim.validate().unwrap_err();
    assert!(error.to_string().contains("letter.expiry_time"), "{error}");

    let mut kbis = sample(EvidenceKind::KbisUpload);
    kbis.digests[0].file_id = None;
    let error = kbis.validate().unwrap_err();
    assert!(error.to_string().contains("content.file_id"), "{error}");

    // A delegate without the power-of-attorney evidence reference.
    let mut connection = sample(EvidenceKind::LegalRepresentativeConnection);
    connection.fields.retain(|f| f.key != keys::POA_EVIDENCE);
    let error = connection.validate().unwrap_err();
    assert!(
        error.to_string().contains("evidence.poa_verification"),
        "{error}"
    );

    // Every kind's sample is complete; without its fields, parties, letter, sessions and
    // digests, every kind names a missing field.
    for kind in EvidenceKind::ALL {
        let complete = sample(kind);
        complete.validate().unwrap();
        let bare = Evidence::new(kind, complete.id, complete.event_time, POLICY_OID, issuer());
        assert!(
            matches!(bare.validate(), Err(PadesError::MissingField { .. })),
            "{kind}"
        );
    }

    // A member's key given again as a field, and a malformed digest.
    let mut twice = sample(EvidenceKind::Transmission);
    twice.fields.push(Field::known(keys::LETTER_ID, "other"));
    assert!(matches!(
        twice.validate(),
        Err(PadesError::DuplicateField { .. })
    ));
    let mut bad_digest = sample(EvidenceKind::Opening);
    bad_digest.digests[0].hex.truncate(10);
    assert!(matches!(
        bad_digest.validate(),
        Err(PadesError::InvalidField { .. })
    ));
}

/// A longer chain (here the seal certificate plus two more) is sized by the dry run and the
/// result still validates. Covers EVD-01, EVD-03.
#[tokio::test]
async fn larger_chain_fits_the_placeholder() {
    let fx = fixture();
    let profile = SealProfile::new(
        fx.dev.pki.seal.clone(),
        vec![fx.dev.pki.tsa.clone(), fx.dev.pki.root.clone()],
    )
    .unwrap();
    let small = sample(EvidenceKind::Deposit)
        .prepare(&fx.dev.profile, SystemTime::now())
        .unwrap()
        .reserved_len();
    let evidence = sample(EvidenceKind::Deposit);
    let prepared = evidence.prepare(&profile, SystemTime::now()).unwrap();
    assert!(
        prepared.reserved_len() > small + 2000,
        "{} vs {small}",
        prepared.reserved_len()
    );
    let pdf = seal_in_stages(fx, &profile, &fx.dev.tsa, &evidence).await;
    let file = fx.dev.write("long-chain.pdf", &pdf);
    let (ok, report) = pyhanko(&[&fx.dev.root_pem], &file);
    assert!(ok && report.contains("judged VALID"), "pyHanko:\n{report}");
}

/// A profile sized from a real token of the TSA (`SealProfile::sized_for`) reserves room for
/// that TSA's tokens plus the margin of `timestamp_size_hint`, no more: with the development
/// TSA (one certificate) the placeholder is smaller than the default one, and the evidence still
/// validates. Covers EVD-02, EVD-03.
#[tokio::test]
async fn profile_sized_from_a_real_token_fits_that_tsa() {
    let fx = fixture();
    let token = fx.dev.tsa.timestamp(&[1; 32]).await.unwrap();
    let sized = require_send(fx.dev.profile.clone().sized_for(&fx.dev.tsa))
        .await
        .unwrap();
    assert_eq!(
        sized.timestamp_size_hint(),
        pades::timestamp_size_hint(token.der.len())
    );
    assert!(sized.timestamp_size_hint() < SealProfile::DEFAULT_TIMESTAMP_SIZE_HINT);

    let evidence = sample(EvidenceKind::Deposit);
    let default_len = evidence
        .prepare(&fx.dev.profile, SystemTime::now())
        .unwrap()
        .reserved_len();
    let sized_len = evidence
        .prepare(&sized, SystemTime::now())
        .unwrap()
        .reserved_len();
    assert!(sized_len < default_len, "{sized_len} vs {default_len}");
    let pdf = seal_in_stages(fx, &sized, &fx.dev.tsa, &evidence).await;
    let file = fx.dev.write("sized-profile.pdf", &pdf);
    let (ok, report) = pyhanko(&[&fx.dev.root_pem], &file);
    assert!(ok && report.contains("judged VALID"), "pyHanko:\n{report}");
    let report = pdfsig(&fx.nss_db, &file);
    assert!(report.contains("Signature is Valid."), "pdfsig:\n{report}");
}

/// Issue 11: a profile sized from a real token leaves little unused room in `/Contents` (the
/// token's margin plus the dry run's, about a hundred bytes), and the page content streams are
/// Flate-compressed: the whole evidence is far smaller than the 30 KB of the unsized,
/// uncompressed files. A token one byte larger than the sized room is refused rather than
/// written into a broken file. Covers EVD-03.
#[tokio::test]
async fn sized_placeholder_leaves_little_padding() {
    let fx = fixture();
    let sized = require_send(fx.dev.profile.clone().sized_for(&fx.dev.tsa))
        .await
        .unwrap();
    let evidence = sample(EvidenceKind::Deposit);
    let pdf = seal_in_stages(fx, &sized, &fx.dev.tsa, &evidence).await;
    let cms = embedded_cms(&pdf);
    let prepared = evidence.prepare(&sized, SystemTime::now()).unwrap();
    let unused = prepared.reserved_len() - der_len(&cms);
    assert!(unused <= 160, "{unused} bytes unused in /Contents");
    assert!(pdf.len() < 20_000, "{} bytes", pdf.len());
    assert!(
        pdf.windows(12).filter(|w| *w == b"/FlateDecode").count() >= 1,
        "compressed content streams"
    );
    let file = fx.dev.write("sized-padding.pdf", &pdf);
    let (ok, report) = pyhanko(&[&fx.dev.root_pem], &file);
    assert!(ok && report.contains("judged VALID"), "pyHanko:\n{report}");
    let report = pdfsig(&fx.nss_db, &file);
    assert!(report.contains("Signature is Valid."), "pdfsig:\n{report}");
    let (ok, report) = output("qpdf", &["--check", &path(&file)]);
    assert!(ok, "qpdf:\n{report}");

    // The room for the token is its measured size plus the margin: a token that outgrows it
    // by one byte does not fit.
    let token = fx.dev.tsa.timestamp(&[1; 32]).await.unwrap();
    let tight = fx
        .dev
        .profile
        .clone()
        .with_timestamp_size_hint(token.der.len() - 1 - 32);
    let prepared = evidence.prepare(&tight, SystemTime::now()).unwrap();
    let signer = fx.dev.signer.clone();
    let signed = tokio::task::spawn_blocking(move || prepared.sign(&signer))
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        signed.timestamp(&fx.dev.tsa).await,
        Err(PadesError::SignatureTooLarge { .. })
    ));
}

/// A time-stamp token larger than the profile's size hint (plus margin) is refused with
/// `SignatureTooLarge` instead of producing a corrupt PDF. Covers EVD-03.
#[tokio::test]
async fn token_larger_than_the_hint_is_refused() {
    let fx = fixture();
    let profile = fx.dev.profile.clone().with_timestamp_size_hint(16);
    let evidence = sample(EvidenceKind::Opening);
    let prepared = evidence.prepare(&profile, SystemTime::now()).unwrap();
    let reserved = prepared.reserved_len();
    let signer = fx.dev.signer.clone();
    let signed = tokio::task::spawn_blocking(move || prepared.sign(&signer))
        .await
        .unwrap()
        .expect("the signature alone fits");
    match signed.timestamp(&fx.dev.tsa).await {
        Err(PadesError::SignatureTooLarge {
            needed,
            reserved: r,
        }) => {
            assert_eq!(r, reserved);
            assert!(needed > reserved);
        }
        other => panic!("expected SignatureTooLarge, got {:?}", other.map(|_| ())),
    }
}

/// A token over another digest, or a signer whose key is not the seal certificate's, is
/// refused. Covers EVD-01, EVD-02.
#[tokio::test]
async fn wrong_token_and_wrong_key_are_refused() {
    let fx = fixture();
    let evidence = sample(EvidenceKind::ConsentGranted);
    let prepared = evidence
        .prepare(&fx.dev.profile, SystemTime::now())
        .unwrap();

    // The TSA key of the development PKI is in the same token but is not the seal key.
    let wrong = KeySigner::new(&fx.dev.hsm, Role::Tsa.key_label()).unwrap();
    let attempt = prepared.clone();
    let refused = tokio::task::spawn_blocking(move || attempt.sign(&wrong))
        .await
        .unwrap();
    assert!(
        matches!(refused, Err(PadesError::KeyMismatch)),
        "{refused:?}"
    );

    let signer = fx.dev.signer.clone();
    let signed = tokio::task::spawn_blocking(move || prepared.sign(&signer))
        .await
        .unwrap()
        .unwrap();
    let other = fx.dev.tsa.timestamp(&[7; 32]).await.unwrap();
    assert!(matches!(
        signed.with_timestamp(&other.der),
        Err(PadesError::TimestampMismatch)
    ));
}

/// The convenience `seal` gives the same kind of file as the stages.
#[tokio::test]
async fn seal_convenience_produces_a_valid_evidence() {
    let fx = fixture();
    let evidence = sample(EvidenceKind::Transmission);
    let pdf = require_send(pades::seal(
        &evidence,
        &fx.dev.profile,
        &fx.dev.signer,
        &fx.dev.tsa,
        SystemTime::now(),
    ))
    .await
    .unwrap();
    let file = fx.dev.write("convenience.pdf", &pdf);
    let (ok, report) = pyhanko(&[&fx.dev.root_pem], &file);
    assert!(ok && report.contains("judged VALID"), "pyHanko:\n{report}");
}

/// Tokens from an independent RFC 3161 TSA (certomancer, over HTTP through the service's
/// [`HttpTimeStamper`], with fractional seconds in `genTime`) are embedded and accepted by
/// both validators trusting that TSA's own root. Covers EVD-02, EVD-03.
#[tokio::test]
async fn third_party_tsa_tokens_are_accepted() {
    let fx = fixture();
    let tsa = third_party_tsa();
    let evidence = sample(EvidenceKind::Refusal);
    let pdf = seal_in_stages(fx, &fx.dev.profile, &tsa.stamper, &evidence).await;
    let file = fx.dev.write("third-party-tsa.pdf", &pdf);
    let (ok, report) = pyhanko(&[&fx.dev.root_pem, &tsa.root], &file);
    assert!(ok && report.contains("judged VALID"), "pyHanko:\n{report}");
    assert!(
        report.contains("Pli test time-stamping unit")
            && report.contains("The TSA certificate is trusted."),
        "pyHanko:\n{report}"
    );
    let report = pdfsig(&tsa.nss_db, &file);
    assert!(report.contains("Signature is Valid."), "pdfsig:\n{report}");

    openssl_verifies_token(&pdf, "third-party-tsa.tst", &tsa.root);
}
