//! The kinds of evidence Pli issues, their titles, their ETSI EN 319 522 event and the fields
//! each must carry (policy §9.6, requirements EVD-04, LET-04, LET-07..LET-11, CONS-04, ID-04,
//! ID-06, AUTH-04), named by the keys of [`keys`](super::keys).

use std::fmt;

use super::fields::keys::*;
use super::vocabulary::{
    EtsiEvent, Label, PROOFING_SUCCEEDED, STATUS_ACCEPTED, STATUS_NOT_CLAIMED, STATUS_REJECTED,
};

/// Every kind of evidence the service issues (EVD-04, policy §9.6).
///
/// Each kind has a French and an English title, an event URI — the ETSI EN 319 522 event where
/// one fits (`http://uri.etsi.org/19522/Event/<Event>`), else `urn:pli:event:<Name>` — and the
/// list of fields it must carry ([`EvidenceKind::required_fields`]). `docs/evidence-events.md`
/// is the same table for readers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EvidenceKind {
    /// The sender sent the letter (LET-04, AUTH-04; policy "Preuve d'envoi").
    Deposit,
    /// The letter was transmitted to one recipient, who was notified (LET-04, LET-05).
    Transmission,
    /// Summary of the sent letter: message, parties, sessions, attachments and their hashes
    /// (LET-04, LET-02, AUTH-04).
    LetterSummary,
    /// Reminder on day 4, 8 or 12 after the notification (LET-07).
    Reminder,
    /// The recipient accepted the letter (LET-08, AUTH-04; policy "Preuve de réception").
    Acceptance,
    /// The recipient refused the letter (LET-09, AUTH-04).
    Refusal,
    /// Nobody acted within the period: the letter expired (LET-10).
    NonClaim,
    /// The recipient downloaded the content (LET-11, AUTH-04).
    Opening,
    /// A consent request was sent to a non-professional recipient (CONS-02, CONS-04).
    ConsentRequest,
    /// The recipient granted consent (CONS-04).
    ConsentGranted,
    /// The recipient refused consent (CONS-04).
    ConsentRefused,
    /// The consent request expired unanswered (CONS-04).
    ConsentExpired,
    /// A successful identity proofing (ID-04).
    Identification,
    /// A trade-register extract (Kbis) was uploaded (ID-05, ID-06).
    KbisUpload,
    /// A power of attorney and the representative's ID were verified (ID-05, ID-06).
    PowerOfAttorneyVerification,
    /// A legal representative or delegate connected to the organisation (ID-06).
    LegalRepresentativeConnection,
    /// A document of a legal entity's manual verification other than an extract was uploaded:
    /// a power of attorney, an ID document (ID-05, ID-07).
    DocumentUpload,
    /// Documents kept only for a manual verification were purged after 60 days; their hashes
    /// stay (ID-07, policy §4.5).
    DocumentPurge,
    /// A checkpoint of the sealed, chained event log (OPS-02).
    LedgerCheckpoint,
    /// The sealed manifest ("bordereau") of an evidence dossier (LET-12): the transaction, every
    /// evidence of the dossier by file name, evidence id and SHA-256, and (its event time) when
    /// the dossier was made, so that a dossier proves it is complete.
    DossierManifest,
    /// The notification email could not be delivered to the recipient: the mail server refused
    /// it for good, or it still failed after every retry (LET-05, issue 10).
    NotificationFailure,
}

impl EvidenceKind {
    /// All kinds, in the order of the letter's life, then consent, identity and the log.
    pub const ALL: [EvidenceKind; 21] = [
        EvidenceKind::Deposit,
        EvidenceKind::Transmission,
        EvidenceKind::LetterSummary,
        EvidenceKind::Reminder,
        EvidenceKind::Acceptance,
        EvidenceKind::Refusal,
        EvidenceKind::NonClaim,
        EvidenceKind::Opening,
        EvidenceKind::ConsentRequest,
        EvidenceKind::ConsentGranted,
        EvidenceKind::ConsentRefused,
        EvidenceKind::ConsentExpired,
        EvidenceKind::Identification,
        EvidenceKind::KbisUpload,
        EvidenceKind::PowerOfAttorneyVerification,
        EvidenceKind::LegalRepresentativeConnection,
        EvidenceKind::LedgerCheckpoint,
        EvidenceKind::DossierManifest,
        EvidenceKind::NotificationFailure,
        EvidenceKind::DocumentUpload,
        EvidenceKind::DocumentPurge,
    ];

