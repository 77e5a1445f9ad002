//! Long-term evidence (issue 12, EVD-05): an evidence PDF extended to PAdES-B-LTA — an
//! incremental update with the validation data of its signatures and a document time-stamp
//! over the whole file (`evidence::pades::ltv`). The same call on an extended PDF is a renewal:
//! the validation data of the previous document time-stamp and a new one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use evidence::Certificate;
use evidence::pades::PadesError;
use evidence::pades::ltv::{self, ValidationData};
use evidence::pki::DevRevocation;
use evidence::timestamp::TimeStamper as _;
use x509_cert::der::Encode;

use super::{Sealer, SealingError, Stamping};

/// An extension: the new PDF, and until when it is verifiable without renewal.
#[derive(Clone, Debug)]
pub struct Extended {
    pub pdf: Vec<u8>,
    pub until: SystemTime,
}

impl Sealer {
    /// Extends `pdf` (an evidence as sealed, or as last extended) with the validation data of
    /// its latest signature and a document time-stamp of this sealer's TSA, then verifies the
    /// result as a relying party would (`evidence::verify_pdf` with the service's roots):
    /// nothing unverifiable is ever returned.
    ///
    /// The validation data: the certificates the PDF carries and the revocation data of each
    /// certificate of its latest signature and of their issuers up to a trust root — from the
    /// development root (`validation`) for what it issued, otherwise from the CA that issued
    /// it, at the addresses the certificate names ([`evidence::revinfo::Fetcher`]). A revoked
    /// certificate stops the extension.
    pub async fn extend_long_term(
        &self,
        pdf: Vec<u8>,
        validation: Option<&DevValidation>,
    ) -> Result<Extended, SealingError> {
        let now = SystemTime::now();
        let plan = {
            let pdf = pdf.clone();
            let roots = self.trust_roots().to_vec();
            self.blocking(move || Plan::of(&pdf, &roots, now)).await?
        };
        let data = self.validation_data(plan, validation, now).await?;
        let mut hint = self.timestamp_size_hint();
        for _ in 0..2 {
            let prepared = ltv::prepare_lta(&pdf, &data, hint)?;
            let digest = prepared.digest();
            let token = match &self.snapshot().stamping {
                Stamping::Builtin(tsa) => {
                    let tsa = tsa.clone();
                    self.blocking(move || {
                        tsa.timestamp_blocking(&digest)
                            .map_err(|e| SealingError::from(PadesError::from(e)))
                    })
                    .await?
                }
                Stamping::Http(tsa) => tsa.timestamp(&digest).await.map_err(PadesError::from)?,
            };
            match prepared.finish(&token.der) {
                Ok(extended) => return self.checked(extended).await,
                // The TSA's tokens grew: once more with room for this one.
                Err(PadesError::SignatureTooLarge { needed, .. }) => hint = needed,
                Err(error) => return Err(error.into()),
            }
        }
        Err(SealingError::LongTerm(
            "the document time-stamp does not fit its placeholder".to_owned(),
        ))
    }

    /// `pdf` verified with the service's roots; its limit of verifiability.
    async fn checked(&self, pdf: Vec<u8>) -> Result<Extended, SealingError> {
        let roots = self.trust_roots().to_vec();
        self.blocking(move || {
            let report = evidence::verify_pdf(&pdf, &roots, None);
            match (report.valid(), report.verifiable_until()) {
                (true, Some(until)) if !report.doc_timestamps.is_empty() => {
                    Ok(Extended { pdf, until })
                }
                _ => Err(SealingError::LongTerm(format!(
                    "the extended evidence does not verify: {}",
                    report
                        .failures()
                        .map(|check| check.detail.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ))),
            }
        })
        .await
    }
}

/// The development PKI's revocation data for long-term extensions: the root's CRL and its OCSP
/// responses, each a signature in the token, made once and reused for the evidences a sweep
/// extends together. An entry serves a PDF only if it was made after that PDF's latest
/// signature (revocation data must postdate what they vouch for), and for an hour at most.
#[derive(Clone)]
pub struct DevValidation {
    revocation: DevRevocation,
    made: Arc<Mutex<Made>>,
}

/// What [`DevValidation`] made: by certificate (DER) or `crl`, when and the DER made.
type Made = HashMap<Vec<u8>, (SystemTime, Vec<u8>)>;

/// How long a CRL or OCSP response made for an extension is reused.
const REUSE: Duration = Duration::from_secs(3600);

impl DevValidation {
    pub fn new(revocation: DevRevocation) -> DevValidation {
        DevValidation {
            revocation,
            made: Arc::default(),
        }
    }

