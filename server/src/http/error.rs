//! One error type for every handler, answered with the core error envelope.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use pantau_core::{ErrorCode, ErrorEnvelope, Field};

use crate::store::StoreError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The region code in the path is malformed.
    #[error("invalid region code")]
    InvalidRegionCode,
    /// No area has this code.
    #[error("area not found")]
    AreaNotFound,
    /// The search query is empty or too long.
    #[error("invalid search query")]
    InvalidSearch,
    /// The map cannot show this level for this area.
    #[error("invalid map level")]
    InvalidMapLevel,
    /// The map detail is not 0 or 1.
    #[error("invalid map detail")]
    InvalidMapDetail,
    /// The descendants level is not below the area.
    #[error("invalid descendant level")]
    InvalidDescendantLevel,
    /// No API route here.
    #[error("route not found")]
    RouteNotFound,
    /// Logged once here; answered generically.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::AreaNotFound,
            StoreError::Conflict => Self::Internal(anyhow::anyhow!("unexpected conflict")),
            StoreError::Other(err) => Self::Internal(err),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match &self {
            Self::InvalidRegionCode => (
                StatusCode::BAD_REQUEST,
                ErrorEnvelope::field(ErrorCode::InvalidRegionCode, Field::Code),
            ),
            Self::AreaNotFound => (
                StatusCode::NOT_FOUND,
                ErrorEnvelope::field(ErrorCode::AreaNotFound, Field::Code),
            ),
            Self::InvalidSearch => (
                StatusCode::BAD_REQUEST,
                ErrorEnvelope::field(ErrorCode::InvalidSearch, Field::Query),
            ),
            Self::InvalidMapLevel => (
                StatusCode::BAD_REQUEST,
                ErrorEnvelope::field(ErrorCode::InvalidMapLevel, Field::Level),
            ),
            Self::InvalidMapDetail => (
                StatusCode::BAD_REQUEST,
                ErrorEnvelope::field(ErrorCode::InvalidMapDetail, Field::Detail),
            ),
            Self::InvalidDescendantLevel => (
                StatusCode::BAD_REQUEST,
                ErrorEnvelope::field(ErrorCode::InvalidDescendantLevel, Field::Level),
            ),
            Self::RouteNotFound => (StatusCode::NOT_FOUND, ErrorEnvelope::of(ErrorCode::RouteNotFound)),
            Self::Internal(err) => {
                tracing::error!(error = ?err, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorEnvelope::of(ErrorCode::Internal),
                )
            }
        };
        (status, Json(body)).into_response()
    }
}
