//! The error type of every server function: what the user is told, never the internal detail
//! (which the server logs with the request id).

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::texts;
use crate::validation::{Invalid, InvalidMessage};

/// Why a server function failed, as the user may learn it.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// The request carried a value that fails the shared validation rules.
    #[error("invalid input: {0:?}")]
    Invalid(Invalid),
    /// A development-only tool was called on a production server.
    #[error("only available in development mode")]
    DevelopmentOnly,
    /// The thing asked for does not exist (or is not the caller's to see).
    #[error("not found")]
    NotFound,
    /// A failure on the server side; the detail is in the server log under this request id.
    #[error("internal error (request {request_id})")]
    Internal { request_id: String },
    /// The request did not reach the server function or its answer could not be read.
    #[error("server function transport: {0}")]
    Transport(ServerFnErrorErr),
    /// The request could not be read as this server function's arguments: a missing or
    /// malformed field, a wrong content type, a truncated multipart body, a body that is not
    /// UTF-8. Our pages never send one; the detail (in English) says what was wrong.
    #[error("malformed request: {0}")]
    Malformed(String),
    /// The request body is larger than the server function accepts.
    #[error("request larger than {max_bytes} bytes")]
    TooLarge { max_bytes: u64 },
    /// The file sent to the verification page is not a PDF (EVD-06).
    #[error("not a PDF file")]
    NotPdf,
    /// The action needs a signed-in user and the request carries no live session.
    #[error("sign-in required")]
    SignInRequired,
    /// The session ended after 15 minutes without activity (AUTH-03).
    #[error("signed out after inactivity")]
    SessionExpired,
    /// Wrong email or password; the same answer whether or not the account exists.
    #[error("wrong email or password")]
    BadCredentials,
    /// The password is right but the address was never confirmed; a new link was sent.
    #[error("email address not confirmed")]
    EmailNotConfirmed,
    /// The current password typed to change it (from the profile) is not the account's.
    #[error("wrong current password")]
    WrongPassword,
    /// A second-factor code that is wrong, malformed, already used or from a used time step.
    #[error("wrong or already used code")]
    BadCode,
    /// Too many failed attempts for this account or this address; retry after `minutes`.
    #[error("too many attempts, retry in {minutes} min")]
    TooManyAttempts { minutes: u32 },
    /// An emailed link that is unknown, already used or older than 15 minutes.
    #[error("invalid or expired link")]
    LinkInvalid,
    /// A qualified action needs a live OTP session: the user enters a fresh code (AUTH-02).
    #[error("a fresh second-factor code is required")]
    OtpSessionRequired,
    /// The action needs a second factor and the account has none enrolled yet (AUTH-01).
    #[error("no second factor enrolled")]
    SecondFactorSetupRequired,
    /// A qualified action before a successful identity proofing (ID-02), or before a new one
    /// after reactivation (ACC-02).
    #[error("identity proofing required")]
    IdentityProofingRequired,
    /// The identity verified at a reception is not the addressee the sender named (ID-03,
    /// eIDAS Art. 44(1)(c)): the letter is not delivered to this person.
    #[error("the verified identity is not the addressee's")]
    NotTheAddressee,
    /// No identity-proofing provider is configured on this server.
    #[error("no identity provider")]
    IdentityProviderUnavailable,
    /// The password is right but the account is deactivated; a reactivation link was sent
    /// (ACC-02).
    #[error("account deactivated")]
    AccountDeactivated,
    /// Sending to a non-professional contact who has not granted consent to this sender, or
    /// revoked it (CONS-01, CONS-03).
    #[error("the recipient's consent is required")]
    ConsentRequired,
    /// The letter was sent: nothing about it can change any more (LET-03).
    #[error("the letter was sent and cannot change")]
    LetterSent,
    /// Accepting or refusing after the 15-day period (LET-06).
    #[error("the acceptance period is over")]
    PeriodOver,
    /// Accepting or refusing a letter already accepted, refused or expired.
    #[error("the letter is no longer awaiting a decision")]
    AlreadyDecided,
    /// Opening content that was not accepted (LET-08, LET-11).
    #[error("the content is available only after acceptance")]
    NotAccepted,
    /// The seal or the time-stamping authority could not be used: nothing was recorded, the
    /// user may retry (LET-03: a letter is sent with all its evidence or not at all).
    #[error("the evidence service is unavailable")]
    EvidenceUnavailable,
    /// The security-incident register refused an input or a step its status does not allow
    /// (OPS-08; `domain::incidents`).
    #[error("incident register: {0}")]
    Incident(domain::incidents::IncidentRefusal),
    /// A back-office action by somebody without a trusted role in effect, or without the role
    /// it needs (OPS-01).
    #[error("trusted staff only")]
    OperatorOnly,
    /// A trusted role that the person may not hold with one they hold or were offered (codes
    /// of `domain::roles::TrustedRole`; policy §13.1.2).
    #[error("the roles {held} and {role} cannot be combined")]
    RoleConflict { role: String, held: String },
    /// A role the person already holds or was offered.
    #[error("the role is already held")]
    RoleHeld,
    /// Approving one's own dual-control request (OPS-06).
    #[error("a second person must approve")]
    OwnRequest,
    /// Deciding a dual-control request that is no longer pending.
    #[error("the request is no longer pending")]
    RequestClosed,
    /// Asking to act for a company one already acts for, or asked to (ID-05).
    #[error("a request for this company exists")]
    MemberExists,
    /// Submitting a request whose documents are not all there (ID-05): what is missing
    /// (`kbis:<number>` or a document kind code).
    #[error("documents missing: {missing:?}")]
    DossierIncomplete { missing: Vec<String> },
    /// Rejecting a request without saying why.
    #[error("a reason is required")]
    ReasonRequired,
    /// A document purged after its retention period (ID-07): only its hash stays.
    #[error("the document was purged")]
    DocumentPurged,
    /// A customer operation refused (policy §4.3, §4.4; `domain::customers`), among them
    /// sending without a customer contract.
    #[error("customers: {0}")]
    Customer(domain::customers::CustomerRefusal),
    /// Sending before accepting the edition of the sender terms in force (OPS-07).
    #[error("the terms of use {version} must be accepted")]
    TermsToAccept { version: String },
    /// A seal-key operation refused: bad input, or a key's status that does not allow it
    /// (OPS-06; `domain::seal_keys`).
    #[error("seal keys: {0}")]
    SealKey(domain::seal_keys::SealKeyRefusal),
    /// A passkey's answer that does not verify: another site's, another account's, a replayed
    /// one, or a key unknown here (issue 14, AUTH-01).
    #[error("the passkey was not accepted")]
    PasskeyRefused,
    /// A passkey ceremony unknown, already finished or older than five minutes: begin again.
    #[error("the passkey request expired")]
    PasskeyExpired,
    /// No passkey was used: the person cancelled, or this browser offers none (said in the
    /// browser, never by the server).
    #[error("no passkey was used")]
    PasskeyCancelled,
    /// Passkeys need the service at a domain name (WebAuthn refuses an IP address).
    #[error("passkeys are not available at this address")]
    PasskeysUnavailable,
}

