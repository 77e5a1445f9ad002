//! What the sealer seals with *now*: the active seal key and its certificate, the TSA and the
//! roots trusted for it (OPS-06, issue 13). They change at run time under dual control
//! (`operators::seal_keys`), and every instance on the database follows: the table
//! `seal_state` holds a version that grows with each activation or TSA change, and the sealer
//! compares it with its own before each seal ([`Sealer::current`]); when it moved, the sealer
//! reloads the active key (table `seal_key`) and the TSA, checks the key against its
//! certificate and its protection in the token, and swaps them in. Evidence already sealed keeps
//! the certificate it embeds, which still chains to the same root.
//!
//! With nothing changed under dual control, the sealer uses the settings: the key
//! `hsm.seal_key_label` with `pki.dir/seal.pem`, registered as the active key at the first
//! start, and `tsa.url`.

use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use evidence::pades::SealProfile;
use evidence::timestamp::{DevTsa, HttpTimeStamper, LocalTimeStamper};
use evidence::{Certificate, Hsm, KeySigner};
use x509_cert::der::{DecodePem, EncodePem};

use chrono::{DateTime, Utc};

use super::{Sealer, SealingError, Stamping, size_for};
use crate::db::Db;
use crate::sealing::seal::Seal;
use crate::store;
use crate::store::seal_keys::{self as rows, SealKey, SealState};

/// The key, certificate chain, TSA and trust roots of the seals of one version.
pub(super) struct Active {
    pub(super) version: i64,
    pub(super) label: String,
    pub(super) signer: Arc<KeySigner>,
    /// Sized from a real token of the TSA, re-sized if a token outgrows it.
    pub(super) profile: RwLock<SealProfile>,
    pub(super) stamping: Stamping,
    /// The TSA's address (`builtin` for the development TSA).
    pub(super) tsa_url: String,
    /// The roots a verifier of our evidence trusts: the seal's root, the TSA roots of the
    /// settings, and every root trusted by a TSA change.
    pub(super) trust_roots: Arc<Vec<Certificate>>,
}

