//! Data exchanged between the browser and the server.

use serde::{Deserialize, Serialize};

/// What every page needs to know about the service it talks to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerInfo {
    /// Development mode: dev mailbox and clock pages, built-in TSA, "not qualified" banner.
    pub development: bool,
    pub version: String,
    /// OID of the service policy in force, written in every evidence.
    pub policy_oid: String,
    /// IANA name of the legal time zone in which calendar-day deadlines are counted.
    pub legal_time_zone: String,
}

/// One message of the development mailbox, as listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MailSummary {
    pub id: String,
    pub from: String,
    pub to: String,
    pub subject: String,
    /// RFC 3339, UTC, from the service clock.
    pub sent_at: String,
}

/// One message of the development mailbox, in full.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MailMessage {
    pub summary: MailSummary,
    pub text: String,
    pub html: Option<String>,
    /// The RFC 5322 message exactly as SMTP would have carried it.
    pub raw: String,
}

/// The service clock as the development clock page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClockState {
    /// RFC 3339, UTC.
    pub now: String,
    /// How far the development clock runs ahead of the real one, in seconds.
    pub offset_seconds: i64,
}

/// A stored evidence, as the development evidence page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceSummary {
    pub id: String,
    pub kind: String,
    pub title_fr: String,
    pub title_en: String,
    /// RFC 3339, UTC: the event time.
    pub created_at: String,
    pub sha256: String,
    /// Position in the journal's hash chain.
    pub seq: i64,
}

/// The verification of an evidence PDF (EVD-03, EVD-06), as the /verify page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerificationReport {
    /// True only when every mandatory check passed.
    pub valid: bool,
    pub checks: Vec<VerificationCheck>,
    pub evidence_id: Option<String>,
    /// The evidence kind's code (e.g. `Deposit`) and titles.
    pub kind: Option<String>,
    pub title_fr: Option<String>,
    pub title_en: Option<String>,
    /// RFC 3339, UTC.
    pub event_time: Option<String>,
    pub policy_oid: Option<String>,
    /// RFC 3339, UTC: when the time-stamping unit says the seal existed.
    pub timestamp_time: Option<String>,
    pub tsa_subject: Option<String>,
    pub signer_subject: Option<String>,
    /// The files the evidence records: name and SHA-256 (hex).
    pub digests: Vec<(String, String)>,
    /// When an original file's SHA-256 was given: the recorded files it matches (empty: none).
    pub original_matches: Option<Vec<String>>,
    /// The evidence's position in this service's journal, when it is recorded there.
    pub journal_seq: Option<i64>,
}

/// One check of a [`VerificationReport`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerificationCheck {
    /// Stable code of the check (e.g. `DocumentUnmodified`), translated by the page.
    pub code: String,
    /// `Some(true)` passed, `Some(false)` failed, `None` not checked (an earlier check failed).
    pub passed: Option<bool>,
    /// What was found (English, technical).
    pub detail: String,
}
