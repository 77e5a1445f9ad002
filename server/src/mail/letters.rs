//! The emails of a letter's life, French then English. What a recipient receives before
//! accepting names neither the sender nor the content (LET-05); after an expiry it still does
//! not (LET-10).

use domain::time::{Language, day_in_words, in_words};

use crate::mailer::{Email, MailAttachment};
use crate::store::transactions::TransactionRecord;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An email with a French paragraph, an English one, and optionally a link.
fn bilingual(to: &str, subject: &str, fr: &str, en: &str, link: Option<&str>) -> Email {
    let text_link = link.map(|url| format!("\n{url}\n")).unwrap_or_default();
    let html_link = link
        .map(|url| format!("<p><a href=\"{url}\">{url}</a></p>", url = escape(url)))
        .unwrap_or_default();
    Email {
        attachments: Vec::new(),
        to: to.to_owned(),
        subject: subject.to_owned(),
        text: format!("{fr}\n{text_link}\n{en}\n{text_link}"),
        html: Some(format!(
            "<p>{}</p>{html_link}<p><i>{}</i></p>",
            escape(fr).replace('\n', "<br>"),
            escape(en).replace('\n', "<br>")
        )),
    }
}

/// A time of the legal time zone ([`crate::AppState::legal_time`]) in French and in English
/// words: "le 30 novembre 2026 à 15 h 38", "30 November 2026 at 15:38".
fn words(at: &str) -> (String, String) {
    (
        in_words(at, Language::French),
        in_words(at, Language::English),
    )
}

/// The last day to act (YYYY-MM-DD, legal time zone) in French and in English words.
fn days(last_day: &str) -> (String, String) {
    (
        day_in_words(last_day, Language::French),
        day_in_words(last_day, Language::English),
    )
}

/// One recipient of a deposit, as the sender's confirmation names them.
pub struct Deposited<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub letter_id: &'a str,
}

/// How many deposit evidences the sender's confirmation carries at most; beyond, they are on
/// the letter's page (a 100-recipient letter would make a 2 MB email).
pub const DEPOSIT_ATTACHMENTS_MAX: usize = 10;

