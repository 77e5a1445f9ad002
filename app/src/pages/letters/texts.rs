//! The texts of the letter pages, in French then English.

use crate::i18n::Tr;

pub const NAV_COMPOSE: Tr = Tr("Écrire", "Compose");
pub const NAV_SENT: Tr = Tr("Envoyées", "Sent");
pub const NAV_INBOX: Tr = Tr("Reçues", "Inbox");

// Compose (LET-01, LET-02).
pub const COMPOSE_TITLE: Tr = Tr("Nouvelle lettre recommandée", "New registered letter");
pub const COMPOSE_LEAD: Tr = Tr(
    "Le brouillon est enregistré automatiquement. Seul vous le voyez jusqu'à l'envoi.",
    "The draft is saved automatically. Only you see it until it is sent.",
);
/// Said in a `<noscript>` at the top of the compose page (issue 11).
pub const COMPOSE_NOSCRIPT: Tr = Tr(
    "JavaScript est désactivé : vous pouvez écrire l'objet et le message, choisir les \
     destinataires et enregistrer le brouillon, qui est conservé. Ajouter des documents et \
     envoyer la lettre demandent JavaScript : chaque document est haché dans votre navigateur \
     (son empreinte SHA-256 est calculée avant le dépôt), ce qui permet de prouver que le \
     document remis est celui que vous avez déposé. Réactivez JavaScript pour terminer.",
    "JavaScript is off: you can write the subject and the message, choose the recipients and \
     save the draft, which is kept. Adding documents and sending the letter need JavaScript: \
     each document is fingerprinted in your browser (its SHA-256 is computed before it is \
     uploaded), which proves that the document delivered is the one you deposited. Turn \
     JavaScript back on to finish.",
);
pub const DRAFT_KEEP: Tr = Tr("Enregistrer le brouillon", "Save the draft");
pub const DRAFT_KEPT: Tr = Tr("Brouillon enregistré.", "Draft saved.");
pub const FIELD_SUBJECT: Tr = Tr("Objet", "Subject");
pub const FIELD_MESSAGE: Tr = Tr("Message (facultatif)", "Message (optional)");
pub const RECIPIENTS: Tr = Tr("Destinataires", "Recipients");
pub const RECIPIENTS_NONE: Tr = Tr(
    "Vous n'avez encore aucun contact.",
    "You have no contacts yet.",
);
pub const MANAGE_CONTACTS: Tr = Tr("Gérer mes contacts", "Manage my contacts");
pub const PROFESSIONAL: Tr = Tr("professionnel", "professional");
pub const COMPANY: Tr = Tr("Entreprise", "Company");
pub const CONSENT: Tr = Tr("consentement", "consent");
pub const CONSENT_REQUESTED: Tr = Tr("demandé, en attente", "requested, pending");
pub const CONSENT_GRANTED: Tr = Tr("accordé", "granted");
pub const CONSENT_REFUSED: Tr = Tr("refusé", "refused");
pub const CONSENT_REVOKED: Tr = Tr("révoqué", "revoked");
pub const CONSENT_EXPIRED: Tr = Tr("expiré", "expired");
pub const CONSENT_NONE: Tr = Tr("jamais demandé", "never asked");
pub const ATTACHMENTS: Tr = Tr("Pièces jointes", "Attachments");
pub const ATTACHMENTS_LEAD: Tr = Tr(
    "L'empreinte SHA-256 de chaque fichier est calculée dans votre navigateur avant l'envoi ; \
     le serveur la vérifie à la réception.",
    "Each file's SHA-256 fingerprint is computed in your browser before the upload; the \
     server checks it on receipt.",
);
pub const ATTACHMENTS_PICK: Tr = Tr("Ajouter des fichiers", "Add files");
pub const SIZE_LIMIT: Tr = Tr("Taille maximale de la lettre :", "Largest letter size:");
pub const SIZE_LEFT: Tr = Tr("reste", "left");
pub const HASHING: Tr = Tr("Calcul de l'empreinte", "Computing the fingerprint");
pub const UPLOADING: Tr = Tr("Envoi au serveur", "Uploading");
pub const REMOVE: Tr = Tr("Retirer", "Remove");
pub const DISMISS: Tr = Tr("Fermer", "Dismiss");
pub const TOO_LARGE: Tr = Tr(
    "Ce fichier dépasse la place restante dans la lettre ({size} pour {left} restants) : il \
     n'a pas été envoyé.",
    "This file is larger than the room left in the letter ({size} for {left} left): it was \
     not uploaded.",
);
pub const TOO_MANY: Tr = Tr(
    "Une lettre compte au plus {max} pièces jointes : ce fichier n'a pas été ajouté.",
    "A letter holds at most {max} attachments: this file was not added.",
);
pub const UPLOAD_FAILED: Tr = Tr(
    "L'envoi du fichier a échoué (connexion interrompue ?). Réessayez.",
    "The upload failed (connection lost?). Try again.",
);
pub const SAVING: Tr = Tr("Enregistrement…", "Saving…");
pub const SAVED_AT: Tr = Tr("Enregistré à", "Saved at");
pub const UNSAVED: Tr = Tr("Modifications non enregistrées", "Unsaved changes");
pub const SAVE_FAILED: Tr = Tr("Échec de l'enregistrement :", "Saving failed:");
pub const SEND: Tr = Tr(
    "Envoyer la lettre recommandée",
    "Send the registered letter",
);
pub const SENDING: Tr = Tr("Envoi en cours…", "Sending…");
pub const CONFIRM_SEND: Tr = Tr(
    "Confirmer l'envoi recommandé",
    "Confirm and send the registered letter",
);
pub const BACK_TO_EDIT: Tr = Tr("Revenir à la lettre", "Back to the letter");
pub const SUMMARY_TITLE: Tr = Tr("Vérifiez avant d'envoyer", "Check before sending");
pub const SUMMARY_RECIPIENTS: Tr = Tr("Destinataires", "Recipients");
pub const SUMMARY_DOCUMENTS: Tr = Tr(
    "Documents, avec leur empreinte SHA-256",
    "Documents, with their SHA-256 fingerprint",
);
pub const SUMMARY_NEXT: Tr = Tr("Ce qui se passe ensuite", "What happens next");
pub const SUMMARY_NEXT_DEPOSIT: Tr = Tr(
    "La lettre est déposée : une preuve de dépôt scellée et horodatée est produite pour \
     chaque destinataire, et vous la recevez par courriel.",
    "The letter is deposited: a sealed, time-stamped deposit evidence is produced for each \
     recipient, and emailed to you.",
);
pub const SUMMARY_NEXT_NOTIFY: Tr = Tr(
    "Chaque destinataire est prévenu par courriel, sans savoir qui écrit ni quoi avant \
     d'accepter.",
    "Each recipient is told by email, without learning who writes or what before accepting.",
);
pub const SUMMARY_NEXT_DECIDE: Tr = Tr(
    "Il a 15 jours à compter du lendemain de la notification pour accepter ou refuser ; \
     passé ce délai, la lettre est non réclamée. Chaque étape vous est signalée et prouvée.",
    "They have 15 days from the day after the notification to accept or refuse; after that \
     the letter is unclaimed. Every step is reported to you and proven.",
);
pub const SUMMARY_IRREVOCABLE: Tr = Tr(
    "Une fois envoyée, la lettre ne peut plus être modifiée ni annulée.",
    "Once sent, the letter can no longer be changed or withdrawn.",
);
pub const SEND_LEAD: Tr = Tr(
    "L'envoi rend la lettre définitive et produit les preuves de dépôt. Il demande une \
     session de double authentification active et une identité vérifiée.",
    "Sending makes the letter final and produces the deposit evidence. It needs a live \
     second-factor session and a verified identity.",
);
pub const OTP_NEEDED: Tr = Tr(
    "Saisissez un nouveau code de votre application d'authentification pour envoyer.",
    "Enter a fresh code from your authenticator app to send.",
);
pub const OTP_NEEDED_DECIDE: Tr = Tr(
    "Saisissez un nouveau code de votre application d'authentification pour décider.",
    "Enter a fresh code from your authenticator app to decide.",
);
pub const PROVE_IN_PROFILE: Tr = Tr("Prouver mon identité", "Prove my identity");
pub const DELETE_DRAFT: Tr = Tr("Supprimer le brouillon", "Delete the draft");
pub const DRAFTS: Tr = Tr("Brouillons", "Drafts");
pub const DRAFTS_NONE: Tr = Tr("Aucun brouillon.", "No drafts.");
pub const NO_SUBJECT: Tr = Tr("(sans objet)", "(no subject)");
pub const NEW_LETTER: Tr = Tr("Nouvelle lettre", "New letter");

