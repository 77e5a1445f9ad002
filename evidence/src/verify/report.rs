//! The verification [`Report`]: every check with its outcome and a readable detail, and what
//! the evidence says.

use std::fmt;
use std::time::SystemTime;

use crate::pades::{ContentDigest, EtsiEvent, EvidenceKind, Party, format_utc};

/// One point [`verify_pdf`](super::verify_pdf) checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckId {
    /// The last signature dictionary: `/ByteRange [0 b c d]` whose gap is exactly the
    /// `/Contents` hex string, `/SubFilter /ETSI.CAdES.detached`.
    SignatureDictionary,
    /// The signed range ends at the end of the file: nothing (no incremental update) was
    /// added after sealing.
    WholeFileCovered,
    /// `/Contents` holds a DER CMS `SignedData` (zero padding allowed): detached, one signer,
    /// signed content-type id-data, the signer's certificate embedded.
    CmsStructure,
    /// The signed message-digest equals the hash of the signed byte ranges: the document was
    /// not modified since sealing.
    DocumentUnmodified,
    /// The RSA signature over the signed attributes verifies with the seal certificate's key.
    SealSignature,
    /// The signing-certificate-v2 attribute is present and names the seal certificate.
    SigningCertificate,
    /// The seal certificate chains to a trust root, valid at the time-stamp's time.
    CertificateChain,
    /// The signature time-stamp (RFC 3161) is present, covers the signature value and is
    /// signed by a time-stamping unit chaining to a trust root.
    Timestamp,
    /// The evidence XML is attached inside the signed range and readable.
    EvidenceContent,
    /// Only when an original file's digest was given: it is one of the recorded digests. Not
    /// part of [`Report::valid`]: it answers another question (is *this* the file?).
    OriginalFile,
}

impl CheckId {
    /// The checks that must all pass for an evidence to be valid.
    pub const MANDATORY: [CheckId; 9] = [
        CheckId::SignatureDictionary,
        CheckId::WholeFileCovered,
        CheckId::CmsStructure,
        CheckId::DocumentUnmodified,
        CheckId::SealSignature,
        CheckId::SigningCertificate,
        CheckId::CertificateChain,
        CheckId::Timestamp,
        CheckId::EvidenceContent,
    ];

    /// Whether the check belongs to [`Report::valid`].
    pub fn is_mandatory(self) -> bool {
        Self::MANDATORY.contains(&self)
    }

    /// A short English label.
    pub const fn label(self) -> &'static str {
        match self {
            CheckId::SignatureDictionary => "Signature dictionary",
            CheckId::WholeFileCovered => {
                "Seal covers the file (later revisions: validation data only)"
            }
            CheckId::CmsStructure => "Signature structure (CMS)",
            CheckId::DocumentUnmodified => "Document unmodified since sealing",
            CheckId::SealSignature => "Seal signature",
            CheckId::SigningCertificate => "Signing-certificate attribute",
            CheckId::CertificateChain => "Seal certificate chain",
            CheckId::Timestamp => "Signature time-stamp",
            CheckId::EvidenceContent => "Evidence content (attached XML)",
            CheckId::OriginalFile => "Original file",
        }
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How a check ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Checked and satisfied.
    Passed,
    /// Checked and not satisfied.
    Failed,
    /// Could not be checked because a check it depends on failed: counts as not passed.
    NotChecked,
}

/// One check's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// Which check.
    pub id: CheckId,
    /// Its outcome.
    pub outcome: Outcome,
    /// What was found, in English, for people.
    pub detail: String,
}

impl Check {
    /// Whether the check passed.
    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Passed
    }
}

