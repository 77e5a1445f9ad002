//! The texts of the account pages (issue 4): sign-up, sign-in, second factor, profile,
//! identity proofing (ID-01..04) and deactivation (ACC-01, ACC-02), in French then English.

use crate::i18n::Tr;

pub const NAV_PROFILE: Tr = Tr("Mon compte", "My account");
pub const NAV_SIGN_OUT: Tr = Tr("Se déconnecter", "Sign out");

pub const SIGNUP_LEAD: Tr = Tr(
    "Créez votre compte : nous confirmerons votre adresse par un lien envoyé par courriel.",
    "Create your account: we will confirm your address with a link sent by email.",
);

pub const SIGNED_IN_NOTICE: Tr = Tr("Vous êtes connecté.", "You are signed in.");
pub const CONTINUE: Tr = Tr("Continuer", "Continue");

pub const FIELD_NAME: Tr = Tr("Nom et prénom", "Full name");
pub const FIELD_EMAIL: Tr = Tr("Adresse électronique", "Email address");
pub const FIELD_PASSWORD: Tr = Tr("Mot de passe", "Password");

pub const PASSWORD_HINT: Tr = Tr(
    "Au moins 12 caractères. Une phrase de quelques mots est facile à retenir et solide.",
    "At least 12 characters. A phrase of a few words is easy to remember and strong.",
);

pub const TERMS_ACCEPT: Tr = Tr("J'ai lu et j'accepte les", "I have read and accept the");

pub const SIGNUP_SUBMIT: Tr = Tr("Créer mon compte", "Create my account");
pub const SIGNUP_DONE: Tr = Tr(
    "C'est presque fini : ouvrez le lien que nous venons d'envoyer à votre adresse. Il est \
     valable 15 minutes.",
    "Almost done: open the link we just sent to your address. It is valid for 15 minutes.",
);

pub const CONFIRM_TITLE: Tr = Tr("Confirmer votre adresse", "Confirm your address");
pub const CONFIRM_LEAD: Tr = Tr(
    "Un clic termine la création de votre compte.",
    "One click completes the creation of your account.",
);
pub const CONFIRM_SUBMIT: Tr = Tr("Confirmer mon adresse", "Confirm my address");
pub const CONFIRM_DONE: Tr = Tr(
    "Votre adresse est confirmée. Vous pouvez vous connecter.",
    "Your address is confirmed. You can sign in.",
);

pub const SIGNIN_SUBMIT: Tr = Tr("Se connecter", "Sign in");
pub const SIGNIN_CODE_LEAD: Tr = Tr(
    "Saisissez le code à 6 chiffres de votre application d'authentification, ou un code de \
     secours.",
    "Enter the 6-digit code from your authenticator app, or a recovery code.",
);

pub const FIELD_CODE: Tr = Tr("Code", "Code");

pub const CODE_SUBMIT: Tr = Tr("Valider", "Verify");

pub const SIGNED_OUT_INACTIVE: Tr = Tr(
    "Vous avez été déconnecté après 15 minutes d'inactivité.",
    "You were signed out after 15 minutes of inactivity.",
);

pub const NO_ACCOUNT: Tr = Tr("Pas encore de compte ?", "No account yet?");

pub const PROFILE_TITLE: Tr = Tr("Mon compte", "My account");
pub const PROFILE_SECOND_FACTOR: Tr = Tr("Double authentification", "Two-factor authentication");

pub const METHOD_NONE: Tr = Tr("aucune", "none");
pub const METHOD_TOTP: Tr = Tr(
    "application d'authentification (TOTP)",
    "authenticator app (TOTP)",
);

pub const RECOVERY_LEFT: Tr = Tr("Codes de secours restants", "Recovery codes left");

pub const TOTP_SETUP_LEAD: Tr = Tr(
    "Protégez votre compte : chaque connexion et chaque envoi demanderont un code de votre \
     application (Google Authenticator, Microsoft Authenticator, FreeOTP…).",
    "Protect your account: every sign-in and every sending will ask for a code from your app \
     (Google Authenticator, Microsoft Authenticator, FreeOTP…).",
);
pub const TOTP_START: Tr = Tr(
    "Activer la double authentification",
    "Turn on two-factor authentication",
);
pub const TOTP_SCAN: Tr = Tr(
    "Scannez ce code QR avec votre application, ou saisissez la clé ci-dessous, puis entrez le \
     premier code affiché.",
    "Scan this QR code with your app, or type the key below, then enter the first code it shows.",
);
pub const TOTP_KEY: Tr = Tr("Clé", "Key");
pub const TOTP_QR_ALT: Tr = Tr(
    "Code QR à scanner avec votre application d'authentification",
    "QR code to scan with your authenticator app",
);
pub const TOTP_CONFIRM: Tr = Tr("Confirmer", "Confirm");

