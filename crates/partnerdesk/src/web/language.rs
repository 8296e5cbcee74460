//! The language switch: saved on the user when signed in (it then wins over the browser's
//! Accept-Language), and in a cookie for the pages before sign-in.

use axum::{Form, extract::State, http::header, response::Response};
use partnerdesk_app::AppError;
use serde::Deserialize;

use super::{
    page::{OnPage, PageError},
    visitor::{LANGUAGE_COOKIE, Visitor, local_path},
};
use crate::{api::AppState, cookies, i18n::Locale};

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    locale: String,
    #[serde(default)]
    back: Option<String>,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn switch(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<LanguageForm>,
) -> Result<Response, PageError> {
    if !visitor.sent_form_token(&form.csrf) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    let Some(locale) = Locale::parse(&form.locale) else {
        return Err(visitor.fail(partnerdesk_app::domain::FieldError::invalid(
            "locale",
            "en-US, zh-CN or ru-RU",
        )));
    };
    if let Some(actor) = &visitor.actor {
        state
            .app
            .set_locale(actor, locale.tag())
            .await
            .on_page(&visitor)?;
    }
    // The next page is read in the new language, message included.
    let visitor = Visitor { locale, ..visitor };
    let mut response = visitor.redirect(
        local_path(form.back.as_deref()),
        Some("flash-language-saved"),
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(
            LANGUAGE_COOKIE,
            locale.tag(),
            365 * 86_400,
            visitor.secure_cookies,
        ),
    );
    Ok(response)
}
