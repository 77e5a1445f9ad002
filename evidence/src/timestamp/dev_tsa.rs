//! The built-in development time-stamping unit — **NOT QUALIFIED** — and
//! [`LocalTimeStamper`], which uses it in-process.
//!
//! It answers RFC 3161 requests with tokens signed by the token key `dev-tsa` (through
//! [`KeySigner`]) under the development PKI's TSA certificate. The server uses it for
//! `tsa.url = "builtin"` and serves [`DevTsa::respond`] to anyone at `/tsa`. A qualified
//! service configures a qualified TSA's URL instead ([`super::HttpTimeStamper`]).

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cms::builder::SignerInfoBuilder;
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfos,
};
use const_oid::ObjectIdentifier;
use const_oid::db::{rfc5911, rfc5912};
use der::asn1::{GeneralizedTime, Int, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence, Tag, Tagged};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::builder::Builder;
use x509_cert::ext::Extensions;
use x509_cert::ext::pkix::name::GeneralName;
use x509_tsp::{Accuracy, MessageImprint, TspVersion, TstInfo};

use super::asn1::{
    EssCertIdV2, FailureInfo, ID_CT_TST_INFO, IssuerSerial, PkiStatus, SigningCertificateV2,
    TimeStampRequest, encode_response, token_from_response,
};
use super::trust::TsaTrust;
use super::verify::{Hash, TokenSignature, check_tsa_usage};
use super::workers::run_blocking;
use super::{TimeStampToken, TimeStamper, TimestampError};
use crate::check_certificate_matches_key;
use crate::hsm::{Hsm, KeySigner};
use crate::pki::{DevPki, Role};

/// A `TimeStampResp` with status rejection and failInfo systemFailure, for the (never
/// expected) case where even a rejection cannot be encoded.
///
/// ```text
/// 30 0C                       TimeStampResp
///    30 0A                    PKIStatusInfo
///       02 01 02              status rejection
///       03 05 06 00 00 00 40  failInfo systemFailure (bit 25)
/// ```
const SYSTEM_FAILURE_RESPONSE: [u8; 14] = [
    0x30, 0x0c, 0x30, 0x0a, 0x02, 0x01, 0x02, 0x03, 0x05, 0x06, 0x00, 0x00, 0x00, 0x40,
];

/// The development time-stamping unit (**NOT QUALIFIED**): a TSA whose key lives in the
/// token. Cheap to clone; `Send + Sync`.
///
/// Tokens it issues (EVD-02, RFC 3161 §2.4.2 with RFC 5816):
/// - `TSTInfo`: the configured policy, the request's message imprint (SHA-256, SHA-384 or
///   SHA-512) and nonce, a unique serial number, `genTime` in whole UTC seconds with an
///   accuracy of 1 s, ordering false, the TSA's name;
/// - signed attributes content-type, message-digest and signing-certificate-v2 (ESSCertIDv2
///   with the certificate's SHA-256 — `hashAlgorithm` omitted, as DER requires for the
///   DEFAULT — and its issuer and serial number); no signing-time;
/// - sha256WithRSAEncryption by the token key; the TSA certificate and intermediates when
///   the request sets `certReq`.
///
/// Serial numbers are 96 bits: a random 32-bit prefix chosen at construction, then a 64-bit
/// counter starting at the construction time in microseconds — a restart (or a second
/// instance on the same token) never repeats a serial.
#[derive(Clone)]
pub struct DevTsa {
    inner: Arc<Inner>,
}

struct Inner {
    signer: KeySigner,
    certificate: Certificate,
    /// The issuers of `certificate`, up to and including the root.
    chain: Vec<Certificate>,
    policy: ObjectIdentifier,
    signing_certificate_v2: Attribute,
    serial_prefix: [u8; 4],
    counter: AtomicU64,
    /// What [`LocalTimeStamper`] checks this TSA's tokens against: its root, and the TSA
    /// certificate's path once verified.
    trust: TsaTrust,
}

impl fmt::Debug for DevTsa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DevTsa")
            .field("signer", &self.inner.signer)
            .field("subject", &self.inner.certificate.tbs_certificate.subject)
            .field("policy", &self.inner.policy)
            .finish_non_exhaustive()
    }
}

/// Why a request is refused: the failure bit and a text for the requester.
struct Refusal {
    bit: u32,
    text: &'static str,
}

