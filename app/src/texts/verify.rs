//! The texts of the verification page `/verify` (EVD-06), in French then English.

use crate::i18n::Tr;

pub const VERIFY_LEAD: Tr = Tr(
    "Déposez une preuve PDF pour contrôler son cachet, son horodatage, sa chaîne de \
     certificats et son intégrité. Aucun compte n'est nécessaire.",
    "Drop an evidence PDF to check its seal, time-stamp, certificate chain and integrity. \
     No account needed.",
);
pub const VERIFY_EVIDENCE_TITLE: Tr = Tr("1. La preuve (PDF)", "1. The evidence (PDF)");
pub const VERIFY_EVIDENCE_PICK: Tr = Tr("Choisir la preuve (PDF)", "Choose the evidence (PDF)");
pub const VERIFY_SUBMIT: Tr = Tr("Vérifier", "Verify");
pub const VERIFY_VALID: Tr = Tr(
    "Preuve valide : scellée, horodatée et intacte.",
    "Valid evidence: sealed, time-stamped and intact.",
);
pub const VERIFY_INVALID: Tr = Tr(
    "Preuve NON valide : voir les contrôles ci-dessous.",
    "INVALID evidence: see the checks below.",
);
pub const VERIFY_KIND: Tr = Tr("Type de preuve", "Evidence type");
pub const VERIFY_ID: Tr = Tr("Identifiant de la preuve", "Evidence identifier");
pub const VERIFY_EVENT_TIME: Tr = Tr("Date de l'événement (UTC)", "Event time (UTC)");
pub const VERIFY_TIMESTAMP: Tr = Tr("Horodatage (UTC)", "Time-stamp (UTC)");
pub const VERIFY_TSA: Tr = Tr("Autorité d'horodatage", "Time-stamping authority");
pub const VERIFY_SEAL: Tr = Tr("Cachet", "Seal");
pub const VERIFY_DOC_TIMESTAMP: Tr = Tr(
    "Horodatage du document (archivage)",
    "Document time-stamp (archival)",
);
pub const VERIFY_UNTIL: Tr = Tr(
    "Vérifiable sans renouvellement jusqu'au",
    "Verifiable without renewal until",
);
pub const VERIFY_LOG_PROOF: Tr = Tr(
    "Preuve d'inclusion dans le journal public (JSON)",
    "Inclusion proof in the public log (JSON)",
);
pub const VERIFY_JOURNAL: Tr = Tr(
    "Inscrite au journal de ce service",
    "Recorded in this service's journal",
);
pub const VERIFY_DETAIL: Tr = Tr("Détail technique", "Technical detail");
pub const VERIFY_CHECKS: Tr = Tr("Contrôles", "Checks");
pub const VERIFY_DIGESTS: Tr = Tr("Fichiers couverts (SHA-256)", "Files covered (SHA-256)");
pub const VERIFY_ORIGINAL_MATCH: Tr = Tr(
    "Le fichier d'origine correspond à :",
    "The original file matches:",
);
pub const VERIFY_ORIGINAL_NO_MATCH: Tr = Tr(
    "Le fichier d'origine ne correspond à aucun fichier de cette preuve.",
    "The original file matches no file of this evidence.",
);

pub const CHECK_SIGNATURE_DICTIONARY: Tr = Tr("Dictionnaire de signature", "Signature dictionary");
pub const CHECK_WHOLE_FILE: Tr = Tr(
    "La signature couvre tout le fichier",
    "Signature covers the whole file",
);
pub const CHECK_CMS: Tr = Tr(
    "Structure de la signature (CMS)",
    "Signature structure (CMS)",
);
pub const CHECK_UNMODIFIED: Tr = Tr(
    "Document non modifié depuis le scellement",
    "Document unmodified since sealing",
);
pub const CHECK_SEAL: Tr = Tr("Signature du cachet", "Seal signature");
pub const CHECK_SIGNING_CERTIFICATE: Tr = Tr(
    "Attribut du certificat signataire",
    "Signing-certificate attribute",
);
pub const CHECK_CHAIN: Tr = Tr(
    "Chaîne de certification du cachet",
    "Seal certificate chain",
);
pub const CHECK_TIMESTAMP: Tr = Tr("Horodatage de la signature", "Signature time-stamp");
pub const CHECK_CONTENT: Tr = Tr(
    "Contenu de la preuve (XML joint)",
    "Evidence content (attached XML)",
);
pub const CHECK_ORIGINAL: Tr = Tr("Fichier d'origine", "Original file");
pub const CHECK_OTHER: Tr = Tr("Autre contrôle", "Other check");

pub const VERIFY_ORIGINAL_TITLE: Tr = Tr(
    "2. Le fichier d'origine (facultatif)",
    "2. The original file (optional)",
);
pub const VERIFY_ORIGINAL_LEAD: Tr = Tr(
    "Son empreinte SHA-256 est calculée dans votre navigateur : le fichier ne quitte pas \
     votre appareil. Comparez-la à celle que la preuve indique.",
    "Its SHA-256 fingerprint is computed in your browser: the file never leaves your device. \
     Compare it with the one the evidence records.",
);
pub const VERIFY_ORIGINAL_PICK: Tr = Tr("Choisir le fichier", "Choose the file");
pub const VERIFY_FILE: Tr = Tr("Fichier", "File");
pub const VERIFY_HASH_FAILED: Tr = Tr(
    "L'empreinte n'a pas pu être calculée :",
    "The fingerprint could not be computed:",
);
