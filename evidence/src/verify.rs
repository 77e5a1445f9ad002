//! Verification of an evidence PDF by anyone (EVD-03, EVD-06): [`verify_pdf`] checks the
//! PAdES-B-T seal — structure, integrity, signature, seal certificate chain, signature
//! time-stamp — reads the evidence XML attached inside the signed range, and can check an
//! original file against the digests the evidence records. All in-process, no network.
//!
//! The result is a [`Report`] listing every check ([`CheckId`]) with its outcome and a
//! readable detail; [`Report::valid`] is true only when every mandatory check ran and passed.
//! Nothing is taken on trust: a check that cannot run because an earlier one failed is
//! reported [`Outcome::NotChecked`], which counts as not passed.
//!
//! The CMS checks are the crate's one implementation (`cms_verify`), shared with
//! [`verify_token`]. The PDF is read with a small bounds-checked scanner (no PDF library):
//! our writer's output is the target, and arbitrary bytes give an invalid report, never a
//! panic.
//!
//! Not checked here: revocation (no OCSP/CRL is fetched) and long-term validation material
//! (EVD-05); the trust roots are the caller's choice (the service's published roots).

use std::fmt::Write as _;
use std::ops::Range;
use std::time::SystemTime;

use const_oid::db::rfc5911;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use crate::cms_verify::{CmsError, SignedCms, check_chain};
use crate::pades::{ID_AA_SIGNATURE_TIME_STAMP_TOKEN, format_utc};
use crate::timestamp::verify_token;

mod content;
mod report;
mod scan;

pub use report::{Check, CheckId, Outcome, Report, VerifyError};

use scan::{Dict, IndirectObject, Object};

/// The `/SubFilter` of a PAdES baseline signature (ETSI EN 319 142-1 §6.3).
const SUB_FILTER: &[u8] = b"ETSI.CAdES.detached";
/// Largest decoded embedded file accepted (a bound for compressed streams).
const MAX_ATTACHMENT: usize = 16 * 1024 * 1024;

