//! Long-term evidence (EVD-05): PAdES-B-LT and B-LTA (ETSI EN 319 142-1 §5.4, §5.5) by
//! incremental updates appended to a sealed evidence PDF.
//!
//! - [`extend_dss`] appends validation data — certificates, CRLs, OCSP responses — in the
//!   document security store (ISO 32000-2 §12.8.4.3: the catalog's `/DSS` with `/Certs`,
//!   `/CRLs`, `/OCSPs` arrays of streams): PAdES-B-LT.
//! - [`prepare_lta`] (or [`extend_lta`] with a blocking time-stamper) appends the validation
//!   data *and* a document time-stamp (ISO 32000-2 §12.8.5: a signature dictionary
//!   `/Type /DocTimeStamp /SubFilter /ETSI.RFC3161` whose `/Contents` is an RFC 3161 token over
//!   SHA-256 of its `/ByteRange`) in one update: PAdES-B-LTA. Calling it again on its own
//!   output is a renewal: the new update carries the validation data of the previous
//!   time-stamp and a new time-stamp over everything before it.
//!
//! Each update holds exactly what pyHanko's own `PdfTimeStamper` writes and its modification
//! analysis (`pyhanko.sign.diff_analysis`) accepts at the `LTA_UPDATES` level: new DER streams,
//! the DSS dictionary (earlier arrays kept, new streams appended), the catalog under its own
//! number with `/DSS` set and the new field added to `/AcroForm /Fields`, the first page
//! under its own number with the new widget added to `/Annots`, an invisible signature field
//! merged with its widget (`/Rect [0 0 0 0]`, `/F 132`: print, locked), and the signature
//! dictionary; then a cross-reference section for those objects only and a trailer with
//! `/Prev`. Nothing else changes, so every earlier signature stays valid over its revision.
//!
//! [`ValidationData`] gathers the DER objects; [`embedded_certificates`] lists the
//! certificates the PDF's signatures and time-stamp tokens carry, and
//! [`ValidationData::for_dev_pki`] (feature `hsm`) adds the development root's CRL and OCSP
//! responses for them.

use std::io::Write as _;
use std::ops::Range;

use ::cms::cert::CertificateChoices;
use ::cms::content_info::ContentInfo;
use ::cms::signed_data::SignedData;
use der::{Decode, Encode, SliceReader};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use super::{ID_AA_SIGNATURE_TIME_STAMP_TOKEN, PadesError};
use crate::verify::scan::{self, Dict, Object};

#[cfg(feature = "hsm")]
mod dev;
mod revision;

use revision::{Revision, write_dict};

/// Validation data for a document security store, DER-encoded, without duplicates: X.509
/// certificates, CRLs (RFC 5280 §5) and OCSP responses (RFC 6960 `OCSPResponse`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationData {
    /// DER certificates.
    pub certs: Vec<Vec<u8>>,
    /// DER CRLs.
    pub crls: Vec<Vec<u8>>,
    /// DER OCSP responses.
    pub ocsps: Vec<Vec<u8>>,
}

fn push_unique(list: &mut Vec<Vec<u8>>, der: Vec<u8>) {
    if !list.contains(&der) {
        list.push(der);
    }
}

impl ValidationData {
    /// Adds a DER certificate (once).
    pub fn add_cert(&mut self, der: Vec<u8>) {
        push_unique(&mut self.certs, der);
    }

    /// Adds a DER CRL (once).
    pub fn add_crl(&mut self, der: Vec<u8>) {
        push_unique(&mut self.crls, der);
    }

    /// Adds a DER OCSP response (once).
    pub fn add_ocsp(&mut self, der: Vec<u8>) {
        push_unique(&mut self.ocsps, der);
    }

    /// Adds a certificate (once).
    pub fn add_certificate(&mut self, cert: &Certificate) -> Result<(), PadesError> {
        self.add_cert(cert.to_der().map_err(|e| PadesError::Cms(e.to_string()))?);
        Ok(())
    }

    /// Whether there is nothing to add.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty() && self.crls.is_empty() && self.ocsps.is_empty()
    }
}

/// Bytes reserved in a document time-stamp's `/Contents` beyond the size hint: a DER length
/// that grows by a byte, a serial number one byte longer.
const TOKEN_MARGIN: usize = 32;

