//! Path parameters whose errors use the API's envelope (axum's own rejection is plain text
//! and repeats the input).

use std::collections::BTreeMap;

use axum::extract::{FromRequestParts, Path, RawPathParams};
use axum::http::request::Parts;
use pantau_core::{AreaCode, ErrorCode, Field, RegionCode};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, Response, ResponseBuilder};

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

/// The OpenAPI description of [`AreaPath`]'s segment.
impl utoipa::IntoParams for AreaPath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![ParameterBuilder::new()
            .name("code")
            .parameter_in(ParameterIn::Path)
            .description(Some("`ID` for the nation or a Kemendagri code such as `32.16`"))
            .required(Required::True)
            .schema(Some(ObjectBuilder::new().schema_type(Type::String).build()))
            .build()]
    }
}

/// The answers every [`AreaPath`] route may refuse with, for the OpenAPI document.
pub struct AreaRefusals;

impl utoipa::IntoResponses for AreaRefusals {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let refusal = |description: &str| {
            let envelope = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorEnvelope")))
                .build();
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content("application/json", envelope)
                    .build(),
            )
        };
        BTreeMap::from([
            ("400".to_owned(), refusal("Malformed code")),
            ("404".to_owned(), refusal("No such area")),
        ])
    }
}
