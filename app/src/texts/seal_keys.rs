//! The seal keys' page (issue 13: OPS-06, policy §13.1.3 "Responsable du cachet") and its
//! refusals.

use domain::seal_keys::{SealKeyAction, SealKeyRefusal, SealKeyStatus};

use crate::i18n::Tr;

pub const NAV_SEAL_KEYS: Tr = Tr(
    "Clés de cachet et horodatage",
    "Seal keys and time-stamping",
);
pub const TITLE: Tr = Tr(
    "Clés de cachet et horodatage",
    "Seal keys and time-stamping",
);
pub const LEAD: Tr = Tr(
    "Chaque opération sur les clés de cachet ou l'autorité d'horodatage est demandée par un responsable du cachet et approuvée par une seconde personne (un autre responsable du cachet ou un responsable de la sécurité) dans les 24 heures ; elle est exécutée à l'approbation. Tout est journalisé.",
    "Every operation on the seal keys or the time-stamping authority is requested by a seal officer and approved by a second person (another seal officer or a security officer) within 24 hours; it is carried out at approval. Everything is journaled.",
);
pub const DEV_NOTE: Tr = Tr(
    "Développement : l'IGC de développement (NON QUALIFIÉE) certifie aussitôt une clé générée.",
    "Development: the development PKI (NOT QUALIFIED) certifies a generated key at once.",
);
pub const PROD_NOTE: Tr = Tr(
    "Une clé générée attend son certificat : transmettez sa demande de certificat (lien « Demande de certificat ») à l'autorité de certification, puis déposez ici le certificat délivré.",
    "A generated key waits for its certificate: send its certificate signing request (link “Certificate request”) to the certification authority, then upload the issued certificate here.",
);
pub const KEYS: Tr = Tr("Clés", "Keys");
pub const LABEL: Tr = Tr("Libellé dans le HSM", "Label in the HSM");
pub const STATUS: Tr = Tr("État", "Status");
pub const CERTIFICATE: Tr = Tr("Certificat", "Certificate");
pub const NO_CERTIFICATE: Tr = Tr("aucun", "none");
pub const VALID_UNTIL: Tr = Tr("valable jusqu'au", "valid until");
pub const CSR: Tr = Tr("Demande de certificat", "Certificate request");
pub const GENERATE: Tr = Tr("Demander une nouvelle clé", "Request a new key");
pub const ACTIVATE: Tr = Tr("Demander son activation", "Request its activation");
pub const RETIRE: Tr = Tr("Demander son retrait", "Request its retirement");
pub const UPLOAD: Tr = Tr(
    "Déposer le certificat (PEM)",
    "Upload the certificate (PEM)",
);
pub const UPLOAD_BUTTON: Tr = Tr("Déposer", "Upload");
pub const TSA: Tr = Tr("Autorité d'horodatage", "Time-stamping authority");
pub const TSA_CURRENT: Tr = Tr("Adresse en usage :", "Address in use:");
pub const TSA_FROM_SETTINGS: Tr = Tr("(celle des réglages)", "(the one of the settings)");
pub const TSA_URL: Tr = Tr("Nouvelle adresse", "New address");
pub const TSA_ROOTS: Tr = Tr(
    "Certificats racines de cette autorité (PEM, s'ils ne sont pas déjà reconnus)",
    "Root certificates of this authority (PEM, if not already trusted)",
);
pub const TSA_CHANGE: Tr = Tr("Demander le changement", "Request the change");
pub const REQUESTS: Tr = Tr("Demandes en attente", "Pending requests");
pub const NO_REQUESTS: Tr = Tr("Aucune demande en attente.", "No pending request.");
pub const REQUESTED_BY: Tr = Tr("demandé par", "requested by");
pub const EXPIRES: Tr = Tr("expire le", "expires");
pub const APPROVE: Tr = Tr("Approuver", "Approve");
pub const REJECT: Tr = Tr("Rejeter", "Reject");
pub const WITHDRAW: Tr = Tr("Retirer ma demande", "Withdraw my request");
pub const DONE: Tr = Tr("C'est fait.", "Done.");

pub fn status_label(status: SealKeyStatus) -> Tr {
    match status {
        SealKeyStatus::Generated => Tr("générée, sans certificat", "generated, no certificate"),
        SealKeyStatus::Ready => Tr("prête", "ready"),
        SealKeyStatus::Active => Tr("active", "active"),
        SealKeyStatus::Retired => Tr("retirée", "retired"),
    }
}

pub fn action_label(action: SealKeyAction) -> Tr {
    match action {
        SealKeyAction::Generate => Tr("Générer une clé de cachet", "Generate a seal key"),
        SealKeyAction::Activate => Tr("Activer la clé", "Activate the key"),
        SealKeyAction::Retire => Tr("Retirer la clé", "Retire the key"),
        SealKeyAction::ChangeTsa => Tr("Changer d'autorité d'horodatage", "Change the TSA"),
    }
}

/// The message of a refusal.
pub fn refusal(refusal: SealKeyRefusal) -> Tr {
    match refusal {
        SealKeyRefusal::RetireActive => Tr(
            "La clé active ne peut pas être retirée : activez d'abord une autre clé.",
            "The active key cannot be retired: activate another key first.",
        ),
        SealKeyRefusal::Retired => Tr(
            "Cette clé est retirée : elle ne peut plus servir.",
            "This key is retired: it can no longer be used.",
        ),
        SealKeyRefusal::AlreadyActive => Tr(
            "Cette clé est déjà la clé active.",
            "This key is already the active key.",
        ),
        SealKeyRefusal::NoCertificate => Tr(
            "Cette clé n'a pas encore de certificat : déposez celui que l'autorité de certification a délivré avant de l'activer.",
            "This key has no certificate yet: upload the one the certification authority issued before activating it.",
        ),
        SealKeyRefusal::Certificate => Tr(
            "Ce n'est pas un certificat X.509 (PEM) d'une clé RSA, valable aujourd'hui.",
            "This is not an X.509 certificate (PEM) of an RSA key, valid today.",
        ),
        SealKeyRefusal::CertificateMismatch => Tr(
            "Ce certificat n'est pas celui de cette clé : sa clé publique diffère.",
            "This certificate is not this key's: its public key differs.",
        ),
        SealKeyRefusal::TsaUrl => Tr(
            "Indiquez l'adresse http:// ou https:// de l'autorité d'horodatage.",
            "Enter the http:// or https:// address of the time-stamping authority.",
        ),
        SealKeyRefusal::TrustRoots => Tr(
            "Les certificats racines doivent être des certificats X.509 au format PEM.",
            "The root certificates must be X.509 certificates in PEM format.",
        ),
        SealKeyRefusal::TsaUnreachable => Tr(
            "Cette autorité d'horodatage n'a pas répondu à une demande d'horodatage d'essai par un jeton vérifiable : le changement est refusé.",
            "This time-stamping authority did not answer a test time-stamp request with a verifiable token: the change is refused.",
        ),
        SealKeyRefusal::Pending => Tr(
            "La même demande attend déjà son approbation.",
            "The same request is already waiting for approval.",
        ),
    }
}
