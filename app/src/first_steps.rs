//! First steps (issue 11): what an account still lacks before it can send a registered letter,
//! in the order to do it. One rule for the checklist shown after sign-up (home page, profile)
//! and for the compose page, which says it before the sender writes anything.
//!
//! It mirrors what the server demands at sending: a confirmed address to sign in (AUTH-01), a
//! second factor before anything else (policy §6, §13.7), an identity proven (ID-02, newer
//! than any reactivation: the server's [`IdentityStatus`] already says so), and a recipient the
//! sender may write to, once the account is a customer's user under an active contract (policy
//! §4.3; not part of the account's checklist: receiving needs none), (a professional, or a private person who consented: CONS-01, CONS-05,
//! [`crate::lifecycle::may_send`]). The OTP session is not a step: sending asks for a fresh
//! code inline when it has expired.

use crate::letters::RecipientChoice;
use crate::types::{IdentityStatus, SignedInUser};

/// One step before a first sending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Open the emailed confirmation link (before signing in at all).
    ConfirmAddress,
    /// Enrol an authenticator app (AUTH-01).
    SecondFactor,
    /// Prove one's identity with the provider (ID-01, ID-02).
    ProveIdentity,
    /// Be a user of a customer under contract (policy §4.3).
    Customer,
    /// Have a contact one may send to (CONS-01, CONS-05).
    Recipient,
}

/// The steps of the checklist, in order: those of the account itself.
pub const ACCOUNT_STEPS: [Step; 3] = [
    Step::ConfirmAddress,
    Step::SecondFactor,
    Step::ProveIdentity,
];

/// What is known of an account's progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub address_confirmed: bool,
    pub second_factor: bool,
    pub identity_proven: bool,
    /// Whether the account sends for a customer under contract; `None`: not counted (the
    /// checklist).
    pub customer: Option<bool>,
    /// Whether the address book has a contact one may send to; `None`: not looked at (the
    /// checklist), so not counted.
    pub recipient: Option<bool>,
}

impl Progress {
    /// The progress of the signed-in `user` (a session means a confirmed address), or of a
    /// visitor who just signed up (`None`: nothing done yet).
    pub fn of(user: Option<&SignedInUser>) -> Progress {
        let Some(user) = user else {
            return Progress::default();
        };
        Progress {
            address_confirmed: true,
            second_factor: user.second_factor.is_some(),
            identity_proven: matches!(user.identity, IdentityStatus::Verified { .. }),
            customer: Some(user.customer),
            recipient: None,
        }
    }

    /// With what the address book allows (`choices`: the compose page's recipient choices; an
    /// error, e.g. before the second factor, means none yet).
    pub fn with_recipients<E>(self, choices: &Result<Vec<RecipientChoice>, E>) -> Progress {
        let any = choices
            .as_ref()
            .is_ok_and(|choices| choices.iter().any(|c| c.selectable));
        Progress {
            recipient: Some(any),
            ..self
        }
    }
}

/// What is still missing to send, in the order to do it (empty: the account may send).
pub fn missing(progress: Progress) -> Vec<Step> {
    [
        (Step::ConfirmAddress, progress.address_confirmed),
        (Step::SecondFactor, progress.second_factor),
        (Step::ProveIdentity, progress.identity_proven),
        (Step::Customer, progress.customer.unwrap_or(true)),
        (Step::Recipient, progress.recipient.unwrap_or(true)),
    ]
    .into_iter()
    .filter(|(_, done)| !done)
    .map(|(step, _)| step)
    .collect()
}

/// The checklist: each account step with whether it is done; `None` once all are.
pub fn checklist(progress: Progress) -> Option<Vec<(Step, bool)>> {
    let missing = missing(Progress {
        recipient: None,
        customer: None,
        ..progress
    });
    (!missing.is_empty()).then(|| {
        ACCOUNT_STEPS
            .iter()
            .map(|step| (*step, !missing.contains(step)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SecondFactorMethod;

    fn user(second_factor: bool, identity: IdentityStatus) -> SignedInUser {
        SignedInUser {
            name: "Alice Martin".into(),
            email: "alice@example.org".into(),
            awaiting_second_factor: false,
            second_factor: second_factor.then_some(SecondFactorMethod::Totp),
            recovery_codes_left: 10,
            otp_seconds_left: None,
            idle_timeout_seconds: 900,
            identity,
            trusted_staff: false,
            terms_to_accept: None,
            customer: true,
        }
    }

    fn choice(selectable: bool) -> RecipientChoice {
        RecipientChoice {
            contact_id: "c".into(),
            name: "Bob".into(),
            email: "bob@example.org".into(),
            professional: false,
            company_name: None,
            consent: Some("requested".into()),
            selectable,
        }
    }

    #[test]
    fn steps_follow_the_account() {
        use Step::*;
        assert_eq!(
            missing(Progress::of(None)),
            [ConfirmAddress, SecondFactor, ProveIdentity]
        );
        let fresh = user(false, IdentityStatus::NotVerified);
        assert_eq!(
            checklist(Progress::of(Some(&fresh))),
            Some(vec![
                (ConfirmAddress, true),
                (SecondFactor, false),
                (ProveIdentity, false)
            ])
        );
        let pending = user(true, IdentityStatus::Pending);
        assert_eq!(missing(Progress::of(Some(&pending))), [ProveIdentity]);
        let proven = user(
            true,
            IdentityStatus::Verified {
                verified_name: "Alice MARTIN".into(),
                qualified_provider: false,
            },
        );
        assert_eq!(checklist(Progress::of(Some(&proven))), None, "all done");

        // Compose also needs someone to write to.
        let ready = Progress::of(Some(&proven));
        let none: Result<Vec<RecipientChoice>, ()> = Ok(vec![choice(false)]);
        assert_eq!(missing(ready.with_recipients(&none)), [Recipient]);
        let one: Result<_, ()> = Ok(vec![choice(false), choice(true)]);
        assert_eq!(missing(ready.with_recipients(&one)), Vec::<Step>::new());
        let unknown: Result<Vec<RecipientChoice>, ()> = Err(());
        assert_eq!(
            missing(Progress::of(Some(&fresh)).with_recipients(&unknown)),
            [SecondFactor, ProveIdentity, Recipient]
        );

        // Sending also needs a customer (§4.3); the account's checklist does not (receiving).
        let no_contract = SignedInUser {
            customer: false,
            ..proven.clone()
        };
        assert_eq!(checklist(Progress::of(Some(&no_contract))), None);
        assert_eq!(
            missing(Progress::of(Some(&no_contract)).with_recipients(&one)),
            [Customer]
        );
    }
}
