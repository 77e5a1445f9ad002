//! The back office's texts (issue 13): the trusted roles (policy §13.1.3) and the refusals of
//! the role and dual-control rules.

use domain::roles::TrustedRole;

use crate::i18n::Tr;

/// The name of a trusted role, as the policy gives it.
pub fn role_label(role: TrustedRole) -> Tr {
    match role {
        TrustedRole::SecurityOfficer => Tr("Responsable de la sécurité", "Security officer"),
        TrustedRole::SealOfficer => Tr("Responsable du cachet", "Seal officer"),
        TrustedRole::ServiceManager => {
            Tr("Responsable de la gestion du service", "Service manager")
        }
        TrustedRole::SystemAdministrator => Tr("Administrateur système", "System administrator"),
        TrustedRole::SystemOperator => Tr("Opérateur système", "System operator"),
        TrustedRole::BusinessOperator => Tr("Opérateur commercial", "Business operator"),
        TrustedRole::SystemAuditor => Tr("Auditeur système", "System auditor"),
        TrustedRole::IdentityCheckOperator => Tr(
            "Opérateur de contrôle d'identité",
            "Identity-check operator",
        ),
        TrustedRole::IdentityVerificationManager => Tr(
            "Responsable de la vérification d'identité",
            "Identity-verification manager",
        ),
        TrustedRole::Archivist => Tr("Archiviste", "Archivist"),
    }
}

pub const ERR_OPERATOR_ONLY: Tr = Tr(
    "Cette page est réservée au personnel de confiance du service, avec un rôle en vigueur.",
    "This page is for the service's trusted staff, with a role in effect.",
);
pub const ERR_ROLE_CONFLICT: Tr = Tr(
    "Les rôles « {held} » et « {role} » ne peuvent pas être confiés à la même personne (politique, §13.1.2).",
    "The roles “{held}” and “{role}” cannot be given to the same person (policy, §13.1.2).",
);
pub const ERR_ROLE_HELD: Tr = Tr(
    "Cette personne détient déjà ce rôle, ou il lui a déjà été proposé ou demandé.",
    "This person already holds this role, or it was already offered or requested for them.",
);
pub const ERR_OWN_REQUEST: Tr = Tr(
    "Une seconde personne de confiance doit approuver cette demande (double contrôle) : vous ne pouvez pas approuver la vôtre.",
    "A second trusted person must approve this request (dual control): you cannot approve your own.",
);
pub const ERR_REQUEST_CLOSED: Tr = Tr(
    "Cette demande n'est plus en attente : elle a été approuvée, rejetée, ou a expiré après 24 heures.",
    "This request is no longer pending: it was approved, rejected, or expired after 24 hours.",
);

pub const BACK_OFFICE_TITLE: Tr = Tr("Back-office", "Back office");
pub const BACK_OFFICE_LEAD: Tr = Tr(
    "Réservé au personnel de confiance du service. Chaque action y est journalisée ; l'attribution et le retrait d'un rôle demandent deux responsables de la sécurité (double contrôle).",
    "For the service's trusted staff only. Every action here is journaled; granting or removing a role takes two security officers (dual control).",
);
pub const OTP_NEEDED_BACK_OFFICE: Tr = Tr(
    "Saisissez un code récent de votre application d'authentification pour ouvrir le back-office.",
    "Enter a fresh code from your authenticator app to open the back office.",
);
pub const MY_ROLES: Tr = Tr("Vos rôles", "Your roles");
pub const OFFERS_TITLE: Tr = Tr("Rôles qui vous sont proposés", "Roles offered to you");
pub const OFFERS_LEAD: Tr = Tr(
    "Un rôle de confiance ne prend effet que lorsque vous l'acceptez explicitement (politique, §13.1.3).",
    "A trusted role takes effect only when you explicitly accept it (policy, §13.1.3).",
);
pub const OFFER_ACCEPT: Tr = Tr("Accepter ce rôle", "Accept this role");
pub const OFFER_DECLINE: Tr = Tr("Refuser", "Decline");
pub const REQUEST_TITLE: Tr = Tr("Demander un rôle", "Request a role");
pub const FIELD_PERSON_EMAIL: Tr = Tr("Adresse de la personne", "The person's address");
pub const FIELD_ROLE: Tr = Tr("Rôle", "Role");
pub const REQUEST_SUBMIT: Tr = Tr(
    "Demander (un second responsable approuvera)",
    "Request (a second officer will approve)",
);
pub const REQUESTS_TITLE: Tr = Tr("Demandes en attente", "Pending requests");
pub const REQUESTS_EMPTY: Tr = Tr("Aucune demande en attente.", "No pending request.");
pub const REQUEST_GRANT: Tr = Tr("Attribuer", "Grant");
pub const REQUEST_REMOVE: Tr = Tr("Retirer", "Remove");
pub const REQUESTED_BY: Tr = Tr("demandé par", "requested by");
pub const EXPIRES: Tr = Tr("expire le", "expires on");
pub const APPROVE: Tr = Tr("Approuver", "Approve");
pub const REJECT: Tr = Tr("Rejeter", "Reject");
pub const WITHDRAW: Tr = Tr("Retirer ma demande", "Withdraw my request");
pub const ASSIGNMENTS_TITLE: Tr = Tr("Rôles attribués", "Roles given");
pub const ASSIGNMENT_OFFERED: Tr = Tr("proposé, pas encore accepté", "offered, not yet accepted");
pub const ASSIGNMENT_ACTIVE: Tr = Tr("en vigueur", "in effect");
pub const ASSIGNMENT_REMOVE: Tr = Tr("Demander le retrait", "Request removal");
pub const DONE: Tr = Tr("C'est enregistré et journalisé.", "Done, and journaled.");
pub const JOURNAL_TITLE: Tr = Tr("Journal (lecture seule)", "Journal (read-only)");
pub const JOURNAL_LEAD: Tr = Tr(
    "Les événements enregistrés, chaînés et scellés. L'export donne, ligne par ligne, chaque document tel que son empreinte est chaînée.",
    "The recorded events, chained and sealed. The export gives, line by line, each document as its digest is chained.",
);
pub const FIELD_FROM: Tr = Tr("Du", "From");
pub const FIELD_TO: Tr = Tr("Au (inclus)", "To (included)");
pub const JOURNAL_SHOW: Tr = Tr("Afficher", "Show");
pub const JOURNAL_EXPORT: Tr = Tr(
    "Exporter la période (JSON Lines)",
    "Export the period (JSON Lines)",
);
pub const JOURNAL_EMPTY: Tr = Tr(
    "Aucun événement sur cette période.",
    "No event in this period.",
);
pub const JOURNAL_MORE: Tr = Tr(
    "Seuls les 200 premiers sont affichés : l'export les contient tous.",
    "Only the first 200 are shown: the export has them all.",
);
pub const LEDGER_VERIFY: Tr = Tr(
    "Vérifier l'intégrité du journal",
    "Verify the journal's integrity",
);
pub const LEDGER_INTACT: Tr = Tr("Journal intact", "Journal intact");
pub const LEDGER_BROKEN: Tr = Tr("Journal ROMPU", "Journal BROKEN");
pub const LEDGER_ENTRIES: Tr = Tr("entrées", "entries");
pub const LEDGER_HEAD: Tr = Tr("tête", "head");