/// A PDF with its update written but for the document time-stamp token: [`Self::digest`] is
/// what the token must cover; [`Self::finish`] writes it in.
#[derive(Clone, Debug)]
pub struct PreparedTimestamp {
    pdf: Vec<u8>,
    /// Where the `/Contents` hex string is, `<` and `>` included.
    contents: Range<usize>,
    digest: [u8; 32],
    /// Bytes of the original PDF, to report the size of the update.
    base_len: usize,
}

impl PreparedTimestamp {
    /// SHA-256 of the bytes the document time-stamp's `/ByteRange` covers: the message
    /// imprint its token must carry.
    pub fn digest(&self) -> [u8; 32] {
        self.digest
    }

    /// Bytes the update adds to the PDF (validation data, time-stamp placeholder included).
    pub fn update_len(&self) -> usize {
        self.pdf.len() - self.base_len
    }

    /// Writes `token` (a DER RFC 3161 `TimeStampToken`) into `/Contents`, zero-padded, after
    /// checking that its message imprint is SHA-256 of [`Self::digest`]'s bytes
    /// ([`PadesError::TimestampMismatch`]) and that it fits
    /// ([`PadesError::SignatureTooLarge`]: prepare again with a larger hint).
    pub fn finish(self, token: &[u8]) -> Result<Vec<u8>, PadesError> {
        let (algorithm, imprint) = super::cms::token_imprint(token)?;
        if algorithm != const_oid::db::rfc5912::ID_SHA_256 || imprint != self.digest {
            return Err(PadesError::TimestampMismatch);
        }
        let reserved = (self.contents.len() - 2) / 2;
        if token.len() > reserved {
            return Err(PadesError::SignatureTooLarge {
                needed: token.len(),
                reserved,
            });
        }
        let mut pdf = self.pdf;
        let slot = &mut pdf[self.contents.start + 1..self.contents.end - 1];
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for (i, byte) in token.iter().enumerate() {
            slot[2 * i] = HEX[usize::from(byte >> 4)];
            slot[2 * i + 1] = HEX[usize::from(byte & 0x0F)];
        }
        Ok(pdf)
    }
}

/// PAdES-B-LT: appends one incremental update to `pdf` (an evidence sealed by this crate,
/// possibly already extended) adding `data` to its document security store.
///
/// Useful after the last document time-stamp, to carry that time-stamp's own validation data.
/// Fails with [`PadesError::Extend`] when `pdf` is not a PDF this crate wrote.
pub fn extend_dss(pdf: &[u8], data: &ValidationData) -> Result<Vec<u8>, PadesError> {
    let revision = Revision::read(pdf)?;
    let mut update = Update::new(pdf, &revision);
    let dss = update.dss(pdf, &revision, data);
    let mut catalog = revision.catalog.clone();
    set(&mut catalog, b"DSS", dss);
    update.object(revision.root, &catalog);
    Ok(update.finish(pdf, &revision, None)?.0)
}

