//! Validation data from the development PKI (**NOT QUALIFIED**): its root's CRL and OCSP
//! responses, signed in the token.

use std::time::SystemTime;

use super::{ValidationData, embedded_certificates, signature_certificates};
use crate::pki::DevRevocation;

impl ValidationData {
    /// The validation data of `pdf`'s signatures under the development PKI at `now`: the
    /// certificates its signatures and time-stamp tokens carry ([`embedded_certificates`]:
    /// the seal's, the TSA's of every time-stamp) and the root; the root's CRL; an OCSP
    /// response for each certificate of the *latest* signature the root issued — on the
    /// first extension the seal's and its signature time-stamp's TSA, on a renewal the
    /// previous document time-stamp's TSA. Earlier signatures' revocation data are already
    /// in the DSS and covered by a document time-stamp, so a renewal does not repeat them.
    ///
    /// Blocks on PKCS#11 (the root signs the CRL and the responses): from async code, call it
    /// through `spawn_blocking`. Fails when `pdf` holds no readable signature
    /// ([`crate::pades::PadesError::Extend`]) or the token cannot sign.
    pub fn for_dev_pki(
        pdf: &[u8],
        revocation: &DevRevocation,
        now: SystemTime,
    ) -> crate::Result<Self> {
        let root = revocation.root();
        let mut data = ValidationData::default();
        for cert in &embedded_certificates(pdf)? {
            data.add_certificate(cert)?;
        }
        let latest = signature_certificates(pdf)?.pop().unwrap_or_default();
        for cert in &latest {
            if cert.tbs_certificate.issuer == root.tbs_certificate.subject && cert != root {
                data.add_ocsp(revocation.response_for(cert, now)?);
            }
        }
        data.add_certificate(root)?;
        data.add_crl(revocation.crl(now)?);
        Ok(data)
    }
}
