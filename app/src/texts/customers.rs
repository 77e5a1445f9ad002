//! The texts of the customers (issue 13; policy §4.3, §4.4): the customer space, the
//! business operator's register, and their refusals.

use domain::customers::{CustomerRefusal, CustomerRole};

use crate::i18n::{Lang, Tr};

/// The sentence for a refusal.
pub fn refusal(refusal: CustomerRefusal, lang: Lang) -> String {
    let text = match refusal {
        CustomerRefusal::NotACustomer => Tr(
            "Pour envoyer une lettre recommandée, votre compte doit être rattaché à un client sous contrat (politique, §4.3) : acceptez l'invitation de l'administrateur de votre organisation, ou contactez le service. Voir « Espace client ».",
            "To send a registered letter, your account must belong to a customer under contract (policy, §4.3): accept the invitation of your organisation's administrator, or contact the service. See “Customer space”.",
        ),
        CustomerRefusal::ContractReference => Tr(
            "Indiquez la référence du contrat (64 caractères au plus, sur une ligne).",
            "Enter the contract's reference (at most 64 characters, on one line).",
        ),
        CustomerRefusal::ContractExists => Tr(
            "Un client est déjà enregistré avec cette référence de contrat.",
            "A customer is already recorded with this contract reference.",
        ),
        CustomerRefusal::ContractDate => Tr(
            "La date de signature du contrat doit être une date passée, au format AAAA-MM-JJ.",
            "The contract's signature date must be a past date, as YYYY-MM-DD.",
        ),
        CustomerRefusal::ContractEnded => Tr(
            "Le contrat de ce client a pris fin : plus aucun envoi ni invitation n'est possible en son nom.",
            "This customer's contract has ended: no more letters or invitations in its name.",
        ),
        CustomerRefusal::AlreadyInvited => Tr(
            "Cette adresse est déjà utilisatrice de ce client, ou déjà invitée.",
            "This address is already a user of this customer, or already invited.",
        ),
        CustomerRefusal::OtherCustomer => Tr(
            "Votre compte est déjà rattaché à un client : un compte n'envoie que pour un client à la fois. Demandez d'abord à son administrateur de vous retirer.",
            "Your account already belongs to a customer: an account sends for one customer at a time. First ask its administrator to remove you.",
        ),
        CustomerRefusal::InvitationClosed => Tr(
            "Cette invitation n'est plus valable : elle a été acceptée, refusée ou annulée, ou a expiré après 15 jours.",
            "This invitation is no longer valid: it was accepted, declined or withdrawn, or expired after 15 days.",
        ),
        CustomerRefusal::LastAdministrator => Tr(
            "Le dernier administrateur d'un client ne peut pas être retiré : nommez d'abord un autre administrateur.",
            "A customer's last administrator cannot be removed: first make somebody else administrator.",
        ),
        CustomerRefusal::AdministratorOnly => Tr(
            "Réservé aux administrateurs de ce client et aux opérateurs commerciaux du service.",
            "For this customer's administrators and the service's business operators only.",
        ),
    };
    text.get(lang).to_owned()
}

pub fn role_label(role: CustomerRole) -> Tr {
    match role {
        CustomerRole::Administrator => Tr("Administrateur", "Administrator"),
        CustomerRole::User => Tr("Utilisateur", "User"),
    }
}

/// The label of a role code, or the code itself.
pub fn role_code_label(code: &str, lang: Lang) -> String {
    CustomerRole::from_code(code)
        .map_or_else(|| code.to_owned(), |r| role_label(r).get(lang).to_owned())
}

