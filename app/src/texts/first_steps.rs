//! The texts of the first steps (issue 11): the checklist after sign-up and what compose
//! still needs, in French then English.

use crate::i18n::Tr;

pub const FIRST_STEPS_TITLE: Tr = Tr("Vos premiers pas", "Your first steps");
pub const FIRST_STEPS_LEAD: Tr = Tr(
    "Trois étapes, une seule fois, avant d'envoyer votre première lettre recommandée.",
    "Three steps, once, before you send your first registered letter.",
);
pub const STEP_DONE: Tr = Tr("fait", "done");
pub const STEP_TO_DO: Tr = Tr("à faire", "to do");
pub const STEP_NEXT: Tr = Tr("prochaine étape", "next step");

pub const STEP_CONFIRM: Tr = Tr("Confirmer votre adresse", "Confirm your address");
pub const STEP_CONFIRM_ACTION: Tr = Tr(
    "Ouvrez le lien que nous avons envoyé à votre adresse (valable 15 minutes).",
    "Open the link we sent to your address (valid for 15 minutes).",
);
pub const STEP_SECOND_FACTOR: Tr = Tr("Activer un second facteur", "Set up a second factor");
pub const STEP_SECOND_FACTOR_ACTION: Tr = Tr(
    "Configurer mon application d'authentification",
    "Set up my authenticator app",
);
pub const STEP_IDENTITY: Tr = Tr("Prouver votre identité", "Prove your identity");
pub const STEP_IDENTITY_ACTION: Tr = Tr("Vérifier mon identité", "Verify my identity");
pub const STEP_CUSTOMER: Tr = Tr(
    "Être rattaché à un client sous contrat (les expéditeurs sont clients du service)",
    "Belong to a customer under contract (senders are customers of the service)",
);
pub const STEP_CUSTOMER_ACTION: Tr = Tr("Espace client", "Customer space");
pub const STEP_RECIPIENT: Tr = Tr(
    "Avoir un destinataire : un professionnel, ou un particulier qui a consenti",
    "Have a recipient: a professional, or a private person who consented",
);
pub const STEP_RECIPIENT_ACTION: Tr = Tr("Ajouter un contact", "Add a contact");

pub const MISSING_TITLE: Tr = Tr("Avant de pouvoir envoyer", "Before you can send");
pub const MISSING_LEAD: Tr = Tr(
    "Vous pouvez écrire dès maintenant, mais l'envoi demande encore :",
    "You can write now, but sending still needs:",
);
