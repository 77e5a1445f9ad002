//! The CMS `SignedData` of a PAdES baseline signature (ETSI EN 319 142-1 §6.3, RFC 5652):
//! detached, SHA-256, signed attributes content-type, message-digest and
//! signing-certificate-v2, no signing-time (PAdES carries the claimed time in `/M`), the seal
//! certificate and its intermediates, and later the signature time-stamp as an unsigned
//! attribute.

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5911::{ID_AA_SIGNING_CERTIFICATE_V_2, ID_DATA, ID_SIGNED_DATA};
use const_oid::db::rfc5912::ID_SHA_256;
use der::asn1::{Any, OctetString, SetOfVec};
use der::{Decode, Encode, Tag};
use rsa::pkcs1v15::Signature;
use sha2::{Digest, Sha256};
use signature::{Keypair, Signer};
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;

use super::PadesError;

/// `id-aa-signatureTimeStampToken` (RFC 3161 Appendix A):
///
/// ```text
/// id-aa-timeStampToken OBJECT IDENTIFIER ::= { iso(1) member-body(2) us(840)
///     rsadsi(113549) pkcs(1) pkcs-9(9) smime(16) aa(2) 14 }
/// ```
pub const ID_AA_SIGNATURE_TIME_STAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");

/// SHA-256 with absent parameters, as RFC 5754 §2 says to generate it.
fn sha256_algorithm() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: ID_SHA_256,
        parameters: None,
    }
}

fn der_error(e: der::Error) -> PadesError {
    PadesError::Cms(e.to_string())
}

/// Wraps DER-encoded `content` in a SEQUENCE.
fn sequence(content: Vec<u8>) -> Result<Any, PadesError> {
    Any::new(Tag::Sequence, content).map_err(der_error)
}

/// The signing-certificate-v2 attribute (RFC 5035 §3) for `cert`:
///
/// ```text
/// SigningCertificateV2 ::= SEQUENCE {
///     certs        SEQUENCE OF ESSCertIDv2,
///     policies     SEQUENCE OF PolicyInformation OPTIONAL }
///
/// ESSCertIDv2 ::= SEQUENCE {
///     hashAlgorithm  AlgorithmIdentifier DEFAULT {algorithm id-sha256},
///     certHash       Hash,
///     issuerSerial   IssuerSerial OPTIONAL }
///
/// Hash ::= OCTET STRING
///
/// IssuerSerial ::= SEQUENCE {
///     issuer         GeneralNames,
///     serialNumber   CertificateSerialNumber }
/// ```
///
/// `hashAlgorithm` is omitted: it is SHA-256, the DEFAULT, which DER forbids encoding.
fn signing_certificate_v2(cert: &Certificate) -> Result<Attribute, PadesError> {
    let cert_der = cert.to_der().map_err(der_error)?;
    let hash = OctetString::new(Sha256::digest(&cert_der).to_vec()).map_err(der_error)?;
    let issuer = GeneralName::DirectoryName(cert.tbs_certificate.issuer.clone());
    let general_names = sequence(issuer.to_der().map_err(der_error)?)?;
    let issuer_serial = sequence(
        [
            general_names.to_der().map_err(der_error)?,
            cert.tbs_certificate
                .serial_number
                .to_der()
                .map_err(der_error)?,
        ]
        .concat(),
    )?;
    let ess_cert_id = sequence(
        [
            hash.to_der().map_err(der_error)?,
            issuer_serial.to_der().map_err(der_error)?,
        ]
        .concat(),
    )?;
    let certs = sequence(ess_cert_id.to_der().map_err(der_error)?)?;
    let value = sequence(certs.to_der().map_err(der_error)?)?;
    Ok(Attribute {
        oid: ID_AA_SIGNING_CERTIFICATE_V_2,
        values: SetOfVec::try_from(vec![value]).map_err(der_error)?,
    })
}

/// Builds the signed `ContentInfo` over the ByteRange digest `digest`, signed by `signer` whose
/// certificate is `chain[0]`; `chain` (seal certificate, then intermediates) goes into
/// `certificates`.
pub(crate) fn sign<S>(
    signer: &S,
    chain: &[Certificate],
    digest: &[u8; 32],
) -> Result<ContentInfo, PadesError>
where
    S: Keypair + DynSignatureAlgorithmIdentifier + Signer<Signature>,
{
    let seal = chain
        .first()
        .ok_or(PadesError::SealCertificate("empty certificate chain"))?;
    let content = EncapsulatedContentInfo {
        econtent_type: ID_DATA,
        econtent: None,
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: seal.tbs_certificate.issuer.clone(),
        serial_number: seal.tbs_certificate.serial_number.clone(),
    });
    let cms_error = |e: cms::builder::Error| PadesError::Cms(e.to_string());
    let mut signer_info = SignerInfoBuilder::new(
        signer,
        sid,
        sha256_algorithm(),
        &content,
        Some(digest.as_slice()),
    )
    .map_err(cms_error)?;
    signer_info
        .add_signed_attribute(signing_certificate_v2(seal)?)
        .map_err(cms_error)?;
    let mut signed_data = SignedDataBuilder::new(&content);
    signed_data
        .add_digest_algorithm(sha256_algorithm())
        .map_err(cms_error)?;
    for cert in chain {
        signed_data
            .add_certificate(CertificateChoices::Certificate(cert.clone()))
            .map_err(cms_error)?;
    }
    signed_data
        .add_signer_info::<S, Signature>(signer_info)
        .map_err(|e| PadesError::Signing(e.to_string()))?;
    signed_data.build().map_err(cms_error)
}

