//! [`verify_token`]: the one verification path for time-stamp tokens, whoever issued them —
//! used by the HTTP client, by the local development TSA and (later) by `pli verify`.

use std::time::{Duration, SystemTime};

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::db::{rfc5280, rfc5911, rfc5912};
use const_oid::{AssociatedOid, ObjectIdentifier};
use der::asn1::AnyRef;
use der::{Decode, Encode, Reader, SliceReader, Tag, TagNumber, Tagged};
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::Verifier;
use x509_cert::Certificate;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, SubjectKeyIdentifier};

use super::asn1::{ID_CT_TST_INFO, SigningCertificateV2, TstInfo};
use super::{TimeStampToken, TimestampError, hex};

/// Longest certification path followed from the TSA certificate to a trust root.
const MAX_CHAIN_LENGTH: usize = 8;

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
/// Revocation of the TSA certificate is not checked here.
pub fn verify_token(
    token_der: &[u8],
    expected_sha256_digest: &[u8; 32],
    expected_nonce: Option<&[u8]>,
    trust_roots: &[Certificate],
) -> Result<VerifiedToken, TimestampError> {
    // 1. Structure.
    let content_info = ContentInfo::from_der(token_der)
        .map_err(|e| malformed(format!("token (not a DER ContentInfo: {e})")))?;
    if content_info.content_type != rfc5911::ID_SIGNED_DATA {
        return Err(malformed(format!(
            "token (content type {} is not signed-data)",
            content_info.content_type
        )));
    }
    let signed_data_der = content_info
        .content
        .to_der()
        .map_err(|e| malformed(format!("token ({e})")))?;
    let signed_data = SignedData::from_der(&signed_data_der)
        .map_err(|e| malformed(format!("token (SignedData: {e})")))?;
    let encap = &signed_data.encap_content_info;
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
    let signer_info = match signed_data.signer_infos.0.as_slice() {
        [one] => one,
        other => {
            return Err(malformed(format!(
                "token ({} signer infos instead of one)",
                other.len()
            )));
        }
    };
    let certificates: Vec<Certificate> = signed_data
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            CertificateChoices::Certificate(cert) => Some(cert.clone()),
            CertificateChoices::Other(_) => None,
        })
        .collect();

    // 2. Signer certificate.
    let signer = find_signer(&certificates, &signer_info.sid)
        .ok_or(TimestampError::SignerCertificateNotFound)?;
    let subject = signer.tbs_certificate.subject.to_string();

    // 3. Signed attributes and signature.
    check_signed_attributes(signer_info, tst_der)?;
    let signed_attrs_der = raw_signed_attributes(&signed_data_der)?;
    check_signature(signer_info, signer, &signed_attrs_der)?;
    check_signing_certificate_v2(signer_info, signer)?;

    // 4. The TSA certificate and its chain.
    check_tsa_usage(signer).map_err(|reason| TimestampError::NotTsaCertificate {
        subject: subject.clone(),
        reason,
    })?;
    let gen_time = tst_info.gen_time.0;
    check_chain(signer, &certificates, trust_roots, gen_time)
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

