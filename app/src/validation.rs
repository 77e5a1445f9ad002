//! Validation rules shared by the browser (immediate feedback) and the server (authority).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::texts;

/// A rule an input broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Invalid {
    /// Not a plausible email address (see [`email`]).
    Email,
    /// A development clock step outside 1 second ..= 366 days.
    ClockStep,
    /// An uploaded evidence is missing, empty or larger than [`MAX_EVIDENCE_BYTES`].
    EvidenceFile,
    /// A SHA-256 that is not 64 hexadecimal digits.
    Sha256,
}

/// Largest evidence PDF the verification page accepts (ours are tens of kilobytes).
pub const MAX_EVIDENCE_BYTES: usize = 20 * 1024 * 1024;

/// A SHA-256 in hex (64 digits), normalised to lowercase.
pub fn sha256_hex(input: &str) -> Result<String, Invalid> {
    let hex = input.trim().to_ascii_lowercase();
    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(hex)
    } else {
        Err(Invalid::Sha256)
    }
}

impl Invalid {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            Invalid::Email => texts::ERR_INVALID_EMAIL.get(lang),
            Invalid::ClockStep => texts::ERR_CLOCK_STEP.get(lang),
            Invalid::EvidenceFile => texts::ERR_EVIDENCE_FILE.get(lang),
            Invalid::Sha256 => texts::ERR_SHA256.get(lang),
        }
    }
}

/// Checks and normalises an email address: trimmed, one `@`, a non-empty local part of at
/// most 64 bytes, a dotted domain of letters, digits and hyphens, at most 254 bytes in all.
/// Deliberately simple: the address is proven by the confirmation link, not by a regex.
pub fn email(input: &str) -> Result<String, Invalid> {
    let address = input.trim();
    let (local, domain) = address.split_once('@').ok_or(Invalid::Email)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '@');
    let domain_ok = domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok && address.len() <= 254 {
        Ok(format!("{local}@{}", domain.to_lowercase()))
    } else {
        Err(Invalid::Email)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            email("  Alice@Example.FR ").as_deref(),
            Ok("Alice@example.fr")
        );
        for bad in [
            "", "a", "a@b", "@b.fr", "a b@c.fr", "a@b..fr", "a@-b.fr", "a@b@c.fr",
        ] {
            assert_eq!(email(bad), Err(Invalid::Email), "{bad}");
        }
    }
}
