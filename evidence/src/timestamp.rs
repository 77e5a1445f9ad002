//! RFC 3161 time-stamps (with the RFC 5816 `ESSCertIDv2` update): the [`TimeStamper`] trait
//! the sealing code asks for a token, an HTTP client for any time-stamping authority
//! (`HttpTimeStamper`, feature `tsa-http`), the built-in development TSA (`DevTsa`, feature
//! `hsm`, **NOT QUALIFIED**) and [`verify_token`], the one verification path every token goes
//! through.
//!
//! EVD-02: every evidence carries an RFC 3161 time-stamp from a configurable TSA.
//!
//! - [`TimeStampRequest`] builds a `TimeStampReq` (SHA-256 imprint, random nonce, `certReq`).
//! - [`token_from_response`] reads a `TimeStampResp` and hands out the token, kept opaque.
//! - [`verify_token`] checks a token: CMS signature, signed attributes, the signer's
//!   time-stamping certificate and its chain to a trust root, imprint and nonce;
//!   [`TsaTrust`] does the same for many tokens of one TSA, its certificate's chain verified
//!   once.
//! - `DevTsa::respond` answers a request with a `TimeStampResp` signed in the token;
//!   `LocalTimeStamper` uses it in-process.
//!
//! `TSTInfo` is read with a tolerant structure of our own: x509-tsp's `TstInfo` (der 0.7's
//! `GeneralizedTime`) rejects the fractional seconds many TSAs put in `genTime`.

use std::time::SystemTime;

mod asn1;
#[cfg(feature = "hsm")]
mod dev_tsa;
#[cfg(feature = "tsa-http")]
mod http;
mod trust;
mod verify;
#[cfg(feature = "hsm")]
mod workers;

pub use asn1::{FailureInfo, PkiStatus, TimeStampRequest, token_from_response};
#[cfg(feature = "hsm")]
pub use dev_tsa::{DevTsa, LocalTimeStamper};
#[cfg(feature = "tsa-http")]
pub use http::{FetchedResponse, HttpTimeStamper, HttpTimeStamperBuilder};
pub use trust::TsaTrust;
pub use verify::{VerifiedToken, verify_token};

/// A time-stamp token (RFC 3161 §2.4.2): the DER encoding of a CMS `ContentInfo` whose
/// `SignedData` signs a `TSTInfo`. It is stored as is in a PAdES signature's unsigned
/// `signature-time-stamp` attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeStampToken {
    /// DER of the `ContentInfo`.
    pub der: Vec<u8>,
    /// `TSTInfo.genTime`, as the TSA stated it.
    pub gen_time: SystemTime,
    /// `TSTInfo.serialNumber`, big-endian bytes.
    pub serial: Vec<u8>,
}

/// Something that obtains time-stamp tokens over a SHA-256 digest.
#[async_trait::async_trait]
pub trait TimeStamper: Send + Sync {
    /// A token whose message imprint is (sha256, `digest`), already checked: status granted,
    /// our nonce echoed, imprint equal, signed by a trusted TSA certificate.
    async fn timestamp(&self, digest: &[u8; 32]) -> Result<TimeStampToken, TimestampError>;
}

