//! The life of a registered letter and of a consent, as plain states and transitions (policy
//! §5, §7; LET-03, LET-05, LET-06, LET-08..LET-11, CONS-01..CONS-05). No clock, no database:
//! the server's flows and jobs apply these rules, and the pages use them to show what a party
//! may see. Deadlines are computed by [`crate::deadline`].
//!
//! Each status has one stored code ([`TransactionStatus::code`], [`TransactionStatus::from_code`]
//! and the same for the others): the database holds the code, and no code compares statuses as
//! strings of its own.

use serde::{Deserialize, Serialize};

pub use crate::policy::CONSENT_REQUEST_DAYS;

/// Declares the stored codes of a status enum: `code()` and `from_code()`, one table.
macro_rules! codes {
    ($status:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $status {
            /// Every state, in declaration order.
            pub const ALL: &'static [$status] = &[$($status::$variant),+];

            /// The code stored in the database.
            pub fn code(self) -> &'static str {
                match self {
                    $($status::$variant => $code),+
                }
            }

            /// The state of a stored code, if it is one.
            pub fn from_code(code: &str) -> Option<$status> {
                match code {
                    $($code => Some($status::$variant),)+
                    _ => None,
                }
            }
        }

        /// Reads a stored code (the stores decode status columns with it).
        impl TryFrom<String> for $status {
            type Error = UnknownCode;

            fn try_from(code: String) -> Result<Self, UnknownCode> {
                $status::from_code(&code).ok_or(UnknownCode(code))
            }
        }
    };
}

/// A stored status code that no version of Pli writes: a damaged row.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown status code `{0}`")]
pub struct UnknownCode(pub String);

/// The state of a letter as its author sees it (LET-01, LET-03): a draft until sent, then sent
/// for good (each recipient's progress is its [`TransactionStatus`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LetterStatus {
    /// Being written: subject, message, recipients and attachments may change.
    Draft,
    /// Sent with its evidence (LET-03): nothing about it can change any more.
    Sent,
}

codes!(LetterStatus { Draft => "draft", Sent => "sent" });

impl LetterStatus {
    /// Whether the author may still change the letter.
    pub fn is_editable(self) -> bool {
        self == LetterStatus::Draft
    }
}

/// The state of one transaction (one recipient of a sent letter, LET-03).
///
/// A transaction starts `Notifying`: its notification email (LET-05) is queued but the mail
/// server has not taken it yet. The hand-over makes it `Awaiting` and starts the period
/// (LET-06, policy §7.2.6: 15 days from the day after the notification); a permanent refusal,
/// or retries exhausted, make it `NotNotified` for good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransactionStatus {
    /// Sent; the notification email is not handed over to the mail server yet: the recipient
    /// has nothing, no period runs.
    Notifying,
    /// Notified (LET-05); the recipient may accept or refuse until the deadline (LET-06).
    Awaiting,
    /// Accepted (LET-08): content delivered, sender disclosed.
    Accepted,
    /// Refused (LET-09): content not delivered.
    Refused,
    /// No action within the period (LET-10).
    Expired,
    /// The notification could not be delivered (the mail server refused it for good, or it
    /// was still failing after every retry): no period, no reminder, no non-claim, no
    /// decision; the sender was told.
    NotNotified,
}

codes!(TransactionStatus {
    Notifying => "notifying",
    Awaiting => "awaiting",
    Accepted => "accepted",
    Refused => "refused",
    Expired => "expired",
    NotNotified => "not_notified",
});

/// What happens to a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransactionEvent {
    /// The mail server took the notification email (LET-05): the period starts.
    Notify,
    /// The notification email was refused for good, or failed after every retry.
    NotificationFailed,
    Accept,
    Refuse,
    /// The deadline passed without action.
    Expire,
    /// The recipient downloads an attachment (LET-11); only after acceptance.
    Open,
}

/// Why a transition is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum TransitionError {
    /// Accepting, refusing or expiring a letter that is no longer awaiting.
    #[error("the letter is no longer awaiting a decision")]
    AlreadyDecided,
    /// Accepting or refusing at or after the deadline (LET-06).
    #[error("the acceptance period is over")]
    PeriodOver,
    /// Expiring before the deadline.
    #[error("the acceptance period is not over")]
    PeriodNotOver,
    /// Opening content that was not accepted (LET-08, LET-11).
    #[error("the content is available only after acceptance")]
    NotAccepted,
    /// Deciding, expiring or opening a letter whose recipient is not notified (yet, or ever).
    #[error("the recipient has not been notified")]
    NotNotified,
    /// Recording a notification's outcome twice.
    #[error("the notification's outcome is already recorded")]
    NotificationRecorded,
}

