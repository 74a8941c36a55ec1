//! Errors the app shows. `Display` is the text the reader sees, in the current language.

use std::fmt;

use pantau_core::ErrorCode;

use crate::i18n::{error_message, texts};

/// What went wrong while loading or sending data.
#[derive(Clone, Debug, PartialEq)]
pub enum AppError {
    /// The API answered with one of our error codes.
    Api(ErrorCode),
    /// No answer: offline, timed out, or the server is down.
    Network,
    /// The server answered something the app cannot read.
    Unreadable,
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Api(code) => error_message(*code),
            Self::Network => texts().network_error,
            Self::Unreadable => texts().unreadable_error,
        })
    }
}

impl std::error::Error for AppError {}