fn bad_signature(reason: impl Into<String>) -> TimestampError {
    TimestampError::BadSignature {
        reason: reason.into(),
    }
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// The hash functions accepted in signatures and digests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// From a digest algorithm OID (RFC 5754 §2).
    pub(crate) fn from_digest_oid(oid: ObjectIdentifier) -> Option<Self> {
        match oid {
            rfc5912::ID_SHA_256 => Some(Self::Sha256),
            rfc5912::ID_SHA_384 => Some(Self::Sha384),
            rfc5912::ID_SHA_512 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// From a `shaNNNWithRSAEncryption` OID (RFC 4055 §5).
    fn from_rsa_signature_oid(oid: ObjectIdentifier) -> Option<Self> {
        match oid {
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION => Some(Self::Sha256),
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION => Some(Self::Sha384),
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION => Some(Self::Sha512),
            _ => None,
        }
    }

    pub(crate) fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha256 => Sha256::digest(data).to_vec(),
            Self::Sha384 => Sha384::digest(data).to_vec(),
            Self::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    pub(crate) const fn output_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

/// RSASSA-PKCS1-v1_5 verification of `signature` over `message` with the key of `cert`.
fn verify_rsa(
    cert: &Certificate,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| e.to_string())?;
    let key = RsaPublicKey::from_public_key_der(&spki).map_err(|e| {
        format!(
            "the key of \"{}\" is not an RSA key: {e}",
            cert.tbs_certificate.subject
        )
    })?;
    let signature = Signature::try_from(signature).map_err(|e| e.to_string())?;
    let result = match hash {
        Hash::Sha256 => VerifyingKey::<Sha256>::new(key).verify(message, &signature),
        Hash::Sha384 => VerifyingKey::<Sha384>::new(key).verify(message, &signature),
        Hash::Sha512 => VerifyingKey::<Sha512>::new(key).verify(message, &signature),
    };
    result.map_err(|_| "the RSA signature does not verify".to_owned())
}

/// The certificate named by `sid` among `certificates`.
fn find_signer<'c>(
    certificates: &'c [Certificate],
    sid: &SignerIdentifier,
) -> Option<&'c Certificate> {
    certificates.iter().find(|cert| match sid {
        SignerIdentifier::IssuerAndSerialNumber(id) => {
            cert.tbs_certificate.issuer == id.issuer
                && cert.tbs_certificate.serial_number == id.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => extension(cert, SubjectKeyIdentifier::OID)
            .and_then(|ext| SubjectKeyIdentifier::from_der(ext.extn_value.as_bytes()).ok())
            .is_some_and(|found| found == *ski),
    })
}

/// The extension `oid` of `cert`, if present (the first one).
fn extension(cert: &Certificate, oid: ObjectIdentifier) -> Option<&Extension> {
    cert.tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|ext| ext.extn_id == oid)
}

/// The single value of the signed attribute `oid`; `None` when absent.
fn single_attribute_value(
    signer_info: &SignerInfo,
    oid: ObjectIdentifier,
) -> Result<Option<Vec<u8>>, TimestampError> {
    let attributes: Vec<_> = signer_info
        .signed_attrs
        .iter()
        .flat_map(|attrs| attrs.iter())
        .filter(|attr| attr.oid == oid)
        .collect();
    match attributes.as_slice() {
        [] => Ok(None),
        [attr] => match attr.values.as_slice() {
            [value] => value
                .to_der()
                .map(Some)
                .map_err(|e| malformed(format!("token (signed attribute {oid}: {e})"))),
            _ => Err(malformed(format!(
                "token (signed attribute {oid} must have exactly one value)"
            ))),
        },
        _ => Err(malformed(format!(
            "token (signed attribute {oid} appears more than once)"
        ))),
    }
}

/// RFC 5652 §5.3: content-type must equal eContentType, message-digest must equal the hash of
/// the eContent octets.
fn check_signed_attributes(signer_info: &SignerInfo, tst_der: &[u8]) -> Result<(), TimestampError> {
    if signer_info.signed_attrs.is_none() {
        return Err(malformed("token (no signed attributes)".to_owned()));
    }
    let content_type = single_attribute_value(signer_info, rfc5911::ID_CONTENT_TYPE)?
        .ok_or_else(|| bad_signature("no signed content-type attribute"))?;
    match ObjectIdentifier::from_der(&content_type) {
        Ok(oid) if oid == ID_CT_TST_INFO => {}
        _ => {
            return Err(bad_signature(
                "the signed content-type is not id-ct-TSTInfo",
            ));
        }
    }
    let digest = single_attribute_value(signer_info, rfc5911::ID_MESSAGE_DIGEST)?
        .ok_or_else(|| bad_signature("no signed message-digest attribute"))?;
    let digest = der::asn1::OctetString::from_der(&digest)
        .map_err(|e| malformed(format!("token (message-digest attribute: {e})")))?;
    let hash = Hash::from_digest_oid(signer_info.digest_alg.oid).ok_or_else(|| {
        TimestampError::UnsupportedAlgorithm {
            what: "digest",
            oid: signer_info.digest_alg.oid.to_string(),
        }
    })?;
    if digest.as_bytes() != hash.digest(tst_der).as_slice() {
        return Err(bad_signature(
            "the signed message-digest does not match the TSTInfo",
        ));
    }
    Ok(())
}

