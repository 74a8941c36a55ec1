//! One error type for every handler, answered with the core error envelope.
//!
//! An error is one of a few shapes around a core [`ErrorCode`]; the HTTP status comes from
//! the code alone ([`status`]), so a new code needs one line there and nothing here.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use pantau_core::intake::FieldProblem;
use pantau_core::workers::DuplicateNik;
use pantau_core::{ErrorCode, ErrorEnvelope, Field};

use crate::store::StoreError;

/// Why a request failed.
#[derive(Debug)]
pub enum ApiError {
    /// A refusal not tied to one input.
    Code(ErrorCode),
    /// A refusal about one input.
    At(ErrorCode, Field),
    /// A refusal about one input, with a sentence more precise than the code's own.
    Worded(ErrorCode, Field, &'static str),
    /// Every problem of an enrolment form (`invalid_enrolment`).
    Problems(Vec<FieldProblem>),
    /// The NIK is enrolled already (`duplicate_nik`): where, with the NIK masked.
    Duplicate(DuplicateNik),
    /// An uploaded file failed its checks (`invalid_boundaries`, `import_columns_missing`):
    /// one line per problem, never a cell's content.
    Details(ErrorCode, Vec<String>),
    /// The server failed: answered generically, logged by [`log_internal_errors`].
    Internal(anyhow::Error),
}

/// The HTTP status of each code: the one place it is decided.
pub fn status(code: ErrorCode) -> StatusCode {
    use ErrorCode as C;
    match code {
        C::InvalidRegionCode
        | C::InvalidSearch
        | C::InvalidMapLevel
        | C::InvalidMapDetail
        | C::InvalidMapPart
        | C::InvalidDescendantLevel
        | C::InvalidResetToken
        | C::InvalidFilter
        | C::InvalidIdempotencyKey
        | C::BadRequest => StatusCode::BAD_REQUEST,
        C::Unauthenticated | C::SessionExpired | C::InvalidCredentials => StatusCode::UNAUTHORIZED,
        C::CsrfMismatch | C::Forbidden => StatusCode::FORBIDDEN,
        C::AreaNotFound
        | C::UserNotFound
        | C::EnrolmentNotFound
        | C::RegulationNotFound
        | C::RouteNotFound
        | C::ImportBatchNotFound => StatusCode::NOT_FOUND,
        C::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        C::UsernameTaken | C::DuplicateNik | C::WrongState | C::IdempotencyKeyInProgress | C::ImportBatchChanged => {
            StatusCode::CONFLICT
        }
        C::PasswordTooShort
        | C::PasswordTooLong
        | C::PasswordCommon
        | C::InvalidUsername
        | C::InvalidDisplayName
        | C::InvalidEmail
        | C::InvalidScope
        | C::InvalidEnrolment
        | C::InvalidReason
        | C::InvalidMembershipNumber
        | C::InvalidPaidMonths
        | C::InvalidTarget
        | C::InvalidBoundaries
        | C::InvalidRegulation
        | C::InvalidBudget
        | C::IdempotencyKeyReused
        | C::ImportColumnsMissing
        | C::ImportUnreadable
        | C::ImportEncoding
        | C::ImportHasErrors => StatusCode::UNPROCESSABLE_ENTITY,
        C::ImportTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        C::TooManyAttempts | C::TooManyNikLookups | C::TooManyOpenReports => StatusCode::TOO_MANY_REQUESTS,
        C::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
        C::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        Self::Code(code)
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        Self::Internal(err)
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::At(ErrorCode::AreaNotFound, Field::Code),
            StoreError::Conflict => Self::Internal(anyhow::anyhow!("unexpected conflict")),
            // The NIK itself stays out of the error, which is logged.
            StoreError::DuplicateNik(..) => Self::Internal(anyhow::anyhow!("unhandled duplicate NIK")),
            StoreError::WrongState => Self::Code(ErrorCode::WrongState),
            StoreError::Full => Self::Code(ErrorCode::StorageFull),
            StoreError::Other(err) => Self::Internal(err),
        }
    }
}

impl ApiError {
    /// The Bahasa Indonesia sentence the response carries (for the command line); an internal
    /// error's own text.
    pub fn message(&self) -> String {
        match self {
            Self::Internal(err) => err.to_string(),
            other => other.envelope().error.message,
        }
    }