impl TransactionStatus {
    /// Applies `event`; `period_over` says whether the deadline (00:00 local on day 16) has
    /// been reached. Opening leaves the status `Accepted` (the opening is its own evidence).
    pub fn apply(
        self,
        event: TransactionEvent,
        period_over: bool,
    ) -> Result<Self, TransitionError> {
        use TransactionEvent as E;
        use TransactionStatus as S;
        match (self, event) {
            (S::Notifying, E::Notify) => Ok(S::Awaiting),
            (S::Notifying, E::NotificationFailed) => Ok(S::NotNotified),
            (_, E::Notify | E::NotificationFailed) => Err(TransitionError::NotificationRecorded),
            (S::Notifying | S::NotNotified, _) => Err(TransitionError::NotNotified),
            (S::Awaiting, E::Accept | E::Refuse) if period_over => Err(TransitionError::PeriodOver),
            (S::Awaiting, E::Accept) => Ok(S::Accepted),
            (S::Awaiting, E::Refuse) => Ok(S::Refused),
            (S::Awaiting, E::Expire) if period_over => Ok(S::Expired),
            (S::Awaiting, E::Expire) => Err(TransitionError::PeriodNotOver),
            (S::Accepted, E::Open) => Ok(S::Accepted),
            (_, E::Open) => Err(TransitionError::NotAccepted),
            (_, E::Accept | E::Refuse | E::Expire) => Err(TransitionError::AlreadyDecided),
        }
    }

    /// Whether reminders (LET-07) are still due.
    pub fn wants_reminders(self) -> bool {
        self == TransactionStatus::Awaiting
    }

    /// Whether the recipient was notified (LET-05): the mail server took the notification, so
    /// the period runs or ran. Before (`Notifying`) or without it (`NotNotified`) the
    /// recipient has nothing: no reception, no inbox entry.
    pub fn is_notified(self) -> bool {
        !matches!(
            self,
            TransactionStatus::Notifying | TransactionStatus::NotNotified
        )
    }
}

/// The state of a non-professional recipient's consent to one sender (CONS-01..CONS-05).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentStatus {
    /// Requested by email, not yet answered.
    Requested,
    Granted,
    Refused,
    /// Withdrawn by the recipient (or by deactivating their account, ACC-01).
    Revoked,
    /// Not answered within [`CONSENT_REQUEST_DAYS`].
    Expired,
}

codes!(ConsentStatus {
    Requested => "requested",
    Granted => "granted",
    Refused => "refused",
    Revoked => "revoked",
    Expired => "expired",
});

/// What happens to a consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentEvent {
    Grant,
    Refuse,
    Revoke,
    Expire,
}

impl ConsentStatus {
    /// Applies `event`, or `None` if it does not apply in this state.
    pub fn apply(self, event: ConsentEvent) -> Option<Self> {
        use ConsentEvent as E;
        use ConsentStatus as S;
        match (self, event) {
            (S::Requested, E::Grant) => Some(S::Granted),
            (S::Requested, E::Refuse) => Some(S::Refused),
            (S::Requested, E::Expire) => Some(S::Expired),
            (S::Granted, E::Revoke) => Some(S::Revoked),
            _ => None,
        }
    }

    /// Whether the sender may send to this recipient (CONS-01, CONS-03). Professionals need no
    /// consent (CONS-05): callers check that first.
    pub fn allows_sending(self) -> bool {
        self == ConsentStatus::Granted
    }
}

/// The one rule for sending to a contact (CONS-01, CONS-03, CONS-05): a professional needs no
/// consent; a private person needs their latest consent to this sender, for their current
/// address, to be granted (`latest` is `None` when none was ever asked).
pub fn may_send(professional: bool, latest: Option<ConsentStatus>) -> bool {
    professional || latest.is_some_and(ConsentStatus::allows_sending)
}

#[cfg(test)]
mod tests {
    use super::ConsentEvent as CE;
    use super::ConsentStatus as C;
    use super::TransactionEvent as E;
    use super::TransactionStatus as S;
    use super::*;

    /// LET-06, LET-08, LET-09: accept or refuse while awaiting and within the period.
    #[test]
    fn let_06_let_08_let_09_decisions() {
        assert_eq!(S::Awaiting.apply(E::Accept, false), Ok(S::Accepted));
        assert_eq!(S::Awaiting.apply(E::Refuse, false), Ok(S::Refused));
        assert_eq!(
            S::Awaiting.apply(E::Accept, true),
            Err(TransitionError::PeriodOver)
        );
        assert_eq!(
            S::Awaiting.apply(E::Refuse, true),
            Err(TransitionError::PeriodOver)
        );
        for decided in [S::Accepted, S::Refused, S::Expired] {
            for event in [E::Accept, E::Refuse, E::Expire] {
                assert_eq!(
                    decided.apply(event, false),
                    Err(TransitionError::AlreadyDecided)
                );
            }
        }
    }

