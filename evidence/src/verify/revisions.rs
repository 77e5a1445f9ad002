//! The revisions after the seal (issue 12): a long-lived evidence (PAdES-B-LT, B-LTA) grows by
//! incremental updates that may only add validation data (a `/DSS` with certificates, CRLs and
//! OCSP responses) and document time-stamps (`/SubFilter /ETSI.RFC3161`). Anything else
//! appended after the seal is tampering, however valid the seal over the first revision.
//!
//! Like pyHanko's modification analysis, the check is done object by object. Each object of an
//! update is either new or a new version of an object of the sealed revision:
//! - a new version may only be of the catalog (which may gain or change `/DSS` and the PAdES
//!   developer `/Extensions`, and whose
//!   `/AcroForm /Fields` may only grow), of a page (whose `/Annots` may only grow, for the
//!   time-stamp's widget) or of the document information (`/ModDate`, `/Producer`);
//! - a new object may only be a stream (certificate, CRL, OCSP response, cross-reference
//!   stream), a DSS or VRI dictionary, a signature field or widget, or a document time-stamp.
//!
//! Every document time-stamp must cover the file from its start to the end of its revision and
//! verify (RFC 3161, a trusted TSA, the digest of its byte ranges); the file must end with an
//! `%%EOF` marker (no bytes appended after the last revision).

use std::time::SystemTime;

use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use super::scan::{Dict, IndirectObject, Object};
use super::signature::{byte_range, padded_der, signed_ranges};
use crate::pades::format_utc;
use crate::timestamp::verify_token;

/// A document time-stamp that verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocTimestamp {
    /// `TSTInfo.genTime`.
    pub time: SystemTime,
    /// The TSA certificate's subject.
    pub tsa_subject: String,
    /// Until when the TSA certificate is valid: the time-stamp proves its time until then,
    /// and must be renewed before.
    pub tsa_not_after: SystemTime,
    /// How many bytes of the file it covers (the end of its revision).
    pub covers: u64,
}

impl DocTimestamp {
    pub fn describe(&self) -> String {
        format!(
            "document time-stamp of {} by \"{}\" over bytes 0..{} (its certificate valid until \
             {})",
            format_utc(self.time),
            self.tsa_subject,
            self.covers,
            format_utc(self.tsa_not_after)
        )
    }
}

/// Checks what the file adds after the sealed revision (`sealed_end` bytes); returns the
/// document time-stamps, in file order, or what is wrong.
pub(super) fn check(
    pdf: &[u8],
    objects: &[IndirectObject],
    sealed_end: usize,
    trust_roots: &[Certificate],
) -> Result<Vec<DocTimestamp>, String> {
    let tail = pdf.get(sealed_end..).unwrap_or_default();
    let trimmed = tail.trim_ascii_end();
    if !trimmed.ends_with(b"%%EOF") {
        return Err(format!(
            "{} bytes were added after the sealed revision (which ends at byte {sealed_end}) and \
             they do not end with a PDF revision's %%EOF marker: data appended to the file",
            tail.len()
        ));
    }
    let mut sealed: Vec<&IndirectObject> = Vec::new();
    let mut added: Vec<&IndirectObject> = Vec::new();
    for object in objects {
        if object.span.end <= sealed_end {
            sealed.push(object);
        } else if object.span.start >= sealed_end {
            added.push(object);
        } else {
            return Err(format!(
                "object {} spans the end of the sealed revision",
                object.number
            ));
        }
    }
    if added.is_empty() {
        return Err(format!(
            "{} bytes were added after the sealed revision (which ends at byte {sealed_end}) \
             without any object: not a revision adding validation data",
            tail.len()
        ));
    }
    let original = |number: u32| sealed.iter().rev().find(|o| o.number == number);
    // A signature field may only be added with its document time-stamp as its value, and a
    // widget only for such a field: an empty signature field is not validation data.
    let numbers = |keep: &dyn Fn(&Dict) -> bool| -> Vec<u32> {
        added
            .iter()
            .filter(|o| o.value.as_dict().is_some_and(keep))
            .map(|o| o.number)
            .collect()
    };
    let stamp_objects = numbers(&is_doc_timestamp);
    let stamp_fields = numbers(&|d: &Dict| {
        d.name_is(b"FT", b"Sig")
            && matches!(d.get(b"V"), Some(Object::Reference(n, _)) if stamp_objects.contains(n))
    });
    let mut stamps = Vec::new();
    for object in &added {
        match original(object.number) {
            Some(old) => check_new_version(old, object)?,
            None => check_new_object(object, &stamp_fields)?,
        }
        if let Some(dict) = object.value.as_dict()
            && is_doc_timestamp(dict)
        {
            stamps.push(doc_timestamp(
                pdf,
                object.number,
                dict,
                sealed_end,
                trust_roots,
            )?);
        }
    }
    Ok(stamps)
}

