//! Whether a certificate is for a key: checked at start-up for the seal key and the
//! development TSA's key, whichever signer holds them.

use der::Encode;
use rsa::RsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use x509_cert::Certificate;

use crate::{Error, Result};

/// Checks that `cert` certifies `key`, the public key of the key pair `key_label` (a token key's
/// `CKA_LABEL`, or any name the caller gives a key).
///
/// Run at start-up, in the spirit of rustls' `CertifiedKey` check: a seal certificate that
/// does not match the token key would produce signatures no validator accepts.
pub fn check_certificate_matches_key(
    cert: &Certificate,
    key: &RsaPublicKey,
    key_label: &str,
) -> Result<()> {
    let subject = || cert.tbs_certificate.subject.to_string();
    let spki = cert.tbs_certificate.subject_public_key_info.to_der()?;
    let cert_key =
        RsaPublicKey::from_public_key_der(&spki).map_err(|source| Error::CertificateKey {
            subject: subject(),
            source,
        })?;
    if &cert_key != key {
        return Err(Error::CertificateKeyMismatch {
            subject: subject(),
            key_label: key_label.to_owned(),
        });
    }
    Ok(())
}