    /// A stable code for storage and the XML (`Deposit`, `NonClaim`, ...).
    pub const fn code(self) -> &'static str {
        match self {
            EvidenceKind::Deposit => "Deposit",
            EvidenceKind::Transmission => "Transmission",
            EvidenceKind::LetterSummary => "LetterSummary",
            EvidenceKind::Reminder => "Reminder",
            EvidenceKind::Acceptance => "Acceptance",
            EvidenceKind::Refusal => "Refusal",
            EvidenceKind::NonClaim => "NonClaim",
            EvidenceKind::Opening => "Opening",
            EvidenceKind::ConsentRequest => "ConsentRequest",
            EvidenceKind::ConsentGranted => "ConsentGranted",
            EvidenceKind::ConsentRefused => "ConsentRefused",
            EvidenceKind::ConsentExpired => "ConsentExpired",
            EvidenceKind::Identification => "Identification",
            EvidenceKind::KbisUpload => "KbisUpload",
            EvidenceKind::PowerOfAttorneyVerification => "PowerOfAttorneyVerification",
            EvidenceKind::LegalRepresentativeConnection => "LegalRepresentativeConnection",
            EvidenceKind::LedgerCheckpoint => "LedgerCheckpoint",
            EvidenceKind::DossierManifest => "DossierManifest",
            EvidenceKind::NotificationFailure => "NotificationFailure",
            EvidenceKind::DocumentUpload => "DocumentUpload",
            EvidenceKind::DocumentPurge => "DocumentPurge",
        }
    }

    /// The kind whose [`code`](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<EvidenceKind> {
        EvidenceKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The French title, as printed on the evidence.
    pub const fn title_fr(self) -> &'static str {
        match self {
            EvidenceKind::Deposit => "Preuve d'envoi",
            EvidenceKind::Transmission => "Preuve de transmission",
            EvidenceKind::LetterSummary => "Récapitulatif de la lettre recommandée",
            EvidenceKind::Reminder => "Preuve de relance",
            EvidenceKind::Acceptance => "Preuve de réception (acceptation)",
            EvidenceKind::Refusal => "Preuve de refus",
            EvidenceKind::NonClaim => "Preuve de non-réclamation",
            EvidenceKind::Opening => "Preuve d'ouverture de la lettre",
            EvidenceKind::ConsentRequest => "Preuve de demande de consentement",
            EvidenceKind::ConsentGranted => "Preuve de consentement accordé",
            EvidenceKind::ConsentRefused => "Preuve de consentement refusé",
            EvidenceKind::ConsentExpired => "Preuve d'expiration de la demande de consentement",
            EvidenceKind::Identification => "Preuve d'identification PVID réussie",
            EvidenceKind::KbisUpload => "Preuve de téléversement d'un extrait Kbis",
            EvidenceKind::PowerOfAttorneyVerification => {
                "Preuve de vérification de la lettre de procuration avec la carte d'identité du représentant légal"
            }
            EvidenceKind::LegalRepresentativeConnection => {
                "Preuve d'une connexion réussie du représentant légal ou délégataire à l'organisation"
            }
            EvidenceKind::LedgerCheckpoint => "Point de contrôle du journal scellé",
            EvidenceKind::DossierManifest => "Bordereau du dossier de preuves",
            EvidenceKind::NotificationFailure => "Preuve d'échec de la notification",
            EvidenceKind::DocumentUpload => "Preuve de téléversement d'un document justificatif",
            EvidenceKind::DocumentPurge => "Preuve de purge des documents de vérification manuelle",
        }
    }

    /// The English title, printed below the French one.
    pub const fn title_en(self) -> &'static str {
        match self {
            EvidenceKind::Deposit => "Sending (deposit) evidence",
            EvidenceKind::Transmission => "Transmission evidence",
            EvidenceKind::LetterSummary => "Registered letter summary",
            EvidenceKind::Reminder => "Reminder evidence",
            EvidenceKind::Acceptance => "Acceptance (receipt) evidence",
            EvidenceKind::Refusal => "Refusal evidence",
            EvidenceKind::NonClaim => "Non-claim (expiry) evidence",
            EvidenceKind::Opening => "Letter opening evidence",
            EvidenceKind::ConsentRequest => "Consent request evidence",
            EvidenceKind::ConsentGranted => "Consent granted evidence",
            EvidenceKind::ConsentRefused => "Consent refused evidence",
            EvidenceKind::ConsentExpired => "Consent request expiry evidence",
            EvidenceKind::Identification => "Successful identity proofing (PVID) evidence",
            EvidenceKind::KbisUpload => "Trade-register extract (Kbis) upload evidence",
            EvidenceKind::PowerOfAttorneyVerification => {
                "Evidence of the power of attorney checked against the legal representative's identity card"
            }
            EvidenceKind::LegalRepresentativeConnection => {
                "Evidence of a successful connection of the legal representative or delegate to the organisation"
            }
            EvidenceKind::LedgerCheckpoint => "Sealed log checkpoint",
            EvidenceKind::DossierManifest => "Evidence dossier manifest",
            EvidenceKind::NotificationFailure => "Notification failure evidence",
            EvidenceKind::DocumentUpload => "Supporting document upload evidence",
            EvidenceKind::DocumentPurge => "Manual verification documents purge evidence",
        }
    }

    /// The ETSI EN 319 522 event this kind records (EN 319 522-3, Table 2), when the standard
    /// has one; `None` when ours goes beyond the standard. A new kind gets its event here (and
    /// in [`EtsiEvent`] if the standard's event is not there yet).
    pub const fn etsi_event(self) -> Option<EtsiEvent> {
        match self {
            EvidenceKind::Deposit => Some(EtsiEvent::SubmissionAcceptance),
            EvidenceKind::Transmission => Some(EtsiEvent::NotificationForAcceptance),
            EvidenceKind::Acceptance => Some(EtsiEvent::ConsignmentAcceptance),
            EvidenceKind::Refusal => Some(EtsiEvent::ConsignmentRejection),
            EvidenceKind::NonClaim => Some(EtsiEvent::AcceptanceRejectionExpiry),
            EvidenceKind::Opening => Some(EtsiEvent::ContentHandover),
            EvidenceKind::NotificationFailure => Some(EtsiEvent::NotificationForAcceptanceFailure),
            EvidenceKind::LetterSummary
            | EvidenceKind::Reminder
            | EvidenceKind::ConsentRequest
            | EvidenceKind::ConsentGranted
            | EvidenceKind::ConsentRefused
            | EvidenceKind::ConsentExpired
            | EvidenceKind::Identification
            | EvidenceKind::KbisUpload
            | EvidenceKind::PowerOfAttorneyVerification
            | EvidenceKind::LegalRepresentativeConnection
            | EvidenceKind::DocumentUpload
            | EvidenceKind::DocumentPurge
            | EvidenceKind::LedgerCheckpoint
            | EvidenceKind::DossierManifest => None,
        }
    }

    /// The event URI: `http://uri.etsi.org/19522/Event/<Event>` for ETSI events, else
    /// `urn:pli:event:<Code>`.
    pub fn event_uri(self) -> String {
        match self.etsi_event() {
            Some(event) => event.uri(),
            None => format!("urn:pli:event:{}", self.code()),
        }
    }

    /// The event for people: the ETSI event's label, else the kind's titles.
    pub const fn event_label(self) -> Label {
        match self.etsi_event() {
            Some(event) => event.label(),
            None => Label::new(self.title_fr(), self.title_en()),
        }
    }

    /// The letter status this kind records, in the policy's words (§7.2.8, §9.6: « Accepté »,
    /// « Rejeté », non-réclamation), French then English.
    pub const fn letter_status(self) -> Option<Label> {
        match self {
            EvidenceKind::Acceptance => Some(STATUS_ACCEPTED),
            EvidenceKind::Refusal => Some(STATUS_REJECTED),
            EvidenceKind::NonClaim => Some(STATUS_NOT_CLAIMED),
            _ => None,
        }
    }

    /// The only value the field `identification.result` may hold for this kind, if it is fixed:
    /// an identification evidence records a successful proofing, « Réussi » (policy §4.6,
    /// §9.6).
    pub const fn fixed_result(self) -> Option<Label> {
        match self {
            EvidenceKind::Identification => Some(PROOFING_SUCCEEDED),
            _ => None,
        }
    }

    /// The requirement IDs this kind of evidence answers.
    pub const fn requirement_ids(self) -> &'static [&'static str] {
        match self {
            EvidenceKind::Deposit => &["LET-04", "AUTH-04", "EVD-04"],
            EvidenceKind::Transmission => &["LET-04", "EVD-04"],
            EvidenceKind::LetterSummary => &["LET-04", "LET-02", "AUTH-04", "EVD-04"],
            EvidenceKind::Reminder => &["LET-07", "EVD-04"],
            EvidenceKind::Acceptance => &["LET-08", "AUTH-04", "EVD-04"],
            EvidenceKind::Refusal => &["LET-09", "AUTH-04", "EVD-04"],
            EvidenceKind::NonClaim => &["LET-10", "EVD-04"],
            EvidenceKind::Opening => &["LET-11", "AUTH-04", "EVD-04"],
            EvidenceKind::ConsentRequest => &["CONS-02", "CONS-04", "EVD-04"],
            EvidenceKind::ConsentGranted
            | EvidenceKind::ConsentRefused
            | EvidenceKind::ConsentExpired => &["CONS-04", "EVD-04"],
            EvidenceKind::Identification => &["ID-04", "EVD-04"],
            EvidenceKind::KbisUpload
            | EvidenceKind::PowerOfAttorneyVerification
            | EvidenceKind::LegalRepresentativeConnection => &["ID-06", "EVD-04"],
            EvidenceKind::DocumentUpload => &["ID-05", "ID-07", "EVD-04"],
            EvidenceKind::DocumentPurge => &["ID-07", "EVD-04"],
            EvidenceKind::LedgerCheckpoint => &["OPS-02", "EVD-04"],
            EvidenceKind::DossierManifest => &["LET-12", "EVD-04"],
            EvidenceKind::NotificationFailure => &["LET-05", "EVD-04"],
        }
    }

    /// The keys every evidence of this kind must carry, from policy §9.6 and the requirements
    /// named by [`requirement_ids`](Self::requirement_ids). [`Evidence::validate`](super::Evidence::validate)
    /// refuses an evidence lacking any of them.
    pub const fn required_fields(self) -> &'static [&'static str] {
        // The groups the requirements name, then each kind's keys in the order given there.
        const LETTER: &[&str] = &[LETTER_SUBJECT, LETTER_ID];
        const SENDER: &[&str] = &[SENDER_NAME, SENDER_ID];
        const SENDER_CONTACT: &[&str] = &[SENDER_NAME, SENDER_ID, SENDER_EMAIL];
        const RECIPIENT: &[&str] = &[RECIPIENT_NAME, RECIPIENT_ID];
        const RECIPIENT_CONTACT: &[&str] = &[RECIPIENT_NAME, RECIPIENT_ID, RECIPIENT_EMAIL];
        const SESSIONS: &[&str] = &[LOGIN_SESSION_ID, LOGIN_TIME, OTP_SESSION_ID];
        const USER: &[&str] = &[USER_NAME, USER_ID];
        const FILES: &[&str] = &[CONTENT_DIGESTS, CONTENT_FILE_IDS];

        // LET-04: sender name/id, subject, letter id, login session id, login time, OTP
        // session id.
        const DEPOSIT: [&str; 8] = concat(&[SENDER, LETTER, &[SUBMISSION_TIME], SESSIONS]);
        // LET-04: recipient name/id, letter id. Not the subject (nor the sender): the
        // recipient holds this evidence before accepting and after refusing, when neither may
        // be disclosed to them (LET-05, LET-09, policy §7.2.6, §7.2.8); the deposit and the
        // summary bind the letter id to its subject.
        const TRANSMISSION: [&str; 3] = concat(&[RECIPIENT, &[LETTER_ID]]);
        // LET-04: subject, id, (message), sender name/id/email, sessions, recipient
        // name/id/email, each attachment's name, hash and hash method.
        const LETTER_SUMMARY: [&str; 12] = concat(&[
            LETTER,
            SENDER_CONTACT,
            SESSIONS,
            RECIPIENT_CONTACT,
            &[CONTENT_DIGESTS],
        ]);
        // LET-07: letter id, recipient name/id, the day. Neither the sender nor the subject
        // (policy §7.2.7 lists them), for the reason given at TRANSMISSION.
        const REMINDER: [&str; 4] = concat(&[&[LETTER_ID], RECIPIENT, &[REMINDER_DAY]]);
        // LET-08 / LET-09: subject, letter id, status, recipient name/id/email, login
        // session id, login time, OTP session id.
        const RECIPIENT_ACTION: [&str; 9] =
            concat(&[LETTER, &[LETTER_STATUS], RECIPIENT_CONTACT, SESSIONS]);
        // LET-09: as above without the subject, for the reason given at TRANSMISSION (a
        // refused letter is not delivered: its recipient never learns its subject).
        const REFUSAL: [&str; 8] =
            concat(&[&[LETTER_ID, LETTER_STATUS], RECIPIENT_CONTACT, SESSIONS]);
        // LET-10: subject, letter id, expiry date-time.
        const NON_CLAIM: [&str; 4] = concat(&[LETTER, &[LETTER_STATUS, LETTER_EXPIRY_TIME]]);
        // LET-11: subject, letter id, recipient name/id/email, sessions, OTP session id.
        const OPENING: [&str; 8] = concat(&[LETTER, RECIPIENT_CONTACT, SESSIONS]);
        // CONS-04: sender name/id/email, recipient name/id/email.
        const CONSENT: [&str; 6] = concat(&[SENDER_CONTACT, RECIPIENT_CONTACT]);
        // ID-04: provider session id, user name, user unique id, result.
        const IDENTIFICATION: [&str; 4] =
            concat(&[&[IDENTIFICATION_SESSION_ID], USER, &[IDENTIFICATION_RESULT]]);
        // ID-06: uploader, file name, file unique id, hash + method.
        const KBIS_UPLOAD: [&str; 4] = concat(&[USER, FILES]);
        // ID-06: status, uploader, each file name/id/hash.
        const POWER_OF_ATTORNEY: [&str; 5] = concat(&[&[VERIFICATION_STATUS], USER, FILES]);
        // ID-06: status, representative, company names + RCS numbers, references to the
        // Kbis evidences, the files' names/ids/hashes. The delegate's fields and the
        // power-of-attorney reference are required together when a delegate connects
        // (checked by `Evidence::validate`).
        const REPRESENTATIVE_CONNECTION: [&str; 8] = concat(&[
            &[
                VERIFICATION_STATUS,
                REPRESENTATIVE_NAME,
                REPRESENTATIVE_ID,
                REPRESENTATIVE_COMPANY,
                REPRESENTATIVE_RCS,
                KBIS_EVIDENCES,
            ],
            FILES,
        ]);
        // ID-05, ID-07: the uploader, the document's kind, file name, id and hash.
        const DOCUMENT_UPLOAD: [&str; 5] = concat(&[USER, &[DOCUMENT_KIND], FILES]);
        // ID-07: whose documents, and each purged file's name, id and hash (which stay).
        const DOCUMENT_PURGE: [&str; 4] = concat(&[USER, FILES]);
        // OPS-02: what the checkpoint covers and the chain head it seals.
        const LEDGER_CHECKPOINT: &[&str] = &[LEDGER_LAST_SEQUENCE, LEDGER_HEAD_HASH];
        // LET-12: the transaction, and each evidence of the dossier: file name, evidence
        // id (as the file id) and SHA-256; the event time is when the dossier was made. The
        // subject only in a dossier that may disclose it (not a refused letter's recipient's).
        const DOSSIER_MANIFEST: [&str; 3] = concat(&[&[LETTER_ID], FILES]);
        // LET-05 (issue 10): the recipient not notified, the letter id (no subject, as the
        // transmission), the notification's Message-ID and why it failed (the mail server's
        // answer or the last error).
        const NOTIFICATION_FAILURE: [&str; 5] = concat(&[
            RECIPIENT,
            &[
                LETTER_ID,
                NOTIFICATION_MESSAGE_ID,
                NOTIFICATION_SERVER_RESPONSE,
            ],
        ]);

        match self {
            EvidenceKind::Deposit => &DEPOSIT,
            EvidenceKind::Transmission => &TRANSMISSION,
            EvidenceKind::LetterSummary => &LETTER_SUMMARY,
            EvidenceKind::Reminder => &REMINDER,
            EvidenceKind::Acceptance => &RECIPIENT_ACTION,
            EvidenceKind::Refusal => &REFUSAL,
            EvidenceKind::NonClaim => &NON_CLAIM,
            EvidenceKind::Opening => &OPENING,
            EvidenceKind::ConsentRequest
            | EvidenceKind::ConsentGranted
            | EvidenceKind::ConsentRefused
            | EvidenceKind::ConsentExpired => &CONSENT,
            EvidenceKind::Identification => &IDENTIFICATION,
            EvidenceKind::KbisUpload => &KBIS_UPLOAD,
            EvidenceKind::PowerOfAttorneyVerification => &POWER_OF_ATTORNEY,
            EvidenceKind::LegalRepresentativeConnection => &REPRESENTATIVE_CONNECTION,
            EvidenceKind::LedgerCheckpoint => LEDGER_CHECKPOINT,
            EvidenceKind::DossierManifest => &DOSSIER_MANIFEST,
            EvidenceKind::NotificationFailure => &NOTIFICATION_FAILURE,
            EvidenceKind::DocumentUpload => &DOCUMENT_UPLOAD,
            EvidenceKind::DocumentPurge => &DOCUMENT_PURGE,
        }
    }

    /// Keys that become required together once any of them is present
    /// (a delegate connecting for a legal representative, ID-06).
    pub(crate) const fn required_together(self) -> &'static [&'static str] {
        match self {
            EvidenceKind::LegalRepresentativeConnection => &[
                DELEGATE_NAME,
                DELEGATE_ID,
                DELEGATE_COMPANY,
                DELEGATE_RCS,
                POA_EVIDENCE,
            ],
            // A signed tree head of the transparency log (issue 12): its size and head.
            EvidenceKind::LedgerCheckpoint => &[LOG_TREE_SIZE, LOG_ROOT_HASH],
            _ => &[],
        }
    }
}

impl fmt::Display for EvidenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The keys of `groups` in order, as one array: a kind's required fields built from the groups
/// its requirements name. `N` is their number (a wrong `N` fails to compile).
const fn concat<const N: usize>(groups: &[&[&'static str]]) -> [&'static str; N] {
    let mut keys = [""; N];
    let mut n = 0;
    let mut g = 0;
    while g < groups.len() {
        let mut k = 0;
        while k < groups[g].len() {
            assert!(n < N, "more keys than N");
            keys[n] = groups[g][k];
            n += 1;
            k += 1;
        }
        g += 1;
    }
    assert!(n == N, "fewer keys than N");
    keys
}
