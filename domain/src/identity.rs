//! Whether the person an identity proofing verified is the addressee the sender named
//! (eIDAS Art. 44(1)(c): "the identity of the addressee is ensured before the delivery of the
//! data"; policy §4.4, §6.3; ID-03).
//!
//! The sender names the recipient in one free field (the contact's name) and the proofing
//! returns one verified name; the two are written by different people, so they are compared
//! after a documented normalisation ([`name_words`]) and with a rule that tolerates what
//! legitimately differs between them ([`names_match`]):
//! - **case, accents and ligatures**: « ÉLODIE Lefèvre » is « elodie lefevre »; « Œ », « Æ » and
//!   « ß » are spelt out (`oe`, `ae`, `ss`);
//! - **hyphens, apostrophes, dots and spacing**: « Jean-Pierre » is « Jean Pierre »,
//!   « N'Diaye » is « N Diaye »;
//! - **order**: « DURAND Bob » is « Bob Durand »;
//! - **number of given names**: either side may carry more given names than the other
//!   (« Marie Dupont » and « Marie Claire Dupont ») — every word of the shorter name must be a
//!   word of the longer one, and the shorter name must have at least two words (a given name
//!   and a family name), unless both names are the same single word.
//!
//! What is *not* tolerated, and therefore refuses the delivery: a different or missing family
//! name, a given name of the shorter side absent from the other, a single word against a
//! longer name (« Dupont » does not designate one member of the Dupont family), and spelling
//! differences beyond the above (« Lefèvre » and « Lefebvre » differ).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The words of a person's name as compared: decomposed (NFKD), combining marks (accents)
/// dropped, lower case, ligatures spelt out, and split at anything that is not a letter or a
/// digit (spaces, hyphens, apostrophes, dots).
pub fn name_words(name: &str) -> Vec<String> {
    let mut folded = String::with_capacity(name.len());
    for c in name.nfkd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'œ' | 'Œ' => folded.push_str("oe"),
            'æ' | 'Æ' => folded.push_str("ae"),
            'ß' | 'ẞ' => folded.push_str("ss"),
            c if c.is_alphanumeric() => folded.extend(c.to_lowercase()),
            _ => folded.push(' '),
        }
    }
    folded.split_whitespace().map(str::to_owned).collect()
}

/// Why an identity provider's answer was refused when the level it reached is below the one
/// required (issue 14, an OpenID provider's `acr`): the server records it, the profile says it.
pub const INSUFFICIENT_LEVEL: &str = "insufficient_level";
/// Why a wallet's presentation was refused when its credential comes from an issuer that is
/// not trusted (issue 14).
pub const UNTRUSTED_ISSUER: &str = "untrusted_issuer";
/// Why a wallet proofing failed when the person declined to share in their wallet.
pub const WALLET_DECLINED: &str = "wallet_declined";

/// Whether `verified` (the name an identity proofing returned) designates the person the
/// sender named `addressee` (see the module's rule).
pub fn names_match(addressee: &str, verified: &str) -> bool {
    let addressee = name_words(addressee);
    let verified = name_words(verified);
    if addressee.is_empty() || verified.is_empty() {
        return false;
    }
    let (shorter, longer) = if addressee.len() <= verified.len() {
        (addressee, verified)
    } else {
        (verified, addressee)
    };
    if shorter.len() < 2 && shorter != longer {
        return false;
    }
    // Every word of the shorter name, each used once, is a word of the longer name.
    let mut left = longer;
    shorter
        .iter()
        .all(|word| match left.iter().position(|w| w == word) {
            Some(at) => {
                left.swap_remove(at);
                true
            }
            None => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ID-03: the documented normalisation, case by case.
    #[test]
    fn id_03_names_are_compared_without_case_accents_hyphens_or_order() {
        assert_eq!(name_words("  ÉLODIE  Lefèvre "), ["elodie", "lefevre"]);
        assert_eq!(
            name_words("Jean-Pierre N'Diaye"),
            ["jean", "pierre", "n", "diaye"]
        );
        assert_eq!(name_words("Œdipe Straße"), ["oedipe", "strasse"]);
        for (addressee, verified) in [
            ("Bob Durand", "Bob DURAND"),
            ("Bob Durand", "DURAND Bob"),
            ("Élodie Lefèvre", "ELODIE LEFEVRE"),
            ("Jean-Pierre Martin", "Jean Pierre MARTIN"),
            ("Marie Dupont", "Marie Claire Dupont"),
            ("Marie Claire Dupont", "DUPONT Marie"),
            ("Anne-Sophie de La Tour", "de la Tour Anne Sophie"),
            ("Cher", "CHER"),
        ] {
            assert!(names_match(addressee, verified), "{addressee} / {verified}");
        }
    }

    /// ID-03: what refuses a delivery.
    #[test]
    fn id_03_another_person_does_not_match() {
        for (addressee, verified) in [
            ("Bob Durand", "Robert Durand"),
            ("Bob Durand", "Bob Dupont"),
            ("Dupont", "Marie Dupont"),
            ("Marie Dupont", "Dupont"),
            ("Marie Lefèvre", "Marie Lefebvre"),
            ("Marie Marie", "Marie Dupont"),
            ("Bob Durand", ""),
            ("", "Bob Durand"),
            ("-", "-"),
        ] {
            assert!(
                !names_match(addressee, verified),
                "{addressee} / {verified}"
            );
        }
    }
}
