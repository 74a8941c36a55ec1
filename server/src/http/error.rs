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
    /// A map part other than 1 or 2 of the national district layer.
    #[error("invalid map part")]
    InvalidMapPart,
    /// The descendants level is not below the area.
    #[error("invalid descendant level")]
    InvalidDescendantLevel,
    /// No API route here.
    #[error("route not found")]
    RouteNotFound,
    /// not signed in.
    #[error("not signed in")]
    Unauthenticated,
    /// session expired.
    #[error("session expired")]
    SessionExpired,
    /// invalid credentials.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// too many attempts.
    #[error("too many attempts")]
    TooManyAttempts,
    /// CSRF token mismatch.
    #[error("CSRF token mismatch")]
    CsrfMismatch,
    /// forbidden.
    #[error("forbidden")]
    Forbidden,
    /// password too short.
    #[error("password too short")]
    PasswordTooShort,
    /// password too long.
    #[error("password too long")]
    PasswordTooLong,
    /// password too common.
    #[error("password too common")]
    PasswordCommon,
    /// invalid username.
    #[error("invalid username")]
    InvalidUsername,
    /// invalid display name.
    #[error("invalid display name")]
    InvalidDisplayName,
    /// invalid e-mail.
    #[error("invalid e-mail")]
    InvalidEmail,
    /// username taken.
    #[error("username taken")]
    UsernameTaken,
    /// scope does not fit the role.
    #[error("scope does not fit the role")]
    InvalidScope,
    /// invalid reset token.
    #[error("invalid reset token")]
    InvalidResetToken,
    /// user not found.
    #[error("user not found")]
    UserNotFound,
    /// enrolment not found.
    #[error("enrolment not found")]
    EnrolmentNotFound,
    /// wrong state.
    #[error("wrong state")]
    WrongState,
    /// invalid reason.
    #[error("invalid reason")]
    InvalidReason,
    /// invalid membership number.
    #[error("invalid membership number")]
    InvalidMembershipNumber,
    /// invalid paid months.
    #[error("invalid paid months")]
    InvalidPaidMonths,
    /// invalid target.
    #[error("invalid target")]
    InvalidTarget,
    /// invalid filter.
    #[error("invalid filter")]
    InvalidFilter,
    /// The body could not be read; the field when known.
    #[error("bad request")]
    BadRequest(Option<Field>),
    /// The enrolment form has problems.
    #[error("invalid enrolment")]
    InvalidEnrolment(Vec<pantau_core::intake::FieldProblem>),
    /// The NIK is enrolled already.
    #[error("duplicate NIK")]
    DuplicateNik(pantau_core::workers::DuplicateNik),
    /// An uploaded boundary file failed its checks: one line per problem.
    #[error("invalid boundaries")]
    InvalidBoundaries(Vec<String>),
    /// A complete envelope built by the handler (field-specific messages).
    #[error("request refused")]
    Envelope(StatusCode, Box<ErrorEnvelope>),
    /// Budget year, amount or duplicate source.
    #[error("invalid budget")]
    InvalidBudget,
    /// The path exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// No regulation with this id.
    #[error("regulation not found")]
    RegulationNotFound,
    /// The village is outside the caller's scope.
    #[error("village outside scope")]
    VillageOutOfScope,

    /// Logged once here; answered generically.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::AreaNotFound,
            StoreError::Conflict => Self::Internal(anyhow::anyhow!("unexpected conflict")),
            StoreError::DuplicateNik(..) => Self::Internal(anyhow::anyhow!("unhandled duplicate NIK")),
            StoreError::WrongState => Self::WrongState,
            StoreError::Other(err) => Self::Internal(err),
        }
    }
}

impl ApiError {
    /// The Bahasa Indonesia sentence the response carries (for the command line).
    pub fn message(&self) -> String {
        match self {
            Self::Internal(err) => err.to_string(),
            other => other.parts().1.error.message,
        }
    }

