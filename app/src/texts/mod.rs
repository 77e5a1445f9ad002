//! Every text of the interface, in French then English: those of the shell and of the pages
//! for everyone here, the others by area. The areas but `contacts` are re-exported, so that
//! a text is `texts::NAME` wherever it is kept.

mod accessibility;
mod account;
pub mod contacts;
pub mod customers;
mod dev;
pub mod entities;
mod errors;
mod first_steps;
pub mod incidents;
pub mod operators;
pub mod passkeys;
mod password;
mod policy;
pub mod seal_keys;
mod verify;

pub use accessibility::*;
pub use account::*;
pub use dev::*;
pub use errors::*;
pub use first_steps::*;
pub use password::*;
pub use policy::*;
pub use verify::*;

use crate::i18n::Tr;

pub const BRAND_TAGLINE: Tr = Tr(
    "Lettre recommandée électronique",
    "Electronic registered letter",
);

pub const SWITCH_TO_OTHER: Tr = Tr("English", "Français");
pub const SWITCH_LABEL: Tr = Tr("Switch to English", "Passer en français");

pub const NAV_HOME: Tr = Tr("Accueil", "Home");
pub const NAV_SIGN_IN: Tr = Tr("Se connecter", "Sign in");
pub const NAV_SIGN_UP: Tr = Tr("Créer un compte", "Sign up");
pub const NAV_VERIFY: Tr = Tr("Vérifier une preuve", "Verify evidence");
pub const NAV_POLICY: Tr = Tr("Politique du service", "Service policy");
pub const NAV_MAILBOX: Tr = Tr("Boîte mail de développement", "Development mailbox");
pub const NAV_CLOCK: Tr = Tr("Horloge de développement", "Development clock");
pub const NAV_EVIDENCE: Tr = Tr("Preuves émises", "Issued evidence");

pub const DEV_BANNER: Tr = Tr(
    "Environnement de développement : service non qualifié, sans valeur juridique.",
    "Development environment: not a qualified service, no legal value.",
);

pub const HOME_TITLE: Tr = Tr(
    "La lettre recommandée électronique, avec accusé de réception",
    "The electronic registered letter, with acknowledgement of receipt",
);
pub const HOME_LEAD: Tr = Tr(
    "Pli envoie vos documents avec la même valeur juridique qu'une lettre recommandée papier \
     avec accusé de réception (règlement eIDAS, article 44 ; code des postes et des \
     communications électroniques, article L. 100).",
    "Pli sends your documents with the same legal effect as a paper registered letter with \
     acknowledgement of receipt (eIDAS Regulation, Article 44; French Postal and Electronic \
     Communications Code, Article L. 100).",
);
pub const HOME_HOW: Tr = Tr("Comment ça marche", "How it works");
pub const HOME_STEP_1: Tr = Tr(
    "L'expéditeur prouve son identité une fois, puis se connecte avec un second facteur.",
    "The sender proves their identity once, then signs in with a second factor.",
);
pub const HOME_STEP_2: Tr = Tr(
    "Il dépose ses documents : leur empreinte SHA-256 est calculée dans votre navigateur.",
    "They deposit their documents: their SHA-256 fingerprint is computed in your browser.",
);
pub const HOME_STEP_3: Tr = Tr(
    "Le destinataire est prévenu par courriel sans connaître l'expéditeur, s'identifie et \
     accepte ou refuse dans les 15 jours.",
    "The recipient is notified by email without learning the sender, identifies, and accepts \
     or refuses within 15 days.",
);
pub const HOME_STEP_4: Tr = Tr(
    "Chaque étape produit une preuve PDF scellée et horodatée, vérifiable par tous avec des \
     outils standard, pendant au moins 10 ans.",
    "Every step produces a sealed, time-stamped PDF evidence that anyone can verify with \
     standard tools for at least 10 years.",
);
pub const HOME_START: Tr = Tr("Commencer", "Get started");
pub const HOME_VERIFY_LEAD: Tr = Tr(
    "Vous avez reçu une preuve ? Vérifiez-la sans compte.",
    "Received an evidence document? Verify it without an account.",
);

pub const SOON: Tr = Tr(
    "Cette fonction arrive bientôt : elle n'est pas encore disponible.",
    "This feature is coming soon: it is not available yet.",
);

pub const LOADING: Tr = Tr("Chargement…", "Loading…");

pub const NOT_FOUND_TITLE: Tr = Tr("Page introuvable", "Page not found");
pub const NOT_FOUND: Tr = Tr(
    "Aucune page ne se trouve à cette adresse. Vérifiez-la, ou repartez de l'accueil.",
    "There is no page at this address. Check it, or start again from the home page.",
);

pub const DEV_ONLY: Tr = Tr(
    "Cette page n'existe qu'en mode développement.",
    "This page exists only in development mode.",
);
