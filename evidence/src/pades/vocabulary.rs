//! The words an evidence uses, in one place: the labels of the policy (§7.2.4–7.2.8, §9.6),
//! French first with English, and the ETSI EN 319 522 events (EN 319 522-2 clause 8, EN 319
//! 522-3 Table 2) with a label for people.
//!
//! A new kind of evidence gets its event here ([`EtsiEvent`], when the standard has one) and in
//! [`EvidenceKind::etsi_event`](super::EvidenceKind::etsi_event); its titles and status in
//! `kinds.rs`.

use std::fmt;

/// A label in French, then English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    /// The French label, printed first.
    pub fr: &'static str,
    /// The English label, printed after (or below) the French one.
    pub en: &'static str,
}

impl Label {
    /// A label in French and English.
    pub const fn new(fr: &'static str, en: &'static str) -> Self {
        Label { fr, en }
    }

    /// `"<fr> / <en>"`, the one-line form of a bilingual value.
    pub fn joined(self) -> String {
        format!("{} / {}", self.fr, self.en)
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.fr, self.en)
    }
}

/// The letter's status « Accepté » (policy §7.2.8, §9.6 "Preuve de réception").
pub const STATUS_ACCEPTED: Label = Label::new("Accepté", "Accepted");
/// The letter's status « Rejeté » (policy §7.2.8, §9.6 "Preuve de refus").
pub const STATUS_REJECTED: Label = Label::new("Rejeté", "Rejected");
/// The letter's status when nobody acted within the period (policy §7.2.8 "non-réclamation":
/// « considérée comme non réclamée »; §9.6 "Preuve de non-réclamation").
pub const STATUS_NOT_CLAIMED: Label = Label::new("Non réclamé (expiré)", "Not claimed (expired)");
/// The result of a successful identity proofing, « Réussi » (policy §4.6, §9.6 "Preuve
/// d'identification PVID réussie"): the value of `identification.result`.
pub const PROOFING_SUCCEEDED: Label = Label::new("Réussi", "Succeeded");

/// The ETSI EN 319 522 events Pli records (EN 319 522-2 clause 8, event list; EN 319 522-3
/// Table 2, their identifiers `http://uri.etsi.org/19522/Event/<Name>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EtsiEvent {
    /// The provider accepted the sender's submission (policy "Preuve d'envoi").
    SubmissionAcceptance,
    /// The recipient was notified that a message awaits their acceptance (LET-05).
    NotificationForAcceptance,
    /// The notification for acceptance could not be delivered (LET-14).
    NotificationForAcceptanceFailure,
    /// The recipient accepted the consignment (« Accepté »).
    ConsignmentAcceptance,
    /// The recipient rejected the consignment (« Rejeté »).
    ConsignmentRejection,
    /// The acceptance period ended with neither acceptance nor rejection (non-réclamation).
    AcceptanceRejectionExpiry,
    /// The content was handed over to the recipient (downloaded).
    ContentHandover,
}

impl EtsiEvent {
    /// Every event above.
    pub const ALL: [EtsiEvent; 7] = [
        EtsiEvent::SubmissionAcceptance,
        EtsiEvent::NotificationForAcceptance,
        EtsiEvent::NotificationForAcceptanceFailure,
        EtsiEvent::ConsignmentAcceptance,
        EtsiEvent::ConsignmentRejection,
        EtsiEvent::AcceptanceRejectionExpiry,
        EtsiEvent::ContentHandover,
    ];

    /// The event's name in EN 319 522-3 Table 2.
    pub const fn name(self) -> &'static str {
        match self {
            EtsiEvent::SubmissionAcceptance => "SubmissionAcceptance",
            EtsiEvent::NotificationForAcceptance => "NotificationForAcceptance",
            EtsiEvent::NotificationForAcceptanceFailure => "NotificationForAcceptanceFailure",
            EtsiEvent::ConsignmentAcceptance => "ConsignmentAcceptance",
            EtsiEvent::ConsignmentRejection => "ConsignmentRejection",
            EtsiEvent::AcceptanceRejectionExpiry => "AcceptanceRejectionExpiry",
            EtsiEvent::ContentHandover => "ContentHandover",
        }
    }

    /// The event for people, French then English.
    pub const fn label(self) -> Label {
        match self {
            EtsiEvent::SubmissionAcceptance => {
                Label::new("Envoi accepté par le service", "Submission accepted")
            }
            EtsiEvent::NotificationForAcceptance => Label::new(
                "Destinataire notifié pour acceptation",
                "Recipient notified for acceptance",
            ),
            EtsiEvent::NotificationForAcceptanceFailure => Label::new(
                "Échec de la notification pour acceptation",
                "Notification for acceptance failed",
            ),
            EtsiEvent::ConsignmentAcceptance => Label::new(
                "Lettre acceptée par le destinataire",
                "Consignment accepted",
            ),
            EtsiEvent::ConsignmentRejection => {
                Label::new("Lettre rejetée par le destinataire", "Consignment rejected")
            }
            EtsiEvent::AcceptanceRejectionExpiry => Label::new(
                "Délai d'acceptation expiré sans réponse",
                "Acceptance period expired",
            ),
            EtsiEvent::ContentHandover => {
                Label::new("Contenu remis au destinataire", "Content handed over")
            }
        }
    }

    /// `http://uri.etsi.org/19522/Event/<Name>`.
    pub fn uri(self) -> String {
        format!("{ETSI_EVENT_PREFIX}{}", self.name())
    }

    /// The event whose identifier is `uri`.
    pub fn from_uri(uri: &str) -> Option<EtsiEvent> {
        let name = uri.strip_prefix(ETSI_EVENT_PREFIX)?;
        EtsiEvent::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// The ETSI EN 319 522 event URI prefix (EN 319 522-3, Table 2).
pub const ETSI_EVENT_PREFIX: &str = "http://uri.etsi.org/19522/Event/";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_uris_round_trip() {
        for event in EtsiEvent::ALL {
            assert_eq!(EtsiEvent::from_uri(&event.uri()), Some(event));
        }
        assert_eq!(
            EtsiEvent::NotificationForAcceptanceFailure.uri(),
            "http://uri.etsi.org/19522/Event/NotificationForAcceptanceFailure"
        );
        assert_eq!(EtsiEvent::from_uri("urn:pli:event:Reminder"), None);
    }

    #[test]
    fn policy_labels() {
        assert_eq!(STATUS_ACCEPTED.joined(), "Accepté / Accepted");
        assert_eq!(STATUS_REJECTED.joined(), "Rejeté / Rejected");
        assert_eq!(PROOFING_SUCCEEDED.to_string(), "Réussi / Succeeded");
    }
}
