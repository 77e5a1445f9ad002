//! The field keys of an evidence and their French and English labels.
//!
//! Field keys are stable, dotted names (`sender.name`, `letter.id`, ...). Some name members of
//! [`Evidence`](super::Evidence) (the parties, the letter, the sessions, the digests); the others
//! name entries of [`Evidence::fields`](super::Evidence::fields). [`field_labels`] gives the
//! French and English label of every key this module knows.

/// Well-known field keys. The keys of struct members are listed first; the others are looked
/// up in [`Evidence::fields`](super::Evidence::fields).
pub mod keys {
    /// `Evidence::sender.name`.
    pub const SENDER_NAME: &str = "sender.name";
    /// `Evidence::sender.id`.
    pub const SENDER_ID: &str = "sender.id";
    /// `Evidence::sender.email`.
    pub const SENDER_EMAIL: &str = "sender.email";
    /// Field: the company the sender acts for (issue 13; policy §4.2, §6.2).
    pub const SENDER_COMPANY: &str = "sender.company";
    /// Field: its registry number, as it reads ("RCS 732 829 320").
    pub const SENDER_COMPANY_RCS: &str = "sender.company_rcs";
    /// Field: the company a letter is for, which the recipient received it for as its legal
    /// representative or a delegate (issue 13; policy §6.4).
    pub const RECIPIENT_COMPANY: &str = "recipient.company";
    /// Field: its registry number, as it reads ("RCS 732 829 320").
    pub const RECIPIENT_COMPANY_RCS: &str = "recipient.company_rcs";
    /// Field: the recipient's capacity for it: legal representative or delegate.
    pub const RECIPIENT_CAPACITY: &str = "recipient.capacity";
    /// `Evidence::recipient.name`.
    pub const RECIPIENT_NAME: &str = "recipient.name";
    /// `Evidence::recipient.id`.
    pub const RECIPIENT_ID: &str = "recipient.id";
    /// `Evidence::recipient.email`.
    pub const RECIPIENT_EMAIL: &str = "recipient.email";
    /// `Evidence::user.name`: the person the event is about when they are neither sender nor
    /// recipient (identified person, uploader).
    pub const USER_NAME: &str = "user.name";
    /// `Evidence::user.id`.
    pub const USER_ID: &str = "user.id";
    /// `Evidence::user.email`.
    pub const USER_EMAIL: &str = "user.email";
    /// `Evidence::letter_id`.
    pub const LETTER_ID: &str = "letter.id";
    /// `Evidence::subject`.
    pub const LETTER_SUBJECT: &str = "letter.subject";
    /// Derived from the kind (acceptance, refusal, non-claim); never given as a field.
    pub const LETTER_STATUS: &str = "letter.status";
    /// `Evidence::submission_time`.
    pub const SUBMISSION_TIME: &str = "submission.time";
    /// `Evidence::sessions.login_session_id` (AUTH-04).
    pub const LOGIN_SESSION_ID: &str = "session.login_id";
    /// `Evidence::sessions.login_time` (AUTH-04).
    pub const LOGIN_TIME: &str = "session.login_time";
    /// `Evidence::sessions.otp_session_id` (AUTH-02, AUTH-04).
    pub const OTP_SESSION_ID: &str = "session.otp_id";
    /// At least one entry in `Evidence::digests`.
    pub const CONTENT_DIGESTS: &str = "content.digests";
    /// Every entry of `Evidence::digests` has a `file_id`.
    pub const CONTENT_FILE_IDS: &str = "content.file_id";