pub const SPACE_TITLE: Tr = Tr("Espace client", "Customer space");
pub const SPACE_LEAD: Tr = Tr(
    "Les expéditeurs sont clients du service : un compte envoie des lettres recommandées lorsqu'il est rattaché à un client sous contrat, sur invitation de son administrateur ou du service (politique, §4.3). Recevoir ne demande aucun contrat.",
    "Senders are customers of the service: an account sends registered letters once it belongs to a customer under contract, invited by its administrator or by the service (policy, §4.3). Receiving needs no contract.",
);
pub const SPACE_LINK: Tr = Tr("Espace client", "Customer space");
pub const NO_CUSTOMER: Tr = Tr(
    "Votre compte n'est rattaché à aucun client : vous pouvez recevoir des lettres, pas en envoyer.",
    "Your account belongs to no customer: you may receive letters, not send them.",
);
pub const YOUR_CUSTOMER: Tr = Tr("Votre client", "Your customer");
pub const CONTRACT: Tr = Tr("Contrat", "Contract");
pub const SIGNED_ON: Tr = Tr("signé le", "signed on");
pub const STATUS_ACTIVE: Tr = Tr("en vigueur", "active");
pub const STATUS_ENDED: Tr = Tr("terminé", "ended");
pub const YOUR_ROLE: Tr = Tr("Votre rôle", "Your role");
pub const INVITATIONS_TITLE: Tr = Tr("Invitations reçues", "Invitations received");
pub const INVITED_BY: Tr = Tr("invité par", "invited by");
pub const AS_ROLE: Tr = Tr("comme", "as");
pub const UNTIL: Tr = Tr("valable jusqu'au", "valid until");
pub const JOIN: Tr = Tr("Accepter l'invitation", "Accept the invitation");
pub const DECLINE: Tr = Tr("Refuser", "Decline");
pub const USERS_TITLE: Tr = Tr("Utilisateurs", "Users");
pub const REMOVE: Tr = Tr("Retirer", "Remove");
pub const WITHDRAW: Tr = Tr("Annuler l'invitation", "Withdraw the invitation");
pub const PENDING_TITLE: Tr = Tr("Invitations en attente", "Pending invitations");
pub const INVITE_TITLE: Tr = Tr("Inviter un utilisateur", "Invite a user");
pub const INVITE_EMAIL: Tr = Tr("Adresse électronique", "Email address");
pub const INVITE_ROLE: Tr = Tr("Rôle", "Role");
pub const INVITE: Tr = Tr("Envoyer l'invitation", "Send the invitation");
pub const INVITED: Tr = Tr("Invitation envoyée.", "Invitation sent.");
pub const LETTERS_TITLE: Tr = Tr(
    "Lettres envoyées pour ce client",
    "Letters sent for this customer",
);
pub const NO_LETTERS: Tr = Tr("Aucune lettre envoyée.", "No letter sent.");
pub const LETTER_SENT_AT: Tr = Tr("Envoyée le", "Sent on");
pub const LETTER_SENDER: Tr = Tr("Expéditeur", "Sender");
pub const LETTER_RECIPIENT: Tr = Tr("Destinataire", "Recipient");
pub const LETTER_SUBJECT: Tr = Tr("Objet", "Subject");
pub const LETTER_STATUS: Tr = Tr("État", "Status");
pub const DEV_TITLE: Tr = Tr(
    "Contrat de démonstration (développement, non qualifié)",
    "Demonstration contract (development, not qualified)",
);
pub const DEV_LEAD: Tr = Tr(
    "Ce service tourne avec ses réglages de développement : au lieu d'un contrat enregistré par un opérateur commercial, vous pouvez signer un contrat de démonstration et devenir administrateur de votre propre client. Jamais en production.",
    "This service runs on its development settings: instead of a contract recorded by a business operator, you may sign a demonstration contract and become the administrator of a customer of your own. Never in production.",
);
pub const DEV_SIGN: Tr = Tr(
    "Signer un contrat de démonstration",
    "Sign a demonstration contract",
);
pub const DEV_BADGE: Tr = Tr("démonstration", "demonstration");

pub const REGISTER_TITLE: Tr = Tr("Clients et contrats", "Customers and contracts");
pub const REGISTER_LINK: Tr = Tr("Clients et contrats", "Customers and contracts");
pub const REGISTER_LEAD: Tr = Tr(
    "Enregistrez le contrat signé avec un client (personne physique ou société) et invitez son premier administrateur, qui invitera ensuite ses utilisateurs (politique, §4.3). Mettre fin au contrat interdit tout nouvel envoi en son nom.",
    "Record the contract signed with a customer (a person or a company) and invite its first administrator, who then invites its users (policy, §4.3). Ending the contract stops any new letter in its name.",
);
pub const KIND: Tr = Tr("Type de client", "Customer type");
pub const KIND_PERSON: Tr = Tr("Personne physique", "Natural person");
pub const KIND_COMPANY: Tr = Tr("Société", "Company");
pub const NAME: Tr = Tr("Nom (ou raison sociale)", "Name (or company name)");
pub const REGISTRY: Tr = Tr("Registre (société)", "Register (company)");
pub const NUMBER: Tr = Tr(
    "Numéro d'immatriculation (société)",
    "Registration number (company)",
);
pub const REFERENCE: Tr = Tr("Référence du contrat", "Contract reference");
pub const SIGNED: Tr = Tr("Date de signature", "Signature date");
pub const ADMIN_EMAIL: Tr = Tr(
    "Adresse du premier administrateur",
    "First administrator's address",
);
pub const RECORD: Tr = Tr("Enregistrer le client", "Record the customer");
pub const RECORDED: Tr = Tr(
    "Client enregistré ; son administrateur est invité par courriel.",
    "Customer recorded; its administrator is invited by email.",
);
pub const END: Tr = Tr("Mettre fin au contrat", "End the contract");
pub const NO_CUSTOMERS: Tr = Tr("Aucun client enregistré.", "No customer recorded.");
pub const OTP_NEEDED: Tr = Tr(
    "Saisissez un code récent de votre application d'authentification pour gérer les utilisateurs de votre client.",
    "Enter a fresh code from your authenticator app to manage your customer's users.",
);
