//! [`HttpTimeStamper`]: RFC 3161 over HTTP (§3.4) to any time-stamping authority.

use std::error::Error as _;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use const_oid::ObjectIdentifier;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use x509_cert::Certificate;

use super::asn1::{TimeStampRequest, token_from_response};
use super::trust::TsaTrust;
use super::{TimeStampToken, TimeStamper, TimestampError};

/// RFC 3161 §3.4 media types.
const QUERY_TYPE: &str = "application/timestamp-query";
const REPLY_TYPE: &str = "application/timestamp-reply";

/// A time-stamp response is a few kilobytes; refuse to read more than this.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Default time to establish the TCP (and TLS) connection.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for the whole exchange.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A client for one time-stamping authority over HTTP (EVD-02: the TSA is configurable).
///
/// Each [`TimeStamper::timestamp`] POSTs a fresh `TimeStampReq` (SHA-256 imprint, random
/// nonce, `certReq`) as `application/timestamp-query`, requires `200 OK` with
/// `application/timestamp-reply`, requires status granted (or grantedWithMods), then checks
/// the token with [`super::verify_token`] against the configured trust roots (the TSA
/// certificate's path verified once: [`TsaTrust`]), our digest and our nonce.
///
/// The exchange is IO and the checks are CPU (RSA): a server may run them apart,
/// [`HttpTimeStamper::fetch`] on its async threads and [`HttpTimeStamper::check`] on a
/// blocking one; [`TimeStamper::timestamp`] does both.
#[derive(Clone)]
pub struct HttpTimeStamper {
    tsa: Tsa,
    client: reqwest::Client,
    trust: Arc<TsaTrust>,
}

/// A TSA's answer to one request, not yet checked ([`HttpTimeStamper::check`]).
#[derive(Clone, Debug)]
pub struct FetchedResponse {
    /// The DER `TimeStampResp`.
    response: Vec<u8>,
    /// The digest asked for.
    digest: [u8; 32],
    /// The request's nonce (INTEGER content bytes).
    nonce: Vec<u8>,
}

impl fmt::Debug for HttpTimeStamper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpTimeStamper")
            .field("tsa", &self.tsa)
            .finish_non_exhaustive()
    }
}

/// Configures an [`HttpTimeStamper`]; see [`HttpTimeStamper::builder`].
#[derive(Clone, Debug)]
pub struct HttpTimeStamperBuilder {
    tsa: Tsa,
    connect_timeout: Duration,
    timeout: Duration,
}

/// The authority asked and how: its URL, credentials and policy, and the roots its tokens
/// must chain to.
#[derive(Clone)]
struct Tsa {
    url: String,
    basic_auth: Option<(String, String)>,
    policy: Option<ObjectIdentifier>,
    trust_roots: Vec<Certificate>,
}

/// Shows the user name but not the password, and counts the trust roots.
impl fmt::Debug for Tsa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tsa")
            .field("url", &self.url)
            .field(
                "basic_auth",
                &self
                    .basic_auth
                    .as_ref()
                    .map(|(user, _)| (user, "<redacted>")),
            )
            .field("policy", &self.policy)
            .field("trust_roots", &self.trust_roots.len())
            .finish()
    }
}

impl HttpTimeStamperBuilder {
    /// HTTP basic authentication, for TSAs that require an account.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.tsa.basic_auth = Some((user.into(), password.into()));
        self
    }

    /// The TSA policy to ask for (`reqPolicy`); by default the TSA chooses.
    pub fn policy(mut self, policy: ObjectIdentifier) -> Self {
        self.tsa.policy = Some(policy);
        self
    }

    /// Time allowed to connect (default 10 s) and for the whole exchange (default 30 s).
    pub fn timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.connect_timeout = connect;
        self.timeout = total;
        self
    }

    /// Checks the URL (absolute, `http` or `https`) and creates the HTTP client.
    pub fn build(self) -> Result<HttpTimeStamper, TimestampError> {
        let invalid = |reason: String| TimestampError::InvalidUrl {
            url: self.tsa.url.clone(),
            reason,
        };
        let url = reqwest::Url::parse(&self.tsa.url).map_err(|e| invalid(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid(format!(
                "scheme {:?} is not http or https",
                url.scheme()
            )));
        }
        if url.host_str().is_none() {
            return Err(invalid("no host".to_owned()));
        }
        let client = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .user_agent(concat!("pli-evidence/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| TimestampError::HttpClient {
                reason: error_chain(&e),
            })?;
        Ok(HttpTimeStamper {
            trust: Arc::new(TsaTrust::new(self.tsa.trust_roots.clone())),
            tsa: self.tsa,
            client,
        })
    }
}

