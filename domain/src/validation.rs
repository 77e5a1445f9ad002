//! Validation rules shared by the browser (immediate feedback) and the server (authority).
//! Every text goes through the rules of [`crate::text`] (no control characters, line ends
//! normalised), so that what a form accepts can always be sealed in an evidence. The messages
//! shown for each [`Invalid`] are the app's (translated).

use serde::{Deserialize, Serialize};

pub use crate::policy::{
    FILE_NAME_MAX_CHARS, MAX_ATTACHMENTS, MAX_EVIDENCE_BYTES, MAX_LETTER_BYTES, MESSAGE_MAX_CHARS,
    NAME_MAX_CHARS, PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARS, SUBJECT_MAX_CHARS,
};
use crate::text::{self, TextError};

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
    /// A name that is empty or longer than [`NAME_MAX_CHARS`] (see [`name`]).
    Name,
    /// A password shorter than [`PASSWORD_MIN_CHARS`] or longer than [`PASSWORD_MAX_BYTES`].
    Password,
    /// The terms of use were not accepted, or not in their current version.
    Terms,
    /// A second-factor code that is neither 6 digits nor a recovery code (see [`code`]).
    Code,
    /// A letter subject that is empty or longer than [`SUBJECT_MAX_CHARS`] (LET-01).
    Subject,
    /// A letter message longer than [`MESSAGE_MAX_CHARS`].
    Message,
    /// A letter with no recipient (LET-01).
    NoRecipient,
    /// A letter with no attachment (LET-01).
    NoAttachment,
    /// An attachment name that is empty, too long or contains a path separator or control
    /// character.
    FileName,
    /// The attachments of a letter would exceed [`MAX_LETTER_BYTES`].
    LetterTooLarge,
    /// An attachment of zero bytes: there is nothing to send nor to prove (issue 11).
    EmptyFile,
    /// The SHA-256 computed by the browser differs from the server's over the received bytes
    /// (LET-02): the upload was corrupted and is discarded.
    HashMismatch,
    /// A professional contact without a company name, or a company name too long.
    CompanyName,
    /// A contact with an address already in the sender's address book (CONS-01).
    ContactExists,
    /// A text with a control character or a Unicode noncharacter (see [`crate::text`]).
    ControlCharacter,
    /// A trade-register number that is not a SIREN (9 digits, Luhn) nor a Luxembourg RCS
    /// number (`crate::entities::Registry::number`).
    RegistryNumber,
    /// A document date that is not a date (YYYY-MM-DD) or is in the future.
    DocumentDate,
    /// An extract or a power of attorney 3 months old or older (ID-05, policy §4.2).
    DocumentTooOld,
    /// A document that is not a PDF, JPEG or PNG file, is empty, or is larger than
    /// `crate::entities::DOCUMENT_MAX_BYTES`.
    DocumentFile,
    /// A passkey's name that is empty or longer than [`PASSKEY_NAME_MAX_CHARS`] (issue 14).
    PasskeyName,
}

impl From<TextError> for Invalid {
    fn from(error: TextError) -> Self {
        match error {
            TextError::ControlCharacter => Invalid::ControlCharacter,
        }
    }
}

/// A letter subject as it may be saved in a draft: trimmed, possibly empty, at most
/// [`SUBJECT_MAX_CHARS`] characters, single-line text ([`text::line`]).
pub fn draft_subject(input: &str) -> Result<String, Invalid> {
    let subject = text::line(input)?;
    if subject.chars().count() > SUBJECT_MAX_CHARS {
        return Err(Invalid::Subject);
    }
    Ok(subject)
}

/// A letter subject at sending: [`draft_subject`], and not empty (LET-01).
pub fn subject(input: &str) -> Result<String, Invalid> {
    let subject = draft_subject(input)?;
    if subject.is_empty() {
        return Err(Invalid::Subject);
    }
    Ok(subject)
}

/// A letter message: optional, at most [`MESSAGE_MAX_CHARS`] characters, multi-line text
/// ([`text::lines`]: line ends become LF, trailing white space removed).
pub fn message(input: &str) -> Result<String, Invalid> {
    let message = text::lines(input)?;
    if message.chars().count() > MESSAGE_MAX_CHARS {
        return Err(Invalid::Message);
    }
    Ok(message)
}

/// An attachment's file name: trimmed, non-empty, at most [`FILE_NAME_MAX_CHARS`], no path
/// separator, single-line text (it becomes a download name and a ZIP entry).
pub fn file_name(input: &str) -> Result<String, Invalid> {
    let name = text::line(input).map_err(|_| Invalid::FileName)?;
    if name.is_empty()
        || name.chars().count() > FILE_NAME_MAX_CHARS
        || name == "."
        || name == ".."
        || name.chars().any(|c| c == '/' || c == '\\')
    {
        return Err(Invalid::FileName);
    }
    Ok(name)
}

/// A company name for a professional contact (CONS-05): required, at most
/// [`NAME_MAX_CHARS`] characters, single-line text.
pub fn company_name(input: &str) -> Result<String, Invalid> {
    let name = text::line(input)?;
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
        return Err(Invalid::CompanyName);
    }
    Ok(name)
}

