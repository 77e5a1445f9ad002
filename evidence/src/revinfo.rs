//! Revocation data from a certification authority — CRLs (RFC 5280 §5) and OCSP responses
//! (RFC 6960) — for the long-term extension of evidence (PAdES-B-LT, docs/long-term.md) when
//! the seal or time-stamping certificates come from a real CA rather than the development PKI:
//!
//! - where a certificate says its issuer publishes them ([`ocsp_urls`]: the OCSP responders of
//!   its authority information access; [`crl_urls`]: its CRL distribution points);
//! - the OCSP request for its status ([`ocsp_request`]: a SHA-1 CertID and no nonce, the form
//!   a response embedded in a PDF is expected to answer);
//! - the checks that a response or a CRL vouches for that certificate ([`check_ocsp`],
//!   [`check_crl`]): signed by its issuer (or, for OCSP, by a responder the issuer delegated
//!   with id-kp-OCSPSigning), about this certificate, current at the given time, and not
//!   declaring it revoked;
//! - with the `tsa-http` feature, [`Fetcher`]: all of the above over HTTP, with a cache.
//!
//! Only RSA signatures are verified (as everywhere in this crate's verification).

use std::time::{Duration, SystemTime};

use const_oid::AssociatedOid;
use const_oid::db::rfc5280::{ID_AD_OCSP, ID_KP_OCSP_SIGNING};
use const_oid::db::rfc6960::ID_PKIX_OCSP_BASIC;
use der::asn1::OctetString;
use der::{Decode, Encode, Reader, SliceReader};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, CrlDistributionPoints, ExtendedKeyUsage};
use x509_ocsp::{
    CertId, OcspRequest, OcspResponse, OcspResponseStatus, Request, ResponderId, TbsRequest,
    Version,
};

use response::{BasicResponse, Status, generalized_time};

use crate::cms_verify::{extension, verify_issued_by, verify_signed};

#[cfg(feature = "tsa-http")]
mod fetch;
mod response;
#[cfg(feature = "tsa-http")]
pub use fetch::{Fetched, Fetcher};

/// A response or CRL dated this far in the future is still accepted (clocks differ).
const CLOCK_SKEW: Duration = Duration::from_secs(300);

/// Why revocation data was not obtained or not accepted.
#[derive(Debug, thiserror::Error)]
pub enum RevinfoError {
    /// The issuer declares the certificate revoked: nothing may be extended with it.
    #[error("\"{subject}\" is revoked (according to its issuer's {by})")]
    Revoked {
        /// The revoked certificate's subject.
        subject: String,
        /// `OCSP responder` or `CRL`.
        by: &'static str,
    },
    /// The response or CRL does not vouch for the certificate (what is wrong with it).
    #[error("{0}")]
    Invalid(String),
    /// The data could not be obtained.
    #[error("cannot fetch {url}: {reason}")]
    Fetch {
        /// The OCSP responder or CRL address.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// Every published address failed.
    #[error("no revocation data for \"{subject}\": {reasons}")]
    Unavailable {
        /// The certificate's subject.
        subject: String,
        /// Each address's failure.
        reasons: String,
    },
}

/// When a response or CRL was issued and until when it is current (`next_update`, when given).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Current {
    pub this_update: SystemTime,
    pub next_update: Option<SystemTime>,
}

impl Current {
    /// Issued no later than `now` (give or take the clock skew) and not stale at `now`.
    fn check(self, now: SystemTime, what: &str) -> Result<Self, RevinfoError> {
        if self.this_update > now + CLOCK_SKEW {
            return Err(RevinfoError::Invalid(format!(
                "the {what} is dated in the future"
            )));
        }
        if self.next_update.is_some_and(|next| next < now) {
            return Err(RevinfoError::Invalid(format!("the {what} is stale")));
        }
        Ok(self)
    }
}

/// The OCSP responders `cert`'s authority information access names (HTTP URIs).
pub fn ocsp_urls(cert: &Certificate) -> Vec<String> {
    extension(cert, AuthorityInfoAccessSyntax::OID)
        .and_then(|ext| AuthorityInfoAccessSyntax::from_der(ext.extn_value.as_bytes()).ok())
        .map(|aia| {
            aia.0
                .iter()
                .filter(|access| access.access_method == ID_AD_OCSP)
                .filter_map(|access| http_uri(&access.access_location))
                .collect()
        })
        .unwrap_or_default()
}