// Sent letters (dashboard).
pub const SENT_TITLE: Tr = Tr("Lettres envoyées", "Sent letters");
pub const SENT_NONE: Tr = Tr("Aucune lettre.", "No letters.");
pub const FILTER_STATUS: Tr = Tr("État", "Status");
pub const FILTER_ALL: Tr = Tr("Toutes", "All");
pub const FILTER_OPENED: Tr = Tr("Ouvertes", "Opened");
pub const SEARCH_SUBJECT: Tr = Tr("Rechercher dans les objets", "Search subjects");
pub const FILTER_APPLY: Tr = Tr("Filtrer", "Filter");

// Pages of the sent list and of the inbox (issue 11).
pub const PAGES: Tr = Tr("Pages de la liste", "List pages");
pub const PAGE_NEWER: Tr = Tr("← Lettres plus récentes", "← Newer letters");
pub const PAGE_OLDER: Tr = Tr("Lettres plus anciennes →", "Older letters →");
pub const SENT_AT: Tr = Tr("Envoyée", "Sent on");
pub const NOTIFIED_AT: Tr = Tr("Notifiée", "Notified on");
pub const LAST_DAY: Tr = Tr("Dernier jour pour décider", "Last day to decide");
pub const DECIDED_AT: Tr = Tr("Décision", "Decided on");
pub const OPENED_AT: Tr = Tr("Ouverte", "Opened on");
pub const OPENED: Tr = Tr("ouverte", "opened");
pub const VERIFIED_IDENTITY: Tr = Tr("Identité vérifiée", "Verified identity");
pub const REMINDERS_SENT: Tr = Tr("Relances envoyées", "Reminders sent");
pub const NO_REMINDER: Tr = Tr("aucune", "none");
pub const EVIDENCE_PDF: Tr = Tr("PDF", "PDF");
pub const EVIDENCE_DOWNLOAD: Tr = Tr("Télécharger la preuve", "Download the evidence");
pub const EVIDENCE: Tr = Tr("Preuves", "Evidence");
pub const DOSSIER: Tr = Tr(
    "Télécharger le dossier de preuves (ZIP)",
    "Download the evidence dossier (ZIP)",
);
pub const LETTER_ID: Tr = Tr("Identifiant de la lettre", "Letter id");

