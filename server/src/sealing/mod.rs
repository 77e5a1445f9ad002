//! Issuing evidence: seal an [`Evidence`] into a PAdES-B-T PDF (HSM signature, then an RFC 3161
//! time-stamp) and store it with its journal entry (EVD-01..04, OPS-03). The service's one way
//! to produce evidence: every step of a letter's life calls [`Sealer::issue`] (or
//! [`Sealer::seal`] then [`store_in`] inside the step's own transaction, so that a step is either
//! recorded with all its evidence or not at all).
//!
//! [`seal`] holds the seal itself (the HSM key and its certificate); [`verification`] checks an
//! evidence for a relying party (`/verify`, `pli verify`) against the trust roots and the
//! journal.
//!
//! Sealing on every core (issue 11): the work of a seal that blocks or computes — rendering
//! the PDF, the HSM signature and its self-check, the built-in TSA's signature, the RSA checks
//! of a token — runs on tokio's blocking threads, never on the async workers, and at most one
//! such step per core (and per pooled HSM session) runs at once ([`Sealer`]'s semaphore).
//! [`Sealer::seal_all`] seals several evidences concurrently and returns them in order, so
//! that a step storing them ([`store_in`], inside its transaction) writes the journal in the
//! same order as if they had been sealed one by one; with the built-in TSA it hands the whole
//! batch to one blocking worker per core ([`batch`]).

mod active;
mod batch;
pub mod long_term;
pub mod seal;
pub mod verification;

use std::sync::{Arc, PoisonError, RwLock};

use active::{Active, Base, ConfiguredTsa, register_configured_key};
pub use active::{parse_pem_bundle, pem_bundle};
use std::time::Duration;

use chrono::{DateTime, Utc};
use evidence::pades::{Evidence, EvidenceKind, Issuer, PadesError, SealProfile, Signed};
use evidence::timestamp::{DevTsa, HttpTimeStamper, LocalTimeStamper, TimeStamper};
use evidence::{Certificate, Hsm, KeySigner};
use futures_util::{StreamExt, TryStreamExt};
use sqlx::{Any, Transaction};
use tokio::sync::Semaphore;
use x509_cert::der::DecodePem;

use crate::config::Config;
use crate::db::Db;
use crate::ledger::{self, EntryType};
use crate::sealing::seal::Seal;
use crate::store::{self, journal};

