//! [`KeySigner`]: a token key pair as the RustCrypto signer that x509-cert and cms sign with.

use std::fmt;

use der::asn1::Any;
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::traits::PublicKeyParts;
use sha2::Sha256;
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier};

use super::{Hsm, SHA256_WITH_RSA_ENCRYPTION};
use crate::{Error, Result};

/// A token key as a RustCrypto signer, for x509-cert's `CertificateBuilder` and cms's
/// `SignerInfoBuilder`.
///
/// The private key never leaves the token: [`signature::Signer::try_sign`] sends the message to
/// the token (`CKM_SHA256_RSA_PKCS`) and gets the signature back, then checks it with the public
/// key read from the token when the signer was made ([`Error::SignatureCheck`] if it does not
/// verify): a faulty token or key pair never yields a seal or a time-stamp. Only the public key
/// is cached.
#[derive(Clone)]
pub struct KeySigner {
    hsm: Hsm,
    label: String,
    public_key: RsaPublicKey,
    verifying_key: VerifyingKey<Sha256>,
    /// The same public key for `ring`'s verification, the fastest this process has: an
    /// RSA-3072 check in a twentieth of a signature's time (`rsa`'s takes a sixth; the token's
    /// `C_Verify`, which rebuilds the key object each time, a tenth) — issue 11.
    check_key: RsaPublicKeyComponents<Vec<u8>>,
}

impl fmt::Debug for KeySigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySigner")
            .field("hsm", &self.hsm)
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

impl KeySigner {
    /// A signer for the token's key pair `label`, which must exist.
    pub fn new(hsm: &Hsm, label: &str) -> Result<Self> {
        let public_key = hsm.public_key(label)?;
        Ok(Self {
            hsm: hsm.clone(),
            label: label.to_owned(),
            verifying_key: VerifyingKey::new(public_key.clone()),
            check_key: RsaPublicKeyComponents {
                n: public_key.n().to_bytes_be(),
                e: public_key.e().to_bytes_be(),
            },
            public_key,
        })
    }

    /// The token label of the key pair.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The public key, as read from the token when this signer was made.
    pub fn public_key(&self) -> &RsaPublicKey {
        &self.public_key
    }
}

impl signature::Keypair for KeySigner {
    type VerifyingKey = VerifyingKey<Sha256>;

    fn verifying_key(&self) -> Self::VerifyingKey {
        self.verifying_key.clone()
    }
}

impl DynSignatureAlgorithmIdentifier for KeySigner {
    /// `sha256WithRSAEncryption` with NULL parameters (RFC 4055 §5).
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(AlgorithmIdentifierOwned {
            oid: SHA256_WITH_RSA_ENCRYPTION,
            parameters: Some(Any::null()),
        })
    }
}

impl signature::Signer<Signature> for KeySigner {
    fn try_sign(&self, msg: &[u8]) -> std::result::Result<Signature, signature::Error> {
        let bytes = self
            .hsm
            .sign_sha256_rsa(&self.label, msg)
            .map_err(signature::Error::from_source)?;
        self.check_key
            .verify(&RSA_PKCS1_2048_8192_SHA256, msg, &bytes)
            .map_err(|_| {
                signature::Error::from_source(Error::SignatureCheck {
                    label: self.label.clone(),
                })
            })?;
        Signature::try_from(bytes.as_slice())
    }
}