/// Verifies an evidence PDF (EVD-03, EVD-06) against `trust_roots` (the seal's and the
/// time-stamping unit's roots) and, when `original_sha256` is given, checks that file's
/// SHA-256 against the digests the evidence records.
///
/// 1. Structure: the last signature dictionary has `/ByteRange [0 b c d]` whose gap `b..c` is
///    exactly its `/Contents` hex string (angle brackets included) and
///    `/SubFilter /ETSI.CAdES.detached`; `c + d` is the file's length (no incremental update
///    after sealing).
/// 2. CMS: `/Contents` (zero padding allowed) is a detached `SignedData` with one signer; its
///    message-digest equals SHA-256 of the two byte ranges (the document is unmodified); the
///    RSA signature over the signed attributes verifies with the seal certificate; the
///    signing-certificate-v2 attribute names it; it chains to `trust_roots` (intermediates
///    from the CMS), valid at the time-stamp's time (now when there is no valid time-stamp).
/// 3. Time-stamp: the signature-time-stamp unsigned attribute holds an RFC 3161 token over
///    SHA-256 of the signature value, verified by [`verify_token`] with `trust_roots`.
/// 4. Content: exactly one evidence XML is attached inside the signed range; its identifier,
///    kind, event, event time, policy and file digests are read.
///
/// Never panics, whatever the bytes.
pub fn verify_pdf(
    pdf: &[u8],
    trust_roots: &[Certificate],
    original_sha256: Option<&[u8; 32]>,
) -> Report {
    let mut report = Report::default();
    let objects = scan::objects(pdf);

    // 1. Structure.
    let signature = match find_signature(pdf, &objects) {
        Ok(signature) => signature,
        Err(reason) => {
            report.fail(CheckId::SignatureDictionary, reason);
            let because = "there is no usable signature dictionary";
            for id in &CheckId::MANDATORY[1..] {
                report.not_checked(*id, because);
            }
            original_not_checked(&mut report, original_sha256, because);
            return report;
        }
    };
    report.signing_time = signature.signing_time;
    let ranges = signature.ranges.as_ref();
    report.record(
        CheckId::SignatureDictionary,
        if signature.problems.is_empty() {
            Ok(signature.describe())
        } else {
            Err(signature.problems.join("; "))
        },
    );
    match &signature.byte_range {
        Some([_, _, c, d]) => {
            let end = c.saturating_add(*d);
            report.record(
                CheckId::WholeFileCovered,
                if end == pdf.len() as u64 {
                    Ok(format!(
                        "the signed range ends at the file's end (byte {end})"
                    ))
                } else if end < pdf.len() as u64 {
                    Err(format!(
                        "{} bytes after the signed range (which ends at byte {end}) are not \
                         covered by the seal: something (an incremental update, appended data) \
                         was added after sealing",
                        pdf.len() as u64 - end
                    ))
                } else {
                    Err(format!(
                        "the signed range ends at byte {end}, beyond the file's {} bytes: the \
                         file is truncated",
                        pdf.len()
                    ))
                },
            );
        }
        None => report.not_checked(CheckId::WholeFileCovered, "no readable /ByteRange"),
    }

    // 2. CMS.
    let cms = match decode_cms(&signature.contents) {
        Ok(cms) => cms,
        Err(reason) => {
            report.fail(CheckId::CmsStructure, reason);
            let because = "the CMS signature could not be read";
            for id in [
                CheckId::DocumentUnmodified,
                CheckId::SealSignature,
                CheckId::SigningCertificate,
                CheckId::CertificateChain,
                CheckId::Timestamp,
            ] {
                report.not_checked(id, because);
            }
            content_check(&mut report, pdf, &objects, ranges, original_sha256);
            return report;
        }
    };
    let signer = cms.signer;
    let cms = cms.cms;
    report.signer_subject = Some(signer.tbs_certificate.subject.to_string());
    report.seal_serial = Some(upper_hex(signer.tbs_certificate.serial_number.as_bytes()));
    report.pass(
        CheckId::CmsStructure,
        format!(
            "detached CMS SignedData, one signer: \"{}\" ({} certificate(s) embedded)",
            signer.tbs_certificate.subject,
            cms.certificates().len()
        ),
    );

    match ranges {
        Some([first, second]) => {
            let signed: [&[u8]; 2] = [
                pdf.get(first.clone()).unwrap_or_default(),
                pdf.get(second.clone()).unwrap_or_default(),
            ];
            let hash = cms.digest_hash().map(|h| h.name()).unwrap_or("?");
            report.record(
                CheckId::DocumentUnmodified,
                match cms.check_message_digest(&signed) {
                    Ok(()) => Ok(format!(
                        "the {hash} of bytes {}..{} and {}..{} equals the sealed message-digest",
                        first.start, first.end, second.start, second.end
                    )),
                    Err(CmsError::DigestMismatch) => Err(format!(
                        "the document was modified after sealing: the {hash} of bytes {}..{} \
                         and {}..{} is not the sealed message-digest",
                        first.start, first.end, second.start, second.end
                    )),
                    Err(other) => Err(other.to_string()),
                },
            );
        }
        None => report.not_checked(
            CheckId::DocumentUnmodified,
            "the signed byte ranges are not usable",
        ),
    }

    report.record(
        CheckId::SealSignature,
        cms.check_signature(&signer)
            .map(|()| {
                format!(
                    "the RSA signature verifies with the key of \"{}\"",
                    signer.tbs_certificate.subject
                )
            })
            .map_err(|e| format!("the seal signature is not valid: {e}")),
    );
    report.record(
        CheckId::SigningCertificate,
        cms.check_signing_certificate_v2(&signer, true)
            .map(|()| "signing-certificate-v2 names the seal certificate".to_owned())
            .map_err(|e| e.to_string()),
    );

    // 3. The time-stamp, verified before the chain, whose time it gives.
    let (stamp, stamp_time) = timestamp_check(&mut report, &cms, trust_roots);
    let (at, when) = match stamp_time {
        Some(time) => (time, "at the time-stamp's time"),
        None => (SystemTime::now(), "now (no valid time-stamp)"),
    };
    report.record(
        CheckId::CertificateChain,
        check_chain(&signer, cms.certificates(), trust_roots, at)
            .map(|root| {
                format!(
                    "chains to the trusted root \"{}\", valid {when} ({})",
                    root.tbs_certificate.subject,
                    format_utc(at)
                )
            })
            .map_err(|reason| {
                format!(
                    "the seal certificate \"{}\" is not trusted: {reason}",
                    signer.tbs_certificate.subject
                )
            }),
    );
    report.record(CheckId::Timestamp, stamp);

    // 4. Content.
    content_check(&mut report, pdf, &objects, ranges, original_sha256);
    report
}

