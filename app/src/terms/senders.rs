//! The terms of use for senders (TERMS-01, policy §2.4, §3.2): accepted at sign-up.

use super::{Document, DocumentKind, Section};
use crate::i18n::Tr;

pub(super) const SENDER_TERMS: Document = Document {
    kind: DocumentKind::SenderTerms,
    version: "2026-11",
    arc: "2.1.1",
    effective: "2026-11-01",
    announced: "2026-11-01",
    title: Tr(
        "Conditions d'utilisation de Pli — expéditeurs",
        "Pli terms of use — senders",
    ),
    summary: Tr(
        "Ces conditions s'appliquent à toute personne qui crée un compte Pli pour envoyer des \
         lettres recommandées électroniques. Elles sont acceptées à l'inscription ; la version \
         acceptée et son identifiant sont enregistrés avec le compte.",
        "These terms apply to anyone who opens a Pli account to send electronic registered \
         letters. They are accepted at sign-up; the accepted version and its identifier are \
         recorded with the account.",
    ),
    page: "/terms/senders",
    pdf: "/terms/senders.pdf",
    sections: &SECTIONS,
};

/// The sections of the first edition, which the second keeps.
const SECTIONS: [Section; 9] = [
    Section {
        heading: Tr("1. Le service", "1. The service"),
        paragraphs: &[
            Tr(
                "Pli est un service d'envoi recommandé électronique au sens de l'article 44 \
                     du règlement (UE) n° 910/2014 (eIDAS) : il achemine un envoi d'un expéditeur \
                     identifié vers un destinataire identifié et fournit, pour chaque étape, une \
                     preuve scellée et horodatée. La politique et déclaration de pratiques de \
                     Pli, publiée avec ces conditions, décrit le service en détail ; elle fait \
                     partie de ces conditions.",
                "Pli is an electronic registered delivery service within the meaning of \
                     Article 44 of Regulation (EU) No 910/2014 (eIDAS): it carries a consignment \
                     from an identified sender to an identified recipient and provides, for each \
                     step, sealed and time-stamped evidence. Pli's policy and practice statement, \
                     published with these terms, describes the service in detail; it is part of \
                     these terms.",
            ),
            Tr(
                "Une instance de Pli qui indique « environnement de développement » n'est \
                     pas un service qualifié : ses preuves n'ont aucune valeur juridique et ses \
                     données peuvent être effacées à tout moment.",
                "An instance of Pli that shows « development environment » is not a \
                     qualified service: its evidence has no legal value and its data may be \
                     erased at any time.",
            ),
        ],
    },
    Section {
        heading: Tr(
            "2. Compte et identification",
            "2. Account and identification",
        ),
        paragraphs: &[
            Tr(
                "Vous fournissez des informations exactes et à jour : votre nom, une adresse \
                     électronique que vous contrôlez. Avant votre premier envoi, vous prouvez \
                     votre identité par un moyen d'identification accepté par le service ; c'est \
                     le nom ainsi vérifié, et non celui saisi à l'inscription, qui figure dans \
                     les preuves.",
                "You give accurate, current information: your name and an email address \
                     you control. Before your first letter you prove your identity by an \
                     identification means the service accepts; the name so verified, not the \
                     one typed at sign-up, is the one the evidence shows.",
            ),
            Tr(
                "Le compte est protégé par un mot de passe et un second facteur \
                     d'authentification (application TOTP). Chaque envoi demande une session \
                     confirmée par un code depuis moins de 15 minutes. Vous gardez secrets votre \
                     mot de passe, votre application et vos codes de secours, et signalez sans \
                     délai toute compromission supposée.",
                "The account is protected by a password and a second authentication factor \
                     (a TOTP app). Every letter needs a session confirmed by a code less than 15 \
                     minutes ago. You keep your password, app and recovery codes secret, and \
                     report any suspected compromise without delay.",
            ),
        ],
    },
    Section {
        heading: Tr(
            "3. Consentement des destinataires particuliers",
            "3. Consent of private recipients",
        ),
        paragraphs: &[Tr(
            "Un particulier ne reçoit de lettre recommandée électronique que s'il y a \
                 consenti. Pli recueille ce consentement pour vous, le prouve et refuse tout \
                 envoi à un particulier qui n'a pas consenti ou a retiré son consentement. Un \
                 destinataire professionnel n'a pas à consentir.",
            "A private person receives electronic registered letters only if they agreed to. \
                 Pli asks for this consent on your behalf, proves it, and refuses any letter to a \
                 private person who has not consented or has withdrawn consent. A professional \
                 recipient need not consent.",
        )],
    },
    Section {
        heading: Tr("4. Contenu des lettres", "4. Content of the letters"),
        paragraphs: &[
            Tr(
                "Vous êtes seul responsable du contenu de vos lettres et de leur licéité. Une \
                     lettre compte un objet, un message facultatif et au moins une pièce jointe ; \
                     au plus 20 fichiers et 256 Mio par lettre. Vous n'envoyez pas de logiciel \
                     malveillant ni de contenu destiné à nuire au service ou au destinataire.",
                "You alone are responsible for the content of your letters and its \
                     lawfulness. A letter has a subject, an optional message and at least one \
                     attachment; at most 20 files and 256 MiB per letter. You do not send \
                     malware or content meant to harm the service or the recipient.",
            ),
            Tr(
                "Pli ne modifie jamais le contenu : l'empreinte SHA-256 de chaque pièce \
                     jointe est calculée à l'envoi et inscrite dans les preuves.",
                "Pli never alters the content: the SHA-256 digest of each attachment is \
                     computed when sending and written in the evidence.",
            ),
        ],
    },
    Section {
        heading: Tr(
            "5. Envoi, délais et preuves",
            "5. Sending, deadlines and evidence",
        ),
        paragraphs: &[
            Tr(
                "À l'envoi, Pli émet les preuves de dépôt et de transmission et notifie le \
                     destinataire par courriel, sans lui révéler votre identité ni le contenu. Le \
                     destinataire dispose de 15 jours calendaires, à compter du lendemain de la \
                     notification, pour accepter ou refuser ; des rappels lui sont envoyés. Faute \
                     de décision, la lettre expire et une preuve de non-réclamation est émise.",
                "When you send, Pli issues the deposit and transmission evidence and notifies \
                     the recipient by email, without revealing your identity or the content. The \
                     recipient has 15 calendar days, counted from the day after the notification, \
                     to accept or refuse; reminders are sent. Without a decision the letter \
                     expires and a non-claim evidence is issued.",
            ),
            Tr(
                "Chaque preuve est scellée par le cachet électronique de Pli et horodatée. \
                     Vous pouvez à tout moment télécharger le dossier de preuves de chaque lettre \
                     et vérifier chaque preuve sur la page publique de vérification.",
                "Every evidence is sealed with Pli's electronic seal and time-stamped. You \
                     can download the evidence dossier of each letter at any time and check any \
                     evidence on the public verification page.",
            ),
        ],
    },
    Section {
        heading: Tr(
            "6. Conservation et données personnelles",
            "6. Retention and personal data",
        ),
        paragraphs: &[Tr(
            "Les preuves et le journal qui les enchaîne sont conservés 10 ans. Pli ne traite \
                 vos données personnelles que pour fournir le service et en prouver le \
                 fonctionnement ; la politique du service précise ce qui est conservé et combien \
                 de temps.",
            "The evidence and the journal that chains it are kept for 10 years. Pli \
                 processes your personal data only to provide the service and prove how it ran; \
                 the service policy says what is kept and for how long.",
        )],
    },
    Section {
        heading: Tr(
            "7. Disponibilité et responsabilité",
            "7. Availability and liability",
        ),
        paragraphs: &[Tr(
            "Pli s'efforce de rendre le service disponible en permanence, sauf maintenance \
                 annoncée. Pli répond des dommages causés par un manquement à ses obligations \
                 dans les conditions de l'article 13 du règlement eIDAS ; il ne répond pas du \
                 contenu des lettres, ni des conséquences d'identifiants que vous n'avez pas \
                 protégés.",
            "Pli strives to keep the service available at all times, except for announced \
                 maintenance. Pli is liable for damage caused by a failure to meet its \
                 obligations under Article 13 of the eIDAS Regulation; it is not liable for the \
                 content of letters, nor for the consequences of credentials you did not \
                 protect.",
        )],
    },
    Section {
        heading: Tr("8. Modification et fin", "8. Changes and termination"),
        paragraphs: &[
            Tr(
                "Une nouvelle version de ces conditions porte une nouvelle version et un \
                     nouvel identifiant ; elle est publiée au moins un mois avant d'entrer en \
                     vigueur et doit être acceptée pour continuer à envoyer. Les lettres déjà \
                     envoyées restent régies par la version acceptée lors de leur envoi.",
                "A new version of these terms has a new version and a new identifier; it is \
                     published at least one month before it applies and must be accepted to keep \
                     sending. Letters already sent remain governed by the version accepted when \
                     they were sent.",
            ),
            Tr(
                "Vous pouvez désactiver votre compte depuis votre profil ; vos preuves restent \
                     conservées et vérifiables. Si Pli cesse son activité, les preuves restent \
                     accessibles et vérifiables comme le prévoit la politique.",
                "You can deactivate your account from your profile; your evidence stays kept \
                     and verifiable. If Pli ceases operating, the evidence stays accessible and \
                     verifiable as the policy provides.",
            ),
        ],
    },
    Section {
        heading: Tr("9. Droit applicable", "9. Governing law"),
        paragraphs: &[Tr(
            "Ces conditions sont régies par le droit français et le règlement eIDAS. La \
                 version française fait foi.",
            "These terms are governed by French law and the eIDAS Regulation. The French \
                 version prevails.",
        )],
    },
];