/// The signed attributes exactly as the token encodes them, with the `[0] IMPLICIT` tag
/// replaced by the `SET OF` tag: what was signed (RFC 5652 §5.4). Taken from the raw bytes
/// rather than re-encoded, so that a TSA that did not sort the SET still verifies.
fn raw_signed_attributes(signed_data_der: &[u8]) -> Result<Vec<u8>, TimestampError> {
    fn elements(bytes: &[u8]) -> der::Result<Vec<AnyRef<'_>>> {
        let mut reader = SliceReader::new(bytes)?;
        let mut out = Vec::new();
        while !reader.is_finished() {
            out.push(reader.decode::<AnyRef<'_>>()?);
        }
        Ok(out)
    }
    let find = || -> der::Result<Option<Vec<u8>>> {
        let signed_data = AnyRef::from_der(signed_data_der)?;
        let fields = elements(signed_data.value())?;
        let Some(signer_infos) = fields.last() else {
            return Ok(None);
        };
        let infos = elements(signer_infos.value())?;
        let Some(signer_info) = infos.first() else {
            return Ok(None);
        };
        let fields = elements(signer_info.value())?;
        let signed_attrs_tag = Tag::ContextSpecific {
            constructed: true,
            number: TagNumber::N0,
        };
        match fields.get(3) {
            Some(attrs) if attrs.tag() == signed_attrs_tag => {
                let mut der = attrs.to_der()?;
                der[0] = 0x31; // SET OF, constructed
                Ok(Some(der))
            }
            _ => Ok(None),
        }
    };
    find()
        .map_err(|e| malformed(format!("token (signer info: {e})")))?
        .ok_or_else(|| malformed("token (no signed attributes)".to_owned()))
}

/// The CMS signature with the signer certificate's key.
fn check_signature(
    signer_info: &SignerInfo,
    signer: &Certificate,
    signed_attrs_der: &[u8],
) -> Result<(), TimestampError> {
    let algorithm = signer_info.signature_algorithm.oid;
    let hash = if algorithm == rfc5912::RSA_ENCRYPTION {
        // RFC 3370 §3.2: rsaEncryption with the hash of digestAlgorithm (OpenSSL's choice).
        Hash::from_digest_oid(signer_info.digest_alg.oid)
    } else {
        Hash::from_rsa_signature_oid(algorithm)
    }
    .ok_or_else(|| TimestampError::UnsupportedAlgorithm {
        what: "signature",
        oid: algorithm.to_string(),
    })?;
    verify_rsa(
        signer,
        hash,
        signed_attrs_der,
        signer_info.signature.as_bytes(),
    )
    .map_err(bad_signature)
}