/// The result of [`verify_pdf`](super::verify_pdf) (EVD-03, EVD-06): each check, and what the
/// evidence states. The descriptive fields are filled as far as the file could be read, so
/// they may be present on an invalid evidence: always look at [`valid`](Self::valid) first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// Every check run, in order.
    pub checks: Vec<Check>,
    /// The seal certificate's subject (RFC 4514).
    pub signer_subject: Option<String>,
    /// The seal certificate's serial number, upper-case hex.
    pub seal_serial: Option<String>,
    /// The signing time the signature dictionary claims (`/M`); the time-stamp is the proof.
    pub signing_time: Option<SystemTime>,
    /// The evidence identifier (EVD-04).
    pub evidence_id: Option<String>,
    /// The kind of evidence.
    pub kind: Option<EvidenceKind>,
    /// The ETSI EN 319 522 event URI (`ERDSEventId`).
    pub event: Option<String>,
    /// The event time (UTC), as recorded.
    pub event_time: Option<SystemTime>,
    /// The evidence policy OID, dotted.
    pub policy_oid: Option<String>,
    /// The signature time-stamp's `genTime`, when the time-stamp verified.
    pub timestamp_time: Option<SystemTime>,
    /// The time-stamping unit's certificate subject (RFC 4514).
    pub tsa_subject: Option<String>,
    /// The letter (transaction) the evidence is about, as recorded.
    pub letter_id: Option<String>,
    /// The sender, as the XML names them (`SenderDetails`).
    pub sender: Option<Party>,
    /// The recipient, as the XML names them (`RecipientDetails`).
    pub recipient: Option<Party>,
    /// The person concerned when neither sender nor recipient (`pli:UserDetails`).
    pub user: Option<Party>,
    /// The letter's status as recorded (« Accepté », « Rejeté »…), French then English.
    pub status: Option<(String, String)>,
    /// The file digests the evidence records.
    pub digests: Vec<ContentDigest>,
    /// The labelled fields the evidence records (key, value), in order.
    pub fields: Vec<(String, String)>,
    /// The document time-stamps of the revisions after the seal (PAdES-B-LTA), in order.
    pub doc_timestamps: Vec<super::DocTimestamp>,
    /// Until when the seal certificate is valid.
    pub seal_not_after: Option<SystemTime>,
    /// Where the seal's signed byte range ends: the length of the PDF as sealed, before any
    /// later revision.
    pub sealed_length: Option<u64>,
    /// Names of the recorded files whose digest equals the original file's, when one was
    /// given (empty: no match).
    pub original_matches: Option<Vec<String>>,
}

impl Report {
    /// The bytes of `pdf` (the file this report is about) that the seal covers: the PDF as
    /// sealed, before any later revision. `None` when the signed range is unreadable or
    /// beyond the file.
    pub fn sealed<'a>(&self, pdf: &'a [u8]) -> Option<&'a [u8]> {
        pdf.get(..usize::try_from(self.sealed_length?).ok()?)
    }

    /// The value of the labelled field `key`, if the evidence records it.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, value)| value.as_str())
    }

    /// True only when every mandatory check ([`CheckId::MANDATORY`]) was run and passed.
    pub fn valid(&self) -> bool {
        CheckId::MANDATORY.iter().all(|id| {
            let mut runs = self.checks.iter().filter(|c| c.id == *id).peekable();
            runs.peek().is_some() && runs.all(Check::passed)
        })
    }

    /// The result of check `id`, if it was run.
    pub fn check(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// The mandatory checks that did not pass.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks
            .iter()
            .filter(|c| c.id.is_mandatory() && !c.passed())
    }

    /// Whether the original file given to [`verify_pdf`](super::verify_pdf) is one of the
    /// recorded files; `None` when none was given.
    pub fn original_file_matches(&self) -> Option<bool> {
        self.original_matches
            .as_ref()
            .map(|names| !names.is_empty())
    }

    pub(super) fn push(&mut self, id: CheckId, outcome: Outcome, detail: impl Into<String>) {
        self.checks.push(Check {
            id,
            outcome,
            detail: detail.into(),
        });
    }

    pub(super) fn pass(&mut self, id: CheckId, detail: impl Into<String>) {
        self.push(id, Outcome::Passed, detail);
    }

    pub(super) fn fail(&mut self, id: CheckId, detail: impl Into<String>) {
        self.push(id, Outcome::Failed, detail);
    }

    pub(super) fn not_checked(&mut self, id: CheckId, because: &str) {
        self.push(id, Outcome::NotChecked, format!("not checked: {because}"));
    }

    /// Records `result` as check `id`.
    pub(super) fn record(&mut self, id: CheckId, result: Result<String, String>) {
        match result {
            Ok(detail) => self.pass(id, detail),
            Err(detail) => self.fail(id, detail),
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.valid() {
            writeln!(f, "Evidence seal: VALID")?;
        } else {
            let failed = self.failures().count();
            let s = if failed == 1 { "" } else { "s" };
            writeln!(f, "Evidence seal: INVALID ({failed} check{s} not passed)")?;
        }
        for check in &self.checks {
            let mark = match check.outcome {
                Outcome::Passed => "[ok]  ",
                Outcome::Failed => "[FAIL]",
                Outcome::NotChecked => "[--]  ",
            };
            writeln!(f, "  {mark} {}: {}", check.id.label(), check.detail)?;
        }
        let time = |t: &Option<SystemTime>| t.map(format_utc);
        let party = |p: &Option<Party>| {
            p.as_ref().map(|p| match &p.email {
                Some(email) => format!("{} <{email}> (id {})", p.name, p.id),
                None => format!("{} (id {})", p.name, p.id),
            })
        };
        let rows: [(&str, Option<String>); 16] = [
            ("Evidence id", self.evidence_id.clone()),
            (
                "Kind",
                self.kind
                    .map(|k| format!("{} ({})", k.title_en(), k.code())),
            ),
            (
                "Event",
                self.event.as_deref().map(|uri| self.event_text(uri)),
            ),
            ("Event time", time(&self.event_time)),
            (
                "Status",
                self.status.as_ref().map(|(fr, en)| format!("{fr} / {en}")),
            ),
            ("Sender", party(&self.sender)),
            ("Recipient", party(&self.recipient)),
            ("User", party(&self.user)),
            ("Letter", self.letter_id.clone()),
            ("Policy OID", self.policy_oid.clone()),
            ("Sealed by", self.signer_subject.clone()),
            ("Seal certificate serial", self.seal_serial.clone()),
            ("Signing time (/M, claimed)", time(&self.signing_time)),
            ("Time-stamp", time(&self.timestamp_time)),
            ("Time-stamping unit", self.tsa_subject.clone()),
            (
                "Original file",
                self.original_matches.as_ref().map(|names| {
                    if names.is_empty() {
                        "does not match any file this evidence records".to_owned()
                    } else {
                        format!("matches {}", quoted(names))
                    }
                }),
            ),
        ];
        for (label, value) in rows {
            if let Some(value) = value {
                writeln!(f, "{label}: {value}")?;
            }
        }
        if !self.digests.is_empty() {
            writeln!(f, "Recorded files:")?;
            for d in &self.digests {
                writeln!(f, "  {}  {} {}", d.file_name, d.algorithm, d.hex)?;
            }
        }
        if !self.doc_timestamps.is_empty() {
            writeln!(f, "Time-stamp chain (PAdES-B-LTA):")?;
            for stamp in &self.doc_timestamps {
                writeln!(f, "  {}", stamp.describe())?;
            }
        }
        if let Some(until) = self.verifiable_until() {
            writeln!(
                f,
                "Verifiable without renewal until: {} ({})",
                format_utc(until),
                if self.doc_timestamps.is_empty() {
                    "the seal certificate's end; no document time-stamp"
                } else {
                    "the end of the last document time-stamp's certificate"
                }
            )?;
        }
        Ok(())
    }
}