/// `TimeStampReq` (RFC 3161 §2.4.1) with the version as a plain integer, so that an
/// unsupported version is told apart (badRequest) from an undecodable request
/// (badDataFormat).
#[derive(Clone, Debug, Sequence)]
struct IncomingRequest {
    version: u32,
    message_imprint: MessageImprint,
    #[asn1(optional = "true")]
    req_policy: Option<ObjectIdentifier>,
    #[asn1(optional = "true")]
    nonce: Option<Int>,
    #[asn1(default = "Default::default")]
    cert_req: bool,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    extensions: Option<Extensions>,
}

impl DevTsa {
    /// A TSA signing with the token key pair `key_label` under `certificate`, whose issuers
    /// up to the root are `chain` (may be empty for a self-signed certificate), issuing
    /// tokens under `policy`.
    ///
    /// Checks, in the spirit of rustls' `CertifiedKey`, that `certificate` is for the token
    /// key and is a time-stamping certificate (critical EKU id-kp-timeStamping only).
    pub fn new(
        hsm: &Hsm,
        key_label: &str,
        certificate: Certificate,
        chain: Vec<Certificate>,
        policy: ObjectIdentifier,
    ) -> crate::Result<Self> {
        let signer = KeySigner::new(hsm, key_label)?;
        check_certificate_matches_key(&certificate, signer.public_key(), key_label)?;
        check_tsa_usage(&certificate).map_err(|reason| TimestampError::NotTsaCertificate {
            subject: certificate.tbs_certificate.subject.to_string(),
            reason,
        })?;
        let signing_certificate_v2 = signing_certificate_v2(&certificate)?;
        let trust = TsaTrust::new(vec![chain.last().unwrap_or(&certificate).clone()]);

        let mut serial_prefix = [0u8; 4];
        OsRng.fill_bytes(&mut serial_prefix);
        // Positive and minimally encoded: first byte 0x01..=0x7f.
        serial_prefix[0] = serial_prefix[0] % 0x7f + 1;
        let start = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_micros();
        let start = u64::try_from(start).unwrap_or(u64::MAX / 2);

        tracing::info!(
            subject = %certificate.tbs_certificate.subject,
            %policy,
            "development time-stamping unit ready (NOT QUALIFIED)"
        );
        Ok(Self {
            inner: Arc::new(Inner {
                signer,
                certificate,
                chain,
                policy,
                signing_certificate_v2,
                serial_prefix,
                counter: AtomicU64::new(start),
                trust,
            }),
        })
    }

    /// The development PKI's time-stamping unit: key `dev-tsa`, certificate `tsa.pem`, issued
    /// by the development root.
    pub fn from_dev_pki(hsm: &Hsm, pki: &DevPki, policy: ObjectIdentifier) -> crate::Result<Self> {
        Self::new(
            hsm,
            Role::Tsa.key_label(),
            pki.tsa.clone(),
            vec![pki.root.clone()],
            policy,
        )
    }