/// Why an evidence could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum SealingError {
    /// The evidence lacks a field or the PDF could not be sealed (the message says which).
    #[error(transparent)]
    Pades(#[from] PadesError),
    /// The HSM or a certificate could not be used.
    #[error("HSM: {0}")]
    Hsm(#[from] evidence::Error),
    /// The TSA configuration is unusable (bad URL, unreadable trust root).
    #[error("time-stamping authority settings: {0}")]
    TsaConfig(String),
    /// The seal key set under dual control cannot be used here: it is missing from this
    /// instance's token, may leave it, or its certificate is not for it (OPS-06).
    #[error("seal key: {0}")]
    ActiveKey(String),
    /// The sealed evidence could not be stored.
    #[error("cannot store the evidence: {0}")]
    Store(#[from] sqlx::Error),
    /// The blocking signing task panicked or was cancelled.
    #[error("signing task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// The revocation data of a certificate could not be obtained, or say it is revoked.
    #[error("revocation data: {0}")]
    Revocation(#[from] evidence::revinfo::RevinfoError),
    /// A long-term extension did not give a verifiable evidence (the message says why).
    #[error("long-term extension: {0}")]
    LongTerm(String),
}

/// A sealed, stored evidence.
#[derive(Clone, Debug)]
pub struct Issued {
    pub id: String,
    pub kind: EvidenceKind,
    pub sha256: String,
    pub seq: i64,
}

/// How many seals [`Sealer::seal_all`] keeps in flight: enough to overlap the round trips to
/// an HTTP TSA; the blocking work among them is bounded by [`Sealer`]'s semaphore.
const SEALS_IN_FLIGHT: usize = 16;

/// Seals evidence with the HSM key and a time-stamp.
#[derive(Clone)]
pub struct Sealer {
    /// The key, TSA and trust roots in use, swapped when the database's version moves
    /// ([`active`]).
    active: Arc<RwLock<Arc<Active>>>,
    /// One reload at a time.
    reload: Arc<tokio::sync::Mutex<()>>,
    /// What the active key and TSA are built from.
    base: Arc<Base>,
    /// One permit per blocking sealing step running (see the module documentation): as many
    /// as cores, at most as many as the HSM keeps pooled sessions.
    blocking: Arc<Semaphore>,
    /// The semaphore's size: how many blocking workers a batch may use.
    workers: usize,
    /// The revocation data of a production CA's certificates, for long-term extensions.
    revinfo: evidence::revinfo::Fetcher,
    issuer: Issuer,
    policy_oid: String,
    /// Where seal-key use errors are recorded (OPS-03).
    db: Db,
}

impl Sealer {
    /// Builds the sealer: the seal key signer, its certificate chain and the time-stamper —
    /// the built-in development TSA (`tsa.url = "builtin"`) or an RFC 3161 TSA over HTTP —
    /// then obtains one time-stamp to size the signature placeholder for that TSA's tokens
    /// (a TSA with a long certificate chain must not fail every seal). A TSA that cannot be
    /// reached at start-up does not stop the server: the placeholder keeps its default size
    /// and seals fail (and are recorded) until the TSA answers.
    pub async fn new(
        config: &Config,
        seal: &Seal,
        db: Db,
        now: DateTime<Utc>,
    ) -> Result<Sealer, SealingError> {
        let root = read_certificate(&config.pki.dir.join("root.pem"))?;
        let mut tsa_roots = Vec::new();
        for path in &config.tsa.trust_roots {
            tsa_roots.push(read_certificate(path)?);
        }
        if seal.dev_pki.is_none() && config.tsa.url == "builtin" {
            return Err(SealingError::TsaConfig(
                "the built-in TSA exists only in development".to_owned(),
            ));
        }
        // In development the built-in TSA always runs (served at `/tsa` too), so that the TSA
        // can be changed to it, or to its HTTP address, at run time.
        let dev_tsa = match &seal.dev_pki {
            Some(pki) => {
                let policy = format!("{}.3161", config.policy.oid)
                    .parse()
                    .map_err(|e| SealingError::TsaConfig(format!("TSA policy OID: {e}")))?;
                Some(DevTsa::from_dev_pki(&seal.hsm, pki, policy)?)
            }
            None => None,
        };
        let base = Arc::new(Base {
            hsm: seal.hsm.clone(),
            configured_label: seal.key_label.clone(),
            configured_certificate: seal.certificate.clone(),
            root,
            tsa: ConfiguredTsa {
                url: config.tsa.url.clone(),
                roots: tsa_roots,
                basic_auth: config.tsa.username.clone().zip(config.tsa.password.clone()),
            },
            dev_tsa,
        });
        register_configured_key(&db, seal, now).await?;
        let state = store::seal_keys::state(db.pool()).await?;
        let key = store::seal_keys::active(db.pool()).await?;
        let active = base.build(&state, key, None).await?;
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let workers = cores.clamp(1, Hsm::MAX_IDLE_SESSIONS);
        Ok(Sealer {
            active: Arc::new(RwLock::new(Arc::new(active))),
            reload: Arc::default(),
            base,
            blocking: Arc::new(Semaphore::new(workers)),
            workers,
            revinfo: evidence::revinfo::Fetcher::new()?,
            issuer: Issuer {
                name: "Pli".to_owned(),
                url: config.server.public_url.clone(),
                time_zone: config.policy.legal_time_zone.parse().ok(),
            },
            policy_oid: config.policy.oid.clone(),
            db,
        })
    }

    /// A new evidence of `kind` at `at`, with a fresh id, our policy and issuer.
    pub fn evidence(&self, kind: EvidenceKind, at: DateTime<Utc>) -> Evidence {
        Evidence::new(
            kind,
            uuid::Uuid::now_v7().to_string(),
            at.into(),
            self.policy_oid.clone(),
            self.issuer.clone(),
        )
    }

    /// The built-in development TSA, if this server runs it.
    pub fn dev_tsa(&self) -> Option<&DevTsa> {
        self.base.dev_tsa.as_ref()
    }

    /// The roots a verifier of our evidence trusts: the seal's root, the TSA's, and those of
    /// every TSA changed to under dual control.
    pub fn trust_roots(&self) -> Arc<Vec<Certificate>> {
        self.snapshot().trust_roots.clone()
    }

    /// Seals `evidences` concurrently and returns their PDFs in the same order. Fails with the
    /// first failure; nothing is stored either way.
    ///
    /// With the built-in TSA every step blocks: the batch goes to one blocking worker per core
    /// ([`batch`]). With an HTTP TSA, at most [`SEALS_IN_FLIGHT`] seals are under way at once,
    /// their blocking steps bounded by the sealer's semaphore, so that the TSA round trips
    /// overlap.
    pub async fn seal_all(&self, evidences: &[Evidence]) -> Result<Vec<Vec<u8>>, SealingError> {
        let active = self.current().await?;
        if let Stamping::Builtin(tsa) = &active.stamping {
            return self.seal_batch(&active, tsa, evidences).await;
        }
        // Collected first: a closure left inside the stream would make this future's type
        // higher-ranked over the evidence's lifetime, which `Send` callers cannot name.
        let seals: Vec<_> = evidences
            .iter()
            .map(|evidence| self.seal(evidence))
            .collect();
        futures_util::stream::iter(seals)
            .buffered(SEALS_IN_FLIGHT)
            .try_collect()
            .await
    }

    /// Seals `evidence` into a PDF: validate and render, sign in the HSM, time-stamp, finish
    /// (each blocking step on a blocking thread). Nothing is stored; a failure of the key or
    /// the TSA is recorded in the journal (OPS-03).
    pub async fn seal(&self, evidence: &Evidence) -> Result<Vec<u8>, SealingError> {
        let result = self.seal_inner(evidence).await;
        if let Err(error) = &result {
            self.record_failure(evidence, error).await;
        }
        result
    }

    /// Records `error` in the journal if it is a failure of the key or the TSA (OPS-03), not
    /// of the evidence's own fields.
    async fn record_failure(&self, evidence: &Evidence, error: &SealingError) {
        if !matches!(
            error,
            SealingError::Pades(
                PadesError::MissingField { .. }
                    | PadesError::InvalidField { .. }
                    | PadesError::DuplicateField { .. }
            )
        ) {
            record_use_error(&self.db, evidence, error).await;
        }
    }

    /// The placeholder's expected time-stamp token size, margin included.
    pub fn timestamp_size_hint(&self) -> usize {
        self.snapshot().profile().timestamp_size_hint()
    }

    /// Seals once; if the token does not fit (the TSA's chain grew since start-up, or the TSA
    /// was unreachable then), re-sizes the placeholder from that token and seals again.
    async fn seal_inner(&self, evidence: &Evidence) -> Result<Vec<u8>, SealingError> {
        let active = self.current().await?;
        let token_len = match self.seal_once(&active, evidence).await? {
            Attempt::Sealed(pdf) => return Ok(pdf),
            Attempt::TooLarge { token_len, .. } => token_len,
        };
        grow_placeholder(&active, token_len);
        match self.seal_once(&active, evidence).await? {
            Attempt::Sealed(pdf) => Ok(pdf),
            Attempt::TooLarge { error, .. } => Err(error.into()),
        }
    }

    /// One attempt: prepare, sign in the HSM, time-stamp, finish. With the built-in TSA all of
    /// it is one blocking step; with an HTTP TSA the exchange waits on the async threads
    /// between two blocking steps (sign, then check the token and finish).
    async fn seal_once(
        &self,
        active: &Active,
        evidence: &Evidence,
    ) -> Result<Attempt, SealingError> {
        let profile = active.profile();
        let signer = active.signer.clone();
        let evidence = evidence.clone();
        match &active.stamping {
            Stamping::Builtin(tsa) => {
                let tsa = tsa.clone();
                self.blocking(move || seal_locally(&evidence, &profile, &signer, &tsa))
                    .await
            }
            Stamping::Http(http) => {
                let signed = self
                    .blocking(move || sign(&evidence, &profile, &signer))
                    .await?;
                let fetched = http
                    .fetch(&signed.timestamp_digest())
                    .await
                    .map_err(PadesError::from)?;
                let http = http.clone();
                self.blocking(move || {
                    let token = http.check(&fetched).map_err(PadesError::from)?;
                    finish(signed, &token.der)
                })
                .await
            }
        }
    }

    /// Runs `job` on a blocking thread once a permit is free.
    async fn blocking<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> Result<T, SealingError> + Send + 'static,
    ) -> Result<T, SealingError> {
        // The semaphore is never closed: a permit always comes.
        let permit = self.blocking.clone().acquire_owned().await.ok();
        tokio::task::spawn_blocking(move || {
            let result = job();
            drop(permit);
            result
        })
        .await?
    }

    /// Seals `evidence` and stores it with its journal entry, in one transaction.
    pub async fn issue(
        &self,
        db: &Db,
        evidence: &Evidence,
        letter_id: Option<&str>,
    ) -> Result<Issued, SealingError> {
        let pdf = self.seal(evidence).await?;
        let mut tx = db.begin().await?;
        let issued = store_in(&mut tx, evidence, &pdf, letter_id).await?;
        tx.commit().await?;
        Ok(issued)
    }
}

/// Re-sizes `active`'s signature placeholder for a time-stamp token of `token_len` bytes.
fn grow_placeholder(active: &Active, token_len: usize) {
    let hint = evidence::pades::timestamp_size_hint(token_len);
    tracing::warn!(
        token_bytes = token_len,
        timestamp_size_hint = hint,
        "the time-stamp token outgrew the signature placeholder: re-sized, sealing again"
    );
    let mut profile = active
        .profile
        .write()
        .unwrap_or_else(PoisonError::into_inner);
    if profile.timestamp_size_hint() < hint {
        *profile = profile.clone().with_timestamp_size_hint(hint);
    }
}

/// Where the sealer's time-stamps come from.
#[derive(Clone)]
enum Stamping {
    /// The built-in development TSA, signing in the token on the thread that seals.
    Builtin(LocalTimeStamper),
    /// An RFC 3161 TSA over HTTP: the exchange on the async threads, its checks on a blocking
    /// one.
    Http(HttpTimeStamper),
}

impl Stamping {
    fn as_time_stamper(&self) -> &dyn TimeStamper {
        match self {
            Stamping::Builtin(tsa) => tsa,
            Stamping::Http(tsa) => tsa,
        }
    }
}

/// Stages 1 and 2: the evidence rendered into its PDF and signed in the HSM.
fn sign(
    evidence: &Evidence,
    profile: &SealProfile,
    signer: &KeySigner,
) -> Result<Signed, SealingError> {
    let prepared = evidence.prepare(profile, evidence.event_time)?;
    Ok(prepared.sign(signer)?)
}

/// A whole attempt with the built-in TSA, on the calling (blocking) thread.
fn seal_locally(
    evidence: &Evidence,
    profile: &SealProfile,
    signer: &KeySigner,
    tsa: &LocalTimeStamper,
) -> Result<Attempt, SealingError> {
    let signed = sign(evidence, profile, signer)?;
    let token = tsa
        .timestamp_blocking(&signed.timestamp_digest())
        .map_err(PadesError::from)?;
    finish(signed, &token.der)
}

/// Stage 3 and 4 with `token`: the sealed PDF, or [`Attempt::TooLarge`] when the token does
/// not fit the placeholder.
fn finish(signed: Signed, token: &[u8]) -> Result<Attempt, SealingError> {
    match signed.with_timestamp(token) {
        Ok(timestamped) => Ok(Attempt::Sealed(timestamped.finish())),
        Err(error @ PadesError::SignatureTooLarge { .. }) => Ok(Attempt::TooLarge {
            token_len: token.len(),
            error,
        }),
        Err(error) => Err(error.into()),
    }
}

/// The outcome of one sealing attempt.
enum Attempt {
    Sealed(Vec<u8>),
    /// The time-stamp token (`token_len` bytes) did not fit the placeholder.
    TooLarge {
        token_len: usize,
        error: PadesError,
    },
}

/// How long start-up waits for the TSA's sizing time-stamp.
const SIZING_TIMEOUT: Duration = Duration::from_secs(15);

/// `profile` sized from one real token of `stamper` ([`SealProfile::sized_for`]); unchanged,
/// with a warning, if the TSA does not answer in time.
async fn size_for(profile: SealProfile, stamper: &dyn TimeStamper) -> SealProfile {
    let default_hint = profile.timestamp_size_hint();
    match tokio::time::timeout(SIZING_TIMEOUT, profile.clone().sized_for(stamper)).await {
        Ok(Ok(sized)) => {
            tracing::info!(
                timestamp_size_hint = sized.timestamp_size_hint(),
                "signature placeholder sized from a time-stamp token of the TSA"
            );
            sized
        }
        Ok(Err(error)) => {
            tracing::warn!(
                %error,
                timestamp_size_hint = default_hint,
                "cannot obtain a time-stamp at start-up: the signature placeholder keeps its default size"
            );
            profile
        }
        Err(_) => {
            tracing::warn!(
                timeout_s = SIZING_TIMEOUT.as_secs(),
                timestamp_size_hint = default_hint,
                "the TSA did not answer at start-up: the signature placeholder keeps its default size"
            );
            profile
        }
    }
}

/// Stores a sealed evidence and appends it to the journal inside `tx` (OPS-03: evidence
/// generation is recorded by its journal entry).
pub async fn store_in(
    tx: &mut Transaction<'_, Any>,
    evidence: &Evidence,
    pdf: &[u8],
    letter_id: Option<&str>,
) -> Result<Issued, SealingError> {
    let sha256 = ledger::sha256_hex(pdf);
    let at = DateTime::<Utc>::from(evidence.event_time).timestamp_millis();
    let stored = store::evidence::NewEvidence {
        id: &evidence.id,
        kind: evidence.kind.code(),
        created_at: at,
        letter_id,
        pdf,
        sha256: &sha256,
    };
    store::evidence::insert(&mut **tx, &stored).await?;
    let entry = ledger::append(tx, EntryType::Evidence, &evidence.id, at, &sha256).await?;
    tracing::info!(evidence_id = %evidence.id, kind = evidence.kind.code(), seq = entry.seq, "evidence issued");
    Ok(Issued {
        id: evidence.id.clone(),
        kind: evidence.kind,
        sha256,
        seq: entry.seq,
    })
}

fn read_certificate(path: &std::path::Path) -> Result<Certificate, SealingError> {
    let pem = std::fs::read_to_string(path)
        .map_err(|e| SealingError::TsaConfig(format!("cannot read {}: {e}", path.display())))?;
    Certificate::from_pem(pem.as_bytes()).map_err(|e| {
        SealingError::TsaConfig(format!("{} is not a PEM certificate: {e}", path.display()))
    })
}

/// Seals a checkpoint of the journal's head, if it moved since the last checkpoint: an
/// evidence (kind LedgerCheckpoint) stating the last sequence number and its link hash, itself
/// appended to the journal (OPS-02). It also states `log`, the transparency log's size and head
/// (issue 12): the checkpoint is a signed tree head. Returns the checkpoint's evidence, or
/// `None` if the head did not move and the last checkpoint states a log head.
pub async fn checkpoint(
    db: &Db,
    sealer: &Sealer,
    at: DateTime<Utc>,
    log: (u64, &[u8; 32]),
) -> Result<Option<Issued>, SealingError> {
    use evidence::pades::keys;

    let (seq, head) = ledger::head(db).await?;
    let previous = journal::last_checkpoint(db.pool()).await?;
    // The checkpoint's own entry moves the head (and the log, once sequenced) by one: nothing
    // new since then.
    let log_size = i64::try_from(log.0).unwrap_or(i64::MAX);
    if previous.as_ref().is_some_and(|last| {
        last.last_seq + 1 >= seq && last.log_size.is_some_and(|size| size + 1 >= log_size)
    }) || seq == 0
    {
        return Ok(None);
    }
    let first = previous.as_ref().map_or(1, |last| last.last_seq + 1);
    let log_root = ledger::hex(log.1);
    let mut evidence = sealer
        .evidence(EvidenceKind::LedgerCheckpoint, at)
        .with_field(keys::LEDGER_FIRST_SEQUENCE, first.to_string())
        .with_field(keys::LEDGER_LAST_SEQUENCE, seq.to_string())
        .with_field(keys::LEDGER_HEAD_HASH, head.clone())
        .with_field(keys::LOG_TREE_SIZE, log.0.to_string())
        .with_field(keys::LOG_ROOT_HASH, log_root.clone());
    if let Some(last) = &previous {
        evidence = evidence.with_field(keys::LEDGER_PREVIOUS_CHECKPOINT, last.evidence_id.clone());
    }
    let pdf = sealer.seal(&evidence).await?;
    let mut tx = db.begin().await?;
    let issued = store_in(&mut tx, &evidence, &pdf, None).await?;
    // Another instance may have appended since `head` was read: the checkpoint states the head
    // it read, which stays a valid statement about entry `seq`.
    let stated = journal::Checkpoint {
        evidence_id: issued.id.clone(),
        last_seq: seq,
        head_hash: head,
    };
    journal::insert_checkpoint(
        &mut *tx,
        &stated,
        (log_size, &log_root),
        at.timestamp_millis(),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(issued))
}

/// Records a failed use of the seal key or TSA (OPS-03: key use errors).
pub async fn record_use_error(db: &Db, evidence: &Evidence, error: &SealingError) {
    let event = crate::audit::Event::system(
        "key",
        "seal_use_error",
        serde_json::json!({ "evidence_kind": evidence.kind.code(), "evidence_id": evidence.id, "error": error.to_string() }),
    );
    let at = DateTime::<Utc>::from(evidence.event_time);
    if let Err(store) = crate::audit::record(db, at, &event).await {
        tracing::error!(%store, %error, "cannot record a seal use error");
    }
}
