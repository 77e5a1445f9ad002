//! The texts of the service policy page `/policy`, in French then English.

use crate::i18n::Tr;

pub const POLICY_TITLE: Tr = Tr(
    "Politique et documents publiés",
    "Policy and published documents",
);
pub const POLICY_LEAD: Tr = Tr(
    "La politique de service décrit nos engagements : identification des parties, délais, \
     preuves, conservation. Chaque version porte un identifiant d'objet (OID).",
    "The service policy describes our commitments: identification of the parties, deadlines, \
     evidence, retention. Each version carries an object identifier (OID).",
);
pub const POLICY_OID: Tr = Tr(
    "Identifiant de la politique (OID)",
    "Policy identifier (OID)",
);
pub const POLICY_ZONE: Tr = Tr("Fuseau horaire légal", "Legal time zone");
pub const POLICY_COMMITMENTS: Tr = Tr("Nos engagements", "Our commitments");
pub const POLICY_C1: Tr = Tr(
    "Le destinataire dispose de 15 jours calendaires, à compter du lendemain de la \
     notification, pour accepter ou refuser la lettre ; des rappels sont envoyés aux jours \
     4, 8 et 12.",
    "The recipient has 15 calendar days, counted from the day after the notification, to \
     accept or refuse the letter; reminders are sent on days 4, 8 and 12.",
);
pub const POLICY_C2: Tr = Tr(
    "L'identité de l'expéditeur et le contenu restent cachés au destinataire jusqu'à \
     l'acceptation.",
    "The sender's identity and the content stay hidden from the recipient until acceptance.",
);
pub const POLICY_C3: Tr = Tr(
    "Chaque preuve est scellée par une clé RSA 3072 bits qui ne quitte jamais le module \
     matériel de sécurité (HSM), et horodatée selon la RFC 3161.",
    "Every evidence is sealed with an RSA 3072-bit key that never leaves the hardware \
     security module (HSM), and time-stamped per RFC 3161.",
);
pub const POLICY_C4: Tr = Tr(
    "Les preuves sont conservées 10 ans et restent vérifiables après l'expiration des \
     certificats.",
    "Evidence is kept for 10 years and remains verifiable after the certificates expire.",
);
pub const POLICY_CERTS: Tr = Tr("Certificats publiés", "Published certificates");
pub const POLICY_CERT_ROOT: Tr = Tr("Autorité racine", "Root authority");
pub const POLICY_CERT_SEAL: Tr = Tr(
    "Certificat de cachet des preuves",
    "Evidence seal certificate",
);
pub const POLICY_CERT_TSA: Tr = Tr("Unité d'horodatage", "Time-stamping unit");
pub const POLICY_LOG: Tr = Tr("Journal de transparence", "Transparency log");
pub const POLICY_LOG_LEAD: Tr = Tr(
    "Chaque preuve émise est une feuille d'un arbre de Merkle public (RFC 9162). Les têtes \
     d'arbre sont scellées et horodatées : qui en conserve une peut vérifier plus tard qu'aucune \
     preuve n'a été retirée ni antidatée (pli log verify).",
    "Every evidence issued is a leaf of a public Merkle tree (RFC 9162). Tree heads are sealed \
     and time-stamped: whoever keeps one can later check that no evidence was removed or \
     back-dated (pli log verify).",
);
pub const POLICY_LOG_HEADS: Tr = Tr("Têtes d'arbre signées (JSON)", "Signed tree heads (JSON)");
pub const POLICY_LOG_LATEST: Tr = Tr(
    "Dernière tête signée (JSON)",
    "Latest signed tree head (JSON)",
);

// The published documents (TERMS-01): `/policy`, `/terms/senders`, `/terms/recipients`.
pub const DOCUMENTS_TITLE: Tr = Tr("Documents publiés", "Published documents");
pub const DOCUMENT_VERSION: Tr = Tr("Version", "Version");
pub const DOCUMENT_OID: Tr = Tr("Identifiant (OID)", "Identifier (OID)");
pub const DOCUMENT_EFFECTIVE: Tr = Tr("En vigueur à compter du", "In force from");
pub const DOCUMENT_UPCOMING: Tr = Tr(
    "Une nouvelle version de ce document est publiée :",
    "A new version of this document is published:",
);
pub const TERMS_TO_ACCEPT: Tr = Tr(
    "Les conditions d'utilisation ont changé : acceptez la version {version} pour continuer d'envoyer des lettres.",
    "The terms of use have changed: accept version {version} to go on sending letters.",
);
pub const TERMS_NEW_EDITION: Tr = Tr(
    "Les conditions d'utilisation — expéditeurs ont changé (version {version}, en vigueur à compter du {effective}). Lisez-les puis acceptez-les pour continuer d'envoyer des lettres.",
    "The terms of use for senders have changed (version {version}, in force from {effective}). Read them, then accept them to go on sending letters.",
);
pub const TERMS_ACCEPT_NEW: Tr = Tr("J'accepte cette version", "I accept this version");
pub const DOCUMENT_UPCOMING_READ: Tr = Tr("la lire", "read it");
pub const DOCUMENT_PDF: Tr = Tr("Document PDF", "PDF document");
pub const DOCUMENT_PDF_LINK: Tr = Tr(
    "Télécharger le PDF (français puis anglais)",
    "Download the PDF (French, then English)",
);
pub const DOCUMENT_SHA256: Tr = Tr("Empreinte SHA-256 du PDF", "SHA-256 digest of the PDF");
pub const DOCUMENT_TEXT: Tr = Tr("Texte", "Text");
pub const TERMS_SENDERS_LINK: Tr = Tr(
    "Conditions d'utilisation — expéditeurs",
    "Terms of use — senders",
);
pub const TERMS_RECIPIENTS_LINK: Tr = Tr(
    "Conditions d'utilisation — destinataires",
    "Terms of use — recipients",
);
pub const POLICY_STATEMENT_LINK: Tr = Tr(
    "Politique et déclaration de pratiques",
    "Policy and practice statement",
);
