//! Where the development PKI publishes its certificates and revocation data, and the two
//! extensions that carry those addresses in the seal and TSA certificates.

use const_oid::db::rfc5280::{ID_AD_CA_ISSUERS, ID_AD_OCSP};
use der::asn1::Ia5String;
use x509_cert::Certificate;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{AccessDescription, AuthorityInfoAccessSyntax, CrlDistributionPoints};
use x509_cert::ext::{AsExtension, Extension};
use x509_cert::name::Name;

use crate::{Error, Result};

/// The development root's publication points under the service's public base URL, e.g.
/// `http://127.0.0.1:3000`:
///
/// | what                      | path              | served as                         |
/// |---------------------------|-------------------|-----------------------------------|
/// | CRL (RFC 5280 §5)         | `/pki/root.crl`   | `application/pkix-crl`, DER       |
/// | OCSP responder (RFC 6960) | `/pki/ocsp`       | `application/ocsp-response`       |
/// | issuer certificate        | `/pki/root.cer`   | `application/pkix-cert`, DER      |
///
/// The issuer certificate is the DER `root.cer`, not `root.pem`: RFC 5280 §4.2.2.1 says an
/// HTTP caIssuers URI "MUST point to either a single DER encoded certificate [...] or a
/// collection of certificates in a BER or DER encoded "certs-only" CMS message".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Addresses {
    crl: String,
    ocsp: String,
    ca_issuers: String,
}

impl Addresses {
    /// The publication points under `public_url` (a trailing `/` is ignored). Refused
    /// ([`Error::PublicUrl`]) unless it is an `http://` or `https://` URL in ASCII (a
    /// certificate's URIs are IA5 strings).
    pub fn new(public_url: &str) -> Result<Self> {
        let base = public_url.trim_end_matches('/');
        let usable = (base.starts_with("http://") || base.starts_with("https://"))
            && base.is_ascii()
            && !base.chars().any(|c| c.is_ascii_control() || c == ' ');
        if !usable {
            return Err(Error::PublicUrl {
                url: public_url.to_owned(),
            });
        }
        Ok(Self {
            crl: format!("{base}/pki/root.crl"),
            ocsp: format!("{base}/pki/ocsp"),
            ca_issuers: format!("{base}/pki/root.cer"),
        })
    }

    /// The CRL distribution point.
    pub fn crl(&self) -> &str {
        &self.crl
    }

    /// The OCSP responder.
    pub fn ocsp(&self) -> &str {
        &self.ocsp
    }

    /// The issuer (root) certificate, DER.
    pub fn ca_issuers(&self) -> &str {
        &self.ca_issuers
    }

    /// RFC 5280 §4.2.1.13, one distribution point with the CRL's URI as its full name:
    ///
    /// ```text
    /// CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint
    /// DistributionPoint ::= SEQUENCE {
    ///      distributionPoint       [0]     DistributionPointName OPTIONAL,
    ///      reasons                 [1]     ReasonFlags OPTIONAL,
    ///      cRLIssuer               [2]     GeneralNames OPTIONAL }
    /// ```
    pub(super) fn crl_distribution_points(&self) -> Result<CrlDistributionPoints> {
        Ok(CrlDistributionPoints(vec![DistributionPoint {
            distribution_point: Some(DistributionPointName::FullName(vec![uri(&self.crl)?])),
            reasons: None,
            crl_issuer: None,
        }]))
    }

    /// RFC 5280 §4.2.2.1, the OCSP responder then the issuer's certificate:
    ///
    /// ```text
    /// AuthorityInfoAccessSyntax  ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
    /// AccessDescription  ::=  SEQUENCE {
    ///         accessMethod          OBJECT IDENTIFIER,
    ///         accessLocation        GeneralName  }
    /// ```
    pub(super) fn authority_info_access(&self) -> Result<AuthorityInfoAccessSyntax> {
        Ok(AuthorityInfoAccessSyntax(vec![
            AccessDescription {
                access_method: ID_AD_OCSP,
                access_location: uri(&self.ocsp)?,
            },
            AccessDescription {
                access_method: ID_AD_CA_ISSUERS,
                access_location: uri(&self.ca_issuers)?,
            },
        ]))
    }

    /// Whether `cert` carries exactly these addresses (both extensions, same encoding).
    pub fn carried_by(&self, cert: &Certificate) -> bool {
        let subject = &cert.tbs_certificate.subject;
        let expected = |extension: Result<Extension>| {
            let Ok(extension) = extension else {
                return false;
            };
            cert.tbs_certificate
                .extensions
                .iter()
                .flatten()
                .any(|present| present == &extension)
        };
        expected(
            self.crl_distribution_points()
                .and_then(|e| as_extension(&e, subject)),
        ) && expected(
            self.authority_info_access()
                .and_then(|e| as_extension(&e, subject)),
        )
    }
}

fn uri(url: &str) -> Result<GeneralName> {
    Ok(GeneralName::UniformResourceIdentifier(Ia5String::new(url)?))
}

fn as_extension(extension: &impl AsExtension, subject: &Name) -> Result<Extension> {
    Ok(extension.to_extension(subject, &[])?)
}
