//! Operating the service (issue 13): the trusted roles and the dual control that grants and
//! removes them (OPS-01, OPS-06; policy §13.1.2, §13.1.3, §13.6.4; `domain::roles`).
//!
//! - [`Operator`]: who may use the back office — a signed-in account with a live OTP session
//!   (AUTH-02) and at least one trusted role in effect; [`AppState::operator`] is the one guard
//!   in front of every back-office action.
//! - [`roles`]: a security officer requests a role for somebody (or its removal); a second
//!   security officer approves or rejects within 24 hours; an approved role is offered, and
//!   takes effect only when its holder accepts it. Each step is journaled.
//! - [`ceremony`]: the first two security officers, named by `pli operators init` at
//!   installation.
//! - [`seal_keys`]: the seal keys and the TSA, generated, activated, retired and changed under
//!   the same dual control (a seal officer asks, a second seal officer or a security officer
//!   approves).
//! - [`incidents`]: the security-incident register and its 24-hour report (OPS-08).
//! - [`audit`]: the system auditor's read-only view of the journal, its export, and the
//!   verification of its hash chain.

pub mod audit;
pub mod ceremony;
pub mod incidents;
pub mod roles;
pub mod seal_keys;
pub mod views;

use app::api::Caller;
use app::error::AppError;
use domain::roles::{AssignmentStatus, TrustedRole};

use crate::AppState;
use crate::account::principal::Principal;
use crate::audit::Event;
use crate::error::ServerError;
use crate::store;

/// A signed-in account with a live OTP session and its trusted roles in effect.
#[derive(Clone, Debug)]
pub struct Operator {
    pub principal: Principal,
    pub roles: Vec<TrustedRole>,
}

impl Operator {
    /// Whether the operator holds `role` in effect.
    pub fn has(&self, role: TrustedRole) -> bool {
        self.roles.contains(&role)
    }

    /// An event of the operators' journal (category `operators`) by this operator.
    pub fn event(&self, action: &'static str, details: serde_json::Value) -> Event {
        Event {
            category: "operators",
            action,
            actor: Some(self.principal.account_id.clone()),
            details,
        }
    }

    /// [`AppError::OperatorOnly`] unless the operator holds `role`.
    pub fn require(&self, role: TrustedRole) -> Result<(), ServerError> {
        if self.has(role) {
            Ok(())
        } else {
            Err(ServerError::User(AppError::OperatorOnly))
        }
    }
}

impl AppState {
    /// The caller as an operator: signed in ([`AppError::SignInRequired`]), with a live OTP
    /// session ([`AppError::OtpSessionRequired`]) and a trusted role in effect
    /// ([`AppError::OperatorOnly`]).
    pub async fn operator(&self, caller: &Caller) -> Result<Operator, ServerError> {
        let principal = self.principal(caller).await?;
        self.otp_session(caller).await?;
        let roles = roles_in_effect(self, &principal.account_id).await?;
        if roles.is_empty() {
            return Err(ServerError::User(AppError::OperatorOnly));
        }
        Ok(Operator { principal, roles })
    }
}

/// The trusted roles `account_id` holds in effect.
pub async fn roles_in_effect(
    state: &AppState,
    account_id: &str,
) -> Result<Vec<TrustedRole>, ServerError> {
    Ok(store::roles::of_account(state.db.pool(), account_id)
        .await?
        .iter()
        .filter(|row| AssignmentStatus::from_code(&row.status) == Some(AssignmentStatus::Active))
        .filter_map(|row| TrustedRole::from_code(&row.role))
        .collect())
}
