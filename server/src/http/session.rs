//! Sign-in, sign-out and the [`Official`] extractor that every workspace handler takes: it
//! finds the session from its cookie, applies the idle and absolute expiry, and checks the
//! CSRF header on every state-changing request.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::Json;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use pantau_core::account::{Action, Me, SignIn};
use pantau_core::{AreaCode, ErrorCode, Field};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use super::json::JsonBody;
use super::ApiError;
use crate::auth::{self, SESSION_ABSOLUTE_SECS, SESSION_IDLE_SECS};
use crate::store::{AccountRecord, Actor};
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Header that carries the session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Activity is written at most this often, so reads do not all become writes.
const TOUCH_EVERY_SECS: i64 = 60;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me, sign_in, sign_out))
        .routes(routes!(sign_out_everywhere))
}

/// The session cookie's name. `__Host-` makes the browser insist on Secure, path `/` and no
/// domain, so no subdomain can plant or read it.
pub(crate) fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-pantau_session"
    } else {
        "pantau_session"
    }
}

/// The cookie that marks a browser its account signed in from before.
pub(crate) fn device_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-pantau_device"
    } else {
        "pantau_device"
    }
}

fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// A signed-in official, for handlers that need one.
pub struct Official {
    /// The account.
    pub account: AccountRecord,
    /// Hash of the session token.
    pub token_hash: String,
    /// The session's CSRF token.
    pub csrf: String,
}

impl Official {
    /// For the audit log.
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.account.id,
            username: self.account.username.clone(),
        }
    }

    /// `Forbidden` unless the role may do `action` at `area`.
    pub fn require(&self, action: Action, area: &AreaCode) -> Result<(), ApiError> {
        if self.account.grant.allows(action, area) {
            Ok(())
        } else {
            Err(ApiError::Code(ErrorCode::Forbidden))
        }
    }
}

impl FromRequestParts<AppState> for Official {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(cookie_name(state.cookie_secure))
            .map(|c| c.value().to_owned())
            .ok_or(ApiError::Code(ErrorCode::Unauthenticated))?;
        let token_hash = auth::token_hash(&token);
        let session = state
            .store
            .session(&token_hash)
            .await?
            .ok_or(ApiError::Code(ErrorCode::Unauthenticated))?;
        let now = now();
        if now - session.created_at > SESSION_ABSOLUTE_SECS || now - session.last_seen > SESSION_IDLE_SECS {
            state.store.end_session(&token_hash).await?;
            return Err(ApiError::Code(ErrorCode::SessionExpired));
        }
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts.headers.get(CSRF_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
            if !bool::from(sent.ct_eq(session.csrf.as_bytes())) {
                return Err(ApiError::Code(ErrorCode::CsrfMismatch));
            }
        }
        if now - session.last_seen > TOUCH_EVERY_SECS {
            state.store.touch_session(&token_hash, now).await?;
        }
        Ok(Self {
            account: session.account,
            token_hash,
            csrf: session.csrf,
        })
    }
}

async fn me_of(state: &AppState, account: &AccountRecord, csrf: String) -> Result<Me, ApiError> {
    let scope_name = state.store.area_name(&account.grant.scope).await?;
    Ok(Me {
        user_id: account.id,
        username: account.username.clone(),
        display_name: account.display_name.clone(),
        grant: account.grant.clone(),
        scope_name,
        csrf_token: csrf,
    })
}

/// The peer address, when the server was started with connection info (tests are not).
pub(crate) fn client_address(state: &AppState, parts: &axum::http::Extensions, headers: &HeaderMap) -> IpAddr {
    let peer = parts
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    forwarded_client(peer, &forwarded, &state.trusted_proxies)
}

/// The client behind trusted proxies: the connection's address unless it is a trusted
/// proxy, then the last address of `X-Forwarded-For` that is not (each proxy appends the
/// address it got the request from, so anything before the first untrusted hop may be forged).
fn forwarded_client(peer: IpAddr, forwarded_for: &str, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    forwarded_for
        .rsplit(',')
        .map(|hop| hop.trim().parse::<IpAddr>())
        .take_while(Result::is_ok)
        .flatten()
        .find(|hop| !trusted.contains(hop))
        .unwrap_or(peer)
}

#[utoipa::path(get, path = "/session", tag = "kerja",
    responses((status = 200, description = "Signed in", body = Me), (status = 401, description = "Not signed in", body = pantau_core::ErrorEnvelope)))]
pub(crate) async fn me(State(state): State<AppState>, official: Official) -> Result<Json<Me>, ApiError> {
    Ok(Json(me_of(&state, &official.account, official.csrf).await?))
}

