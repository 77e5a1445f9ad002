//! What an evidence attests, in plain words (issue 11): who, what, when, from the verified
//! report, in the page's language — above the technical detail on `/verify`.

use crate::i18n::Lang;
use crate::types::{PartyView, VerificationReport};
use crate::when::in_words;

/// A person as the summary names them: "Alice Martin (alice@example.org)".
fn who(party: Option<&PartyView>, lang: Lang) -> String {
    match party {
        Some(PartyView {
            name,
            email: Some(email),
        }) => format!("{name} ({email})"),
        Some(PartyView { name, email: None }) => name.clone(),
        None => match lang {
            Lang::Fr => "une personne non nommée".to_owned(),
            Lang::En => "an unnamed person".to_owned(),
        },
    }
}

/// The sentences saying what the evidence attests, then whether it can be trusted.
pub fn attests(report: &VerificationReport, lang: Lang) -> Vec<String> {
    let sender = who(report.sender.as_ref(), lang);
    let recipient = who(report.recipient.as_ref(), lang);
    let user = who(report.user.as_ref(), lang);
    let letter = report.letter_id.clone().unwrap_or_else(|| "?".to_owned());
    let when = report
        .event_time
        .as_deref()
        .map(|at| in_words(lang, at))
        .unwrap_or_default();
    let files = report.digests.len();
    let kind = report.kind.as_deref().unwrap_or_default();
    let what = match lang {
        Lang::Fr => match kind {
            "Deposit" => format!(
                "Cette preuve atteste que {sender} a déposé la lettre recommandée électronique \
                 n° {letter}, adressée à {recipient}, {when}."
            ),
            "LetterSummary" => format!(
                "Cette preuve récapitule la lettre recommandée électronique n° {letter} de \
                 {sender} à {recipient} : {files} document(s), dont les empreintes SHA-256 \
                 figurent ci-dessous ; établie {when}."
            ),
            "Transmission" => format!(
                "Cette preuve atteste que la notification de la lettre n° {letter} a été remise \
                 au serveur de messagerie de {recipient} {when} : le délai de 15 jours court à \
                 partir du lendemain."
            ),
            "NotificationFailure" => format!(
                "Cette preuve atteste que la notification de la lettre n° {letter} n'a pas pu \
                 être remise à {recipient} ; constat {when}."
            ),
            "Reminder" => format!(
                "Cette preuve atteste qu'une relance a été envoyée à {recipient} pour la lettre \
                 n° {letter}, {when}."
            ),
            "Acceptance" => format!(
                "Cette preuve atteste que {recipient}, identifié(e), a accepté la lettre \
                 recommandée électronique n° {letter} de {sender}, {when}."
            ),
            "Refusal" => format!(
                "Cette preuve atteste que {recipient}, identifié(e), a refusé la lettre \
                 recommandée électronique n° {letter}, {when}."
            ),
            "NonClaim" => format!(
                "Cette preuve atteste que la lettre n° {letter} adressée à {recipient} n'a été \
                 ni acceptée ni refusée dans le délai de 15 jours ; constat {when}."
            ),
            "Opening" => format!(
                "Cette preuve atteste que {recipient} a ouvert (téléchargé) le contenu de la \
                 lettre n° {letter}, {when}."
            ),
            "Identification" => {
                format!("Cette preuve atteste que l'identité de {user} a été vérifiée, {when}.")
            }
            "ConsentRequest" => format!(
                "Cette preuve atteste que {sender} a demandé à {recipient} son consentement à \
                 recevoir des lettres recommandées électroniques, {when}."
            ),
            "ConsentGranted" => format!(
                "Cette preuve atteste que {recipient} a consenti à recevoir les lettres \
                 recommandées électroniques de {sender}, {when}."
            ),
            "ConsentRefused" => format!(
                "Cette preuve atteste que {recipient} a refusé de recevoir les lettres \
                 recommandées électroniques de {sender}, {when}."
            ),
            _ => {
                let title = report.title_fr.clone().unwrap_or_default();
                format!("Cette preuve ({title}) a été établie {when}.")
            }
        },
        Lang::En => match kind {
            "Deposit" => format!(
                "This evidence attests that {sender} deposited the electronic registered \
                 letter no. {letter}, addressed to {recipient}, on {when}."
            ),
            "LetterSummary" => format!(
                "This evidence summarises the electronic registered letter no. {letter} from \
                 {sender} to {recipient}: {files} document(s), whose SHA-256 fingerprints are \
                 listed below; issued on {when}."
            ),
            "Transmission" => format!(
                "This evidence attests that the notification of letter no. {letter} was handed \
                 over to the mail server of {recipient} on {when}: the 15-day period runs from \
                 the next day."
            ),
            "NotificationFailure" => format!(
                "This evidence attests that the notification of letter no. {letter} could not \
                 be delivered to {recipient}; recorded on {when}."
            ),
            "Reminder" => format!(
                "This evidence attests that a reminder was sent to {recipient} for letter no. \
                 {letter} on {when}."
            ),
            "Acceptance" => format!(
                "This evidence attests that {recipient}, identified, accepted the electronic \
                 registered letter no. {letter} from {sender} on {when}."
            ),
            "Refusal" => format!(
                "This evidence attests that {recipient}, identified, refused the electronic \
                 registered letter no. {letter} on {when}."
            ),
            "NonClaim" => format!(
                "This evidence attests that letter no. {letter} to {recipient} was neither \
                 accepted nor refused within 15 days; recorded on {when}."
            ),
            "Opening" => format!(
                "This evidence attests that {recipient} opened (downloaded) the content of \
                 letter no. {letter} on {when}."
            ),
            "Identification" => {
                format!("This evidence attests that the identity of {user} was verified on {when}.")
            }
            "ConsentRequest" => format!(
                "This evidence attests that {sender} asked {recipient} for their consent to \
                 receive electronic registered letters on {when}."
            ),
            "ConsentGranted" => format!(
                "This evidence attests that {recipient} consented to receive electronic \
                 registered letters from {sender} on {when}."
            ),
            "ConsentRefused" => format!(
                "This evidence attests that {recipient} refused to receive electronic \
                 registered letters from {sender} on {when}."
            ),
            _ => {
                let title = report.title_en.clone().unwrap_or_default();
                format!("This evidence ({title}) was issued on {when}.")
            }
        },
    };
    let stamped = report
        .timestamp_time
        .as_deref()
        .map(|at| in_words(lang, at));
    let trust = match (lang, report.valid, stamped) {
        (Lang::Fr, true, Some(at)) => format!(
            "Son sceau et son horodatage ({at}) sont valides : elle n'a pas été modifiée depuis."
        ),
        (Lang::En, true, Some(at)) => {
            format!("Its seal and time-stamp ({at}) are valid: it has not been changed since.")
        }
        (Lang::Fr, _, _) => "Attention : la vérification a échoué. Ne vous fiez pas à ce \
                             document ; le détail technique est ci-dessous."
            .to_owned(),
        (Lang::En, _, _) => "Warning: the verification failed. Do not rely on this document; \
                             the technical detail is below."
            .to_owned(),
    };
    if report.valid {
        vec![what, trust]
    } else {
        vec![trust]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(kind: &str, valid: bool) -> VerificationReport {
        VerificationReport {
            valid,
            checks: Vec::new(),
            evidence_id: Some("e1".to_owned()),
            kind: Some(kind.to_owned()),
            title_fr: Some("Preuve".to_owned()),
            title_en: Some("Evidence".to_owned()),
            event_time: Some("2026-11-30T15:38:00+01:00".to_owned()),
            policy_oid: None,
            timestamp_time: Some("2026-11-30T15:38:01+01:00".to_owned()),
            tsa_subject: None,
            signer_subject: None,
            letter_id: Some("L-1".to_owned()),
            sender: Some(PartyView {
                name: "Alice Martin".to_owned(),
                email: Some("alice@example.org".to_owned()),
            }),
            recipient: Some(PartyView {
                name: "Bruno Durand".to_owned(),
                email: None,
            }),
            user: None,
            digests: Vec::new(),
            original_matches: None,
            journal_seq: None,
            timestamp_chain: Vec::new(),
            verifiable_until: None,
        }
    }

    #[test]
    fn who_what_when() {
        let words = attests(&report("Acceptance", true), Lang::Fr);
        assert_eq!(
            words[0],
            "Cette preuve atteste que Bruno Durand, identifié(e), a accepté la lettre \
             recommandée électronique n° L-1 de Alice Martin (alice@example.org), le 30 \
             novembre 2026 à 15 h 38."
        );
        assert!(words[1].contains("le 30 novembre 2026 à 15 h 38"));
        let words = attests(&report("Deposit", true), Lang::En);
        assert!(words[0].contains("Alice Martin (alice@example.org) deposited"));
        assert!(words[0].contains("on 30 November 2026 at 15:38"));
    }

    #[test]
    fn an_invalid_evidence_attests_nothing() {
        let words = attests(&report("Acceptance", false), Lang::Fr);
        assert_eq!(words.len(), 1);
        assert!(words[0].starts_with("Attention"));
    }
}