    /// LET-10: expiry only at the deadline, and only while awaiting.
    #[test]
    fn let_10_expiry() {
        assert_eq!(S::Awaiting.apply(E::Expire, true), Ok(S::Expired));
        assert_eq!(
            S::Awaiting.apply(E::Expire, false),
            Err(TransitionError::PeriodNotOver)
        );
    }

    /// LET-11: opening needs acceptance (what is disclosed when: [`crate::visibility`]).
    #[test]
    fn let_11_opening_needs_acceptance() {
        assert_eq!(
            S::Accepted.apply(E::Open, true),
            Ok(S::Accepted),
            "opening after the period is fine"
        );
        for status in [S::Awaiting, S::Refused, S::Expired] {
            assert_eq!(
                status.apply(E::Open, false),
                Err(TransitionError::NotAccepted)
            );
        }
    }

    /// LET-07: reminders only while awaiting.
    #[test]
    fn let_07_reminders_while_awaiting() {
        assert!(S::Awaiting.wants_reminders());
        assert!(
            ![S::Accepted, S::Refused, S::Expired]
                .iter()
                .any(|s| s.wants_reminders())
        );
    }

    /// LET-05, LET-06 (issue 10): the period starts at the notification's hand-over; a
    /// failed notification is final, and nothing else happens to a letter not notified.
    #[test]
    fn let_05_let_06_notification_hand_over_or_failure() {
        assert_eq!(S::Notifying.apply(E::Notify, false), Ok(S::Awaiting));
        assert_eq!(
            S::Notifying.apply(E::NotificationFailed, false),
            Ok(S::NotNotified)
        );
        for status in [S::Notifying, S::NotNotified] {
            assert!(!status.is_notified() && !status.wants_reminders());
            let sight =
                crate::visibility::recipient_sight(status, crate::visibility::Viewer::Addressee);
            assert!(!sight.sender && !sight.content && sight.dossier.is_none());
            for event in [E::Accept, E::Refuse, E::Expire, E::Open] {
                for over in [false, true] {
                    assert_eq!(
                        status.apply(event, over),
                        Err(TransitionError::NotNotified),
                        "{status:?} {event:?}"
                    );
                }
            }
        }
        for status in [
            S::Awaiting,
            S::Accepted,
            S::Refused,
            S::Expired,
            S::NotNotified,
        ] {
            assert_eq!(
                status.apply(E::Notify, false),
                Err(TransitionError::NotificationRecorded)
            );
            assert_eq!(
                status.apply(E::NotificationFailed, false),
                Err(TransitionError::NotificationRecorded)
            );
        }
        assert!(S::Awaiting.is_notified() && S::Expired.is_notified());
    }

    /// Every status has one stored code, and reads back from it.
    #[test]
    fn codes_round_trip() {
        for s in TransactionStatus::ALL {
            assert_eq!(TransactionStatus::from_code(s.code()), Some(*s));
        }
        for s in ConsentStatus::ALL {
            assert_eq!(ConsentStatus::from_code(s.code()), Some(*s));
        }
        for s in LetterStatus::ALL {
            assert_eq!(LetterStatus::from_code(s.code()), Some(*s));
        }
        assert_eq!(TransactionStatus::from_code("Awaiting"), None);
    }

    /// CONS-05: professionals need no consent; private persons a granted one.
    #[test]
    fn cons_05_may_send() {
        assert!(may_send(true, None));
        assert!(may_send(false, Some(C::Granted)));
        assert!(!may_send(false, None));
        assert!(!may_send(false, Some(C::Revoked)));
    }

    /// CONS-01..CONS-03: only a granted, unrevoked consent allows sending; answers apply to
    /// open requests only; revocation ends it for good.
    #[test]
    fn cons_01_to_03_consent() {
        assert_eq!(C::Requested.apply(CE::Grant), Some(C::Granted));
        assert_eq!(C::Requested.apply(CE::Refuse), Some(C::Refused));
        assert_eq!(C::Requested.apply(CE::Expire), Some(C::Expired));
        assert_eq!(C::Granted.apply(CE::Revoke), Some(C::Revoked));
        assert_eq!(
            C::Revoked.apply(CE::Grant),
            None,
            "a revoked consent is not restored"
        );
        assert_eq!(
            C::Granted.apply(CE::Expire),
            None,
            "a granted consent does not expire"
        );
        assert_eq!(C::Requested.apply(CE::Revoke), None);
        assert!(C::Granted.allows_sending());
        assert!(
            ![C::Requested, C::Refused, C::Revoked, C::Expired]
                .iter()
                .any(|c| c.allows_sending())
        );
    }
}