#[utoipa::path(post, path = "/session", tag = "kerja", request_body = SignIn,
    responses((status = 200, description = "Signed in; sets the session cookie", body = Me),
              (status = 401, description = "Wrong login or password", body = pantau_core::ErrorEnvelope),
              (status = 429, description = "Too many attempts", body = pantau_core::ErrorEnvelope)))]
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    jar: CookieJar,
    extensions: axum::http::Extensions,
    headers: HeaderMap,
    JsonBody(sign_in): JsonBody<SignIn>,
) -> Result<(CookieJar, Json<Me>), ApiError> {
    let address = client_address(&state, &extensions, &headers);
    let account = state.store.account_by_login(&sign_in.login).await?;
    // A browser this account signed in from before is throttled on its own (OWASP's device
    // cookies): guessing at the username from elsewhere does not lock the holder out.
    let device = jar
        .get(device_cookie_name(state.cookie_secure))
        .map(|cookie| auth::token_hash(cookie.value()));
    let known_device = match (&device, &account) {
        (Some(hash), Some(account)) => state.store.device_account(hash).await? == Some(account.id),
        _ => false,
    };
    let allowed = match device.as_deref().filter(|_| known_device) {
        Some(hash) => state.throttle.allow_device(hash, address),
        None => state.throttle.allow(&sign_in.login, address),
    };
    if !allowed {
        tracing::info!(%address, "sign-in throttled");
        return Err(ApiError::Code(ErrorCode::TooManyAttempts));
    }
    let hash = account.as_ref().filter(|a| a.active).map(|a| a.password_hash.clone());
    let password = sign_in.password;
    let ok = auth::hashing(move || auth::verify_password(hash.as_deref(), &password))
        .await
        .map_err(ApiError::Internal)?;
    let Some(account) = account.filter(|_| ok) else {
        tracing::info!(%address, "sign-in refused");
        return Err(ApiError::At(ErrorCode::InvalidCredentials, Field::Login));
    };
    let token = auth::new_token();
    let csrf = auth::new_token();
    state
        .store
        .create_session(&auth::token_hash(&token), account.id, &csrf, now())
        .await?;
    state.store.note_sign_in(account.id).await?;
    tracing::info!(account = account.id, "signed in");
    let cookie = private_cookie(
        cookie_name(state.cookie_secure),
        token,
        state.cookie_secure,
        time::Duration::seconds(SESSION_ABSOLUTE_SECS),
    );
    let me = me_of(&state, &account, csrf).await?;
    let mut jar = jar.add(cookie);
    if !known_device {
        let token = auth::new_token();
        state
            .store
            .remember_device(&auth::token_hash(&token), account.id, now())
            .await?;
        let name = device_cookie_name(state.cookie_secure);
        jar = jar.add(private_cookie(
            name,
            token,
            state.cookie_secure,
            time::Duration::days(365),
        ));
    }
    Ok((jar, Json(me)))
}

/// A cookie only the server reads: `HttpOnly`, `SameSite=Strict`, whole site, `Secure` unless
/// serving plain HTTP on loopback.
fn private_cookie(name: &'static str, value: String, secure: bool, max_age: time::Duration) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .path("/")
        .max_age(max_age)
        .build()
}

fn removal(state: &AppState) -> Cookie<'static> {
    Cookie::build((cookie_name(state.cookie_secure), ""))
        .path("/")
        .secure(state.cookie_secure)
        .build()
}

/// What a sign-out answers: the cookie removed, no body.
type SignedOut = Result<(CookieJar, StatusCode), ApiError>;

/// Which sessions a sign-out ends.
enum Ending {
    /// The caller's own.
    This,
    /// Every session of the caller's account, this one among them.
    Every,
}

async fn sign_out_of(state: AppState, jar: CookieJar, official: Official, ending: Ending) -> SignedOut {
    match ending {
        Ending::This => state.store.end_session(&official.token_hash).await?,
        Ending::Every => state.store.end_all_sessions(official.account.id).await?,
    }
    Ok((jar.remove(removal(&state)), StatusCode::NO_CONTENT))
}

#[utoipa::path(delete, path = "/session", tag = "kerja",
    responses((status = 204, description = "Signed out")))]
pub(crate) async fn sign_out(State(state): State<AppState>, jar: CookieJar, official: Official) -> SignedOut {
    sign_out_of(state, jar, official, Ending::This).await
}

#[utoipa::path(delete, path = "/sessions", tag = "kerja",
    responses((status = 204, description = "Every session of the account ended")))]
pub(crate) async fn sign_out_everywhere(
    State(state): State<AppState>,
    jar: CookieJar,
    official: Official,
) -> SignedOut {
    sign_out_of(state, jar, official, Ending::Every).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_behind_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let stranger: IpAddr = "198.51.100.9".parse().unwrap();
        // No trusted proxy: the header is anyone's to forge.
        assert_eq!(forwarded_client(stranger, "203.0.113.7", &[]), stranger);
        // From the proxy: the hop it got the request from, not what the client claimed before.
        assert_eq!(forwarded_client(proxy, "1.2.3.4, 203.0.113.7", &[proxy]), client);
        // Two proxies in a row: the last untrusted hop.
        let inner: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(
            forwarded_client(inner, "203.0.113.7, 10.0.0.1", &[proxy, inner]),
            client
        );
        // A trusted peer that forwards nothing readable stays itself.
        assert_eq!(forwarded_client(proxy, "", &[proxy]), proxy);
        assert_eq!(forwarded_client(proxy, "bukan-alamat", &[proxy]), proxy);
    }
}
