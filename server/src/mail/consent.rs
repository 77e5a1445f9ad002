//! The emails about consents (CONS-02..CONS-04), in French then English. They are queued in
//! the durable outbox by the consent flows (`crate::contacts`), in the transaction of the change
//! they announce.

use domain::policy::CONSENT_REQUEST_DAYS;

use crate::mailer::Email;
use crate::store::consents::ConsentRecord;

/// A bilingual plain-text email.
fn email(to: &str, subject: String, french: String, english: String) -> Email {
    Email {
        attachments: Vec::new(),
        to: to.to_owned(),
        subject,
        text: format!("{french}\n\n---\n\n{english}\n"),
        html: None,
    }
}

pub fn link(public_url: &str, token: &str) -> String {
    format!("{}/consent/{token}", public_url.trim_end_matches('/'))
}

/// CONS-02: the request, to the recipient; it names the sender (account name and address).
pub fn request_email(row: &ConsentRecord, url: &str) -> Email {
    let (sender, address, recipient) = (&row.sender_name, &row.sender_email, &row.recipient_name);
    let days = CONSENT_REQUEST_DAYS;
    email(
        &row.recipient_email,
        format!("Pli : {sender} demande votre consentement / asks for your consent"),
        format!(
            "Bonjour {recipient},\n\n{sender} ({address}) souhaite vous adresser des lettres \
             recommandées électroniques par Pli et vous demande votre consentement préalable.\n\n\
             Pour l'accorder ou le refuser, ouvrez ce lien (la demande expire dans {days} jours) \
             :\n{url}\n\nLe même lien vous permettra de retirer votre consentement à tout moment. \
             Si vous ne connaissez pas cet expéditeur, refusez ou ignorez ce courriel."
        ),
        format!(
            "Hello {recipient},\n\n{sender} ({address}) would like to send you electronic \
             registered letters through Pli and asks for your prior consent.\n\n\
             To grant or refuse it, open this link (the request expires in {days} days):\n{url}\n\n\
             The same link lets you withdraw your consent at any time. If you do not know this \
             sender, refuse or ignore this email."
        ),
    )
}

/// CONS-02: the confirmations of an answer, to the recipient then to the sender.
pub fn answer_emails(row: &ConsentRecord, granted: bool, url: &str) -> [Email; 2] {
    let (sender, address) = (&row.sender_name, &row.sender_email);
    let (recipient, recipient_address) = (&row.recipient_name, &row.recipient_email);
    let to_recipient = if granted {
        email(
            recipient_address,
            format!("Pli : consentement accordé à {sender} / consent granted"),
            format!(
                "Vous avez accordé à {sender} ({address}) votre consentement à recevoir ses \
                 lettres recommandées électroniques à l'adresse {recipient_address}, qui est \
                 ainsi confirmée.\n\nVous pouvez le retirer à tout moment par ce lien :\n{url}"
            ),
            format!(
                "You granted {sender} ({address}) your consent to receive their electronic \
                 registered letters at {recipient_address}, which is thereby confirmed.\n\n\
                 You may withdraw it at any time with this link:\n{url}"
            ),
        )
    } else {
        email(
            recipient_address,
            format!("Pli : consentement refusé à {sender} / consent refused"),
            format!(
                "Vous avez refusé à {sender} ({address}) votre consentement à recevoir ses lettres \
                 recommandées électroniques. Il ne pourra pas vous en adresser par Pli."
            ),
            format!(
                "You refused {sender} ({address}) your consent to receive their electronic \
                 registered letters. They cannot send you any through Pli."
            ),
        )
    };
    let to_sender = if granted {
        email(
            address,
            format!("Pli : {recipient} a accordé son consentement / consent granted"),
            format!(
                "{recipient} ({recipient_address}) a accordé son consentement : vous pouvez lui \
                 adresser des lettres recommandées électroniques jusqu'à ce qu'il le retire."
            ),
            format!(
                "{recipient} ({recipient_address}) granted consent: you may send them electronic \
                 registered letters until they withdraw it."
            ),
        )
    } else {
        email(
            address,
            format!("Pli : {recipient} a refusé son consentement / consent refused"),
            format!(
                "{recipient} ({recipient_address}) a refusé son consentement : vous ne pouvez pas \
                 lui adresser de lettres recommandées électroniques."
            ),
            format!(
                "{recipient} ({recipient_address}) refused consent: you cannot send them \
                 electronic registered letters."
            ),
        )
    };
    [to_recipient, to_sender]
}

/// CONS-03: the revocation notices, to the recipient then to the sender.
pub fn revocation_emails(row: &ConsentRecord) -> [Email; 2] {
    let (sender, address) = (&row.sender_name, &row.sender_email);
    let (recipient, recipient_address) = (&row.recipient_name, &row.recipient_email);
    [
        email(
            recipient_address,
            format!("Pli : consentement retiré à {sender} / consent withdrawn"),
            format!(
                "Votre consentement à recevoir les lettres recommandées électroniques de {sender} \
                 ({address}) est retiré : il ne peut plus vous en adresser."
            ),
            format!(
                "Your consent to receive electronic registered letters from {sender} ({address}) \
                 is withdrawn: they can no longer send you any."
            ),
        ),
        email(
            address,
            format!("Pli : {recipient} a retiré son consentement / consent withdrawn"),
            format!(
                "{recipient} ({recipient_address}) a retiré son consentement : vous ne pouvez \
                 plus lui adresser de lettres recommandées électroniques. Vous pouvez lui en \
                 redemander un depuis vos contacts."
            ),
            format!(
                "{recipient} ({recipient_address}) withdrew consent: you can no longer send them \
                 electronic registered letters. You may ask again from your contacts."
            ),
        ),
    ]
}

/// CONS-04: the expiry notice, to the sender.
pub fn expiry_email(row: &ConsentRecord) -> Email {
    let (recipient, recipient_address) = (&row.recipient_name, &row.recipient_email);
    let days = CONSENT_REQUEST_DAYS;
    email(
        &row.sender_email,
        "Pli : demande de consentement expirée / consent request expired".to_owned(),
        format!(
            "{recipient} ({recipient_address}) n'a pas répondu dans les {days} jours à votre \
             demande de consentement, qui a expiré. Vous pouvez la renouveler depuis vos contacts."
        ),
        format!(
            "{recipient} ({recipient_address}) did not answer your consent request within \
             {days} days; it expired. You may ask again from your contacts."
        ),
    )
}
