//! The server's one error type. Flows, jobs and stores return [`ServerError`]; `?` converts the
//! errors of the layers below (database, sealing, mail, identity providers, files) and the
//! user-facing refusals ([`AppError`], [`Invalid`], [`TransitionError`]).
//!
//! A `ServerError` becomes what the user learns, and its HTTP status, in one place: the web
//! layer's `From<ServerError> for AppError` (`crate::web::errors`), which logs internal
//! failures with the request id and answers "something went wrong (ref. <request id>)".

use app::error::AppError;
use domain::{Invalid, TransitionError};

use crate::identity::IdentityError;
use crate::mailer::MailError;
use crate::sealing::SealingError;

/// Why a flow, a job or a store failed.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// A refusal the user may learn (a broken rule, a missing right, a state that forbids the
    /// action): it reaches them as it is, with its own status.
    #[error("{0}")]
    User(AppError),
    /// The database failed or refused a statement (not a refusal of the user's: those are
    /// checked before writing).
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The seal (HSM) or the time-stamping authority could not be used. Reaches the user as
    /// [`AppError::EvidenceUnavailable`]: nothing was recorded and they may retry (LET-03).
    #[error("evidence: {0}")]
    Sealing(SealingError),
    /// A message could not be formatted or handed to the mail server.
    #[error("mail: {0}")]
    Mail(#[from] MailError),
    /// An identity-proofing provider failed.
    #[error("identity provider: {0}")]
    Identity(#[from] IdentityError),
    /// A stored file (attachment) could not be read or written.
    #[error("file storage: {0}")]
    Io(#[from] std::io::Error),
    /// A blocking task panicked or was cancelled.
    #[error("task: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// Anything else that should not happen (a broken invariant), with what it is.
    #[error("{0}")]
    Internal(String),
}

impl ServerError {
    /// A broken invariant, described for the log.
    pub fn internal(what: impl std::fmt::Display) -> ServerError {
        ServerError::Internal(what.to_string())
    }

    /// The refusal the user may learn, if this is one.
    pub fn user(&self) -> Option<&AppError> {
        match self {
            ServerError::User(error) => Some(error),
            _ => None,
        }
    }
}

impl From<SealingError> for ServerError {
    fn from(error: SealingError) -> Self {
        match error {
            // Storing a sealed evidence is a database write like any other.
            SealingError::Store(error) => ServerError::Database(error),
            error => ServerError::Sealing(error),
        }
    }
}

impl From<AppError> for ServerError {
    fn from(error: AppError) -> Self {
        ServerError::User(error)
    }
}

impl From<Invalid> for ServerError {
    fn from(reason: Invalid) -> Self {
        ServerError::User(AppError::Invalid(reason))
    }
}

impl From<TransitionError> for ServerError {
    fn from(error: TransitionError) -> Self {
        ServerError::User(match error {
            TransitionError::AlreadyDecided => AppError::AlreadyDecided,
            TransitionError::PeriodOver | TransitionError::PeriodNotOver => AppError::PeriodOver,
            TransitionError::NotAccepted => AppError::NotAccepted,
            // The recipient of a letter not notified has nothing (LET-05): as for no letter.
            TransitionError::NotNotified => AppError::NotFound,
            // Only the notification's own job records its outcome; never a user's request.
            TransitionError::NotificationRecorded => AppError::AlreadyDecided,
        })
    }
}

impl From<serde_json::Error> for ServerError {
    fn from(error: serde_json::Error) -> Self {
        ServerError::Internal(format!("JSON: {error}"))
    }
}

/// What jobs return: a failed run is retried later, and its error is kept with the job.
pub type JobResult = Result<(), ServerError>;
