//! Pli's own policy and practice statement (TERMS-01, OPS-07, EVD-07): what the service
//! commits to and how it works, in its own words. Its OID is the policy OID written in every
//! evidence (`[policy] oid`).

use super::{Document, DocumentKind, Section};
use crate::i18n::Tr;

pub(super) const STATEMENT: Document = Document {
    kind: DocumentKind::Policy,
    version: "2026-11",
    arc: "",
    effective: "2026-11-01",
    announced: "2026-11-01",
    title: Tr(
        "Politique et déclaration de pratiques du service Pli",
        "Pli service policy and practice statement",
    ),
    summary: Tr(
        "Ce document dit ce que Pli, service d'envoi recommandé électronique, garantit à ses \
         utilisateurs et à quiconque s'appuie sur ses preuves, et comment il le met en œuvre. \
         Son identifiant (OID) figure dans chaque preuve émise sous cette politique.",
        "This document states what Pli, an electronic registered delivery service, guarantees \
         to its users and to anyone relying on its evidence, and how it does so. Its identifier \
         (OID) is written in every evidence issued under this policy.",
    ),
    page: "/policy",
    pdf: "/policy.pdf",
    sections: &[
        Section {
            heading: Tr("1. Objet et statut", "1. Purpose and status"),
            paragraphs: &[
                Tr(
                    "Pli est un logiciel libre qui met en œuvre un service d'envoi recommandé \
                     électronique qualifié au sens des articles 43 et 44 du règlement (UE) \
                     n° 910/2014 (eIDAS). Le prestataire qui l'exploite est le prestataire de \
                     services de confiance ; il publie ce document, le tient à jour et répond du \
                     service.",
                    "Pli is free software implementing a qualified electronic registered \
                     delivery service within the meaning of Articles 43 and 44 of Regulation (EU) \
                     No 910/2014 (eIDAS). The provider who operates it is the trust service \
                     provider; it publishes this document, keeps it current and answers for the \
                     service.",
                ),
                Tr(
                    "Une instance en mode développement n'est pas qualifiée et le dit sur chaque \
                     page : son autorité racine et son unité d'horodatage sont créées localement, \
                     la vérification d'identité est simulée, les courriels restent dans une boîte \
                     de développement et l'horloge peut être avancée. Ses preuves n'ont aucune \
                     valeur juridique.",
                    "An instance in development mode is not qualified and says so on every page: \
                     its root authority and time-stamping unit are created locally, identity \
                     proofing is simulated, emails stay in a development mailbox and the clock \
                     can be moved forward. Its evidence has no legal value.",
                ),
            ],
        },
        Section {
            heading: Tr(
                "2. Identification du document et documents publiés",
                "2. Document identification and published documents",
            ),
            paragraphs: &[
                Tr(
                    "Ce document est identifié par l'OID de la politique, configuré par le \
                     prestataire sous son propre arc et affiché en tête de cette page. Les \
                     conditions d'utilisation en dépendent : l'arc « .2.1 » pour les expéditeurs, \
                     « .2.2 » pour les destinataires, suivi du numéro d'édition.",
                    "This document is identified by the policy OID, configured by the provider \
                     under its own arc and shown at the top of this page. The terms of use hang \
                     below it: arc « .2.1 » for senders, « .2.2 » for recipients, followed by the \
                     edition number.",
                ),
                Tr(
                    "Le prestataire publie librement, sans authentification : ce document, les \
                     deux jeux de conditions d'utilisation (pages et PDF avec leur empreinte \
                     SHA-256), le certificat de l'autorité racine, celui du cachet des preuves et \
                     celui de l'unité d'horodatage, ainsi qu'une page de vérification des preuves.",
                    "The provider publishes freely, without authentication: this document, both \
                     sets of terms of use (pages and PDFs with their SHA-256 digest), the root \
                     authority's certificate, the evidence seal certificate and the \
                     time-stamping unit's certificate, and an evidence verification page.",
                ),
                Tr(
                    "Toute nouvelle version importante reçoit un nouvel OID ; elle est publiée au \
                     moins 72 heures avant d'entrer en vigueur, et les utilisateurs en sont \
                     informés au moins un mois à l'avance. Les preuves déjà émises restent \
                     régies par la version dont elles portent l'OID.",
                    "Every significant new version gets a new OID; it is published at least 72 \
                     hours before it applies, and users are told at least one month ahead. \
                     Evidence already issued remains governed by the version whose OID it bears.",
                ),
            ],
        },
        Section {
            heading: Tr("3. Parties et obligations", "3. Parties and obligations"),
            paragraphs: &[
                Tr(
                    "Le prestataire exploite le service conformément à ce document, au règlement \
                     eIDAS et au droit applicable ; il répond des tiers auxquels il confie une \
                     partie du service (hébergement, vérification d'identité, horodatage).",
                    "The provider operates the service according to this document, the eIDAS \
                     Regulation and the applicable law; it answers for the third parties to \
                     which it entrusts part of the service (hosting, identity proofing, \
                     time-stamping).",
                ),
                Tr(
                    "L'expéditeur accepte les conditions d'utilisation des expéditeurs à \
                     l'inscription, fournit des informations exactes, prouve son identité, \
                     protège ses moyens d'authentification, obtient par le service le \
                     consentement des destinataires particuliers et répond du contenu qu'il \
                     envoie.",
                    "The sender accepts the sender terms at sign-up, gives accurate information, \
                     proves their identity, protects their means of authentication, obtains \
                     through the service the consent of private recipients and answers for the \
                     content they send.",
                ),
                Tr(
                    "Le destinataire accepte les conditions d'utilisation des destinataires à \
                     chaque réception, avant de décider ; il prouve son identité, protège ses \
                     moyens d'authentification et décide dans le délai.",
                    "The recipient accepts the recipient terms at each reception, before \
                     deciding; they prove their identity, protect their means of authentication \
                     and decide within the period.",
                ),
                Tr(
                    "Quiconque s'appuie sur une preuve la vérifie (cachet, chaîne de \
                     certificats, horodatage, intégrité) avec la page de vérification ou tout \
                     outil PAdES indépendant.",
                    "Anyone relying on an evidence checks it (seal, certificate chain, time-stamp, \
                     integrity) with the verification page or any independent PAdES tool.",
                ),
            ],
        },
        Section {
            heading: Tr(
                "4. Identification et authentification",
                "4. Identification and authentication",
            ),
            paragraphs: &[
                Tr(
                    "L'expéditeur et le destinataire sont identifiés avec un haut niveau de \
                     confiance par un prestataire de vérification d'identité à distance dont le \
                     résultat fait l'objet d'une preuve d'identification. Le nom vérifié, jamais \
                     le nom déclaré, figure dans les preuves. La lettre n'est remise qu'à la \
                     personne dont le nom vérifié correspond à celui donné par l'expéditeur ; \
                     une autre personne n'en apprend rien, et l'expéditeur est informé.",
                    "The sender and the recipient are identified with a high level of confidence \
                     by a remote identity-proofing provider whose result is recorded by an \
                     identification evidence. The verified name, never the declared one, appears \
                     in the evidence. The letter is delivered only to the person whose verified \
                     name matches the one the sender gave; anybody else learns nothing of it, and \
                     the sender is told.",
                ),
                Tr(
                    "Les comptes sont protégés par un mot de passe (haché par argon2id) et un \
                     second facteur TOTP. Toute action qualifiée (envoyer, accepter, refuser, \
                     ouvrir) exige une session confirmée par un code depuis moins de 15 minutes, \
                     ou, pour un destinataire sans compte, une session de réception de 15 \
                     minutes ouverte par sa vérification d'identité. Les identifiants de ces \
                     sessions figurent dans les preuves.",
                    "Accounts are protected by a password (hashed with argon2id) and a TOTP \
                     second factor. Every qualified action (sending, accepting, refusing, \
                     opening) needs a session confirmed by a code less than 15 minutes ago, or, \
                     for a recipient without an account, a 15-minute reception session opened by \
                     their identity proofing. The identifiers of these sessions appear in the \
                     evidence.",
                ),
            ],
        },
        Section {
            heading: Tr("5. Consentement", "5. Consent"),
            paragraphs: &[Tr(
                "Un particulier ne reçoit de lettre que s'il y a consenti. La demande de \
                 consentement révèle l'identité vérifiée de l'expéditeur ; l'accord, le refus et \
                 le retrait sont prouvés. Une demande sans réponse expire après 30 jours.",
                "A private person receives letters only if they consented. The consent request \
                 reveals the sender's verified identity; agreement, refusal and withdrawal are \
                 proven. A request left unanswered expires after 30 days.",
            )],
        },
        Section {
            heading: Tr("6. Vie d'une lettre", "6. Life of a letter"),
            paragraphs: &[
                Tr(
                    "À l'envoi, le service calcule l'empreinte de chaque pièce jointe, émet les \
                     preuves de dépôt, de transmission et le récapitulatif, puis notifie le \
                     destinataire par courriel sans révéler l'expéditeur ni le contenu. Rien \
                     n'est enregistré si une preuve ne peut être scellée et horodatée.",
                    "When sending, the service computes the digest of each attachment, issues \
                     the deposit and transmission evidence and the summary, then notifies the \
                     recipient by email without revealing the sender or the content. Nothing is \
                     recorded if an evidence cannot be sealed and time-stamped.",
                ),
                Tr(
                    "Le destinataire dispose de 15 jours calendaires, comptés dans le fuseau \
                     légal à partir du lendemain de la notification, pour accepter ou refuser ; \
                     des rappels sont envoyés les 4e, 8e et 12e jours. Sans décision, la lettre \
                     expire à 0 h le 16e jour et une preuve de non-réclamation est émise. Chaque \
                     décision est prouvée et annoncée aux deux parties ; le contenu n'est jamais \
                     modifié.",
                    "The recipient has 15 calendar days, counted in the legal time zone from the \
                     day after the notification, to accept or refuse; reminders are sent on days \
                     4, 8 and 12. Without a decision, the letter expires at 00:00 on day 16 and a \
                     non-claim evidence is issued. Every decision is proven and announced to both \
                     parties; the content is never altered.",
                ),
            ],
        },
        Section {
            heading: Tr(
                "7. Preuves, cachet et horodatage",
                "7. Evidence, seal and time-stamping",
            ),
            paragraphs: &[
                Tr(
                    "Chaque étape donne lieu à une preuve : un document PDF lisible, en français \
                     et en anglais, portant un identifiant unique, l'heure exacte de l'événement \
                     (UTC), les parties, les sessions, les empreintes des fichiers concernés et \
                     l'OID de cette politique, avec ses données jointes en XML selon ETSI EN 319 \
                     522-3. Les preuves de décision indiquent aussi la version et l'OID des \
                     conditions acceptées par le destinataire.",
                    "Each step yields an evidence: a readable PDF document, in French and \
                     English, bearing a unique identifier, the exact event time (UTC), the \
                     parties, the sessions, the digests of the files concerned and the OID of \
                     this policy, with its data attached as XML per ETSI EN 319 522-3. Decision \
                     evidence also states the version and OID of the terms the recipient \
                     accepted.",
                ),
                Tr(
                    "Chaque preuve est scellée (PAdES) par une clé RSA de 3072 bits générée et \
                     utilisée uniquement dans un module matériel de sécurité (HSM), avec un \
                     certificat de cachet qualifié, et horodatée (RFC 3161) par une unité \
                     d'horodatage qualifiée. Toute personne peut la vérifier sur la page de \
                     vérification ou avec des outils indépendants, et comparer un fichier à \
                     l'empreinte qu'elle indique.",
                    "Every evidence is sealed (PAdES) with an RSA 3072-bit key generated and used \
                     only inside a hardware security module (HSM), under a qualified seal \
                     certificate, and time-stamped (RFC 3161) by a qualified time-stamping unit. \
                     Anyone can check it on the verification page or with independent tools, \
                     and compare a file with the digest it records.",
                ),
            ],
        },
        Section {
            heading: Tr("8. Journal et conservation", "8. Journal and retention"),
            paragraphs: &[
                Tr(
                    "Chaque preuve et chaque événement enregistré sont chaînés dans un journal : \
                     supprimer, réordonner ou modifier une entrée rompt la chaîne. Un point de \
                     contrôle de la tête du journal est scellé et horodaté périodiquement.",
                    "Every evidence and every recorded event are chained in a journal: deleting, \
                     reordering or altering an entry breaks the chain. A checkpoint of the \
                     journal's head is sealed and time-stamped periodically.",
                ),
                Tr(
                    "Les preuves sont conservées 10 ans et restent vérifiables après l'expiration \
                     des certificats ; les journaux techniques 2 ans. Les données personnelles ne \
                     sont conservées qu'autant que la preuve l'exige.",
                    "Evidence is kept for 10 years and remains verifiable after the certificates \
                     expire; technical logs for 2 years. Personal data is kept only as long as \
                     the evidence requires.",
                ),
            ],
        },
        Section {
            heading: Tr("9. Sécurité", "9. Security"),
            paragraphs: &[Tr(
                "Les clés de cachet ne quittent jamais le HSM. Les échanges sont chiffrés \
                 (TLS), les secrets d'accès ne sont conservés que sous forme d'empreinte, les \
                 liens envoyés par courriel sont à usage unique et de courte durée, les \
                 tentatives répétées sont limitées. Les rôles d'exploitation sont séparés et \
                 chaque action d'un utilisateur ou d'un opérateur est journalisée. Les incidents \
                 de sécurité sont enregistrés et signalés à l'organe de contrôle dans les 24 \
                 heures.",
                "Seal keys never leave the HSM. Traffic is encrypted (TLS), access secrets are \
                 kept only as digests, emailed links are single-use and short-lived, repeated \
                 attempts are limited. Operating roles are separated and every action of a user \
                 or operator is journaled. Security incidents are recorded and reported to the \
                 supervisory body within 24 hours.",
            )],
        },
        Section {
            heading: Tr(
                "10. Disponibilité et continuité",
                "10. Availability and continuity",
            ),
            paragraphs: &[Tr(
                "Le service et les informations publiées sont accessibles en permanence, sauf \
                 maintenance annoncée. Les données sont sauvegardées chaque jour et leur \
                 restauration est éprouvée. Une preuve qui ne peut être scellée n'est jamais \
                 remplacée par une preuve incomplète : l'action échoue et peut être reprise.",
                "The service and the published information are available at all times, except \
                 for announced maintenance. Data is backed up daily and its restoration tested. \
                 An evidence that cannot be sealed is never replaced by an incomplete one: the \
                 action fails and can be retried.",
            )],
        },
        Section {
            heading: Tr("11. Responsabilité", "11. Liability"),
            paragraphs: &[Tr(
                "Le prestataire répond, dans les conditions de l'article 13 du règlement eIDAS, \
                 des dommages causés intentionnellement ou par négligence par un manquement à \
                 ses obligations. Il ne répond ni du contenu des lettres ni de l'usage de moyens \
                 d'authentification que leur titulaire n'a pas protégés.",
                "The provider is liable, under Article 13 of the eIDAS Regulation, for damage \
                 caused intentionally or negligently by a failure to meet its obligations. It is \
                 liable neither for the content of letters nor for the use of means of \
                 authentication their holder did not protect.",
            )],
        },
        Section {
            heading: Tr("12. Cessation d'activité", "12. Termination of the service"),
            paragraphs: &[Tr(
                "Le prestataire annonce toute cessation au moins trois mois à l'avance à \
                 l'organe de contrôle et aux utilisateurs. Le service cesse alors d'accepter de \
                 nouveaux envois, laisse aux utilisateurs l'accès à leurs lettres et à leurs \
                 dossiers de preuves, et transmet les preuves, le journal et les certificats \
                 publiés à un dépositaire qui les garde vérifiables jusqu'au terme de leur durée \
                 de conservation.",
                "The provider announces any termination at least three months ahead to the \
                 supervisory body and to the users. The service then stops accepting new \
                 letters, leaves users access to their letters and evidence dossiers, and hands \
                 the evidence, the journal and the published certificates to a custodian who \
                 keeps them verifiable until the end of their retention period.",
            )],
        },
        Section {
            heading: Tr(
                "13. Audit et droit applicable",
                "13. Audit and governing law",
            ),
            paragraphs: &[Tr(
                "Le service est évalué par un organisme d'évaluation de la conformité au moins \
                 tous les 24 mois. Ce document est régi par le droit français et le règlement \
                 eIDAS ; la version française fait foi.",
                "The service is assessed by a conformity assessment body at least every 24 \
                 months. This document is governed by French law and the eIDAS Regulation; the \
                 French version prevails.",
            )],
        },
    ],
};