/// The second edition (OPS-07): the first's sections and one on acting for a company (issue
/// 13), announced on 1 December 2026, in force from 15 January 2027.
pub(super) const SENDER_TERMS_2027_01: Document = Document {
    version: "2027-01",
    arc: "2.1.2",
    effective: "2027-01-15",
    announced: "2026-12-01",
    sections: &[
        SECTIONS[0],
        SECTIONS[1],
        SECTIONS[2],
        SECTIONS[3],
        SECTIONS[4],
        SECTIONS[5],
        SECTIONS[6],
        SECTIONS[7],
        SECTIONS[8],
        SENDER_TERMS_2027_01_SECTION,
    ],
    ..SENDER_TERMS
};

/// What the second edition adds: acting for a company (policy §4.2, §4.5, §4.7).
pub const SENDER_TERMS_2027_01_SECTION: Section = Section {
    heading: Tr("10. Agir pour une société", "10. Acting for a company"),
    paragraphs: &[
        Tr(
            "Vous pouvez envoyer et recevoir des lettres pour une société inscrite au registre \
             du commerce français ou luxembourgeois, comme son représentant légal ou comme \
             délégataire muni d'une procuration datée et signée par lui. Vous fournissez un \
             extrait du registre de moins de 3 mois, et ceux des sociétés qui la dirigent \
             jusqu'à la première personne physique ; un délégataire fournit aussi la procuration \
             (de moins de 3 mois) et la pièce d'identité du représentant légal, recto et verso.",
            "You may send and receive letters for a company of the French or Luxembourg trade \
             register, as its legal representative or as a delegate holding a power of attorney \
             dated and signed by them. You provide an extract of the register less than 3 months \
             old, and those of the companies leading it up to the first natural person; a \
             delegate also provides the power of attorney (less than 3 months old) and the legal \
             representative's ID document, front and back.",
        ),
        Tr(
            "Un opérateur de contrôle d'identité de Pli vérifie ces documents avant que vous \
             puissiez agir pour la société. Chaque téléversement et chaque vérification donne lieu \
             à une preuve scellée, jointe au dossier de preuves des lettres envoyées pour la \
             société. La procuration et la pièce d'identité ne sont conservées que 60 jours, puis \
             supprimées ; leurs empreintes et les preuves restent. Le représentant légal peut \
             révoquer un délégataire à tout moment.",
            "A Pli identity-check operator verifies these documents before you may act for the \
             company. Each upload and each verification yields a sealed evidence, attached to the \
             evidence dossier of the letters sent for the company. The power of attorney and the \
             ID document are kept for 60 days only, then deleted; their hashes and the evidence \
             stay. The legal representative may revoke a delegate at any time.",
        ),
    ],
};
