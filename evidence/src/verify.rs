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
//! Revisions after the seal may only add validation data and document time-stamps
//! (PAdES-B-LT/B-LTA, `revisions`); each document time-stamp is verified and listed, and the
//! report says until when the evidence stays verifiable without renewal.
//!
//! Not checked here: revocation (no OCSP/CRL is fetched, the embedded ones are not read); the
//! trust roots are the caller's choice (the service's published roots).

use std::ops::Range;
use std::time::SystemTime;

use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use crate::cms_verify::{CmsError, SignedCms, check_chain};
use crate::pades::{ID_AA_SIGNATURE_TIME_STAMP_TOKEN, format_utc};
use crate::timestamp::verify_token;

mod attachment;
mod content;
mod report;
mod revisions;
pub(crate) mod scan;
mod signature;

pub use revisions::DocTimestamp;

pub use report::{Check, CheckId, Outcome, Report, VerifyError};

use attachment::evidence_xml;
use scan::IndirectObject;
use signature::{decode_cms, find_signature};

/// The length of the PDF as sealed: where the seal's signed byte range ends (later revisions,
/// such as PAdES-B-LTA updates, come after it). `None` when no seal can be read. What the
/// journal and the transparency log record is the SHA-256 of these bytes.
pub fn sealed_length(pdf: &[u8]) -> Option<usize> {
    let objects = scan::objects(pdf);
    let [_, _, c, d] = find_signature(pdf, &objects).ok()?.byte_range?;
    usize::try_from(c.checked_add(d)?)
        .ok()
        .filter(|&end| end <= pdf.len())
}

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
            report.sealed_length = Some(end);
            let later = match usize::try_from(end) {
                Ok(end) if end < pdf.len() => {
                    Some(revisions::check(pdf, &objects, end, trust_roots))
                }
                _ => None,
            };
            let outcome = match later {
                None if end == pdf.len() as u64 => Ok(format!(
                    "the signed range ends at the file's end (byte {end})"
                )),
                None => Err(format!(
                    "the signed range ends at byte {end}, beyond the file's {} bytes: the \
                         file is truncated",
                    pdf.len()
                )),
                Some(Ok(stamps)) => {
                    let detail = format!(
                        "the seal covers the first revision (bytes 0..{end}); the {} bytes \
                             after it only add validation data and {} document time-stamp(s)",
                        pdf.len() as u64 - end,
                        stamps.len()
                    );
                    report.doc_timestamps = stamps;
                    Ok(detail)
                }
                Some(Err(tampering)) => Err(format!(
                    "{} bytes after the signed range (which ends at byte {end}): \
                         {tampering}",
                    pdf.len() as u64 - end
                )),
            };
            report.record(CheckId::WholeFileCovered, outcome);
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
    report.seal_not_after = Some(signer.tbs_certificate.validity.not_after.to_system_time());
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
    report.sender = data.sender;
    report.recipient = data.recipient;
    report.user = data.user;
    report.status = data.status;
    report.digests = data.digests;
    report.fields = data.fields;

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
}