/// PAdES-B-LTA, first stage: appends to `pdf` one incremental update with `data` in the
/// document security store and a document time-stamp whose `/Contents` reserves
/// `token_size_hint` bytes (plus a small margin) — e.g. [`super::SealProfile::timestamp_size_hint`]
/// of the profile sized for the same TSA. The field is named `DocTimeStamp1`,
/// `DocTimeStamp2`... (the first name the form does not use yet).
///
/// Obtain a token over [`PreparedTimestamp::digest`] and call [`PreparedTimestamp::finish`].
pub fn prepare_lta(
    pdf: &[u8],
    data: &ValidationData,
    token_size_hint: usize,
) -> Result<PreparedTimestamp, PadesError> {
    let revision = Revision::read(pdf)?;
    let mut update = Update::new(pdf, &revision);
    let dss = update.dss(pdf, &revision, data);

    let field_name = (1..)
        .map(|n| format!("DocTimeStamp{n}"))
        .find(|name| !revision.field_names.iter().any(|t| t == name.as_bytes()))
        .unwrap_or_default();
    let field = update.allocate();
    let signature = update.allocate();

    let mut catalog = revision.catalog.clone();
    set(&mut catalog, b"DSS", dss);
    let (mut acroform, acroform_ref) = revision.acroform.clone();
    append_to_array(&mut acroform, b"Fields", field)?;
    match acroform_ref {
        Some(at) => update.object(at, &acroform),
        None => set(&mut catalog, b"AcroForm", Object::Dict(acroform)),
    }
    update.object(revision.root, &catalog);

    let (page_ref, mut page) = revision.page.clone();
    append_to_array(&mut page, b"Annots", field)?;
    update.object(page_ref, &page);

    let name = |n: &[u8]| Object::Name(n.to_vec());
    let number = |n: i64| Object::Integer(n);
    let widget = Dict(vec![
        (b"Type".to_vec(), name(b"Annot")),
        (b"Subtype".to_vec(), name(b"Widget")),
        (b"FT".to_vec(), name(b"Sig")),
        (b"T".to_vec(), Object::String(field_name.into_bytes())),
        (b"V".to_vec(), Object::Reference(signature, 0)),
        (b"Rect".to_vec(), Object::Array(vec![number(0); 4])),
        // Print (4) and locked (128), as the seal's widget.
        (b"F".to_vec(), number(132)),
        (
            b"P".to_vec(),
            Object::Reference(revision.page.0.0, revision.page.0.1),
        ),
    ]);
    update.object((field, 0), &widget);

    // The signature dictionary, written by hand: its placeholders are found by position.
    let reserved = token_size_hint.saturating_add(TOKEN_MARGIN);
    let placeholder = update.signature(signature, reserved);
    let (bytes, sig) = update.finish(pdf, &revision, Some(placeholder))?;
    let Some((contents, byte_range)) = sig else {
        return Err(PadesError::Pdf(
            "document time-stamp placeholder not written",
        ));
    };
    let mut bytes = bytes;
    let ranges = format!(
        "0 {} {} {}",
        contents.start,
        contents.end,
        bytes.len() - contents.end
    );
    let slot = &mut bytes[byte_range];
    if ranges.len() > slot.len() {
        return Err(PadesError::Pdf(
            "document time-stamp /ByteRange does not fit",
        ));
    }
    slot.fill(b' ');
    slot[..ranges.len()].copy_from_slice(ranges.as_bytes());
    let mut hasher = Sha256::new();
    hasher.update(&bytes[..contents.start]);
    hasher.update(&bytes[contents.end..]);
    Ok(PreparedTimestamp {
        pdf: bytes,
        contents,
        digest: hasher.finalize().into(),
        base_len: pdf.len(),
    })
}

/// PAdES-B-LTA in one call: [`prepare_lta`], then `stamp` (blocking: e.g.
/// `|d| tsa.timestamp_blocking(d).map(|t| t.der)`) returns the DER token over the digest,
/// then [`PreparedTimestamp::finish`].
pub fn extend_lta<E>(
    pdf: &[u8],
    data: &ValidationData,
    token_size_hint: usize,
    stamp: impl FnOnce(&[u8; 32]) -> Result<Vec<u8>, E>,
) -> Result<Vec<u8>, PadesError>
where
    E: Into<PadesError>,
{
    let prepared = prepare_lta(pdf, data, token_size_hint)?;
    let token = stamp(&prepared.digest()).map_err(Into::into)?;
    prepared.finish(&token)
}

/// Every certificate carried by the signatures of `pdf`: the seal's CMS, its signature
/// time-stamp token, and each document time-stamp token (each once, in file order). What a
/// validator needs revocation data for, besides the trust anchors.
pub fn embedded_certificates(pdf: &[u8]) -> Result<Vec<Certificate>, PadesError> {
    let mut found: Vec<Certificate> = Vec::new();
    for cert in signature_certificates(pdf)?.into_iter().flatten() {
        if !found.contains(&cert) {
            found.push(cert);
        }
    }
    Ok(found)
}

