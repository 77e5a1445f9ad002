//! New seal keys (issue 13, OPS-06): the development root certifies a seal key generated under
//! dual control, and any token key yields its certificate signing request (PKCS#10, RFC 2986)
//! for a production certification authority. The private key never leaves the token: the
//! request is signed by it through [`KeySigner`].

use std::str::FromStr;
use std::time::SystemTime;

use der::EncodePem;
use rsa::pkcs1v15::Signature;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, RequestBuilder};
use x509_cert::name::Name;

use super::{DAY, DevPki, Issuer, Role, issue, keep_issued};
use crate::hsm::{Hsm, KeySigner};
use crate::{Error, Result};

impl DevPki {
    /// Issues a development seal certificate (**NOT QUALIFIED**, the profile of `seal.pem`) for
    /// the token's key pair `label`, signed by the development root key, valid from a day
    /// before `now`; kept in `issued/`, so that the root's OCSP responder answers for it.
    pub fn issue_seal_certificate(
        &self,
        hsm: &Hsm,
        label: &str,
        now: SystemTime,
    ) -> Result<Certificate> {
        let root_signer = KeySigner::new(hsm, Role::Root.key_label())?;
        let key = hsm.public_key(label)?;
        let issuer = Issuer {
            name: &self.root.tbs_certificate.subject,
            end: self
                .root
                .tbs_certificate
                .validity
                .not_after
                .to_system_time(),
            addresses: &self.addresses,
        };
        let not_before = now.checked_sub(DAY).unwrap_or(now);
        let cert = issue(Role::Seal, &key, &root_signer, Some(issuer), not_before)?;
        keep_issued(&self.dir, &cert)?;
        Ok(cert)
    }
}

/// The certificate signing request (PKCS#10, PEM) of the token's key pair `label` for the
/// subject `subject` (RFC 4514 string), signed in the token by that key.
pub fn certificate_request(hsm: &Hsm, label: &str, subject: &str) -> Result<String> {
    let signer = KeySigner::new(hsm, label)?;
    let subject = Name::from_str(subject)?;
    let issue_error = |source| Error::Issue {
        subject: subject.to_string(),
        source,
    };
    let request = RequestBuilder::new(subject.clone(), &signer)
        .map_err(issue_error)?
        .build::<Signature>()
        .map_err(issue_error)?;
    Ok(request.to_pem(der::pem::LineEnding::LF)?)
}
