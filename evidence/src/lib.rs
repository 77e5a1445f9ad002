//! Pli's evidence engine: PAdES-B-T evidence PDFs sealed by a key behind a PKCS#11 boundary,
//! RFC 3161 time-stamps, and the verification of both; for development, a small PKI and a
//! time-stamping unit whose keys live in the same token.
//!
//! - [`hsm`]: the only code that talks to the token ([`Hsm`]), and [`KeySigner`], which plugs a
//!   token key into RustCrypto builders (x509-cert, cms). Private keys are generated in the
//!   token and never leave it.
//! - [`pki`]: the development PKI ([`DevPki`]) — a root CA, the evidence-seal certificate and a
//!   time-stamping unit certificate, all **NOT QUALIFIED** — and its revocation data, CRLs and
//!   OCSP responses ([`pki::DevRevocation`]).
//! - [`check_certificate_matches_key`], run at start-up for the seal key.
//! - [`merkle`]: the transparency log's Merkle tree (RFC 9162 §2.1): tree heads, inclusion and
//!   consistency proofs and their verification, pure Rust (issue 12).
//! - [`pades`]: evidence PDFs, sealed in stages by any [`pades::SealSigner`], and made
//!   long-lived (PAdES-B-LT/B-LTA, renewals) by incremental updates ([`pades::ltv`]).
//! - [`revinfo`]: a CA's revocation data — the addresses a certificate names, the OCSP
//!   request, the checks of a response or CRL before it goes into a PDF, and (`tsa-http`) their
//!   fetching over HTTP for production CAs.
//! - [`timestamp`]: the [`timestamp::TimeStamper`] trait, an RFC 3161 client over HTTP, the
//!   development TSA, and the one token verification path.
//! - [`verify`]: [`verify_pdf`], the whole verification of an evidence PDF, pure Rust.
//!
//! Everything that touches the token blocks (PKCS#11 calls): from async code, use
//! `spawn_blocking`.
//!
//! # Cargo features
//!
//! Both are on by default; the `server` uses both. A relying party that only verifies
//! evidence (`default-features = false`) builds neither cryptoki nor reqwest.
//!
//! - **`hsm`** — the PKCS#11 boundary (cryptoki): [`hsm`] ([`Hsm`], [`KeySigner`]), the
//!   development PKI issued from the token ([`pki`]), the development time-stamping unit
//!   (`timestamp::DevTsa`, `timestamp::LocalTimeStamper`), and the PKCS#11 variants of
//!   [`Error`].
//! - **`tsa-http`** — the HTTP clients (reqwest, rustls): the RFC 3161 client
//!   `timestamp::HttpTimeStamper` and the revocation data fetcher `revinfo::Fetcher`.
//!
//! Without them remain: verification ([`verify_pdf`], [`timestamp::verify_token`]), the
//! RFC 3161 request and response encodings, and PAdES sealing with any [`pades::SealSigner`]
//! (e.g. a software key) and any [`timestamp::TimeStamper`].
//!
//! One RustCrypto generation throughout: der 0.7, x509-cert 0.2, spki 0.7, signature 2,
//! sha2 0.10, rsa 0.9 — the one cms 0.2 and x509-tsp 0.1 are built on.

// The checkout this crate is built from (`.cargo/config.toml`): clones share one cargo target
// directory, and reading the variable makes cargo rebuild the crate when another clone built it
// last (see docs/build.md, "One target directory, several checkouts").
const _: Option<&str> = option_env!("PLI_CHECKOUT");

use std::path::PathBuf;

mod certificate;
mod cms_verify;
#[cfg(feature = "hsm")]
pub mod hsm;
pub mod merkle;
pub mod pades;
#[cfg(feature = "hsm")]
pub mod pki;
pub mod revinfo;
pub mod timestamp;
pub mod verify;

pub use certificate::check_certificate_matches_key;
#[cfg(feature = "hsm")]
pub use hsm::{Hsm, HsmConfig, KeyOutcome, KeyProtection, KeySigner};
#[cfg(feature = "hsm")]
pub use pki::DevPki;
pub use rsa::RsaPublicKey;
pub use verify::{Report, verify_pdf};
pub use x509_cert::Certificate;

/// `sha256WithRSAEncryption` (RFC 4055 §5 / RFC 8017 Appendix A.2.4), the algorithm of every
/// signature the engine makes (seal, development certificates, development TSA):
///
/// ```text
/// sha256WithRSAEncryption OBJECT IDENTIFIER ::= { pkcs-1 11 }
/// ```
/// "When any of these four object identifiers appears within an AlgorithmIdentifier, the
/// parameters MUST be NULL."
pub const SHA256_WITH_RSA_ENCRYPTION: const_oid::ObjectIdentifier =
    const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION;