/// Issue 11: the sender's confirmation that the letter was deposited, with each recipient's
/// deposit evidence attached (up to [`DEPOSIT_ATTACHMENTS_MAX`]) and what happens next.
pub fn deposit_to_sender(
    sender: (&str, &str),
    subject: &str,
    at: &str,
    recipients: &[Deposited<'_>],
    link: &str,
    evidence: Vec<MailAttachment>,
) -> Email {
    let (name, email) = sender;
    let (at_fr, at_en) = words(at);
    let list = recipients
        .iter()
        .map(|r| format!("- {} <{}> : {}", r.name, r.email, r.letter_id))
        .collect::<Vec<_>>()
        .join("\n");
    let list_en = list.replace(" : ", ": ");
    let (attached_fr, attached_en) = if evidence.is_empty() {
        (
            "Les preuves de dépôt sont sur la page de la lettre et dans chaque dossier de preuves.",
            "The deposit evidence is on the letter's page and in each evidence dossier.",
        )
    } else {
        (
            "La preuve de dépôt de chaque destinataire est jointe à ce message ; elle est aussi \
             dans chaque dossier de preuves.",
            "Each recipient's deposit evidence is attached to this message; it is also in each \
             evidence dossier.",
        )
    };
    let mut mail = bilingual(
        email,
        "Pli : votre lettre recommandée est déposée / your registered letter is deposited",
        &format!(
            "Bonjour {name},\n\nVotre lettre recommandée électronique « {subject} » a été \
             déposée {at_fr}, pour :\n{list}\n\n{attached_fr}\n\nChaque destinataire est \
             prévenu par courriel ; il a 15 jours à compter du lendemain de cette notification \
             pour l'accepter ou la refuser. Vous recevrez un message à sa décision, ou à \
             l'expiration du délai. Suivez la lettre ici :"
        ),
        &format!(
            "Hello {name},\n\nYour electronic registered letter \"{subject}\" was deposited on \
             {at_en}, for:\n{list_en}\n\n{attached_en}\n\nEach recipient is told by email; \
             they have 15 days from the day after that notification to accept or refuse it. You \
             will get a message at their decision, or when the period ends. Follow the letter \
             here:"
        ),
        Some(link),
    );
    mail.attachments = evidence;
    mail
}

/// LET-05: a registered letter awaits; no sender, no content.
/// The notification names nobody: only the recipient's address is needed (LET-05). It gives
/// the rule of the period, not a date: the period runs from the notification's hand-over to
/// the mail server (issue 10), which is not known when the email is written; the reception
/// page shows the last day.
pub fn notification(recipient_email: &str, link: &str, company: Option<&str>) -> Email {
    // Policy §6.4: a letter to a company is for its representative or a delegate.
    let (for_fr, for_en) = match company {
        Some(company) => (
            format!(
                "\n\nCette lettre est adressée à la société {company} : seuls son représentant \
                 légal ou un délégataire dont le pouvoir a été vérifié par Pli peuvent la \
                 recevoir, depuis leur compte Pli."
            ),
            format!(
                "\n\nThis letter is addressed to the company {company}: only its legal \
                 representative or a delegate whose authority Pli has verified may receive it, \
                 from their Pli account."
            ),
        ),
        None => (String::new(), String::new()),
    };
    bilingual(
        recipient_email,
        "Pli : une lettre recommandée électronique vous attend / a registered letter awaits you",
        &format!(
            "Bonjour,\n\nUne lettre recommandée électronique vous a été adressée. Vous pouvez \
             l'accepter ou la refuser pendant 15 jours calendaires à compter du lendemain de ce \
             message ; la date limite figure sur la page de la lettre. L'expéditeur et le contenu \
             vous seront indiqués après acceptation.{for_fr} Ouvrez ce lien pour vous identifier :"
        ),
        &format!(
            "Hello,\n\nAn electronic registered letter was sent to you. You may accept or refuse \
             it within 15 calendar days from the day after this message; the last day is shown on \
             the letter's page. The sender and the content are shown once you accept.{for_en} \
             Open this link to identify yourself:"
        ),
        Some(link),
    )
}

/// LET-05 (issue 10): the sender learns that the recipient could not be notified: the mail
/// server refused the notification, or it still failed after every retry.
pub fn not_notified_to_sender(tx: &TransactionRecord, link: &str, reason: &str) -> Email {
    bilingual(
        &tx.sender_email,
        "Pli : destinataire non notifié / recipient not notified",
        &format!(
            "Bonjour {},\n\nLa notification de votre lettre recommandée « {} » n'a pas pu être \
             remise à {} ({}) : le serveur de messagerie l'a refusée ou ne l'a pas acceptée \
             malgré nos essais ({reason}). Le destinataire n'est pas notifié : aucun délai ne \
             court, il n'y aura ni relance ni non-réclamation. Vérifiez l'adresse et envoyez une \
             nouvelle lettre si besoin. La preuve d'échec de la notification est dans le dossier \
             de preuves :",
            tx.sender_name, tx.subject, tx.recipient_name, tx.recipient_email
        ),
        &format!(
            "Hello {},\n\nThe notification of your registered letter \"{}\" could not be \
             delivered to {} ({}): the mail server refused it or did not take it despite our \
             attempts ({reason}). The recipient is not notified: no period runs, there will be \
             no reminder and no non-claim. Check the address and send a new letter if needed. \
             The notification failure evidence is in the evidence dossier:",
            tx.sender_name, tx.subject, tx.recipient_name, tx.recipient_email
        ),
        Some(link),
    )
}

/// LET-07: a reminder on day 4, 8 or 12.
pub fn reminder(tx: &TransactionRecord, link: &str, last_day: &str, reminder_day: u32) -> Email {
    let (day_fr, day_en) = days(last_day);
    bilingual(
        &tx.recipient_email,
        "Pli : rappel, une lettre recommandée électronique vous attend / reminder: a registered letter awaits you",
        &format!(
            "Bonjour,\n\nRappel (jour {reminder_day}) : une lettre recommandée électronique vous \
             attend. Vous pouvez l'accepter ou la refuser jusqu'au {day_fr} inclus :"
        ),
        &format!(
            "Hello,\n\nReminder (day {reminder_day}): an electronic registered letter awaits \
             you. You may accept or refuse it until {day_en} included:"
        ),
        Some(link),
    )
}

/// LET-08, LET-09: the sender learns that the letter was accepted or refused.
pub fn decided_to_sender(tx: &TransactionRecord, link: &str, at: &str, accepted: bool) -> Email {
    let (subject, fr, fr_evidence, en) = if accepted {
        (
            "lettre acceptée / letter accepted",
            "acceptée",
            "d'acceptation",
            "accepted",
        )
    } else {
        (
            "lettre refusée / letter refused",
            "refusée",
            "de refus",
            "refused",
        )
    };
    let en_evidence = if accepted { "acceptance" } else { "refusal" };
    let (at_fr, at_en) = words(at);
    bilingual(
        &tx.sender_email,
        &format!("Pli : {subject}"),
        &format!(
            "Bonjour {},\n\nVotre lettre recommandée « {} » a été {fr} par {} ({}) {at_fr}. \
             La preuve {fr_evidence} est dans le dossier de preuves :",
            tx.sender_name, tx.subject, tx.recipient_name, tx.recipient_email
        ),
        &format!(
            "Hello {},\n\nYour registered letter \"{}\" was {en} by {} ({}) on {at_en}. \
             The {en_evidence} evidence is in the evidence dossier:",
            tx.sender_name, tx.subject, tx.recipient_name, tx.recipient_email
        ),
        Some(link),
    )
}

/// LET-09: the recipient's confirmation of a refusal.
pub fn refused_to_recipient(tx: &TransactionRecord, link: &str, at: &str) -> Email {
    let (at_fr, at_en) = words(at);
    bilingual(
        &tx.recipient_email,
        "Pli : vous avez refusé une lettre recommandée / you refused a registered letter",
        &format!(
            "Bonjour,\n\nNous confirmons que vous avez refusé la lettre recommandée électronique \
             qui vous attendait, {at_fr}. Son contenu ne vous sera pas délivré."
        ),
        &format!(
            "Hello,\n\nWe confirm that you refused the electronic registered letter that awaited \
             you, on {at_en}. Its content will not be delivered to you."
        ),
        Some(link),
    )
}

/// LET-10: the sender learns that the letter expired unclaimed.
pub fn expired_to_sender(tx: &TransactionRecord, link: &str, at: &str) -> Email {
    let (at_fr, at_en) = words(at);
    bilingual(
        &tx.sender_email,
        "Pli : lettre non réclamée / letter not claimed",
        &format!(
            "Bonjour {},\n\nVotre lettre recommandée « {} » adressée à {} ({}) n'a été ni \
             acceptée ni refusée dans le délai de 15 jours : elle a expiré {at_fr}. La \
             preuve de non-réclamation est dans le dossier de preuves :",
            tx.sender_name, tx.subject, tx.recipient_name, tx.recipient_email
        ),
        &format!(
            "Hello {},\n\nYour registered letter \"{}\" to {} ({}) was neither accepted nor \
             refused within 15 days: it expired on {at_en}. The non-claim evidence is in the \
             evidence dossier:",
            tx.sender_name, tx.subject, tx.recipient_name, tx.recipient_email
        ),
        Some(link),
    )
}

/// LET-10: the recipient learns that the letter expired (still no sender, no content).
pub fn expired_to_recipient(tx: &TransactionRecord, at: &str) -> Email {
    let (at_fr, at_en) = words(at);
    bilingual(
        &tx.recipient_email,
        "Pli : une lettre recommandée qui vous attendait a expiré / a registered letter expired",
        &format!(
            "Bonjour,\n\nLa lettre recommandée électronique qui vous attendait n'a été ni \
             acceptée ni refusée dans le délai de 15 jours : elle a expiré {at_fr}."
        ),
        &format!(
            "Hello,\n\nThe electronic registered letter that awaited you was neither accepted \
             nor refused within 15 days: it expired on {at_en}."
        ),
        None,
    )
}

/// ID-03: the person identified at the recipient's address is not the addressee the sender
/// named; the sender learns it (not that person's name), and that the letter still awaits.
pub fn not_the_addressee_to_sender(tx: &TransactionRecord, link: &str, last_day: &str) -> Email {
    let (day_fr, day_en) = days(last_day);
    bilingual(
        &tx.sender_email,
        "Pli : destinataire non reconnu / addressee not recognised",
        &format!(
            "Bonjour {},\n\nUne personne s'est identifiée pour recevoir votre lettre recommandée \
             « {} » adressée à {} ({}), mais l'identité vérifiée ne correspond pas au nom que \
             vous avez indiqué : la lettre ne lui a pas été remise. Elle reste en attente du \
             destinataire jusqu'au {day_fr} inclus. Vérifiez le nom du destinataire :",
            tx.sender_name, tx.subject, tx.recipient_name, tx.recipient_email,
        ),
        &format!(
            "Hello {},\n\nSomebody identified themself to receive your registered letter \"{}\" \
             to {} ({}), but the verified identity does not match the name you gave: the \
             letter was not delivered to them. It still awaits its addressee until {day_en} \
             included. Check the recipient's name:",
            tx.sender_name, tx.subject, tx.recipient_name, tx.recipient_email,
        ),
        Some(link),
    )
}
