//! The accessibility statement (`/accessibilite`, issue 11) and the shell's accessibility
//! texts, in French then English. The statement follows the RGAA 4.1 model: conformity
//! status, what was tested and how, what is not accessible, contact, and the recourse to the
//! Défenseur des droits.

use crate::i18n::Tr;

pub const SKIP_TO_CONTENT: Tr = Tr("Aller au contenu", "Skip to content");

/// The footer's link: RGAA asks for the conformity status on every page.
pub const ACCESSIBILITY_LINK: Tr = Tr(
    "Accessibilité : partiellement conforme",
    "Accessibility: partially conformant",
);

pub const A11Y_TITLE: Tr = Tr("Déclaration d'accessibilité", "Accessibility statement");
pub const A11Y_LEAD: Tr = Tr(
    "Le prestataire qui exploite Pli s'engage à rendre son service accessible, conformément à \
     l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration s'applique à \
     toutes les pages de ce service.",
    "The provider operating Pli is committed to making its service accessible, in accordance \
     with Article 47 of French Law No. 2005-102 of 11 February 2005. This statement applies to \
     every page of this service.",
);

pub const A11Y_STATUS_TITLE: Tr = Tr("État de conformité", "Conformity status");
pub const A11Y_STATUS: Tr = Tr(
    "Pli est partiellement conforme avec le référentiel général d'amélioration de \
     l'accessibilité (RGAA), version 4.1 : aucun audit complet n'a encore été réalisé, et les \
     contenus listés plus bas ne sont pas accessibles.",
    "Pli is partially conformant with the French accessibility framework RGAA, version 4.1 \
     (based on WCAG 2.1 level AA): no full audit has been carried out yet, and the contents \
     listed below are not accessible.",
);

pub const A11Y_TESTED_TITLE: Tr = Tr("Ce qui est vérifié", "What is tested");
pub const A11Y_TESTED: [Tr; 3] = [
    Tr(
        "Des contrôles automatiques (axe-core, règles WCAG 2.1 niveaux A et \
         AA) passent sur chaque page et chacun de ses états — formulaires vides et avec une \
         erreur affichée, listes, lettre envoyée, lettre reçue à chaque étape —, sur ordinateur \
         et sur téléphone (navigateur Chromium) ; ils font partie des tests que toute \
         modification doit passer.",
        "Automated checks (axe-core, WCAG 2.1 level A and AA rules) run on \
         every page and each of its states — forms empty and with an error shown, lists, sent \
         letter, received letter at each step —, on desktop and on a phone (Chromium browser); \
         they are part of the tests every change must pass.",
    ),
    Tr(
        "La navigation au clavier est vérifiée par des tests : lien d'évitement « Aller au \
         contenu », focus placé sur le titre de la page après chaque changement de page, focus \
         toujours visible, erreurs de saisie reliées à leur champ et retirées une fois \
         corrigées.",
        "Keyboard navigation is checked by tests: a \"Skip to content\" link, the focus moved \
         to the page's heading after each page change, a focus always visible, input errors \
         tied to their field and removed once fixed.",
    ),
    Tr(
        "Chaque formulaire fonctionne aussi sans JavaScript.",
        "Every form also works without JavaScript.",
    ),
];

pub const A11Y_NOT_TESTED_TITLE: Tr =
    Tr("Ce qui n'est pas encore vérifié", "What is not tested yet");
pub const A11Y_NOT_TESTED: [Tr; 2] = [
    Tr(
        "Aucun audit manuel des critères du RGAA n'a été réalisé, ni aucun test avec des \
         lecteurs d'écran ou par des personnes en situation de handicap. Les contrôles \
         automatiques ne trouvent qu'une partie des défauts.",
        "No manual audit against the RGAA criteria has been carried out, nor any test with \
         screen readers or by people with disabilities. Automated checks find only some of the \
         defects.",
    ),
    Tr(
        "Les courriels envoyés par le service n'ont pas été vérifiés.",
        "The emails the service sends have not been checked.",
    ),
];

pub const A11Y_NOT_ACCESSIBLE_TITLE: Tr = Tr("Contenus non accessibles", "Non-accessible content");
pub const A11Y_NOT_ACCESSIBLE: Tr = Tr(
    "Les preuves PDF scellées et les PDF de la politique et des conditions d'utilisation ne sont \
     pas des PDF balisés (PDF/UA). Leur contenu est lisible sur les pages du service : la page \
     de vérification d'une preuve, la politique du service et les conditions d'utilisation.",
    "The sealed evidence PDFs and the PDFs of the policy and of the terms of use are not tagged \
     PDFs (PDF/UA). Their content is readable on the service's pages: the evidence \
     verification page, the service policy and the terms of use.",
);

pub const A11Y_CONTACT_TITLE: Tr = Tr("Retour d'information et contact", "Feedback and contact");
pub const A11Y_CONTACT: Tr = Tr(
    "Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez-nous : nous vous \
     indiquerons une autre façon d'y accéder ou vous le fournirons sous une autre forme.",
    "If you cannot access a content or a service, write to us: we will tell you another way to \
     reach it or provide it in another form.",
);
pub const A11Y_CONTACT_ADDRESS: Tr = Tr("Adresse :", "Address:");
/// Without a configured address (`policy.contact_email`).
pub const A11Y_CONTACT_NONE: Tr = Tr(
    "Écrivez au prestataire qui exploite ce service, à l'adresse de contact qu'il publie avec \
     sa politique et ses conditions d'utilisation.",
    "Write to the provider operating this service, at the contact address it publishes with \
     its policy and terms of use.",
);

pub const A11Y_RECOURSE_TITLE: Tr = Tr("Voies de recours", "Remedies");
pub const A11Y_RECOURSE: Tr = Tr(
    "Si vous nous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu \
     ou à un service et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez saisir \
     le Défenseur des droits :",
    "If you reported to us an accessibility defect that prevents you from accessing a content \
     or a service and did not get a satisfactory answer, you may refer the matter to the \
     Défenseur des droits (the French rights ombudsman):",
);
pub const A11Y_RECOURSE_FORM: Tr = Tr(
    "par le formulaire en ligne du Défenseur des droits",
    "through the Défenseur des droits' online form",
);
pub const A11Y_RECOURSE_DELEGATE: Tr = Tr(
    "en contactant le délégué du Défenseur des droits de votre région",
    "by contacting the Défenseur des droits' delegate in your region",
);
pub const A11Y_RECOURSE_POST: Tr = Tr(
    "par courrier, gratuit et sans timbre : Défenseur des droits, Libre réponse 71120, 75342 \
     Paris CEDEX 07.",
    "by post, free of charge and without a stamp: Défenseur des droits, Libre réponse 71120, \
     75342 Paris CEDEX 07, France.",
);

pub const A11Y_DATE_TITLE: Tr = Tr(
    "Établissement de cette déclaration",
    "Date of this statement",
);
pub const A11Y_DATE: Tr = Tr(
    "Cette déclaration a été établie le 1er décembre 2026, à partir des contrôles automatiques \
     et des tests au clavier décrits plus haut. Technologies utilisées : HTML, CSS, \
     WebAssembly.",
    "This statement was drawn up on 1 December 2026, from the automated checks and keyboard \
     tests described above. Technologies used: HTML, CSS, WebAssembly.",
);