/// Result of the evidence engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong in the evidence engine.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The PKCS#11 module could not be loaded (wrong path, not a PKCS#11 library) or its
    /// `C_Initialize` failed (for SoftHSM: often an unreadable `SOFTHSM2_CONF` or token directory).
    #[cfg(feature = "hsm")]
    #[error("cannot load or initialise the PKCS#11 module {module:?}: {source}")]
    LoadModule {
        /// The module path from the configuration.
        module: PathBuf,
        /// What cryptoki reported.
        source: cryptoki::error::Error,
    },
    /// A PKCS#11 call returned an error not covered by a more specific variant.
    #[cfg(feature = "hsm")]
    #[error("PKCS#11 {operation} failed: {source}")]
    Pkcs11 {
        /// The PKCS#11 function (or step) that failed.
        operation: &'static str,
        /// What cryptoki reported.
        source: cryptoki::error::Error,
    },
    /// The configured token label is empty, longer than the 32 bytes of `CK_TOKEN_INFO.label`,
    /// or ends with a space (labels are blank-padded, so it could never match).
    #[error("invalid token label {label:?}: 1 to 32 bytes, no trailing space")]
    InvalidTokenLabel {
        /// The label from the configuration.
        label: String,
    },
    /// No slot holds an initialised token with the configured label.
    #[error("no PKCS#11 token labelled {label:?}")]
    TokenNotFound {
        /// The label looked for.
        label: String,
    },
    /// The user PIN was refused by the token (`CKR_PIN_INCORRECT`).
    #[error("the token {label:?} refused the user PIN")]
    WrongPin {
        /// The token's label.
        label: String,
    },
    /// A token had to be initialised but the configuration has no SO PIN.
    #[error("cannot initialise token {label:?}: no SO PIN configured")]
    SoPinRequired {
        /// The label of the token to create.
        label: String,
    },
    /// A token had to be initialised but every slot already holds an initialised token.
    #[error("cannot initialise a token: the PKCS#11 module has no free slot")]
    NoFreeSlot,
    /// The token has no RSA key object of the expected class with this label
    /// (run the key set-up, e.g. `Hsm::ensure_rsa_key`, first).
    #[error("the token has no {class} key labelled {label:?}")]
    KeyNotFound {
        /// The `CKA_LABEL` looked for.
        label: String,
        /// Which object was missing: "private", "public" or "RSA public".
        class: &'static str,
    },
    /// The token returned a signature that its own public key object does not verify (a
    /// faulty token or key pair): nothing may be sealed or time-stamped with it.
    #[error("the signature of key {label:?} does not verify with its public key in the token")]
    SignatureCheck {
        /// The key pair's `CKA_LABEL`.
        label: String,
    },
    /// More than one key object of the same class carries this label, so which one signs
    /// would be ambiguous.
    #[error("the token has several keys labelled {label:?}")]
    DuplicateKey {
        /// The duplicated `CKA_LABEL`.
        label: String,
    },
    /// The token's public key attributes do not form a valid RSA public key.
    #[error("the token key {label:?} is not a usable RSA public key: {source}")]
    PublicKey {
        /// The key's `CKA_LABEL`.
        label: String,
        /// Why rsa rejected it.
        source: rsa::Error,
    },
    /// A certificate is not for the key it is configured with — e.g. the seal certificate file
    /// was issued for another key than the token's `seal` key.
    #[error("the configured certificate \"{subject}\" does not match the token key '{key_label}'")]
    CertificateKeyMismatch {
        /// The certificate's subject (RFC 4514 string).
        subject: String,
        /// The token key it was checked against.
        key_label: String,
    },
    /// A certificate's public key could not be read as an RSA key.
    #[error("cannot read the public key of certificate \"{subject}\": {source}")]
    CertificateKey {
        /// The certificate's subject (RFC 4514 string).
        subject: String,
        /// Why the SubjectPublicKeyInfo was rejected.
        source: rsa::pkcs8::spki::Error,
    },
    /// Building or signing a certificate failed (including a signing failure in the token).
    #[error("cannot issue certificate \"{subject}\": {source}")]
    Issue {
        /// The subject of the certificate being issued.
        subject: String,
        /// What x509-cert reported.
        source: x509_cert::builder::Error,
    },
    /// The service's public URL cannot go into a development certificate as the address of
    /// its revocation data: it is not an `http://` or `https://` URL in ASCII.
    #[error(
        "the public URL {url:?} cannot address revocation data: use an http:// or https:// URL in ASCII"
    )]
    PublicUrl {
        /// The URL given.
        url: String,
    },
    /// The token could not sign revocation data (a CRL or an OCSP response) of the
    /// development PKI.
    #[error("cannot sign {what}: {source}")]
    Sign {
        /// What was being signed.
        what: &'static str,
        /// What the signer reported.
        source: signature::Error,
    },
    /// The development OCSP responder refused the request `DevRevocation::response_for` made
    /// for a certificate (never expected: that request is well-formed and names the root).
    #[error("the development OCSP responder answers {status} for this certificate: {reason}")]
    OcspRefused {
        /// The OCSP response status.
        status: String,
        /// Why.
        reason: &'static str,
    },
    /// DER or PEM encoding or decoding failed (a corrupt certificate file, an out-of-range
    /// validity date).
    #[error("DER/PEM error: {0}")]
    Der(#[from] der::Error),
    /// Reading or writing a certificate file failed.
    #[error("cannot access {path:?}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Obtaining or checking an RFC 3161 time-stamp failed (see [`timestamp::TimestampError`]).
    #[error("time-stamp: {0}")]
    Timestamp(#[from] timestamp::TimestampError),
    /// Writing or sealing an evidence PDF failed (see [`pades::PadesError`]).
    #[error("evidence PDF: {0}")]
    Pades(#[from] pades::PadesError),
    /// An evidence PDF did not verify, or the trust roots to verify it with could not be read
    /// (see [`verify::VerifyError`]).
    #[error("evidence verification: {0}")]
    Verify(#[from] verify::VerifyError),
}
