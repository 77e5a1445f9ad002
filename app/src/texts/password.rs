//! The texts of the forgotten-password pages (issue 11), in French then English.

use crate::i18n::Tr;

pub const FORGOT_LINK: Tr = Tr("Mot de passe oublié ?", "Forgot your password?");
pub const FORGOT_TITLE: Tr = Tr("Mot de passe oublié", "Forgotten password");
pub const FORGOT_LEAD: Tr = Tr(
    "Indiquez l'adresse de votre compte : nous y enverrons un lien pour choisir un nouveau mot \
     de passe, valable 15 minutes et une seule fois.",
    "Enter your account's address: we will send it a link to choose a new password, valid for \
     15 minutes and once.",
);
pub const FORGOT_SUBMIT: Tr = Tr("Recevoir un lien", "Send me a link");
/// The same answer whether or not the address has an account (no enumeration).
pub const FORGOT_DONE: Tr = Tr(
    "Si un compte existe pour cette adresse, un lien vient d'y être envoyé. Il est valable 15 \
     minutes. Pensez à regarder dans les indésirables.",
    "If an account exists for this address, a link was just sent to it. It is valid for 15 \
     minutes. Check your spam folder too.",
);

pub const RESET_TITLE: Tr = Tr("Nouveau mot de passe", "New password");
pub const RESET_LEAD: Tr = Tr(
    "Choisissez votre nouveau mot de passe. Toutes vos sessions ouvertes seront fermées ; votre \
     double authentification reste en place.",
    "Choose your new password. All your open sessions will be ended; your two-factor \
     authentication stays as it is.",
);
pub const FIELD_NEW_PASSWORD: Tr = Tr("Nouveau mot de passe", "New password");
pub const RESET_SUBMIT: Tr = Tr("Changer mon mot de passe", "Change my password");
pub const RESET_LINK_DEAD: Tr = Tr(
    "Ce lien n'est plus valable : il sert une seule fois, pendant 15 minutes.",
    "This link is no longer valid: it works once, for 15 minutes.",
);
pub const RESET_ASK_AGAIN: Tr = Tr("Demander un nouveau lien", "Ask for a new link");
pub const PASSWORD_RESET_NOTICE: Tr = Tr(
    "Votre mot de passe est changé et toutes vos sessions ont été fermées. Connectez-vous avec \
     le nouveau.",
    "Your password is changed and all your sessions were ended. Sign in with the new one.",
);

// The password change from the profile (issue 11).
pub const CHANGE_TITLE: Tr = Tr("Changer de mot de passe", "Change password");
pub const CHANGE_LEAD: Tr = Tr(
    "Saisissez votre mot de passe actuel, puis le nouveau. Vos autres sessions seront fermées ; \
     celle-ci reste ouverte, et un courriel vous confirmera le changement.",
    "Enter your current password, then the new one. Your other sessions will be ended; this \
     one stays open, and an email will confirm the change.",
);
pub const FIELD_CURRENT_PASSWORD: Tr = Tr("Mot de passe actuel", "Current password");
pub const CHANGE_SUBMIT: Tr = Tr("Changer le mot de passe", "Change the password");
pub const CHANGE_DONE: Tr = Tr(
    "Votre mot de passe est changé. Vos autres sessions ont été fermées.",
    "Your password is changed. Your other sessions were ended.",
);
