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

/// One published document: its identity and its PDF.
#[derive(Debug)]
pub struct Published {
    pub kind: DocumentKind,
    pub version: &'static str,
    /// The document's OID under the policy OID.
    pub oid: String,
    pub pdf: Arc<[u8]>,
    /// SHA-256 of [`Published::pdf`], lowercase hex.
    pub sha256: String,
}

/// Every published document of this service.
#[derive(Debug)]
pub struct Publication {
    documents: Vec<Published>,
}

impl Publication {
    /// Renders every document under `policy_oid`.
    pub fn new(policy_oid: &str) -> Publication {
        let documents = DocumentKind::ALL
            .into_iter()
            .map(|kind| {
                let document = kind.document();
                let oid = document.oid(policy_oid);
                let pdf: Arc<[u8]> = render_text_document(&text_document(document, &oid)).into();
                let sha256 = hex(&Sha256::digest(&pdf));
                Published {
                    kind,
                    version: document.version,
                    oid,
                    pdf,
                    sha256,
                }
            })
            .collect();
        Publication { documents }
    }

    /// The published document of `kind`.
    pub fn get(&self, kind: DocumentKind) -> &Published {
        // Every kind is rendered by `new`.
        self.documents
            .iter()
            .find(|d| d.kind == kind)
            .unwrap_or(&self.documents[0])
    }

    /// The document served at `path` (`/policy.pdf`, `/terms/senders.pdf`, ...), if any.
    pub fn by_pdf_path(&self, path: &str) -> Option<&Published> {
        self.documents
            .iter()
            .find(|d| d.kind.document().pdf == path)
    }

    /// What the pages show of each document.
    pub fn summaries(&self) -> Vec<PublishedDocument> {
        self.documents
            .iter()
            .map(|d| PublishedDocument {
                kind: d.kind,
                version: d.version.to_owned(),
                oid: d.oid.clone(),
                sha256: d.sha256.clone(),
            })
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
                        "En vigueur depuis le"
                    } else {
                        "In force since"
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
        for kind in DocumentKind::ALL {
            assert_eq!(a.get(kind).sha256, b.get(kind).sha256);
            assert_eq!(hex(&Sha256::digest(&a.get(kind).pdf)), a.get(kind).sha256);
        }
        assert_eq!(
            a.get(DocumentKind::SenderTerms).oid,
            "1.3.6.1.4.1.32473.1.1.2.1.1"
        );
        assert!(a.by_pdf_path("/terms/recipients.pdf").is_some());
        assert!(a.by_pdf_path("/terms/other.pdf").is_none());
    }
}