    /// The TSA certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.inner.certificate
    }

    /// The TSA policy OID every token carries.
    pub fn policy(&self) -> ObjectIdentifier {
        self.inner.policy
    }

    /// The certificates a relying party trusts to verify this TSA's tokens: the last of the
    /// chain (the root), or the TSA certificate itself when the chain is empty.
    pub fn trust_roots(&self) -> Vec<Certificate> {
        self.inner.trust.roots().to_vec()
    }

    /// Answers the DER `TimeStampReq` `request_der` with a DER `TimeStampResp`, `now` being
    /// the time to certify (EVD-02).
    ///
    /// Granted with a token for a valid request; otherwise status rejection with failInfo:
    /// badDataFormat (not a DER `TimeStampReq`, digest of the wrong length), badRequest
    /// (version other than v1), badAlg (hash other than SHA-256/384/512), unacceptedPolicy
    /// (another `reqPolicy` than ours), unacceptedExtension (any extension), systemFailure
    /// (the token failed to sign). Never panics on its input.
    ///
    /// Blocks on PKCS#11: from async code, call it through `spawn_blocking`.
    pub fn respond(&self, request_der: &[u8], now: SystemTime) -> Vec<u8> {
        let encoded = match self.grant(request_der, now) {
            Ok(token) => encode_response(PkiStatus::Granted, None, None, Some(&token)),
            Err(refusal) => {
                tracing::info!(
                    fail_info = %FailureInfo::bit(refusal.bit).names(),
                    reason = refusal.text,
                    "development TSA refused a request"
                );
                encode_response(
                    PkiStatus::Rejection,
                    Some(FailureInfo::bit(refusal.bit)),
                    Some(refusal.text),
                    None,
                )
            }
        };
        encoded.unwrap_or_else(|e| {
            tracing::error!(error = %e, "development TSA cannot encode its response");
            SYSTEM_FAILURE_RESPONSE.to_vec()
        })
    }

    /// The token for `request_der`, or why it is refused.
    fn grant(&self, request_der: &[u8], now: SystemTime) -> Result<Vec<u8>, Refusal> {
        let refuse = |bit, text| Refusal { bit, text };
        let request = IncomingRequest::from_der(request_der).map_err(|_| {
            refuse(
                FailureInfo::BAD_DATA_FORMAT,
                "the request is not a DER-encoded TimeStampReq",
            )
        })?;
        if request.version != 1 {
            return Err(refuse(
                FailureInfo::BAD_REQUEST,
                "only TimeStampReq version 1 is supported",
            ));
        }
        let algorithm = &request.message_imprint.hash_algorithm;
        let hash = Hash::from_digest_oid(algorithm.oid).ok_or_else(|| {
            refuse(
                FailureInfo::BAD_ALG,
                "unsupported hash algorithm: use SHA-256, SHA-384 or SHA-512",
            )
        })?;
        if algorithm
            .parameters
            .as_ref()
            .is_some_and(|p| p.tag() != Tag::Null)
        {
            return Err(refuse(
                FailureInfo::BAD_ALG,
                "hash algorithm parameters must be absent or NULL",
            ));
        }
        if request.message_imprint.hashed_message.as_bytes().len() != hash.output_len() {
            return Err(refuse(
                FailureInfo::BAD_DATA_FORMAT,
                "the hashed message does not have the hash algorithm's length",
            ));
        }
        if request
            .req_policy
            .is_some_and(|policy| policy != self.inner.policy)
        {
            return Err(refuse(
                FailureInfo::UNACCEPTED_POLICY,
                "the requested TSA policy is not this TSA's policy",
            ));
        }
        if request.extensions.is_some() {
            return Err(refuse(
                FailureInfo::UNACCEPTED_EXTENSION,
                "this TSA supports no request extension",
            ));
        }
        self.issue(&request, now).map_err(|error| {
            tracing::error!(%error, "development TSA failed to issue a token");
            refuse(
                FailureInfo::SYSTEM_FAILURE,
                "the time-stamping unit failed to sign",
            )
        })
    }

    /// Builds and signs the token (DER `ContentInfo`).
    fn issue(&self, request: &IncomingRequest, now: SystemTime) -> Result<Vec<u8>, String> {
        let inner = &self.inner;
        let cert = &inner.certificate.tbs_certificate;
        let seconds = now
            .duration_since(UNIX_EPOCH)
            .map_err(|_| "the clock is before 1970".to_owned())?
            .as_secs();
        let gen_time = GeneralizedTime::from_unix_duration(Duration::from_secs(seconds))
            .map_err(|e| format!("genTime: {e}"))?;
        let tst_info = TstInfo {
            version: TspVersion::V1,
            policy: inner.policy,
            message_imprint: request.message_imprint.clone(),
            serial_number: Int::new(&self.next_serial()).map_err(|e| e.to_string())?,
            gen_time,
            accuracy: Some(Accuracy {
                seconds: Some(1),
                millis: None,
                micros: None,
            }),
            ordering: false,
            nonce: request.nonce.clone(),
            tsa: Some(GeneralName::DirectoryName(cert.subject.clone())),
            extensions: None,
        };
        let tst_der = tst_info.to_der().map_err(|e| format!("TSTInfo: {e}"))?;
        let encap = EncapsulatedContentInfo {
            econtent_type: ID_CT_TST_INFO,
            econtent: Some(Any::new(Tag::OctetString, tst_der).map_err(|e| e.to_string())?),
        };
        let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.issuer.clone(),
            serial_number: cert.serial_number.clone(),
        });
        // RFC 5754 §2: the SHA-2 AlgorithmIdentifier parameters are absent.
        let digest_algorithm = AlgorithmIdentifierOwned {
            oid: rfc5912::ID_SHA_256,
            parameters: None,
        };
        let mut builder =
            SignerInfoBuilder::new(&inner.signer, sid, digest_algorithm.clone(), &encap, None)
                .map_err(|e| e.to_string())?;
        // The builder adds content-type and message-digest itself, and sorts the SET.
        builder
            .add_signed_attribute(inner.signing_certificate_v2.clone())
            .map_err(|e| e.to_string())?;
        let signer_info = builder
            .build::<rsa::pkcs1v15::Signature>()
            .map_err(|e| format!("signing in the token: {e}"))?;

        let certificates = if request.cert_req {
            let mut choices = vec![CertificateChoices::Certificate(inner.certificate.clone())];
            choices.extend(
                inner
                    .chain
                    .iter()
                    .filter(|c| c.tbs_certificate.subject != c.tbs_certificate.issuer)
                    .cloned()
                    .map(CertificateChoices::Certificate),
            );
            Some(CertificateSet::try_from(choices).map_err(|e| e.to_string())?)
        } else {
            None
        };
        let signed_data = SignedData {
            // RFC 5652 §5.1: 3, the encapsulated content is not id-data.
            version: CmsVersion::V3,
            digest_algorithms: SetOfVec::try_from(vec![digest_algorithm])
                .map_err(|e| e.to_string())?,
            encap_content_info: encap,
            certificates,
            crls: None,
            signer_infos: SignerInfos::try_from(vec![signer_info]).map_err(|e| e.to_string())?,
        };
        ContentInfo {
            content_type: rfc5911::ID_SIGNED_DATA,
            content: Any::encode_from(&signed_data).map_err(|e| e.to_string())?,
        }
        .to_der()
        .map_err(|e| e.to_string())
    }

    /// The next serial number's INTEGER content bytes (12 bytes, positive).
    fn next_serial(&self) -> [u8; 12] {
        let counter = self.inner.counter.fetch_add(1, Ordering::Relaxed);
        let mut serial = [0u8; 12];
        serial[..4].copy_from_slice(&self.inner.serial_prefix);
        serial[4..].copy_from_slice(&counter.to_be_bytes());
        serial
    }
}

