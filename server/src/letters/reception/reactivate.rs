//! ACC-02 (3): the recipient identified by a proofing at this reception (with a live reception
//! session) reactivates the deactivated account of the recipient's address.

use app::api::Caller;
use app::error::AppError;
use app::letters::Reception;
use domain::ids::TransactionId;

use super::{Identified, session_access, view};
use crate::AppState;
use crate::error::ServerError;

pub async fn reactivate(
    state: &AppState,
    caller: &Caller,
    reception_token: Option<&str>,
    transaction_id: &TransactionId,
) -> Result<Reception, ServerError> {
    let access = session_access(state, caller, reception_token, transaction_id).await?;
    let Some(Identified::Reception(row)) = &access.identified else {
        return Err(AppError::IdentityProofingRequired.into());
    };
    if !access.is_addressee() {
        return Err(AppError::NotTheAddressee.into());
    }
    let now = state.clock.device_now().timestamp_millis();
    if row.session_expires_at.is_none_or(|end| now >= end) {
        return Err(AppError::IdentityProofingRequired.into());
    }
    let (account_id, _, deactivated) = state
        .account_by_email_key(&access.record.recipient_email_key)
        .await?
        .ok_or(AppError::NotFound)?;
    if deactivated {
        crate::account::reactivate_after_reception_proofing(state, caller, &account_id).await?;
    }
    view(state, caller, reception_token, transaction_id, None).await
}
