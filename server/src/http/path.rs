//! Path parameters whose errors use the API's envelope (axum's own rejection is plain text
//! and repeats the input).

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use pantau_core::ErrorCode;

use super::ApiError;

/// A record id in the path, e.g. `/enrolments/{id}`.
pub struct RecordId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for RecordId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::Code(ErrorCode::BadRequest))?;
        raw.parse()
            .map(RecordId)
            .map_err(|_| ApiError::Code(ErrorCode::BadRequest))
    }
}
