//! Every text of the interface, in French then English.

use crate::i18n::Tr;

pub const BRAND_TAGLINE: Tr = Tr(
    "Lettre recommandée électronique",
    "Electronic registered letter",
);
pub const SWITCH_TO_OTHER: Tr = Tr("English", "Français");
pub const SWITCH_LABEL: Tr = Tr("Switch to English", "Passer en français");
pub const NAV_HOME: Tr = Tr("Accueil", "Home");
pub const NAV_SIGN_IN: Tr = Tr("Se connecter", "Sign in");
pub const NAV_SIGN_UP: Tr = Tr("Créer un compte", "Sign up");
pub const NAV_VERIFY: Tr = Tr("Vérifier une preuve", "Verify evidence");
pub const NAV_POLICY: Tr = Tr("Politique du service", "Service policy");
pub const NAV_MAILBOX: Tr = Tr("Boîte mail de développement", "Development mailbox");
pub const NAV_CLOCK: Tr = Tr("Horloge de développement", "Development clock");
pub const NAV_EVIDENCE: Tr = Tr("Preuves émises", "Issued evidence");

pub const DEV_BANNER: Tr = Tr(
    "Environnement de développement : service non qualifié, sans valeur juridique.",
    "Development environment: not a qualified service, no legal value.",
);

pub const HOME_TITLE: Tr = Tr(
    "La lettre recommandée électronique, avec accusé de réception",
    "The electronic registered letter, with acknowledgement of receipt",
);
pub const HOME_LEAD: Tr = Tr(
    "Pli envoie vos documents avec la même valeur juridique qu'une lettre recommandée papier \
     avec accusé de réception (règlement eIDAS, article 44 ; code des postes et des \
     communications électroniques, article L. 100).",
    "Pli sends your documents with the same legal effect as a paper registered letter with \
     acknowledgement of receipt (eIDAS Regulation, Article 44; French Postal and Electronic \
     Communications Code, Article L. 100).",
);
pub const HOME_HOW: Tr = Tr("Comment ça marche", "How it works");
pub const HOME_STEP_1: Tr = Tr(
    "L'expéditeur prouve son identité une fois, puis se connecte avec un second facteur.",
    "The sender proves their identity once, then signs in with a second factor.",
);
pub const HOME_STEP_2: Tr = Tr(
    "Il dépose ses documents : leur empreinte SHA-256 est calculée dans votre navigateur.",
    "They deposit their documents: their SHA-256 fingerprint is computed in your browser.",
);
pub const HOME_STEP_3: Tr = Tr(
    "Le destinataire est prévenu par courriel sans connaître l'expéditeur, s'identifie et \
     accepte ou refuse dans les 15 jours.",
    "The recipient is notified by email without learning the sender, identifies, and accepts \
     or refuses within 15 days.",
);
pub const HOME_STEP_4: Tr = Tr(
    "Chaque étape produit une preuve PDF scellée et horodatée, vérifiable par tous avec des \
     outils standard, pendant au moins 10 ans.",
    "Every step produces a sealed, time-stamped PDF evidence that anyone can verify with \
     standard tools for at least 10 years.",
);
pub const HOME_START: Tr = Tr("Commencer", "Get started");
pub const HOME_VERIFY_LEAD: Tr = Tr(
    "Vous avez reçu une preuve ? Vérifiez-la sans compte.",
    "Received an evidence document? Verify it without an account.",
);

pub const SOON: Tr = Tr(
    "Cette fonction arrive bientôt : elle n'est pas encore disponible.",
    "This feature is coming soon: it is not available yet.",
);
pub const VERIFY_LEAD: Tr = Tr(
    "Déposez une preuve PDF pour contrôler son cachet, son horodatage, sa chaîne de \
     certificats et son intégrité. Aucun compte n'est nécessaire.",
    "Drop an evidence PDF to check its seal, time-stamp, certificate chain and integrity. \
     No account needed.",
);

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

pub const LOADING: Tr = Tr("Chargement…", "Loading…");
pub const NOT_FOUND: Tr = Tr("Page introuvable.", "Page not found.");
pub const DEV_ONLY: Tr = Tr(
    "Cette page n'existe qu'en mode développement.",
    "This page exists only in development mode.",
);

pub const MAILBOX_TITLE: Tr = Tr("Boîte mail de développement", "Development mailbox");
pub const MAILBOX_LEAD: Tr = Tr(
    "En mode développement, aucun courriel ne sort : chacun est rangé ici, tel qu'il \
     aurait été envoyé par SMTP.",
    "In development mode no email leaves the machine: each one is kept here, exactly as it \
     would have been sent over SMTP.",
);
pub const MAILBOX_EMPTY: Tr = Tr("Aucun courriel pour l'instant.", "No email yet.");
pub const MAILBOX_TO: Tr = Tr("À", "To");
pub const MAILBOX_FROM: Tr = Tr("De", "From");
pub const MAILBOX_SUBJECT: Tr = Tr("Objet", "Subject");
pub const MAILBOX_DATE: Tr = Tr("Date (UTC)", "Date (UTC)");
pub const MAILBOX_BACK: Tr = Tr("Retour à la boîte", "Back to the mailbox");
pub const MAILBOX_TEST: Tr = Tr("Envoyer un courriel d'essai", "Send a test email");
pub const MAILBOX_TEST_TO: Tr = Tr("Adresse du destinataire", "Recipient address");
pub const MAILBOX_TEST_SENT: Tr = Tr("Courriel d'essai envoyé.", "Test email sent.");
pub const MAILBOX_SOURCE: Tr = Tr("Source du message", "Message source");

