//! The development OCSP responder (RFC 6960) — **NOT QUALIFIED**: [`DevRevocation::respond`].

use std::time::{Duration, SystemTime};

use const_oid::AssociatedOid;
use der::{Decode, Encode};
use sha1::Sha1;
use sha2::Sha256;
use signature::Signer;
use spki::{DynSignatureAlgorithmIdentifier, SignatureBitStringEncoding};
use x509_cert::Certificate;
use x509_cert::ext::Extension;
use x509_cert::serial_number::SerialNumber;
use x509_ocsp::{
    BasicOcspResponse, CertId, CertStatus, OcspGeneralizedTime, OcspRequest, OcspResponse,
    OcspResponseStatus, ResponderId, ResponseData, RevokedInfo, SingleResponse, Version,
};

use super::revocation::{DevRevocation, IssuerHashes, sign_error};
use crate::Result;

/// How long an OCSP response is current: its nextUpdate is thisUpdate plus one day.
pub const OCSP_VALIDITY: Duration = Duration::from_secs(86_400);

/// At most this many certificates per request: each costs nothing to answer, but a request
/// is not a way to make the responder sign megabytes.
const MAX_REQUESTS: usize = 32;

/// A nonce extension longer than this (DER of its value) is not echoed. RFC 8954 §2.1: "An
/// OCSP responder that supports the Nonce extension MUST accept Nonce lengths of at least 16
/// octets and up to and including 32 octets"; openssl sends 16.
const MAX_NONCE_VALUE: usize = 64;

/// `OCSPResponse` with status internalError (RFC 6960 §4.2.1), for the (never expected) case
/// where even a response without a body cannot be encoded.
///
/// ```text
/// 30 03            OCSPResponse
///    0A 01 02      responseStatus internalError
/// ```
const INTERNAL_ERROR_RESPONSE: [u8; 5] = [0x30, 0x03, 0x0a, 0x01, 0x02];

impl DevRevocation {
    /// Answers the DER `OCSPRequest` `request_der` with a DER `OCSPResponse` at `now`.
    ///
    /// - malformedRequest: not a DER `OCSPRequest`, no certificate asked about, or more than
    ///   32;
    /// - unauthorized: a CertID for another issuer than the root, or hashed with another
    ///   algorithm than SHA-1 or SHA-256 (the responder cannot tell whose it is) — RFC 6960
    ///   §2.3, "the server is not capable of responding authoritatively";
    /// - successful otherwise: a `BasicOCSPResponse` signed sha256WithRSAEncryption by the
    ///   root key, responderID byKey (the root's key hash), producedAt and thisUpdate `now`,
    ///   nextUpdate `now` + [`OCSP_VALIDITY`], the request's nonce extension echoed, the root
    ///   certificate in `certs`; one SingleResponse per CertID, echoing it, with status
    ///   *revoked* for a certificate declared revoked, *good* for one the root issued
    ///   ([`super::DevPki::has_issued`]: the seal and TSA certificates, current and earlier),
    ///   *unknown* for any other serial number (RFC 6960 §2.2: the responder does not know
    ///   the certificate);
    /// - internalError: the token failed to sign.
    ///
    /// A signed request is answered like an unsigned one (its signature is not required, so
    /// not checked). Never panics on its input. Blocks on PKCS#11 for a successful response:
    /// from async code, call it through `spawn_blocking`.
    pub fn respond(&self, request_der: &[u8], now: SystemTime) -> Vec<u8> {
        let response = match self.answer(request_der, now) {
            Ok(response) => response,
            Err(Refusal::Status(status, reason)) => {
                tracing::info!(
                    ?status,
                    reason,
                    "development OCSP responder refused a request"
                );
                without_body(status)
            }
            Err(Refusal::Failed(error)) => {
                tracing::error!(%error, "development OCSP responder cannot answer");
                without_body(OcspResponseStatus::InternalError)
            }
        };
        response.to_der().unwrap_or_else(|error| {
            tracing::error!(%error, "development OCSP responder cannot encode its response");
            INTERNAL_ERROR_RESPONSE.to_vec()
        })
    }

    /// The DER `OCSPResponse` for `certificate` at `now`, without a request from the outside:
    /// what a requester asking about it with a SHA-1 CertID and no nonce (the form validators
    /// accept in a PDF's DSS, RFC 6960 and ETSI EN 319 142-1 §5.4) would get from
    /// [`Self::respond`] (*unknown* for a certificate the root did not issue). For embedding
    /// validation data at sealing time (PAdES-B-LT). Blocks on PKCS#11.
    pub fn response_for(&self, certificate: &Certificate, now: SystemTime) -> Result<Vec<u8>> {
        let request = crate::revinfo::request_der(certificate, &self.inner.pki.root)?;
        match self.answer(&request, now) {
            Ok(response) => Ok(response.to_der()?),
            Err(Refusal::Failed(error)) => Err(error),
            Err(Refusal::Status(status, reason)) => Err(crate::Error::OcspRefused {
                status: format!("{status:?}"),
                reason,
            }),
        }
    }