impl AppError {
    /// The sentence shown to the user, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Invalid(reason) => reason.message(lang).to_owned(),
            AppError::DevelopmentOnly => texts::ERR_NOT_AVAILABLE.get(lang).to_owned(),
            AppError::NotFound => texts::ERR_NOT_FOUND.get(lang).to_owned(),
            AppError::Internal { request_id } => {
                format!("{} (ref. {request_id})", texts::ERR_INTERNAL.get(lang))
            }
            // The request never got an answer: the connection.
            AppError::Transport(ServerFnErrorErr::Request(_)) => {
                texts::ERR_REQUEST.get(lang).to_owned()
            }
            // An answer came, but not one this page understands (a 404 or a proxy's error
            // page, a page older than the server): not a connection problem.
            AppError::Transport(_) => texts::ERR_UNEXPECTED_ANSWER.get(lang).to_owned(),
            AppError::Malformed(detail) => {
                texts::ERR_MALFORMED.get(lang).replace("{detail}", detail)
            }
            AppError::TooLarge { max_bytes } => texts::ERR_TOO_LARGE
                .get(lang)
                .replace("{size}", &human_size(*max_bytes, lang)),
            AppError::NotPdf => texts::ERR_NOT_PDF.get(lang).to_owned(),
            AppError::SignInRequired => texts::ERR_SIGN_IN_REQUIRED.get(lang).to_owned(),
            AppError::SessionExpired => texts::ERR_SESSION_EXPIRED.get(lang).to_owned(),
            AppError::BadCredentials => texts::ERR_BAD_CREDENTIALS.get(lang).to_owned(),
            AppError::EmailNotConfirmed => texts::ERR_EMAIL_NOT_CONFIRMED.get(lang).to_owned(),
            AppError::BadCode => texts::ERR_BAD_CODE.get(lang).to_owned(),
            AppError::WrongPassword => texts::ERR_WRONG_PASSWORD.get(lang).to_owned(),
            AppError::TooManyAttempts { minutes } => texts::ERR_TOO_MANY_ATTEMPTS
                .get(lang)
                .replace("{minutes}", &minutes.to_string()),
            AppError::LinkInvalid => texts::ERR_LINK_INVALID.get(lang).to_owned(),
            AppError::OtpSessionRequired => texts::ERR_OTP_SESSION_REQUIRED.get(lang).to_owned(),
            AppError::SecondFactorSetupRequired => {
                texts::ERR_SECOND_FACTOR_SETUP.get(lang).to_owned()
            }
            AppError::IdentityProofingRequired => texts::ERR_PROOFING_REQUIRED.get(lang).to_owned(),
            AppError::NotTheAddressee => texts::ERR_NOT_THE_ADDRESSEE.get(lang).to_owned(),
            AppError::IdentityProviderUnavailable => {
                texts::ERR_NO_IDENTITY_PROVIDER.get(lang).to_owned()
            }
            AppError::AccountDeactivated => texts::ERR_ACCOUNT_DEACTIVATED.get(lang).to_owned(),
            AppError::ConsentRequired => texts::ERR_CONSENT_REQUIRED.get(lang).to_owned(),
            AppError::LetterSent => texts::ERR_LETTER_SENT.get(lang).to_owned(),
            AppError::PeriodOver => texts::ERR_PERIOD_OVER.get(lang).to_owned(),
            AppError::AlreadyDecided => texts::ERR_ALREADY_DECIDED.get(lang).to_owned(),
            AppError::NotAccepted => texts::ERR_NOT_ACCEPTED.get(lang).to_owned(),
            AppError::EvidenceUnavailable => texts::ERR_EVIDENCE_UNAVAILABLE.get(lang).to_owned(),
            AppError::Incident(refusal) => texts::incidents::refusal(*refusal, lang),
            AppError::Customer(refusal) => texts::customers::refusal(*refusal, lang),
            AppError::OperatorOnly => texts::operators::ERR_OPERATOR_ONLY.get(lang).to_owned(),
            AppError::RoleConflict { role, held } => {
                let label = |code: &str| {
                    domain::roles::TrustedRole::from_code(code)
                        .map_or(code, |role| texts::operators::role_label(role).get(lang))
                        .to_owned()
                };
                texts::operators::ERR_ROLE_CONFLICT
                    .get(lang)
                    .replace("{held}", &label(held))
                    .replace("{role}", &label(role))
            }
            AppError::RoleHeld => texts::operators::ERR_ROLE_HELD.get(lang).to_owned(),
            AppError::OwnRequest => texts::operators::ERR_OWN_REQUEST.get(lang).to_owned(),
            AppError::RequestClosed => texts::operators::ERR_REQUEST_CLOSED.get(lang).to_owned(),
            AppError::MemberExists => texts::entities::ERR_MEMBER_EXISTS.get(lang).to_owned(),
            AppError::DossierIncomplete { missing } => {
                let list: Vec<String> = missing
                    .iter()
                    .map(|code| texts::entities::missing_label(code, lang))
                    .collect();
                format!(
                    "{} {}",
                    texts::entities::ERR_DOSSIER_INCOMPLETE.get(lang),
                    list.join(" ; ")
                )
            }
            AppError::ReasonRequired => texts::entities::ERR_REASON_REQUIRED.get(lang).to_owned(),
            AppError::DocumentPurged => texts::entities::ERR_DOCUMENT_PURGED.get(lang).to_owned(),
            AppError::TermsToAccept { version } => texts::TERMS_TO_ACCEPT
                .get(lang)
                .replace("{version}", version),
            AppError::SealKey(refusal) => texts::seal_keys::refusal(*refusal).get(lang).to_owned(),
            AppError::PasskeyRefused => texts::passkeys::ERR_REFUSED.get(lang).to_owned(),
            AppError::PasskeyExpired => texts::passkeys::ERR_EXPIRED.get(lang).to_owned(),
            AppError::PasskeyCancelled => texts::passkeys::ERR_CANCELLED.get(lang).to_owned(),
            AppError::PasskeysUnavailable => texts::passkeys::ERR_UNAVAILABLE.get(lang).to_owned(),
        }
    }
}

