//! The machine-readable form of an evidence, attached to its PDF (EVD-03, EVD-04, EVD-08).
//!
//! It follows ETSI EN 319 522-3's evidence in the ETSI namespace: root `Evidence`, then
//! `EvidenceIdentifier`, `ERDSEventId` (the standard's event identifiers, EN 319 522-3 Table 2),
//! `EventTime`, `SubmissionTime`, `EvidenceIssuerPolicyID`, `EvidenceIssuerDetails`,
//! `SenderDetails`, `RecipientDetails`, each party as the standard structures an entity (its
//! name, its electronic address, its identity attributes as SAML 2.0 attributes); everything
//! the standard does not model (titles, user, letter and status, sessions, labelled fields,
//! file digests) is in Pli's namespace inside `Extensions/Extension`. The schema itself was
//! not available: `docs/evidence-events.md` lists the clauses followed, and
//! `evidence/tests/pades.rs` checks every kind's XML against that list with an independent
//! parser.

use std::fmt::Write;

use super::fields::field_labels;
use super::model::{Evidence, Party, rfc3339_utc};

/// The ETSI EN 319 522 namespace.
pub const ETSI_NAMESPACE: &str = "http://uri.etsi.org/19522/v1#";
/// Pli's namespace for the elements the standard does not define.
pub const PLI_NAMESPACE: &str = "urn:pli:evidence:1";
/// SAML 2.0 assertions, whose `Attribute` carries an entity's identity attributes.
pub const SAML_NAMESPACE: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// The SAML name of the attribute holding the service's identifier of a party.
pub const PLI_IDENTIFIER_ATTRIBUTE: &str = "urn:pli:attribute:identifier";
/// SAML attribute names are URIs.
const SAML_URI_FORMAT: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";

/// Escapes text for XML element content and attribute values. `\r` is written as a character
/// reference so that it survives end-of-line normalisation; validation refuses the other
/// control characters, which XML 1.0 cannot carry (they are replaced here by U+FFFD for safety).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            let _ = write!(self.out, " {name}=\"{}\"", escape(value));
        }
        self.out.push_str(">\n");
        self.depth += 1;
    }

    fn close(&mut self, tag: &str) {
        self.depth -= 1;
        self.indent();
        let _ = writeln!(self.out, "</{tag}>");
    }

    fn leaf(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            let _ = write!(self.out, " {name}=\"{}\"", escape(value));
        }
        let _ = writeln!(self.out, ">{}</{tag}>", escape(text));
    }

    /// An entity (issuer, sender, recipient) as EN 319 522-3 structures it: its name, its
    /// electronic address (a URI), and its identity attributes (SAML 2.0).
    fn entity(&mut self, tag: &str, name: &str, address: Option<&str>, identifier: Option<&str>) {
        self.open(tag, &[]);
        self.open("NamesPostalAddresses", &[]);
        self.open("NamePostalAddress", &[]);
        self.open("EntityName", &[]);
        self.leaf("Name", &[], name);
        self.close("EntityName");
        self.close("NamePostalAddress");
        self.close("NamesPostalAddresses");
        if let Some(address) = address {
            self.leaf("ElectronicAddress", &[], address);
        }
        if let Some(identifier) = identifier {
            self.open("Identity", &[]);
            self.open(
                "saml:Attribute",
                &[
                    ("Name", PLI_IDENTIFIER_ATTRIBUTE),
                    ("NameFormat", SAML_URI_FORMAT),
                    ("FriendlyName", "Identifier"),
                ],
            );
            self.leaf("saml:AttributeValue", &[], identifier);
            self.close("saml:Attribute");
            self.close("Identity");
        }
        self.close(tag);
    }

    fn party(&mut self, tag: &str, party: &Party) {
        let address = party.email.as_ref().map(|email| format!("mailto:{email}"));
        self.entity(tag, &party.name, address.as_deref(), Some(&party.id));
    }

    /// A person in Pli's namespace (the user of an identity evidence, an uploader).
    fn pli_party(&mut self, tag: &str, party: &Party) {
        self.open(tag, &[]);
        self.leaf("pli:Name", &[], &party.name);
        self.leaf("pli:Identifier", &[], &party.id);
        if let Some(email) = &party.email {
            self.leaf("pli:Email", &[], email);
        }
        self.close(tag);
    }

    fn labelled(&mut self, key: &str, fr: &str, en: &str, value: &str) {
        self.open("pli:Field", &[("key", key)]);
        self.leaf("pli:Label", &[("xml:lang", "fr")], fr);
        self.leaf("pli:Label", &[("xml:lang", "en")], en);
        self.leaf("pli:Value", &[], value);
        self.close("pli:Field");
    }
}

