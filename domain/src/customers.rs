//! Customers and who may send (policy §4.3, §4.4; issue 13).
//!
//! - "Les expéditeurs sont systématiquement clients": a sender belongs to a **customer** — a
//!   natural person or a company — with an active contract that a business operator recorded.
//!   Anyone may sign up and receive; an account sends only while it is an active user of a
//!   customer whose contract is active ([`may_send`]).
//! - An account joins a customer by accepting an **invitation**, sent to its address by a
//!   business operator (the first administrator, at the contract) or by one of the customer's
//!   administrators. An invitation is valid [`INVITATION_DAYS`] days.
//! - A customer's **administrator** invites and removes its users and sees its letters; the
//!   last administrator cannot be removed ([`CustomerRefusal::LastAdministrator`]).
//! - An account is a user of one customer at a time.

use serde::{Deserialize, Serialize};

/// How long an invitation may be accepted.
pub const INVITATION_DAYS: i64 = 15;
/// The longest contract reference.
pub const CONTRACT_REFERENCE_MAX_CHARS: usize = 64;

/// Whom the contract binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomerKind {
    Person,
    Company,
}

impl CustomerKind {
    pub const ALL: [CustomerKind; 2] = [CustomerKind::Person, CustomerKind::Company];

    pub fn code(self) -> &'static str {
        match self {
            CustomerKind::Person => "person",
            CustomerKind::Company => "company",
        }
    }

    pub fn from_code(code: &str) -> Option<CustomerKind> {
        CustomerKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A customer's contract: active from its recording until an operator ends it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContractStatus {
    Active,
    Ended,
}

impl ContractStatus {
    pub fn code(self) -> &'static str {
        match self {
            ContractStatus::Active => "active",
            ContractStatus::Ended => "ended",
        }
    }

    pub fn from_code(code: &str) -> Option<ContractStatus> {
        [ContractStatus::Active, ContractStatus::Ended]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// What a user may do for the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomerRole {
    /// Invites and removes users, sees the customer's letters, and sends.
    Administrator,
    /// Sends.
    User,
}

impl CustomerRole {
    pub const ALL: [CustomerRole; 2] = [CustomerRole::Administrator, CustomerRole::User];

    pub fn code(self) -> &'static str {
        match self {
            CustomerRole::Administrator => "administrator",
            CustomerRole::User => "user",
        }
    }

    pub fn from_code(code: &str) -> Option<CustomerRole> {
        CustomerRole::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Where an invitation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Declined,
    /// Withdrawn by one who may invite, before its answer.
    Withdrawn,
}

impl InvitationStatus {
    pub fn code(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "pending",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Declined => "declined",
            InvitationStatus::Withdrawn => "withdrawn",
        }
    }
}

/// Why a customer operation was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CustomerRefusal {
    /// Sending without being an active user of a customer with an active contract (§4.3).
    #[error("sending needs a customer contract")]
    NotACustomer,
    /// A contract reference empty, too long or with a control character.
    #[error("the contract reference is invalid")]
    ContractReference,
    /// A contract reference already recorded.
    #[error("the contract reference is already recorded")]
    ContractExists,
    /// A contract date that is not a date, or in the future.
    #[error("the contract date is invalid")]
    ContractDate,
    /// An operation on a customer whose contract has ended.
    #[error("the contract has ended")]
    ContractEnded,
    /// Inviting an address that is already a user of this customer, or already invited.
    #[error("already a user or invited")]
    AlreadyInvited,
    /// Accepting an invitation while a user of another customer.
    #[error("already the user of a customer")]
    OtherCustomer,
    /// An invitation no longer pending, or past its [`INVITATION_DAYS`] days.
    #[error("the invitation is no longer valid")]
    InvitationClosed,
    /// Removing the customer's last administrator.
    #[error("the last administrator cannot be removed")]
    LastAdministrator,
    /// A customer action by somebody who is not one of its administrators (nor a business
    /// operator).
    #[error("the customer's administrators only")]
    AdministratorOnly,
}

/// Whether an account may send, given the contract of the customer it is an active user of
/// (`None`: it is nobody's user).
pub fn may_send(contract: Option<ContractStatus>) -> Result<(), CustomerRefusal> {
    match contract {
        Some(ContractStatus::Active) => Ok(()),
        Some(ContractStatus::Ended) => Err(CustomerRefusal::ContractEnded),
        None => Err(CustomerRefusal::NotACustomer),
    }
}

/// A contract reference as typed: one line, trimmed, 1 to [`CONTRACT_REFERENCE_MAX_CHARS`]
/// characters.
pub fn contract_reference(input: &str) -> Result<String, CustomerRefusal> {
    let reference = crate::text::line(input).map_err(|_| CustomerRefusal::ContractReference)?;
    if reference.is_empty() || reference.chars().count() > CONTRACT_REFERENCE_MAX_CHARS {
        return Err(CustomerRefusal::ContractReference);
    }
    Ok(reference)
}

/// The date a contract was signed, as typed (YYYY-MM-DD), not after `today`.
pub fn contract_date(
    input: &str,
    today: chrono::NaiveDate,
) -> Result<chrono::NaiveDate, CustomerRefusal> {
    let date = chrono::NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d")
        .map_err(|_| CustomerRefusal::ContractDate)?;
    if date > today {
        return Err(CustomerRefusal::ContractDate);
    }
    Ok(date)
}

/// Whether removing a user of role `role` leaves the customer an administrator, given how
/// many active administrators it has now.
pub fn may_remove(role: CustomerRole, administrators: usize) -> Result<(), CustomerRefusal> {
    if role == CustomerRole::Administrator && administrators <= 1 {
        return Err(CustomerRefusal::LastAdministrator);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn only_an_active_contract_sends() {
        assert_eq!(may_send(Some(ContractStatus::Active)), Ok(()));
        assert_eq!(
            may_send(Some(ContractStatus::Ended)),
            Err(CustomerRefusal::ContractEnded)
        );
        assert_eq!(may_send(None), Err(CustomerRefusal::NotACustomer));
    }

    #[test]
    fn contract_references_and_dates() {
        assert_eq!(
            contract_reference("  C-2026-001 ").expect("valid"),
            "C-2026-001"
        );
        assert!(contract_reference("").is_err());
        assert!(contract_reference("a\u{7}b").is_err());
        assert!(contract_reference(&"x".repeat(65)).is_err());
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date");
        assert_eq!(contract_date("2026-12-02", today).expect("today"), today);
        assert_eq!(
            contract_date("2026-12-03", today),
            Err(CustomerRefusal::ContractDate)
        );
        assert_eq!(
            contract_date("02/12/2026", today),
            Err(CustomerRefusal::ContractDate)
        );
    }

    #[test]
    fn the_last_administrator_stays() {
        assert_eq!(
            may_remove(CustomerRole::Administrator, 1),
            Err(CustomerRefusal::LastAdministrator)
        );
        assert_eq!(may_remove(CustomerRole::Administrator, 2), Ok(()));
        assert_eq!(may_remove(CustomerRole::User, 1), Ok(()));
    }

    #[test]
    fn codes_round_trip() {
        for kind in CustomerKind::ALL {
            assert_eq!(CustomerKind::from_code(kind.code()), Some(kind));
        }
        for role in CustomerRole::ALL {
            assert_eq!(CustomerRole::from_code(role.code()), Some(role));
        }
        assert_eq!(
            ContractStatus::from_code("ended"),
            Some(ContractStatus::Ended)
        );
        assert_eq!(CustomerRole::from_code("owner"), None);
    }
}
