//! What a recipient may learn of a letter, in each state: the one rule that every page, server
//! function, email and evidence dossier of the recipient's side applies (LET-05, LET-08,
//! LET-09, LET-10, LET-12; policy §7.2.6: "l'identité de l'expéditeur et le contenu de la
//! lettre restent confidentiels"; §7.2.8: a refused letter "n'est pas remise", an expired one's
//! details cannot be seen). docs/letters.md lists it per state.
//!
//! Two things of a letter are kept from its recipient until they accept it: **who sent it**
//! (name, address, identification) and **what it says** (subject, message, attachments — their
//! names and hashes included). Everything else concerns the recipient themself and is theirs
//! to know: that a letter awaits them, its id, its status and dates, and their own
//! identification and decision.

use crate::lifecycle::TransactionStatus;

/// Who looks at the letter from the recipient's side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    /// Holds a link of the notification (or a reminder), or is signed in with the recipient's
    /// address, or identified as somebody else than the addressee: not yet proven to be the
    /// addressee (ID-03).
    Unidentified,
    /// Proven to be the addressee: a successful identity proofing (of their account or at
    /// this reception) whose verified name matches the name the sender gave
    /// ([`crate::identity::names_match`]).
    Addressee,
}

/// What an evidence, a page or an email reveals beyond the letter's existence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reveals {
    /// Only what concerns the recipient: the letter's id, the recipient, the status and dates.
    Nothing,
    /// Who sent the letter or what it says (sender, subject, message, attachments).
    SenderOrContent,
}

/// What the recipient may see now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecipientSight {
    /// Who sent the letter: after acceptance only (LET-08).
    pub sender: bool,
    /// What it says (subject, message, attachments): after acceptance only (LET-08, LET-11).
    pub content: bool,
    /// Whether they may download an evidence dossier, and of what (LET-12); `None`: no dossier.
    pub dossier: Option<Reveals>,
}

impl RecipientSight {
    /// Whether something that reveals `reveals` may be shown or given to the recipient.
    pub fn admits(&self, reveals: Reveals) -> bool {
        match reveals {
            Reveals::Nothing => true,
            Reveals::SenderOrContent => self.sender && self.content,
        }
    }

    /// Whether an evidence revealing `reveals` belongs in the recipient's dossier.
    pub fn dossier_admits(&self, reveals: Reveals) -> bool {
        match self.dossier {
            None => false,
            Some(Reveals::SenderOrContent) => true,
            Some(Reveals::Nothing) => reveals == Reveals::Nothing,
        }
    }
}

/// What `viewer` may see of a transaction in `status`. That the letter exists, its status and
/// its dates are always shown to whoever reaches it (the link or the recipient's account).
///
/// | status   | unidentified | the addressee                                               |
/// |----------|--------------|-------------------------------------------------------------|
/// | awaiting | nothing more | nothing more (they may now accept or refuse)                |
/// | accepted | nothing more | sender, content, the full dossier                           |
/// | refused  | nothing more | a dossier of what reveals nothing: their identification, the transmission, reminders and refusal |
/// | expired  | nothing more | nothing more: no dossier (§7.2.8)                           |
/// | notifying, not notified | nothing: not reachable at all (issue 10) | nothing |
pub fn recipient_sight(status: TransactionStatus, viewer: Viewer) -> RecipientSight {
    let nothing = RecipientSight {
        sender: false,
        content: false,
        dossier: None,
    };
    match (status, viewer) {
        (_, Viewer::Unidentified) => nothing,
        (TransactionStatus::Accepted, Viewer::Addressee) => RecipientSight {
            sender: true,
            content: true,
            dossier: Some(Reveals::SenderOrContent),
        },
        (TransactionStatus::Refused, Viewer::Addressee) => RecipientSight {
            dossier: Some(Reveals::Nothing),
            ..nothing
        },
        (
            TransactionStatus::Awaiting
            | TransactionStatus::Expired
            | TransactionStatus::Notifying
            | TransactionStatus::NotNotified,
            Viewer::Addressee,
        ) => nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TransactionStatus as S;

    /// LET-05, LET-08..LET-10: the table of [`recipient_sight`], state by state.
    #[test]
    fn let_05_let_09_what_a_recipient_sees_in_each_state() {
        for status in [S::Awaiting, S::Accepted, S::Refused, S::Expired] {
            let sight = recipient_sight(status, Viewer::Unidentified);
            assert!(!sight.sender && !sight.content && sight.dossier.is_none());
        }
        let accepted = recipient_sight(S::Accepted, Viewer::Addressee);
        assert!(accepted.sender && accepted.content);
        assert!(accepted.dossier_admits(Reveals::SenderOrContent));
        let refused = recipient_sight(S::Refused, Viewer::Addressee);
        assert!(!refused.sender && !refused.content);
        assert!(refused.dossier_admits(Reveals::Nothing));
        assert!(!refused.dossier_admits(Reveals::SenderOrContent));
        assert!(!refused.admits(Reveals::SenderOrContent));
        for status in [S::Awaiting, S::Expired] {
            let sight = recipient_sight(status, Viewer::Addressee);
            assert!(!sight.sender && !sight.content && sight.dossier.is_none());
            assert!(sight.admits(Reveals::Nothing));
        }
    }
}
