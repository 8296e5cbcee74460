//! Signing in and out with a session cookie (for the pages, and API clients that prefer it).

use axum::{
    Json,
    extract::{ConnectInfo, FromRequestParts, State},
    http::{HeaderMap, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use std::net::SocketAddr;
use utoipa::ToSchema;

use super::{
    AppState, auth,
    error::{ApiError, ErrorBody},
    json::ApiJson,
    shapes::{self, SessionShape},
};
use crate::{cookies, i18n::Locale};

/// E-mail and password.
#[derive(Deserialize, Default, ToSchema)]
#[schema(as = Credentials)]
pub struct SignInBody {
    email: Option<String>,
    password: Option<String>,
}

#[utoipa::path(post, path = "/session", tag = "account",
    summary = "Sign in: sets the session cookie and returns its CSRF token",
    description = "Every unsafe request made with the cookie must send the token in `X-CSRF-Token`. Rate limited per e-mail and per client.",
    request_body = SignInBody, security(()),
    responses((status = 201, body = SessionShape), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SignInBody>,
) -> Result<Response, ApiError> {
    let locale = Locale::from_headers(&headers);
    let session = state
        .app
        .sign_in(
            body.email.as_deref().unwrap_or(""),
            body.password.as_deref().unwrap_or(""),
            &peer.ip().to_string(),
        )
        .await
        .map_err(|e| ApiError::from(e).in_locale(locale))?;
    let max_age = partnerdesk_app::accounts::SESSION_LIFETIME.as_secs();
    let mut response = (
        StatusCode::CREATED,
        Json(shapes::session(&session.csrf_token, &session.user)),
    )
        .into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        cookies::set(
            cookies::SESSION,
            &session.secret,
            max_age,
            state.secure_cookies,
        ),
    );
    Ok(response)
}

#[utoipa::path(delete, path = "/session", tag = "account", summary = "Sign out: ends the session",
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn sign_out(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    let mut parts = parts;
    // Only a signed-in caller (with its CSRF token) can sign out.
    let caller = auth::Caller::from_request_parts(&mut parts, &state).await?;
    if let Some(secret) = cookies::read(&parts.headers, cookies::SESSION) {
        state
            .app
            .sign_out(secret)
            .await
            .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        cookies::set(cookies::SESSION, "", 0, state.secure_cookies),
    );
    Ok(response)
}