/// The `SignedData` inside a `ContentInfo`.
fn signed_data(content_info: &ContentInfo) -> Result<SignedData, PadesError> {
    if content_info.content_type != ID_SIGNED_DATA {
        return Err(PadesError::Cms("not a SignedData".to_owned()));
    }
    content_info
        .content
        .decode_as::<SignedData>()
        .map_err(der_error)
}

/// The single signer info of a `SignedData`.
fn only_signer(signed_data: &SignedData) -> Result<&SignerInfo, PadesError> {
    match signed_data.signer_infos.0.as_slice() {
        [info] => Ok(info),
        _ => Err(PadesError::Cms("expected exactly one signer".to_owned())),
    }
}

/// The signature value and the DER of the signed attributes (what was signed).
pub(crate) fn signature_and_signed_attributes(
    content_info: &ContentInfo,
) -> Result<(Vec<u8>, Vec<u8>), PadesError> {
    let signed_data = signed_data(content_info)?;
    let info = only_signer(&signed_data)?;
    let attrs = info
        .signed_attrs
        .as_ref()
        .ok_or_else(|| PadesError::Cms("no signed attributes".to_owned()))?;
    Ok((
        info.signature.as_bytes().to_vec(),
        attrs.to_der().map_err(der_error)?,
    ))
}

/// `content_info` with `token` (a time-stamp token, DER) as its signer's
/// signature-time-stamp unsigned attribute, DER-encoded. Re-encoding the decoded structure is
/// deterministic, so the signature stays valid.
pub(crate) fn with_timestamp(
    content_info: &ContentInfo,
    token: &[u8],
) -> Result<Vec<u8>, PadesError> {
    let mut signed_data = signed_data(content_info)?;
    let mut infos = signed_data.signer_infos.0.into_vec();
    let [info] = infos.as_mut_slice() else {
        return Err(PadesError::Cms("expected exactly one signer".to_owned()));
    };
    let token = Any::from_der(token).map_err(|e| PadesError::TimestampToken(e.to_string()))?;
    let attribute = Attribute {
        oid: ID_AA_SIGNATURE_TIME_STAMP_TOKEN,
        values: SetOfVec::try_from(vec![token]).map_err(der_error)?,
    };
    info.unsigned_attrs = Some(SetOfVec::try_from(vec![attribute]).map_err(der_error)?);
    signed_data.signer_infos.0 = SetOfVec::try_from(infos).map_err(der_error)?;
    let content = Any::from_der(&signed_data.to_der().map_err(der_error)?).map_err(der_error)?;
    ContentInfo {
        content_type: ID_SIGNED_DATA,
        content,
    }
    .to_der()
    .map_err(der_error)
}

/// The message imprint (hash algorithm OID, hashed message) of an RFC 3161 time-stamp token.
///
/// `TSTInfo` is read as a SEQUENCE of opaque elements, so that a `genTime` with fractional
/// seconds (which der 0.7's `GeneralizedTime` rejects) does not matter:
///
/// ```text
/// TSTInfo ::= SEQUENCE {
///    version        INTEGER  { v1(1) },
///    policy         TSAPolicyId,
///    messageImprint MessageImprint,
///    ... }
/// ```
pub(crate) fn token_imprint(token: &[u8]) -> Result<(ObjectIdentifier, Vec<u8>), PadesError> {
    let bad = |what: &str| PadesError::TimestampToken(what.to_owned());
    let content_info = ContentInfo::from_der(token).map_err(|e| bad(&e.to_string()))?;
    let signed_data = signed_data(&content_info).map_err(|_| bad("not a SignedData"))?;
    let tst_info = signed_data
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or_else(|| bad("no TSTInfo"))?;
    let tst_info = OctetString::from_der(&tst_info.to_der().map_err(der_error)?)
        .map_err(|e| bad(&e.to_string()))?;
    let elements = Vec::<Any>::from_der(tst_info.as_bytes()).map_err(|e| bad(&e.to_string()))?;
    let imprint = elements.get(2).ok_or_else(|| bad("short TSTInfo"))?;
    let imprint = x509_tsp::MessageImprint::from_der(&imprint.to_der().map_err(der_error)?)
        .map_err(|e| bad(&e.to_string()))?;
    Ok((
        imprint.hash_algorithm.oid,
        imprint.hashed_message.as_bytes().to_vec(),
    ))
}

/// A stand-in signer for the dry run that sizes the placeholder: it produces a signature of
/// the right length without touching the key.
pub(crate) struct DrySigner {
    /// Signature length in bytes (the RSA modulus size).
    pub len: usize,
}

impl Keypair for DrySigner {
    type VerifyingKey = ();

    fn verifying_key(&self) {}
}

impl DynSignatureAlgorithmIdentifier for DrySigner {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(AlgorithmIdentifierOwned {
            oid: crate::SHA256_WITH_RSA_ENCRYPTION,
            parameters: Some(Any::null()),
        })
    }
}

impl Signer<Signature> for DrySigner {
    fn try_sign(&self, _msg: &[u8]) -> Result<Signature, signature::Error> {
        Signature::try_from(vec![0xFF; self.len].as_slice())
    }
}

/// The DER length of `content_info` once a time-stamp token of `token_len` bytes is added: the
/// dry run's size.
pub(crate) fn size_with_token(
    content_info: &ContentInfo,
    token_len: usize,
) -> Result<usize, PadesError> {
    // A SEQUENCE whose whole encoding is about `token_len` bytes.
    let body = token_len.saturating_sub(4).max(1);
    let dummy = Any::new(Tag::Sequence, vec![0u8; body])
        .and_then(|any| any.to_der())
        .map_err(der_error)?;
    Ok(with_timestamp(content_info, &dummy)?.len())
}
