//! [`verify_token`]: the one verification path for time-stamp tokens, whoever issued them —
//! used by the HTTP client, by the local development TSA and (later) by `pli verify`.

use std::time::{Duration, SystemTime};

use const_oid::ObjectIdentifier;
use const_oid::db::{rfc5280, rfc5912};
use der::{Decode, Tag, Tagged};
use x509_cert::Certificate;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::ExtendedKeyUsage;

#[cfg(feature = "hsm")]
pub(crate) use crate::cms_verify::Hash;
use crate::cms_verify::{CmsError, SignedCms, check_chain};

use super::asn1::{ID_CT_TST_INFO, TstInfo};
use super::{TimeStampToken, TimestampError, hex};

/// A time-stamp token that passed [`verify_token`], with what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedToken {
    /// The token (DER of the `ContentInfo`), as received.
    pub der: Vec<u8>,
    /// `TSTInfo.genTime`, fractional seconds included.
    pub gen_time: SystemTime,
    /// `TSTInfo.accuracy`, when the TSA stated one.
    pub accuracy: Option<Duration>,
    /// `TSTInfo.serialNumber`, its INTEGER content bytes (big-endian).
    pub serial: Vec<u8>,
    /// `TSTInfo.policy`: the TSA policy under which the token was issued.
    pub policy: ObjectIdentifier,
    /// `TSTInfo.nonce`, INTEGER content bytes, when present.
    pub nonce: Option<Vec<u8>>,
    /// The certificate that signed the token.
    pub tsa_certificate: Certificate,
}

impl VerifiedToken {
    /// The TSA certificate's subject (RFC 4514 string).
    pub fn tsa_subject(&self) -> String {
        self.tsa_certificate.tbs_certificate.subject.to_string()
    }

    /// The token in the form the sealing code stores.
    pub fn token(&self) -> TimeStampToken {
        TimeStampToken {
            der: self.der.clone(),
            gen_time: self.gen_time,
            serial: self.serial.clone(),
        }
    }
}

impl From<VerifiedToken> for TimeStampToken {
    fn from(verified: VerifiedToken) -> Self {
        TimeStampToken {
            der: verified.der,
            gen_time: verified.gen_time,
            serial: verified.serial,
        }
    }
}

/// Verifies an RFC 3161 time-stamp token (EVD-02).
///
/// 1. `token_der` is a CMS `ContentInfo` holding `SignedData` whose encapsulated content is
///    an `id-ct-TSTInfo` (RFC 3161 §2.4.2), with exactly one `SignerInfo` and signed
///    attributes.
/// 2. The signer certificate is found in `certificates` (by issuer and serial number or by
///    subject key identifier).
/// 3. The signed `content-type` is id-ct-TSTInfo, the signed `message-digest` equals the
///    hash of the `TSTInfo`, and the RSA PKCS#1 v1.5 signature (SHA-256/384/512, as the
///    `SignerInfo` says) over the DER `SET OF` of the signed attributes verifies with the
///    certificate's key (RFC 5652 §5.4). A `signing-certificate-v2` attribute, when present,
///    must identify that certificate (RFC 5816).
/// 4. The certificate has exactly one, critical, extended key usage id-kp-timeStamping
///    (RFC 3161 §2.3) and chains to one of `trust_roots` through the token's certificates,
///    every certificate valid at `genTime`.
/// 5. The message imprint is (SHA-256, `expected_sha256_digest`) and, when
///    `expected_nonce` is given (INTEGER content bytes), the token echoes it.
///
/// Steps 1 to 4 are the shared CMS verification (`crate::cms_verify`), the same code that
/// checks evidence seals. Revocation of the TSA certificate is not checked here.
///
/// A time-stamper that checks many tokens of one TSA uses [`super::TsaTrust::verify_token`]
/// instead: the same checks, the TSA certificate's path verified once.
pub fn verify_token(
    token_der: &[u8],
    expected_sha256_digest: &[u8; 32],
    expected_nonce: Option<&[u8]>,
    trust_roots: &[Certificate],
) -> Result<VerifiedToken, TimestampError> {
    verify_token_with(
        token_der,
        expected_sha256_digest,
        expected_nonce,
        TokenSignature::Verify,
        |signer, pool, at| check_chain(signer, pool, trust_roots, at).map(|_| ()),
    )
}

/// Who checks a token's signature (step 3 of [`verify_token`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenSignature {
    /// Verified here with the TSA certificate's key: every token that comes from elsewhere.
    Verify,
    /// A token this process's development TSA has just made with a `KeySigner`, whose token
    /// checked the signature with the key pair's public key object: not verified again.
    #[cfg_attr(
        not(feature = "hsm"),
        allow(dead_code, reason = "made by the development TSA")
    )]
    CheckedWhereMade,
}