    /// The object under `key`, made by `make` unless one made after `after` and less than
    /// [`REUSE`] ago is kept.
    fn reuse(
        &self,
        key: Vec<u8>,
        after: SystemTime,
        now: SystemTime,
        make: impl FnOnce() -> evidence::Result<Vec<u8>>,
    ) -> evidence::Result<Vec<u8>> {
        let fresh =
            |at: &SystemTime| *at >= after && now.duration_since(*at).is_ok_and(|age| age < REUSE);
        let made = self.made.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((at, der)) = made.get(&key)
            && fresh(at)
        {
            return Ok(der.clone());
        }
        drop(made);
        let der = make()?;
        self.made
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, (now, der.clone()));
        Ok(der)
    }
}

/// What an extension needs to know about the PDF before gathering its validation data.
struct Plan {
    /// The certificates its signatures and time-stamp tokens carry.
    embedded: Vec<Certificate>,
    /// The certificates of its latest signature: those needing revocation data.
    latest: Vec<Certificate>,
    /// When the latest signature was made: the last document time-stamp's time, else the
    /// seal's time-stamp (revocation data must postdate what they vouch for).
    after: SystemTime,
}

impl Plan {
    fn of(pdf: &[u8], roots: &[Certificate], now: SystemTime) -> Result<Plan, SealingError> {
        let report = evidence::verify_pdf(pdf, roots, None);
        let after = report
            .doc_timestamps
            .last()
            .map(|stamp| stamp.time)
            .or(report.timestamp_time)
            .unwrap_or(now);
        Ok(Plan {
            embedded: ltv::embedded_certificates(pdf)?,
            latest: ltv::signature_certificates(pdf)?.pop().unwrap_or_default(),
            after,
        })
    }
}

impl Sealer {
    /// What the update carries: the PDF's certificates, then for each certificate of its
    /// latest signature and each issuer above it that is not a trust root: its issuer's
    /// certificate and its revocation data (see [`Sealer::extend_long_term`]). With the
    /// development PKI, the root's CRL too (as `ValidationData::for_dev_pki`, with the
    /// signatures in the token reused across evidences).
    async fn validation_data(
        &self,
        plan: Plan,
        validation: Option<&DevValidation>,
        now: SystemTime,
    ) -> Result<ValidationData, SealingError> {
        let mut data = ValidationData::default();
        for cert in &plan.embedded {
            data.add_certificate(cert)?;
        }
        let roots = self.trust_roots();
        let roots = roots.as_slice();
        let pool: Vec<&Certificate> = plan.embedded.iter().chain(roots).collect();
        let mut pending: Vec<Certificate> = plan.latest.clone();
        let mut done: Vec<Certificate> = Vec::new();
        let mut dev_issued = false;
        while let Some(cert) = pending.pop() {
            if roots.contains(&cert) || done.contains(&cert) {
                continue;
            }
            done.push(cert.clone());
            let Some(issuer) = pool.iter().copied().find(|issuer| {
                issuer.tbs_certificate.subject == cert.tbs_certificate.issuer && **issuer != cert
            }) else {
                tracing::warn!(certificate = %cert.tbs_certificate.subject, "long-term extension: the issuer of a certificate is not in the evidence; no revocation data for it");
                continue;
            };
            data.add_certificate(issuer)?;
            pending.push(issuer.clone());
            match validation {
                Some(dev) if issuer == dev.revocation.root() => {
                    dev_issued = true;
                    let dev = dev.clone();
                    let after = plan.after;
                    let ocsp = self
                        .blocking(move || {
                            let key = cert.to_der().map_err(evidence::Error::from)?;
                            Ok(dev.reuse(key, after, now, || {
                                dev.revocation.response_for(&cert, now)
                            })?)
                        })
                        .await?;
                    data.add_ocsp(ocsp);
                }
                _ => {
                    let fetched = self.revinfo.fetch(&cert, issuer, plan.after, now).await?;
                    if fetched.ocsp.is_none() && fetched.crl.is_none() {
                        tracing::warn!(certificate = %cert.tbs_certificate.subject, "long-term extension: the certificate names no OCSP responder and no CRL");
                    }
                    fetched.ocsp.into_iter().for_each(|der| data.add_ocsp(der));
                    fetched.crl.into_iter().for_each(|der| data.add_crl(der));
                }
            }
        }
        if dev_issued && let Some(dev) = validation {
            data.add_certificate(dev.revocation.root())?;
            let dev = dev.clone();
            let after = plan.after;
            let crl = self
                .blocking(move || {
                    Ok(dev.reuse(b"crl".to_vec(), after, now, || dev.revocation.crl(now))?)
                })
                .await?;
            data.add_crl(crl);
        }
        Ok(data)
    }
}
