//! The algorithms a CMS signer or a certificate may use: the [`Hash`] functions SHA-256/384/512
//! (RFC 5754) and RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2) with any of them.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use der::Encode;
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::Verifier;
use x509_cert::Certificate;

/// The hash functions accepted in signatures and digests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// From a digest algorithm OID (RFC 5754 §2).
    pub(crate) fn from_digest_oid(oid: ObjectIdentifier) -> Option<Self> {
        match oid {
            rfc5912::ID_SHA_256 => Some(Self::Sha256),
            rfc5912::ID_SHA_384 => Some(Self::Sha384),
            rfc5912::ID_SHA_512 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// From a `shaNNNWithRSAEncryption` OID (RFC 4055 §5).
    pub(super) fn from_rsa_signature_oid(oid: ObjectIdentifier) -> Option<Self> {
        match oid {
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION => Some(Self::Sha256),
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION => Some(Self::Sha384),
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION => Some(Self::Sha512),
            _ => None,
        }
    }

    pub(crate) fn digest(self, data: &[u8]) -> Vec<u8> {
        self.digest_parts(&[data])
    }

    /// The hash of the concatenation of `parts`.
    pub(crate) fn digest_parts(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut hasher = D::new();
            for part in parts {
                hasher.update(part);
            }
            hasher.finalize().to_vec()
        }
        match self {
            Self::Sha256 => run::<Sha256>(parts),
            Self::Sha384 => run::<Sha384>(parts),
            Self::Sha512 => run::<Sha512>(parts),
        }
    }

    #[cfg(feature = "hsm")]
    pub(crate) const fn output_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// The usual name ("SHA-256").
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }
}

/// RSASSA-PKCS1-v1_5 verification of `signature` over `message` with the key of `cert`.
/// Whether `signer`'s key verifies `signature` over `message`, signed with the
/// `shaNNNWithRSAEncryption` algorithm `algorithm` (a certificate, a CRL, an OCSP response).
pub(crate) fn verify_signed(
    signer: &Certificate,
    algorithm: ObjectIdentifier,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    let hash = Hash::from_rsa_signature_oid(algorithm)
        .ok_or_else(|| format!("unsupported signature algorithm {algorithm}"))?;
    verify_rsa(signer, hash, message, signature)
}

pub(super) fn verify_rsa(
    cert: &Certificate,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| e.to_string())?;
    let key = RsaPublicKey::from_public_key_der(&spki).map_err(|e| {
        format!(
            "the key of \"{}\" is not an RSA key: {e}",
            cert.tbs_certificate.subject
        )
    })?;
    let signature = Signature::try_from(signature).map_err(|e| e.to_string())?;
    let result = match hash {
        Hash::Sha256 => VerifyingKey::<Sha256>::new(key).verify(message, &signature),
        Hash::Sha384 => VerifyingKey::<Sha384>::new(key).verify(message, &signature),
        Hash::Sha512 => VerifyingKey::<Sha512>::new(key).verify(message, &signature),
    };
    result.map_err(|_| "the RSA signature does not verify".to_owned())
}
