//! The evidence seal at start-up: open the HSM token, make sure the seal key and its
//! certificate are there and belong together (EVD-01), and record the key events (OPS-03).
//! In development the token, its keys and the development PKI are created on first run.

use std::time::SystemTime;

use evidence::pki::{DevRevocation, Role};
use evidence::{Certificate, DevPki, Hsm, HsmConfig, KeyOutcome};
use x509_cert::der::DecodePem;

use crate::audit::Event;
use crate::config::{Config, ConfigError};
use serde_json::json;

/// The seal, ready to use: the token and the certificate of its seal key.
#[derive(Clone)]
pub struct Seal {
    pub hsm: Hsm,
    pub key_label: String,
    pub certificate: Certificate,
    /// The development PKI (development mode only): its TSA key serves the built-in TSA.
    pub dev_pki: Option<DevPki>,
    /// The development root's CRL and OCSP responder (development mode only), served at
    /// `/pki/root.crl` and `/pki/ocsp`.
    pub dev_revocation: Option<DevRevocation>,
}

/// Why the seal could not be prepared. Each message says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The token, the key, or a certificate operation failed (the message names which).
    #[error("HSM: {0}")]
    Hsm(#[from] evidence::Error),
    /// The seal certificate file is missing or not a PEM certificate.
    #[error("cannot read the seal certificate {path}: {reason}")]
    Certificate { path: String, reason: String },
    /// The token lets the seal key out: refused, the key must never leave the HSM.
    #[error(
        "the seal key '{0}' is extractable or not sensitive: generate a new key inside the HSM"
    )]
    ExtractableKey(String),
    /// The blocking HSM task panicked or was cancelled.
    #[error("HSM task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl Seal {
    /// Opens (in development: creates) the token, keys and certificates, and returns the key
    /// life-cycle events to record (OPS-03). Blocking: PKCS#11.
    pub fn prepare(config: &Config, now: SystemTime) -> Result<(Seal, Vec<Event>), SealError> {
        let mut events = Vec::new();
        let hsm_config = HsmConfig {
            module: config.hsm.module.clone(),
            token_label: config.hsm.token_label.clone(),
            user_pin: config.hsm_user_pin()?,
            so_pin: config.hsm.so_pin.clone(),
        };
        let key_label = config.hsm.seal_key_label.clone();
        let mut dev_pki = None;
        if config.is_development() {
            if Hsm::init_token_if_missing(&hsm_config)? {
                tracing::info!(event = "token_initialised", token = %hsm_config.token_label, "development SoftHSM token created");
                events.push(Event::system(
                    "key",
                    "token_initialised",
                    json!({ "token": hsm_config.token_label }),
                ));
            }
            let hsm = Hsm::open(&hsm_config)?;
            for role in Role::ALL {
                if hsm.ensure_rsa_key(role.key_label())? == KeyOutcome::Created {
                    tracing::info!(
                        event = "key_generated",
                        key = role.key_label(),
                        bits = 3072,
                        "key pair generated inside the token"
                    );
                    events.push(Event::system(
                        "key",
                        "key_generated",
                        json!({ "token": hsm_config.token_label, "key": role.key_label(), "algorithm": "RSA-3072" }),
                    ));
                }
            }
            dev_pki = Some(DevPki::ensure(
                &hsm,
                &config.pki.dir,
                &config.server.public_url,
                now,
            )?);
        }
        let hsm = Hsm::open(&hsm_config)?;
        // Nothing is revoked in development.
        let dev_revocation = dev_pki
            .as_ref()
            .map(|pki| DevRevocation::new(&hsm, pki, Vec::new()))
            .transpose()?;
        let path = config.pki.dir.join("seal.pem");
        let pem = std::fs::read_to_string(&path).map_err(|e| SealError::Certificate {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let certificate =
            Certificate::from_pem(pem.as_bytes()).map_err(|e| SealError::Certificate {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
        evidence::check_certificate_matches_key(
            &certificate,
            &hsm.public_key(&key_label)?,
            &key_label,
        )?;
        let protection = hsm.key_protection(&key_label)?;
        if protection.extractable || !protection.sensitive {
            return Err(SealError::ExtractableKey(key_label));
        }
        tracing::info!(
            event = "seal_key_activated",
            token = %hsm.token_label(),
            key = %key_label,
            certificate = %certificate.tbs_certificate.subject,
            "seal key activated"
        );
        events.push(Event::system(
            "key",
            "seal_key_activated",
            json!({
                "token": hsm.token_label(),
                "key": key_label,
                "certificate_subject": certificate.tbs_certificate.subject.to_string(),
                "certificate_serial": crate::ledger::hex(certificate.tbs_certificate.serial_number.as_bytes()),
            }),
        ));
        Ok((
            Seal {
                hsm,
                key_label,
                certificate,
                dev_pki,
                dev_revocation,
            },
            events,
        ))
    }

    /// A signature round trip through the token, for `/readyz`.
    pub async fn check(&self) -> Result<(), SealError> {
        let hsm = self.hsm.clone();
        let label = self.key_label.clone();
        tokio::task::spawn_blocking(move || hsm.public_key(&label).map(|_| ())).await??;
        Ok(())
    }
}
