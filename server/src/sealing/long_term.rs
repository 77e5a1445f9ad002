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
    /// The validation data: the certificates the PDF carries; in development the development
    /// root's CRL and OCSP responses (`validation`). A production CA's CRL and OCSP responses
    /// are not fetched yet (docs/long-term.md).
    pub async fn extend_long_term(
        &self,
        pdf: Vec<u8>,
        validation: Option<&DevValidation>,
    ) -> Result<Extended, SealingError> {
        let validation = validation.cloned();
        let now = SystemTime::now();
        let data = {
            let pdf = pdf.clone();
            let roots = self.trust_roots().to_vec();
            self.blocking(move || validation_data(&pdf, validation.as_ref(), &roots, now))
                .await?
        };
        let mut hint = self.timestamp_size_hint();
        for _ in 0..2 {
            let prepared = ltv::prepare_lta(&pdf, &data, hint)?;
            let digest = prepared.digest();
            let token = match &self.stamping {
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

/// What the update carries: the PDF's certificates; with the development PKI its root, the
/// root's CRL and an OCSP response for each certificate of the latest signature it issued (as
/// `ValidationData::for_dev_pki`, with the signatures in the token reused across evidences).
fn validation_data(
    pdf: &[u8],
    validation: Option<&DevValidation>,
    roots: &[Certificate],
    now: SystemTime,
) -> Result<ValidationData, SealingError> {
    let mut data = ValidationData::default();
    for cert in ltv::embedded_certificates(pdf)? {
        data.add_certificate(&cert)?;
    }
    let Some(validation) = validation else {
        return Ok(data);
    };
    // The latest signature's time: the last document time-stamp's, else the seal's.
    let report = evidence::verify_pdf(pdf, roots, None);
    let after = report
        .doc_timestamps
        .last()
        .map(|stamp| stamp.time)
        .or(report.timestamp_time)
        .unwrap_or(now);
    let root = validation.revocation.root();
    let latest = ltv::signature_certificates(pdf)?.pop().unwrap_or_default();
    for cert in &latest {
        if cert.tbs_certificate.issuer == root.tbs_certificate.subject && cert != root {
            let key = cert.to_der().map_err(evidence::Error::from)?;
            data.add_ocsp(validation.reuse(key, after, now, || {
                validation.revocation.response_for(cert, now)
            })?);
        }
    }
    data.add_certificate(root)?;
    data.add_crl(validation.reuse(b"crl".to_vec(), after, now, || {
        validation.revocation.crl(now)
    })?);
    Ok(data)
}