pub const STATUS_AWAITING: Tr = Tr("en attente", "awaiting");
pub const STATUS_ACCEPTED: Tr = Tr("acceptée", "accepted");
pub const STATUS_REFUSED: Tr = Tr("refusée", "refused");
pub const STATUS_EXPIRED: Tr = Tr("non réclamée (expirée)", "unclaimed (expired)");
pub const STATUS_NOTIFYING: Tr = Tr("notification en cours", "notification in progress");
pub const STATUS_NOT_NOTIFIED: Tr = Tr("non notifiée", "not notified");
/// The sender's explanation of a notification on its way (issue 10).
pub const NOTIFYING_NOTICE: Tr = Tr(
    "Le courriel de notification est en cours de remise au serveur de messagerie du destinataire ; le délai de 15 jours courra à partir de sa remise.",
    "The notification email is being handed over to the recipient's mail server; the 15-day period will run from its hand-over.",
);
/// The sender's explanation of a failed notification (issue 10).
pub const NOT_NOTIFIED_NOTICE: Tr = Tr(
    "Le courriel de notification n'a pas pu être remis (adresse refusée, ou échecs répétés) : le destinataire n'est pas notifié, aucun délai ne court, il n'y aura ni relance ni non-réclamation. La preuve d'échec est dans le dossier de preuves.",
    "The notification email could not be delivered (address refused, or repeated failures): the recipient is not notified, no period runs, there will be no reminder and no non-claim. The failure evidence is in the evidence dossier.",
);

// Inbox.
pub const INBOX_TITLE: Tr = Tr("Lettres reçues", "Received letters");
pub const INBOX_NONE: Tr = Tr("Aucune lettre reçue.", "No letters received.");
pub const AWAITS_UNTIL: Tr = Tr(
    "Une lettre recommandée vous attend, jusqu'au",
    "A registered letter awaits you, until",
);
pub const OPEN_LETTER: Tr = Tr("Voir", "Open");
pub const FROM: Tr = Tr("De", "From");
pub const REFUSED_ON: Tr = Tr("Vous avez refusé cette lettre.", "You refused this letter.");
pub const EXPIRED_NOTICE: Tr = Tr(
    "Cette lettre n'a pas été réclamée dans le délai : elle a expiré.",
    "This letter was not claimed in time: it expired.",
);