impl Active {
    pub(super) fn profile(&self) -> SealProfile {
        self.profile
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// The TSA of the settings.
#[derive(Clone)]
pub(super) struct ConfiguredTsa {
    pub(super) url: String,
    pub(super) roots: Vec<Certificate>,
    pub(super) basic_auth: Option<(String, String)>,
}

/// What does not change at run time: the token, the key and certificate of the settings, the
/// seal's root, the TSA of the settings, and (development) the development TSA.
pub(super) struct Base {
    pub(super) hsm: Hsm,
    pub(super) configured_label: String,
    pub(super) configured_certificate: Certificate,
    pub(super) root: Certificate,
    pub(super) tsa: ConfiguredTsa,
    pub(super) dev_tsa: Option<DevTsa>,
}

/// How long a TSA has to answer the test time-stamp of a change.
const PROBE_TIMEOUT: Duration = Duration::from_secs(15);

impl Base {
    /// The stamping of `url` with `roots` trusted (`builtin`: the development TSA).
    fn stamping(
        &self,
        url: &str,
        roots: Vec<Certificate>,
        auth: Option<&(String, String)>,
        timeout: Option<Duration>,
    ) -> Result<Stamping, SealingError> {
        if url == "builtin" {
            let tsa = self.dev_tsa.clone().ok_or_else(|| {
                SealingError::TsaConfig("the built-in TSA exists only in development".to_owned())
            })?;
            return Ok(Stamping::Builtin(LocalTimeStamper(tsa)));
        }
        let mut builder = HttpTimeStamper::builder(url, roots);
        if let Some((user, password)) = auth {
            builder = builder.basic_auth(user, password);
        }
        if let Some(total) = timeout {
            builder = builder.timeouts(total, total);
        }
        Ok(Stamping::Http(
            builder
                .build()
                .map_err(|e| SealingError::TsaConfig(e.to_string()))?,
        ))
    }

    /// The seal's root, the TSA roots of the settings, and those of `history` (PEM).
    fn trust_roots(&self, history: &str) -> Result<Vec<Certificate>, SealingError> {
        let mut roots = vec![self.root.clone()];
        roots.extend(self.tsa.roots.iter().cloned());
        for root in parse_pem_bundle(history).map_err(SealingError::TsaConfig)? {
            if !roots.contains(&root) {
                roots.push(root);
            }
        }
        Ok(roots)
    }

    /// The seals of `state` with `key` (none registered: the key of the settings). A key
    /// other than the settings' is checked against its certificate and its protection in the
    /// token. `previous` lends its placeholder size when the TSA is the same.
    pub(super) async fn build(
        self: &Arc<Self>,
        state: &SealState,
        key: Option<SealKey>,
        previous: Option<&Active>,
    ) -> Result<Active, SealingError> {
        let (label, certificate) = match key {
            Some(key) if key.label != self.configured_label => {
                let pem = key.certificate.ok_or_else(|| {
                    SealingError::ActiveKey(format!(
                        "the active seal key {} has no certificate",
                        key.label
                    ))
                })?;
                let certificate = Certificate::from_pem(pem.as_bytes()).map_err(|e| {
                    SealingError::ActiveKey(format!(
                        "the certificate of seal key {}: {e}",
                        key.label
                    ))
                })?;
                (key.label, certificate)
            }
            _ => (
                self.configured_label.clone(),
                self.configured_certificate.clone(),
            ),
        };
        let signer = {
            let (base, label, certificate) = (self.clone(), label.clone(), certificate.clone());
            tokio::task::spawn_blocking(move || check_key(&base.hsm, &label, &certificate))
                .await??
        };
        let trust_roots = self.trust_roots(&state.tsa_roots_history)?;
        let (tsa_url, stamping) = match &state.tsa_url {
            None => (
                self.tsa.url.clone(),
                self.stamping(
                    &self.tsa.url,
                    trust_roots.clone(),
                    self.tsa.basic_auth.as_ref(),
                    None,
                )?,
            ),
            Some(url) => (
                url.clone(),
                self.stamping(url, trust_roots.clone(), None, None)?,
            ),
        };
        let profile = SealProfile::new(certificate, vec![self.root.clone()])?;
        let profile = match previous.filter(|p| p.tsa_url == tsa_url) {
            Some(previous) => {
                profile.with_timestamp_size_hint(previous.profile().timestamp_size_hint())
            }
            None => size_for(profile, stamping.as_time_stamper()).await,
        };
        Ok(Active {
            version: state.version,
            label,
            signer: Arc::new(signer),
            profile: RwLock::new(profile),
            stamping,
            tsa_url,
            trust_roots: Arc::new(trust_roots),
        })
    }
}

/// The signer of token key `label`, once checked to match `certificate` and never to leave
/// the token. Blocking.
fn check_key(hsm: &Hsm, label: &str, certificate: &Certificate) -> Result<KeySigner, SealingError> {
    let signer = KeySigner::new(hsm, label)?;
    evidence::check_certificate_matches_key(certificate, signer.public_key(), label)?;
    let protection = hsm.key_protection(label)?;
    if protection.extractable || !protection.sensitive {
        return Err(SealingError::ActiveKey(format!(
            "the seal key '{label}' is extractable or not sensitive"
        )));
    }
    Ok(signer)
}

/// The certificates of a PEM bundle (empty text: none), or why it is not one.
pub fn parse_pem_bundle(text: &str) -> Result<Vec<Certificate>, String> {
    const END: &str = "-----END CERTIFICATE-----";
    let mut certificates = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some(end) = rest.find(END) else {
            return Err("text after the last certificate".to_owned());
        };
        let (block, after) = rest.split_at(end + END.len());
        certificates
            .push(Certificate::from_pem(block.trim().as_bytes()).map_err(|e| e.to_string())?);
        rest = after.trim();
    }
    Ok(certificates)
}

/// `certificates` as one PEM bundle.
pub fn pem_bundle(certificates: &[Certificate]) -> String {
    certificates
        .iter()
        .filter_map(|c| c.to_pem(x509_cert::der::pem::LineEnding::LF).ok())
        .collect()
}

/// Registers the key of the settings as the active seal key when none is (the first start on
/// this database); two instances starting together register it once.
pub(super) async fn register_configured_key(
    db: &Db,
    seal: &Seal,
    now: DateTime<Utc>,
) -> Result<(), SealingError> {
    if store::seal_keys::active(db.pool()).await?.is_some() {
        return Ok(());
    }
    let spki = &seal.certificate.tbs_certificate.subject_public_key_info;
    let public_key = spki
        .to_pem(x509_cert::der::pem::LineEnding::LF)
        .map_err(|e| SealingError::ActiveKey(format!("seal public key: {e}")))?;
    let certificate = seal
        .certificate
        .to_pem(x509_cert::der::pem::LineEnding::LF)
        .map_err(|e| SealingError::ActiveKey(format!("seal certificate: {e}")))?;
    let id = uuid::Uuid::now_v7().to_string();
    let key = store::seal_keys::NewKey {
        id: &id,
        label: &seal.key_label,
        status: "active",
        origin: "configuration",
        public_key: &public_key,
        certificate: Some(&certificate),
        request_id: None,
        at: now.timestamp_millis(),
    };
    store::seal_keys::insert(db.pool(), &key).await?;
    Ok(())
}

impl Sealer {
    /// What seals now, as of the database's version (see the module documentation): reloaded
    /// first if another instance, or this one, changed the key or the TSA.
    pub(super) async fn current(&self) -> Result<Arc<Active>, SealingError> {
        let version = rows::version(self.db.pool()).await?;
        let active = self.snapshot();
        if active.version == version {
            return Ok(active);
        }
        let _one_at_a_time = self.reload.lock().await;
        let active = self.snapshot();
        if active.version >= version {
            return Ok(active);
        }
        let state = rows::state(self.db.pool()).await?;
        let key = rows::active(self.db.pool()).await?;
        let next = Arc::new(self.base.build(&state, key, Some(&active)).await?);
        tracing::info!(
            event = "seal_settings_followed",
            version = next.version,
            key = %next.label,
            tsa = %next.tsa_url,
            "seal key and TSA reloaded"
        );
        *self.active.write().unwrap_or_else(PoisonError::into_inner) = next.clone();
        Ok(next)
    }

