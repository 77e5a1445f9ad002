//! The emails of the customers (issue 13; policy §4.3): an invitation to become a user of a
//! customer, and a user removed — in French then English.

use crate::mailer::Email;
use crate::store::customers::{Invitation, User};

fn plain(to: &str, subject: &str, fr: String, en: String) -> Email {
    Email {
        attachments: Vec::new(),
        to: to.to_owned(),
        subject: subject.to_owned(),
        text: format!("Bonjour,\n\n{fr}\n\nHello,\n\n{en}\n"),
        html: None,
    }
}

/// `invitation` to its address; `expires_on`: its last day as the reader reads it, `base`:
/// the service's public URL.
pub fn invitation(invitation: &Invitation, expires_on: &str, base: &str) -> Email {
    let customer = &invitation.customer_name;
    let inviter = &invitation.inviter_name;
    let (role_fr, role_en) = if invitation.role == "administrator" {
        ("administrateur", "an administrator")
    } else {
        ("utilisateur", "a user")
    };
    plain(
        &invitation.email,
        "Pli : invitation à envoyer pour un client / invitation to send for a customer",
        format!(
            "{inviter} vous invite à envoyer des lettres recommandées électroniques pour \
             {customer}, comme {role_fr}. Connectez-vous (ou créez votre compte) avec cette \
             adresse, puis acceptez l'invitation dans votre espace client, jusqu'au \
             {expires_on} : {base}/customer"
        ),
        format!(
            "{inviter} invites you to send electronic registered letters for {customer}, as \
             {role_en}. Sign in (or sign up) with this address, then accept the invitation in \
             your customer space, until {expires_on}: {base}/customer"
        ),
    )
}

/// `user` was removed from `customer`.
pub fn removed(user: &User, customer: &str, base: &str) -> Email {
    plain(
        &user.email,
        "Pli : accès retiré / access removed",
        format!(
            "Votre compte n'envoie plus de lettres recommandées pour {customer} : un \
             administrateur vous en a retiré. Vous recevez toujours les lettres qui vous sont \
             adressées : {base}/customer"
        ),
        format!(
            "Your account no longer sends registered letters for {customer}: an administrator \
             removed you. You still receive the letters addressed to you: {base}/customer"
        ),
    )
}
