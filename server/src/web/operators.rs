//! The back office's port of the server functions (`app::operators::OperatorServices`): each
//! call goes to its flow in [`crate::operators`], and a failure becomes the user's error here.

use app::api::Caller;
use app::error::AppError;
use app::operators::{AssignmentView, BackOffice, JournalPage, LedgerCheck, OperatorServices};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::roles::TrustedRole;

use crate::AppState;
use crate::operators::{audit, roles, views};

/// The plain route of the back office: the journal's export (a system auditor's).
pub fn routes() -> Router<AppState> {
    Router::new().route("/back-office/journal.jsonl", get(journal_export))
}

#[derive(serde::Deserialize)]
struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

async fn journal_export(
    State(state): State<AppState>,
    Query(period): Query<Period>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let caller = app::api::caller_of(&parts);
    match audit::export(&state, &caller, &period.from, &period.to).await {
        Ok((lines, name)) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/jsonl; charset=utf-8".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            lines,
        )
            .into_response(),
        Err(error) => super::letters::error_response(&parts, error),
    }
}

#[async_trait::async_trait]
impl OperatorServices for AppState {
    async fn back_office(&self, caller: Caller) -> Result<BackOffice, AppError> {
        Ok(views::back_office(self, &caller).await?)
    }

    async fn role_offers(&self, caller: Caller) -> Result<Vec<AssignmentView>, AppError> {
        Ok(views::role_offers(self, &caller).await?)
    }

    async fn role_request(
        &self,
        caller: Caller,
        email: String,
        role: TrustedRole,
    ) -> Result<BackOffice, AppError> {
        roles::request_grant(self, &caller, &email, role).await?;
        Ok(views::back_office(self, &caller).await?)
    }

    async fn role_removal(
        &self,
        caller: Caller,
        assignment_id: String,
    ) -> Result<BackOffice, AppError> {
        roles::request_removal(self, &caller, &assignment_id).await?;
        Ok(views::back_office(self, &caller).await?)
    }

    async fn dual_control_decide(
        &self,
        caller: Caller,
        request_id: String,
        approve: bool,
    ) -> Result<BackOffice, AppError> {
        if approve {
            roles::approve(self, &caller, &request_id).await?;
        } else {
            roles::reject(self, &caller, &request_id, None).await?;
        }
        Ok(views::back_office(self, &caller).await?)
    }

    async fn role_offer_answer(
        &self,
        caller: Caller,
        assignment_id: String,
        accept: bool,
    ) -> Result<Vec<AssignmentView>, AppError> {
        roles::answer_offer(self, &caller, &assignment_id, accept).await?;
        Ok(views::role_offers(self, &caller).await?)
    }

    async fn journal(
        &self,
        caller: Caller,
        from: String,
        to: String,
    ) -> Result<JournalPage, AppError> {
        Ok(audit::journal(self, &caller, &from, &to).await?)
    }

    async fn verify_ledger(&self, caller: Caller) -> Result<LedgerCheck, AppError> {
        Ok(audit::verify_ledger(self, &caller).await?)
    }
}
