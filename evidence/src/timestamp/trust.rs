//! [`TsaTrust`]: the trust roots of a time-stamper's tokens, and the certification paths
//! already verified to them, kept by certificate fingerprint.
//!
//! A TSA signs every token with the same certificate, under the same chain: verifying that
//! chain's RSA signatures for every token (one per certificate of the path) would repeat
//! the same work for each evidence. [`TsaTrust::verify_token`] verifies the path of a TSA
//! certificate the first time it sees that certificate (by the SHA-256 of its DER) and keeps
//! the path; for the next tokens it only checks that every certificate of the kept path is
//! valid at the token's `genTime` (no signature). Everything that belongs to the token itself
//! — its CMS signature, signed attributes, signing-certificate-v2, the time-stamping key
//! usage, imprint and nonce — is checked for every token ([`super::verify_token`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use der::Encode;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use crate::cms_verify::{check_chain_path, check_path_validity};

use super::TimestampError;
use super::verify::{TokenSignature, VerifiedToken, verify_token_with};

/// Most certification paths a [`TsaTrust`] keeps; beyond, it forgets them all and starts
/// again (a TSA renews its certificate rarely: a handful of entries in practice).
const MAX_PATHS: usize = 32;

/// The roots a time-stamper trusts, with the certification paths already verified to them.
/// `Send + Sync`; share it (e.g. in an `Arc`) between the callers of one time-stamper.
#[derive(Debug)]
pub struct TsaTrust {
    roots: Vec<Certificate>,
    /// Verified paths by the SHA-256 of the TSA certificate's DER: the certificate, its
    /// issuers, and the trust root reached.
    paths: Mutex<HashMap<[u8; 32], Arc<[Certificate]>>>,
}

impl TsaTrust {
    /// Trusts tokens whose TSA certificate chains to one of `roots`.
    pub fn new(roots: Vec<Certificate>) -> Self {
        TsaTrust {
            roots,
            paths: Mutex::new(HashMap::new()),
        }
    }

    /// The trust roots.
    pub fn roots(&self) -> &[Certificate] {
        &self.roots
    }

    /// [`super::verify_token`] against these roots, the TSA certificate's path verified once
    /// per certificate (see the module documentation).
    pub fn verify_token(
        &self,
        token_der: &[u8],
        expected_sha256_digest: &[u8; 32],
        expected_nonce: Option<&[u8]>,
    ) -> Result<VerifiedToken, TimestampError> {
        self.verify(
            token_der,
            expected_sha256_digest,
            expected_nonce,
            TokenSignature::Verify,
        )
    }

    /// [`Self::verify_token`], with the token's signature checked as `signature` says (the
    /// development TSA's own tokens: [`TokenSignature::CheckedWhereMade`]).
    pub(crate) fn verify(
        &self,
        token_der: &[u8],
        expected_sha256_digest: &[u8; 32],
        expected_nonce: Option<&[u8]>,
        signature: TokenSignature,
    ) -> Result<VerifiedToken, TimestampError> {
        verify_token_with(
            token_der,
            expected_sha256_digest,
            expected_nonce,
            signature,
            |signer, pool, at| self.check(signer, pool, at),
        )
    }

    /// How many verified paths are kept (for tests and diagnostics).
    pub fn cached_paths(&self) -> usize {
        self.paths
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether `signer` chains to a root through `pool`, every certificate valid at `at`:
    /// from the kept path when `signer` was seen before, else verified and kept.
    fn check(
        &self,
        signer: &Certificate,
        pool: &[Certificate],
        at: SystemTime,
    ) -> Result<(), String> {
        let fingerprint: [u8; 32] =
            Sha256::digest(signer.to_der().map_err(|e| e.to_string())?).into();
        let kept = self
            .paths
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&fingerprint)
            .cloned();
        if let Some(path) = kept {
            return check_path_validity(&path, at);
        }
        let path: Arc<[Certificate]> = check_chain_path(signer, pool, &self.roots, at)?.into();
        let mut paths = self.paths.lock().unwrap_or_else(PoisonError::into_inner);
        if paths.len() >= MAX_PATHS {
            paths.clear();
        }
        paths.insert(fingerprint, path);
        Ok(())
    }
}