    /// Field: the letter's optional message (letter summary, LET-04).
    pub const LETTER_MESSAGE: &str = "letter.message";
    /// Field: the letter's expiry date and time, UTC (non-claim, LET-10).
    pub const LETTER_EXPIRY_TIME: &str = "letter.expiry_time";
    /// Field: the day of the reminder after the notification: 4, 8 or 12 (LET-07).
    pub const REMINDER_DAY: &str = "reminder.day";
    /// Field: the Message-ID of the notification email (LET-05), as the service set it.
    pub const NOTIFICATION_MESSAGE_ID: &str = "notification.message_id";
    /// Field: the mail server's answer to the notification email: its reply code and text
    /// when it took it (LET-05), or why it was not delivered.
    pub const NOTIFICATION_SERVER_RESPONSE: &str = "notification.server_response";
    /// Field: the consent's identifier (CONS-04).
    pub const CONSENT_ID: &str = "consent.id";
    /// Field: the identity-proofing provider (ID-04).
    pub const IDENTIFICATION_PROVIDER: &str = "identification.provider";
    /// Field: the provider's session id (ID-04).
    pub const IDENTIFICATION_SESSION_ID: &str = "identification.provider_session_id";
    /// Field: the level of assurance the identity provider reached, e.g. `eidas2` (issue 14).
    pub const IDENTIFICATION_LEVEL: &str = "identification.level";
    /// Field: the person's identifier at the identity provider (an OpenID `sub`, issue 14).
    pub const IDENTIFICATION_SUBJECT: &str = "identification.subject";
    /// Field: the person's date of birth, when the identity provider says (issue 14).
    pub const IDENTIFICATION_BIRTH_DATE: &str = "identification.birth_date";
    /// Field: the person's place of birth, when the identity provider says (issue 14).
    pub const IDENTIFICATION_BIRTH_PLACE: &str = "identification.birth_place";
    /// Field: the result of the identity proofing, e.g. "Réussi / Succeeded" (ID-04).
    pub const IDENTIFICATION_RESULT: &str = "identification.result";
    /// Field: the status of a verification (power of attorney, connection) (ID-06).
    pub const VERIFICATION_STATUS: &str = "verification.status";
    /// Field: the company of an uploaded trade-register extract (ID-06).
    pub const COMPANY_NAME: &str = "company.name";
    /// Field: its trade-register (RCS) number (ID-06).
    pub const COMPANY_RCS: &str = "company.rcs";
    /// Field: the legal representative's name (ID-06).
    pub const REPRESENTATIVE_NAME: &str = "representative.name";
    /// Field: the legal representative's unique id (ID-06).
    pub const REPRESENTATIVE_ID: &str = "representative.id";
    /// Field: the legal representative's company name (ID-06).
    pub const REPRESENTATIVE_COMPANY: &str = "representative.company";
    /// Field: the RCS number of the legal representative's company (ID-06).
    pub const REPRESENTATIVE_RCS: &str = "representative.rcs";
    /// Field: the delegate's name (ID-06).
    pub const DELEGATE_NAME: &str = "delegate.name";
    /// Field: the delegate's unique id (ID-06).
    pub const DELEGATE_ID: &str = "delegate.id";
    /// Field: the delegate's company name (ID-06).
    pub const DELEGATE_COMPANY: &str = "delegate.company";
    /// Field: the RCS number of the delegate's company (ID-06).
    pub const DELEGATE_RCS: &str = "delegate.rcs";
    /// Field: the id of the power-of-attorney verification evidence (ID-06).
    pub const POA_EVIDENCE: &str = "evidence.poa_verification";
    /// Field: the ids of the Kbis upload evidences, comma-separated (ID-06).
    pub const KBIS_EVIDENCES: &str = "evidence.kbis_uploads";
    /// Field: the kind of a supporting document: power of attorney, ID document front or
    /// back (ID-05).
    pub const DOCUMENT_KIND: &str = "document.kind";
    /// Field: the version of the terms of use the recipient accepted before deciding
    /// (TERMS-01, policy §3.3).
    pub const TERMS_VERSION: &str = "terms.version";
    /// Field: the object identifier of those terms, under the policy OID (TERMS-01).
    pub const TERMS_OID: &str = "terms.oid";
    /// Field: the first sequence number the checkpoint covers (OPS-02).
    pub const LEDGER_FIRST_SEQUENCE: &str = "ledger.first_sequence";
    /// Field: the last sequence number the checkpoint covers (OPS-02).
    pub const LEDGER_LAST_SEQUENCE: &str = "ledger.last_sequence";
    /// Field: the hash of the chain head, hex, with its method in the value (OPS-02).
    pub const LEDGER_HEAD_HASH: &str = "ledger.head_hash";
    /// Field: the id of the previous checkpoint evidence (OPS-02).
    pub const LEDGER_PREVIOUS_CHECKPOINT: &str = "ledger.previous_checkpoint";
    /// Field: how many leaves the transparency log's tree has at the checkpoint (issue 12).
    pub const LOG_TREE_SIZE: &str = "log.tree_size";
    /// Field: the head of that tree, RFC 9162 MTH, lowercase hex (issue 12).
    pub const LOG_ROOT_HASH: &str = "log.root_hash";
}