/// The signing-certificate-v2 attribute (RFC 5035 §3, RFC 5816) for `certificate`.
fn signing_certificate_v2(certificate: &Certificate) -> crate::Result<Attribute> {
    let cert_hash = Sha256::digest(certificate.to_der()?);
    let value = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            // SHA-256 is the DEFAULT: omitted, as DER requires.
            hash_algorithm: None,
            cert_hash: OctetString::new(cert_hash.as_slice())?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    certificate.tbs_certificate.issuer.clone(),
                )],
                serial_number: certificate.tbs_certificate.serial_number.clone(),
            }),
        }],
        policies: None,
    };
    Ok(Attribute {
        oid: rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2,
        values: SetOfVec::try_from(vec![Any::encode_from(&value)?])?,
    })
}

/// The development TSA used in-process as a [`TimeStamper`] (`tsa.url = "builtin"`): the
/// request goes to [`DevTsa::respond`], and the answer through the same checks as any TSA's
/// ([`super::verify_token`], trusting the development root, the TSA certificate's path
/// verified once: [`TsaTrust`]).
///
/// PKCS#11 signing blocks: [`LocalTimeStamper::timestamp_blocking`] does it all on the calling
/// thread (for a caller already on a blocking thread, e.g. a server sealing in
/// `spawn_blocking`); the async [`TimeStamper::timestamp`] hands it to a few long-lived worker
/// threads (no thread per token).
#[derive(Clone, Debug)]
pub struct LocalTimeStamper(pub DevTsa);

impl LocalTimeStamper {
    /// A checked token over `digest`, obtained on the calling thread, which blocks on the
    /// token (PKCS#11). The answer is checked as any token (structure, imprint, nonce, the TSA
    /// certificate's path) but for its signature, which the token checked when it made it
    /// ([`KeySigner`]).
    pub fn timestamp_blocking(&self, digest: &[u8; 32]) -> Result<TimeStampToken, TimestampError> {
        let tsa = &self.0;
        let request = TimeStampRequest::new(digest, Some(tsa.policy()))?;
        let response = tsa.respond(&request.der, SystemTime::now());
        let token = token_from_response(&response)?;
        let verified = tsa.inner.trust.verify(
            &token,
            digest,
            Some(&request.nonce),
            TokenSignature::CheckedWhereMade,
        )?;
        Ok(verified.into())
    }
}

#[async_trait::async_trait]
impl TimeStamper for LocalTimeStamper {
    async fn timestamp(&self, digest: &[u8; 32]) -> Result<TimeStampToken, TimestampError> {
        let stamper = self.clone();
        let digest = *digest;
        run_blocking(move || stamper.timestamp_blocking(&digest))
            .await
            .ok_or_else(|| TimestampError::LocalTsa {
                reason: "its worker thread could not start or panicked".to_owned(),
            })?
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "unit tests")]

    use super::*;

    #[test]
    fn system_failure_fallback_is_what_the_encoder_writes() {
        let encoded = encode_response(
            PkiStatus::Rejection,
            Some(FailureInfo::bit(FailureInfo::SYSTEM_FAILURE)),
            None,
            None,
        )
        .unwrap();
        assert_eq!(encoded, SYSTEM_FAILURE_RESPONSE);
    }
}
