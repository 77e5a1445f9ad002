//! Evidence PDFs (EVD-01, EVD-03, EVD-04): human-readable, bilingual, with the same evidence
//! as XML attached, sealed as PAdES-B-T (a CMS signature by the HSM key plus a signature
//! time-stamp).
//!
//! Sealing runs in stages, each its own type, in the manner of pyHanko's signers:
//!
//! 1. [`Evidence::prepare`] validates the evidence ([`Evidence::validate`]), renders the PDF
//!    and the XML, and leaves a signature dictionary whose `/Contents` placeholder is sized by
//!    a dry run of the CMS (signature of the key's length, the certificates, a token of the
//!    profile's size hint, plus a margin) → [`Prepared`], whose [`Prepared::digest`] is the
//!    SHA-256 of the ByteRange. The size hint comes from a real token of the TSA in use
//!    ([`SealProfile::sized_for`], run at start-up; [`timestamp_size_hint`] adds a small
//!    margin for tokens that vary by a few bytes), so that a TSA with a long certificate chain
//!    does not fail every seal and the placeholder wastes no more than about a hundred bytes.
//!    A token that still does not fit is refused ([`PadesError::SignatureTooLarge`]): the
//!    caller re-sizes from that token and seals again — never a broken PDF.
//! 2. [`Prepared::sign`] (blocking: the HSM signs; run it in `spawn_blocking`) builds the CMS
//!    → [`Signed`], exposing the signature value.
//! 3. [`Signed::timestamp`] asks a [`TimeStamper`] for a token over SHA-256 of the signature
//!    value and adds it as the `signature-time-stamp` unsigned attribute → [`Timestamped`]
//!    ([`Signed::with_timestamp`] does the same with a token obtained elsewhere).
//! 4. [`Timestamped::finish`] writes the CMS into `/Contents` → the final PDF bytes.
//!
//! [`seal`] chains the four for callers that do not need the stages.
//!
//! The PDF is written by `pdf-writer`: A4, Helvetica/Courier in WinAnsiEncoding, French first
//! with the English label below in grey, a running footer naming the issuer and its
//! verification page (EVD-06). No element of the evidence can overflow the placeholder: a CMS
//! larger than the reserved space is refused with [`PadesError::SignatureTooLarge`].

use std::ops::Range;
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use ::cms::content_info::ContentInfo;
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};
use signature::{Keypair, Signer, Verifier};
use spki::DynSignatureAlgorithmIdentifier;
use x509_cert::Certificate;

use crate::timestamp::{TimeStamper, TimestampError};

mod cms;
mod fields;
mod kinds;
pub mod ltv;
mod model;
mod pdf;
mod vocabulary;
mod xml;

pub use self::cms::ID_AA_SIGNATURE_TIME_STAMP_TOKEN;
pub use fields::{field_labels, is_member_key, keys};
pub use kinds::EvidenceKind;
pub use model::{ContentDigest, Evidence, Field, Issuer, Party, Sessions, format_utc, rfc3339_utc};
pub use pdf::{TextDocument, TextPart, render_text_document};
pub use vocabulary::{
    ETSI_EVENT_PREFIX, EtsiEvent, Label, PROOFING_SUCCEEDED, STATUS_ACCEPTED, STATUS_NOT_CLAIMED,
    STATUS_REJECTED,
};
pub use xml::{ETSI_NAMESPACE, PLI_NAMESPACE, SAML_NAMESPACE};