impl Evidence {
    /// The evidence as XML (UTF-8, LF line ends), the file attached to the PDF. Deterministic:
    /// the same evidence always gives the same bytes.
    pub fn to_xml(&self) -> String {
        let mut w = Writer {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        };
        w.open(
            "Evidence",
            &[
                ("xmlns", ETSI_NAMESPACE),
                ("xmlns:saml", SAML_NAMESPACE),
                ("xmlns:pli", PLI_NAMESPACE),
                ("version", "1"),
            ],
        );
        w.leaf("EvidenceIdentifier", &[], &self.id);
        w.leaf("ERDSEventId", &[], &self.kind.event_uri());
        w.leaf("EventTime", &[], &rfc3339_utc(self.event_time));
        if let Some(time) = self.submission_time {
            w.leaf("SubmissionTime", &[], &rfc3339_utc(time));
        }
        w.open("EvidenceIssuerPolicyID", &[]);
        w.leaf("PolicyID", &[], &format!("urn:oid:{}", self.policy_oid));
        w.close("EvidenceIssuerPolicyID");
        w.entity(
            "EvidenceIssuerDetails",
            &self.issuer.name,
            Some(&self.issuer.url),
            None,
        );
        if let Some(sender) = &self.sender {
            w.party("SenderDetails", sender);
        }
        if let Some(recipient) = &self.recipient {
            w.party("RecipientDetails", recipient);
        }

        w.open("Extensions", &[]);
        w.open("Extension", &[]);
        w.open("pli:Details", &[]);
        w.leaf("pli:EvidenceKind", &[], self.kind.code());
        let event = self.kind.event_label();
        w.leaf("pli:EventLabel", &[("xml:lang", "fr")], event.fr);
        w.leaf("pli:EventLabel", &[("xml:lang", "en")], event.en);
        w.leaf("pli:Title", &[("xml:lang", "fr")], self.kind.title_fr());
        w.leaf("pli:Title", &[("xml:lang", "en")], self.kind.title_en());
        if let Some(user) = &self.user {
            w.pli_party("pli:UserDetails", user);
        }
        if self.letter_id.is_some() || self.subject.is_some() || self.kind.letter_status().is_some()
        {
            w.open("pli:Letter", &[]);
            if let Some(id) = &self.letter_id {
                w.leaf("pli:Identifier", &[], id);
            }
            if let Some(subject) = &self.subject {
                w.leaf("pli:Subject", &[], subject);
            }
            if let Some(status) = self.kind.letter_status() {
                w.leaf("pli:Status", &[("xml:lang", "fr")], status.fr);
                w.leaf("pli:Status", &[("xml:lang", "en")], status.en);
            }
            w.close("pli:Letter");
        }
        if let Some(sessions) = &self.sessions {
            w.open("pli:Sessions", &[]);
            w.leaf("pli:LoginSessionId", &[], &sessions.login_session_id);
            w.leaf("pli:LoginTime", &[], &rfc3339_utc(sessions.login_time));
            w.leaf("pli:OtpSessionId", &[], &sessions.otp_session_id);
            w.close("pli:Sessions");
        }
        if !self.fields.is_empty() {
            w.open("pli:Fields", &[]);
            for field in &self.fields {
                w.labelled(&field.key, &field.label_fr, &field.label_en, &field.value);
            }
            w.close("pli:Fields");
        }
        if !self.digests.is_empty() {
            let (fr, en) = field_labels(super::keys::CONTENT_DIGESTS).unwrap_or_default();
            w.open("pli:ContentDigests", &[]);
            w.leaf("pli:Label", &[("xml:lang", "fr")], fr);
            w.leaf("pli:Label", &[("xml:lang", "en")], en);
            for digest in &self.digests {
                w.open("pli:ContentDigest", &[]);
                w.leaf("pli:FileName", &[], &digest.file_name);
                if let Some(id) = &digest.file_id {
                    w.leaf("pli:FileIdentifier", &[], id);
                }
                let uri = digest.method().map(|(uri, _)| uri).unwrap_or_default();
                w.leaf("pli:DigestMethod", &[("Algorithm", uri)], &digest.algorithm);
                w.leaf("pli:DigestValue", &[("encoding", "hex")], &digest.hex);
                w.close("pli:ContentDigest");
            }
            w.close("pli:ContentDigests");
        }
        w.leaf("pli:VerificationURL", &[], &self.issuer.verify_url());
        w.close("pli:Details");
        w.close("Extension");
        w.close("Extensions");
        w.close("Evidence");
        w.out
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("a<b>&\"c\"'\r\n\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;&#13;\n\u{FFFD}"
        );
    }
}
