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
    /// The operator's contact address, if configured (`policy.contact_email`).
    pub contact_email: Option<String>,
    /// The published policy statement and terms of use, with their PDFs' SHA-256 (TERMS-01).
    pub documents: Vec<crate::terms::PublishedDocument>,
    /// The editions published and not yet in force (OPS-07).
    pub upcoming: Vec<crate::terms::PublishedDocument>,
}

impl ServerInfo {
    /// What is published of the document of `kind`.
    pub fn document(
        &self,
        kind: crate::terms::DocumentKind,
    ) -> Option<&crate::terms::PublishedDocument> {
        self.documents.iter().find(|d| d.kind == kind)
    }
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
    /// RFC 3339 in the legal time zone (`domain::time::legal_rfc3339`).
    pub event_time: Option<String>,
    pub policy_oid: Option<String>,
    /// As `event_time`: when the time-stamping unit says the seal existed.
    pub timestamp_time: Option<String>,
    /// The letter the evidence is about, and the people it names (as the evidence records
    /// them), for the plain-words summary of what it attests.
    pub letter_id: Option<String>,
    pub sender: Option<PartyView>,
    pub recipient: Option<PartyView>,
    pub user: Option<PartyView>,
    pub tsa_subject: Option<String>,
    pub signer_subject: Option<String>,
    /// The files the evidence records: name and SHA-256 (hex).
    pub digests: Vec<(String, String)>,
    /// When an original file's SHA-256 was given: the recorded files it matches (empty: none).
    pub original_matches: Option<Vec<String>>,
    /// The evidence's position in this service's journal, when it is recorded there.
    pub journal_seq: Option<i64>,
    /// The document time-stamps added after the seal (PAdES-B-LTA), in order: when (as
    /// `event_time`) and by which time-stamping unit.
    pub timestamp_chain: Vec<(String, String)>,
    /// As `event_time`: until when the evidence stays verifiable without a new document
    /// time-stamp (the end of the last time-stamp's certificate, or of the seal's).
    pub verifiable_until: Option<String>,
}

/// A person (or company) named by an evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartyView {
    pub name: String,
    pub email: Option<String>,
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

/// The first edition of the sender terms of use (TERMS-01). Sign-up asks to accept the
/// edition in force that day (`ServerInfo::documents`, OPS-07), which is this one until the
/// next applies.
pub const TERMS_VERSION: &str = crate::terms::SENDER_TERMS_VERSION;

/// Who the browser is signed in as, as the pages need it (AUTH-01..03).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthState {
    /// `None`: not signed in.
    pub user: Option<SignedInUser>,
    /// Set once, when this request found the session ended by inactivity (AUTH-03).
    pub signed_out_for_inactivity: bool,
}

impl AuthState {
    /// Signed in and past the second factor (or none enrolled yet).
    pub fn signed_in(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| !u.awaiting_second_factor)
    }

    /// Password accepted, second-factor code awaited.
    pub fn awaiting_second_factor(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.awaiting_second_factor)
    }

    /// The account confirms with passkeys (issue 14).
    pub fn uses_passkeys(&self) -> bool {
        self.user.as_ref().is_some_and(SignedInUser::uses_passkeys)
    }
}

impl SignedInUser {
    /// The second factor is passkeys (issue 14).
    pub fn uses_passkeys(&self) -> bool {
        self.second_factor == Some(SecondFactorMethod::Passkey)
    }
}

/// The signed-in user and the state of their sessions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub name: String,
    pub email: String,
    /// The password was accepted and the second-factor code is awaited.
    pub awaiting_second_factor: bool,
    /// The second-factor method the user chose (AUTH-01); `None` until one is enrolled.
    pub second_factor: Option<SecondFactorMethod>,
    pub recovery_codes_left: i64,
    /// Seconds left in the current OTP session (AUTH-02), if one is live.
    pub otp_seconds_left: Option<i64>,
    /// Seconds of inactivity after which the session ends (AUTH-03).
    pub idle_timeout_seconds: i64,
    /// Where the user's identity proofing stands (ID-01, ID-02).
    pub identity: IdentityStatus,
    /// Holds a trusted role in effect, or was offered one: the header links the back office.
    #[serde(default)]
    pub trusted_staff: bool,
    /// The edition of the sender terms in force that the account has not accepted yet
    /// (OPS-07): asked at sign-in, required to send.
    #[serde(default)]
    pub terms_to_accept: Option<String>,
    /// An active user of a customer whose contract is active: may send (policy §4.3).
    #[serde(default)]
    pub customer: bool,
}

/// A user's identity-proofing status (ID-01, ID-02, ACC-02).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum IdentityStatus {
    /// Never proven (or not since the last reactivation).
    NotVerified,
    /// A proofing was started and its result is awaited.
    Pending,
    /// The last attempt failed; `reason`, when the provider said why (e.g.
    /// `insufficient_level`: an OpenID provider's level below the required one).
    Failed { reason: Option<String> },
    /// Proven: the name read from the identity document, and whether the provider is
    /// qualified (the development simulator is not).
    Verified {
        verified_name: String,
        qualified_provider: bool,
    },
}

/// What the development identity-proofing simulator shows about a session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimulatorSession {
    pub expected_name: String,
    pub decided: bool,
}

/// What the EU digital identity wallet's page shows (issue 14): while the wallet has not
/// answered, the request as a QR code (a wallet on another device) and as a link (the wallet
/// on this device); then where to go on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WalletRequest {
    Waiting {
        /// The cross-device request (for a wallet on another device), and its QR code (PNG,
        /// base64).
        cross_device_url: String,
        qr_png_base64: String,
        /// The same-device request: opens the wallet on this device.
        same_device_url: String,
    },
    Done {
        next: String,
    },
}

/// What a qualified action (send, accept, refuse, open) records about its author: the live
/// OTP session (AUTH-02, AUTH-04) and the identification that allows it (ID-02, ID-04).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QualifiedAction {
    pub otp: OtpSessionInfo,
    pub identification_id: String,
    pub verified_name: String,
}

/// A second-factor method (AUTH-01), chosen in the profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecondFactorMethod {
    /// An authenticator app's 6-digit codes.
    Totp,
    /// Passkeys (WebAuthn, issue 14).
    Passkey,
}

/// What the profile shows to enrol an authenticator app (AUTH-01).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TotpEnrolment {
    /// PNG of the QR code of `otpauth_uri`, base64.
    pub qr_png_base64: String,
    /// The secret in base32, for typing by hand.
    pub secret_base32: String,
    pub otpauth_uri: String,
}

/// A live OTP session (AUTH-02), as qualified actions record it (AUTH-04).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OtpSessionInfo {
    pub otp_session_id: String,
    pub login_session_id: String,
    /// RFC 3339, UTC.
    pub login_time: String,
    pub seconds_left: i64,
}