use keys::*;

/// The French and English labels of every well-known key.
const LABELS: &[(&str, &str, &str)] = &[
    (SENDER_NAME, "Nom de l'expéditeur", "Sender name"),
    (
        SENDER_ID,
        "Identifiant unique de l'expéditeur",
        "Sender unique identifier",
    ),
    (
        SENDER_EMAIL,
        "Adresse électronique de l'expéditeur",
        "Sender email address",
    ),
    (
        SENDER_COMPANY,
        "Société pour laquelle agit l'expéditeur",
        "Company the sender acts for",
    ),
    (
        SENDER_COMPANY_RCS,
        "Numéro d'immatriculation de cette société",
        "Registration number of that company",
    ),
    (
        RECIPIENT_COMPANY,
        "Société destinataire, pour laquelle agit le destinataire",
        "Company addressed, which the recipient acts for",
    ),
    (
        RECIPIENT_COMPANY_RCS,
        "Numéro d'immatriculation de la société destinataire",
        "Registration number of the company addressed",
    ),
    (
        RECIPIENT_CAPACITY,
        "Qualité du destinataire pour cette société",
        "Recipient's capacity for that company",
    ),
    (RECIPIENT_NAME, "Nom du destinataire", "Recipient name"),
    (
        RECIPIENT_ID,
        "Identifiant unique du destinataire",
        "Recipient unique identifier",
    ),
    (
        RECIPIENT_EMAIL,
        "Adresse électronique du destinataire",
        "Recipient email address",
    ),
    (USER_NAME, "Nom de l'utilisateur", "User name"),
    (
        USER_ID,
        "Identifiant unique de l'utilisateur",
        "User unique identifier",
    ),
    (
        USER_EMAIL,
        "Adresse électronique de l'utilisateur",
        "User email address",
    ),
    (
        LETTER_ID,
        "Identifiant unique de la lettre",
        "Letter unique identifier",
    ),
    (LETTER_SUBJECT, "Objet de la lettre", "Letter subject"),
    (LETTER_STATUS, "Statut de la lettre", "Letter status"),
    (
        SUBMISSION_TIME,
        "Date et heure de dépôt (UTC)",
        "Submission time (UTC)",
    ),
    (
        LOGIN_SESSION_ID,
        "Identifiant de la session de connexion",
        "Login session identifier",
    ),
    (LOGIN_TIME, "Heure de connexion (UTC)", "Login time (UTC)"),
    (
        OTP_SESSION_ID,
        "Identifiant de la session OTP",
        "OTP session identifier",
    ),
    (CONTENT_DIGESTS, "Empreintes des fichiers", "File digests"),
    (
        CONTENT_FILE_IDS,
        "Identifiant unique de chaque fichier",
        "Unique identifier of each file",
    ),
    (LETTER_MESSAGE, "Message", "Message"),
    (
        LETTER_EXPIRY_TIME,
        "Date et heure d'expiration de la lettre (UTC)",
        "Letter expiry date and time (UTC)",
    ),
    (
        REMINDER_DAY,
        "Relance (jour après la notification)",
        "Reminder (day after the notification)",
    ),
    (
        CONSENT_ID,
        "Identifiant du consentement",
        "Consent identifier",
    ),
    (
        IDENTIFICATION_PROVIDER,
        "Prestataire de vérification d'identité",
        "Identity-proofing provider",
    ),
    (
        IDENTIFICATION_SESSION_ID,
        "Identifiant de la session de vérification d'identité",
        "Identity-proofing session identifier",
    ),
    (
        IDENTIFICATION_LEVEL,
        "Niveau de garantie atteint",
        "Level of assurance reached",
    ),
    (
        IDENTIFICATION_SUBJECT,
        "Identifiant de la personne chez le fournisseur d'identité",
        "Person's identifier at the identity provider",
    ),
    (
        IDENTIFICATION_BIRTH_DATE,
        "Date de naissance",
        "Date of birth",
    ),
    (
        IDENTIFICATION_BIRTH_PLACE,
        "Lieu de naissance",
        "Place of birth",
    ),
    (
        IDENTIFICATION_RESULT,
        "Résultat de la vérification d'identité",
        "Identity-proofing result",
    ),
    (
        VERIFICATION_STATUS,
        "Statut de la vérification",
        "Verification status",
    ),
    (COMPANY_NAME, "Entreprise", "Company"),
    (
        COMPANY_RCS,
        "Numéro RCS de l'entreprise",
        "Company trade-register (RCS) number",
    ),
    (
        REPRESENTATIVE_NAME,
        "Nom du représentant légal",
        "Legal representative name",
    ),
    (
        REPRESENTATIVE_ID,
        "Identifiant unique du représentant légal",
        "Legal representative unique identifier",
    ),
    (
        REPRESENTATIVE_COMPANY,
        "Entreprise du représentant légal",
        "Legal representative's company",
    ),
    (
        REPRESENTATIVE_RCS,
        "Numéro RCS de l'entreprise du représentant légal",
        "Trade-register (RCS) number of the legal representative's company",
    ),
    (DELEGATE_NAME, "Nom du délégataire", "Delegate name"),
    (
        DELEGATE_ID,
        "Identifiant unique du délégataire",
        "Delegate unique identifier",
    ),
    (
        DELEGATE_COMPANY,
        "Entreprise du délégataire",
        "Delegate's company",
    ),
    (
        DELEGATE_RCS,
        "Numéro RCS de l'entreprise du délégataire",
        "Trade-register (RCS) number of the delegate's company",
    ),
    (
        POA_EVIDENCE,
        "Référence de la preuve de vérification de la procuration",
        "Power-of-attorney verification evidence reference",
    ),
    (
        KBIS_EVIDENCES,
        "Références des preuves de téléversement des extraits Kbis",
        "Kbis upload evidence references",
    ),
    (DOCUMENT_KIND, "Nature du document", "Document type"),
    (
        TERMS_VERSION,
        "Version des conditions d'utilisation acceptées",
        "Version of the accepted terms of use",
    ),
    (
        TERMS_OID,
        "Identifiant (OID) des conditions d'utilisation acceptées",
        "Identifier (OID) of the accepted terms of use",
    ),
    (
        LEDGER_FIRST_SEQUENCE,
        "Premier numéro d'ordre couvert",
        "First sequence number covered",
    ),
    (
        LEDGER_LAST_SEQUENCE,
        "Dernier numéro d'ordre couvert",
        "Last sequence number covered",
    ),
    (
        LEDGER_HEAD_HASH,
        "Empreinte de la tête de chaîne",
        "Chain head digest",
    ),
    (
        LEDGER_PREVIOUS_CHECKPOINT,
        "Référence du point de contrôle précédent",
        "Previous checkpoint reference",
    ),
    (
        LOG_TREE_SIZE,
        "Nombre de feuilles du journal de transparence",
        "Transparency log size (leaves)",
    ),
    (
        LOG_ROOT_HASH,
        "Tête de l'arbre du journal de transparence (SHA-256, RFC 9162)",
        "Transparency log tree head (SHA-256, RFC 9162)",
    ),
    (
        NOTIFICATION_MESSAGE_ID,
        "Identifiant du message de notification (Message-ID)",
        "Notification message identifier (Message-ID)",
    ),
    (
        NOTIFICATION_SERVER_RESPONSE,
        "Réponse du serveur de messagerie",
        "Mail server response",
    ),
];

/// The French and English labels of a well-known key, if it is one.
pub fn field_labels(key: &str) -> Option<(&'static str, &'static str)> {
    LABELS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, fr, en)| (*fr, *en))
}

/// Whether `key` names a member of [`Evidence`](super::Evidence) (or is derived from its kind)
/// rather than an entry of [`Evidence::fields`](super::Evidence::fields): such keys must not be
/// given again as fields.
pub fn is_member_key(key: &str) -> bool {
    matches!(
        key,
        SENDER_NAME
            | SENDER_ID
            | SENDER_EMAIL
            | RECIPIENT_NAME
            | RECIPIENT_ID
            | RECIPIENT_EMAIL
            | USER_NAME
            | USER_ID
            | USER_EMAIL
            | LETTER_ID
            | LETTER_SUBJECT
            | LETTER_STATUS
            | SUBMISSION_TIME
            | LOGIN_SESSION_ID
            | LOGIN_TIME
            | OTP_SESSION_ID
            | CONTENT_DIGESTS
            | CONTENT_FILE_IDS
    )
}