/// What the signature dictionary says, and what is wrong with it.
struct SignatureDict {
    /// `/ByteRange`, when it is four non-negative integers.
    byte_range: Option<[u64; 4]>,
    /// The two signed ranges, when `/ByteRange` is consistent with `/Contents` and the file.
    ranges: Option<[Range<usize>; 2]>,
    /// The decoded `/Contents`.
    contents: Vec<u8>,
    /// `/M`, when readable.
    signing_time: Option<SystemTime>,
    /// Every problem found; empty when the dictionary is as required.
    problems: Vec<String>,
}

impl SignatureDict {
    fn describe(&self) -> String {
        let mut text = String::from("/SubFilter /ETSI.CAdES.detached");
        if let Some([a, b, c, d]) = self.byte_range {
            let _ = write!(
                text,
                ", /ByteRange [{a} {b} {c} {d}] excludes exactly the /Contents string"
            );
        }
        text
    }
}

/// The last signature dictionary of the file (a dictionary with `/ByteRange` and
/// `/Contents`), checked.
fn find_signature(pdf: &[u8], objects: &[IndirectObject]) -> Result<SignatureDict, String> {
    let object = objects
        .iter()
        .rev()
        .find(|o| {
            o.value
                .as_dict()
                .is_some_and(|d| d.get(b"ByteRange").is_some() || d.name_is(b"Type", b"Sig"))
        })
        .ok_or_else(|| {
            if pdf.is_empty() {
                "the file is empty".to_owned()
            } else if !pdf.starts_with(b"%PDF-") {
                "not a PDF file (no %PDF- header) and no signature dictionary".to_owned()
            } else {
                "no signature dictionary (/ByteRange) found: the PDF is not sealed".to_owned()
            }
        })?;
    let dict = object
        .value
        .as_dict()
        .ok_or_else(|| "the signature is not a dictionary".to_owned())?;
    let mut problems = Vec::new();
    if let Some(key) = dict.duplicate_key() {
        problems.push(format!(
            "the signature dictionary repeats /{}",
            String::from_utf8_lossy(key)
        ));
    }
    if let Some(t) = dict.get(b"Type")
        && t.as_name() != Some(b"Sig")
    {
        problems.push("the signature dictionary's /Type is not /Sig".to_owned());
    }
    match dict.get(b"SubFilter").and_then(Object::as_name) {
        Some(SUB_FILTER) => {}
        Some(other) => problems.push(format!(
            "/SubFilter is /{}, not /ETSI.CAdES.detached",
            String::from_utf8_lossy(other)
        )),
        None => problems.push("no /SubFilter name".to_owned()),
    }
    let (contents_span, contents) = match dict.get(b"Contents") {
        Some(Object::HexString { span, bytes }) => (Some(span.clone()), bytes.clone()),
        Some(other) => {
            problems.push(format!(
                "/Contents is {}, not a hexadecimal string",
                other.kind()
            ));
            (None, Vec::new())
        }
        None => {
            problems.push("no /Contents".to_owned());
            (None, Vec::new())
        }
    };
    let byte_range = byte_range(dict);
    if let Err(problem) = &byte_range {
        problems.push(problem.clone());
    }
    let byte_range = byte_range.ok();
    let ranges = match (byte_range, &contents_span) {
        (Some(br), Some(span)) => match signed_ranges(br, span, pdf.len()) {
            Ok(ranges) => Some(ranges),
            Err(problem) => {
                problems.push(problem);
                None
            }
        },
        _ => None,
    };
    let signing_time = match dict.get(b"M") {
        Some(Object::String(raw)) => content::parse_pdf_date(raw),
        _ => None,
    };
    Ok(SignatureDict {
        byte_range,
        ranges,
        contents,
        signing_time,
        problems,
    })
}

/// `/ByteRange` as four non-negative integers.
fn byte_range(dict: &Dict) -> Result<[u64; 4], String> {
    let Some(Object::Array(items)) = dict.get(b"ByteRange") else {
        return Err("no /ByteRange array".to_owned());
    };
    let numbers: Vec<u64> = items
        .iter()
        .filter_map(Object::as_integer)
        .filter_map(|n| u64::try_from(n).ok())
        .collect();
    match numbers.as_slice() {
        [a, b, c, d] if items.len() == 4 => Ok([*a, *b, *c, *d]),
        _ => Err("/ByteRange is not four non-negative integers".to_owned()),
    }
}