/// [`verify_token`] with step 4's certification path checked by `check_path(signer,
/// embedded certificates, genTime)`, and step 3's signature as `signature` says.
pub(crate) fn verify_token_with(
    token_der: &[u8],
    expected_sha256_digest: &[u8; 32],
    expected_nonce: Option<&[u8]>,
    signature: TokenSignature,
    check_path: impl FnOnce(&Certificate, &[Certificate], SystemTime) -> Result<(), String>,
) -> Result<VerifiedToken, TimestampError> {
    // 1. Structure.
    let cms = SignedCms::from_content_info(token_der).map_err(token_error)?;
    let encap = &cms.signed_data().encap_content_info;
    if encap.econtent_type != ID_CT_TST_INFO {
        return Err(malformed(format!(
            "token (encapsulated content type {} is not id-ct-TSTInfo)",
            encap.econtent_type
        )));
    }
    let econtent = encap
        .econtent
        .as_ref()
        .filter(|content| content.tag() == Tag::OctetString)
        .ok_or_else(|| malformed("token (no TSTInfo OCTET STRING)".to_owned()))?;
    let tst_der = econtent.value();
    let tst_info =
        TstInfo::from_der(tst_der).map_err(|e| malformed(format!("token (TSTInfo: {e})")))?;

    // 2. Signer certificate.
    let signer = cms.signer_certificate().map_err(token_error)?;
    let subject = signer.tbs_certificate.subject.to_string();

    // 3. Signed attributes and signature.
    cms.check_content_type(ID_CT_TST_INFO)
        .map_err(token_error)?;
    cms.check_message_digest(&[tst_der]).map_err(token_error)?;
    if signature == TokenSignature::Verify {
        cms.check_signature(signer).map_err(token_error)?;
    }
    cms.check_signing_certificate_v2(signer, false)
        .map_err(token_error)?;

    // 4. The TSA certificate and its chain.
    check_tsa_usage(signer).map_err(|reason| TimestampError::NotTsaCertificate {
        subject: subject.clone(),
        reason,
    })?;
    let gen_time = tst_info.gen_time.0;
    check_path(signer, cms.certificates(), gen_time)
        .map_err(|reason| TimestampError::UntrustedTsa { subject, reason })?;

    // 5. What was time-stamped, and for which request.
    let imprint = &tst_info.message_imprint;
    if imprint.hash_algorithm.oid != rfc5912::ID_SHA_256 {
        return Err(TimestampError::UnsupportedAlgorithm {
            what: "message imprint hash",
            oid: imprint.hash_algorithm.oid.to_string(),
        });
    }
    if imprint.hashed_message.as_bytes() != expected_sha256_digest {
        return Err(TimestampError::ImprintMismatch {
            expected: hex(expected_sha256_digest),
            found: hex(imprint.hashed_message.as_bytes()),
        });
    }
    let nonce = tst_info.nonce.as_ref().map(|n| n.0.clone());
    if let Some(expected) = expected_nonce {
        let found = nonce.as_deref().map(strip_leading_zeros);
        if found != Some(strip_leading_zeros(expected)) {
            return Err(TimestampError::NonceMismatch {
                expected: hex(expected),
                found: nonce.as_deref().map_or_else(|| "none".to_owned(), hex),
            });
        }
    }

    let accuracy = tst_info.accuracy.as_ref().map(|a| {
        Duration::from_secs(a.seconds.unwrap_or(0))
            + Duration::from_millis(a.millis.map_or(0, |m| m.unsigned_abs().into()))
            + Duration::from_micros(a.micros.map_or(0, |m| m.unsigned_abs().into()))
    });
    Ok(VerifiedToken {
        der: token_der.to_vec(),
        gen_time,
        accuracy,
        serial: tst_info.serial_number.0,
        policy: tst_info.policy,
        nonce,
        tsa_certificate: signer.clone(),
    })
}

fn malformed(what: String) -> TimestampError {
    TimestampError::Malformed { what }
}

/// The time-stamp error for a failed CMS check.
fn token_error(error: CmsError) -> TimestampError {
    match error {
        CmsError::Malformed(what) => malformed(format!("token ({what})")),
        CmsError::UnsupportedAlgorithm { what, oid } => {
            TimestampError::UnsupportedAlgorithm { what, oid }
        }
        CmsError::SignerCertificateNotFound => TimestampError::SignerCertificateNotFound,
        CmsError::SigningCertificateMismatch | CmsError::SigningCertificateMissing => {
            TimestampError::SigningCertificateMismatch
        }
        CmsError::DigestMismatch => TimestampError::BadSignature {
            reason: "the signed message-digest does not match the TSTInfo".to_owned(),
        },
        error @ (CmsError::ContentType(_)
        | CmsError::NoMessageDigest
        | CmsError::BadSignature(_)) => TimestampError::BadSignature {
            reason: error.to_string(),
        },
    }
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// RFC 3161 §2.3: "The corresponding certificate MUST contain only one instance of the
/// extended key usage field extension [...] with KeyPurposeID having value:
/// id-kp-timeStamping. This extension MUST be critical."
pub(crate) fn check_tsa_usage(cert: &Certificate) -> Result<(), String> {
    let ekus: Vec<&Extension> = cert
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .filter(|ext| ext.extn_id == rfc5280::ID_CE_EXT_KEY_USAGE)
        .collect();
    let ext = match ekus.as_slice() {
        [] => return Err("it has no extended key usage".to_owned()),
        [one] => *one,
        _ => return Err("it has several extended key usage extensions".to_owned()),
    };
    if !ext.critical {
        return Err("its extended key usage is not critical".to_owned());
    }
    let usage = ExtendedKeyUsage::from_der(ext.extn_value.as_bytes())
        .map_err(|e| format!("its extended key usage is unreadable: {e}"))?;
    if usage.0 != [rfc5280::ID_KP_TIME_STAMPING] {
        let purposes: Vec<String> = usage.0.iter().map(ToString::to_string).collect();
        return Err(format!(
            "its extended key usage is [{}], not only id-kp-timeStamping",
            purposes.join(", ")
        ));
    }
    Ok(())
}
