//! The messages of the errors a user may meet ([`crate::error::AppError`] and
//! [`crate::validation::Invalid`]), in French then English.

use crate::i18n::Tr;

pub const ERR_INVALID_EMAIL: Tr = Tr(
    "Cette adresse électronique n'est pas valide.",
    "This email address is not valid.",
);
pub const ERR_NOT_AVAILABLE: Tr = Tr(
    "Cette fonction n'est disponible qu'en mode développement.",
    "This feature is only available in development mode.",
);
pub const ERR_NOT_FOUND: Tr = Tr("Introuvable.", "Not found.");
pub const ERR_INTERNAL: Tr = Tr(
    "Une erreur est survenue de notre côté. Rien n'a été perdu ; réessayez plus tard.",
    "Something went wrong on our side. Nothing was lost; please try again later.",
);
pub const ERR_REQUEST: Tr = Tr(
    "Le serveur n'a pas pu être joint. Vérifiez votre connexion et réessayez.",
    "The server could not be reached. Check your connection and try again.",
);
pub const ERR_UNEXPECTED_ANSWER: Tr = Tr(
    "Le serveur a répondu, mais pas comme cette page l'attendait. Rechargez la page et \
     réessayez ; si cela continue, le service est peut-être en cours de mise à jour.",
    "The server answered, but not as this page expected. Reload the page and try again; if it \
     goes on, the service may be being updated.",
);
pub const ERR_MALFORMED: Tr = Tr(
    "Requête invalide ({detail}). Rechargez la page et réessayez.",
    "Invalid request ({detail}). Reload the page and try again.",
);
pub const ERR_TOO_LARGE: Tr = Tr(
    "Requête trop volumineuse : {size} au plus.",
    "Request too large: {size} at most.",
);
pub const ERR_NOT_PDF: Tr = Tr(
    "Ce fichier n'est pas un PDF. Choisissez le PDF de preuve délivré par Pli.",
    "This file is not a PDF. Choose the evidence PDF issued by Pli.",
);
pub const ERR_CLOCK_STEP: Tr = Tr(
    "L'horloge avance d'une seconde à 366 jours à la fois.",
    "The clock moves forward by one second to 366 days at a time.",
);
pub const ERR_EVIDENCE_FILE: Tr = Tr(
    "Choisissez un fichier PDF de preuve (20 Mo au plus).",
    "Choose an evidence PDF file (20 MB at most).",
);
pub const ERR_SHA256: Tr = Tr(
    "Une empreinte SHA-256 compte 64 caractères hexadécimaux.",
    "A SHA-256 fingerprint has 64 hexadecimal digits.",
);
pub const ERR_INVALID_NAME: Tr = Tr(
    "Indiquez votre nom (200 caractères au plus).",
    "Enter your name (at most 200 characters).",
);
pub const ERR_INVALID_PASSWORD: Tr = Tr(
    "Le mot de passe doit compter au moins 12 caractères.",
    "The password must be at least 12 characters long.",
);
pub const ERR_TERMS: Tr = Tr(
    "Acceptez les conditions générales d'utilisation en vigueur pour continuer.",
    "Accept the current terms of use to continue.",
);
pub const ERR_INVALID_CODE: Tr = Tr(
    "Le code compte 6 chiffres (ou 12 caractères pour un code de secours).",
    "The code has 6 digits (or 12 characters for a recovery code).",
);
pub const ERR_SIGN_IN_REQUIRED: Tr = Tr("Connectez-vous pour continuer.", "Sign in to continue.");
pub const ERR_SESSION_EXPIRED: Tr = Tr(
    "Vous avez été déconnecté après 15 minutes d'inactivité. Reconnectez-vous.",
    "You were signed out after 15 minutes of inactivity. Please sign in again.",
);
pub const ERR_BAD_CREDENTIALS: Tr = Tr(
    "Adresse électronique ou mot de passe incorrect.",
    "Wrong email address or password.",
);
pub const ERR_WRONG_PASSWORD: Tr = Tr(
    "Ce n'est pas votre mot de passe actuel.",
    "This is not your current password.",
);
pub const ERR_EMAIL_NOT_CONFIRMED: Tr = Tr(
    "Votre adresse n'est pas encore confirmée : nous venons de vous renvoyer un lien.",
    "Your address is not confirmed yet: we have just sent you a new link.",
);
pub const ERR_BAD_CODE: Tr = Tr(
    "Ce code est incorrect ou a déjà servi. Attendez le code suivant et réessayez.",
    "This code is wrong or was already used. Wait for the next code and try again.",
);
pub const ERR_TOO_MANY_ATTEMPTS: Tr = Tr(
    "Trop de tentatives. Réessayez dans {minutes} minute(s).",
    "Too many attempts. Try again in {minutes} minute(s).",
);
pub const ERR_LINK_INVALID: Tr = Tr(
    "Ce lien n'est plus valable (il sert une fois, pendant 15 minutes). Demandez-en un nouveau \
     en vous connectant.",
    "This link is no longer valid (it works once, for 15 minutes). Sign in to get a new one.",
);
pub const ERR_OTP_SESSION_REQUIRED: Tr = Tr(
    "Votre session OTP a expiré : saisissez un nouveau code pour continuer.",
    "Your OTP session has expired: enter a fresh code to continue.",
);
pub const ERR_SECOND_FACTOR_SETUP: Tr = Tr(
    "Activez d'abord la double authentification depuis votre compte.",
    "First turn on two-factor authentication from your account.",
);
pub const ERR_PROOFING_REQUIRED: Tr = Tr(
    "Prouvez d'abord votre identité depuis votre compte.",
    "First prove your identity from your account.",
);
pub const ERR_NOT_THE_ADDRESSEE: Tr = Tr(
    "L'identité vérifiée n'est pas celle du destinataire désigné par l'expéditeur : la lettre ne peut pas vous être remise.",
    "The verified identity is not that of the addressee the sender named: the letter cannot be delivered to you.",
);
pub const ERR_NO_IDENTITY_PROVIDER: Tr = Tr(
    "La vérification d'identité n'est pas disponible pour le moment.",
    "Identity verification is not available at the moment.",
);
pub const ERR_ACCOUNT_DEACTIVATED: Tr = Tr(
    "Ce compte est désactivé : nous venons de vous envoyer un lien pour le réactiver (valable \
     15 minutes).",
    "This account is deactivated: we have just sent you a link to reactivate it (valid for 15 \
     minutes).",
);
pub const ERR_SUBJECT: Tr = Tr(
    "Indiquez un objet (200 caractères au plus).",
    "Enter a subject (at most 200 characters).",
);
pub const ERR_MESSAGE: Tr = Tr(
    "Le message est trop long (10 000 caractères au plus).",
    "The message is too long (at most 10,000 characters).",
);
pub const ERR_NO_RECIPIENT: Tr = Tr(
    "Choisissez au moins un destinataire.",
    "Choose at least one recipient.",
);
pub const ERR_NO_ATTACHMENT: Tr = Tr(
    "Joignez au moins un document.",
    "Attach at least one document.",
);
pub const ERR_FILE_NAME: Tr = Tr(
    "Nom de fichier invalide (vide, trop long, ou contenant / ou \\ ou un caractère de contrôle).",
    "Invalid file name (empty, too long, or containing / or \\ or a control character).",
);
pub const ERR_CONTROL_CHARACTER: Tr = Tr(
    "Un texte saisi contient un caractère invisible non autorisé (caractère de contrôle) : retapez-le sans ce caractère.",
    "A text you entered contains a forbidden invisible character (a control character): type it again without it.",
);
pub const ERR_LETTER_TOO_LARGE: Tr = Tr(
    "Les documents d'une lettre ne peuvent dépasser 256 Mo au total (20 fichiers au plus) ; ce fichier n'a pas été ajouté.",
    "A letter's documents cannot exceed 256 MB in total (20 files at most); this file was not added.",
);
pub const ERR_HASH_MISMATCH: Tr = Tr(
    "Le fichier reçu ne correspond pas à l'empreinte calculée par votre navigateur : il a été écarté. Réessayez l'envoi du fichier.",
    "The file received does not match the fingerprint your browser computed: it was discarded. Upload the file again.",
);
pub const ERR_EMPTY_FILE: Tr = Tr(
    "Ce fichier est vide (0 octet) : il n'y a rien à envoyer. Choisissez le bon fichier.",
    "This file is empty (0 bytes): there is nothing to send. Choose the right file.",
);
pub const ERR_COMPANY_NAME: Tr = Tr(
    "Indiquez le nom de l'entreprise d'un destinataire professionnel.",
    "Enter the company name of a professional recipient.",
);
pub const ERR_CONSENT_REQUIRED: Tr = Tr(
    "Ce destinataire particulier n'a pas (ou plus) donné son consentement à recevoir vos lettres recommandées électroniques.",
    "This private recipient has not given (or has withdrawn) consent to receive your electronic registered letters.",
);
pub const ERR_LETTER_SENT: Tr = Tr(
    "Cette lettre a été envoyée : elle ne peut plus être modifiée.",
    "This letter was sent: it can no longer be changed.",
);
pub const ERR_PERIOD_OVER: Tr = Tr(
    "Le délai de 15 jours pour accepter ou refuser cette lettre est écoulé.",
    "The 15-day period to accept or refuse this letter is over.",
);
pub const ERR_ALREADY_DECIDED: Tr = Tr(
    "Cette lettre a déjà été acceptée, refusée ou a expiré.",
    "This letter was already accepted, refused, or has expired.",
);
pub const ERR_NOT_ACCEPTED: Tr = Tr(
    "Le contenu n'est disponible qu'après acceptation de la lettre.",
    "The content is available only once the letter is accepted.",
);
pub const ERR_EVIDENCE_UNAVAILABLE: Tr = Tr(
    "Le service de scellement ou d'horodatage des preuves est indisponible : rien n'a été enregistré ni envoyé. Réessayez dans quelques minutes.",
    "The evidence sealing or time-stamping service is unavailable: nothing was recorded or sent. Try again in a few minutes.",
);
pub const ERR_CONTACT_EXISTS: Tr = Tr(
    "Cette adresse figure déjà dans vos contacts.",
    "This address is already in your contacts.",
);
