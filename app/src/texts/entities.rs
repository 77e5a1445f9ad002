//! The texts of the legal entities (issue 13; ID-05..ID-07): the companies page, the
//! verification queue of the back office, and their refusals.

use domain::entities::{DocumentKind, MemberRole, MemberStatus};

use crate::i18n::{Lang, Tr};

pub const ERR_REGISTRY_NUMBER: Tr = Tr(
    "Ce numéro d'immatriculation n'est pas valide : un SIREN compte 9 chiffres (clé de contrôle comprise), un numéro RCS Luxembourg une lettre suivie de chiffres (B123456).",
    "This registration number is not valid: a SIREN has 9 digits (check digit included), a Luxembourg RCS number a letter followed by digits (B123456).",
);
pub const ERR_DOCUMENT_DATE: Tr = Tr(
    "La date du document doit être une date passée, au format AAAA-MM-JJ.",
    "The document's date must be a past date, as YYYY-MM-DD.",
);
pub const ERR_DOCUMENT_TOO_OLD: Tr = Tr(
    "Ce document date de 3 mois ou plus : un extrait Kbis et une procuration doivent dater de moins de 3 mois.",
    "This document is 3 months old or older: a trade-register extract and a power of attorney must be less than 3 months old.",
);
pub const ERR_DOCUMENT_FILE: Tr = Tr(
    "Le document doit être un fichier PDF, JPEG ou PNG non vide de 10 Mo au plus.",
    "The document must be a non-empty PDF, JPEG or PNG file of at most 10 MB.",
);
pub const ERR_MEMBER_EXISTS: Tr = Tr(
    "Vous avez déjà une demande en cours ou validée pour cette société.",
    "You already have a request in progress or approved for this company.",
);
pub const ERR_DOSSIER_INCOMPLETE: Tr = Tr(
    "Le dossier est incomplet ; il manque :",
    "The file is incomplete; missing:",
);
pub const ERR_REASON_REQUIRED: Tr = Tr(
    "Indiquez le motif du refus : il est envoyé au demandeur.",
    "Give the reason for the rejection: it is sent to the requester.",
);
pub const ERR_DOCUMENT_PURGED: Tr = Tr(
    "Ce document a été purgé à l'issue de sa durée de conservation (60 jours) ; seule son empreinte est conservée.",
    "This document was purged at the end of its retention period (60 days); only its hash is kept.",
);

pub fn document_label(kind: DocumentKind) -> Tr {
    match kind {
        DocumentKind::Kbis => Tr("Extrait Kbis", "Trade-register extract (Kbis)"),
        DocumentKind::PowerOfAttorney => Tr("Procuration", "Power of attorney"),
        DocumentKind::IdFront => Tr(
            "Pièce d'identité du représentant légal (recto)",
            "Legal representative's ID document (front)",
        ),
        DocumentKind::IdBack => Tr(
            "Pièce d'identité du représentant légal (verso)",
            "Legal representative's ID document (back)",
        ),
    }
}

pub fn role_label(role: MemberRole) -> Tr {
    match role {
        MemberRole::Representative => Tr("Représentant légal", "Legal representative"),
        MemberRole::Delegate => Tr("Délégataire", "Delegate"),
    }
}

pub fn status_label(status: MemberStatus) -> Tr {
    match status {
        MemberStatus::Draft => Tr("À compléter", "To complete"),
        MemberStatus::Pending => Tr("En cours de vérification", "Being verified"),
        MemberStatus::Verified => Tr("Vérifié", "Verified"),
        MemberStatus::Rejected => Tr("Refusé", "Rejected"),
        MemberStatus::Revoked => Tr("Révoqué", "Revoked"),
    }
}

/// What a draft lacks, in words: `kbis:<number>` or a document kind code.
pub fn missing_label(code: &str, lang: Lang) -> String {
    match code.strip_prefix("kbis:") {
        Some(number) => format!("{} {number}", KBIS_OF.get(lang)),
        None => DocumentKind::from_code(code)
            .map_or(code, |kind| document_label(kind).get(lang))
            .to_owned(),
    }
}

pub const KBIS_OF: Tr = Tr("extrait Kbis de", "trade-register extract of");
pub const NOT_IDENTIFIED: Tr = Tr(
    "vérification d'identité (PVID) du demandeur",
    "the requester's identity proofing (PVID)",
);

