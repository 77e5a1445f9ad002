//! The seal's signature dictionary: the first dictionary with `/ByteRange` and `/Contents`
//! that is not a document time-stamp (those come in later revisions, see `revisions`),
//! checked against the file (check 1 of [`verify_pdf`](super::verify_pdf)), and its `/Contents`
//! decoded as one detached CMS `SignedData` (check 2).

use std::fmt::Write as _;
use std::ops::Range;
use std::time::SystemTime;

use const_oid::db::rfc5911;
use x509_cert::Certificate;

use super::content;
use super::scan::{Dict, IndirectObject, Object};
use crate::cms_verify::SignedCms;

/// The `/SubFilter` of a PAdES baseline signature (ETSI EN 319 142-1 §6.3).
const SUB_FILTER: &[u8] = b"ETSI.CAdES.detached";

/// What the signature dictionary says, and what is wrong with it.
pub(super) struct SignatureDict {
    /// `/ByteRange`, when it is four non-negative integers.
    pub byte_range: Option<[u64; 4]>,
    /// The two signed ranges, when `/ByteRange` is consistent with `/Contents` and the file.
    pub ranges: Option<[Range<usize>; 2]>,
    /// The decoded `/Contents`.
    pub contents: Vec<u8>,
    /// `/M`, when readable.
    pub signing_time: Option<SystemTime>,
    /// Every problem found; empty when the dictionary is as required.
    pub problems: Vec<String>,
}

impl SignatureDict {
    pub(super) fn describe(&self) -> String {
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

/// The seal's signature dictionary (the first dictionary with `/ByteRange` or `/Type /Sig`
/// that is not a document time-stamp), checked.
pub(super) fn find_signature(
    pdf: &[u8],
    objects: &[IndirectObject],
) -> Result<SignatureDict, String> {
    let object = objects
        .iter()
        .find(|o| {
            o.value.as_dict().is_some_and(|d| {
                (d.get(b"ByteRange").is_some() || d.name_is(b"Type", b"Sig"))
                    && !d.name_is(b"Type", b"DocTimeStamp")
                    && !d.name_is(b"SubFilter", b"ETSI.RFC3161")
            })
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
pub(super) fn byte_range(dict: &Dict) -> Result<[u64; 4], String> {
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
pub(super) fn signed_ranges(
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
pub(super) struct PadesCms {
    pub cms: SignedCms,
    pub signer: Certificate,
}

/// Decodes `/Contents`: one DER `ContentInfo`, then only zero padding; a detached
/// `SignedData` of id-data with one signer whose certificate is embedded.
pub(super) fn decode_cms(contents: &[u8]) -> Result<PadesCms, String> {
    if contents.is_empty() {
        return Err("/Contents is empty".to_owned());
    }
    let der = padded_der(contents)?;
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

/// The DER structure at the start of a signature's `/Contents`, which only zero padding may
/// follow (the space reserved before signing).
pub(super) fn padded_der(contents: &[u8]) -> Result<&[u8], String> {
    let len = der_length(contents)
        .filter(|&len| len <= contents.len())
        .ok_or("/Contents does not start with a complete DER structure")?;
    let (der, padding) = contents.split_at(len);
    if padding.iter().any(|&b| b != 0) {
        return Err(
            "/Contents has data after the CMS structure (only zero padding is allowed)".to_owned(),
        );
    }
    Ok(der)
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests: a panic is the failure report")]

    use super::*;

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
}
