//! Sealing a batch with the built-in TSA (a send to many recipients): every step of such a
//! seal blocks (rendering, the HSM signature, the TSA's signature in the same token), so the
//! batch goes to one blocking worker per core, each taking the next evidence from a shared
//! cursor until none is left. No evidence waits on the async threads between two others: a
//! hand-over per evidence (permit, task wake-up, blocking thread wake-up) left the cores idle
//! a tenth of the time (issue 11, "Sealing on both cores").

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use evidence::pades::Evidence;
use evidence::timestamp::LocalTimeStamper;

use super::{Active, Attempt, Sealer, SealingError, grow_placeholder, seal_locally};

/// The evidences of a batch and how far the workers are.
struct Batch {
    evidences: Vec<Evidence>,
    /// The index of the next evidence to seal.
    next: AtomicUsize,
    /// Set by the first failure: the other workers stop taking evidences.
    failed: AtomicBool,
}

/// What a worker sealed: each attempt with the index of its evidence.
type Sealed = Vec<(usize, Result<Attempt, SealingError>)>;

impl Sealer {
    /// Seals `evidences` with the built-in TSA `tsa` on up to one blocking worker per core
    /// (each holding a permit of the sealer's semaphore) and returns their PDFs in order.
    /// An evidence whose time-stamp outgrew the placeholder is sealed again through
    /// [`Sealer::seal`] once the placeholder is re-sized. The first failure is recorded
    /// (OPS-03) and returned.
    pub(super) async fn seal_batch(
        &self,
        active: &Active,
        tsa: &LocalTimeStamper,
        evidences: &[Evidence],
    ) -> Result<Vec<Vec<u8>>, SealingError> {
        let batch = Arc::new(Batch {
            evidences: evidences.to_vec(),
            next: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
        });
        let profile = active.profile();
        let workers = (0..self.workers.min(evidences.len())).map(|_| {
            let (batch, profile, signer, tsa) = (
                batch.clone(),
                profile.clone(),
                active.signer.clone(),
                tsa.clone(),
            );
            self.blocking(move || {
                let mut sealed: Sealed = Vec::new();
                while !batch.failed.load(Ordering::Relaxed) {
                    let index = batch.next.fetch_add(1, Ordering::Relaxed);
                    let Some(evidence) = batch.evidences.get(index) else {
                        break;
                    };
                    let attempt = seal_locally(evidence, &profile, &signer, &tsa);
                    if attempt.is_err() {
                        batch.failed.store(true, Ordering::Relaxed);
                    }
                    sealed.push((index, attempt));
                }
                Ok(sealed)
            })
        });
        let mut attempts: Sealed = futures_util::future::try_join_all(workers)
            .await?
            .into_iter()
            .flatten()
            .collect();
        attempts.sort_by_key(|(index, _)| *index);

        let mut pdfs = Vec::with_capacity(evidences.len());
        for (index, attempt) in attempts {
            let evidence = &evidences[index];
            match attempt {
                Ok(Attempt::Sealed(pdf)) => pdfs.push(pdf),
                Ok(Attempt::TooLarge { token_len, .. }) => {
                    grow_placeholder(active, token_len);
                    pdfs.push(self.seal(evidence).await?);
                }
                Err(error) => {
                    self.record_failure(evidence, &error).await;
                    return Err(error);
                }
            }
        }
        Ok(pdfs)
    }
}
