//! [`DevRevocation`]: the revocation data of the development root — **NOT QUALIFIED** —
//! CRLs here, OCSP responses in [`super::ocsp`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use der::Encode;
use der::asn1::{OctetString, Uint, UtcTime};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use signature::Signer;
use spki::{DynSignatureAlgorithmIdentifier, SignatureBitStringEncoding};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::AsExtension;
use x509_cert::ext::pkix::crl::CrlNumber;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, SubjectKeyIdentifier};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;
use x509_cert::{Certificate, Version};

use super::{DevPki, Role};
use crate::hsm::{Hsm, KeySigner};
use crate::{Error, Result};

/// How long a CRL is current: its nextUpdate is thisUpdate plus seven days.
pub const CRL_VALIDITY: Duration = Duration::from_secs(7 * 86_400);

/// A certificate the development root declares revoked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revoked {
    /// The certificate's serial number.
    pub serial: SerialNumber,
    /// When it was revoked.
    pub at: SystemTime,
}

/// The development root's revocation services (**NOT QUALIFIED**): CRLs ([`Self::crl`]) and
/// an OCSP responder ([`Self::respond`]), both signed by the token key `dev-root` through
/// [`KeySigner`] — the CA is its own CRL issuer and OCSP responder (RFC 6960 §4.2.2.2). The
/// server serves them at the [`super::Addresses`] the seal and TSA certificates carry.
///
/// Nothing is revoked in normal operation; a test declares revoked certificates with
/// [`Self::new`]. Cheap to clone; `Send + Sync`. Signing blocks on PKCS#11: from async code,
/// call it through `spawn_blocking`.
#[derive(Clone)]
pub struct DevRevocation {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) signer: KeySigner,
    pub(super) pki: DevPki,
    pub(super) revoked: Vec<Revoked>,
    /// The root's key identifier: SHA-1 of its public key's bits (RFC 5280 §4.2.1.2 method
    /// 1), OCSP's `KeyHash` (RFC 6960 §4.2.1).
    pub(super) key_id: OctetString,
    /// The root's name and key hashed as CertIDs hash them, with SHA-1 and SHA-256.
    pub(super) sha1: IssuerHashes,
    pub(super) sha256: IssuerHashes,
}

/// `issuerNameHash` and `issuerKeyHash` of a CertID (RFC 6960 §4.1.1) for the root.
pub(super) struct IssuerHashes {
    pub(super) name: Vec<u8>,
    pub(super) key: Vec<u8>,
}

impl IssuerHashes {
    fn of<D: Digest>(root: &Certificate) -> Result<Self> {
        let tbs = &root.tbs_certificate;
        Ok(Self {
            name: D::digest(tbs.subject.to_der()?).to_vec(),
            key: D::digest(tbs.subject_public_key_info.subject_public_key.raw_bytes()).to_vec(),
        })
    }
}

impl fmt::Debug for DevRevocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DevRevocation")
            .field("signer", &self.inner.signer)
            .field("revoked", &self.inner.revoked)
            .finish_non_exhaustive()
    }
}

impl DevRevocation {
    /// The revocation services of `pki`'s root, whose key `dev-root` is in `hsm`; `revoked`
    /// lists the certificates to declare revoked (empty in normal operation).
    pub fn new(hsm: &Hsm, pki: &DevPki, revoked: Vec<Revoked>) -> Result<Self> {
        let signer = KeySigner::new(hsm, Role::Root.key_label())?;
        crate::check_certificate_matches_key(&pki.root, signer.public_key(), signer.label())?;
        let root = &pki.root;
        let key_id = OctetString::new(IssuerHashes::of::<Sha1>(root)?.key)?;
        Ok(Self {
            inner: Arc::new(Inner {
                signer,
                sha1: IssuerHashes::of::<Sha1>(root)?,
                sha256: IssuerHashes::of::<Sha256>(root)?,
                key_id,
                pki: pki.clone(),
                revoked,
            }),
        })
    }

    /// The root certificate, issuer of everything this answers for.
    pub fn root(&self) -> &Certificate {
        &self.inner.pki.root
    }

    /// The root's CRL (RFC 5280 §5), DER:
    ///
    /// - v2, signed sha256WithRSAEncryption by the root key, issuer the root's name;
    /// - thisUpdate `now`, nextUpdate `now` + [`CRL_VALIDITY`] (UTCTime until 2049, as
    ///   §5.1.2.4 asks);
    /// - the revoked certificates given to [`Self::new`], the list absent when there are none
    ///   (§5.1.2.6);
    /// - extensions cRLNumber (§5.2.3: the seconds since 1970 of thisUpdate, so that it grows
    ///   with every CRL without keeping a counter; two CRLs made within one second are the
    ///   same CRL) and authorityKeyIdentifier (§5.2.1, the root's key identifier), both
    ///   non-critical.
    pub fn crl(&self, now: SystemTime) -> Result<Vec<u8>> {
        let inner = &self.inner;
        let root = &inner.pki.root.tbs_certificate;
        let signature_algorithm = inner
            .signer
            .signature_algorithm_identifier()
            .map_err(|e| sign_error("a CRL", signature::Error::from_source(e)))?;
        let seconds = now
            .duration_since(UNIX_EPOCH)
            .map_err(|_| der::Error::from(der::ErrorKind::DateTime))?
            .as_secs();
        let number = CrlNumber(Uint::new(&seconds.to_be_bytes())?);
        let key_identifier = AuthorityKeyIdentifier {
            key_identifier: Some(root_key_identifier(&inner.pki.root, &inner.key_id)),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        let revoked = inner
            .revoked
            .iter()
            .map(|revoked| {
                Ok(RevokedCert {
                    serial_number: revoked.serial.clone(),
                    revocation_date: rfc5280_time(revoked.at)?,
                    crl_entry_extensions: None,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let tbs = TbsCertList {
            version: Version::V2,
            signature: signature_algorithm.clone(),
            issuer: root.subject.clone(),
            this_update: rfc5280_time(now)?,
            next_update: Some(rfc5280_time(now + CRL_VALIDITY)?),
            revoked_certificates: (!revoked.is_empty()).then_some(revoked),
            crl_extensions: Some(vec![
                number.to_extension(&root.subject, &[])?,
                key_identifier.to_extension(&root.subject, &[])?,
            ]),
        };
        let signature: rsa::pkcs1v15::Signature = inner
            .signer
            .try_sign(&tbs.to_der()?)
            .map_err(|e| sign_error("a CRL", e))?;
        let crl = CertificateList {
            tbs_cert_list: tbs,
            signature_algorithm,
            signature: signature.to_bitstring()?,
        };
        Ok(crl.to_der()?)
    }
}

/// The root's subjectKeyIdentifier if it has one (x509-cert's builder always adds it), else
/// `computed` (the same method 1 value).
fn root_key_identifier(root: &Certificate, computed: &OctetString) -> OctetString {
    root.tbs_certificate
        .get::<SubjectKeyIdentifier>()
        .ok()
        .flatten()
        .map_or_else(|| computed.clone(), |(_, ski)| ski.0)
}

/// A time for a CRL (RFC 5280 §5.1.2.4): "CRL issuers conforming to this profile MUST encode
/// thisUpdate as UTCTime for dates through the year 2049".
fn rfc5280_time(at: SystemTime) -> Result<Time> {
    match UtcTime::from_system_time(at) {
        Ok(utc) => Ok(Time::UtcTime(utc)),
        Err(_) => Ok(Time::try_from(at)?),
    }
}

pub(super) fn sign_error(what: &'static str, source: signature::Error) -> Error {
    Error::Sign { what, source }
}