impl AppError {
    /// The HTTP status that carries this error: 4xx for what the user can fix, 429 to wait,
    /// 5xx for our side only (so that monitoring counts real failures).
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            AppError::Invalid(_) => S::UNPROCESSABLE_ENTITY,
            AppError::DevelopmentOnly | AppError::NotFound => S::NOT_FOUND,
            AppError::Malformed(_) => S::BAD_REQUEST,
            // Asked on the server only, where `Deserialization` means the request's body could
            // not be read; the other transport errors are our side's.
            AppError::Transport(ServerFnErrorErr::Deserialization(_)) => S::BAD_REQUEST,
            AppError::Internal { .. } | AppError::Transport(_) => S::INTERNAL_SERVER_ERROR,
            AppError::TooLarge { .. } => S::PAYLOAD_TOO_LARGE,
            AppError::NotPdf => S::UNPROCESSABLE_ENTITY,
            AppError::SignInRequired
            | AppError::SessionExpired
            | AppError::BadCredentials
            | AppError::WrongPassword
            | AppError::BadCode
            | AppError::PasskeyRefused => S::UNAUTHORIZED,
            AppError::EmailNotConfirmed
            | AppError::AccountDeactivated
            | AppError::OtpSessionRequired
            | AppError::SecondFactorSetupRequired
            | AppError::IdentityProofingRequired
            | AppError::NotTheAddressee => S::FORBIDDEN,
            AppError::TooManyAttempts { .. } => S::TOO_MANY_REQUESTS,
            AppError::LinkInvalid | AppError::PasskeyExpired => S::GONE,
            // Never the server's answer: the browser's own.
            AppError::PasskeyCancelled => S::BAD_REQUEST,
            AppError::IdentityProviderUnavailable
            | AppError::EvidenceUnavailable
            | AppError::PasskeysUnavailable => S::SERVICE_UNAVAILABLE,
            AppError::Incident(domain::incidents::IncidentRefusal::Transition { .. }) => {
                S::CONFLICT
            }
            AppError::Incident(domain::incidents::IncidentRefusal::UnknownLetter) => S::NOT_FOUND,
            AppError::Incident(_) => S::UNPROCESSABLE_ENTITY,
            AppError::ConsentRequired | AppError::NotAccepted | AppError::OperatorOnly => {
                S::FORBIDDEN
            }
            AppError::RoleConflict { .. }
            | AppError::RoleHeld
            | AppError::OwnRequest
            | AppError::RequestClosed
            | AppError::MemberExists
            | AppError::DossierIncomplete { .. } => S::CONFLICT,
            AppError::ReasonRequired => S::UNPROCESSABLE_ENTITY,
            AppError::Customer(refusal) => {
                use domain::customers::CustomerRefusal as R;
                match refusal {
                    R::NotACustomer | R::ContractEnded | R::AdministratorOnly => S::FORBIDDEN,
                    R::ContractReference | R::ContractDate => S::UNPROCESSABLE_ENTITY,
                    R::ContractExists | R::AlreadyInvited | R::OtherCustomer => S::CONFLICT,
                    R::LastAdministrator => S::CONFLICT,
                    R::InvitationClosed => S::GONE,
                }
            }
            AppError::DocumentPurged => S::GONE,
            AppError::TermsToAccept { .. } => S::FORBIDDEN,
            AppError::SealKey(refusal) => crate::seal_keys::refusal_status(*refusal),
            AppError::LetterSent | AppError::PeriodOver | AppError::AlreadyDecided => S::CONFLICT,
        }
    }
}

impl From<domain::customers::CustomerRefusal> for AppError {
    fn from(refusal: domain::customers::CustomerRefusal) -> Self {
        AppError::Customer(refusal)
    }
}

impl From<Invalid> for AppError {
    fn from(reason: Invalid) -> Self {
        AppError::Invalid(reason)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Raised on the server only, before the function runs: the request's arguments
            // could not be decoded.
            ServerFnErrorErr::Args(detail) => AppError::Malformed(detail),
            ServerFnErrorErr::MissingArg(name) => {
                AppError::Malformed(format!("missing field `{name}`"))
            }
            other => AppError::Transport(other),
        }
    }
}

/// `max_bytes` in MB (or KB under one MB), as the user reads it.
fn human_size(max_bytes: u64, lang: Lang) -> String {
    const MB: u64 = 1024 * 1024;
    let (value, unit) = if max_bytes >= MB {
        (max_bytes / MB, ["Mo", "MB"])
    } else {
        (max_bytes.div_ceil(1024), ["Ko", "KB"])
    };
    let unit = match lang {
        Lang::Fr => unit[0],
        Lang::En => unit[1],
    };
    format!("{value} {unit}")
}