/// The certificates of each signature of `pdf` in file order (the seal first, then each
/// document time-stamp), a signature's own with those of its signature time-stamp token.
/// Fails with [`PadesError::Extend`] when there is no readable signature.
pub fn signature_certificates(pdf: &[u8]) -> Result<Vec<Vec<Certificate>>, PadesError> {
    fn add(found: &mut Vec<Certificate>, signed_data: &SignedData) {
        for choice in signed_data.certificates.iter().flat_map(|set| set.0.iter()) {
            if let CertificateChoices::Certificate(cert) = choice
                && !found.contains(cert)
            {
                found.push(cert.clone());
            }
        }
    }
    let mut signatures = Vec::new();
    for object in scan::objects(pdf) {
        let Some(dict) = object.value.as_dict() else {
            continue;
        };
        if dict.get(b"ByteRange").is_none() {
            continue;
        }
        let Some(Object::HexString { bytes, .. }) = dict.get(b"Contents") else {
            continue;
        };
        // `/Contents` is zero-padded: read one DER value.
        let Ok(content_info) = SliceReader::new(bytes)
            .map_err(|_| ())
            .and_then(|mut reader| ContentInfo::decode(&mut reader).map_err(|_| ()))
        else {
            continue;
        };
        let Ok(signed_data) = content_info.content.decode_as::<SignedData>() else {
            continue;
        };
        let mut found = Vec::new();
        add(&mut found, &signed_data);
        for info in signed_data.signer_infos.0.iter() {
            for attribute in info.unsigned_attrs.iter().flat_map(|a| a.iter()) {
                if attribute.oid != ID_AA_SIGNATURE_TIME_STAMP_TOKEN {
                    continue;
                }
                for token in attribute.values.iter() {
                    let token = token
                        .to_der()
                        .ok()
                        .and_then(|der| ContentInfo::from_der(&der).ok())
                        .and_then(|ci| ci.content.decode_as::<SignedData>().ok());
                    if let Some(token) = token {
                        add(&mut found, &token);
                    }
                }
            }
        }
        signatures.push(found);
    }
    if signatures.is_empty() {
        return Err(PadesError::Extend("the PDF holds no signature"));
    }
    Ok(signatures)
}

/// Sets `key` in `dict` (replacing its value, or appending it).
fn set(dict: &mut Dict, key: &[u8], value: Object) {
    match dict.0.iter_mut().find(|(k, _)| k == key) {
        Some((_, old)) => *old = value,
        None => dict.0.push((key.to_vec(), value)),
    }
}

/// Appends a reference to object `number` to the array `key` of `dict` (created if absent).
fn append_to_array(dict: &mut Dict, key: &[u8], number: u32) -> Result<(), PadesError> {
    match dict.0.iter_mut().find(|(k, _)| k == key) {
        Some((_, Object::Array(items))) => items.push(Object::Reference(number, 0)),
        Some(_) => return Err(PadesError::Extend("an /Annots or /Fields is not an array")),
        None => dict.0.push((
            key.to_vec(),
            Object::Array(vec![Object::Reference(number, 0)]),
        )),
    }
    Ok(())
}

/// One incremental update being written: its objects' text and offsets.
struct Update {
    /// The bytes written after the original file.
    body: Vec<u8>,
    /// The original file's length (offsets in `body` are shifted by it).
    base: usize,
    /// (object number, generation, offset in the final file).
    offsets: Vec<(u32, u16, usize)>,
    next: u32,
}

/// Where the signature dictionary's placeholders are in `body`: (`/Contents` hex string with
/// its brackets, the inside of the `/ByteRange` brackets).
type Placeholder = (Range<usize>, Range<usize>);

impl Update {
    fn new(pdf: &[u8], revision: &Revision) -> Self {
        let mut body = Vec::new();
        // The update starts on a line of its own.
        if !pdf.ends_with(b"\n") {
            body.push(b'\n');
        }
        Update {
            body,
            base: pdf.len(),
            offsets: Vec::new(),
            next: revision.size,
        }
    }

    fn allocate(&mut self) -> u32 {
        let number = self.next;
        self.next += 1;
        number
    }

    fn start(&mut self, at: (u32, u16)) {
        self.offsets.push((at.0, at.1, self.base + self.body.len()));
        self.body
            .extend_from_slice(format!("{} {} obj\n", at.0, at.1).as_bytes());
    }

    fn object(&mut self, at: (u32, u16), dict: &Dict) {
        self.start(at);
        write_dict(&mut self.body, dict);
        self.body.extend_from_slice(b"\nendobj\n");
    }

    fn stream(&mut self, data: &[u8]) -> u32 {
        let number = self.allocate();
        self.start((number, 0));
        self.body
            .extend_from_slice(format!("<< /Length {} >>\nstream\n", data.len()).as_bytes());
        self.body.extend_from_slice(data);
        self.body.extend_from_slice(b"\nendstream\nendobj\n");
        number
    }

