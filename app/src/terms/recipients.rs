//! The terms of use for recipients (TERMS-01, policy §2.4, §3.3): accepted by every recipient
//! at reception, before accepting or refusing a letter.

use super::{Document, DocumentKind, Section};
use crate::i18n::Tr;

pub(super) const RECIPIENT_TERMS: Document = Document {
    kind: DocumentKind::RecipientTerms,
    version: "2026-11",
    arc: "2.2.1",
    effective: "2026-11-01",
    announced: "2026-11-01",
    title: Tr(
        "Conditions d'utilisation de Pli — destinataires",
        "Pli terms of use — recipients",
    ),
    summary: Tr(
        "Ces conditions s'appliquent à toute personne à qui une lettre recommandée \
         électronique est adressée par Pli. Elles sont acceptées avant d'accepter ou de refuser \
         la lettre ; la version acceptée et son identifiant sont inscrits dans la preuve de la \
         décision.",
        "These terms apply to anyone to whom an electronic registered letter is addressed \
         through Pli. They are accepted before accepting or refusing the letter; the accepted \
         version and its identifier are written in the evidence of the decision.",
    ),
    page: "/terms/recipients",
    pdf: "/terms/recipients.pdf",
    sections: &[
        Section {
            heading: Tr("1. La lettre qui vous attend", "1. The letter awaiting you"),
            paragraphs: &[
                Tr(
                    "Pli vous a notifié par courriel qu'une lettre recommandée électronique vous \
                     attend. Jusqu'à votre acceptation, ni l'identité de l'expéditeur ni le \
                     contenu ne vous sont révélés. La politique et déclaration de pratiques de \
                     Pli, publiée avec ces conditions, décrit le service en détail.",
                    "Pli told you by email that an electronic registered letter awaits you. \
                     Until you accept it, neither the sender's identity nor the content is \
                     revealed to you. Pli's policy and practice statement, published with these \
                     terms, describes the service in detail.",
                ),
                Tr(
                    "Une instance de Pli qui indique « environnement de développement » n'est \
                     pas un service qualifié : ses preuves n'ont aucune valeur juridique.",
                    "An instance of Pli that shows « development environment » is not a \
                     qualified service: its evidence has no legal value.",
                ),
            ],
        },
        Section {
            heading: Tr("2. Votre identification", "2. Your identification"),
            paragraphs: &[
                Tr(
                    "Seul le destinataire désigné par l'expéditeur peut recevoir la lettre. Vous \
                     prouvez votre identité soit par un compte Pli dont l'identité a été vérifiée \
                     et une session confirmée par un second facteur, soit par une vérification \
                     d'identité lors de cette réception. Le nom vérifié doit correspondre à celui \
                     donné par l'expéditeur ; sinon la lettre ne vous est pas remise et \
                     l'expéditeur en est informé.",
                    "Only the recipient the sender named can receive the letter. You prove your \
                     identity either with a Pli account whose identity was verified and a session \
                     confirmed by a second factor, or with an identity proofing at this \
                     reception. The verified name must match the one the sender gave; otherwise \
                     the letter is not delivered to you and the sender is told.",
                ),
                Tr(
                    "Vous fournissez des informations exactes, gardez secrets vos identifiants \
                     et signalez sans délai toute compromission supposée.",
                    "You give accurate information, keep your credentials secret and report any \
                     suspected compromise without delay.",
                ),
            ],
        },
        Section {
            heading: Tr("3. Accepter ou refuser", "3. Accepting or refusing"),
            paragraphs: &[
                Tr(
                    "Vous disposez de 15 jours calendaires, à compter du lendemain de la \
                     notification, pour accepter ou refuser ; des rappels vous sont envoyés. \
                     Accepter vous révèle l'expéditeur et le contenu ; refuser les laisse cachés. \
                     Votre décision est définitive, et l'expéditeur en est informé.",
                    "You have 15 calendar days, counted from the day after the notification, to \
                     accept or refuse; reminders are sent to you. Accepting reveals the sender \
                     and the content; refusing keeps them hidden. Your decision is final, and the \
                     sender is told of it.",
                ),
                Tr(
                    "Sans décision dans ce délai, la lettre expire : elle n'est plus accessible \
                     et une preuve de non-réclamation est émise. Ne pas réclamer une lettre peut \
                     avoir les mêmes effets juridiques que la refuser.",
                    "Without a decision within this period the letter expires: it can no longer \
                     be seen and a non-claim evidence is issued. Not claiming a letter may have \
                     the same legal effects as refusing it.",
                ),
            ],
        },
        Section {
            heading: Tr("4. Preuves", "4. Evidence"),
            paragraphs: &[Tr(
                "Votre identification, votre décision et la première ouverture de chaque pièce \
                 jointe font l'objet de preuves scellées et horodatées, qui indiquent la version \
                 de ces conditions que vous avez acceptée. Après votre décision, vous pouvez \
                 télécharger le dossier de preuves de la lettre et vérifier chaque preuve sur la \
                 page publique de vérification.",
                "Your identification, your decision and the first opening of each attachment \
                 are recorded by sealed, time-stamped evidence, which states the version of these \
                 terms you accepted. After your decision you can download the letter's evidence \
                 dossier and check any evidence on the public verification page.",
            )],
        },
        Section {
            heading: Tr(
                "5. Conservation et données personnelles",
                "5. Retention and personal data",
            ),
            paragraphs: &[Tr(
                "Les preuves sont conservées 10 ans. Pli ne traite vos données personnelles que \
                 pour vous remettre la lettre et en prouver la remise ; il ne les utilise à \
                 aucune autre fin. Téléchargez les pièces d'une lettre acceptée pour les \
                 conserver vous-même.",
                "The evidence is kept for 10 years. Pli processes your personal data only to \
                 deliver the letter to you and prove its delivery; it uses it for nothing else. \
                 Download the attachments of an accepted letter to keep them yourself.",
            )],
        },
        Section {
            heading: Tr("6. Responsabilité", "6. Liability"),
            paragraphs: &[Tr(
                "Pli répond des dommages causés par un manquement à ses obligations dans les \
                 conditions de l'article 13 du règlement eIDAS. Il ne répond pas du contenu des \
                 lettres, dont l'expéditeur est seul responsable.",
                "Pli is liable for damage caused by a failure to meet its obligations under \
                 Article 13 of the eIDAS Regulation. It is not liable for the content of letters, \
                 for which the sender alone is responsible.",
            )],
        },
        Section {
            heading: Tr(
                "7. Modification et droit applicable",
                "7. Changes and governing law",
            ),
            paragraphs: &[Tr(
                "Une nouvelle version de ces conditions porte une nouvelle version et un nouvel \
                 identifiant ; la version en vigueur est celle que la page de réception vous \
                 présente. Ces conditions sont régies par le droit français et le règlement \
                 eIDAS ; la version française fait foi.",
                "A new version of these terms has a new version and a new identifier; the \
                 version in force is the one the reception page shows you. These terms are \
                 governed by French law and the eIDAS Regulation; the French version prevails.",
            )],
        },
    ],
};
