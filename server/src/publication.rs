//! The published documents (TERMS-01, EVD-07, policy §1.2.4, §2.4): Pli's policy and practice
//! statement and the two sets of terms of use, rendered once at start-up from their one source
//! (`app::terms`) as PDFs — French part, then English — with each PDF's SHA-256. The pages
//! state that digest, `GET /policy.pdf` and `GET /terms/{senders,recipients}.pdf` serve those
//! very bytes, and the sign-up and decision flows record the version and OID accepted.
//!
//! A PDF depends only on its text and on the policy OID (`[policy] oid`), never on the time
//! or the request: the same build and settings always publish the same digest.

use std::sync::Arc;

use app::i18n::Lang;
use app::terms::{Document, DocumentKind, PublishedDocument};
use evidence::pades::{TextDocument, TextPart, render_text_document};
use sha2::{Digest, Sha256};

use crate::ledger::hex;

/// One published edition of a document: its identity and its PDF.
#[derive(Debug)]
pub struct Published {
    pub kind: DocumentKind,
    pub version: &'static str,
    /// The edition's text and dates.
    pub edition: &'static Document,
    /// The document's OID under the policy OID.
    pub oid: String,
    pub pdf: Arc<[u8]>,
    /// SHA-256 of [`Published::pdf`], lowercase hex.
    pub sha256: String,
}

impl Published {
    fn summary(&self) -> PublishedDocument {
        PublishedDocument {
            kind: self.kind,
            version: self.version.to_owned(),
            oid: self.oid.clone(),
            sha256: self.sha256.clone(),
            effective: self.edition.effective.to_owned(),
        }
    }
}

/// Every published edition of every document of this service (OPS-07: an edition is
/// published as soon as it is in the code, before it applies).
#[derive(Debug)]
pub struct Publication {
    documents: Vec<Published>,
}

impl Publication {
    /// Renders every edition under `policy_oid`.
    pub fn new(policy_oid: &str) -> Publication {
        let documents = DocumentKind::ALL
            .into_iter()
            .flat_map(|kind| kind.editions().iter().map(move |edition| (kind, *edition)))
            .map(|(kind, edition)| {
                let oid = edition.oid(policy_oid);
                let pdf: Arc<[u8]> = render_text_document(&text_document(edition, &oid)).into();
                let sha256 = hex(&Sha256::digest(&pdf));
                Published {
                    kind,
                    version: edition.version,
                    edition,
                    oid,
                    pdf,
                    sha256,
                }
            })
            .collect();
        Publication { documents }
    }

    /// The edition `version` of `kind`, if published.
    pub fn edition(&self, kind: DocumentKind, version: &str) -> Option<&Published> {
        self.documents
            .iter()
            .find(|d| d.kind == kind && d.version == version)
    }

    /// The edition of `kind` in force on `today` (YYYY-MM-DD).
    pub fn get(&self, kind: DocumentKind, today: &str) -> &Published {
        // Every edition is rendered by `new`.
        self.edition(kind, kind.in_force(today).version)
            .unwrap_or(&self.documents[0])
    }

    /// The document served at `path` on `today`: `/terms/senders.pdf` the edition in force,
    /// `/terms/senders/2027-01.pdf` that edition.
    pub fn by_pdf_path(&self, path: &str, today: &str) -> Option<&Published> {
        if let Some(kind) = DocumentKind::ALL
            .into_iter()
            .find(|kind| kind.document().pdf == path)
        {
            return Some(self.get(kind, today));
        }
        self.documents
            .iter()
            .find(|d| d.edition.edition_pdf() == path)
    }

    /// What the pages show of each document in force on `today`.
    pub fn summaries(&self, today: &str) -> Vec<PublishedDocument> {
        DocumentKind::ALL
            .into_iter()
            .map(|kind| self.get(kind, today).summary())
            .collect()
    }

    /// The editions published and not yet in force on `today` (OPS-07).
    pub fn upcoming(&self, today: &str) -> Vec<PublishedDocument> {
        DocumentKind::ALL
            .into_iter()
            .flat_map(|kind| kind.upcoming(today))
            .filter_map(|edition| self.edition(edition.kind, edition.version))
            .map(Published::summary)
            .collect()
    }
}

/// The bilingual text of `document` for the renderer.
fn text_document(document: &Document, oid: &str) -> TextDocument {
    let part = |lang: Lang| {
        let fr = lang == Lang::Fr;
        TextPart {
            title: document.title.get(lang).to_owned(),
            facts: vec![
                ("Version".to_owned(), document.version.to_owned()),
                (
                    if fr {
                        "Identifiant (OID)"
                    } else {
                        "Identifier (OID)"
                    }
                    .to_owned(),
                    oid.to_owned(),
                ),
                (
                    if fr {
                        "En vigueur à compter du"
                    } else {
                        "In force from"
                    }
                    .to_owned(),
                    document.effective.to_owned(),
                ),
            ],
            summary: document.summary.get(lang).to_owned(),
            sections: document
                .sections
                .iter()
                .map(|s| {
                    (
                        s.heading.get(lang).to_owned(),
                        s.paragraphs
                            .iter()
                            .map(|p| p.get(lang).to_owned())
                            .collect(),
                    )
                })
                .collect(),
        }
    };
    TextDocument {
        title: format!(
            "{} / {} ({})",
            document.title.get(Lang::Fr),
            document.title.get(Lang::En),
            document.version
        ),
        author: "Pli".to_owned(),
        lang: "fr-FR".to_owned(),
        parts: vec![part(Lang::Fr), part(Lang::En)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_document_is_rendered_reproducibly_under_the_policy_oid() {
        let a = Publication::new("1.3.6.1.4.1.32473.1.1");
        let b = Publication::new("1.3.6.1.4.1.32473.1.1");
        let today = "2026-12-02";
        for kind in DocumentKind::ALL {
            assert_eq!(a.get(kind, today).sha256, b.get(kind, today).sha256);
            assert_eq!(
                hex(&Sha256::digest(&a.get(kind, today).pdf)),
                a.get(kind, today).sha256
            );
        }
        assert_eq!(
            a.get(DocumentKind::SenderTerms, today).oid,
            "1.3.6.1.4.1.32473.1.1.2.1.1"
        );
        assert_eq!(
            a.get(DocumentKind::SenderTerms, "2027-01-15").oid,
            "1.3.6.1.4.1.32473.1.1.2.1.2"
        );
        let next = a.by_pdf_path("/terms/senders/2027-01.pdf", today);
        assert_eq!(next.map(|p| p.version), Some("2027-01"));
        assert_eq!(a.upcoming(today).len(), 1);
        assert!(a.by_pdf_path("/terms/recipients.pdf", today).is_some());
        assert!(a.by_pdf_path("/terms/other.pdf", today).is_none());
    }
}
