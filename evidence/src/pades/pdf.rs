//! The human-readable evidence PDF (EVD-04): A4, French first with the English label below in
//! smaller grey text, standard fonts (Helvetica, Courier) in WinAnsiEncoding, the XML attached,
//! and an empty signature dictionary whose `/Contents` placeholder [`super::Prepared`] fills.

use std::ops::Range;
use std::time::SystemTime;

use pdf_writer::types::{AnnotationFlags, AssociationKind, FieldType, SigFlags};
use pdf_writer::{Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};

use super::PadesError;
use super::model::{Civil, Evidence};

mod document;
mod font;
mod layout;
mod pages;

pub use document::{TextDocument, TextPart, render_text_document};

use font::Font;
use layout::{PAGE_H, PAGE_W};
use pages::{decorate, lay_out};

fn pdf_date(time: SystemTime) -> Date {
    let c = Civil::from(time);
    Date::new(u16::try_from(c.year).unwrap_or(9999))
        .month(c.month)
        .day(c.day)
        .hour(c.hour)
        .minute(c.minute)
        .second(c.second)
        .utc_offset_hour(0)
}

/// Flate (zlib) compression of a page's content stream: the page text and drawing operators,
/// about a quarter of their size once compressed (level 6, zlib's default: higher levels gain
/// a few bytes for more time). The attached XML stays uncompressed, readable as it is in the
/// file (the verifier also accepts it compressed).
fn compress(content: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(content, 6)
}

/// A rendered, not yet signed, evidence PDF.
pub(crate) struct Rendered {
    /// The whole file, `/ByteRange` already filled in.
    pub bytes: Vec<u8>,
    /// Where the `/Contents` hex string is, `<` and `>` included.
    pub contents: Range<usize>,
}