    fn answer(&self, request_der: &[u8], now: SystemTime) -> Result<OcspResponse, Refusal> {
        let malformed = |reason| Refusal::Status(OcspResponseStatus::MalformedRequest, reason);
        let request = OcspRequest::from_der(request_der)
            .map_err(|_| malformed("not a DER-encoded OCSPRequest"))?;
        let list = &request.tbs_request.request_list;
        if list.is_empty() {
            return Err(malformed("no certificate asked about"));
        }
        if list.len() > MAX_REQUESTS {
            return Err(malformed("too many certificates in one request"));
        }
        let this_update = ocsp_time(now)?;
        let next_update = ocsp_time(now + OCSP_VALIDITY)?;
        let responses = list
            .iter()
            .map(|single| {
                let cert_id = &single.req_cert;
                if !self.is_issuer_of(cert_id) {
                    return Err(Refusal::Status(
                        OcspResponseStatus::Unauthorized,
                        "a certificate of another issuer, or a hash other than SHA-1/SHA-256",
                    ));
                }
                Ok(SingleResponse {
                    cert_id: cert_id.clone(),
                    cert_status: self.status(&cert_id.serial_number)?,
                    this_update,
                    next_update: Some(next_update),
                    single_extensions: None,
                })
            })
            .collect::<Result<Vec<_>, Refusal>>()?;
        let nonce = request
            .tbs_request
            .request_extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id == const_oid::db::rfc6960::ID_PKIX_OCSP_NONCE)
            .filter(|e| e.extn_value.as_bytes().len() <= MAX_NONCE_VALUE)
            .map(|e| Extension {
                critical: false,
                ..e.clone()
            });
        let inner = &self.inner;
        let data = ResponseData {
            version: Version::V1,
            responder_id: ResponderId::ByKey(inner.key_id.clone()),
            produced_at: this_update,
            responses,
            response_extensions: nonce.map(|nonce| vec![nonce]),
        };
        let what = "an OCSP response";
        let signature_algorithm = inner
            .signer
            .signature_algorithm_identifier()
            .map_err(|e| sign_error(what, signature::Error::from_source(e)))?;
        let signature: rsa::pkcs1v15::Signature = inner
            .signer
            .try_sign(&data.to_der().map_err(crate::Error::from)?)
            .map_err(|e| sign_error(what, e))?;
        let basic = BasicOcspResponse {
            tbs_response_data: data,
            signature_algorithm,
            signature: signature.to_bitstring().map_err(crate::Error::from)?,
            certs: Some(vec![inner.pki.root.clone()]),
        };
        Ok(OcspResponse::successful(basic).map_err(crate::Error::from)?)
    }

    /// Whether `cert_id` names the root as issuer (name and key hashes, SHA-1 or SHA-256).
    fn is_issuer_of(&self, cert_id: &CertId) -> bool {
        let inner = &self.inner;
        let hashes: &IssuerHashes = match cert_id.hash_algorithm.oid {
            oid if oid == Sha1::OID => &inner.sha1,
            oid if oid == Sha256::OID => &inner.sha256,
            _ => return false,
        };
        cert_id.issuer_name_hash.as_bytes() == hashes.name
            && cert_id.issuer_key_hash.as_bytes() == hashes.key
    }

    /// The status of the root's certificate `serial`.
    fn status(&self, serial: &SerialNumber) -> Result<CertStatus> {
        let inner = &self.inner;
        if let Some(revoked) = inner.revoked.iter().find(|r| &r.serial == serial) {
            return Ok(CertStatus::Revoked(RevokedInfo {
                revocation_time: ocsp_time(revoked.at)?,
                revocation_reason: None,
            }));
        }
        Ok(if inner.pki.has_issued(serial) {
            CertStatus::good()
        } else {
            CertStatus::unknown()
        })
    }
}

/// Why a request gets no successful response.
enum Refusal {
    /// A status other than successful, and why (for the log).
    Status(OcspResponseStatus, &'static str),
    /// The response could not be made: internalError.
    Failed(crate::Error),
}

impl From<crate::Error> for Refusal {
    fn from(error: crate::Error) -> Self {
        Refusal::Failed(error)
    }
}

fn without_body(status: OcspResponseStatus) -> OcspResponse {
    OcspResponse {
        response_status: status,
        response_bytes: None,
    }
}

/// An OCSP time (GeneralizedTime, whole seconds).
fn ocsp_time(at: SystemTime) -> Result<OcspGeneralizedTime> {
    Ok(OcspGeneralizedTime::try_from(at)?)
}