// Reception (ID-03, LET-05..LET-11).
pub const RECEPTION_TITLE: Tr = Tr("Lettre recommandée électronique", "Registered letter");
pub const RECEPTION_AWAITS: Tr = Tr(
    "Une lettre recommandée électronique vous attend. L'expéditeur et le contenu vous seront \
     montrés si vous l'acceptez. Vous pouvez l'accepter ou la refuser jusqu'au",
    "A registered electronic letter awaits you. Its sender and content are shown if you \
     accept it. You may accept or refuse it until",
);
pub const RECEPTION_IDENTIFY: Tr = Tr("Identifiez-vous d'abord :", "First, identify yourself:");
pub const RECEPTION_SIGN_IN: Tr = Tr(
    "J'ai un compte Pli : me connecter",
    "I have a Pli account: sign in",
);
pub const RECEPTION_PROVE: Tr = Tr("Prouver mon identité", "Prove my identity");
pub const RECEPTION_PROVE_LEAD: Tr = Tr(
    "Sans compte, une vérification d'identité (pièce d'identité et selfie) est demandée à \
     chaque réception.",
    "Without an account, an identity check (ID document and selfie) is needed at every \
     reception.",
);
pub const RECEPTION_NO_TOKEN: Tr = Tr(
    "Ouvrez le lien reçu par courriel pour prouver votre identité.",
    "Open the link of the notification email to prove your identity.",
);
pub const PROOFING_PENDING: Tr = Tr(
    "Vérification d'identité en cours…",
    "Identity check in progress…",
);
pub const PROOFING_FAILED: Tr = Tr(
    "La vérification d'identité a échoué. Vous pouvez réessayer.",
    "The identity check failed. You may try again.",
);
pub const RECEPTION_SESSION_OVER: Tr = Tr(
    "Votre vérification d'identité n'est plus valable pour décider : prouvez votre identité à \
     nouveau.",
    "Your identity check is no longer valid for a decision: prove your identity again.",
);
pub const SIGNED_IN_AS: Tr = Tr("Connecté en tant que", "Signed in as");
pub const ACCOUNT_NOT_PROVEN: Tr = Tr(
    "Votre compte n'a pas encore d'identité vérifiée : prouvez votre identité (depuis votre \
     profil, une fois pour toutes, ou pour cette lettre seulement) avant d'accepter ou de refuser.",
    "Your account has no verified identity yet: prove your identity (from your profile, once \
     and for all, or for this letter only) before accepting or refusing.",
);
pub const PROVE_FROM_PROFILE: Tr = Tr(
    "Prouver mon identité depuis mon profil",
    "Prove my identity from my profile",
);
pub const NOT_THE_ADDRESSEE: Tr = Tr(
    "Cette identité n'est pas celle du destinataire désigné par l'expéditeur : la lettre ne \
     peut pas vous être remise. L'expéditeur en est informé ; la lettre reste en attente de \
     son destinataire.",
    "This identity is not that of the addressee the sender named: the letter cannot be \
     delivered to you. The sender has been told; the letter still awaits its addressee.",
);
pub const FOR_COMPANY: Tr = Tr(
    "Lettre adressée à la société",
    "Letter addressed to the company",
);
pub const FOR_COMPANY_RULE: Tr = Tr(
    "Elle est remise à son représentant légal ou à un délégataire dont le pouvoir a été vérifié \
     par Pli, depuis leur propre compte.",
    "It is delivered to its legal representative or to a delegate whose authority Pli has \
     verified, from their own account.",
);
pub const NOT_THE_COMPANY: Tr = Tr(
    "Vous n'agissez pas pour cette société auprès de Pli : la lettre ne peut pas vous être \
     remise. Son représentant légal, ou un délégataire muni d'une procuration, doit faire \
     vérifier son pouvoir ; la lettre reste en attente jusqu'à son dernier jour.",
    "You do not act for this company with Pli: the letter cannot be delivered to you. Its legal \
     representative, or a delegate with a power of attorney, must have their authority \
     verified; the letter awaits until its last day.",
);
pub const ACT_FOR_COMPANY: Tr = Tr(
    "Faire vérifier mon pouvoir pour une société",
    "Have my authority for a company verified",
);
pub const IDENTIFIED_AS: Tr = Tr("Identité vérifiée :", "Identity verified:");
pub const ACCEPT: Tr = Tr("Accepter la lettre", "Accept the letter");
pub const REFUSE: Tr = Tr("Refuser la lettre", "Refuse the letter");
pub const REFUSE_CONFIRM: Tr = Tr(
    "Refuser est définitif : le contenu ne vous sera jamais remis et l'expéditeur en sera \
     informé. Confirmez-vous le refus ?",
    "Refusing is final: the content will never be delivered to you and the sender will be \
     told. Do you confirm the refusal?",
);
pub const REFUSE_YES: Tr = Tr("Oui, refuser", "Yes, refuse");
pub const CANCEL: Tr = Tr("Annuler", "Cancel");
pub const ACCEPTED_NOTICE: Tr = Tr(
    "Vous avez accepté cette lettre.",
    "You accepted this letter.",
);
pub const SENDER: Tr = Tr("Expéditeur", "Sender");
pub const OPENED_MARK: Tr = Tr("déjà ouverte", "already opened");
pub const DOWNLOAD_LEAD: Tr = Tr(
    "Le premier téléchargement d'une pièce jointe produit une preuve d'ouverture.",
    "The first download of an attachment produces an opening evidence.",
);
pub const CHECK_FILE_TITLE: Tr = Tr("Vérifier un fichier téléchargé", "Check a downloaded file");
pub const CHECK_FILE_LEAD: Tr = Tr(
    "Choisissez un fichier : son empreinte est calculée dans votre navigateur et comparée à \
     celles des pièces jointes.",
    "Choose a file: its fingerprint is computed in your browser and compared with the \
     attachments'.",
);
pub const CHECK_FILE_PICK: Tr = Tr("Fichier à vérifier", "File to check");
pub const CHECK_MATCH: Tr = Tr(
    "Identique à la pièce jointe :",
    "Identical to the attachment:",
);
pub const CHECK_NO_MATCH: Tr = Tr(
    "Ce fichier ne correspond à aucune pièce jointe de la lettre.",
    "This file matches none of the letter's attachments.",
);
pub const HASH_FAILED: Tr = Tr("Le calcul de l'empreinte a échoué :", "Hashing failed:");
pub const CREATE_ACCOUNT: Tr = Tr(
    "Créez un compte pour retrouver vos lettres sans nouvelle vérification d'identité.",
    "Create an account to find your letters without a new identity check.",
);
pub const REACTIVATE_OFFER: Tr = Tr(
    "Votre compte Pli, à cette adresse, est désactivé. Votre identité vient d'être vérifiée : \
     vous pouvez le réactiver.",
    "Your Pli account at this address is deactivated. Your identity was just verified: you \
     may reactivate it.",
);
pub const REACTIVATE: Tr = Tr("Réactiver mon compte", "Reactivate my account");
pub const REACTIVATED: Tr = Tr(
    "Votre compte est réactivé. Connectez-vous comme d'habitude ; pour envoyer, une nouvelle \
     vérification d'identité sera demandée.",
    "Your account is reactivated. Sign in as usual; sending will ask for a new identity check.",
);
pub const NO_AUTHENTICATOR: Tr = Tr(
    "Pas encore d'application d'authentification ? Configurez-la dans votre compte :",
    "No authenticator app yet? Set one up in your account:",
);
pub const CODE_SUBMIT: Tr = Tr("Valider", "Submit");

// TERMS-01 (policy §3.3): the recipient terms, accepted before deciding.
pub const DECIDE_TERMS_LEAD: Tr = Tr(
    "Avant d'accepter ou de refuser, prenez connaissance des conditions d'utilisation des \
     destinataires et acceptez-les ; leur version sera inscrite dans la preuve de votre \
     décision.",
    "Before accepting or refusing, read the recipient terms of use and accept them; their \
     version will be written in the evidence of your decision.",
);
pub const DECIDE_TERMS_READ: Tr = Tr("Lire les conditions ici", "Read the terms here");
pub const DECIDE_TERMS_ACCEPT: Tr = Tr("J'ai lu et j'accepte les", "I have read and accept the");
