//! The published documents (policy §1.2.4, §2.4, §3.2, §3.3; eIDAS Art. 24(2)(d)): Pli's
//! policy and practice statement, the terms of use for senders and the terms of use for
//! recipients. Each is one source, here, from which both its page (`/policy`,
//! `/terms/senders`, `/terms/recipients`) and its PDF (the server renders it once at start,
//! French then English) are made; each has a version and an object identifier under the
//! policy OID (see `docs/terms.md` for the arc).
//!
//! A new version of a document is a new `version`, a new last arc (`edition`) and, for the
//! terms, a new acceptance: sign-up and the reception page send the version they showed, and
//! the server refuses any other. A document's editions are listed in order
//! ([`DocumentKind::editions`]): each is published as soon as it is here, announced to the
//! users on its `announced` date, and in force from its `effective` date
//! ([`DocumentKind::in_force`], OPS-07: at least one month after the announcement, policy
//! §1.2.5); an account that accepted an older edition of the sender terms accepts the one in
//! force at its next sign-in.

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

    /// The document's first edition: its page and PDF paths are the kind's.
    pub fn document(self) -> &'static Document {
        self.editions()[0]
    }

    /// Every edition of the document, oldest first.
    pub fn editions(self) -> &'static [&'static Document] {
        match self {
            DocumentKind::Policy => &[&statement::STATEMENT],
            DocumentKind::SenderTerms => &[&senders::SENDER_TERMS, &senders::SENDER_TERMS_2027_01],
            DocumentKind::RecipientTerms => &[&recipients::RECIPIENT_TERMS],
        }
    }

    /// The edition in force on `today` (YYYY-MM-DD): the latest in effect, else the first.
    pub fn in_force(self, today: &str) -> &'static Document {
        self.editions()
            .iter()
            .rev()
            .find(|d| d.effective <= today)
            .copied()
            .unwrap_or(self.document())
    }

    /// The editions published and not yet in force on `today`.
    pub fn upcoming(self, today: &str) -> impl Iterator<Item = &'static Document> {
        let current = self.in_force(today).version;
        self.editions()
            .iter()
            .copied()
            .filter(move |d| d.effective > today && d.version != current)
    }

    /// The edition `version`, if any.
    pub fn edition(self, version: &str) -> Option<&'static Document> {
        self.editions()
            .iter()
            .copied()
            .find(|d| d.version == version)
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
    /// The date it is announced to the users (ISO 8601): at least one month before
    /// `effective` for a new edition (OPS-07, policy §1.2.5).
    pub announced: &'static str,
    pub title: Tr,
    /// One paragraph under the title: what the document is for.
    pub summary: Tr,
    /// The page that shows it.
    pub page: &'static str,
    /// Where its PDF is served while in force (every edition also at
    /// [`Document::edition_pdf`]).
    pub pdf: &'static str,
    pub sections: &'static [Section],
}

impl Document {
    /// Where this edition's PDF is served, whether in force or not: `/terms/senders/2026-11.pdf`.
    pub fn edition_pdf(&self) -> String {
        format!("{}/{}.pdf", self.pdf.trim_end_matches(".pdf"), self.version)
    }

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
#[derive(Clone, Copy, Debug)]
pub struct Section {
    pub heading: Tr,
    pub paragraphs: &'static [Tr],
}

/// The version of the first edition of the sender terms.
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
    /// The date it applies from (YYYY-MM-DD).
    pub effective: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OPS-07 (policy §1.2.3-§1.2.5): a new edition is announced, and published, at least one
    /// month before it applies; editions follow each other in order.
    #[test]
    fn new_editions_are_announced_a_month_ahead() {
        for kind in DocumentKind::ALL {
            let editions = kind.editions();
            for pair in editions.windows(2) {
                let (old, new) = (pair[0], pair[1]);
                assert!(old.effective < new.effective && old.version < new.version);
                // (year, month, day); one month later is the same day of the next month.
                let ymd = |date: &str| -> (u32, u32, u32) {
                    let mut parts = date.split('-').map(|p| p.parse::<u32>().unwrap_or(0));
                    let mut next = || parts.next().unwrap_or(0);
                    (next(), next(), next())
                };
                let (y, m, d) = ymd(new.announced);
                let month_later = if m == 12 {
                    (y + 1, 1, d)
                } else {
                    (y, m + 1, d)
                };
                assert!(
                    month_later <= ymd(new.effective),
                    "{} announced less than a month ahead",
                    new.version
                );
            }
        }
    }

    #[test]
    fn arcs_are_distinct_and_oids_nest_under_the_policy() {
        let oids: Vec<String> = DocumentKind::ALL
            .iter()
            .map(|kind| kind.document().oid("1.2.3"))
            .collect();
        assert_eq!(oids, ["1.2.3", "1.2.3.2.1.1", "1.2.3.2.2.1"]);
        let second = DocumentKind::SenderTerms.editions()[1];
        assert_eq!(second.oid("1.2.3"), "1.2.3.2.1.2");
        assert_eq!(
            DocumentKind::SenderTerms.in_force("2026-03-28").version,
            "2026-11"
        );
        assert_eq!(
            DocumentKind::SenderTerms.in_force("2027-01-14").version,
            "2026-11"
        );
        assert_eq!(
            DocumentKind::SenderTerms.in_force("2027-01-15").version,
            "2027-01"
        );
        assert_eq!(
            DocumentKind::SenderTerms
                .upcoming("2026-12-02")
                .map(|d| d.version)
                .collect::<Vec<_>>(),
            ["2027-01"]
        );
        assert_eq!(second.edition_pdf(), "/terms/senders/2027-01.pdf");
        for doc in DocumentKind::ALL.iter().flat_map(|kind| kind.editions()) {
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