pub const RECOVERY_TITLE: Tr = Tr("Vos codes de secours", "Your recovery codes");
pub const RECOVERY_LEAD: Tr = Tr(
    "Chacun remplace une fois un code de l'application, si vous la perdez. Notez-les en lieu \
     sûr : ils ne seront plus jamais affichés.",
    "Each one replaces an app code once, should you lose the app. Keep them somewhere safe: \
     they will never be shown again.",
);
pub const RECOVERY_DONE: Tr = Tr("Je les ai notés", "I have saved them");

pub const OTP_SESSION: Tr = Tr("Session OTP", "OTP session");
pub const OTP_SESSION_LEFT: Tr = Tr("encore", "time left");
pub const OTP_SESSION_NONE: Tr = Tr(
    "expirée : un nouveau code sera demandé pour envoyer, accepter, refuser ou ouvrir une lettre.",
    "expired: a fresh code will be asked to send, accept, refuse or open a letter.",
);
pub const OTP_SESSION_RENEW: Tr = Tr("Ouvrir une session OTP", "Open an OTP session");

pub const IDENTITY_TITLE: Tr = Tr("Identité", "Identity");
pub const IDENTITY_NOT_VERIFIED: Tr = Tr("non vérifiée", "not verified");
pub const IDENTITY_PENDING: Tr = Tr("vérification en cours", "verification in progress");
pub const IDENTITY_FAILED: Tr = Tr(
    "la dernière vérification a échoué",
    "the last verification failed",
);
pub const IDENTITY_VERIFIED: Tr = Tr("vérifiée", "verified");
pub const IDENTITY_LEVEL_TOO_LOW: Tr = Tr(
    "Le fournisseur d'identité n'a pas atteint le niveau de garantie exigé (eIDAS substantiel \
     au moins) : recommencez avec un moyen d'identification de ce niveau.",
    "The identity provider did not reach the required level of assurance (eIDAS substantial \
     at least): try again with a means of identification of that level.",
);
pub const IDENTITY_ANSWER_REFUSED: Tr = Tr(
    "La réponse du fournisseur d'identité n'a pas pu être vérifiée : recommencez.",
    "The identity provider's answer could not be verified: try again.",
);

pub const IDENTITY_UNTRUSTED_ISSUER: Tr = Tr(
    "Votre portefeuille a présenté une attestation d'identité d'un émetteur qui n'est pas \
     reconnu : présentez l'attestation d'identité (PID) délivrée par votre État.",
    "Your wallet presented an identity credential from an issuer that is not recognised: \
     present the person identification data (PID) issued by your State.",
);
pub const IDENTITY_WALLET_DECLINED: Tr = Tr(
    "Vous avez refusé le partage dans votre portefeuille : rien n'a été transmis.",
    "You declined to share in your wallet: nothing was sent.",
);

/// Why an identity proofing failed, in words (`IdentityStatus::Failed`'s reason).
pub fn identity_failure(reason: &str) -> Tr {
    match reason {
        domain::identity::INSUFFICIENT_LEVEL => IDENTITY_LEVEL_TOO_LOW,
        domain::identity::UNTRUSTED_ISSUER => IDENTITY_UNTRUSTED_ISSUER,
        domain::identity::WALLET_DECLINED => IDENTITY_WALLET_DECLINED,
        _ => IDENTITY_ANSWER_REFUSED,
    }
}
pub const IDENTITY_NOT_QUALIFIED: Tr = Tr(
    "(simulateur de développement, non qualifié)",
    "(development simulator, not qualified)",
);
pub const IDENTITY_LEAD: Tr = Tr(
    "Avant votre premier envoi, prouvez votre identité à distance (pièce d'identité et \
     vérification du vivant).",
    "Before your first sending, prove your identity remotely (identity document and liveness \
     check).",
);
pub const IDENTITY_START: Tr = Tr("Prouver mon identité", "Prove my identity");

pub const SIMULATOR_TITLE: Tr = Tr(
    "Simulateur de vérification d'identité",
    "Identity verification simulator",
);
pub const SIMULATOR_WARNING: Tr = Tr(
    "NON QUALIFIÉ : ce simulateur remplace, en développement et dans les tests, un prestataire \
     de vérification d'identité à distance. Choisissez le résultat.",
    "NOT QUALIFIED: in development and tests this simulator stands in for a remote identity \
     verification provider. Choose the outcome.",
);
pub const SIMULATOR_EXPECTED: Tr = Tr("Nom déclaré", "Declared name");
pub const SIMULATOR_VERIFIED_NAME: Tr = Tr(
    "Nom lu sur la pièce d'identité",
    "Name read from the identity document",
);
pub const SIMULATOR_SUCCESS: Tr = Tr("Identité vérifiée", "Identity verified");
pub const SIMULATOR_FAILURE: Tr = Tr("Vérification échouée", "Verification failed");
pub const SIMULATOR_DONE: Tr = Tr(
    "Ce résultat a déjà été transmis.",
    "This outcome was already sent.",
);

