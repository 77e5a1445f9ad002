//! ID-03: an identity proofing at a reception, for a recipient without an account (or who
//! prefers not to sign in). The link's token is required to start one; a letter to a company
//! admits none (policy §6.4).

use app::api::{Caller, WithCookie};
use app::error::AppError;
use domain::ids::TransactionId;

use super::{token_opens, transaction};
use crate::AppState;
use crate::error::ServerError;
use crate::identity::proofing as identity_proofing;

/// Starts the proofing; returns the provider's URL and the reception session's cookie.
pub async fn proofing_start(
    state: &AppState,
    caller: &Caller,
    transaction_id: &TransactionId,
    token: &str,
) -> Result<WithCookie<String>, ServerError> {
    let record = transaction(state, transaction_id).await?;
    if !token_opens(state, transaction_id, token).await? {
        return Err(AppError::NotFound.into());
    }
    // A letter to a company is received from the account of a person acting for it (policy
    // §6.4): no proofing here could make anyone its addressee.
    if super::company::is_for_company(&record) {
        return Err(AppError::NotTheAddressee.into());
    }
    let public_url = state.config.server.public_url.trim_end_matches('/');
    let started = identity_proofing::start(
        state,
        caller,
        &identity_proofing::reception_purpose(&record),
        |id| format!("{public_url}/received/{transaction_id}?t={token}&proofing={id}"),
    )
    .await?;
    let session_token = started.session_token.unwrap_or_default();
    let secure = if state.config.server.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    Ok(WithCookie {
        value: started.redirect_url,
        set_cookie: Some(format!(
            "{}={session_token}; HttpOnly; SameSite=Lax; Path=/{secure}",
            app::letters::RECEPTION_COOKIE
        )),
    })
}