/// The signed ranges `[0, b)` and `[c, c + d)`, when `/ByteRange` starts at 0, its gap is
/// exactly the `/Contents` string and it stays within the file.
fn signed_ranges(
    [a, b, c, d]: [u64; 4],
    contents: &Range<usize>,
    len: usize,
) -> Result<[Range<usize>; 2], String> {
    if a != 0 {
        return Err(format!("/ByteRange starts at byte {a}, not 0"));
    }
    let (start, end) = (contents.start as u64, contents.end as u64);
    if b != start || c != end {
        return Err(format!(
            "the /ByteRange gap {b}..{c} is not the /Contents string at {start}..{end}"
        ));
    }
    let last = c
        .checked_add(d)
        .filter(|&e| e <= len as u64)
        .ok_or_else(|| {
            format!(
                "/ByteRange reaches byte {}, beyond the file's {len} bytes (a truncated file)",
                c.saturating_add(d)
            )
        })?;
    let to_usize = |n: u64| usize::try_from(n).map_err(|_| "/ByteRange overflows".to_owned());
    Ok([0..to_usize(b)?, to_usize(c)?..to_usize(last)?])
}

/// A decoded PAdES CMS and its signer certificate.
struct PadesCms {
    cms: SignedCms,
    signer: Certificate,
}

/// Decodes `/Contents`: one DER `ContentInfo`, then only zero padding; a detached
/// `SignedData` of id-data with one signer whose certificate is embedded.
fn decode_cms(contents: &[u8]) -> Result<PadesCms, String> {
    if contents.is_empty() {
        return Err("/Contents is empty".to_owned());
    }
    let len = der_length(contents)
        .filter(|&len| len <= contents.len())
        .ok_or("/Contents does not start with a complete DER structure")?;
    let (der, padding) = contents.split_at(len);
    if padding.iter().any(|&b| b != 0) {
        return Err(
            "/Contents has data after the CMS structure (only zero padding is allowed)".to_owned(),
        );
    }
    let cms = SignedCms::from_content_info(der).map_err(|e| e.to_string())?;
    let encap = &cms.signed_data().encap_content_info;
    if encap.econtent.is_some() {
        return Err("the CMS encapsulates content: not a detached signature".to_owned());
    }
    cms.check_content_type(rfc5911::ID_DATA)
        .map_err(|e| e.to_string())?;
    cms.digest_hash().map_err(|e| e.to_string())?;
    let signer = cms.signer_certificate().map_err(|e| e.to_string())?.clone();
    Ok(PadesCms { cms, signer })
}

/// The length of the DER TLV at the start of `bytes` (definite lengths only).
fn der_length(bytes: &[u8]) -> Option<usize> {
    let first = *bytes.get(1)?;
    if first < 0x80 {
        return 2usize.checked_add(usize::from(first));
    }
    let n = usize::from(first & 0x7F);
    if n == 0 || n > 4 {
        return None;
    }
    let len = bytes
        .get(2..2 + n)?
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
    (2 + n).checked_add(len)
}

/// Check 3: the signature time-stamp; its outcome, and its time when it verified.
fn timestamp_check(
    report: &mut Report,
    cms: &SignedCms,
    trust_roots: &[Certificate],
) -> (Result<String, String>, Option<SystemTime>) {
    let token = match cms.unsigned_attribute(ID_AA_SIGNATURE_TIME_STAMP_TOKEN) {
        Ok(Some(token)) => token,
        Ok(None) => {
            return (
                Err(
                    "no signature time-stamp (unsigned attribute 1.2.840.113549.1.9.16.2.14): \
                     the sealing time is not proven"
                        .to_owned(),
                ),
                None,
            );
        }
        Err(e) => return (Err(e.to_string()), None),
    };
    let digest: [u8; 32] = Sha256::digest(cms.signature_value()).into();
    match verify_token(&token, &digest, None, trust_roots) {
        Ok(verified) => {
            let subject = verified.tsa_subject();
            let detail = format!(
                "RFC 3161 time-stamp of {} over the signature value, by \"{subject}\" (trusted)",
                format_utc(verified.gen_time),
            );
            report.timestamp_time = Some(verified.gen_time);
            report.tsa_subject = Some(subject);
            (Ok(detail), Some(verified.gen_time))
        }
        Err(e) => (Err(format!("the time-stamp is not valid: {e}")), None),
    }
}

