//! The emails of the account flows (issue 4; ACC-01, ACC-02; password reset, issue 11), in
//! French then English.

use crate::mailer::Email;

/// The emailed link that confirms a new account's address (valid 15 minutes, once).
pub fn confirm_address(to: &str, name: &str, url: &str) -> Email {
    link(
        to,
        name,
        url,
        "Pli : confirmez votre adresse / confirm your address",
        "Confirmez votre adresse",
        "Confirm your address",
        "Confirmer mon adresse",
    )
}

/// The emailed link that reactivates a deactivated account (ACC-02; valid 15 minutes, once).
pub fn reactivate_account(to: &str, name: &str, url: &str) -> Email {
    link(
        to,
        name,
        url,
        "Pli : réactivez votre compte / reactivate your account",
        "Réactivez votre compte",
        "Reactivate your account",
        "Réactiver mon compte",
    )
}

/// The emailed link that sets a new password (issue 11; valid 15 minutes, once).
pub fn reset_password(to: &str, name: &str, url: &str) -> Email {
    link(
        to,
        name,
        url,
        "Pli : choisissez un nouveau mot de passe / choose a new password",
        "Choisissez un nouveau mot de passe",
        "Choose a new password",
        "Choisir un nouveau mot de passe",
    )
}

/// The password was changed with an emailed link (issue 11): every session was ended. `base`:
/// the service's public URL.
pub fn password_changed(to: &str, base: &str) -> Email {
    Email {
        attachments: Vec::new(),
        to: to.to_owned(),
        subject: "Pli : mot de passe changé / password changed".to_owned(),
        text: format!(
            "Le mot de passe de votre compte Pli vient d'être changé, et toutes vos sessions \
             ont été fermées. Connectez-vous avec le nouveau : {base}/signin\n\
             Si vous n'êtes pas à l'origine de ce changement, demandez un nouveau mot de passe \
             sans attendre : {base}/password/forgot\n\n\
             The password of your Pli account was just changed, and all your sessions were \
             ended. Sign in with the new one: {base}/signin\n\
             If you did not make this change, ask for a new password at once: \
             {base}/password/forgot\n"
        ),
        html: None,
    }
}

/// The password was changed from the profile (issue 11): the other sessions were ended, the
/// one that changed it stays. `base`: the service's public URL.
pub fn password_changed_from_profile(to: &str, base: &str) -> Email {
    Email {
        attachments: Vec::new(),
        to: to.to_owned(),
        subject: "Pli : mot de passe changé / password changed".to_owned(),
        text: format!(
            "Le mot de passe de votre compte Pli vient d'être changé depuis votre profil, et \
             vos autres sessions ont été fermées.\n\
             Si vous n'êtes pas à l'origine de ce changement, demandez un nouveau mot de passe \
             sans attendre : {base}/password/forgot\n\n\
             The password of your Pli account was just changed from your profile, and your \
             other sessions were ended.\n\
             If you did not make this change, ask for a new password at once: \
             {base}/password/forgot\n"
        ),
        html: None,
    }
}

fn link(
    to: &str,
    name: &str,
    url: &str,
    subject: &str,
    fr: &str,
    en: &str,
    button_fr: &str,
) -> Email {
    Email {
        attachments: Vec::new(),
        to: to.to_owned(),
        subject: subject.to_owned(),
        text: format!(
            "Bonjour {name},\n\n{fr} en ouvrant ce lien (valable 15 minutes, une seule fois) \
             :\n{url}\n\nHello {name},\n\n{en} by opening this link (valid for 15 minutes, \
             once):\n{url}\n\nSi vous n'avez rien demandé, ignorez ce courriel. / If you did \
             not ask for this, ignore this email.\n"
        ),
        html: Some(format!(
            "<p>Bonjour {name},</p><p>{fr} (lien valable 15 minutes, une seule fois) :</p>\
             <p><a href=\"{url}\">{button_fr}</a></p>\
             <p><i>Hello {name}, {en} (link valid for 15 minutes, once):</i> \
             <a href=\"{url}\">{en}</a></p>",
            name = html_escape(name)
        )),
    }
}

/// To the owner of an address someone tried to sign up with again (no enumeration: the
/// caller gets the same answer as for a new address). `base`: the service's public URL.
pub fn already_have_account(to: &str, base: &str) -> Email {
    Email {
        attachments: Vec::new(),
        to: to.to_owned(),
        subject: "Pli : vous avez déjà un compte / you already have an account".to_owned(),
        text: format!(
            "Quelqu'un (vous, sans doute) a voulu créer un compte Pli avec cette adresse, qui \
             en a déjà un. Connectez-vous : {base}/signin\n\n\
             Someone (probably you) tried to create a Pli account with this address, which \
             already has one. Sign in: {base}/signin\n"
        ),
        html: None,
    }
}

/// ACC-01: the account is deactivated; `url` reactivates it.
pub fn deactivated(to: &str, url: &str) -> Email {
    Email {
        attachments: Vec::new(),
        to: to.to_owned(),
        subject: "Pli : compte désactivé / account deactivated".to_owned(),
        text: format!(
            "Votre compte Pli est désactivé. Les lettres qui vous sont adressées vous seront \
             toujours notifiées. Pour le réactiver : {url}\n\n\
             Your Pli account is deactivated. Letters addressed to you will still be notified. \
             To reactivate it: {url}\n"
        ),
        html: Some(format!(
            "<p>Votre compte Pli est désactivé. Les lettres qui vous sont adressées vous seront \
             toujours notifiées.</p><p><a href=\"{url}\">Réactiver mon compte</a></p>\
             <p><i>Your Pli account is deactivated.</i> <a href=\"{url}\">Reactivate my \
             account</a></p>"
        )),
    }
}

/// ACC-02: the account is active again. `base`: the service's public URL.
pub fn reactivated(to: &str, base: &str) -> Email {
    Email {
        attachments: Vec::new(),
        to: to.to_owned(),
        subject: "Pli : compte réactivé / account reactivated".to_owned(),
        text: format!(
            "Votre compte Pli est de nouveau actif. Une nouvelle vérification d'identité sera \
             demandée avant votre prochain envoi. {base}/signin\n\n\
             Your Pli account is active again. A new identity verification will be asked before \
             your next sending. {base}/signin\n"
        ),
        html: None,
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// OPS-07 (policy §1.2.5): a new edition of a published document, announced before it
/// applies. `base`: the service's public URL.
pub fn new_terms(to: &str, edition: &app::terms::Document, base: &str) -> Email {
    let (version, effective) = (edition.version, edition.effective);
    let page = format!("{base}{}?version={version}", edition.page);
    let (fr, en) = (edition.title.0, edition.title.1);
    Email {
        attachments: Vec::new(),
        to: to.to_owned(),
        subject: format!("Pli : nouvelle version de « {fr} » / new version of “{en}”"),
        text: format!(
            "Une nouvelle version ({version}) de « {fr} » s'appliquera à compter du \
             {effective}. Vous pouvez la lire dès maintenant : {page}\n\
             Vous serez invité à l'accepter à votre première connexion après cette date.\n\n\
             A new version ({version}) of “{en}” will apply from {effective}. You can read it \
             now: {page}\n\
             You will be asked to accept it when you first sign in after that date.\n"
        ),
        html: None,
    }
}
