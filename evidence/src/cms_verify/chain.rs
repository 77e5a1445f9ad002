//! The certification path: from a signer certificate through the embedded certificates to a
//! trust root, each certificate valid at a given time, issued by a CA and signed by its issuer.

use std::time::SystemTime;

use const_oid::{AssociatedOid, ObjectIdentifier};
use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::BasicConstraints;

use super::algorithm::verify_signed;

/// Longest certification path followed from a signer certificate to a trust root.
const MAX_CHAIN_LENGTH: usize = 8;

/// The extension `oid` of `cert`, if present (the first one).
pub(crate) fn extension(cert: &Certificate, oid: ObjectIdentifier) -> Option<&Extension> {
    cert.tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|ext| ext.extn_id == oid)
}

/// Whether `cert` was valid at `at`.
fn check_validity(cert: &Certificate, at: SystemTime) -> Result<(), String> {
    let validity = &cert.tbs_certificate.validity;
    if at < validity.not_before.to_system_time() || at > validity.not_after.to_system_time() {
        return Err(format!(
            "\"{}\" was not valid at {} (valid {} to {})",
            cert.tbs_certificate.subject,
            crate::pades::format_utc(at),
            validity.not_before,
            validity.not_after
        ));
    }
    Ok(())
}

/// Whether `cert` is a CA certificate (basicConstraints cA = TRUE).
fn is_ca(cert: &Certificate) -> bool {
    extension(cert, BasicConstraints::OID)
        .and_then(|ext| BasicConstraints::from_der(ext.extn_value.as_bytes()).ok())
        .is_some_and(|bc| bc.ca)
}

/// Whether `issuer`'s key verifies the signature on `cert`.
pub(crate) fn verify_issued_by(cert: &Certificate, issuer: &Certificate) -> Result<(), String> {
    let tbs = cert.tbs_certificate.to_der().map_err(|e| e.to_string())?;
    let signature = cert
        .signature
        .as_bytes()
        .ok_or_else(|| "certificate signature with unused bits".to_owned())?;
    verify_signed(issuer, cert.signature_algorithm.oid, &tbs, signature)
}

/// Follows issuers from `signer` through `pool` (the signature's embedded certificates) until
/// a certificate of `roots` or one issued by a root; each certificate valid at `at`. Returns
/// the trust root reached.
pub(crate) fn check_chain<'r>(
    signer: &Certificate,
    pool: &[Certificate],
    roots: &'r [Certificate],
    at: SystemTime,
) -> Result<&'r Certificate, String> {
    walk(signer, pool, roots, at).map(|(root, _)| root)
}

/// [`check_chain`], returning the whole path: `signer`, its issuers, and the trust root
/// reached, each certificate once.
pub(crate) fn check_chain_path(
    signer: &Certificate,
    pool: &[Certificate],
    roots: &[Certificate],
    at: SystemTime,
) -> Result<Vec<Certificate>, String> {
    let (root, path) = walk(signer, pool, roots, at)?;
    let mut path: Vec<Certificate> = path.into_iter().cloned().collect();
    if path.last() != Some(root) {
        path.push(root.clone());
    }
    Ok(path)
}

/// Whether every certificate of a path [`check_chain_path`] returned is valid at `at` (the
/// signatures along it were verified then and do not change).
pub(crate) fn check_path_validity(path: &[Certificate], at: SystemTime) -> Result<(), String> {
    path.iter().try_for_each(|cert| check_validity(cert, at))
}

/// The walk of [`check_chain`]: the root reached, and the certificates from `signer` to the
/// last one before the root (the root itself when `signer` or an embedded certificate is a
/// root).
fn walk<'s, 'r>(
    signer: &'s Certificate,
    pool: &'s [Certificate],
    roots: &'r [Certificate],
    at: SystemTime,
) -> Result<(&'r Certificate, Vec<&'s Certificate>), String> {
    if roots.is_empty() {
        return Err("no trust root is configured".to_owned());
    }
    let mut current = signer;
    let mut path = Vec::new();
    for _ in 0..MAX_CHAIN_LENGTH {
        check_validity(current, at)?;
        path.push(current);
        if let Some(root) = roots.iter().find(|root| *root == current) {
            return Ok((root, path));
        }
        let issuer_name = &current.tbs_certificate.issuer;
        let mut failure = None;
        for root in roots
            .iter()
            .filter(|root| root.tbs_certificate.subject == *issuer_name)
        {
            match verify_issued_by(current, root) {
                Ok(()) => return check_validity(root, at).map(|()| (root, path)),
                Err(e) => failure = Some(e),
            }
        }
        let next = pool.iter().find(|candidate| {
            *candidate != current
                && candidate.tbs_certificate.subject == *issuer_name
                && is_ca(candidate)
                && match verify_issued_by(current, candidate) {
                    Ok(()) => true,
                    Err(e) => {
                        failure = Some(e);
                        false
                    }
                }
        });
        match next {
            Some(issuer) => current = issuer,
            None => {
                return Err(match failure {
                    Some(e) => format!(
                        "the signature of \"{}\" by its issuer does not verify: {e}",
                        current.tbs_certificate.subject
                    ),
                    None => format!(
                        "its issuer \"{issuer_name}\" is neither a trusted root nor among the \
                         embedded certificates"
                    ),
                });
            }
        }
    }
    Err(format!(
        "no trusted root within {MAX_CHAIN_LENGTH} certificates"
    ))
}