/// Check 4 (and the original file): the evidence XML attached inside the signed range.
fn content_check(
    report: &mut Report,
    pdf: &[u8],
    objects: &[IndirectObject],
    ranges: Option<&[Range<usize>; 2]>,
    original_sha256: Option<&[u8; 32]>,
) {
    let Some(ranges) = ranges else {
        let because = "without a valid /ByteRange, the content is not known to be sealed";
        report.not_checked(CheckId::EvidenceContent, because);
        original_not_checked(report, original_sha256, because);
        return;
    };
    let data = match evidence_xml(pdf, objects, ranges) {
        Ok(xml) => content::read(&xml),
        Err(reason) => Err(reason),
    };
    let data = match data {
        Ok(data) => data,
        Err(reason) => {
            report.fail(CheckId::EvidenceContent, reason);
            original_not_checked(
                report,
                original_sha256,
                "the evidence content is unreadable",
            );
            return;
        }
    };
    report.pass(
        CheckId::EvidenceContent,
        format!(
            "evidence {} ({}), event time {}, {} recorded file digest(s)",
            data.id,
            data.kind.code(),
            format_utc(data.event_time),
            data.digests.len()
        ),
    );
    report.evidence_id = Some(data.id);
    report.kind = Some(data.kind);
    report.event = Some(data.event);
    report.event_time = Some(data.event_time);
    report.policy_oid = Some(data.policy_oid);
    report.letter_id = data.letter_id;
    report.digests = data.digests;

    if let Some(original) = original_sha256 {
        let hex = crate::timestamp::hex(original);
        let names: Vec<String> = report
            .digests
            .iter()
            .filter(|d| d.algorithm.eq_ignore_ascii_case("SHA-256") && d.hex == hex)
            .map(|d| d.file_name.clone())
            .collect();
        let sha256_count = report
            .digests
            .iter()
            .filter(|d| d.algorithm.eq_ignore_ascii_case("SHA-256"))
            .count();
        if names.is_empty() {
            report.fail(
                CheckId::OriginalFile,
                format!(
                    "the file's SHA-256 {hex} is none of the {sha256_count} SHA-256 digest(s) \
                     this evidence records"
                ),
            );
        } else {
            report.pass(
                CheckId::OriginalFile,
                format!(
                    "the file's SHA-256 {hex} is the recorded digest of {}",
                    report::quoted(&names)
                ),
            );
        }
        report.original_matches = Some(names);
    }
}

fn original_not_checked(report: &mut Report, original: Option<&[u8; 32]>, because: &str) {
    if original.is_some() {
        report.not_checked(CheckId::OriginalFile, because);
    }
}

/// The bytes of the one evidence XML embedded file lying inside the signed ranges.
fn evidence_xml(
    pdf: &[u8],
    objects: &[IndirectObject],
    ranges: &[Range<usize>; 2],
) -> Result<Vec<u8>, String> {
    let signed = |span: &Range<usize>| {
        ranges
            .iter()
            .any(|r| r.start <= span.start && span.end <= r.end)
    };
    let mut found = Vec::new();
    let mut unsigned = 0;
    let mut errors = Vec::new();
    for object in objects {
        let (Some(dict), Some(stream)) = (object.value.as_dict(), &object.stream) else {
            continue;
        };
        if !dict.name_is(b"Type", b"EmbeddedFile") {
            continue;
        }
        if !signed(&object.span) {
            unsigned += 1;
            continue;
        }
        match decode_stream(dict, pdf.get(stream.clone()).unwrap_or_default()) {
            Ok(bytes) if is_evidence_xml(&bytes) => found.push(bytes),
            Ok(_) => {}
            Err(e) => errors.push(format!(
                "embedded file {} {}: {e}",
                object.number, object.generation
            )),
        }
    }
    match found.len() {
        1 => Ok(found.swap_remove(0)),
        0 => {
            let mut reason = "no evidence XML is attached inside the signed range".to_owned();
            if unsigned > 0 {
                let _ = write!(
                    reason,
                    " ({unsigned} embedded file(s) outside it, not covered by the seal)"
                );
            }
            if !errors.is_empty() {
                let _ = write!(reason, " ({})", errors.join("; "));
            }
            Err(reason)
        }
        n => Err(format!(
            "{n} evidence XML files are attached: which one is the evidence is ambiguous"
        )),
    }
}

