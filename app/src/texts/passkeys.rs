//! Passkeys as a second factor (issue 14, AUTH-01): the profile's section, the sign-in's
//! button and their errors.

use crate::i18n::Tr;

pub const METHOD: Tr = Tr("clé d'accès (passkey)", "passkey");
pub const TITLE: Tr = Tr("Clés d'accès", "Passkeys");
pub const SETUP_LEAD: Tr = Tr(
    "Ou une clé d'accès : votre téléphone ou votre ordinateur vous reconnaît (empreinte, \
     visage ou code de l'appareil), sans code à recopier.",
    "Or a passkey: your phone or computer recognises you (fingerprint, face or the device's \
     PIN), with no code to copy.",
);
pub const SWITCH_LEAD: Tr = Tr(
    "Remplacez l'application d'authentification par une clé d'accès : votre appareil vous \
     reconnaît, sans code à recopier. L'application cessera de fonctionner.",
    "Replace the authenticator app with a passkey: your device recognises you, with no code to \
     copy. The app will stop working.",
);
pub const MANAGE_LEAD: Tr = Tr(
    "Vous confirmez votre identité avec une clé d'accès. Ajoutez-en une par appareil ; retirez \
     celles que vous n'utilisez plus.",
    "You confirm who you are with a passkey. Add one per device; remove those you no longer use.",
);
pub const NAME_LABEL: Tr = Tr("Nom de la clé", "Name of the key");
pub const NAME_DEFAULT: Tr = Tr("Clé d'accès", "Passkey");
pub const CREATE: Tr = Tr("Créer une clé d'accès", "Create a passkey");
pub const ADD: Tr = Tr("Ajouter une clé d'accès", "Add a passkey");
pub const TO_APP: Tr = Tr(
    "Utiliser plutôt une application d'authentification",
    "Use an authenticator app instead",
);
pub const REMOVE: Tr = Tr("Retirer", "Remove");
pub const ADDED_ON: Tr = Tr("ajoutée le", "added on");
pub const LAST_USED: Tr = Tr("dernière utilisation", "last used");
pub const NEVER_USED: Tr = Tr("jamais utilisée", "never used");
pub const ENROLLED: Tr = Tr(
    "Votre clé d'accès est enregistrée.",
    "Your passkey is registered.",
);
pub const ADDED: Tr = Tr("La clé d'accès est ajoutée.", "The passkey is added.");
pub const REMOVED: Tr = Tr("La clé d'accès est retirée.", "The passkey is removed.");
pub const USE: Tr = Tr("Utiliser ma clé d'accès", "Use my passkey");
pub const SIGNIN_LEAD: Tr = Tr(
    "Confirmez avec votre clé d'accès, ou saisissez un code de secours.",
    "Confirm with your passkey, or type a recovery code.",
);
pub const ERR_REFUSED: Tr = Tr(
    "Cette clé d'accès n'a pas été acceptée. Réessayez, ou saisissez un code de secours.",
    "This passkey was not accepted. Try again, or type a recovery code.",
);
pub const ERR_EXPIRED: Tr = Tr(
    "La demande a expiré : recommencez.",
    "The request expired: start again.",
);
pub const ERR_CANCELLED: Tr = Tr(
    "Aucune clé d'accès n'a été utilisée : l'opération a été annulée, ou ce navigateur n'en \
     propose pas.",
    "No passkey was used: the operation was cancelled, or this browser offers none.",
);
pub const ERR_UNAVAILABLE: Tr = Tr(
    "Les clés d'accès demandent que le service soit ouvert à son nom de domaine (par exemple \
     http://localhost:3000), pas à une adresse IP.",
    "Passkeys need the service opened at its domain name (for example http://localhost:3000), \
     not at an IP address.",
);
pub const ERR_NAME: Tr = Tr(
    "Donnez à la clé un nom de 1 à 60 caractères.",
    "Give the key a name of 1 to 60 characters.",
);