    /// What sealed last, without asking the database.
    pub(super) fn snapshot(&self) -> Arc<Active> {
        self.active
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The label of the key that seals now (as of the last seal or reload).
    pub fn active_key_label(&self) -> String {
        self.snapshot().label.clone()
    }

    /// The certificate of the key that seals now, as of the database's version (published at
    /// `/pki/seal.pem`).
    pub async fn seal_certificate(&self) -> Result<Certificate, SealingError> {
        Ok(self.current().await?.profile().seal_certificate().clone())
    }

    /// The TSA address in use (`builtin` for the development TSA).
    pub fn tsa_url(&self) -> String {
        self.snapshot().tsa_url.clone()
    }

    /// Reloads now if the database's version moved (after an activation or a TSA change).
    pub async fn follow(&self) -> Result<(), SealingError> {
        self.current().await.map(|_| ())
    }

    /// Asks the TSA at `url` for a test time-stamp, its tokens checked against the trusted
    /// roots and `extra_roots`: a TSA that does not answer in 15 s with a verifiable token is
    /// not one to change to.
    pub async fn probe_tsa(
        &self,
        url: &str,
        extra_roots: &[Certificate],
    ) -> Result<(), SealingError> {
        let mut roots = self.snapshot().trust_roots.to_vec();
        roots.extend(extra_roots.iter().cloned());
        let stamping = self.base.stamping(url, roots, None, Some(PROBE_TIMEOUT))?;
        let digest: [u8; 32] = rand::random();
        tokio::time::timeout(PROBE_TIMEOUT, stamping.as_time_stamper().timestamp(&digest))
            .await
            .map_err(|_| SealingError::TsaConfig(format!("{url} did not answer in time")))?
            .map_err(|e| SealingError::Pades(e.into()))?;
        Ok(())
    }

    /// Checks that `key` can seal on this instance: in the token, non-extractable, and its
    /// certificate for it.
    pub async fn check_key(&self, key: &SealKey) -> Result<(), SealingError> {
        let certificate = match &key.certificate {
            _ if key.label == self.base.configured_label => {
                self.base.configured_certificate.clone()
            }
            Some(pem) => Certificate::from_pem(pem.as_bytes()).map_err(|e| {
                SealingError::ActiveKey(format!("the certificate of seal key {}: {e}", key.label))
            })?,
            None => {
                return Err(SealingError::ActiveKey(format!(
                    "the seal key {} has no certificate",
                    key.label
                )));
            }
        };
        let (base, label) = (self.base.clone(), key.label.clone());
        tokio::task::spawn_blocking(move || check_key(&base.hsm, &label, &certificate)).await??;
        Ok(())
    }

    /// The token this sealer uses.
    pub fn hsm(&self) -> &Hsm {
        &self.base.hsm
    }

    /// The certificate of the key of the settings (`pki.dir/seal.pem`).
    pub fn configured_certificate(&self) -> &Certificate {
        &self.base.configured_certificate
    }
}
