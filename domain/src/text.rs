//! What text Pli accepts from people: the one rule shared by the forms (in the browser), the
//! server (which has the last word) and the evidence documents (which must carry every text a
//! letter was accepted with).
//!
//! An evidence is an XML document embedded in a PDF: XML 1.0 cannot carry C0 control
//! characters other than tab and line feed, nor the noncharacters U+FFFE and U+FFFF, and a
//! control character in a subject or a file name has no legitimate use. Such text is refused
//! **when it is entered**, so that nothing accepted today can make sending fail later (issue 9:
//! a subject with U+0001 was saved, then every sending attempt failed).
//!
//! - Single-line text (subject, names, file names): no control character at all (C0, DEL, C1),
//!   no noncharacter; surrounding white space trimmed.
//! - Multi-line text (a message): the same, except line feeds and tabs; CRLF and lone CR line
//!   ends become LF (what browsers submit for a `<textarea>` is CRLF).

/// Why a text is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// A control character (other than line feed and tab in multi-line text) or a Unicode
    /// noncharacter.
    #[error("contains a control character")]
    ControlCharacter,
}

/// Whether `c` may appear in any text: not a control character (C0, DEL, C1) and not a Unicode
/// noncharacter (U+FDD0..U+FDEF, and the last two code points of every plane).
pub fn allowed(c: char) -> bool {
    let code = c as u32;
    !c.is_control() && !(0xFDD0..=0xFDEF).contains(&code) && (code & 0xFFFE) != 0xFFFE
}

/// Whether `c` may appear in multi-line text: [`allowed`], or a line feed or a tab.
pub fn allowed_in_lines(c: char) -> bool {
    matches!(c, '\n' | '\t') || allowed(c)
}

/// Checks single-line text as stored (already trimmed): every character [`allowed`].
pub fn check_line(text: &str) -> Result<(), TextError> {
    if text.chars().all(allowed) {
        Ok(())
    } else {
        Err(TextError::ControlCharacter)
    }
}

/// Checks multi-line text as stored (already normalised): every character
/// [`allowed_in_lines`].
pub fn check_lines(text: &str) -> Result<(), TextError> {
    if text.chars().all(allowed_in_lines) {
        Ok(())
    } else {
        Err(TextError::ControlCharacter)
    }
}

/// Single-line text as entered: trimmed, then checked ([`check_line`]). May be empty.
pub fn line(input: &str) -> Result<String, TextError> {
    let text = input.trim();
    check_line(text)?;
    Ok(text.to_owned())
}

/// Multi-line text as entered: CRLF and lone CR become LF, trailing white space removed, then
/// checked ([`check_lines`]). May be empty.
pub fn lines(input: &str) -> Result<String, TextError> {
    let text = input.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim_end();
    check_lines(text)?;
    Ok(text.to_owned())
}

/// A text as a search compares it (issue 11): in lower case by Unicode's rules, so that a
/// search for `état` finds `État des lieux`. Stored beside what is searched (a sent letter's
/// subject) and applied to the words searched for.
pub fn search_key(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_noncharacters_are_refused() {
        for bad in [
            "a\u{1}b",
            "a\u{b}b",
            "a\u{7f}b",
            "a\u{85}b",
            "a\u{FFFE}b",
            "a\u{FFFF}b",
            "a\u{FDD0}b",
            "a\u{1FFFE}b",
            "a\nb",
            "a\tb",
        ] {
            assert_eq!(line(bad), Err(TextError::ControlCharacter), "{bad:?}");
        }
        assert_eq!(lines("a\u{1}b"), Err(TextError::ControlCharacter));
        assert_eq!(lines("a\u{FFFE}b"), Err(TextError::ControlCharacter));
        assert_eq!(lines("a\u{b}b"), Err(TextError::ControlCharacter));
    }

    #[test]
    fn ordinary_text_passes() {
        assert_eq!(
            line("  Mise en demeure — loyer d'août 2026 ").as_deref(),
            Ok("Mise en demeure — loyer d'août 2026")
        );
        assert_eq!(line("Zoë 李 😀").as_deref(), Ok("Zoë 李 😀"));
        assert_eq!(lines("a\n\tb").as_deref(), Ok("a\n\tb"));
    }

    #[test]
    fn line_ends_are_normalised() {
        assert_eq!(
            lines("Madame,\r\n\r\nJe vous mets en demeure.\r\n").as_deref(),
            Ok("Madame,\n\nJe vous mets en demeure.")
        );
        assert_eq!(lines("a\rb").as_deref(), Ok("a\nb"));
    }
}
