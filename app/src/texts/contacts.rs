//! The texts of the contacts and consent pages (CONS-01..CONS-05), in French then English.

use crate::i18n::Tr;
use crate::lifecycle::ConsentStatus;

pub const NAV_CONTACTS: Tr = Tr("Contacts", "Contacts");

pub const CONTACTS_TITLE: Tr = Tr("Mes contacts", "My contacts");
pub const CONTACTS_LEAD: Tr = Tr(
    "Vos destinataires. Un particulier doit d'abord consentir, par un lien que nous lui \
     envoyons, à recevoir vos lettres recommandées électroniques ; un professionnel n'en a pas \
     besoin.",
    "Your recipients. A private person must first consent, through a link we email them, to \
     receive your electronic registered letters; a professional needs no consent.",
);
pub const CONTACTS_EMPTY: Tr = Tr("Aucun contact pour l'instant.", "No contacts yet.");
pub const CONTACT_NEW: Tr = Tr("Nouveau contact", "New contact");
pub const CONTACT_EDIT: Tr = Tr("Modifier le contact", "Edit contact");
pub const CONTACT_EDIT_BUTTON: Tr = Tr("Modifier", "Edit");
pub const CONTACT_SAVE: Tr = Tr("Enregistrer", "Save");
pub const CONTACT_CANCEL: Tr = Tr("Annuler", "Cancel");
pub const CONTACT_SAVED: Tr = Tr("Contact enregistré.", "Contact saved.");
pub const FIELD_CONTACT_NAME: Tr = Tr("Nom", "Name");
pub const FIELD_CONTACT_EMAIL: Tr = Tr("Adresse électronique", "Email address");
pub const FIELD_PROFESSIONAL: Tr = Tr(
    "Destinataire professionnel (entreprise, administration…)",
    "Professional recipient (company, public body…)",
);
pub const FIELD_COMPANY: Tr = Tr("Nom de l'entreprise", "Company name");
pub const FIELD_COMPANY_NUMBER: Tr = Tr(
    "Numéro d'immatriculation de l'entreprise (facultatif)",
    "Company registration number (optional)",
);
pub const COMPANY_NUMBER_HINT: Tr = Tr(
    "Avec son numéro, la lettre est adressée à l'entreprise elle-même : elle sera remise à son \
     représentant légal ou à un délégataire vérifié. Sans numéro, elle est remise à la personne \
     nommée ci-dessus, après vérification de son identité.",
    "With its number, the letter is addressed to the company itself: it is delivered to its \
     legal representative or a verified delegate. Without one, it is delivered to the person \
     named above, once their identity is verified.",
);
pub const CONTACT_EMAIL_HINT: Tr = Tr(
    "Changer l'adresse d'un particulier demande un nouveau consentement.",
    "Changing a private person's address needs a new consent.",
);

pub const CONSENT_ASK: Tr = Tr("Demander le consentement", "Ask for consent");
pub const CONSENT_ASK_AGAIN: Tr = Tr("Redemander le consentement", "Ask for consent again");
pub const CONSENT_ASKED: Tr = Tr(
    "Demande de consentement envoyée par courriel.",
    "Consent request sent by email.",
);
pub const CONSENT_NOT_NEEDED: Tr = Tr(
    "Professionnel : aucun consentement requis",
    "Professional: no consent needed",
);
pub const CONSENT_NONE: Tr = Tr("Consentement non demandé", "Consent not requested");
pub const CONSENT_REQUESTED: Tr = Tr(
    "Consentement demandé, en attente de réponse",
    "Consent requested, awaiting an answer",
);
pub const CONSENT_GRANTED: Tr = Tr("Consentement accordé", "Consent granted");
pub const CONSENT_REFUSED: Tr = Tr("Consentement refusé", "Consent refused");
pub const CONSENT_REVOKED: Tr = Tr("Consentement retiré", "Consent withdrawn");
pub const CONSENT_EXPIRED: Tr = Tr(
    "Demande de consentement expirée (sans réponse en 30 jours)",
    "Consent request expired (no answer within 30 days)",
);
pub const CONSENT_UNTIL: Tr = Tr("expire le", "expires on");

/// The label of a consent status, as the sender's list shows it.
pub fn consent_status(status: ConsentStatus) -> Tr {
    match status {
        ConsentStatus::Requested => CONSENT_REQUESTED,
        ConsentStatus::Granted => CONSENT_GRANTED,
        ConsentStatus::Refused => CONSENT_REFUSED,
        ConsentStatus::Revoked => CONSENT_REVOKED,
        ConsentStatus::Expired => CONSENT_EXPIRED,
    }
}

