//! The texts of the development tools (mailbox, clock, issued evidence), in French then
//! English.

use crate::i18n::Tr;

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