pub const CLOCK_TITLE: Tr = Tr("Horloge de développement", "Development clock");
pub const CLOCK_LEAD: Tr = Tr(
    "Toute l'application lit l'heure ici. Avancez-la pour voir les rappels et \
     l'expiration des lettres sans attendre 15 jours.",
    "The whole application reads the time here. Move it forward to watch reminders and \
     letter expiry without waiting 15 days.",
);
pub const CLOCK_NOW: Tr = Tr("Heure du service (UTC)", "Service time (UTC)");
pub const CLOCK_OFFSET: Tr = Tr("Décalage", "Offset");
pub const CLOCK_PLUS_HOUR: Tr = Tr("+1 heure", "+1 hour");
pub const CLOCK_PLUS_DAY: Tr = Tr("+1 jour", "+1 day");
pub const CLOCK_PLUS_4DAYS: Tr = Tr("+4 jours", "+4 days");
pub const CLOCK_RESET: Tr = Tr("Revenir à l'heure réelle", "Back to real time");

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
pub const VERIFY_JOURNAL: Tr = Tr(
    "Inscrite au journal de ce service",
    "Recorded in this service's journal",
);
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

pub const EVIDENCE_TITLE: Tr = Tr("Preuves émises", "Issued evidence");
pub const EVIDENCE_LEAD: Tr = Tr(
    "Chaque preuve est un PDF scellé et horodaté, inscrit dans le journal chaîné. \
     Téléchargez-en une et vérifiez-la avec pyHanko, pdfsig ou la page « Vérifier une preuve ».",
    "Every evidence is a sealed, time-stamped PDF, entered in the chained journal. Download \
     one and check it with pyHanko, pdfsig or the \u{201c}Verify evidence\u{201d} page.",
);
pub const EVIDENCE_EMPTY: Tr = Tr("Aucune preuve pour l'instant.", "No evidence yet.");
pub const EVIDENCE_CHECKPOINT: Tr = Tr(
    "Sceller un point de contrôle du journal",
    "Seal a journal checkpoint",
);
pub const EVIDENCE_CHECKPOINT_DONE: Tr = Tr("Point de contrôle scellé.", "Checkpoint sealed.");
pub const EVIDENCE_CHECKPOINT_NONE: Tr = Tr(
    "Rien de nouveau dans le journal depuis le dernier point de contrôle.",
    "Nothing new in the journal since the last checkpoint.",
);

pub const ERR_EVIDENCE_FILE: Tr = Tr(
    "Choisissez un fichier PDF de preuve (20 Mo au plus).",
    "Choose an evidence PDF file (20 MB at most).",
);
pub const ERR_SHA256: Tr = Tr(
    "Une empreinte SHA-256 compte 64 caractères hexadécimaux.",
    "A SHA-256 fingerprint has 64 hexadecimal digits.",
);
// Accounts: sign-up, sign-in, second factor, profile (issue 4).
pub const NAV_PROFILE: Tr = Tr("Mon compte", "My account");
pub const NAV_SIGN_OUT: Tr = Tr("Se déconnecter", "Sign out");

pub const SIGNUP_LEAD: Tr = Tr(
    "Créez votre compte : nous confirmerons votre adresse par un lien envoyé par courriel.",
    "Create your account: we will confirm your address with a link sent by email.",
);
pub const FIELD_NAME: Tr = Tr("Nom et prénom", "Full name");
pub const FIELD_EMAIL: Tr = Tr("Adresse électronique", "Email address");
pub const FIELD_PASSWORD: Tr = Tr("Mot de passe", "Password");
pub const PASSWORD_HINT: Tr = Tr(
    "Au moins 12 caractères. Une phrase de quelques mots est facile à retenir et solide.",
    "At least 12 characters. A phrase of a few words is easy to remember and strong.",
);
pub const TERMS_ACCEPT: Tr = Tr(
    "J'accepte les conditions générales d'utilisation, version",
    "I accept the terms of use, version",
);
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

// Identity proofing (ID-01..04) and deactivation (ACC-01, ACC-02).
pub const IDENTITY_TITLE: Tr = Tr("Identité", "Identity");
pub const IDENTITY_NOT_VERIFIED: Tr = Tr("non vérifiée", "not verified");
pub const IDENTITY_PENDING: Tr = Tr("vérification en cours", "verification in progress");
pub const IDENTITY_FAILED: Tr = Tr(
    "la dernière vérification a échoué",
    "the last verification failed",
);
pub const IDENTITY_VERIFIED: Tr = Tr("vérifiée", "verified");
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
pub const ERR_PROOFING_REQUIRED: Tr = Tr(
    "Prouvez d'abord votre identité depuis votre compte.",
    "First prove your identity from your account.",
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

// Letters and consent (issue 5): errors.
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