    fn parts(&self) -> (StatusCode, ErrorEnvelope) {
        match self {
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
            Self::InvalidMapPart => (
                StatusCode::BAD_REQUEST,
                ErrorEnvelope::field(ErrorCode::InvalidMapPart, Field::Part),
            ),
            Self::InvalidDescendantLevel => (
                StatusCode::BAD_REQUEST,
                ErrorEnvelope::field(ErrorCode::InvalidDescendantLevel, Field::Level),
            ),
            Self::RouteNotFound => (StatusCode::NOT_FOUND, ErrorEnvelope::of(ErrorCode::RouteNotFound)),
            Self::Unauthenticated => (StatusCode::UNAUTHORIZED, ErrorEnvelope::of(ErrorCode::Unauthenticated)),
            Self::SessionExpired => (StatusCode::UNAUTHORIZED, ErrorEnvelope::of(ErrorCode::SessionExpired)),
            Self::InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                ErrorEnvelope::field(ErrorCode::InvalidCredentials, Field::Login),
            ),
            Self::TooManyAttempts => (
                StatusCode::TOO_MANY_REQUESTS,
                ErrorEnvelope::of(ErrorCode::TooManyAttempts),
            ),
            Self::CsrfMismatch => (StatusCode::FORBIDDEN, ErrorEnvelope::of(ErrorCode::CsrfMismatch)),
            Self::Forbidden => (StatusCode::FORBIDDEN, ErrorEnvelope::of(ErrorCode::Forbidden)),
            Self::PasswordTooShort => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorEnvelope::field(ErrorCode::PasswordTooShort, Field::Password),
            ),
            Self::PasswordTooLong => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorEnvelope::field(ErrorCode::PasswordTooLong, Field::Password),
            ),
            Self::PasswordCommon => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorEnvelope::field(ErrorCode::PasswordCommon, Field::Password),
            ),
            Self::InvalidUsername => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorEnvelope::field(ErrorCode::InvalidUsername, Field::Username),
            ),
            Self::InvalidDisplayName => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorEnvelope::field(ErrorCode::InvalidDisplayName, Field::DisplayName),
            ),
            Self::InvalidEmail => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorEnvelope::field(ErrorCode::InvalidEmail, Field::Email),
            ),
            Self::UsernameTaken => (
                StatusCode::CONFLICT,
                ErrorEnvelope::field(ErrorCode::UsernameTaken, Field::Username),
            ),
            Self::InvalidScope => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorEnvelope::field(ErrorCode::InvalidScope, Field::Scope),
            ),
            Self::InvalidResetToken => (
                StatusCode::BAD_REQUEST,
                ErrorEnvelope::field(ErrorCode::InvalidResetToken, Field::Token),
            ),
            Self::UserNotFound => (StatusCode::NOT_FOUND, ErrorEnvelope::of(ErrorCode::UserNotFound)),
            Self::EnrolmentNotFound => (StatusCode::NOT_FOUND, ErrorEnvelope::of(ErrorCode::EnrolmentNotFound)),
            Self::WrongState => (StatusCode::CONFLICT, ErrorEnvelope::of(ErrorCode::WrongState)),
            Self::InvalidReason => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorEnvelope::field(ErrorCode::InvalidReason, Field::Reason),
            ),
            Self::InvalidMembershipNumber => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorEnvelope::field(ErrorCode::InvalidMembershipNumber, Field::MembershipNumber),
            ),
            Self::InvalidPaidMonths => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorEnvelope::field(ErrorCode::InvalidPaidMonths, Field::PaidMonths),
            ),
            Self::InvalidTarget => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorEnvelope::field(ErrorCode::InvalidTarget, Field::Target),
            ),
            Self::InvalidFilter => (StatusCode::BAD_REQUEST, ErrorEnvelope::of(ErrorCode::InvalidFilter)),
            Self::BadRequest(None) => (StatusCode::BAD_REQUEST, ErrorEnvelope::of(ErrorCode::BadRequest)),
            Self::BadRequest(Some(field)) => (
                StatusCode::BAD_REQUEST,
                ErrorEnvelope::field(ErrorCode::BadRequest, *field),
            ),
            Self::InvalidEnrolment(problems) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorEnvelope::problems(problems.clone()),
            ),
            Self::DuplicateNik(duplicate) => (StatusCode::CONFLICT, ErrorEnvelope::duplicate(duplicate.clone())),
            Self::InvalidBoundaries(details) => {
                let mut envelope = ErrorEnvelope::of(ErrorCode::InvalidBoundaries);
                envelope.error.details = details.clone();
                (StatusCode::UNPROCESSABLE_ENTITY, envelope)
            }
            Self::Envelope(status, envelope) => (*status, (**envelope).clone()),
            Self::InvalidBudget => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorEnvelope::of(ErrorCode::InvalidBudget),
            ),
            Self::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorEnvelope::of(ErrorCode::MethodNotAllowed),
            ),
            Self::RegulationNotFound => (StatusCode::NOT_FOUND, ErrorEnvelope::of(ErrorCode::RegulationNotFound)),
            Self::VillageOutOfScope => (
                StatusCode::FORBIDDEN,
                ErrorEnvelope::field(ErrorCode::Forbidden, Field::Village),
            ),

            Self::Internal(err) => {
                tracing::error!(error = ?err, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorEnvelope::of(ErrorCode::Internal),
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = self.parts();
        (status, Json(body)).into_response()
    }
}
