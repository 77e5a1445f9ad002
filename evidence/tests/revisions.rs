//! Revisions after the seal (issue 12, EVD-05): a document time-stamp that pyHanko (an
//! independent writer) appends to a sealed evidence is accepted by `verify_pdf`, which lists it
//! in the report's time-stamp chain and says until when the evidence stays verifiable; one byte
//! changed in that revision, or a revision changing the evidence, is refused.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::OnceLock;
use std::time::SystemTime;

use evidence::pades::{ContentDigest, Evidence, EvidenceKind};
use evidence::timestamp::DevTsa;
use evidence::verify::{CheckId, Outcome};
use evidence::verify_pdf;

use common::sealing::{DevSealing, POLICY_OID};
use common::tools::{output, path, tool};
use common::{issuer, recipient, sessions};

fn fixture() -> &'static DevSealing {
    static FIXTURE: OnceLock<DevSealing> = OnceLock::new();
    FIXTURE.get_or_init(|| DevSealing::new("revisions-", "revisions"))
}

/// The development TSA over HTTP (RFC 3161 §3.4) on a free port, for pyHanko; its URL.
fn tsa_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/tsa", listener.local_addr().unwrap());
        let tsa = fixture().tsa.0.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = answer(stream, &tsa);
            }
        });
        url
    })
}

/// One HTTP request: the time-stamp query in, the reply out.
fn answer(stream: TcpStream, tsa: &DevTsa) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        if line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut query = vec![0; length];
    reader.read_exact(&mut query)?;
    let reply = tsa.respond(&query, SystemTime::now());
    let mut stream = reader.into_inner();
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        reply.len()
    )?;
    stream.write_all(&reply)
}

fn sample() -> Evidence {
    let now = SystemTime::now();
    let mut e = Evidence::new(
        EvidenceKind::Opening,
        format!(
            "EVD-revisions-{}",
            now.elapsed().unwrap_or_default().as_nanos()
        ),
        now,
        POLICY_OID,
        issuer(),
    );
    e.recipient = Some(recipient());
    e.letter_id = Some("LRE-2026-000451".to_owned());
    e.subject = Some("Mise en demeure".to_owned());
    e.sessions = Some(sessions(now));
    e.digests = vec![ContentDigest::sha256_of(
        "contrat.pdf",
        Some("att_01".to_owned()),
        b"contrat",
    )];
    e
}

/// pyHanko's document time-stamp over `pdf` (written as `name`), from the development TSA.
fn time_stamped(fx: &DevSealing, pdf: &[u8], name: &str) -> Vec<u8> {
    let input = fx.write(&format!("{name}-in.pdf"), pdf);
    let out = fx.dir.join("out").join(format!("{name}-out.pdf"));
    let (ok, text) = output(
        tool("pyhanko"),
        &[
            "sign",
            "timestamp",
            "--timestamp-url",
            tsa_url(),
            "--trust",
            &path(&fx.root_pem),
            "--trust-replace",
            &path(&input),
            &path(&out),
        ],
    );
    assert!(ok, "pyhanko sign timestamp: {text}");
    std::fs::read(out).unwrap()
}

#[tokio::test]
async fn a_document_time_stamp_is_accepted_and_listed() {
    let fx = fixture();
    let pdf = fx.seal(&sample()).await;
    let stamped = time_stamped(fx, &pdf, "once");
    assert!(stamped.starts_with(&pdf), "an incremental update appends");

    let report = verify_pdf(&stamped, &fx.roots(), None);
    assert!(report.valid(), "{report}");
    let covered = report.check(CheckId::WholeFileCovered).unwrap();
    assert!(
        covered.detail.contains("1 document time-stamp"),
        "{}",
        covered.detail
    );
    assert_eq!(report.sealed_length, Some(pdf.len() as u64));
    let [stamp] = report.doc_timestamps.as_slice() else {
        panic!("one document time-stamp: {report}");
    };
    // pyHanko follows its time-stamp with a revision adding that time-stamp's own validation
    // data (a DSS update): accepted too.
    assert!(pdf.len() as u64 <= stamp.covers && stamp.covers <= stamped.len() as u64);
    assert_eq!(report.verifiable_until(), Some(stamp.tsa_not_after));
    let text = report.to_string();
    assert!(text.contains("Time-stamp chain (PAdES-B-LTA)"), "{text}");
    assert!(text.contains("Verifiable without renewal until"), "{text}");

    // A second one (a renewal): both listed, in order.
    let twice = time_stamped(fx, &stamped, "twice");
    let report = verify_pdf(&twice, &fx.roots(), None);
    assert!(report.valid(), "{report}");
    assert_eq!(report.doc_timestamps.len(), 2, "{report}");
    assert!(report.doc_timestamps[0].covers < report.doc_timestamps[1].covers);

    // Without any document time-stamp, the seal certificate's end is the limit.
    let plain = verify_pdf(&pdf, &fx.roots(), None);
    assert!(plain.doc_timestamps.is_empty());
    assert_eq!(plain.verifiable_until(), plain.seal_not_after);
}

#[tokio::test]
async fn a_changed_revision_is_refused() {
    let fx = fixture();
    let pdf = fx.seal(&sample()).await;
    let stamped = time_stamped(fx, &pdf, "tampered");
    let refused = |bytes: &[u8], why: &str| {
        let report = verify_pdf(bytes, &fx.roots(), None);
        let check = report.check(CheckId::WholeFileCovered).unwrap();
        assert_eq!(check.outcome, Outcome::Failed, "{why}: {report}");
        assert!(!report.valid(), "{why}");
        check.detail.clone()
    };

    // One byte of the time-stamp's revision changed (outside its /Contents): its digest.
    let mut changed = stamped.clone();
    let at = pdf.len() + (stamped.len() - pdf.len()) / 3;
    changed[at] ^= 0x01;
    let detail = refused(&changed, "a byte of the update");
    assert!(
        detail.contains("document time-stamp") || detail.contains("object"),
        "{detail}"
    );

    // Bytes appended after the last %%EOF.
    let mut appended = stamped.clone();
    appended.extend_from_slice(b"\n% later\n");
    let detail = refused(&appended, "appended bytes");
    assert!(detail.contains("%%EOF"), "{detail}");

    // A revision that rewrites a page of the evidence (pyHanko adding a visible field changes
    // the page's annotations with an empty field, which is not a time-stamp).
    let input = fx.write("field-in.pdf", &stamped);
    let out = fx.dir.join("out").join("field-out.pdf");
    let (ok, text) = output(
        tool("pyhanko"),
        &[
            "sign",
            "addfields",
            "--field",
            "1/10,10,110,60/Witness",
            &path(&input),
            &path(&out),
        ],
    );
    assert!(ok, "pyhanko addfields: {text}");
    let detail = refused(&std::fs::read(out).unwrap(), "an empty field");
    assert!(detail.contains("added after sealing"), "{detail}");
}
