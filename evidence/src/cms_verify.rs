//! Verification of a CMS `SignedData` signer (RFC 5652): the one implementation behind both
//! [`verify_token`](crate::timestamp::verify_token) (RFC 3161 time-stamp tokens, EVD-02) and
//! [`verify_pdf`](crate::verify::verify_pdf) (PAdES evidence seals, EVD-03, EVD-06).
//!
//! Each step is its own method of [`SignedCms`], so that callers can report them one by one:
//!
//! 1. [`SignedCms::from_content_info`]: a DER `ContentInfo` holding `SignedData` with exactly
//!    one `SignerInfo`; [`SignedCms::signer_certificate`] finds the signer's certificate among
//!    the embedded ones.
//! 2. [`SignedCms::check_content_type`] and [`SignedCms::check_message_digest`]: the signed
//!    `content-type` and `message-digest` attributes (RFC 5652 §5.3, §11.1, §11.2).
//! 3. [`SignedCms::check_signature`]: RSA PKCS#1 v1.5 over the DER `SET OF` of the signed
//!    attributes, exactly as encoded (§5.4).
//! 4. [`SignedCms::check_signing_certificate_v2`]: the `signing-certificate-v2` attribute
//!    (RFC 5035) names the signer certificate.
//! 5. [`check_chain`]: the certificate chains to a trust root through the embedded
//!    certificates, every certificate valid at a given time.
//!
//! Revocation is not checked here.
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::db::{rfc5911, rfc5912};
use const_oid::{AssociatedOid, ObjectIdentifier};
use der::asn1::{AnyRef, OctetString, SetOfVec};
use der::{Decode, Encode, Reader, Sequence, SliceReader, Tag, TagNumber, Tagged};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::SubjectKeyIdentifier;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;

mod algorithm;
mod chain;

pub(crate) use algorithm::{Hash, verify_signed};
pub(crate) use chain::{
    check_chain, check_chain_path, check_path_validity, extension, verify_issued_by,
};

use algorithm::verify_rsa;

/// Why a CMS signer did not verify. Callers map it to their own error or report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CmsError {
    /// Not DER, not the expected structure, or a part RFC 5652 requires is missing (signed
    /// attributes, a single-valued attribute with several values, several signers).
    Malformed(String),
    /// An algorithm outside SHA-256/384/512 and RSA PKCS#1 v1.5.
    UnsupportedAlgorithm {
        /// "digest" or "signature".
        what: &'static str,
        /// The algorithm's OID.
        oid: String,
    },
    /// The embedded certificates do not contain the one the `SignerInfo` names.
    SignerCertificateNotFound,
    /// The signed `content-type` attribute is missing or is not the expected type.
    ContentType(String),
    /// The signed `message-digest` attribute is missing.
    NoMessageDigest,
    /// The signed `message-digest` is not the hash of the content: the content was altered.
    DigestMismatch,
    /// The RSA signature over the signed attributes does not verify with the signer
    /// certificate's key.
    BadSignature(String),
    /// A required `signing-certificate-v2` attribute is absent.
    SigningCertificateMissing,
    /// The `signing-certificate-v2` attribute names another certificate than the signer's.
    SigningCertificateMismatch,
}

impl std::fmt::Display for CmsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CmsError::Malformed(what) => write!(f, "malformed CMS ({what})"),
            CmsError::UnsupportedAlgorithm { what, oid } => {
                write!(f, "unsupported {what} algorithm {oid}")
            }
            CmsError::SignerCertificateNotFound => {
                f.write_str("the signer's certificate is not among the embedded certificates")
            }
            CmsError::ContentType(reason) => f.write_str(reason),
            CmsError::NoMessageDigest => f.write_str("no signed message-digest attribute"),
            CmsError::DigestMismatch => {
                f.write_str("the signed message-digest does not match the content")
            }
            CmsError::BadSignature(reason) => f.write_str(reason),
            CmsError::SigningCertificateMissing => {
                f.write_str("no signing-certificate-v2 attribute")
            }
            CmsError::SigningCertificateMismatch => {
                f.write_str("the signing-certificate-v2 attribute names another certificate")
            }
        }
    }
}

