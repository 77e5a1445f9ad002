//! Revocation data over HTTP: the OCSP responder (RFC 6960 Appendix A.1, POST) and the CRL
//! (RFC 5280 §4.2.1.13, GET) that a certificate names, each checked before use and kept while
//! current, so that a sweep over thousands of evidences asks the CA once per certificate, not
//! once per evidence.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use x509_cert::Certificate;

use super::{Current, RevinfoError, check_crl, check_ocsp, crl_urls, ocsp_request, ocsp_urls};

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A response or CRL larger than this is refused (a large CA's CRL is a few megabytes).
const MAX_BYTES: usize = 32 << 20;

/// How long a fetched response or CRL is reused at most (less when it becomes stale).
const REUSE: Duration = Duration::from_secs(3600);

/// What a certificate's issuer publishes about it, checked: an OCSP response and a CRL, each
/// when the certificate names where to get one and it was obtained.
#[derive(Clone, Debug, Default)]
pub struct Fetched {
    /// A DER `OCSPResponse` saying the certificate is good.
    pub ocsp: Option<Vec<u8>>,
    /// A DER CRL of the issuer not listing the certificate.
    pub crl: Option<Vec<u8>>,
}

/// The DER the first of `urls` gives (`get`), the failures of those before it in `reasons`;
/// a certificate declared revoked ends the search with that error.
async fn first<F, Fut>(
    urls: Vec<String>,
    reasons: &mut Vec<String>,
    get: F,
) -> Result<Option<Vec<u8>>, RevinfoError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<Vec<u8>, RevinfoError>>,
{
    for url in urls {
        match get(url).await {
            Ok(der) => return Ok(Some(der)),
            Err(error @ RevinfoError::Revoked { .. }) => return Err(error),
            Err(error) => reasons.push(error.to_string()),
        }
    }
    Ok(None)
}

/// Fetches and keeps revocation data (cheap to clone: clones share the kept data).
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    kept: Arc<Mutex<HashMap<String, Kept>>>,
}

/// A fetched DER, when it was fetched and what it says about its own currency.
#[derive(Clone)]
struct Kept {
    der: Vec<u8>,
    current: Current,
    fetched: SystemTime,
}

impl Fetcher {
    /// A fetcher with its own HTTP client (proxies from the usual environment variables).
    pub fn new() -> Result<Fetcher, RevinfoError> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(|e| RevinfoError::Fetch {
                url: String::new(),
                reason: e.to_string(),
            })?;
        Ok(Fetcher {
            client,
            kept: Arc::default(),
        })
    }

    /// The revocation data of `cert`, issued by `issuer`, current at `now`: an OCSP response
    /// from the first of its responders that gives a good one — issued at or after `after`
    /// when a kept one is reused, so that it postdates the signature it vouches for — and a
    /// CRL from the first of its distribution points that gives one.
    ///
    /// Refused when the issuer says the certificate is revoked, and when the certificate names
    /// addresses but none of them gave anything usable. A certificate naming none gets nothing
    /// (empty [`Fetched`]).
    pub async fn fetch(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        after: SystemTime,
        now: SystemTime,
    ) -> Result<Fetched, RevinfoError> {
        let mut reasons = Vec::new();
        let ocsp = first(ocsp_urls(cert), &mut reasons, |url| async move {
            let key = format!(
                "ocsp {url} {} {}",
                issuer.tbs_certificate.subject, cert.tbs_certificate.serial_number
            );
            match self.reuse(&key, now, |kept| kept.current.this_update >= after) {
                Some(der) => Ok(der),
                None => {
                    let request = self
                        .client
                        .post(&url)
                        .header("Content-Type", "application/ocsp-request")
                        .body(ocsp_request(cert, issuer)?);
                    self.fetched(&url, request, &key, now, |der| {
                        check_ocsp(der, cert, issuer, now)
                    })
                    .await
                }
            }
        })
        .await?;
        let crl = first(crl_urls(cert), &mut reasons, |url| async move {
            let key = format!("crl {url}");
            match self.reuse(&key, now, |_| true) {
                Some(der) => check_crl(&der, cert, issuer, now).map(|_| der),
                None => {
                    let request = self.client.get(&url);
                    self.fetched(&url, request, &key, now, |der| {
                        check_crl(der, cert, issuer, now)
                    })
                    .await
                }
            }
        })
        .await?;
        let fetched = Fetched { ocsp, crl };
        if fetched.ocsp.is_none() && fetched.crl.is_none() && !reasons.is_empty() {
            return Err(RevinfoError::Unavailable {
                subject: cert.tbs_certificate.subject.to_string(),
                reasons: reasons.join("; "),
            });
        }
        Ok(fetched)
    }

    /// A kept DER under `key` still current at `now`, fetched less than [`REUSE`] ago, and
    /// `usable`.
    fn reuse(&self, key: &str, now: SystemTime, usable: impl Fn(&Kept) -> bool) -> Option<Vec<u8>> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.get(key)
            .filter(|kept| {
                now.duration_since(kept.fetched)
                    .is_ok_and(|age| age < REUSE)
                    && kept.current.next_update.is_none_or(|next| next >= now)
                    && usable(kept)
            })
            .map(|kept| kept.der.clone())
    }

    fn keep(&self, key: &str, der: &[u8], current: Current, now: SystemTime) {
        self.kept.lock().unwrap_or_else(|p| p.into_inner()).insert(
            key.to_owned(),
            Kept {
                der: der.to_vec(),
                current,
                fetched: now,
            },
        );
    }

    /// The DER `request` gets from `url`, if `check` accepts it; kept under `key`.
    async fn fetched(
        &self,
        url: &str,
        request: reqwest::RequestBuilder,
        key: &str,
        now: SystemTime,
        check: impl Fn(&[u8]) -> Result<Current, RevinfoError>,
    ) -> Result<Vec<u8>, RevinfoError> {
        let der = self.body(url, request).await?;
        let current = check(&der)?;
        self.keep(key, &der, current, now);
        Ok(der)
    }

    /// The body of a 200 answer to `request`, at most [`MAX_BYTES`].
    async fn body(
        &self,
        url: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, RevinfoError> {
        let failed = |reason: String| RevinfoError::Fetch {
            url: url.to_owned(),
            reason,
        };
        let mut response = request.send().await.map_err(|e| failed(e.to_string()))?;
        if !response.status().is_success() {
            return Err(failed(format!("HTTP {}", response.status())));
        }
        if response
            .content_length()
            .is_some_and(|length| length > MAX_BYTES as u64)
        {
            return Err(failed("too large".to_owned()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| failed(e.to_string()))? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_BYTES {
                return Err(failed("too large".to_owned()));
            }
        }
        Ok(body)
    }
}
