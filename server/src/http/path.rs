//! Path parameters whose errors use the API's envelope (axum's own rejection is plain text
//! and repeats the input).

use axum::extract::{FromRequestParts, Path, RawPathParams};
use axum::http::request::Parts;
use pantau_core::{AreaCode, ErrorCode, Field, RegionCode};

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

/// The area of the path's `{code}`: `ID` for the nation or a Kemendagri code, e.g.
/// `/areas/{code}/trend`; other segments of the path are left to other extractors.
pub struct AreaPath(pub AreaCode);

/// A region of the path's `{code}`: as [`AreaPath`], but the nation is refused too.
pub struct RegionPath(pub RegionCode);

fn malformed() -> ApiError {
    ApiError::At(ErrorCode::InvalidRegionCode, Field::Code)
}

async fn area_of<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<AreaCode, ApiError> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| malformed())?;
    let raw = params
        .iter()
        .find_map(|(name, value)| (name == "code").then_some(value))
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("route without a {{code}} segment")))?;
    AreaCode::parse(raw).map_err(|_| malformed())
}

impl<S: Send + Sync> FromRequestParts<S> for AreaPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        area_of(parts, state).await.map(AreaPath)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RegionPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match area_of(parts, state).await? {
            AreaCode::Region(code) => Ok(RegionPath(code)),
            AreaCode::Nation => Err(malformed()),
        }
    }
}
