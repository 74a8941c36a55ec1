//! JSON request bodies whose errors use the API's envelope: a body that cannot be read names
//! the field at fault (from the deserializer's path) and never repeats the input, as axum's
//! own `Json` rejection would.

use axum::extract::{FromRequest, Request};
use pantau_core::{ErrorCode, Field};
use serde::de::DeserializeOwned;

use super::ApiError;

/// Bodies above this are refused: the largest form is a few kilobytes.
const BODY_LIMIT: usize = 64 * 1024;

/// A JSON body of type `T`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::Code(ErrorCode::BadRequest));
        }
        let bytes = axum::body::to_bytes(request.into_body(), BODY_LIMIT)
            .await
            .map_err(|_| ApiError::Code(ErrorCode::BadRequest))?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(&mut deserializer)
            .map(JsonBody)
            .map_err(|err| match field_of(&err.path().to_string()) {
                Some(field) => ApiError::At(ErrorCode::BadRequest, field),
                None => ApiError::Code(ErrorCode::BadRequest),
            })
    }
}

/// The field a deserializer path points at, when it is one the API names (`income`).
fn field_of(path: &str) -> Option<Field> {
    let first = path.split(['.', '[']).next()?;
    serde_json::from_value(serde_json::Value::String(first.to_owned())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_known_fields_only() {
        assert_eq!(field_of("income"), Some(Field::Income));
        assert_eq!(field_of("grant.scope"), None);
        assert_eq!(field_of("."), None);
    }
}
