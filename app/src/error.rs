//! The error type of every server function: what the user is told, never the internal detail
//! (which the server logs with the request id).

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::texts;
use crate::validation::Invalid;

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
            AppError::Transport(_) => texts::ERR_REQUEST.get(lang).to_owned(),
        }
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
        AppError::Transport(value)
    }
}
