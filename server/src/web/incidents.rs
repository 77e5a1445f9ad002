//! The incident register's port of the server functions (`app::incidents::IncidentServices`),
//! each call going to its flow in [`crate::operators::incidents`], and the plain route of an
//! incident's report (OPS-08): `GET /back-office/incidents/{id}/report` (Markdown, in the
//! reader's language; `?format=json` for JSON), refused to anyone but an operator who may read
//! the register, as the journal's export is.

use app::api::Caller;
use app::error::AppError;
use app::incidents::{IncidentPage, IncidentRegister, IncidentServices, QualifyForm};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::operators::incidents::{self as flows, report};

pub fn routes() -> Router<AppState> {
    Router::new().route("/back-office/incidents/{id}/report", get(incident_report))
}

#[derive(serde::Deserialize)]
struct ReportQuery {
    #[serde(default)]
    format: String,
}

async fn incident_report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<ReportQuery>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let caller = app::api::caller_of(&parts);
    let lang = super::letters::lang_of(&parts);
    let format = match query.format.as_str() {
        "" | "md" | "markdown" => report::Format::Markdown,
        "json" => report::Format::Json,
        other => {
            let error = AppError::Malformed(format!("unknown report format {other:?} (md, json)"));
            return super::letters::error_response(&parts, error.into());
        }
    };
    match report::export(&state, &caller, &id, format, lang).await {
        Ok((text, media_type, name)) => (
            [
                (header::CONTENT_TYPE, media_type.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            text,
        )
            .into_response(),
        Err(error) => super::letters::error_response(&parts, error),
    }
}

#[async_trait::async_trait]
impl IncidentServices for AppState {
    async fn register(&self, caller: Caller) -> Result<IncidentRegister, AppError> {
        Ok(report::register(self, &caller).await?)
    }

    async fn incident(&self, caller: Caller, id: String) -> Result<IncidentPage, AppError> {
        Ok(report::page(self, &caller, &id).await?)
    }

    async fn open(
        &self,
        caller: Caller,
        title: String,
        description: String,
        severity: String,
        detected_at: String,
    ) -> Result<String, AppError> {
        Ok(flows::open(self, &caller, &title, &description, &severity, &detected_at).await?)
    }

    async fn qualify(
        &self,
        caller: Caller,
        id: String,
        form: QualifyForm,
    ) -> Result<IncidentPage, AppError> {
        flows::qualify(self, &caller, &id, &form).await?;
        Ok(report::page(self, &caller, &id).await?)
    }

    async fn attach_letter(
        &self,
        caller: Caller,
        id: String,
        letter_id: String,
    ) -> Result<IncidentPage, AppError> {
        flows::attach_letter(self, &caller, &id, &letter_id).await?;
        Ok(report::page(self, &caller, &id).await?)
    }

    async fn notify(
        &self,
        caller: Caller,
        id: String,
        notice: String,
    ) -> Result<IncidentPage, AppError> {
        flows::notify(self, &caller, &id, &notice).await?;
        Ok(report::page(self, &caller, &id).await?)
    }

    async fn close(
        &self,
        caller: Caller,
        id: String,
        summary: String,
    ) -> Result<IncidentPage, AppError> {
        flows::close(self, &caller, &id, &summary).await?;
        Ok(report::page(self, &caller, &id).await?)
    }
}