    /// The body of the response.
    fn envelope(&self) -> ErrorEnvelope {
        match self {
            Self::Code(code) => ErrorEnvelope::of(*code),
            Self::At(code, field) => ErrorEnvelope::field(*code, *field),
            Self::Worded(code, field, message) => {
                let mut envelope = ErrorEnvelope::field(*code, *field);
                envelope.error.message = (*message).to_owned();
                envelope
            }
            Self::Problems(problems) => ErrorEnvelope::problems(problems.clone()),
            Self::Duplicate(duplicate) => ErrorEnvelope::duplicate(duplicate.clone()),
            Self::Details(code, details) => {
                let mut envelope = ErrorEnvelope::of(*code);
                envelope.error.details = details.clone();
                envelope
            }
            Self::Internal(_) => ErrorEnvelope::of(ErrorCode::Internal),
        }
    }
}

/// In English, for logs and panics of the command line and tests.
impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Internal(err) => write!(f, "{err:#}"),
            other => f.write_str(other.envelope().error.code.message_en()),
        }
    }
}

impl std::error::Error for ApiError {}

/// An internal error riding on its response to [`log_internal_errors`]; never serialized.
#[derive(Clone)]
struct InternalError(Arc<anyhow::Error>);

/// A refusal worth a security log line (403: out of scope, CSRF mismatch), riding on its
/// response to [`log_refusals`].
#[derive(Clone, Copy)]
struct Refusal(ErrorCode);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.envelope();
        let code = body.error.code;
        let mut response = (status(code), Json(body)).into_response();
        if status(code) == StatusCode::FORBIDDEN {
            response.extensions_mut().insert(Refusal(code));
        }
        if let Self::Internal(err) = self {
            response.extensions_mut().insert(InternalError(Arc::new(err)));
        }
        response
    }
}

/// Logs the internal error a response carries, once, inside the request's span (method,
/// route and request id). The errors come from the store, the runtime and the libraries,
/// never from request input: the one that could hold a NIK (a duplicate) is replaced by a
/// fixed text above.
pub async fn log_internal_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if let Some(InternalError(err)) = response.extensions().get::<InternalError>() {
        tracing::error!(error = ?err, "request failed");
    }
    response
}

/// Logs each 403 with where it came from (the client's address, behind trusted proxies the
/// forwarded one), inside the request's span (method, route, request id): repeated refusals
/// from one address are someone probing scopes or forging requests. No account and no input
/// is written; the route says what was tried.
pub async fn log_refusals(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    request: Request,
    next: Next,
) -> Response {
    let address = super::session::client_address(&state, request.extensions(), request.headers());
    let response = next.run(request).await;
    if let Some(Refusal(code)) = response.extensions().get::<Refusal>() {
        tracing::warn!(code = ?code, %address, "request refused");
    }
    response
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use axum::body::Body;
    use axum::routing::get;
    use axum::Router;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::*;

    /// Log lines written while a test runs.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn internal_errors_are_answered_generically_and_logged_once_by_the_middleware() {
        let logs = Captured::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let router = Router::new()
            .route(
                "/fails",
                get(|| async { ApiError::Internal(anyhow::anyhow!("database is locked")) }),
            )
            .layer(axum::middleware::from_fn(log_internal_errors));
        let response = router
            .oneshot(axum::http::Request::get("/fails").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(
            body,
            serde_json::to_vec(&ErrorEnvelope::of(ErrorCode::Internal)).unwrap()
        );
        let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
        assert_eq!(logged.matches("request failed").count(), 1, "{logged}");
        assert!(logged.contains("database is locked"), "{logged}");
    }

    #[test]
    fn every_shape_takes_its_status_from_its_code() {
        let cases = [
            (
                ApiError::At(ErrorCode::InvalidRegionCode, Field::Code),
                StatusCode::BAD_REQUEST,
            ),
            (
                ApiError::At(ErrorCode::Forbidden, Field::Village),
                StatusCode::FORBIDDEN,
            ),
            (
                ApiError::Code(ErrorCode::MethodNotAllowed),
                StatusCode::METHOD_NOT_ALLOWED,
            ),
            (ApiError::Problems(Vec::new()), StatusCode::UNPROCESSABLE_ENTITY),
            (
                ApiError::Details(ErrorCode::InvalidBoundaries, vec!["feature 1".into()]),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (ApiError::from(StoreError::NotFound), StatusCode::NOT_FOUND),
            (ApiError::from(StoreError::WrongState), StatusCode::CONFLICT),
        ];
        for (error, expected) in cases {
            assert_eq!(error.into_response().status(), expected);
        }
    }
}
