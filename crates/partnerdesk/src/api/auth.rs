//! Who is calling: `Authorization: Bearer <token>`, or the session cookie, for which every unsafe
//! method must echo the session's CSRF token in `X-CSRF-Token`.

use axum::{extract::FromRequestParts, http::request::Parts};
use partnerdesk_app::{Actor, AppError};

use super::{AppState, error::ApiError};
use crate::{cookies, i18n::Locale};

/// The authenticated caller, with the language its messages should be in.
pub struct Caller {
    pub actor: Actor,
    pub locale: Locale,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let locale = Locale::from_headers(&parts.headers);
        let fail = |e: AppError| ApiError::from(e).in_locale(locale);
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim);
        let actor = if let Some(token) = bearer {
            state.app.token_actor(token).await.map_err(fail)?
        } else if let Some(session) = cookies::read(&parts.headers, cookies::SESSION) {
            let (actor, csrf) = state.app.session_actor(session).await.map_err(fail)?;
            if !parts.method.is_safe() {
                let sent = parts
                    .headers
                    .get("x-csrf-token")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                if sent.is_empty() || !cookies::same_token(sent, &csrf) {
                    return Err(fail(AppError::Forbidden));
                }
            }
            actor
        } else {
            return Err(fail(AppError::Unauthenticated));
        };
        if !parts.method.is_safe() {
            state.app.count_write(&actor).map_err(fail)?;
        }
        Ok(Caller { actor, locale })
    }
}
