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
