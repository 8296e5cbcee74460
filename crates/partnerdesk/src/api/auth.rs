//! Who is calling: `Authorization: Bearer <token>`, or the session cookie, for which every unsafe
//! method must echo the session's CSRF token in `X-CSRF-Token`.

use axum::{extract::FromRequestParts, http::request::Parts};
use partnerdesk_app::{Actor, AppError};

use super::{AppState, error::ApiError};
use crate::i18n::Locale;

pub const SESSION_COOKIE: &str = "pd_session";

/// The authenticated caller, with the language its messages should be in.
pub struct Caller {
    pub actor: Actor,
    pub locale: Locale,
}

pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('='))
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
        } else if let Some(session) = cookie(parts, SESSION_COOKIE) {
            let (actor, csrf) = state.app.session_actor(session).await.map_err(fail)?;
            if !parts.method.is_safe() {
                let sent = parts
                    .headers
                    .get("x-csrf-token")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                if sent.is_empty() || !constant_time_eq(sent.as_bytes(), csrf.as_bytes()) {
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

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
