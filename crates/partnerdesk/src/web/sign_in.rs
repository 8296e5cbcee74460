//! Signing in and out of the console.

use std::net::SocketAddr;

use askama::Template;
use axum::{
    Form,
    extract::{ConnectInfo, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use partnerdesk_app::AppError;
use serde::Deserialize;

use super::{
    page::{Frame, OnPage, PageError, Section},
    visitor::{FORM_COOKIE, Visitor, local_path},
};
use crate::{api::AppState, cookies};

#[derive(Template)]
#[template(path = "web/sign_in.html")]
struct SignInPage {
    frame: Frame,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NextParam {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// The sign-in form (`/` shows it too, to a visitor who is not signed in).
pub fn form_page(visitor: &Visitor, next: &str, email: &str, error: Option<String>) -> Response {
    let status = if error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    let page = SignInPage {
        frame: visitor.frame("sign-in-title", Section::None),
        email: email.to_string(),
        next: local_path(Some(next)).to_string(),
        error,
    };
    visitor.render(status, &page)
}

pub async fn form(visitor: Visitor, Query(params): Query<NextParam>) -> Response {
    let next = local_path(params.next.as_deref());
    if visitor.actor.is_some() {
        return visitor.redirect(next, None);
    }
    form_page(&visitor, next, "", None)
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    visitor: Visitor,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = local_path(form.next.as_deref()).to_string();
    if visitor.actor.is_none() && !visitor.sent_form_token(&form.csrf) {
        return form_page(
            &visitor,
            &next,
            &form.email,
            Some(visitor.locale.text("error-bad_form")),
        );
    }
    match state
        .app
        .sign_in(&form.email, &form.password, &peer.ip().to_string())
        .await
    {
        Ok(session) => {
            let mut response = visitor.redirect(&next, None);
            let max_age = partnerdesk_app::accounts::SESSION_LIFETIME.as_secs();
            let headers = response.headers_mut();
            headers.append(
                header::SET_COOKIE,
                cookies::set(
                    cookies::SESSION,
                    &session.secret,
                    max_age,
                    visitor.secure_cookies,
                ),
            );
            // The pre-sign-in token has served; the session's own token replaces it.
            headers.append(
                header::SET_COOKIE,
                cookies::set(FORM_COOKIE, "", 0, visitor.secure_cookies),
            );
            response
        }
        Err(e @ (AppError::BadCredentials | AppError::RateLimited { .. })) => {
            let message = visitor.locale.describe(e.code());
            form_page(&visitor, &next, &form.email, Some(message))
        }
        Err(e) => visitor.fail(e).into_response(),
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    if visitor.actor.is_none() {
        return Ok(visitor.redirect("/", None));
    }
    if !visitor.sent_form_token(&form.csrf) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    // The request carried the session cookie, or there would be no actor.
    let secret = visitor.session_secret.clone().unwrap_or_default();
    state.app.sign_out(&secret).await.on_page(&visitor)?;
    let mut response = visitor.redirect("/", Some("flash-signed-out"));
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(cookies::SESSION, "", 0, visitor.secure_cookies),
    );
    Ok(response)
}
