//! Accounts: admins create users within their scope and issue one-time password-reset links.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use pantau_core::account::{
    valid_display_name, AccountFields, Action, CreatedUser, Grant, NewUser, PasswordReset, ResetLink, UserChange,
    UserSummary,
};
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
        .routes(routes!(change))
        .routes(routes!(sign_out_everywhere))
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

/// `InvalidScope` unless the role may be bound to the scope's level and the scope exists.
async fn check_grant(store: &dyn crate::store::Store, grant: &Grant) -> Result<(), ApiError> {
    if !grant.role.accepts_scope(grant.scope.level()) {
        return Err(ApiError::At(ErrorCode::InvalidScope, Field::Scope));
    }
    match store.area_name(&grant.scope).await {
        Ok(_) => Ok(()),
        Err(StoreError::NotFound) => Err(ApiError::At(ErrorCode::InvalidScope, Field::Scope)),
        Err(err) => Err(err.into()),
    }
}

/// Checks a new account and hashes its password. Shared by the API, where there is none (the
/// holder sets it with a reset link), and the CLI, which creates the first national admin.
pub async fn prepare_account(
    state_store: &dyn crate::store::Store,
    user: NewUser,
    password: Option<String>,
) -> Result<NewAccount, ApiError> {
    // The users form runs the same check before sending; the first fault is answered.
    let AccountFields {
        username,
        display_name,
        email,
    } = user.fields().map_err(|problems| {
        let first = problems[0];
        ApiError::At(first.code, first.field)
    })?;
    check_grant(state_store, &user.grant).await?;
    let password_hash = match password {
        Some(password) => {
            auth::check_new_password(&password, &username).map_err(password_error)?;
            auth::hashing(move || auth::hash_password(&password))
                .await
                .map_err(ApiError::Internal)??
        }
        None => auth::NO_PASSWORD.to_owned(),
    };
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
    responses((status = 201, description = "Created without a password, with the link for its holder to set one", body = CreatedUser),
              (status = 403, description = "Role or scope outside the caller's", body = pantau_core::ErrorEnvelope),
              (status = 409, description = "Username taken", body = pantau_core::ErrorEnvelope)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    official: Official,
    JsonBody(user): JsonBody<NewUser>,
) -> Result<(StatusCode, Json<CreatedUser>), ApiError> {
    if !official.account.grant.manages(&user.grant) {
        return Err(ApiError::Code(ErrorCode::Forbidden));
    }
    let account = prepare_account(state.store.as_ref(), user, None).await?;
    let id = match state.store.create_account(&account, Some(&official.actor())).await {
        Err(StoreError::Conflict) => return Err(ApiError::At(ErrorCode::UsernameTaken, Field::Username)),
        other => other?,
    };
    let link = issue_reset_link(&state, id, &official.actor()).await?;
    let created = state
        .store
        .account(id)
        .await?
        .ok_or(ApiError::Code(ErrorCode::UserNotFound))?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUser {
            user: summary(created),
            link,
        }),
    ))
}

/// The account of `id`, when the official manages it and it is not the official's own (an
/// admin neither widens nor disables itself).
async fn managed(state: &AppState, official: &Official, id: i64) -> Result<AccountRecord, ApiError> {
    let account = state
        .store
        .account(id)
        .await?
        .ok_or(ApiError::Code(ErrorCode::UserNotFound))?;
    if account.id == official.account.id || !official.account.grant.manages(&account.grant) {
        return Err(ApiError::Code(ErrorCode::Forbidden));
    }
    Ok(account)
}

#[utoipa::path(put, path = "/users/{id}", tag = "kerja", request_body = UserChange,
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 200, description = "Changed; a new role or scope, or a disabling, ended its sessions", body = UserSummary),
              (status = 403, description = "The account, or its new role and scope, outside what the caller manages; or the caller's own", body = pantau_core::ErrorEnvelope)))]
pub(crate) async fn change(
    State(state): State<AppState>,
    official: Official,
    RecordId(id): RecordId,
    JsonBody(change): JsonBody<UserChange>,
) -> Result<Json<UserSummary>, ApiError> {
    managed(&state, &official, id).await?;
    if !official.account.grant.manages(&change.grant) {
        return Err(ApiError::At(ErrorCode::Forbidden, Field::Scope));
    }
    let change = UserChange {
        display_name: change.display_name.trim().to_owned(),
        ..change
    };
    if !valid_display_name(&change.display_name) {
        return Err(ApiError::At(ErrorCode::InvalidDisplayName, Field::DisplayName));
    }
    check_grant(state.store.as_ref(), &change.grant).await?;
    state.store.update_account(id, &change, &official.actor()).await?;
    let changed = state
        .store
        .account(id)
        .await?
        .ok_or(ApiError::Code(ErrorCode::UserNotFound))?;
    Ok(Json(summary(changed)))
}

#[utoipa::path(post, path = "/users/{id}/sign-out", tag = "kerja",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 204, description = "Every session of the account ended")))]
pub(crate) async fn sign_out_everywhere(
    State(state): State<AppState>,
    official: Official,
    RecordId(id): RecordId,
) -> Result<StatusCode, ApiError> {
    managed(&state, &official, id).await?;
    state.store.sign_out_account(id, &official.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new one-time link for account `id`, replacing earlier ones.
async fn issue_reset_link(state: &AppState, id: i64, issuer: &Actor) -> Result<ResetLink, ApiError> {
    let token = auth::new_token();
    let expires = OffsetDateTime::now_utc().unix_timestamp() + RESET_LINK_SECS;
    state
        .store
        .create_reset(&auth::token_hash(&token), id, expires, issuer)
        .await?;
    Ok(ResetLink {
        // In the fragment: browsers never send it, so it stays out of access logs.
        path: format!("/kerja/#atur-sandi={token}"),
        expires_at: OffsetDateTime::from_unix_timestamp(expires).map_err(|e| ApiError::Internal(e.into()))?,
    })
}

#[utoipa::path(post, path = "/users/{id}/reset-link", tag = "kerja",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 201, description = "A one-time link for the admin to pass on", body = ResetLink)))]
pub(crate) async fn reset_link(
    State(state): State<AppState>,
    official: Official,
    RecordId(id): RecordId,
) -> Result<(StatusCode, Json<ResetLink>), ApiError> {
    managed(&state, &official, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(issue_reset_link(&state, id, &official.actor()).await?),
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
    let (account_id, issuer) = state
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
    state
        .store
        .set_password(account_id, &password_hash, &actor, Some(&issuer))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
