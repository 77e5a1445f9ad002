//! The server's implementation of the app's [`Services`] port: what the server functions call.

use app::api::{Caller, Services, SignUpForm, WithCookie};
use app::error::AppError;
use app::types::{
    AuthState, ClockState, EvidenceSummary, MailMessage, MailSummary, OtpSessionInfo,
    QualifiedAction, ServerInfo, SimulatorSession, TotpEnrolment, VerificationReport,
    WalletRequest,
};
use app::validation::Invalid;
use chrono::SecondsFormat;
use domain::time::rfc3339;

use crate::AppState;
use crate::account;
use crate::clock::shared_offset;
use crate::mailer::Email;
use crate::store::{self, mailbox};

pub(crate) use crate::web::errors::internal;

impl AppState {
    fn clock_state(&self) -> ClockState {
        ClockState {
            now: self.clock.now().to_rfc3339_opts(SecondsFormat::Secs, true),
            offset_seconds: self.clock.offset().num_seconds(),
        }
    }
}

#[async_trait::async_trait]
impl Services for AppState {
    fn secure_cookies(&self) -> bool {
        self.config.server.public_url.starts_with("https://")
    }

    fn info(&self) -> ServerInfo {
        let today = self.legal_today();
        ServerInfo {
            development: self.config.is_development(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            policy_oid: self.config.policy.oid.clone(),
            legal_time_zone: self.config.policy.legal_time_zone.clone(),
            contact_email: self.config.policy.contact_email.clone(),
            documents: self.publication.summaries(&today),
            upcoming: self.publication.upcoming(&today),
        }
    }

    async fn mailbox_list(&self) -> Result<Vec<MailSummary>, AppError> {
        let messages = mailbox::latest(self.db.pool()).await.map_err(internal)?;
        Ok(messages
            .into_iter()
            .map(|message| MailSummary {
                id: message.id,
                from: message.mail_from,
                to: message.mail_to,
                subject: message.subject,
                sent_at: rfc3339(message.sent_at),
            })
            .collect())
    }

    async fn mailbox_get(&self, id: String) -> Result<MailMessage, AppError> {
        let message = mailbox::by_id(self.db.pool(), &id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        Ok(MailMessage {
            summary: MailSummary {
                id: message.id,
                from: message.mail_from,
                to: message.mail_to,
                subject: message.subject,
                sent_at: rfc3339(message.sent_at),
            },
            text: message.text_body,
            html: message.html_body,
            raw: message.raw,
        })
    }

    async fn mailbox_send_test(&self, to: String) -> Result<(), AppError> {
        let url = &self.config.server.public_url;
        let email = Email {
            attachments: Vec::new(),
            to,
            subject: "Pli : courriel d'essai / test email".to_owned(),
            text: format!(
                "Ce courriel d'essai prouve que l'envoi fonctionne.\n\
                 This test email proves that sending works.\n\n{url}/\n"
            ),
            html: Some(format!(
                "<p>Ce courriel d'essai prouve que l'envoi fonctionne.<br>\
                 <i>This test email proves that sending works.</i></p>\
                 <p><a href=\"{url}/\">{url}/</a></p>"
            )),
        };
        self.mailer.send(&email).await.map(|_| ()).map_err(internal)
    }

    async fn clock_state(&self) -> Result<ClockState, AppError> {
        Ok(AppState::clock_state(self))
    }

    async fn clock_advance(&self, seconds: i64) -> Result<ClockState, AppError> {
        if !(1..=366 * 86_400).contains(&seconds) {
            return Err(Invalid::ClockStep.into());
        }
        shared_offset::add(&self.db, seconds * 1000)
            .await
            .map_err(internal)?;
        if self.clock.follows_shared_offset() {
            shared_offset::refresh(&self.db, &self.clock)
                .await
                .map_err(internal)?;
        } else {
            self.clock.advance(chrono::TimeDelta::seconds(seconds));
        }
        tracing::info!(seconds, "development clock moved forward");
        Ok(AppState::clock_state(self))
    }

    async fn clock_reset(&self) -> Result<ClockState, AppError> {
        shared_offset::reset(&self.db).await.map_err(internal)?;
        shared_offset::refresh(&self.db, &self.clock)
            .await
            .map_err(internal)?;
        tracing::info!("development clock back to real time");
        Ok(AppState::clock_state(self))
    }

    async fn sign_up(&self, caller: Caller, form: SignUpForm) -> Result<(), AppError> {
        Ok(account::sign_up(self, caller, form).await?)
    }

    async fn confirm_email(&self, caller: Caller, token: String) -> Result<(), AppError> {
        Ok(account::confirm_email(self, caller, token).await?)
    }

    async fn sign_in(
        &self,
        caller: Caller,
        email: String,
        password: String,
    ) -> Result<WithCookie<AuthState>, AppError> {
        Ok(account::sign_in(self, caller, email, password).await?)
    }

    async fn second_factor(
        &self,
        caller: Caller,
        code: String,
    ) -> Result<WithCookie<AuthState>, AppError> {
        Ok(account::second_factor(self, caller, code).await?)
    }

    async fn sign_out(&self, caller: Caller, idle: bool) -> Result<WithCookie<()>, AppError> {
        Ok(account::sign_out(self, caller, idle).await?)
    }

    async fn auth_state(&self, caller: Caller) -> Result<WithCookie<AuthState>, AppError> {
        Ok(account::auth_state(self, caller).await?)
    }

    async fn terms_accept(&self, caller: Caller, version: String) -> Result<(), AppError> {
        Ok(account::terms::accept(self, &caller, &version).await?)
    }

    async fn totp_begin(&self, caller: Caller) -> Result<TotpEnrolment, AppError> {
        Ok(account::totp_begin(self, caller).await?)
    }

    async fn totp_pending(&self, caller: Caller) -> Result<Option<TotpEnrolment>, AppError> {
        Ok(account::totp_pending(self, caller).await?)
    }

    async fn totp_confirm(
        &self,
        caller: Caller,
        code: String,
    ) -> Result<WithCookie<Vec<String>>, AppError> {
        Ok(account::totp_confirm(self, caller, code).await?)
    }

    async fn require_otp_session(&self, caller: Caller) -> Result<OtpSessionInfo, AppError> {
        Ok(account::require_otp_session(self, caller).await?)
    }

    async fn require_qualified_action(&self, caller: Caller) -> Result<QualifiedAction, AppError> {
        Ok(account::require_qualified_action(self, caller).await?)
    }

    async fn proofing_start(&self, caller: Caller) -> Result<String, AppError> {
        Ok(account::proofing_start(self, caller).await?)
    }

    async fn simulator_session(&self, id: String) -> Result<SimulatorSession, AppError> {
        let (expected_name, _, outcome) = crate::identity::simulator_session(&self.db, &id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        Ok(SimulatorSession {
            expected_name,
            decided: outcome.is_some(),
        })
    }

    async fn wallet_request(&self, id: String) -> Result<WalletRequest, AppError> {
        use crate::identity::wallet::Page;
        match crate::identity::wallet::page(self, &id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?
        {
            Page::Done { return_url } => Ok(WalletRequest::Done { next: return_url }),
            Page::Waiting {
                cross_device,
                same_device,
            } => Ok(WalletRequest::Waiting {
                qr_png_base64: qrcodegen_image::draw_base64(&cross_device).map_err(internal)?,
                cross_device_url: cross_device,
                same_device_url: same_device,
            }),
        }
    }

    async fn simulator_decide(
        &self,
        id: String,
        success: bool,
        verified_name: String,
    ) -> Result<String, AppError> {
        let back = crate::identity::simulator_decide(
            &self.db,
            &id,
            success,
            &verified_name,
            self.clock.now_ms(),
        )
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
        // As a real provider would, push the signed result to our callback (in-process here;
        // polling would find it too).
        let body = serde_json::to_vec(&crate::identity::CallbackBody {
            provider_session_id: id,
            status: if success { "succeeded" } else { "failed" }.to_owned(),
            verified_name: Some(verified_name),
        })
        .map_err(internal)?;
        let provider = Caller {
            session_token: None,
            ip: "simulator".to_owned(),
            user_agent: "Pli identity simulator".to_owned(),
            ..Caller::default()
        };
        let signature = crate::identity::simulator_signature(&body);
        crate::identity::proofing::callback(self, &provider, "simulator", &signature, &body)
            .await?;
        Ok(back)
    }

    async fn totp_remove(&self, caller: Caller) -> Result<(), AppError> {
        Ok(account::totp_remove(self, caller).await?)
    }

    async fn deactivate(&self, caller: Caller) -> Result<WithCookie<()>, AppError> {
        Ok(account::deactivate(self, caller).await?)
    }

    async fn reactivate(&self, caller: Caller, token: String) -> Result<(), AppError> {
        Ok(account::reactivate(self, caller, token).await?)
    }

    async fn password_forgot(&self, caller: Caller, email: String) -> Result<(), AppError> {
        Ok(account::password_forgot(self, caller, email).await?)
    }

    async fn password_reset_check(&self, token: String) -> Result<(), AppError> {
        Ok(account::password_reset_check(self, token).await?)
    }

    async fn password_reset(
        &self,
        caller: Caller,
        token: String,
        password: String,
    ) -> Result<WithCookie<()>, AppError> {
        Ok(account::password_reset(self, caller, token, password).await?)
    }

    async fn password_change(
        &self,
        caller: Caller,
        current: String,
        password: String,
    ) -> Result<(), AppError> {
        Ok(account::password_change(self, caller, current, password).await?)
    }

    async fn evidence_list(&self) -> Result<Vec<EvidenceSummary>, AppError> {
        let rows = store::evidence::latest(self.db.pool())
            .await
            .map_err(internal)?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let known = evidence::pades::EvidenceKind::from_code(&row.kind);
                EvidenceSummary {
                    title_fr: known.map_or(row.kind.clone(), |k| k.title_fr().to_owned()),
                    title_en: known.map_or(row.kind.clone(), |k| k.title_en().to_owned()),
                    id: row.id,
                    kind: row.kind,
                    created_at: rfc3339(row.created_at),
                    sha256: row.sha256,
                    seq: row.seq,
                }
            })
            .collect())
    }

    async fn checkpoint_now(&self) -> Result<Option<String>, AppError> {
        let issued = crate::transparency::heads::publish_now(self)
            .await
            .map_err(internal)?;
        Ok(issued.map(|issued| issued.id))
    }

    async fn verify_evidence(
        &self,
        pdf: Vec<u8>,
        original_sha256: Option<String>,
    ) -> Result<VerificationReport, AppError> {
        if !crate::sealing::verification::is_pdf(&pdf) {
            return Err(AppError::NotPdf);
        }
        let original = match original_sha256 {
            Some(hex) => {
                Some(crate::sealing::verification::parse_sha256(&hex).ok_or(Invalid::Sha256)?)
            }
            None => None,
        };
        let roots = self.sealer.trust_roots().to_vec();
        let (report, seq) =
            crate::sealing::verification::verify(Some(&self.db), roots, pdf, original)
                .await
                .map_err(internal)?;
        tracing::info!(valid = report.valid(), evidence_id = ?report.evidence_id, "evidence verified");
        Ok(crate::sealing::verification::view(
            &report,
            seq,
            self.legal_zone(),
        ))
    }
}