/// RFC 5816 §2.2.1: when present, the first `ESSCertIDv2` identifies the signer certificate.
fn check_signing_certificate_v2(
    signer_info: &SignerInfo,
    signer: &Certificate,
) -> Result<(), TimestampError> {
    let Some(value) = single_attribute_value(signer_info, rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2)?
    else {
        return Ok(());
    };
    let signing_certificate = SigningCertificateV2::from_der(&value)
        .map_err(|e| malformed(format!("token (signing-certificate-v2: {e})")))?;
    let id = signing_certificate
        .certs
        .first()
        .ok_or_else(|| malformed("token (empty signing-certificate-v2)".to_owned()))?;
    let hash = match &id.hash_algorithm {
        None => Hash::Sha256,
        Some(algorithm) => Hash::from_digest_oid(algorithm.oid).ok_or_else(|| {
            TimestampError::UnsupportedAlgorithm {
                what: "digest",
                oid: algorithm.oid.to_string(),
            }
        })?,
    };
    let cert_der = signer
        .to_der()
        .map_err(|e| malformed(format!("token (certificate: {e})")))?;
    if id.cert_hash.as_bytes() != hash.digest(&cert_der).as_slice() {
        return Err(TimestampError::SigningCertificateMismatch);
    }
    if let Some(issuer_serial) = &id.issuer_serial {
        let issuer_named = issuer_serial.issuer.iter().any(|name| {
            matches!(name, GeneralName::DirectoryName(n) if *n == signer.tbs_certificate.issuer)
        });
        if !issuer_named || issuer_serial.serial_number != signer.tbs_certificate.serial_number {
            return Err(TimestampError::SigningCertificateMismatch);
        }
    }
    Ok(())
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

/// Whether `cert` was valid at `at`.
fn check_validity(cert: &Certificate, at: SystemTime) -> Result<(), String> {
    let validity = &cert.tbs_certificate.validity;
    if at < validity.not_before.to_system_time() || at > validity.not_after.to_system_time() {
        return Err(format!(
            "\"{}\" was not valid at the time-stamp's time (valid {} to {})",
            cert.tbs_certificate.subject, validity.not_before, validity.not_after
        ));
    }
    Ok(())
}

/// Whether `cert` is a CA certificate (basicConstraints cA = TRUE).
fn is_ca(cert: &Certificate) -> bool {
    extension(cert, BasicConstraints::OID)
        .and_then(|ext| BasicConstraints::from_der(ext.extn_value.as_bytes()).ok())
        .is_some_and(|bc| bc.ca)
}

/// Whether `issuer`'s key verifies the signature on `cert`.
fn verify_issued_by(cert: &Certificate, issuer: &Certificate) -> Result<(), String> {
    let algorithm = cert.signature_algorithm.oid;
    let hash = Hash::from_rsa_signature_oid(algorithm)
        .ok_or_else(|| format!("unsupported certificate signature algorithm {algorithm}"))?;
    let tbs = cert.tbs_certificate.to_der().map_err(|e| e.to_string())?;
    let signature = cert
        .signature
        .as_bytes()
        .ok_or_else(|| "certificate signature with unused bits".to_owned())?;
    verify_rsa(issuer, hash, &tbs, signature)
}

/// Follows issuers from `signer` through `pool` (the token's certificates) until a
/// certificate of `roots` or one issued by a root; each certificate valid at `at`.
fn check_chain(
    signer: &Certificate,
    pool: &[Certificate],
    roots: &[Certificate],
    at: SystemTime,
) -> Result<(), String> {
    if roots.is_empty() {
        return Err("no trust root is configured".to_owned());
    }
    let mut current = signer;
    for _ in 0..MAX_CHAIN_LENGTH {
        check_validity(current, at)?;
        if roots.contains(current) {
            return Ok(());
        }
        let issuer_name = &current.tbs_certificate.issuer;
        let mut failure = None;
        for root in roots
            .iter()
            .filter(|root| root.tbs_certificate.subject == *issuer_name)
        {
            match verify_issued_by(current, root) {
                Ok(()) => return check_validity(root, at),
                Err(e) => failure = Some(e),
            }
        }
        let next = pool.iter().find(|candidate| {
            *candidate != current
                && candidate.tbs_certificate.subject == *issuer_name
                && is_ca(candidate)
                && match verify_issued_by(current, candidate) {
                    Ok(()) => true,
                    Err(e) => {
                        failure = Some(e);
                        false
                    }
                }
        });
        match next {
            Some(issuer) => current = issuer,
            None => {
                return Err(match failure {
                    Some(e) => format!(
                        "the signature of \"{}\" by its issuer does not verify: {e}",
                        current.tbs_certificate.subject
                    ),
                    None => format!(
                        "its issuer \"{issuer_name}\" is neither a trusted root nor found in the token"
                    ),
                });
            }
        }
    }
    Err(format!(
        "no trusted root within {MAX_CHAIN_LENGTH} certificates"
    ))
}
