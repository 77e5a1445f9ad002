//! The texts of the security-incident register (OPS-08; policy §13.9): its pages, its report
//! and its refusals.

use domain::incidents::{IncidentAction, IncidentRefusal, IncidentStatus, Severity};

use crate::i18n::{Lang, Tr};

pub fn severity_label(severity: Severity) -> Tr {
    match severity {
        Severity::Low => Tr("Faible", "Low"),
        Severity::Medium => Tr("Moyenne", "Medium"),
        Severity::High => Tr("Élevée", "High"),
        Severity::Critical => Tr("Critique", "Critical"),
    }
}

pub fn status_label(status: IncidentStatus) -> Tr {
    match status {
        IncidentStatus::Open => Tr("Ouvert", "Open"),
        IncidentStatus::Qualified => Tr("Qualifié", "Qualified"),
        IncidentStatus::Notified => Tr("Notifié", "Notified"),
        IncidentStatus::Closed => Tr("Clos", "Closed"),
    }
}

/// The label of a timeline event (`app::incidents::TimelineEntry::event`).
pub fn event_label(event: &str) -> Tr {
    match event {
        "detected" => Tr("Détection", "Detected"),
        "opened" => Tr("Ouverture", "Opened"),
        "qualified" => Tr("Qualification", "Qualified"),
        "letter_attached" => Tr("Lettre concernée ajoutée", "Affected letter added"),
        "notified" => Tr("Notification", "Notified"),
        "closed" => Tr("Clôture", "Closed"),
        _ => Tr("Événement", "Event"),
    }
}

/// The name of a letter's status (`domain::lifecycle::TransactionStatus` code), as the letter
/// pages give it; the code itself when unknown.
pub fn letter_status(code: &str, lang: Lang) -> String {
    domain::lifecycle::TransactionStatus::from_code(code).map_or_else(
        || code.to_owned(),
        |status| {
            crate::pages::letters::status_label(status)
                .get(lang)
                .to_owned()
        },
    )
}

fn action_label(action: IncidentAction) -> Tr {
    match action {
        IncidentAction::Read => Tr("le consulter", "read it"),
        IncidentAction::Open => Tr("l'ouvrir", "open it"),
        IncidentAction::AttachLetter => Tr("y ajouter une lettre", "add a letter to it"),
        IncidentAction::Qualify => Tr("le qualifier", "qualify it"),
        IncidentAction::Notify => Tr("le notifier", "notify it"),
        IncidentAction::Close => Tr("le clore", "close it"),
    }
}

/// The message of a refusal of the register.
pub fn refusal(refusal: IncidentRefusal, lang: Lang) -> String {
    let text = match refusal {
        IncidentRefusal::Title => Tr(
            "Donnez un titre à l'incident (200 caractères au plus, sur une ligne).",
            "Give the incident a title (at most 200 characters, on one line).",
        ),
        IncidentRefusal::Text => Tr(
            "Ce texte est requis, et compte 10 000 caractères au plus, sans caractère de contrôle.",
            "This text is required, at most 10,000 characters, without control characters.",
        ),
        IncidentRefusal::Severity => Tr(
            "Choisissez une gravité : faible, moyenne, élevée ou critique.",
            "Choose a severity: low, medium, high or critical.",
        ),
        IncidentRefusal::DetectedAt => Tr(
            "Indiquez la date et l'heure de détection (heure légale), qui ne peuvent pas être dans le futur.",
            "Enter the date and time of detection (legal time), which cannot be in the future.",
        ),
        IncidentRefusal::UnknownLetter => Tr(
            "Aucune lettre envoyée ne porte cet identifiant (celui de la lettre, ou celui d'un de ses destinataires).",
            "No sent letter has this id (the letter's, or one of its recipients').",
        ),
        IncidentRefusal::Transition { status, action } => {
            return Tr(
                "Cet incident est « {status} » : impossible de {action} (ouvert → qualifié → notifié → clos).",
                "This incident is “{status}”: you cannot {action} (open → qualified → notified → closed).",
            )
            .get(lang)
            .replace("{status}", status_label(status).get(lang))
            .replace("{action}", action_label(action).get(lang));
        }
    };
    text.get(lang).to_owned()
}