/// Whether `bytes` look like the evidence XML (the ETSI root element).
fn is_evidence_xml(bytes: &[u8]) -> bool {
    scan::find(bytes, 0, b"<Evidence ").is_some()
}

/// A stream's decoded data: no filter, or `/FlateDecode` without predictor.
fn decode_stream(dict: &Dict, raw: &[u8]) -> Result<Vec<u8>, String> {
    let filters: Vec<&[u8]> = match dict.get(b"Filter") {
        None => Vec::new(),
        Some(Object::Name(name)) => vec![name.as_slice()],
        Some(Object::Array(items)) => items.iter().filter_map(Object::as_name).collect(),
        Some(other) => return Err(format!("/Filter is {}", other.kind())),
    };
    match filters.as_slice() {
        [] => Ok(raw.to_vec()),
        [b"FlateDecode"] => {
            if dict.get(b"DecodeParms").is_some() {
                return Err("/FlateDecode with /DecodeParms is not supported".to_owned());
            }
            miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(raw, MAX_ATTACHMENT)
                .map_err(|e| format!("/FlateDecode data is corrupt ({:?})", e.status))
        }
        other => Err(format!(
            "unsupported /Filter {}",
            other
                .iter()
                .map(|f| format!("/{}", String::from_utf8_lossy(f)))
                .collect::<Vec<_>>()
                .join(" ")
        )),
    }
}

/// Upper-case hex, as certificate serial numbers are usually shown.
fn upper_hex(bytes: &[u8]) -> String {
    crate::timestamp::hex(bytes).to_ascii_uppercase()
}

/// Reads trust roots from PEM (one or several certificates) or from one DER certificate:
/// the service's published roots, as a relying party downloads them.
pub fn trust_roots_from_bytes(bytes: &[u8]) -> Result<Vec<Certificate>, VerifyError> {
    use der::Decode;
    let roots = if bytes.trim_ascii_start().starts_with(b"-----BEGIN") {
        Certificate::load_pem_chain(bytes).map_err(VerifyError::TrustRoots)?
    } else {
        vec![Certificate::from_der(bytes).map_err(VerifyError::TrustRoots)?]
    };
    if roots.is_empty() {
        return Err(VerifyError::NoTrustRoots);
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests: a panic is the failure report")]

    use super::*;

    #[test]
    fn garbage_is_invalid_without_panicking() {
        for bytes in [
            &b""[..],
            b"%PDF-1.7\n",
            b"%PDF-1.7\n1 0 obj << /ByteRange [0 1 2 3] /Contents <00> >> endobj",
            b"1 0 obj << /Type /Sig /ByteRange [0 10 12 99999999999999999] /Contents <> >> endobj",
            b"1 0 obj << /Type /Sig /ByteRange [0 -1 2 3 4] /Contents (x) >> endobj",
        ] {
            let report = verify_pdf(bytes, &[], Some(&[0; 32]));
            assert!(!report.valid(), "{report}");
            assert!(!report.checks.is_empty());
            for id in CheckId::MANDATORY {
                assert!(report.check(id).is_some(), "{id:?} missing in {report}");
            }
            assert!(report.check(CheckId::OriginalFile).is_some());
        }
    }

    #[test]
    fn der_lengths() {
        assert_eq!(der_length(&[0x30, 0x03, 1, 2, 3]), Some(5));
        assert_eq!(der_length(&[0x30, 0x82, 0x01, 0x00]), Some(260));
        assert_eq!(der_length(&[0x30, 0x80]), None);
        assert_eq!(der_length(&[0x30]), None);
        assert_eq!(
            der_length(&[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]),
            Some(6 + 0xFFFF_FFFF)
        );
    }

    #[test]
    fn flate_attachments_are_decoded() {
        let xml = b"<Evidence xmlns=\"x\"></Evidence>";
        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(xml, 6);
        let mut dict = Dict::default();
        dict.0
            .push((b"Filter".to_vec(), Object::Name(b"FlateDecode".to_vec())));
        assert_eq!(decode_stream(&dict, &compressed).unwrap(), xml);
        assert!(decode_stream(&dict, b"not zlib").is_err());
        dict.0[0].1 = Object::Name(b"LZWDecode".to_vec());
        assert!(decode_stream(&dict, &compressed).is_err());
    }
}