fn malformed(what: impl Into<String>) -> CmsError {
    CmsError::Malformed(what.into())
}

/// A decoded CMS `SignedData` with a single signer, and the certificates it carries.
#[derive(Clone, Debug)]
pub(crate) struct SignedCms {
    /// The DER of the `SignedData` as found (not re-encoded).
    signed_data_der: Vec<u8>,
    signed_data: SignedData,
    /// Its only `SignerInfo`.
    signer_info: SignerInfo,
    certificates: Vec<Certificate>,
}

impl SignedCms {
    /// Decodes a DER `ContentInfo` (nothing may follow it) whose content is a `SignedData`
    /// with exactly one `SignerInfo`.
    pub(crate) fn from_content_info(der: &[u8]) -> Result<Self, CmsError> {
        let content_info = ContentInfo::from_der(der)
            .map_err(|e| malformed(format!("not a DER ContentInfo: {e}")))?;
        if content_info.content_type != rfc5911::ID_SIGNED_DATA {
            return Err(malformed(format!(
                "content type {} is not signed-data",
                content_info.content_type
            )));
        }
        let signed_data_der = content_info
            .content
            .to_der()
            .map_err(|e| malformed(e.to_string()))?;
        let signed_data = SignedData::from_der(&signed_data_der)
            .map_err(|e| malformed(format!("SignedData: {e}")))?;
        let signer_info = match signed_data.signer_infos.0.as_slice() {
            [one] => one.clone(),
            other => {
                return Err(malformed(format!(
                    "{} signer infos instead of one",
                    other.len()
                )));
            }
        };
        let certificates = signed_data
            .certificates
            .iter()
            .flat_map(|set| set.0.iter())
            .filter_map(|choice| match choice {
                CertificateChoices::Certificate(cert) => Some(cert.clone()),
                CertificateChoices::Other(_) => None,
            })
            .collect();
        Ok(SignedCms {
            signed_data_der,
            signed_data,
            signer_info,
            certificates,
        })
    }

    /// The `SignedData`.
    pub(crate) fn signed_data(&self) -> &SignedData {
        &self.signed_data
    }