pub const TITLE: Tr = Tr("Mes sociétés", "My companies");
pub const MANAGE: Tr = Tr("Agir pour une société", "Act for a company");
pub const LEAD: Tr = Tr(
    "Agissez pour une société inscrite au registre du commerce français ou luxembourgeois, comme son représentant légal ou comme délégataire muni d'une procuration. Un opérateur de contrôle d'identité vérifie vos documents.",
    "Act for a company of the French or Luxembourg trade register, as its legal representative or as a delegate holding a power of attorney. An identity-check operator verifies your documents.",
);
pub const NEW_REQUEST: Tr = Tr("Nouvelle demande", "New request");
pub const COMPANY_NAME: Tr = Tr("Dénomination de la société", "Company name");
pub const REGISTRY: Tr = Tr("Registre", "Register");
pub const REGISTRY_FR: Tr = Tr("RCS France (SIREN)", "RCS France (SIREN)");
pub const REGISTRY_LU: Tr = Tr("RCS Luxembourg", "RCS Luxembourg");
pub const NUMBER: Tr = Tr("Numéro d'immatriculation", "Registration number");
pub const ROLE: Tr = Tr("Vous êtes", "You are");
pub const REPRESENTATIVE_NAME: Tr = Tr(
    "Nom du représentant légal (personne physique nommée dans l'extrait)",
    "Legal representative's name (the natural person named in the extract)",
);
pub const CREATE: Tr = Tr("Créer la demande", "Create the request");
pub const NO_REQUEST: Tr = Tr("Aucune demande pour le moment.", "No request yet.");
pub const DOCUMENTS: Tr = Tr("Documents", "Documents");
pub const MISSING: Tr = Tr("Il manque encore :", "Still missing:");
pub const ADD_DOCUMENT: Tr = Tr("Ajouter un document", "Add a document");
pub const DOCUMENT_KIND: Tr = Tr("Nature", "Type");
pub const ISSUED_ON: Tr = Tr(
    "Date du document (extrait, procuration)",
    "Document date (extract, power of attorney)",
);
pub const EXTRACT_COMPANY: Tr = Tr(
    "Pour un extrait : la société dont c'est l'extrait",
    "For an extract: the company it is about",
);
pub const LED_BY: Tr = Tr(
    "Numéro de la société qui la dirige, si son dirigeant est une société",
    "Number of the company leading it, if its director is a company",
);
pub const FILE: Tr = Tr("Fichier (PDF, JPEG ou PNG)", "File (PDF, JPEG or PNG)");
pub const UPLOAD: Tr = Tr("Téléverser", "Upload");
pub const UPLOADED: Tr = Tr(
    "Document téléversé ; sa preuve de téléversement est scellée.",
    "Document uploaded; its upload evidence is sealed.",
);
pub const SUBMIT: Tr = Tr("Envoyer pour vérification", "Send for verification");
pub const REVOKE: Tr = Tr("Révoquer ce délégataire", "Revoke this delegate");
pub const DELEGATES: Tr = Tr(
    "Délégataires de vos sociétés",
    "Delegates of your companies",
);
pub const REASON: Tr = Tr("Motif", "Reason");
pub const PURGED: Tr = Tr("purgé (empreinte conservée)", "purged (hash kept)");
pub const EVIDENCE: Tr = Tr("Preuve", "Evidence");

pub const SEND_AS: Tr = Tr("Envoyer au nom de", "Send on behalf of");
pub const SEND_AS_MYSELF: Tr = Tr("Moi-même, à titre personnel", "Myself, personally");

pub const QUEUE_TITLE: Tr = Tr("Vérifications manuelles", "Manual verifications");
pub const QUEUE_LEAD: Tr = Tr(
    "Vérifiez que chaque extrait date de moins de 3 mois, que la chaîne de sociétés mène au représentant légal nommé, et pour un délégataire que la procuration est datée, signée par ce représentant et accompagnée de sa pièce d'identité.",
    "Check that every extract is less than 3 months old, that the chain of companies leads to the named legal representative, and for a delegate that the power of attorney is dated, signed by that representative and comes with their ID document.",
);
pub const QUEUE_EMPTY: Tr = Tr("Aucune demande en attente.", "No request waiting.");
pub const REQUESTER: Tr = Tr("Demandeur", "Requester");
pub const IDENTIFIED: Tr = Tr("identité vérifiée (PVID)", "identity verified (PVID)");
pub const APPROVE: Tr = Tr("Valider", "Approve");
pub const REJECT: Tr = Tr("Refuser", "Reject");
pub const OPEN_DOCUMENT: Tr = Tr("Ouvrir", "Open");
