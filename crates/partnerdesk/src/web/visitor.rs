//! Who is looking at a page: signed in or not, in which language, with which form token, and
//! the one-time message the previous page left.

use axum::{
    extract::FromRequestParts,
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
};
use partnerdesk_app::{Actor, AppError};

use super::page::PageError;
use crate::{api::AppState, cookies, i18n::Locale};

/// The language chosen before signing in.
pub const LANGUAGE_COOKIE: &str = "pd_lang";
/// Before sign-in, the token the sign-in and language forms must send back (double submit).
pub const FORM_COOKIE: &str = "pd_form";
/// The key of a message to show once on the next page.
pub const FLASH_COOKIE: &str = "pd_flash";

#[derive(Clone)]
pub struct Visitor {
    pub actor: Option<Actor>,
    /// The session cookie's value, when signed in (to sign out).
    pub session_secret: Option<String>,
    pub locale: Locale,
    /// What every form sends back as `_csrf`: the session's token, or before sign-in the form
    /// cookie's.
    pub form_token: String,
    /// The form cookie must be set with this response (it was missing).
    pub new_form_cookie: bool,
    /// A message key left by the previous page (a `flash-…` text).
    pub flash: Option<String>,
    /// The path and query of this page, for coming back to it.
    pub here: String,
    pub secure_cookies: bool,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let secret = cookies::read(&parts.headers, cookies::SESSION);
        let session = match secret {
            Some(secret) => match state.app.session_actor(secret).await {
                Ok(found) => Some(found),
                // An expired or unknown session is a visitor who is not signed in.
                Err(AppError::Unauthenticated) => None,
                Err(e) => {
                    tracing::error!(error = %e, "cannot read the session");
                    return Err(StatusCode::SERVICE_UNAVAILABLE.into_response());
                }
            },
            None => None,
        };
        let chosen = session
            .as_ref()
            .and_then(|(actor, _)| actor.user.locale.as_deref())
            .or_else(|| cookies::read(&parts.headers, LANGUAGE_COOKIE))
            .and_then(Locale::parse);
        let locale = chosen.unwrap_or_else(|| Locale::from_headers(&parts.headers));
        let flash = cookies::read(&parts.headers, FLASH_COOKIE)
            .filter(|key| key.starts_with("flash-") && locale.has(key))
            .map(str::to_string);
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let (actor, form_token, new_form_cookie) = match session {
            Some((actor, csrf)) => (Some(actor), csrf, false),
            None => match cookies::read(&parts.headers, FORM_COOKIE).filter(|t| t.len() >= 32) {
                Some(token) => (None, token.to_string(), false),
                None => (None, new_form_token(), true),
            },
        };
        let visitor = Visitor {
            session_secret: actor.as_ref().and(secret).map(str::to_string),
            actor,
            locale,
            form_token,
            new_form_cookie,
            flash,
            here,
            secure_cookies: state.secure_cookies,
        };
        // A form sent by a signed-in user is a write: the same per-user limit as the API's.
        if !parts.method.is_safe()
            && let Some(actor) = &visitor.actor
            && let Err(limited) = state.app.count_write(actor)
        {
            return Err(visitor.fail(limited).into_response());
        }
        Ok(visitor)
    }
}

impl Visitor {
    /// Whether a submitted form carries this visitor's token (else it may come from another
    /// site).
    pub fn sent_form_token(&self, sent: &str) -> bool {
        !self.new_form_cookie && cookies::same_token(sent, &self.form_token)
    }

    /// The signed-in actor; a visitor who is not signed in is sent to the sign-in page.
    pub fn actor(&self) -> Result<&Actor, PageError> {
        self.actor
            .as_ref()
            .ok_or_else(|| self.fail(AppError::Unauthenticated))
    }
}

pub fn new_form_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A path on this site to return to: relative, not `//host` (no open redirect), and already
/// percent-encoded (a control character would not even make a valid header).
pub fn local_path(path: Option<&str>) -> &str {
    match path {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && p.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            p
        }
        _ => "/",
    }
}

/// A form that carries nothing but its token (a button that does one thing).
#[derive(serde::Deserialize)]
pub struct TokenOnlyForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
}