/// Between a label and its value: French typography puts a space before the colon.
pub const COLON: Tr = Tr(" : ", ": ");
pub const NAV_INCIDENTS: Tr = Tr("Registre des incidents", "Incident register");
pub const REGISTER_TITLE: Tr = Tr(
    "Registre des incidents de sécurité",
    "Security-incident register",
);
pub const REGISTER_LEAD: Tr = Tr(
    "Toute violation de sécurité ou atteinte à l'intégrité des données est signalée à l'organe de contrôle dans les 24 heures suivant sa détection, et les personnes concernées en sont informées sans délai (règlement eIDAS, art. 19(2) ; politique, §13.9.2). Chaque étape est journalisée.",
    "Every security breach or loss of data integrity is reported to the supervisory body within 24 hours of its detection, and the persons concerned are informed without delay (eIDAS Regulation, Art. 19(2); policy, §13.9.2). Every step is journaled.",
);
pub const OTP_NEEDED: Tr = Tr(
    "Saisissez un code récent de votre application d'authentification pour ouvrir le registre.",
    "Enter a fresh code from your authenticator app to open the register.",
);
pub const EMPTY: Tr = Tr("Aucun incident enregistré.", "No incident recorded.");
pub const OPEN_TITLE: Tr = Tr("Ouvrir un incident", "Open an incident");
pub const FIELD_TITLE: Tr = Tr("Titre", "Title");
pub const FIELD_DESCRIPTION: Tr = Tr(
    "Description (ce qui a été constaté, par quel moyen)",
    "Description (what was observed, and how)",
);
pub const FIELD_SEVERITY: Tr = Tr("Gravité", "Severity");
pub const FIELD_DETECTED: Tr = Tr(
    "Détecté le (heure légale ; vide : maintenant)",
    "Detected at (legal time; empty: now)",
);
pub const OPEN_SUBMIT: Tr = Tr("Ouvrir l'incident", "Open the incident");
pub const OPENED: Tr = Tr(
    "Incident ouvert. Son rapport est dû dans les 24 heures suivant la détection.",
    "Incident opened. Its report is due within 24 hours of detection.",
);
pub const SEE: Tr = Tr("Voir l'incident", "See the incident");
pub const DETECTED: Tr = Tr("Détecté", "Detected");
pub const REPORT_DUE: Tr = Tr("Rapport dû avant", "Report due by");
pub const OVERDUE: Tr = Tr(
    "Délai de 24 heures dépassé sans notification",
    "24-hour deadline passed without notification",
);
pub const BACK_TO_REGISTER: Tr = Tr("Retour au registre", "Back to the register");
pub const DONE: Tr = Tr("C'est enregistré et journalisé.", "Done, and journaled.");
pub const STATUS: Tr = Tr("Statut", "Status");
pub const DESCRIPTION: Tr = Tr("Description", "Description");
pub const TIMELINE: Tr = Tr("Chronologie", "Timeline");
pub const BY: Tr = Tr("par", "by");
pub const QUALIFICATION: Tr = Tr("Qualification", "Qualification");
pub const PERSONAL_DATA: Tr = Tr(
    "Violation de données à caractère personnel",
    "Personal-data breach",
);
pub const CONFIDENTIALITY: Tr = Tr("Atteinte à la confidentialité", "Confidentiality affected");
pub const INTEGRITY: Tr = Tr("Atteinte à l'intégrité", "Integrity affected");
pub const AVAILABILITY: Tr = Tr("Atteinte à la disponibilité", "Availability affected");
pub const YES: Tr = Tr("oui", "yes");
pub const NO: Tr = Tr("non", "no");
pub const FIELD_ASSESSMENT: Tr = Tr(
    "Analyse (impact, causes probables)",
    "Assessment (impact, likely causes)",
);
pub const QUALIFY_SUBMIT: Tr = Tr("Qualifier l'incident", "Qualify the incident");
pub const NOTIFICATION: Tr = Tr("Notification", "Notification");
pub const FIELD_NOTICE: Tr = Tr(
    "Notification faite à l'organe de contrôle et aux utilisateurs concernés (à qui, comment, référence)",
    "Notification made to the supervisory body and the affected users (to whom, how, reference)",
);
pub const NOTIFY_SUBMIT: Tr = Tr("Enregistrer la notification", "Record the notification");
pub const CLOSING: Tr = Tr("Clôture", "Closing");
pub const FIELD_SUMMARY: Tr = Tr(
    "Bilan (causes, mesures prises, enseignements)",
    "Summary (causes, measures taken, lessons learned)",
);
pub const CLOSE_SUBMIT: Tr = Tr("Clore l'incident", "Close the incident");
pub const LETTERS: Tr = Tr("Lettres concernées", "Affected letters");
pub const LETTERS_EMPTY: Tr = Tr("Aucune lettre concernée.", "No affected letter.");
pub const FIELD_LETTER_ID: Tr = Tr(
    "Identifiant d'une lettre envoyée (ou d'un de ses destinataires)",
    "Id of a sent letter (or of one of its recipients)",
);
pub const ATTACH_SUBMIT: Tr = Tr("Ajouter la lettre", "Add the letter");
pub const LETTER: Tr = Tr("Lettre", "Letter");
pub const RECIPIENT_LETTER: Tr = Tr("Lettre du destinataire", "Recipient's letter");
pub const SENDER: Tr = Tr("Expéditeur", "Sender");
pub const RECIPIENT: Tr = Tr("Destinataire", "Recipient");
pub const SENT_AT: Tr = Tr("Envoyée le", "Sent at");
pub const ADDRESSES: Tr = Tr(
    "Adresses des utilisateurs concernés",
    "Addresses of the affected users",
);
pub const REPORT: Tr = Tr("Rapport (24 heures)", "Report (24 hours)");
pub const REPORT_LEAD: Tr = Tr(
    "Le rapport destiné à l'organe de contrôle et aux utilisateurs concernés, exportable à tout moment : l'incident, sa chronologie, sa qualification, les lettres concernées et les adresses des utilisateurs.",
    "The report for the supervisory body and the affected users, exportable at any time: the incident, its timeline, its qualification, the affected letters and the users' addresses.",
);
pub const REPORT_MARKDOWN: Tr = Tr("Télécharger (Markdown)", "Download (Markdown)");
pub const REPORT_JSON: Tr = Tr("Télécharger (JSON)", "Download (JSON)");
pub const REPORT_TITLE: Tr = Tr("Rapport d'incident de sécurité", "Security incident report");
pub const REPORT_GENERATED: Tr = Tr("Rapport établi", "Report generated");
pub const REPORT_BASIS: Tr = Tr(
    "Établi en application de l'article 19(2) du règlement eIDAS et du §13.9.2 de la politique du service.",
    "Made under Article 19(2) of the eIDAS Regulation and §13.9.2 of the service policy.",
);
pub const NOT_YET: Tr = Tr("pas encore", "not yet");