pub const DEACTIVATE_TITLE: Tr = Tr("Désactiver mon compte", "Deactivate my account");
pub const DEACTIVATE_LEAD: Tr = Tr(
    "Vous ne pourrez plus envoyer de lettres. Les lettres qui vous sont adressées vous seront \
     toujours notifiées par courriel, et vous devrez prouver votre identité pour chacune. Les \
     consentements que vous avez donnés seront retirés. Vous pourrez réactiver votre compte.",
    "You will no longer be able to send letters. Letters addressed to you will still be \
     notified by email, and you will have to prove your identity for each one. The consents \
     you granted will be withdrawn. You can reactivate your account.",
);
pub const DEACTIVATE_CONFIRM: Tr = Tr(
    "Je veux désactiver mon compte",
    "I want to deactivate my account",
);

pub const DEACTIVATED_NOTICE: Tr = Tr(
    "Votre compte est désactivé. Un courriel de confirmation vous a été envoyé ; il permet de \
     le réactiver.",
    "Your account is deactivated. A confirmation email was sent to you; it lets you reactivate \
     it.",
);

pub const REACTIVATE_LEAD: Tr = Tr(
    "Connectez-vous : nous vous enverrons un lien de réactivation, valable 15 minutes.",
    "Sign in: we will send you a reactivation link, valid for 15 minutes.",
);
pub const REACTIVATE_TITLE: Tr = Tr("Réactiver mon compte", "Reactivate my account");
pub const REACTIVATE_SUBMIT: Tr = Tr("Réactiver mon compte", "Reactivate my account");

pub const REACTIVATED_NOTICE: Tr = Tr(
    "Votre compte est de nouveau actif. Connectez-vous ; une nouvelle vérification d'identité \
     sera demandée avant votre prochain envoi.",
    "Your account is active again. Sign in; a new identity verification will be asked before \
     your next sending.",
);

pub const SIMULATOR_SUBMIT: Tr = Tr("Envoyer le résultat", "Send the outcome");
pub const SIMULATOR_OUTCOME: Tr = Tr("Résultat", "Outcome");

pub const TOTP_REPLACE: Tr = Tr("Changer d'application", "Change app");
pub const TOTP_REMOVE: Tr = Tr(
    "Retirer la double authentification",
    "Remove two-factor authentication",
);
pub const TOTP_MANAGE_LEAD: Tr = Tr(
    "Pour changer d'application ou retirer la double authentification, une session OTP en \
     cours est nécessaire. Sans second facteur, aucun envoi n'est possible.",
    "Changing app or removing two-factor authentication needs a live OTP session. Without a \
     second factor, no sending is possible.",
);
/// After removing the authenticator app (a form posted without JavaScript).
pub const TOTP_REMOVED: Tr = Tr(
    "La double authentification est retirée. Enregistrez une nouvelle application avant toute \
     action qualifiée.",
    "Two-factor authentication is removed. Enrol a new app before any qualified action.",
);
/// Above the recovery codes of an enrolment confirmed without JavaScript.
pub const TOTP_ENROLLED: Tr = Tr(
    "Votre application d'authentification est enregistrée.",
    "Your authenticator app is enrolled.",
);

// The EU digital identity wallet's page (issue 14).
pub const WALLET_TITLE: Tr = Tr(
    "Prouver mon identité avec mon portefeuille européen d'identité numérique",
    "Prove my identity with my European digital identity wallet",
);
pub const WALLET_LEAD: Tr = Tr(
    "Votre portefeuille vous montrera ce que Pli demande : vos prénoms, votre nom, votre date et \
     votre lieu de naissance, et rien d'autre. Vous choisirez de les partager ou non.",
    "Your wallet will show you what Pli asks for: your given names, family name, date and place \
     of birth, and nothing else. You choose whether to share them.",
);
pub const WALLET_SCAN: Tr = Tr(
    "Votre portefeuille est sur votre téléphone : scannez ce code avec lui.",
    "Your wallet is on your phone: scan this code with it.",
);
pub const WALLET_QR_ALT: Tr = Tr(
    "Code QR de la demande d'identification pour votre portefeuille",
    "QR code of the identification request for your wallet",
);
pub const WALLET_SAME_DEVICE: Tr = Tr(
    "Votre portefeuille est sur cet appareil :",
    "Your wallet is on this device:",
);
pub const WALLET_OPEN: Tr = Tr("Ouvrir mon portefeuille", "Open my wallet");
pub const WALLET_WAITING: Tr = Tr(
    "En attente de la réponse de votre portefeuille… Cette page se met à jour d'elle-même.",
    "Waiting for your wallet's answer… This page updates itself.",
);
pub const WALLET_DONE: Tr = Tr("Votre portefeuille a répondu.", "Your wallet answered.");
pub const WALLET_CONTINUE: Tr = Tr("Continuer", "Continue");
