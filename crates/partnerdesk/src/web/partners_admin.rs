//! The operator's partners: the list (every operator role), and for the operator's admin a form
//! to add one and a button to suspend or reinstate each (a suspended partner's people cannot
//! sign in).

use std::collections::HashMap;

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::Response,
};
use partnerdesk_app::{customers::PartnerInput, domain::Guid, policy, store::Organization};
use serde::Deserialize;

use super::{
    page::{Frame, OnPage, PageError, Section, check_form_token, field_messages, shown_time},
    visitor::Visitor,
};
use crate::api::AppState;

const PAGE_SIZE: i64 = 200;

#[derive(Template)]
#[template(path = "web/admin_partners.html")]
struct PartnersPage {
    frame: Frame,
    q: String,
    /// (partner, suspended since)
    partners: Vec<(Organization, Option<String>)>,
    may_manage: bool,
    new_partner: NewPartnerForm,
    errors: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct NewPartnerForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    phone: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    q: String,
    new_partner: NewPartnerForm,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let query = Some(q.as_str()).filter(|q| !q.trim().is_empty());
    let found = state
        .app
        .partners(actor, query, 0, PAGE_SIZE)
        .await
        .on_page(visitor)?;
    let page = PartnersPage {
        frame: visitor.frame("partners-title", Section::Partners),
        partners: found
            .items
            .into_iter()
            .map(|p| {
                let since = p.suspended_at.map(shown_time);
                (p, since)
            })
            .collect(),
        may_manage: policy::may_manage_partners(actor),
        q,
        new_partner,
        errors,
    };
    Ok(visitor.render_form(!page.errors.is_empty(), &page))
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let q = raw.get("q").cloned().unwrap_or_default();
    render(&state, &visitor, q, NewPartnerForm::default(), vec![]).await
}

pub async fn add(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<NewPartnerForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    let given = |v: &str| Some(v.trim()).filter(|v| !v.is_empty()).map(str::to_string);
    let (country, phone) = (given(&form.country), given(&form.phone));
    let input = PartnerInput {
        name: Some(form.name.as_str()),
        country: country.as_deref(),
        phone: phone.as_deref(),
        suspended: None,
    };
    match state.app.create_partner(actor, &input).await {
        Ok(_) => Ok(visitor.redirect("/admin/partners", Some("flash-partner-added"))),
        Err(e) => {
            let errors = field_messages(&visitor, e)?;
            render(&state, &visitor, String::new(), form, errors).await
        }
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// `suspend` or `reinstate` one partner.
pub async fn change(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, step)): Path<(String, String)>,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    let id: Guid = id
        .parse()
        .map_err(|_| visitor.fail(partnerdesk_app::AppError::NotFound))?;
    let (suspended, flash) = match step.as_str() {
        "suspend" => (true, "flash-partner-suspended"),
        "reinstate" => (false, "flash-partner-reinstated"),
        _ => return Err(visitor.fail(partnerdesk_app::AppError::NotFound)),
    };
    let input = PartnerInput {
        name: None,
        country: None,
        phone: None,
        suspended: Some(suspended),
    };
    state
        .app
        .update_partner(actor, id, &input)
        .await
        .on_page(&visitor)?;
    Ok(visitor.redirect("/admin/partners", Some(flash)))
}
