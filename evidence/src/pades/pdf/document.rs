//! A published text document as a plain, unsigned PDF (TERMS-01): the terms of use and the
//! policy statement, in the evidence's typography (A4, Helvetica in WinAnsiEncoding), one part
//! per language, each starting on a new page.
//!
//! The output depends on the document only (no date, no random file id), so that the same
//! text always gives the same bytes and the SHA-256 a page publishes stays true.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};
use sha2::{Digest, Sha256};

use super::font::{Font, lines, winansi};
use super::layout::{ENGLISH_INK, INK, LABEL_INK, LEFT, Layout, PAGE_H, PAGE_W, RIGHT};

/// A text document to publish: its parts (one per language) in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextDocument {
    /// The document's title in the PDF's information dictionary.
    pub title: String,
    /// Who publishes it, e.g. "Pli".
    pub author: String,
    /// The BCP 47 language of the document's first part (e.g. `fr-FR`).
    pub lang: String,
    pub parts: Vec<TextPart>,
}

/// One language version of a [`TextDocument`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextPart {
    pub title: String,
    /// Labelled facts printed under the title (version, identifier, date).
    pub facts: Vec<(String, String)>,
    /// A paragraph under the facts.
    pub summary: String,
    /// Headed sections of paragraphs.
    pub sections: Vec<(String, Vec<String>)>,
}

/// Renders `document` as PDF bytes.
pub fn render_text_document(document: &TextDocument) -> Vec<u8> {
    let mut layout = Layout::new();
    for (i, part) in document.parts.iter().enumerate() {
        if i > 0 {
            layout.new_page();
        }
        lay_out_part(&mut layout, part);
    }
    let mut pages = layout.pages;
    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        footer(page, &document.title, i + 1, count);
    }

    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog_id = alloc();
    let pages_id = alloc();
    let fonts = [alloc(), alloc()];
    let info_id = alloc();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id)
        .pages(pages_id)
        .lang(TextStr(&document.lang));
    pdf.pages(pages_id)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(i32::try_from(page_ids.len()).unwrap_or(i32::MAX));
    for (id, base) in fonts
        .iter()
        .zip([Name(b"Helvetica"), Name(b"Helvetica-Bold")])
    {
        pdf.type1_font(*id)
            .base_font(base)
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (content, (page_id, content_id)) in pages.into_iter().zip(&page_ids) {
        let mut page = pdf.page(*page_id);
        page.parent(pages_id)
            .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .contents(*content_id);
        page.resources()
            .fonts()
            .pair(Font::Regular.resource(), fonts[0])
            .pair(Font::Bold.resource(), fonts[1]);
        page.finish();
        pdf.stream(*content_id, &content.finish());
    }
    pdf.document_info(info_id)
        .title(TextStr(&document.title))
        .author(TextStr(&document.author))
        .creator(TextStr("Pli"))
        .producer(TextStr("Pli evidence engine (pdf-writer)"));
    // A file identifier derived from the content, never random (PDF 32000-1 §14.4).
    let mut digest = Sha256::new();
    digest.update(document.title.as_bytes());
    for part in &document.parts {
        digest.update(part.title.as_bytes());
        for (label, value) in &part.facts {
            digest.update(label.as_bytes());
            digest.update(value.as_bytes());
        }
        digest.update(part.summary.as_bytes());
        for (heading, paragraphs) in &part.sections {
            digest.update(heading.as_bytes());
            for p in paragraphs {
                digest.update(p.as_bytes());
            }
        }
    }
    let id = digest.finalize()[..16].to_vec();
    pdf.set_file_id((id.clone(), id));
    pdf.finish()
}

fn lay_out_part(layout: &mut Layout, part: &TextPart) {
    let width = RIGHT - LEFT;
    let title = lines(&part.title, Font::Bold, 16.0, INK, width);
    layout.paragraph(&title);
    layout.y -= 6.0;
    for (label, value) in &part.facts {
        let text = format!("{label} : {value}");
        layout.paragraph(&lines(&text, Font::Regular, 9.0, LABEL_INK, width));
    }
    layout.y -= 8.0;
    layout.paragraph(&lines(&part.summary, Font::Regular, 10.0, INK, width));
    for (heading, paragraphs) in &part.sections {
        layout.ensure(60.0);
        layout.y -= 10.0;
        layout.paragraph(&lines(heading, Font::Bold, 11.5, INK, width));
        layout.y -= 3.0;
        for paragraph in paragraphs {
            layout.paragraph(&lines(paragraph, Font::Regular, 10.0, INK, width));
            layout.y -= 5.0;
        }
    }
}

fn footer(page: &mut Content, title: &str, number: usize, count: usize) {
    let mut layout = Layout {
        pages: vec![std::mem::replace(page, Content::new())],
        y: 0.0,
    };
    layout.rule(LEFT, RIGHT, 62.0, 0.75, 0.5);
    let title = winansi(title);
    layout.text_at(LEFT, 50.0, Font::Regular, 7.5, ENGLISH_INK, &title);
    let number = winansi(&format!("{number} / {count}"));
    let x = RIGHT - Font::Regular.width(&number, 7.5);
    layout.text_at(x, 50.0, Font::Regular, 7.5, ENGLISH_INK, &number);
    *page = layout.pages.pop().unwrap_or_else(Content::new);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TextDocument {
        let part = |title: &str| TextPart {
            title: title.to_owned(),
            facts: vec![("Version".to_owned(), "2026-11".to_owned())],
            summary: "Résumé ".repeat(40),
            sections: (1..=30)
                .map(|i| {
                    (
                        format!("{i}. Section"),
                        vec!["Un paragraphe élégant. ".repeat(20)],
                    )
                })
                .collect(),
        };
        TextDocument {
            title: "Conditions".to_owned(),
            author: "Pli".to_owned(),
            lang: "fr-FR".to_owned(),
            parts: vec![part("Conditions"), part("Terms")],
        }
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let a = render_text_document(&sample());
        assert!(a.starts_with(b"%PDF-"));
        assert_eq!(a, render_text_document(&sample()));
        let mut other = sample();
        other.parts[0].facts[0].1 = "2027-01".to_owned();
        assert_ne!(a, render_text_document(&other));
    }
}