/// Why a time-stamp could not be obtained or was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// The TSA could not be reached: connection refused, DNS failure, TLS failure, connect or
    /// overall timeout, or the connection broke while the answer was being read.
    #[error("the time-stamping authority at {url} is unreachable: {reason}")]
    Unreachable {
        /// The TSA URL.
        url: String,
        /// What the HTTP client reported, with its causes.
        reason: String,
    },
    /// The configured TSA URL is not an absolute `http` or `https` URL.
    #[error("invalid time-stamping authority URL {url:?}: {reason}")]
    InvalidUrl {
        /// The URL as configured.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// The HTTP client could not be created (its TLS backend failed to initialise).
    #[error("cannot create the HTTP client for the time-stamping authority: {reason}")]
    HttpClient {
        /// What reqwest reported.
        reason: String,
    },
    /// The TSA answered with an HTTP status other than 200 OK: a wrong URL path (404),
    /// missing or wrong credentials (401/403), a server failure (5xx).
    #[error("the time-stamping authority at {url} answered HTTP {status}: {body}")]
    HttpStatus {
        /// The TSA URL.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The start of the body when it is text (for the log), else a byte count.
        body: String,
    },
    /// The TSA answered 200 OK but not with `application/timestamp-reply` (RFC 3161 §3.4) —
    /// e.g. an HTML page: the URL is probably not a time-stamping endpoint.
    #[error(
        "the server at {url} is not a time-stamping authority: it answered {content_type:?} \
         instead of application/timestamp-reply"
    )]
    ContentType {
        /// The TSA URL.
        url: String,
        /// The `Content-Type` received (empty when absent).
        content_type: String,
    },
    /// The TSA refused the request: its `PKIStatus` is not granted or grantedWithMods
    /// (RFC 3161 §2.4.2), e.g. rejection with failInfo badAlg for an unsupported hash.
    #[error("the time-stamping authority refused the request: status {status}, failInfo {fail_info}{}", text_suffix(.text))]
    Rejected {
        /// The `PKIStatus` name (e.g. "rejection").
        status: String,
        /// The `PKIFailureInfo` bit names, comma-separated ("none" when absent).
        fail_info: String,
        /// The `statusString` texts, if any.
        text: String,
    },
    /// A response or token could not be decoded (not DER, wrong structure, wrong content
    /// type) or lacks a part RFC 3161 requires (no token in a granted response, no signed
    /// attributes, several signers).
    #[error("malformed time-stamp {what}")]
    Malformed {
        /// What was wrong, for the log.
        what: String,
    },
    /// The token or response uses an algorithm this implementation does not accept: a
    /// message imprint other than SHA-256, a signature other than RSA PKCS#1 v1.5 with
    /// SHA-256/384/512, a digest other than SHA-256/384/512.
    #[error("unsupported {what} algorithm {oid}")]
    UnsupportedAlgorithm {
        /// Which algorithm: "message imprint hash", "digest", "signature".
        what: &'static str,
        /// Its object identifier.
        oid: String,
    },
    /// The token's nonce is missing or is not the one sent with the request: the response
    /// belongs to another request (replayed or misrouted).
    #[error("the time-stamp token's nonce {found} is not the request's nonce {expected}")]
    NonceMismatch {
        /// The nonce sent, hex.
        expected: String,
        /// The nonce in the token, hex ("none" when absent).
        found: String,
    },
    /// The token time-stamps another digest than the one asked for.
    #[error("the time-stamp token covers digest {found}, not {expected}")]
    ImprintMismatch {
        /// The SHA-256 digest asked for, hex.
        expected: String,
        /// The digest in the token's message imprint, hex.
        found: String,
    },
    /// The token's `certificates` do not contain the certificate its `SignerInfo` names (the
    /// TSA did not include it although `certReq` was set).
    #[error("the time-stamp token does not contain its signer's certificate")]
    SignerCertificateNotFound,
    /// The `signing-certificate-v2` attribute (RFC 5816) identifies another certificate than
    /// the one that signed: a certificate was substituted.
    #[error("the time-stamp token's signing-certificate attribute names another certificate")]
    SigningCertificateMismatch,
    /// The CMS signature does not verify with the signer certificate's key, or the signed
    /// `message-digest` / `content-type` attribute does not match the `TSTInfo` (the token
    /// was altered).
    #[error("the time-stamp token's signature is not valid: {reason}")]
    BadSignature {
        /// Which check failed.
        reason: String,
    },
    /// The signer certificate is not a time-stamping certificate: RFC 3161 §2.3 requires
    /// exactly one, critical, extended key usage `id-kp-timeStamping`.
    #[error("\"{subject}\" is not a time-stamping certificate: {reason}")]
    NotTsaCertificate {
        /// The signer certificate's subject (RFC 4514).
        subject: String,
        /// What is wrong with its extended key usage.
        reason: String,
    },
    /// The signer certificate does not chain to one of the trusted roots: unknown issuer, a
    /// certificate signature that does not verify, or a certificate not valid at `genTime`.
    #[error("the time-stamping certificate \"{subject}\" is not trusted: {reason}")]
    UntrustedTsa {
        /// The signer certificate's subject (RFC 4514).
        subject: String,
        /// Why the chain was refused.
        reason: String,
    },
    /// The built-in development TSA could not produce a token: signing in the token failed
    /// or its worker thread died.
    #[error("the built-in development time-stamping unit failed: {reason}")]
    LocalTsa {
        /// What went wrong.
        reason: String,
    },
}

/// `": text"` when the TSA gave a status string.
fn text_suffix(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    }
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
