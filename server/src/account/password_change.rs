//! A password change from the profile (issue 11): the current password and a new one (the
//! sign-up rules, checked by the server function), within a live OTP session like every
//! sensitive action. Every other session of the account ends with its OTP session; the one
//! that made the change stays. Journaled (`password_changed`) and emailed to the holder.
//!
//! A wrong current password counts as a failed sign-in (the same counters, per address and
//! per IP): a stolen session cannot try passwords faster than the sign-in page allows.

use app::api::Caller;
use app::error::AppError;
use serde_json::json;

use super::attempts::{self, Attempt, Kind};
use super::{auth_event, blocking, password, require_otp};
use crate::AppState;
use crate::audit;
use crate::error::ServerError;
use crate::mail;
use crate::mail::Outbox;
use crate::store::{accounts, sessions};

/// Changes the caller's password: `current` must be the account's, `new_password` is already
/// checked against the sign-up rules. Needs a live OTP session.
pub async fn password_change(
    state: &AppState,
    caller: Caller,
    current: String,
    new_password: String,
) -> Result<(), ServerError> {
    let (login, account) = state.require_signed_in(&caller).await?;
    let otp = require_otp(state, &caller, &login, &account).await?;
    let now = state.clock.device_now().timestamp_millis();
    let email_key = super::principal::email_key(&account.email);
    let attempt = Attempt {
        db: &state.db,
        kind: Kind::SignIn,
        account: &email_key,
        ip: &caller.ip,
        now,
    };
    attempt.check().await?;
    let stored = account.password_hash.clone();
    if !blocking(move || password::verify(&current, &stored)).await? {
        attempt.record_failure().await?;
        state
            .record_auth(
                "password_change_refused",
                Some(&account.id),
                &caller,
                json!({ "user_id": account.id, "session_id": login.id }),
            )
            .await?;
        return Err(AppError::WrongPassword.into());
    }
    let hash = blocking(move || password::hash(&new_password))
        .await?
        .map_err(ServerError::internal)?;
    let mut tx = state.db.begin().await?;
    accounts::set_password(&mut *tx, &account.id, &hash).await?;
    let sessions_ended = sessions::end_all(
        &mut tx,
        &account.id,
        Some(&login.id),
        now,
        "password_changed",
    )
    .await?;
    let event = auth_event(
        "password_changed",
        Some(&account.id),
        &caller,
        json!({
            "user_id": account.id,
            "by": "profile",
            "session_id": login.id,
            "otp_session_id": otp.otp_session_id,
            "other_sessions_ended": sessions_ended,
        }),
    );
    audit::record_in(&mut tx, state.clock.now(), &event).await?;
    let email = mail::account::password_changed_from_profile(&account.email, state.public_url());
    Outbox::queue_in(&state.jobs, &mut tx, &email, state.clock.now()).await?;
    tx.commit().await?;
    attempts::clear(&state.db, Kind::SignIn, &email_key).await?;
    Ok(())
}