/// Renders `evidence` with `xml` attached and a signature dictionary whose `/Contents`
/// reserves `reserved` bytes (written as `2 × reserved` hex digits).
pub(crate) fn render(
    evidence: &Evidence,
    xml: &[u8],
    reserved: usize,
    signing_time: SystemTime,
) -> Result<Rendered, PadesError> {
    let mut pages = lay_out(evidence);
    decorate(&mut pages, evidence);

    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog_id = alloc();
    let pages_id = alloc();
    let fonts = [alloc(), alloc(), alloc()];
    let info_id = alloc();
    let embedded_id = alloc();
    let filespec_id = alloc();
    let field_id = alloc();
    let sig_id = alloc();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();
    let first_page = page_ids[0].0;

    let mut pdf = Pdf::new();
    let file_name = evidence.xml_file_name();

    {
        let mut catalog = pdf.catalog(catalog_id);
        catalog.pages(pages_id);
        catalog.lang(TextStr("fr-FR"));
        catalog
            .form()
            .fields([field_id])
            .sig_flags(SigFlags::SIGNATURES_EXIST | SigFlags::APPEND_ONLY);
        catalog
            .names()
            .embedded_files()
            .names()
            .insert(Str(file_name.as_bytes()), filespec_id);
        // The typed `associated_files()` writes inline dictionaries: the /AF array must hold a
        // reference to the one filespec also named in /EmbeddedFiles.
        catalog.insert(Name(b"AF")).array().item(filespec_id);
    }
    pdf.pages(pages_id)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(i32::try_from(page_ids.len()).unwrap_or(i32::MAX));
    for (id, base) in fonts.iter().zip([
        Name(b"Helvetica"),
        Name(b"Helvetica-Bold"),
        Name(b"Courier"),
    ]) {
        pdf.type1_font(*id)
            .base_font(base)
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (i, (content, (page_id, content_id))) in pages.into_iter().zip(&page_ids).enumerate() {
        let mut page = pdf.page(*page_id);
        page.parent(pages_id)
            .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .contents(*content_id);
        page.resources()
            .fonts()
            .pair(Font::Regular.resource(), fonts[0])
            .pair(Font::Bold.resource(), fonts[1])
            .pair(Font::Mono.resource(), fonts[2]);
        if i == 0 {
            page.annotations([field_id]);
        }
        page.finish();
        let compressed = compress(&content.finish());
        pdf.stream(*content_id, &compressed)
            .filter(Filter::FlateDecode);
    }

    // The signature field, merged with its invisible widget on the first page.
    {
        let mut field = pdf.form_field(field_id);
        field
            .field_type(FieldType::Signature)
            .partial_name(TextStr("EvidenceSeal"));
        field.pair(Name(b"V"), sig_id);
        let mut widget = field.into_annotation();
        widget
            .rect(Rect::new(0.0, 0.0, 0.0, 0.0))
            .flags(AnnotationFlags::PRINT | AnnotationFlags::LOCKED)
            .page(first_page);
    }

    {
        let mut embedded = pdf.embedded_file(embedded_id, xml);
        embedded.subtype(Name(b"text/xml"));
        embedded
            .params()
            .size(i32::try_from(xml.len()).unwrap_or(i32::MAX))
            .modification_date(pdf_date(evidence.event_time));
    }
    pdf.file_spec(filespec_id)
        .path(Str(file_name.as_bytes()))
        .unic_file(TextStr(&file_name))
        .description(TextStr("Données de la preuve (XML) / Evidence data (XML)"))
        .association_kind(AssociationKind::Data)
        .embedded_file_with_unicode(embedded_id);

    pdf.document_info(info_id)
        .title(TextStr(&format!(
            "{} — {}",
            evidence.kind.title_fr(),
            evidence.id
        )))
        .subject(TextStr(evidence.kind.title_en()))
        .author(TextStr(&evidence.issuer.name))
        .creator(TextStr("Pli evidence engine"))
        .producer(TextStr("Pli evidence engine (pdf-writer)"))
        .creation_date(pdf_date(evidence.event_time));

    // The signature dictionary comes last, so that nothing the evidence contains (the XML is
    // written verbatim) can be mistaken for its placeholders below.
    let sig_offset = pdf.len();
    {
        let mut sig = pdf.indirect(sig_id).dict();
        sig.pair(Name(b"Type"), Name(b"Sig"));
        sig.pair(Name(b"Filter"), Name(b"Adobe.PPKLite"));
        sig.pair(Name(b"SubFilter"), Name(b"ETSI.CAdES.detached"));
        sig.insert(Name(b"ByteRange"))
            .array()
            .items([0, i32::MAX, i32::MAX, i32::MAX]);
        // Non-ASCII bytes are written as a hex string of exactly 2 × `reserved` digits.
        sig.pair(Name(b"Contents"), Str(&vec![0xFF; reserved]));
        sig.pair(Name(b"M"), pdf_date(signing_time));
    }

    let digest = Sha256::digest(evidence.id.as_bytes());
    pdf.set_file_id((digest[..16].to_vec(), digest[..16].to_vec()));
    let mut bytes = pdf.finish();

    let placeholder = || PadesError::Pdf("signature placeholder not found");
    let find = |bytes: &[u8], from: usize, needle: &[u8]| {
        bytes[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let br = find(&bytes, sig_offset, b"/ByteRange").ok_or_else(placeholder)?;
    let br_open = find(&bytes, br, b"[").ok_or_else(placeholder)?;
    let br_close = find(&bytes, br_open, b"]").ok_or_else(placeholder)?;
    let contents_key = find(&bytes, sig_offset, b"/Contents").ok_or_else(placeholder)?;
    let start = find(&bytes, contents_key, b"<").ok_or_else(placeholder)?;
    let end = find(&bytes, start, b">").ok_or_else(placeholder)? + 1;
    if end - start != 2 * reserved + 2 {
        return Err(placeholder());
    }

    let byte_range = format!("0 {start} {end} {}", bytes.len() - end);
    let slot = &mut bytes[br_open + 1..br_close];
    if byte_range.len() > slot.len() {
        return Err(placeholder());
    }
    slot.fill(b' ');
    slot[..byte_range.len()].copy_from_slice(byte_range.as_bytes());

    Ok(Rendered {
        bytes,
        contents: start..end,
    })
}