/// Why an evidence PDF could not be written, sealed or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PadesError {
    /// The evidence lacks a field its kind requires ([`EvidenceKind::required_fields`]): the
    /// caller forgot a party, the letter, the sessions, a digest or a labelled field.
    #[error("{} ({kind}) lacks the required field `{field}`{}", kind.title_en(), label(field))]
    MissingField {
        /// The evidence's kind.
        kind: EvidenceKind,
        /// The missing key (see [`keys`]).
        field: &'static str,
    },
    /// A value is blank, contains control characters or is malformed (policy OID, URL, email,
    /// digest).
    #[error("evidence field `{field}` is invalid: {reason}")]
    InvalidField {
        /// The key (or member name) of the value.
        field: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A field key appears twice, or a member's key (e.g. `sender.name`) is also given as a
    /// field.
    #[error("evidence field `{field}` is given twice")]
    DuplicateField {
        /// The repeated key.
        field: String,
    },
    /// The seal certificate chain cannot be used: empty, or its first certificate does not
    /// hold an RSA key.
    #[error("unusable seal certificate: {0}")]
    SealCertificate(&'static str),
    /// The signer's public key is not the one the seal certificate certifies (wrong token key
    /// or wrong certificate file).
    #[error("the signing key does not match the seal certificate")]
    KeyMismatch,
    /// The signer failed (e.g. a PKCS#11 error) or returned a signature that does not verify
    /// with the seal certificate's key.
    #[error("signing failed: {0}")]
    Signing(String),
    /// The CMS structure could not be built or re-encoded (an internal error).
    #[error("CMS encoding: {0}")]
    Cms(String),
    /// The PDF writer's output did not hold the expected signature placeholder (an internal
    /// error).
    #[error("PDF: {0}")]
    Pdf(&'static str),
    /// The PDF to extend with validation data or a document time-stamp ([`ltv`]) is not one
    /// this crate wrote: no classic cross-reference table and trailer, no catalog with an
    /// `/AcroForm`, no first page, no signature, or a structure it does not write.
    #[error("cannot extend this PDF: {0}")]
    Extend(&'static str),
    /// The signature (with its certificates and time-stamp token) is larger than the space
    /// reserved for it in the PDF: the time-stamp token exceeds the profile's size hint by
    /// more than the margin (the TSA's chain grew since [`SealProfile::sized_for`] measured it,
    /// or the profile was never sized). Size the profile again, or raise
    /// [`SealProfile::with_timestamp_size_hint`].
    #[error("the signature ({needed} bytes) does not fit in the reserved {reserved} bytes")]
    SignatureTooLarge {
        /// Bytes the CMS needs.
        needed: usize,
        /// Bytes reserved in `/Contents`.
        reserved: usize,
    },
    /// The time-stamping authority could not be reached or its answer was refused.
    #[error("time-stamp: {0}")]
    Timestamp(#[from] TimestampError),
    /// The time-stamp token is not a readable RFC 3161 token.
    #[error("unreadable time-stamp token: {0}")]
    TimestampToken(String),
    /// The time-stamp token's message imprint is not SHA-256 of this signature's value.
    #[error("the time-stamp token does not cover this signature")]
    TimestampMismatch,
}

fn label(key: &str) -> String {
    field_labels(key)
        .map(|(fr, en)| format!(" ({fr} / {en})"))
        .unwrap_or_default()
}

/// A signer for evidence seals: an RSA key used with RSASSA-PKCS1-v1_5 and SHA-256, wherever
/// it lives — `KeySigner` (feature `hsm`) for a PKCS#11 token, `rsa`'s
/// `pkcs1v15::SigningKey<Sha256>` for a software key.
pub trait SealSigner:
    Keypair<VerifyingKey = VerifyingKey<Sha256>> + DynSignatureAlgorithmIdentifier + Signer<Signature>
{
    /// Whether `signature`, which this signer just made over `message`, verifies with its
    /// public key: a faulty key or token must not yield a seal. By default checked here in
    /// software; a signer that has its signatures checked where it makes them (`KeySigner`:
    /// by the token, with the key pair's public key object) says so instead.
    fn check_own_signature(&self, message: &[u8], signature: &Signature) -> bool {
        self.verifying_key().verify(message, signature).is_ok()
    }
}

impl SealSigner for rsa::pkcs1v15::SigningKey<Sha256> {}

#[cfg(feature = "hsm")]
impl SealSigner for crate::hsm::KeySigner {
    /// Already checked: [`crate::hsm::KeySigner`] verifies every signature it gets from the
    /// token before returning it.
    fn check_own_signature(&self, _message: &[u8], _signature: &Signature) -> bool {
        true
    }
}

/// Bytes added to the dry run's size when reserving `/Contents`. The dry run builds the same
/// CMS as the real signature (same certificates and signed attributes, a signature of the
/// key's length) around a stand-in token of the hinted size, so its size is exact: the margin
/// only guards against a DER length that grows by a byte.
const MARGIN: usize = 32;

/// The room [`timestamp_size_hint`] leaves above a measured token.
const TOKEN_MARGIN: usize = 64;

/// The text whose SHA-256 [`SealProfile::sized_for`] has time-stamped.
const SIZING_PROBE: &[u8] = b"Pli: sizing the evidence signature placeholder";

/// The time-stamp token size to reserve room for, given a token of `measured` bytes obtained
/// from the TSA in use: the measured size plus 64 bytes.
///
/// Tokens of one TSA differ by a few bytes (serial number lengths, fractions of a second in
/// `genTime`, ECDSA signature lengths, a DER length byte); the margin covers that. A token
/// that outgrows it (the TSA renewed its certificate with a longer one, or moved to a longer
/// chain) is caught by [`PadesError::SignatureTooLarge`], and the caller re-sizes from that
/// token and seals again (the server does): a placeholder that is too small costs one more
/// signature, never a broken PDF, while one that is too large is paid in every evidence.
pub fn timestamp_size_hint(measured: usize) -> usize {
    measured.saturating_add(TOKEN_MARGIN)
}

/// What the service seals with: the seal certificate, its intermediates (not the root), and
/// how large a time-stamp token to expect. Built once at start-up.
#[derive(Clone, Debug)]
pub struct SealProfile {
    chain: Vec<Certificate>,
    key: RsaPublicKey,
    timestamp_size_hint: usize,
    /// The dry run's result for this hint, computed once (shared by the profile's clones).
    reserved: Arc<OnceLock<usize>>,
}

impl SealProfile {
    /// The default expected size of a time-stamp token: a token with a TSA certificate chain
    /// of two or three RSA certificates.
    pub const DEFAULT_TIMESTAMP_SIZE_HINT: usize = 6 * 1024;

    /// A profile sealing with `seal`'s key; `intermediates` (possibly none) are embedded with
    /// it so that validators can build the path to a trusted root.
    pub fn new(seal: Certificate, intermediates: Vec<Certificate>) -> Result<Self, PadesError> {
        let spki = der::Encode::to_der(&seal.tbs_certificate.subject_public_key_info)
            .map_err(|_| PadesError::SealCertificate("unreadable public key"))?;
        let key = RsaPublicKey::from_public_key_der(&spki)
            .map_err(|_| PadesError::SealCertificate("not an RSA public key"))?;
        let mut chain = vec![seal];
        chain.extend(intermediates);
        Ok(SealProfile {
            chain,
            key,
            timestamp_size_hint: Self::DEFAULT_TIMESTAMP_SIZE_HINT,
            reserved: Arc::default(),
        })
    }

    /// Sets the expected size in bytes of the time-stamp tokens the TSA returns (margin
    /// included: see [`timestamp_size_hint`]).
    pub fn with_timestamp_size_hint(mut self, bytes: usize) -> Self {
        self.timestamp_size_hint = bytes;
        self.reserved = Arc::default();
        self
    }

    /// The expected size in bytes of a time-stamp token, margin included.
    pub fn timestamp_size_hint(&self) -> usize {
        self.timestamp_size_hint
    }

    /// Sizes the placeholder for the tokens `stamper` issues: asks it for one token (over
    /// SHA-256 of a fixed text), and sets the size hint to [`timestamp_size_hint`] of its
    /// length. Run once at start-up, so that a TSA whose tokens carry a long certificate
    /// chain fits; it costs one time-stamp.
    ///
    /// Fails as [`TimeStamper::timestamp`] does (unreachable TSA, refused token).
    pub async fn sized_for(self, stamper: &dyn TimeStamper) -> Result<Self, TimestampError> {
        let digest: [u8; 32] = Sha256::digest(SIZING_PROBE).into();
        let token = stamper.timestamp(&digest).await?;
        Ok(self.with_timestamp_size_hint(timestamp_size_hint(token.der.len())))
    }

    /// The seal certificate.
    pub fn seal_certificate(&self) -> &Certificate {
        &self.chain[0]
    }

    /// The seal certificate followed by its intermediates.
    pub fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    /// The bytes to reserve for the CMS: a dry run with a dummy signature of the key's length
    /// and a dummy token of the size hint, plus a margin. Computed once per hint.
    fn reserved_len(&self) -> Result<usize, PadesError> {
        if let Some(reserved) = self.reserved.get() {
            return Ok(*reserved);
        }
        let dry = cms::DrySigner {
            len: self.key.size(),
        };
        let content_info = cms::sign(&dry, &self.chain, &[0; 32])?;
        let reserved = cms::size_with_token(&content_info, self.timestamp_size_hint)? + MARGIN;
        Ok(*self.reserved.get_or_init(|| reserved))
    }
}

impl Evidence {
    /// Stage 1: validates the evidence, renders the PDF with the XML attached and an empty
    /// signature whose claimed time (`/M`) is `signing_time`.
    pub fn prepare(
        &self,
        profile: &SealProfile,
        signing_time: SystemTime,
    ) -> Result<Prepared, PadesError> {
        self.validate()?;
        let reserved = profile.reserved_len()?;
        let xml = self.to_xml();
        let rendered = pdf::render(self, xml.as_bytes(), reserved, signing_time)?;
        let mut hasher = Sha256::new();
        hasher.update(&rendered.bytes[..rendered.contents.start]);
        hasher.update(&rendered.bytes[rendered.contents.end..]);
        Ok(Prepared {
            pdf: rendered.bytes,
            contents: rendered.contents,
            reserved,
            digest: hasher.finalize().into(),
            profile: profile.clone(),
        })
    }
}

/// Stage 1 done: the PDF with its signature placeholder; the ByteRange is fixed.
#[derive(Clone, Debug)]
pub struct Prepared {
    pdf: Vec<u8>,
    contents: Range<usize>,
    reserved: usize,
    digest: [u8; 32],
    profile: SealProfile,
}

impl Prepared {
    /// SHA-256 of the bytes the ByteRange covers: the CMS message digest.
    pub fn digest(&self) -> [u8; 32] {
        self.digest
    }

    /// The bytes reserved for the CMS in `/Contents`.
    pub fn reserved_len(&self) -> usize {
        self.reserved
    }

    /// Stage 2 (blocking: the signer may be an HSM): builds and signs the CMS `SignedData`
    /// with the external digest, then has the signature checked with the signer's key, which
    /// is the seal certificate's ([`SealSigner::check_own_signature`]).
    pub fn sign<S: SealSigner>(self, signer: &S) -> Result<Signed, PadesError> {
        if signer.verifying_key().as_ref() != &self.profile.key {
            return Err(PadesError::KeyMismatch);
        }
        let content_info = cms::sign(signer, &self.profile.chain, &self.digest)?;
        let (signature, signed_attrs) = cms::signature_and_signed_attributes(&content_info)?;
        let verifies = Signature::try_from(signature.as_slice())
            .is_ok_and(|s| signer.check_own_signature(&signed_attrs, &s));
        if !verifies {
            return Err(PadesError::Signing(
                "the signature does not verify with the seal certificate's key".to_owned(),
            ));
        }
        let needed = der::Encode::to_der(&content_info)
            .map_err(|e| PadesError::Cms(e.to_string()))?
            .len();
        if needed > self.reserved {
            return Err(PadesError::SignatureTooLarge {
                needed,
                reserved: self.reserved,
            });
        }
        Ok(Signed {
            pdf: self.pdf,
            contents: self.contents,
            reserved: self.reserved,
            content_info,
            signature,
        })
    }
}

/// Stage 2 done: the CMS is signed, not yet time-stamped.
#[derive(Clone, Debug)]
pub struct Signed {
    pdf: Vec<u8>,
    contents: Range<usize>,
    reserved: usize,
    content_info: ContentInfo,
    signature: Vec<u8>,
}

impl Signed {
    /// The signature value (the `SignerInfo.signature` octets).
    pub fn signature_value(&self) -> &[u8] {
        &self.signature
    }

    /// SHA-256 of the signature value: what the signature time-stamp covers
    /// (RFC 3161 Appendix A).
    pub fn timestamp_digest(&self) -> [u8; 32] {
        Sha256::digest(&self.signature).into()
    }

    /// Stage 3: obtains a time-stamp token over [`timestamp_digest`](Self::timestamp_digest)
    /// and adds it (EVD-02).
    pub async fn timestamp(self, stamper: &dyn TimeStamper) -> Result<Timestamped, PadesError> {
        let token = stamper.timestamp(&self.timestamp_digest()).await?;
        self.with_timestamp(&token.der)
    }

    /// Stage 3 with a token (DER `ContentInfo`) obtained elsewhere: checks that its message
    /// imprint is SHA-256 of the signature value, adds it as the signature-time-stamp unsigned
    /// attribute, and checks that the result fits the placeholder.
    pub fn with_timestamp(self, token: &[u8]) -> Result<Timestamped, PadesError> {
        let (algorithm, imprint) = cms::token_imprint(token)?;
        if algorithm != const_oid::db::rfc5912::ID_SHA_256
            || imprint.as_slice() != self.timestamp_digest().as_slice()
        {
            return Err(PadesError::TimestampMismatch);
        }
        let cms = cms::with_timestamp(&self.content_info, token)?;
        if cms.len() > self.reserved {
            return Err(PadesError::SignatureTooLarge {
                needed: cms.len(),
                reserved: self.reserved,
            });
        }
        Ok(Timestamped {
            pdf: self.pdf,
            contents: self.contents,
            cms,
        })
    }
}

/// Stage 3 done: the complete CMS, ready to be written into the PDF.
#[derive(Clone, Debug)]
pub struct Timestamped {
    pdf: Vec<u8>,
    contents: Range<usize>,
    cms: Vec<u8>,
}

impl Timestamped {
    /// The CMS `ContentInfo` (DER) that goes into `/Contents`.
    pub fn cms(&self) -> &[u8] {
        &self.cms
    }

    /// Stage 4: writes the CMS as hex into `/Contents` (zero-padded) and returns the sealed
    /// PDF.
    pub fn finish(self) -> Vec<u8> {
        let mut pdf = self.pdf;
        let slot = &mut pdf[self.contents.start + 1..self.contents.end - 1];
        slot.fill(b'0');
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for (i, byte) in self.cms.iter().enumerate() {
            slot[2 * i] = HEX[usize::from(byte >> 4)];
            slot[2 * i + 1] = HEX[usize::from(byte & 0x0F)];
        }
        pdf
    }
}

/// All four stages at once: the sealed, time-stamped evidence PDF.
///
/// The signing stage blocks on the signer (an HSM round trip): a server should rather drive
/// the stages itself and run [`Prepared::sign`] in `spawn_blocking`.
pub async fn seal<S: SealSigner>(
    evidence: &Evidence,
    profile: &SealProfile,
    signer: &S,
    stamper: &dyn TimeStamper,
    signing_time: SystemTime,
) -> Result<Vec<u8>, PadesError> {
    let signed = evidence.prepare(profile, signing_time)?.sign(signer)?;
    Ok(signed.timestamp(stamper).await?.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measured_token_gets_64_bytes_of_margin() {
        assert_eq!(timestamp_size_hint(0), 64);
        assert_eq!(timestamp_size_hint(2_000), 2_064);
        // A token with five intermediate RSA-3072 certificates: about 9 KB.
        assert_eq!(timestamp_size_hint(9_000), 9_064);
        assert_eq!(timestamp_size_hint(usize::MAX), usize::MAX);
    }

    #[test]
    fn the_hint_never_shrinks_below_the_measured_token() {
        for measured in [1, 511, 512, 513, 4_095, 6_144, 12_345, 1 << 20] {
            let hint = timestamp_size_hint(measured);
            assert_eq!(hint, measured + TOKEN_MARGIN, "{measured} -> {hint}");
        }
    }
}