    /// The certificates embedded in the `SignedData` (others than X.509 are ignored).
    pub(crate) fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }

    /// The single `SignerInfo` (checked by [`from_content_info`](Self::from_content_info)).
    pub(crate) fn signer_info(&self) -> &SignerInfo {
        &self.signer_info
    }

    /// The signature value (`SignerInfo.signature`).
    pub(crate) fn signature_value(&self) -> &[u8] {
        self.signer_info().signature.as_bytes()
    }

    /// The certificate the `SignerInfo` names (by issuer and serial number or by subject key
    /// identifier), among the embedded certificates.
    pub(crate) fn signer_certificate(&self) -> Result<&Certificate, CmsError> {
        find_signer(&self.certificates, &self.signer_info().sid)
            .ok_or(CmsError::SignerCertificateNotFound)
    }

    /// The hash the signer used (`SignerInfo.digestAlgorithm`).
    pub(crate) fn digest_hash(&self) -> Result<Hash, CmsError> {
        let oid = self.signer_info().digest_alg.oid;
        Hash::from_digest_oid(oid).ok_or_else(|| CmsError::UnsupportedAlgorithm {
            what: "digest",
            oid: oid.to_string(),
        })
    }

    /// RFC 5652 §5.3: signed attributes are present and the `content-type` attribute equals
    /// `expected`, which must also be the `eContentType`.
    pub(crate) fn check_content_type(&self, expected: ObjectIdentifier) -> Result<(), CmsError> {
        let info = self.signer_info();
        if info.signed_attrs.is_none() {
            return Err(malformed("no signed attributes"));
        }
        let value = single_signed_attribute(info, rfc5911::ID_CONTENT_TYPE)?
            .ok_or_else(|| CmsError::ContentType("no signed content-type attribute".to_owned()))?;
        let found = ObjectIdentifier::from_der(&value).map_err(|_| {
            CmsError::ContentType("the signed content-type is not an OID".to_owned())
        })?;
        if found != expected || self.signed_data.encap_content_info.econtent_type != expected {
            return Err(CmsError::ContentType(format!(
                "the signed content-type is {found}, not {expected}"
            )));
        }
        Ok(())
    }

    /// RFC 5652 §11.2: the signed `message-digest` attribute equals the hash (of the signer's
    /// digest algorithm) of the concatenation of `content`.
    pub(crate) fn check_message_digest(&self, content: &[&[u8]]) -> Result<(), CmsError> {
        let info = self.signer_info();
        if info.signed_attrs.is_none() {
            return Err(malformed("no signed attributes"));
        }
        let value = single_signed_attribute(info, rfc5911::ID_MESSAGE_DIGEST)?
            .ok_or(CmsError::NoMessageDigest)?;
        let digest = OctetString::from_der(&value)
            .map_err(|e| malformed(format!("message-digest attribute: {e}")))?;
        if digest.as_bytes() != self.digest_hash()?.digest_parts(content).as_slice() {
            return Err(CmsError::DigestMismatch);
        }
        Ok(())
    }

    /// RFC 5652 §5.4: the RSA PKCS#1 v1.5 signature over the signed attributes, taken from the
    /// raw bytes (so that a signer that did not sort the SET still verifies), verifies with
    /// `signer`'s key. `rsaEncryption` means the hash of the digest algorithm (RFC 3370 §3.2).
    pub(crate) fn check_signature(&self, signer: &Certificate) -> Result<(), CmsError> {
        let info = self.signer_info();
        let signed_attrs_der = raw_signed_attributes(&self.signed_data_der)?;
        let algorithm = info.signature_algorithm.oid;
        let hash = if algorithm == rfc5912::RSA_ENCRYPTION {
            Hash::from_digest_oid(info.digest_alg.oid)
        } else {
            Hash::from_rsa_signature_oid(algorithm)
        }
        .ok_or_else(|| CmsError::UnsupportedAlgorithm {
            what: "signature",
            oid: algorithm.to_string(),
        })?;
        verify_rsa(signer, hash, &signed_attrs_der, info.signature.as_bytes())
            .map_err(CmsError::BadSignature)
    }

    /// RFC 5035 §3 / RFC 5816 §2.2.1: the first `ESSCertIDv2` of the `signing-certificate-v2`
    /// attribute identifies `signer` (hash of the certificate, and issuer and serial number
    /// when given). Its absence is an error only when `required` (ETSI EN 319 142-1 requires
    /// it in PAdES signatures; RFC 3161 tokens may use the older `signing-certificate`).
    pub(crate) fn check_signing_certificate_v2(
        &self,
        signer: &Certificate,
        required: bool,
    ) -> Result<(), CmsError> {
        let info = self.signer_info();
        let Some(value) = single_signed_attribute(info, rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2)?
        else {
            return if required {
                Err(CmsError::SigningCertificateMissing)
            } else {
                Ok(())
            };
        };
        let signing_certificate = SigningCertificateV2::from_der(&value)
            .map_err(|e| malformed(format!("signing-certificate-v2: {e}")))?;
        let id = signing_certificate
            .certs
            .first()
            .ok_or_else(|| malformed("empty signing-certificate-v2"))?;
        let hash = match &id.hash_algorithm {
            None => Hash::Sha256,
            Some(algorithm) => Hash::from_digest_oid(algorithm.oid).ok_or_else(|| {
                CmsError::UnsupportedAlgorithm {
                    what: "digest",
                    oid: algorithm.oid.to_string(),
                }
            })?,
        };
        let cert_der = signer
            .to_der()
            .map_err(|e| malformed(format!("certificate: {e}")))?;
        if id.cert_hash.as_bytes() != hash.digest(&cert_der).as_slice() {
            return Err(CmsError::SigningCertificateMismatch);
        }
        if let Some(issuer_serial) = &id.issuer_serial {
            let issuer_named = issuer_serial.issuer.iter().any(|name| {
                matches!(name, GeneralName::DirectoryName(n) if *n == signer.tbs_certificate.issuer)
            });
            if !issuer_named || issuer_serial.serial_number != signer.tbs_certificate.serial_number
            {
                return Err(CmsError::SigningCertificateMismatch);
            }
        }
        Ok(())
    }

    /// The single value (DER) of the unsigned attribute `oid`; `None` when absent.
    pub(crate) fn unsigned_attribute(
        &self,
        oid: ObjectIdentifier,
    ) -> Result<Option<Vec<u8>>, CmsError> {
        single_value(self.signer_info().unsigned_attrs.as_ref(), oid, "unsigned")
    }
}