/// The CRL addresses of `cert`'s distribution points (HTTP URIs of their full names).
pub fn crl_urls(cert: &Certificate) -> Vec<String> {
    extension(cert, CrlDistributionPoints::OID)
        .and_then(|ext| CrlDistributionPoints::from_der(ext.extn_value.as_bytes()).ok())
        .map(|points| {
            points
                .0
                .iter()
                .filter_map(|point| match &point.distribution_point {
                    Some(DistributionPointName::FullName(names)) => Some(names),
                    _ => None,
                })
                .flatten()
                .filter_map(http_uri)
                .collect()
        })
        .unwrap_or_default()
}

fn http_uri(name: &GeneralName) -> Option<String> {
    match name {
        GeneralName::UniformResourceIdentifier(uri)
            if uri.as_str().starts_with("http://") || uri.as_str().starts_with("https://") =>
        {
            Some(uri.as_str().to_owned())
        }
        _ => None,
    }
}

/// `issuerNameHash` and `issuerKeyHash` of a CertID for `issuer` with the digest `D`.
fn issuer_hashes<D: Digest>(issuer: &Certificate) -> Result<(Vec<u8>, Vec<u8>), der::Error> {
    let tbs = &issuer.tbs_certificate;
    Ok((
        D::digest(tbs.subject.to_der()?).to_vec(),
        D::digest(tbs.subject_public_key_info.subject_public_key.raw_bytes()).to_vec(),
    ))
}

/// The DER `OCSPRequest` for `cert`'s status: one SHA-1 CertID, no nonce, unsigned.
pub fn ocsp_request(cert: &Certificate, issuer: &Certificate) -> Result<Vec<u8>, RevinfoError> {
    request_der(cert, issuer).map_err(|e| RevinfoError::Invalid(format!("OCSP request: {e}")))
}

/// [`ocsp_request`], for the development responder too (a request for the form of response
/// that validators accept in a PDF's DSS: RFC 6960, ETSI EN 319 142-1 §5.4).
pub(crate) fn request_der(cert: &Certificate, issuer: &Certificate) -> Result<Vec<u8>, der::Error> {
    let (name, key) = issuer_hashes::<Sha1>(issuer)?;
    OcspRequest {
        tbs_request: TbsRequest {
            version: Version::V1,
            requestor_name: None,
            request_list: vec![Request {
                req_cert: CertId {
                    hash_algorithm: AlgorithmIdentifierOwned {
                        oid: Sha1::OID,
                        parameters: Some(der::asn1::Null.into()),
                    },
                    issuer_name_hash: OctetString::new(name)?,
                    issuer_key_hash: OctetString::new(key)?,
                    serial_number: cert.tbs_certificate.serial_number.clone(),
                },
                single_request_extensions: None,
            }],
            request_extensions: None,
        },
        optional_signature: None,
    }
    .to_der()
}

/// The first TLV inside the DER SEQUENCE `der` (the signed part of a CRL or an OCSP basic
/// response), as received: what the signature covers.
fn signed_part(der: &[u8]) -> Result<&[u8], der::Error> {
    let mut reader = SliceReader::new(der)?;
    let header = der::Header::decode(&mut reader)?;
    header.tag.assert_eq(der::Tag::Sequence)?;
    reader.tlv_bytes()
}

/// Whether the DER `OCSPResponse` `der` says `cert` (issued by `issuer`) is good at `now`:
/// a successful basic response, signed by `issuer` or by a responder certificate `issuer`
/// issued for OCSP signing, with a SingleResponse for `cert` that is current and *good*.
pub fn check_ocsp(
    der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
    now: SystemTime,
) -> Result<Current, RevinfoError> {
    let invalid = |what: &str, e: &dyn std::fmt::Display| {
        RevinfoError::Invalid(format!("OCSP response: {what}: {e}"))
    };
    let response = OcspResponse::from_der(der).map_err(|e| invalid("not DER", &e))?;
    if response.response_status != OcspResponseStatus::Successful {
        return Err(RevinfoError::Invalid(format!(
            "the OCSP responder answers {:?}",
            response.response_status
        )));
    }
    let bytes = response
        .response_bytes
        .filter(|bytes| bytes.response_type == ID_PKIX_OCSP_BASIC)
        .ok_or_else(|| RevinfoError::Invalid("OCSP response: not a basic response".to_owned()))?;
    let body = bytes.response.as_bytes();
    let basic = BasicResponse::from_der(body).map_err(|e| invalid("basic response", &e))?;
    let signer = ocsp_signer(&basic, issuer)?;
    let tbs = signed_part(body).map_err(|e| invalid("basic response", &e))?;
    let signature = basic
        .signature
        .as_bytes()
        .ok_or_else(|| RevinfoError::Invalid("OCSP response: bad signature bits".to_owned()))?;
    verify_signed(signer, basic.signature_algorithm.oid, tbs, signature)
        .map_err(|e| invalid("signature", &e))?;
    let single = basic
        .tbs_response_data
        .responses
        .iter()
        .find(|single| is_about(&single.cert_id, cert, issuer))
        .ok_or_else(|| {
            RevinfoError::Invalid("OCSP response: nothing about this certificate".to_owned())
        })?;
    match Status::of(&single.cert_status) {
        Some(Status::Good) => {}
        Some(Status::Revoked) => {
            return Err(RevinfoError::Revoked {
                subject: cert.tbs_certificate.subject.to_string(),
                by: "OCSP responder",
            });
        }
        Some(Status::Unknown) => {
            return Err(RevinfoError::Invalid(
                "the OCSP responder does not know this certificate".to_owned(),
            ));
        }
        None => return Err(invalid("certificate status", &"not a CertStatus")),
    }
    let time = |time: &der::asn1::Any| {
        generalized_time(time).ok_or_else(|| invalid("time", &"not a GeneralizedTime"))
    };
    Current {
        this_update: time(&single.this_update)?,
        next_update: single.next_update.as_ref().map(time).transpose()?,
    }
    .check(now, "OCSP response")
}