fn is_doc_timestamp(dict: &Dict) -> bool {
    dict.name_is(b"Type", b"DocTimeStamp") || dict.name_is(b"SubFilter", b"ETSI.RFC3161")
}

/// Whether two objects are the same value (hex strings compared by their bytes, not where
/// they are in the file).
fn same(a: &Object, b: &Object) -> bool {
    let text = |o: &Object| match o {
        Object::HexString { bytes, .. } | Object::String(bytes) => Some(pdf_text(bytes)),
        _ => None,
    };
    match (a, b) {
        (
            Object::HexString { .. } | Object::String(_),
            Object::HexString { .. } | Object::String(_),
        ) => text(a) == text(b),
        (Object::Array(x), Object::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Object::Dict(x), Object::Dict(y)) => same_dict(x, y, &[]),
        _ => a == b,
    }
}

/// A PDF text string as text (ISO 32000-1 §7.9.2.2): UTF-16BE after its byte order mark, else
/// PDFDocEncoding (Latin-1 but for the 0x18–0x1F and 0x80–0xA0 ranges). Another writer may
/// encode the same text either way (pyHanko rewrites the document information in
/// PDFDocEncoding).
fn pdf_text(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair.get(1).copied().unwrap_or(0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    const HIGH: [char; 33] = [
        '\u{2022}', '\u{2020}', '\u{2021}', '\u{2026}', '\u{2014}', '\u{2013}', '\u{0192}',
        '\u{2044}', '\u{2039}', '\u{203A}', '\u{2212}', '\u{2030}', '\u{201E}', '\u{201C}',
        '\u{201D}', '\u{2018}', '\u{2019}', '\u{201A}', '\u{2122}', '\u{FB01}', '\u{FB02}',
        '\u{0141}', '\u{0152}', '\u{0160}', '\u{0178}', '\u{017D}', '\u{0131}', '\u{0142}',
        '\u{0153}', '\u{0161}', '\u{017E}', '\u{FFFD}', '\u{20AC}',
    ];
    const LOW: [char; 8] = [
        '\u{02D8}', '\u{02C7}', '\u{02C6}', '\u{02D9}', '\u{02DD}', '\u{02DB}', '\u{02DA}',
        '\u{02DC}',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x18..=0x1F => LOW[usize::from(b - 0x18)],
            0x80..=0xA0 => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// Whether two dictionaries have the same entries, except the keys in `except`.
fn same_dict(a: &Dict, b: &Dict, except: &[&[u8]]) -> bool {
    let keys = |d: &Dict| -> Vec<Vec<u8>> {
        let mut keys: Vec<Vec<u8>> =
            d.0.iter()
                .map(|(k, _)| k.clone())
                .filter(|k| !except.contains(&k.as_slice()))
                .collect();
        keys.sort();
        keys
    };
    a.duplicate_key().is_none()
        && b.duplicate_key().is_none()
        && keys(a) == keys(b)
        && keys(a)
            .iter()
            .all(|k| matches!((a.get(k), b.get(k)), (Some(x), Some(y)) if same(x, y)))
}

/// Whether the array under `key` in `new` starts with the one in `old` (absent: empty).
fn grows(old: &Dict, new: &Dict, key: &[u8]) -> bool {
    let items = |d: &Dict| match d.get(key) {
        Some(Object::Array(items)) => Some(items.clone()),
        None => Some(Vec::new()),
        Some(_) => None,
    };
    match (items(old), items(new)) {
        (Some(old), Some(new)) => {
            old.len() <= new.len() && old.iter().zip(&new).all(|(a, b)| same(a, b))
        }
        _ => false,
    }
}

/// A new version of an object of the sealed revision: only the catalog, a page or the
/// document information, and only in what validation data and time-stamps need.
fn check_new_version(old: &IndirectObject, new: &IndirectObject) -> Result<(), String> {
    let replaced = || {
        format!(
            "object {} of the sealed revision was changed after sealing ({}): only validation \
             data and document time-stamps may be added",
            new.number,
            describe(&old.value)
        )
    };
    let (Some(old_dict), Some(new_dict)) = (old.value.as_dict(), new.value.as_dict()) else {
        return Err(replaced());
    };
    if old.stream.is_some() || new.stream.is_some() {
        return Err(replaced());
    }
    let allowed = if old_dict.name_is(b"Type", b"Catalog") {
        let forms = match (old_dict.get(b"AcroForm"), new_dict.get(b"AcroForm")) {
            (Some(Object::Dict(a)), Some(Object::Dict(b))) => {
                same_dict(a, b, &[b"Fields"]) && grows(a, b, b"Fields")
            }
            (a, b) => matches!((a, b), (Some(x), Some(y)) if same(x, y)),
        };
        forms && same_dict(old_dict, new_dict, &[b"DSS", b"AcroForm", b"Extensions"])
    } else if old_dict.name_is(b"Type", b"Page") {
        same_dict(old_dict, new_dict, &[b"Annots"]) && grows(old_dict, new_dict, b"Annots")
    } else if old_dict.get(b"Producer").is_some() && old_dict.get(b"Type").is_none() {
        same_dict(old_dict, new_dict, &[b"ModDate", b"Producer"])
    } else {
        false
    };
    if allowed { Ok(()) } else { Err(replaced()) }
}

/// A new object: validation data, a document time-stamp, or the signature field (and its
/// widget) whose value is one of those time-stamps (`stamp_fields`).
fn check_new_object(object: &IndirectObject, stamp_fields: &[u32]) -> Result<(), String> {
    if object.stream.is_some() {
        return Ok(());
    }
    let of_a_stamp =
        |o: Option<&Object>| matches!(o, Some(Object::Reference(n, _)) if stamp_fields.contains(n));
    let allowed = object.value.as_dict().is_some_and(|dict| {
        is_doc_timestamp(dict)
            || stamp_fields.contains(&object.number)
            || (dict.name_is(b"Subtype", b"Widget")
                && dict.get(b"FT").is_none()
                && of_a_stamp(dict.get(b"Parent")))
            || dict.name_is(b"Type", b"DSS")
            || dict.name_is(b"Type", b"VRI")
            || [
                b"Certs".as_slice(),
                b"CRLs",
                b"OCSPs",
                b"VRI",
                b"Cert",
                b"CRL",
                b"OCSP",
            ]
            .iter()
            .any(|key| dict.get(key).is_some())
                && dict.get(b"Type").is_none_or(|t| t.as_name().is_some())
                && !dict.name_is(b"Type", b"Page")
                && !dict.name_is(b"Type", b"Catalog")
    }) || matches!(object.value, Object::Array(_));
    if allowed {
        Ok(())
    } else {
        Err(format!(
            "object {} added after sealing ({}) is neither validation data nor a document \
             time-stamp",
            object.number,
            describe(&object.value)
        ))
    }
}

/// "a /Type /Page dictionary", "an integer"...: what an object is, for a report.
fn describe(value: &Object) -> String {
    match value
        .as_dict()
        .and_then(|d| d.get(b"Type"))
        .and_then(Object::as_name)
    {
        Some(name) => format!("a /Type /{} dictionary", String::from_utf8_lossy(name)),
        None => value.kind().to_owned(),
    }
}

/// A document time-stamp's checks: its byte ranges start at 0, exclude exactly its
/// `/Contents`, end after the seal and within the file; its token verifies over them.
fn doc_timestamp(
    pdf: &[u8],
    number: u32,
    dict: &Dict,
    sealed_end: usize,
    trust_roots: &[Certificate],
) -> Result<DocTimestamp, String> {
    let problem = |what: String| format!("document time-stamp (object {number}): {what}");
    if !dict.name_is(b"SubFilter", b"ETSI.RFC3161") {
        return Err(problem("its /SubFilter is not /ETSI.RFC3161".to_owned()));
    }
    let Some(Object::HexString { span, bytes }) = dict.get(b"Contents") else {
        return Err(problem("no hexadecimal /Contents".to_owned()));
    };
    let br = byte_range(dict).map_err(problem)?;
    let [first, second] = signed_ranges(br, span, pdf.len()).map_err(problem)?;
    if second.end <= sealed_end {
        return Err(problem(
            "it does not cover the revision that adds it".to_owned(),
        ));
    }
    let mut hasher = Sha256::new();
    hasher.update(pdf.get(first).unwrap_or_default());
    hasher.update(pdf.get(second.clone()).unwrap_or_default());
    let digest: [u8; 32] = hasher.finalize().into();
    let token = padded_der(bytes).map_err(problem)?;
    let verified = verify_token(token, &digest, None, trust_roots).map_err(|error| {
        problem(format!(
            "the time-stamp does not verify over bytes 0..{}: {error}",
            second.end
        ))
    })?;
    Ok(DocTimestamp {
        time: verified.gen_time,
        tsa_subject: verified.tsa_subject(),
        tsa_not_after: verified
            .tsa_certificate
            .tbs_certificate
            .validity
            .not_after
            .to_system_time(),
        covers: second.end as u64,
    })
}
