//! Errors the app shows. `Display` is the Bahasa Indonesia text the user reads.

use pantau_core::ErrorCode;

/// What went wrong while loading or sending data.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AppError {
    /// The API answered with one of our error codes.
    #[error("{}", .0.message_id())]
    Api(ErrorCode),
    /// No answer: offline, timed out, or the server is down.
    #[error("Tidak dapat terhubung ke server. Periksa koneksi internet Anda, lalu coba lagi.")]
    Network,
    /// The server answered something the app cannot read.
    #[error("Jawaban server tidak dapat dibaca. Coba muat ulang halaman.")]
    Unreadable,
}

impl AppError {
    /// Whether the error means the thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Api(ErrorCode::AreaNotFound | ErrorCode::InvalidRegionCode))
    }
}
