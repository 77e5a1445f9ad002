//! Server functions: the only way the browser asks the server for anything. Each one is a thin
//! adapter: it validates its input with the shared rules, then calls the [`Services`] port that
//! the `server` crate implements, so that no database, HSM or mail code is compiled here.

use leptos::prelude::*;

use crate::error::AppError;
use crate::types::{
    ClockState, EvidenceSummary, MailMessage, MailSummary, ServerInfo, VerificationReport,
};
#[cfg(feature = "ssr")]
use crate::validation;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// The server-side port behind the server functions, implemented by the `server` crate and
/// provided to every request as a [`ServicesHandle`] context.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait Services: Send + Sync + 'static {
    fn info(&self) -> ServerInfo;
    async fn mailbox_list(&self) -> Result<Vec<MailSummary>, AppError>;
    async fn mailbox_get(&self, id: String) -> Result<MailMessage, AppError>;
    async fn mailbox_send_test(&self, to: String) -> Result<(), AppError>;
    async fn clock_state(&self) -> Result<ClockState, AppError>;
    async fn clock_advance(&self, seconds: i64) -> Result<ClockState, AppError>;
    async fn clock_reset(&self) -> Result<ClockState, AppError>;
    async fn evidence_list(&self) -> Result<Vec<EvidenceSummary>, AppError>;
    /// Verifies an evidence PDF (EVD-03, EVD-06); `original_sha256` is a file's SHA-256
    /// computed in the user's browser.
    async fn verify_evidence(
        &self,
        pdf: Vec<u8>,
        original_sha256: Option<String>,
    ) -> Result<VerificationReport, AppError>;
    /// Seals a checkpoint of the journal now; the new evidence's id, if the head moved.
    async fn checkpoint_now(&self) -> Result<Option<String>, AppError>;
}

/// The [`Services`] of this server, as a request context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct ServicesHandle(pub std::sync::Arc<dyn Services>);

#[cfg(feature = "ssr")]
fn services() -> Result<std::sync::Arc<dyn Services>, AppError> {
    use_context::<ServicesHandle>()
        .map(|handle| handle.0)
        .ok_or_else(|| AppError::Internal {
            request_id: "no-services-context".to_owned(),
        })
}

#[cfg(feature = "ssr")]
fn development_services() -> Result<std::sync::Arc<dyn Services>, AppError> {
    let services = services()?;
    if services.info().development {
        Ok(services)
    } else {
        Err(AppError::DevelopmentOnly)
    }
}

#[server]
pub async fn fetch_server_info() -> Result<ServerInfo, AppError> {
    Ok(services()?.info())
}

#[server]
pub async fn dev_mailbox_list() -> Result<Vec<MailSummary>, AppError> {
    development_services()?.mailbox_list().await
}

#[server]
pub async fn dev_mailbox_get(id: String) -> Result<MailMessage, AppError> {
    development_services()?.mailbox_get(id).await
}

#[server]
pub async fn dev_mailbox_send_test(to: String) -> Result<(), AppError> {
    let to = validation::email(&to)?;
    development_services()?.mailbox_send_test(to).await
}

#[server]
pub async fn dev_clock_get() -> Result<ClockState, AppError> {
    development_services()?.clock_state().await
}

#[server]
pub async fn dev_clock_advance(seconds: i64) -> Result<ClockState, AppError> {
    development_services()?.clock_advance(seconds).await
}

#[server]
pub async fn dev_clock_reset() -> Result<ClockState, AppError> {
    development_services()?.clock_reset().await
}

#[server]
pub async fn dev_evidence_list() -> Result<Vec<EvidenceSummary>, AppError> {
    development_services()?.evidence_list().await
}

#[server]
pub async fn dev_checkpoint_now() -> Result<Option<String>, AppError> {
    development_services()?.checkpoint_now().await
}

/// Verifies an uploaded evidence PDF (multipart field `evidence`), and optionally whether an
/// original file's SHA-256 (field `original_sha256`, computed in the browser: the original
/// itself is never uploaded) is one the evidence records. Public: no account needed.
#[server(input = MultipartFormData, endpoint = "verify_evidence")]
pub async fn verify_evidence(data: MultipartData) -> Result<VerificationReport, AppError> {
    use validation::{Invalid, MAX_EVIDENCE_BYTES};
    let mut form = data
        .into_inner()
        .ok_or(AppError::Invalid(Invalid::EvidenceFile))?;
    let mut pdf = Vec::new();
    let mut original = None;
    while let Ok(Some(mut field)) = form.next_field().await {
        match field.name() {
            Some("evidence") => {
                while let Ok(Some(chunk)) = field.chunk().await {
                    if pdf.len() + chunk.len() > MAX_EVIDENCE_BYTES {
                        return Err(Invalid::EvidenceFile.into());
                    }
                    pdf.extend_from_slice(&chunk);
                }
            }
            Some("original_sha256") => {
                let text = field.text().await.unwrap_or_default();
                if !text.trim().is_empty() {
                    original = Some(validation::sha256_hex(&text)?);
                }
            }
            _ => {}
        }
    }
    if pdf.is_empty() {
        return Err(Invalid::EvidenceFile.into());
    }
    services()?.verify_evidence(pdf, original).await
}
