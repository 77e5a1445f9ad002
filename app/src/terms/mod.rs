//! The published documents (policy §1.2.4, §2.4, §3.2, §3.3; eIDAS Art. 24(2)(d)): Pli's
//! policy and practice statement, the terms of use for senders and the terms of use for
//! recipients. Each is one source, here, from which both its page (`/policy`,
//! `/terms/senders`, `/terms/recipients`) and its PDF (the server renders it once at start,
//! French then English) are made; each has a version and an object identifier under the
//! policy OID (see `docs/terms.md` for the arc).
//!
//! A new version of a document is a new `version`, a new last arc (`edition`) and, for the
//! terms, a new acceptance: sign-up and the reception page send the version they showed, and
//! the server refuses any other.

mod recipients;
mod senders;
mod statement;

use serde::{Deserialize, Serialize};

use crate::i18n::Tr;

/// Which published document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentKind {
    /// Pli's policy and practice statement: its OID is the policy OID itself.
    Policy,
    /// The terms of use a sender accepts at sign-up (policy §3.2).
    SenderTerms,
    /// The terms of use every recipient accepts at reception, before deciding (policy §3.3).
    RecipientTerms,
}

impl DocumentKind {
    /// Every published document, in the order the policy page lists them.
    pub const ALL: [DocumentKind; 3] = [
        DocumentKind::Policy,
        DocumentKind::SenderTerms,
        DocumentKind::RecipientTerms,
    ];

    /// The document's text and identity.
    pub fn document(self) -> &'static Document {
        match self {
            DocumentKind::Policy => &statement::STATEMENT,
            DocumentKind::SenderTerms => &senders::SENDER_TERMS,
            DocumentKind::RecipientTerms => &recipients::RECIPIENT_TERMS,
        }
    }
}

/// A published document: one version of one text, French and English.
#[derive(Debug)]
pub struct Document {
    pub kind: DocumentKind,
    /// The version, as accepted and recorded (e.g. `2026-11`).
    pub version: &'static str,
    /// The document's arc under the policy OID (empty for the policy itself), edition last:
    /// `2.1.1` is the first edition of the sender terms.
    pub arc: &'static str,
    /// The date from which this version applies (ISO 8601).
    pub effective: &'static str,
    pub title: Tr,
    /// One paragraph under the title: what the document is for.
    pub summary: Tr,
    /// The page that shows it.
    pub page: &'static str,
    /// Where its PDF is served.
    pub pdf: &'static str,
    pub sections: &'static [Section],
}

impl Document {
    /// The document's OID under the service's `policy_oid`.
    pub fn oid(&self, policy_oid: &str) -> String {
        if self.arc.is_empty() {
            policy_oid.to_owned()
        } else {
            format!("{policy_oid}.{}", self.arc)
        }
    }
}

/// A numbered section: a heading and its paragraphs.
#[derive(Debug)]
pub struct Section {
    pub heading: Tr,
    pub paragraphs: &'static [Tr],
}

/// The version of the sender terms sign-up asks to accept.
pub const SENDER_TERMS_VERSION: &str = senders::SENDER_TERMS.version;
/// The version of the recipient terms the reception page asks to accept before a decision.
pub const RECIPIENT_TERMS_VERSION: &str = recipients::RECIPIENT_TERMS.version;

/// What the server publishes of a document: its identity and the SHA-256 of the PDF it
/// serves (computed from the served bytes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedDocument {
    pub kind: DocumentKind,
    pub version: String,
    pub oid: String,
    /// SHA-256 of the PDF, lowercase hex.
    pub sha256: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arcs_are_distinct_and_oids_nest_under_the_policy() {
        let oids: Vec<String> = DocumentKind::ALL
            .iter()
            .map(|kind| kind.document().oid("1.2.3"))
            .collect();
        assert_eq!(oids, ["1.2.3", "1.2.3.2.1.1", "1.2.3.2.2.1"]);
        for kind in DocumentKind::ALL {
            let doc = kind.document();
            assert_eq!(doc.kind, kind);
            assert!(!doc.sections.is_empty());
            for section in doc.sections {
                assert!(!section.heading.0.is_empty() && !section.heading.1.is_empty());
                for p in section.paragraphs {
                    assert!(!p.0.trim().is_empty() && !p.1.trim().is_empty());
                }
            }
        }
    }
}