/// The single value of the signed attribute `oid`; `None` when absent.
fn single_signed_attribute(
    info: &SignerInfo,
    oid: ObjectIdentifier,
) -> Result<Option<Vec<u8>>, CmsError> {
    single_value(info.signed_attrs.as_ref(), oid, "signed")
}

/// The DER of the one value of the one attribute `oid` among `attributes` (the `kind`,
/// "signed" or "unsigned", attributes of a `SignerInfo`); `None` when absent.
fn single_value(
    attributes: Option<&SetOfVec<Attribute>>,
    oid: ObjectIdentifier,
    kind: &str,
) -> Result<Option<Vec<u8>>, CmsError> {
    let values: Vec<&[der::Any]> = attributes
        .into_iter()
        .flat_map(|attrs| attrs.iter())
        .filter(|attr| attr.oid == oid)
        .map(|attr| attr.values.as_slice())
        .collect();
    match values.as_slice() {
        [] => Ok(None),
        [[value]] => value
            .to_der()
            .map(Some)
            .map_err(|e| malformed(format!("{kind} attribute {oid}: {e}"))),
        [_] => Err(malformed(format!(
            "{kind} attribute {oid} must have exactly one value"
        ))),
        _ => Err(malformed(format!(
            "{kind} attribute {oid} appears more than once"
        ))),
    }
}

/// The signed attributes exactly as encoded, with the `[0] IMPLICIT` tag replaced by the
/// `SET OF` tag: what was signed (RFC 5652 §5.4).
fn raw_signed_attributes(signed_data_der: &[u8]) -> Result<Vec<u8>, CmsError> {
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
                if let Some(tag) = der.first_mut() {
                    *tag = 0x31; // SET OF, constructed
                }
                Ok(Some(der))
            }
            _ => Ok(None),
        }
    };
    find()
        .map_err(|e| malformed(format!("signer info: {e}")))?
        .ok_or_else(|| malformed("no signed attributes"))
}

/// RFC 5035 §3 / RFC 5816 §2.2.1:
///
/// ```text
/// SigningCertificateV2 ::=  SEQUENCE {
///    certs        SEQUENCE OF ESSCertIDv2,
///    policies     SEQUENCE OF PolicyInformation OPTIONAL }
/// ```
#[derive(Clone, Debug, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<Vec<der::Any>>,
}

/// ```text
/// ESSCertIDv2 ::=  SEQUENCE {
///    hashAlgorithm           AlgorithmIdentifier DEFAULT {algorithm id-sha256},
///    certHash                 Hash,
///    issuerSerial             IssuerSerial OPTIONAL }
/// ```
#[derive(Clone, Debug, Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// ```text
/// IssuerSerial ::= SEQUENCE {
///    issuer                   GeneralNames,
///    serialNumber             CertificateSerialNumber }
/// ```
#[derive(Clone, Debug, Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
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