/// Who signed `basic`: `issuer` itself, or a certificate of the response that `issuer` signed
/// and that carries id-kp-OCSPSigning (RFC 6960 §4.2.2.2).
fn ocsp_signer<'a>(
    basic: &'a BasicResponse,
    issuer: &'a Certificate,
) -> Result<&'a Certificate, RevinfoError> {
    let names = |cert: &Certificate| match &basic.tbs_response_data.responder_id {
        ResponderId::ByName(name) => *name == cert.tbs_certificate.subject,
        ResponderId::ByKey(hash) => {
            let key = cert
                .tbs_certificate
                .subject_public_key_info
                .subject_public_key
                .raw_bytes();
            hash.as_bytes() == Sha1::digest(key).as_slice()
        }
    };
    if names(issuer) {
        return Ok(issuer);
    }
    basic
        .certs
        .iter()
        .flatten()
        .find(|cert| {
            names(cert)
                && cert.tbs_certificate.issuer == issuer.tbs_certificate.subject
                && verify_issued_by(cert, issuer).is_ok()
                && extension(cert, ExtendedKeyUsage::OID)
                    .and_then(|ext| ExtendedKeyUsage::from_der(ext.extn_value.as_bytes()).ok())
                    .is_some_and(|eku| eku.0.contains(&ID_KP_OCSP_SIGNING))
        })
        .ok_or_else(|| {
            RevinfoError::Invalid(
                "OCSP response: signed neither by the issuer nor by its OCSP responder".to_owned(),
            )
        })
}

/// Whether `id` names `cert` issued by `issuer` (CertIDs hashed with SHA-1 or SHA-256).
fn is_about(id: &CertId, cert: &Certificate, issuer: &Certificate) -> bool {
    if id.serial_number != cert.tbs_certificate.serial_number {
        return false;
    }
    let hashes = match id.hash_algorithm.oid {
        oid if oid == Sha1::OID => issuer_hashes::<Sha1>(issuer),
        oid if oid == Sha256::OID => issuer_hashes::<Sha256>(issuer),
        _ => return false,
    };
    hashes.is_ok_and(|(name, key)| {
        id.issuer_name_hash.as_bytes() == name && id.issuer_key_hash.as_bytes() == key
    })
}

/// Whether the DER CRL `der` is `issuer`'s, signed by it, current at `now`, and does not list
/// `cert`.
pub fn check_crl(
    der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
    now: SystemTime,
) -> Result<Current, RevinfoError> {
    let invalid = |e: &dyn std::fmt::Display| RevinfoError::Invalid(format!("CRL: {e}"));
    let crl = CertificateList::from_der(der).map_err(|e| invalid(&e))?;
    let tbs = &crl.tbs_cert_list;
    if tbs.issuer != issuer.tbs_certificate.subject {
        return Err(invalid(&"issued by another CA"));
    }
    let signature = crl
        .signature
        .as_bytes()
        .ok_or_else(|| invalid(&"bad signature bits"))?;
    let signed = signed_part(der).map_err(|e| invalid(&e))?;
    verify_signed(issuer, crl.signature_algorithm.oid, signed, signature)
        .map_err(|e| invalid(&e))?;
    let serial = &cert.tbs_certificate.serial_number;
    if tbs
        .revoked_certificates
        .iter()
        .flatten()
        .any(|revoked| revoked.serial_number == *serial)
    {
        return Err(RevinfoError::Revoked {
            subject: cert.tbs_certificate.subject.to_string(),
            by: "CRL",
        });
    }
    Current {
        this_update: tbs.this_update.to_system_time(),
        next_update: tbs.next_update.map(|next| next.to_system_time()),
    }
    .check(now, "CRL")
}
