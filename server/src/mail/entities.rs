//! The emails of the legal entities (issue 13; ID-05): a request approved or rejected by the
//! manual verification, a delegate revoked — in French then English.

use crate::mailer::Email;
use crate::store::entities::Member;

fn plain(member: &Member, subject: &str, fr: String, en: String) -> Email {
    Email {
        attachments: Vec::new(),
        to: member.email.clone(),
        subject: subject.to_owned(),
        text: format!(
            "Bonjour {},\n\n{fr}\n\nHello {},\n\n{en}\n",
            member.name, member.name
        ),
        html: None,
    }
}

/// The person may act for the company. `base`: the service's public URL.
pub fn approved(member: &Member, base: &str) -> Email {
    let company = &member.entity_name;
    plain(
        member,
        "Pli : demande validée / request approved",
        format!(
            "Votre demande d'agir pour {company} a été validée après vérification de vos \
             documents. Vous pouvez désormais envoyer et recevoir des lettres recommandées pour \
             cette société : {base}/organisations"
        ),
        format!(
            "Your request to act for {company} was approved after your documents were checked. \
             You may now send and receive registered letters for this company: \
             {base}/organisations"
        ),
    )
}

/// The request was rejected, for `reason`.
pub fn rejected(member: &Member, reason: &str, base: &str) -> Email {
    let company = &member.entity_name;
    plain(
        member,
        "Pli : demande refusée / request rejected",
        format!(
            "Votre demande d'agir pour {company} a été refusée après vérification de vos \
             documents. Motif : {reason}\nVous pouvez déposer une nouvelle demande : \
             {base}/organisations"
        ),
        format!(
            "Your request to act for {company} was rejected after your documents were checked. \
             Reason: {reason}\nYou may file a new request: {base}/organisations"
        ),
    )
}

/// The legal representative revoked the delegate.
pub fn revoked(member: &Member, base: &str) -> Email {
    let company = &member.entity_name;
    plain(
        member,
        "Pli : délégation révoquée / delegation revoked",
        format!(
            "Le représentant légal de {company} a révoqué votre délégation : vous n'agissez \
             plus pour cette société. {base}/organisations"
        ),
        format!(
            "The legal representative of {company} revoked your delegation: you no longer act \
             for this company. {base}/organisations"
        ),
    )
}