    /// Writes the new DER streams and the DSS dictionary (the earlier one's arrays, then the
    /// new streams, each datum once); returns the reference for the catalog's `/DSS`.
    fn dss(&mut self, pdf: &[u8], revision: &Revision, data: &ValidationData) -> Object {
        let mut dss = Dict(vec![(b"Type".to_vec(), Object::Name(b"DSS".to_vec()))]);
        for (key, new) in [
            (&b"Certs"[..], &data.certs),
            (b"CRLs", &data.crls),
            (b"OCSPs", &data.ocsps),
        ] {
            let mut items: Vec<Object> = match revision.dss.as_ref().and_then(|d| d.get(key)) {
                Some(Object::Array(items)) => items.clone(),
                _ => Vec::new(),
            };
            let known: Vec<&[u8]> = items
                .iter()
                .filter_map(|item| match item {
                    Object::Reference(n, g) => revision.raw_stream(pdf, (*n, *g)),
                    _ => None,
                })
                .collect();
            let fresh: Vec<&Vec<u8>> = new
                .iter()
                .filter(|der| !known.contains(&der.as_slice()))
                .collect();
            for der in fresh {
                items.push(Object::Reference(self.stream(der), 0));
            }
            if !items.is_empty() {
                dss.0.push((key.to_vec(), Object::Array(items)));
            }
        }
        let number = self.allocate();
        self.object((number, 0), &dss);
        Object::Reference(number, 0)
    }

    /// Writes the document time-stamp's signature dictionary with a `/Contents` of
    /// `reserved` zero bytes and a wide `/ByteRange` placeholder.
    fn signature(&mut self, number: u32, reserved: usize) -> Placeholder {
        self.start((number, 0));
        self.body.extend_from_slice(
            b"<<\n  /Type /DocTimeStamp\n  /Filter /Adobe.PPKLite\n  /SubFilter /ETSI.RFC3161\n  /ByteRange [",
        );
        let byte_range = self.body.len();
        self.body.extend_from_slice(&[b' '; 40]);
        let byte_range = byte_range..self.body.len();
        self.body.extend_from_slice(b"]\n  /Contents ");
        let contents = self.body.len();
        self.body.push(b'<');
        self.body.resize(self.body.len() + 2 * reserved, b'0');
        self.body.push(b'>');
        let contents = contents..self.body.len();
        self.body.extend_from_slice(b"\n>>\nendobj\n");
        (contents, byte_range)
    }

    /// Writes the cross-reference section and the trailer; returns the whole file and, when
    /// a signature was written, its placeholders as offsets in the file.
    fn finish(
        mut self,
        pdf: &[u8],
        revision: &Revision,
        signature: Option<Placeholder>,
    ) -> Result<(Vec<u8>, Option<Placeholder>), PadesError> {
        let xref_at = self.base + self.body.len();
        let mut entries = std::mem::take(&mut self.offsets);
        entries.sort_by_key(|&(number, _, _)| number);
        self.body.extend_from_slice(b"xref\n");
        let mut i = 0;
        while i < entries.len() {
            let mut j = i + 1;
            while j < entries.len() && entries[j].0 == entries[j - 1].0 + 1 {
                j += 1;
            }
            let _ = writeln!(self.body, "{} {}", entries[i].0, j - i);
            for &(_, generation, offset) in &entries[i..j] {
                let _ = write!(self.body, "{offset:010} {generation:05} n\r\n");
            }
            i = j;
        }
        let mut trailer = Dict(vec![
            (b"Size".to_vec(), Object::Integer(i64::from(self.next))),
            (
                b"Root".to_vec(),
                Object::Reference(revision.root.0, revision.root.1),
            ),
        ]);
        if let Some((n, g)) = revision.info {
            trailer.0.push((b"Info".to_vec(), Object::Reference(n, g)));
        }
        // The second identifier changes with every update (ISO 32000-1 §14.4).
        let second = Sha256::digest(&self.body)[..16].to_vec();
        trailer.0.push((
            b"ID".to_vec(),
            Object::Array(vec![
                Object::String(revision.first_id.clone()),
                Object::String(second),
            ]),
        ));
        let prev = i64::try_from(revision.prev_xref)
            .map_err(|_| PadesError::Extend("the file is too large"))?;
        trailer.0.push((b"Prev".to_vec(), Object::Integer(prev)));
        self.body.extend_from_slice(b"trailer\n");
        write_dict(&mut self.body, &trailer);
        let _ = write!(self.body, "\nstartxref\n{xref_at}\n%%EOF\n");

        let shift = |r: Range<usize>| r.start + self.base..r.end + self.base;
        let signature = signature.map(|(c, b)| (shift(c), shift(b)));
        let mut bytes = Vec::with_capacity(pdf.len() + self.body.len());
        bytes.extend_from_slice(pdf);
        bytes.extend_from_slice(&self.body);
        Ok((bytes, signature))
    }
}
