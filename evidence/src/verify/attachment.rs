//! The evidence XML attached to the PDF: the one `/EmbeddedFile` stream inside the signed
//! ranges whose content is an evidence, decoded (no filter, or `/FlateDecode`).

use std::fmt::Write as _;
use std::ops::Range;

use super::scan::{self, Dict, IndirectObject, Object};

/// Largest decoded embedded file accepted (a bound for compressed streams).
const MAX_ATTACHMENT: usize = 16 * 1024 * 1024;

/// The bytes of the one evidence XML embedded file lying inside the signed ranges.
pub(super) fn evidence_xml(
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests: a panic is the failure report")]

    use super::*;

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