impl Report {
    /// Until when the evidence can be verified as it is: the end of the last document
    /// time-stamp's certificate (B-LTA), else of the seal certificate. It must be renewed (a
    /// new document time-stamp) before.
    pub fn verifiable_until(&self) -> Option<SystemTime> {
        match self.doc_timestamps.last() {
            Some(stamp) => Some(stamp.tsa_not_after),
            None => self.seal_not_after,
        }
    }

    /// The event for people, then its identifier: `Lettre rejetée par le destinataire /
    /// Consignment rejected (http://uri.etsi.org/19522/Event/ConsignmentRejection)`.
    fn event_text(&self, uri: &str) -> String {
        let label = EtsiEvent::from_uri(uri)
            .map(EtsiEvent::label)
            .or_else(|| self.kind.map(EvidenceKind::event_label));
        match label {
            Some(label) => format!("{label} ({uri})"),
            None => uri.to_owned(),
        }
    }
}

/// `"a", "b"`.
pub(super) fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why verification could not be used as a `Result`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The evidence did not verify ([`Report::ensure_valid`]); the report says why.
    #[error("the evidence is not valid: {}", summary(.0))]
    Invalid(Box<Report>),
    /// A trust-root file is not PEM or DER X.509 certificates.
    #[error("cannot read the trust roots: {0}")]
    TrustRoots(der::Error),
    /// A trust-root file holds no certificate.
    #[error("no certificate in the trust roots")]
    NoTrustRoots,
}

fn summary(report: &Report) -> String {
    let failures: Vec<String> = report
        .failures()
        .map(|c| format!("{}: {}", c.id.label(), c.detail))
        .collect();
    failures.join("; ")
}

impl Report {
    /// `Ok(self)` when [`valid`](Self::valid), else [`VerifyError::Invalid`] carrying it.
    pub fn ensure_valid(self) -> Result<Report, VerifyError> {
        if self.valid() {
            Ok(self)
        } else {
            Err(VerifyError::Invalid(Box::new(self)))
        }
    }
}