impl HttpTimeStamper {
    /// A builder for the TSA at `url` whose tokens must chain to one of `trust_roots`.
    pub fn builder(
        url: impl Into<String>,
        trust_roots: Vec<Certificate>,
    ) -> HttpTimeStamperBuilder {
        HttpTimeStamperBuilder {
            tsa: Tsa {
                url: url.into(),
                basic_auth: None,
                policy: None,
                trust_roots,
            },
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The TSA at `url` with the default timeouts, no authentication and no policy.
    pub fn new(
        url: impl Into<String>,
        trust_roots: Vec<Certificate>,
    ) -> Result<Self, TimestampError> {
        Self::builder(url, trust_roots).build()
    }

    /// The TSA URL.
    pub fn url(&self) -> &str {
        &self.tsa.url
    }

    /// POSTs `request_der` and returns the body of a `200 OK` `application/timestamp-reply`.
    async fn exchange(&self, request_der: Vec<u8>) -> Result<Vec<u8>, TimestampError> {
        let unreachable = |e: reqwest::Error| TimestampError::Unreachable {
            url: self.tsa.url.clone(),
            reason: error_chain(&e),
        };
        let mut request = self
            .client
            .post(&self.tsa.url)
            .header(CONTENT_TYPE, QUERY_TYPE)
            .body(request_der);
        if let Some((user, password)) = &self.tsa.basic_auth {
            request = request.basic_auth(user, Some(password));
        }
        let mut response = request.send().await.map_err(unreachable)?;

        let status = response.status();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .map(HeaderValue::as_bytes)
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .unwrap_or_default();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(TimestampError::Malformed {
                    what: format!("response (larger than {MAX_RESPONSE_BYTES} bytes)"),
                });
            }
            body.extend_from_slice(&chunk);
        }

        if status != reqwest::StatusCode::OK {
            return Err(TimestampError::HttpStatus {
                url: self.tsa.url.clone(),
                status: status.as_u16(),
                body: body_excerpt(&content_type, &body),
            });
        }
        let media_type = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if media_type != REPLY_TYPE {
            return Err(TimestampError::ContentType {
                url: self.tsa.url.clone(),
                content_type,
            });
        }
        Ok(body)
    }
}

impl HttpTimeStamper {
    /// Asks the TSA for a token over `digest` (IO only): the answer still has to go through
    /// [`HttpTimeStamper::check`].
    pub async fn fetch(&self, digest: &[u8; 32]) -> Result<FetchedResponse, TimestampError> {
        let request = TimeStampRequest::new(digest, self.tsa.policy)?;
        let response = self.exchange(request.der).await?;
        Ok(FetchedResponse {
            response,
            digest: *digest,
            nonce: request.nonce,
        })
    }

    /// Checks a fetched answer (CPU: RSA): status granted, the token verified against the
    /// trust roots, the digest and the nonce asked for.
    pub fn check(&self, fetched: &FetchedResponse) -> Result<TimeStampToken, TimestampError> {
        let token = token_from_response(&fetched.response)?;
        let verified = self
            .trust
            .verify_token(&token, &fetched.digest, Some(&fetched.nonce))?;
        tracing::debug!(
            url = %self.tsa.url,
            tsa = %verified.tsa_subject(),
            policy = %verified.policy,
            "obtained a time-stamp token"
        );
        Ok(verified.into())
    }
}

#[async_trait::async_trait]
impl TimeStamper for HttpTimeStamper {
    async fn timestamp(&self, digest: &[u8; 32]) -> Result<TimeStampToken, TimestampError> {
        let fetched = self.fetch(digest).await?;
        self.check(&fetched)
    }
}

/// `error` and its causes, joined by ": " (reqwest's own message omits e.g. "Connection
/// refused").
fn error_chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// The first 200 characters of a text body (whitespace collapsed), else its size.
fn body_excerpt(content_type: &str, body: &[u8]) -> String {
    let is_text = content_type.starts_with("text/")
        || content_type.contains("json")
        || content_type.contains("xml");
    match std::str::from_utf8(body) {
        Ok(text) if is_text || content_type.is_empty() => {
            let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let excerpt: String = collapsed.chars().take(200).collect();
            if content_type.is_empty() {
                excerpt
            } else {
                format!("({content_type}) {excerpt}")
            }
        }
        _ => format!("({content_type}) {} bytes", body.len()),
    }
}