/// A stable code of a consent status, for styling and tests.
pub fn consent_code(status: Option<ConsentStatus>, professional: bool) -> &'static str {
    match (professional, status) {
        (true, _) => "not-needed",
        (false, None) => "none",
        (false, Some(ConsentStatus::Requested)) => "requested",
        (false, Some(ConsentStatus::Granted)) => "granted",
        (false, Some(ConsentStatus::Refused)) => "refused",
        (false, Some(ConsentStatus::Revoked)) => "revoked",
        (false, Some(ConsentStatus::Expired)) => "expired",
    }
}

pub const CONSENT_PAGE_TITLE: Tr = Tr("Demande de consentement", "Consent request");
pub const CONSENT_PAGE_LEAD: Tr = Tr(
    "Un utilisateur de Pli souhaite vous adresser des lettres recommandées électroniques. La loi \
     exige votre consentement préalable.",
    "A Pli user would like to send you electronic registered letters. The law requires your \
     prior consent.",
);
pub const CONSENT_SENDER: Tr = Tr("Expéditeur", "Sender");
pub const CONSENT_YOUR_ADDRESS: Tr = Tr("Votre adresse", "Your address");
pub const CONSENT_REQUESTED_AT: Tr = Tr("Demandé le", "Requested on");
pub const CONSENT_EXPIRES_AT: Tr = Tr("Sans réponse, expire le", "Without an answer, expires on");
pub const CONSENT_ANSWERED_AT: Tr = Tr("Répondu le", "Answered on");
pub const CONSENT_REVOKED_AT: Tr = Tr("Retiré le", "Withdrawn on");
pub const CONSENT_STATUS: Tr = Tr("Statut", "Status");
pub const CONSENT_EXPLAIN: Tr = Tr(
    "En accordant votre consentement, vous acceptez de recevoir les lettres recommandées \
     électroniques de cet expéditeur à cette adresse, et vous confirmez qu'elle est la vôtre. \
     Chaque lettre vous sera notifiée par courriel ; vous resterez libre de l'accepter ou de la \
     refuser. Vous pourrez retirer ce consentement à tout moment par ce même lien.",
    "By granting consent, you agree to receive this sender's electronic registered letters at \
     this address, and you confirm that it is yours. Each letter will be notified to you by \
     email; you remain free to accept or refuse it. You may withdraw this consent at any time \
     through this same link.",
);
pub const CONSENT_GRANT: Tr = Tr("J'accorde mon consentement", "I grant my consent");
pub const CONSENT_REFUSE: Tr = Tr("Je refuse", "I refuse");
/// After withdrawing a consent from the list of consents granted.
pub const CONSENT_WITHDRAWN: Tr = Tr(
    "Consentement retiré : cet expéditeur ne peut plus vous envoyer de lettre à cette adresse.",
    "Consent withdrawn: this sender can no longer send you letters at this address.",
);
pub const CONSENT_REVOKE: Tr = Tr("Retirer mon consentement", "Withdraw my consent");
pub const CONSENT_GRANTED_LEAD: Tr = Tr(
    "Vous avez accordé votre consentement. Cet expéditeur peut vous adresser des lettres \
     recommandées électroniques jusqu'à ce que vous le retiriez.",
    "You granted your consent. This sender may send you electronic registered letters until \
     you withdraw it.",
);
pub const CONSENT_REFUSED_LEAD: Tr = Tr(
    "Vous avez refusé : cet expéditeur ne peut pas vous adresser de lettres recommandées \
     électroniques par Pli.",
    "You refused: this sender cannot send you electronic registered letters through Pli.",
);
pub const CONSENT_REVOKED_LEAD: Tr = Tr(
    "Votre consentement est retiré : cet expéditeur ne peut plus vous adresser de lettres \
     recommandées électroniques par Pli.",
    "Your consent is withdrawn: this sender can no longer send you electronic registered \
     letters through Pli.",
);
pub const CONSENT_EXPIRED_LEAD: Tr = Tr(
    "Cette demande a expiré sans réponse. L'expéditeur peut vous en adresser une nouvelle.",
    "This request expired without an answer. The sender may send you a new one.",
);

pub const CONSENTS_TITLE: Tr = Tr("Consentements que j'ai accordés", "Consents I granted");
pub const CONSENTS_LEAD: Tr = Tr(
    "Les expéditeurs autorisés à vous adresser des lettres recommandées électroniques à votre \
     adresse. Vous pouvez retirer un consentement à tout moment ; l'expéditeur en est averti.",
    "The senders allowed to send electronic registered letters to your address. You may \
     withdraw a consent at any time; the sender is told.",
);
pub const CONSENTS_EMPTY: Tr = Tr(
    "Vous n'avez accordé aucun consentement.",
    "You have not granted any consent.",
);
pub const CONSENTS_GRANTED_ON: Tr = Tr("accordé le", "granted on");
pub const CONSENTS_LINK: Tr = Tr("Consentements que j'ai accordés", "Consents I granted");
