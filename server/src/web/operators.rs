//! The back office's port of the server functions (`app::operators::OperatorServices`): each
//! call goes to its flow in [`crate::operators`], and a failure becomes the user's error here.

use app::api::Caller;
use app::error::AppError;
use app::operators::{AssignmentView, BackOffice, OperatorServices};
use domain::roles::TrustedRole;

use crate::AppState;
use crate::operators::{roles, views};

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
}
