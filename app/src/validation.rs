//! Validation rules shared by the browser (immediate feedback) and the server (authority).
//! The rules live in the `domain` crate ([`domain::validation`], on [`domain::text`]); this
//! module re-exports them and gives each [`Invalid`] its sentence, in the user's language.

pub use domain::validation::*;

use crate::i18n::Lang;
use crate::texts;

/// The sentence that explains an [`Invalid`] to the user.
pub trait InvalidMessage {
    fn message(self, lang: Lang) -> &'static str;
}

impl InvalidMessage for Invalid {
    fn message(self, lang: Lang) -> &'static str {
        match self {
            Invalid::Email => texts::ERR_INVALID_EMAIL.get(lang),
            Invalid::ClockStep => texts::ERR_CLOCK_STEP.get(lang),
            Invalid::EvidenceFile => texts::ERR_EVIDENCE_FILE.get(lang),
            Invalid::Sha256 => texts::ERR_SHA256.get(lang),
            Invalid::Name => texts::ERR_INVALID_NAME.get(lang),
            Invalid::Password => texts::ERR_INVALID_PASSWORD.get(lang),
            Invalid::Terms => texts::ERR_TERMS.get(lang),
            Invalid::Code => texts::ERR_INVALID_CODE.get(lang),
            Invalid::Subject => texts::ERR_SUBJECT.get(lang),
            Invalid::Message => texts::ERR_MESSAGE.get(lang),
            Invalid::NoRecipient => texts::ERR_NO_RECIPIENT.get(lang),
            Invalid::NoAttachment => texts::ERR_NO_ATTACHMENT.get(lang),
            Invalid::FileName => texts::ERR_FILE_NAME.get(lang),
            Invalid::LetterTooLarge => texts::ERR_LETTER_TOO_LARGE.get(lang),
            Invalid::EmptyFile => texts::ERR_EMPTY_FILE.get(lang),
            Invalid::HashMismatch => texts::ERR_HASH_MISMATCH.get(lang),
            Invalid::CompanyName => texts::ERR_COMPANY_NAME.get(lang),
            Invalid::ContactExists => texts::ERR_CONTACT_EXISTS.get(lang),
            Invalid::ControlCharacter => texts::ERR_CONTROL_CHARACTER.get(lang),
            Invalid::RegistryNumber => texts::entities::ERR_REGISTRY_NUMBER.get(lang),
            Invalid::DocumentDate => texts::entities::ERR_DOCUMENT_DATE.get(lang),
            Invalid::DocumentTooOld => texts::entities::ERR_DOCUMENT_TOO_OLD.get(lang),
            Invalid::DocumentFile => texts::entities::ERR_DOCUMENT_FILE.get(lang),
            Invalid::PasskeyName => texts::passkeys::ERR_NAME.get(lang),
        }
    }
}
