//! Accounts: admins create users within their scope and issue one-time password-reset links.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use pantau_core::account::{AccountFields, Action, NewUser, PasswordReset, ResetLink, UserSummary};
use pantau_core::{ErrorCode, Field};
use time::OffsetDateTime;

use super::json::JsonBody;
use super::path::RecordId;
use super::session::Official;
use super::ApiError;
use crate::auth::{self, PasswordProblem, RESET_LINK_SECS};
use crate::store::{AccountRecord, Actor, NewAccount, StoreError};
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(reset_link))
        .routes(routes!(reset_password))
}

fn summary(account: AccountRecord) -> UserSummary {
    UserSummary {
        id: account.id,
        username: account.username,
        display_name: account.display_name,
        grant: account.grant,
        active: account.active,
    }
}

pub(crate) fn password_error(problem: PasswordProblem) -> ApiError {
    match problem {
        PasswordProblem::TooShort => ApiError::At(ErrorCode::PasswordTooShort, Field::Password),
        PasswordProblem::TooLong => ApiError::At(ErrorCode::PasswordTooLong, Field::Password),
        PasswordProblem::Common => ApiError::At(ErrorCode::PasswordCommon, Field::Password),
    }
}

/// Checks a new account and hashes its password. Shared by the API and the CLI.
pub async fn prepare_account(state_store: &dyn crate::store::Store, user: NewUser) -> Result<NewAccount, ApiError> {
    // The users form runs the same check before sending; the first fault is answered.
    let AccountFields {
        username,
        display_name,
        email,
    } = user.fields().map_err(|problems| {
        let first = problems[0];
        ApiError::At(first.code, first.field)
    })?;
    if !user.grant.role.accepts_scope(user.grant.scope.level()) {
        return Err(ApiError::At(ErrorCode::InvalidScope, Field::Scope));
    }
    match state_store.area_name(&user.grant.scope).await {
        Ok(_) => {}
        Err(StoreError::NotFound) => return Err(ApiError::At(ErrorCode::InvalidScope, Field::Scope)),
        Err(err) => return Err(err.into()),
    }
    auth::check_new_password(&user.password, &username).map_err(password_error)?;
    let password = user.password;
    let password_hash = auth::hashing(move || auth::hash_password(&password))
        .await
        .map_err(ApiError::Internal)??;
    Ok(NewAccount {
        username,
        email,
        display_name,
        grant: user.grant,
        password_hash,
    })
}

#[utoipa::path(get, path = "/users", tag = "kerja",
    responses((status = 200, description = "Accounts inside the caller's scope", body = [UserSummary])))]
pub(crate) async fn list(
    State(state): State<AppState>,
    official: Official,
) -> Result<Json<Vec<UserSummary>>, ApiError> {
    let scope = official.account.grant.scope.clone();
    official.require(Action::ManageUsers, &scope)?;
    let accounts = state.store.accounts_in(&scope).await?;
    Ok(Json(accounts.into_iter().map(summary).collect()))
}

#[utoipa::path(post, path = "/users", tag = "kerja", request_body = NewUser,
    responses((status = 201, description = "Created", body = UserSummary),
              (status = 403, description = "Role or scope outside the caller's", body = pantau_core::ErrorEnvelope),
              (status = 409, description = "Username taken", body = pantau_core::ErrorEnvelope)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    official: Official,
    JsonBody(user): JsonBody<NewUser>,
) -> Result<(StatusCode, Json<UserSummary>), ApiError> {
    if !official.account.grant.manages(&user.grant) {
        return Err(ApiError::Code(ErrorCode::Forbidden));
    }
    let account = prepare_account(state.store.as_ref(), user).await?;
    let id = match state.store.create_account(&account, Some(&official.actor())).await {
        Err(StoreError::Conflict) => return Err(ApiError::At(ErrorCode::UsernameTaken, Field::Username)),
        other => other?,
    };
    let created = state
        .store
        .account(id)
        .await?
        .ok_or(ApiError::Code(ErrorCode::UserNotFound))?;
    Ok((StatusCode::CREATED, Json(summary(created))))
}

#[utoipa::path(post, path = "/users/{id}/reset-link", tag = "kerja",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 201, description = "A one-time link for the admin to pass on", body = ResetLink)))]
pub(crate) async fn reset_link(
    State(state): State<AppState>,
    official: Official,
    RecordId(id): RecordId,
) -> Result<(StatusCode, Json<ResetLink>), ApiError> {
    let account = state
        .store
        .account(id)
        .await?
        .ok_or(ApiError::Code(ErrorCode::UserNotFound))?;
    if !official.account.grant.manages(&account.grant) {
        return Err(ApiError::Code(ErrorCode::Forbidden));
    }
    let token = auth::new_token();
    let expires = OffsetDateTime::now_utc().unix_timestamp() + RESET_LINK_SECS;
    state
        .store
        .create_reset(&auth::token_hash(&token), id, expires, &official.actor())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ResetLink {
            // In the fragment: browsers never send it, so it stays out of access logs.
            path: format!("/kerja/#atur-sandi={token}"),
            expires_at: OffsetDateTime::from_unix_timestamp(expires).map_err(|e| ApiError::Internal(e.into()))?,
        }),
    ))
}

#[utoipa::path(post, path = "/password-reset", tag = "kerja", request_body = PasswordReset,
    responses((status = 204, description = "Password set; every session of the account ended"),
              (status = 400, description = "Unknown, used or expired token, or a weak password", body = pantau_core::ErrorEnvelope)))]
pub(crate) async fn reset_password(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    headers: axum::http::HeaderMap,
    JsonBody(reset): JsonBody<PasswordReset>,
) -> Result<StatusCode, ApiError> {
    if !state
        .throttle
        .allow_address(super::session::client_address(&state, &extensions, &headers))
    {
        return Err(ApiError::Code(ErrorCode::TooManyAttempts));
    }
    let hash = auth::token_hash(reset.token.trim());
    let now = OffsetDateTime::now_utc().unix_timestamp();
    // Checked before the token is spent, so a weak password does not burn the link.
    let pending = state
        .store
        .peek_reset(&hash, now)
        .await?
        .ok_or(ApiError::At(ErrorCode::InvalidResetToken, Field::Token))?;
    let account = state
        .store
        .account(pending)
        .await?
        .ok_or(ApiError::At(ErrorCode::InvalidResetToken, Field::Token))?;
    auth::check_new_password(&reset.password, &account.username).map_err(password_error)?;
    let account_id = state
        .store
        .take_reset(&hash, now)
        .await?
        .ok_or(ApiError::At(ErrorCode::InvalidResetToken, Field::Token))?;
    let password = reset.password;
    let password_hash = auth::hashing(move || auth::hash_password(&password))
        .await
        .map_err(ApiError::Internal)??;
    let actor = Actor {
        id: account.id,
        username: account.username.clone(),
    };
    state.store.set_password(account_id, &password_hash, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