/// A SHA-256 in hex (64 digits), normalised to lowercase.
pub fn sha256_hex(input: &str) -> Result<String, Invalid> {
    let hex = input.trim().to_ascii_lowercase();
    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(hex)
    } else {
        Err(Invalid::Sha256)
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

/// A person's name as they want it written: trimmed, 1 to [`NAME_MAX_CHARS`] characters,
/// single-line text.
pub fn name(input: &str) -> Result<String, Invalid> {
    let name = text::line(input)?;
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
        return Err(Invalid::Name);
    }
    Ok(name)
}

/// The longest name of a passkey ("Téléphone de Marie").
pub const PASSKEY_NAME_MAX_CHARS: usize = 60;

/// A passkey's name, as the profile lists it: trimmed, 1 to [`PASSKEY_NAME_MAX_CHARS`]
/// characters, single-line text.
pub fn passkey_name(input: &str) -> Result<String, Invalid> {
    let name = text::line(input)?;
    if name.is_empty() || name.chars().count() > PASSKEY_NAME_MAX_CHARS {
        return Err(Invalid::PasskeyName);
    }
    Ok(name)
}

/// A new password: at least [`PASSWORD_MIN_CHARS`] characters, at most [`PASSWORD_MAX_BYTES`]
/// bytes. Kept as typed (no trimming: spaces are characters too).
pub fn new_password(input: &str) -> Result<String, Invalid> {
    if input.chars().count() < PASSWORD_MIN_CHARS || input.len() > PASSWORD_MAX_BYTES {
        return Err(Invalid::Password);
    }
    Ok(input.to_owned())
}

/// A second-factor code as typed: spaces and dashes removed, lower case. Either 6 digits (a
/// TOTP code) or 12 characters of the RFC 4648 base32 alphabet (a recovery code).
pub fn code(input: &str) -> Result<String, Invalid> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let totp = code.len() == 6 && code.chars().all(|c| c.is_ascii_digit());
    let recovery = code.len() == 12
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c));
    if totp || recovery {
        Ok(code)
    } else {
        Err(Invalid::Code)
    }
}

/// Where to go after signing in (`/signin?next=...`): a path of this site only — starting with
/// one `/`, no scheme, no `//` or backslash (which browsers read as another host), at most 512
/// characters; anything else is ignored.
pub fn next_path(input: &str) -> Option<&str> {
    let ok = input.starts_with('/')
        && !input.starts_with("//")
        && input.len() <= 512
        && !input.contains('\\')
        && !input.chars().any(char::is_control);
    ok.then_some(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_path_stays_on_this_site() {
        assert_eq!(next_path("/received/0192-ab"), Some("/received/0192-ab"));
        assert_eq!(next_path("/inbox"), Some("/inbox"));
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "inbox",
            "",
            "/a\nb",
        ] {
            assert_eq!(next_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_passwords_codes() {
        assert_eq!(name("  Alice Martin ").as_deref(), Ok("Alice Martin"));
        assert_eq!(name("   "), Err(Invalid::Name));
        assert_eq!(name(&"x".repeat(201)), Err(Invalid::Name));
        assert_eq!(new_password("short pass"), Err(Invalid::Password));
        assert!(new_password("correct horse battery").is_ok());
        // Characters, not bytes: 12 accented letters pass.
        assert!(new_password("éééééééééééé").is_ok());
        assert_eq!(code(" 123 456 ").as_deref(), Ok("123456"));
        assert_eq!(code("ABCD-EFGH-2345").as_deref(), Ok("abcdefgh2345"));
        for bad in ["12345", "1234567", "abcdefgh234", "abcdefgh2341"] {
            assert_eq!(code(bad), Err(Invalid::Code), "{bad}");
        }
        assert_eq!(
            passkey_name(" Téléphone de Marie ").as_deref(),
            Ok("Téléphone de Marie")
        );
        assert_eq!(passkey_name(" "), Err(Invalid::PasskeyName));
        assert_eq!(passkey_name(&"é".repeat(61)), Err(Invalid::PasskeyName));
        assert_eq!(passkey_name("a\u{1}"), Err(Invalid::ControlCharacter));
    }

    /// Issue 9: text that an evidence could not carry is refused when entered, and a message's
    /// CRLF line ends are normalised.
    #[test]
    fn texts_are_refused_when_entered() {
        for bad in ["a\u{1}b", "a\u{b}b", "a\u{FFFE}b"] {
            assert_eq!(subject(bad), Err(Invalid::ControlCharacter), "{bad:?}");
            assert_eq!(
                draft_subject(bad),
                Err(Invalid::ControlCharacter),
                "{bad:?}"
            );
            assert_eq!(message(bad), Err(Invalid::ControlCharacter), "{bad:?}");
            assert_eq!(name(bad), Err(Invalid::ControlCharacter), "{bad:?}");
            assert_eq!(company_name(bad), Err(Invalid::ControlCharacter), "{bad:?}");
            assert_eq!(file_name(bad), Err(Invalid::FileName), "{bad:?}");
        }
        assert_eq!(message("a\r\nb\r\n").as_deref(), Ok("a\nb"));
        assert_eq!(draft_subject("  ").as_deref(), Ok(""));
        assert_eq!(subject("  "), Err(Invalid::Subject));
    }

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
