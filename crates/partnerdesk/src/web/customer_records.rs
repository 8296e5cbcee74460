//! The forms that change customers: a new customer (with its reseller relationship), a
//! customer's record, a service to add, and (the operator's admin) another partner to link.
//! A refused form comes back with what was typed and each bad field named.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use partnerdesk_app::{
    AppError,
    customer_records::CustomerInput,
    domain::{Guid, OrgKind},
    policy,
};
use serde::Deserialize;

use super::{
    customers::{
        CustomerDraft, CustomerForm, ServiceForm, parse_customer_id, partner_choices,
        render_customer,
    },
    page::{Frame, PageError, Section, check_form_token, field_messages},
    visitor::Visitor,
};
use crate::api::AppState;

#[derive(Template)]
#[template(path = "web/customer_new.html")]
struct NewCustomerPage {
    frame: Frame,
    form: CustomerForm,
    errors: Vec<String>,
    /// Every partner, as (id, name), for the operator's admin to choose from.
    partners: Option<Vec<(String, String)>>,
}

async fn render_new(
    state: &AppState,
    visitor: &Visitor,
    form: CustomerForm,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    if !policy::may_edit_customers(actor) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    let partners = if actor.org_kind() == OrgKind::Operator {
        Some(partner_choices(state, visitor).await?)
    } else {
        None
    };
    let page = NewCustomerPage {
        frame: visitor.frame("customer-add", Section::Customers),
        form,
        errors,
        partners,
    };
    Ok(visitor.render_form(!page.errors.is_empty(), &page))
}

fn given(value: &str) -> Option<String> {
    Some(value.trim().to_string()).filter(|v| !v.is_empty())
}

fn input_of(form: &CustomerForm) -> CustomerInput {
    CustomerInput {
        name: Some(form.name.clone()),
        domain: Some(form.domain.clone()),
        country: Some(form.country.clone()),
        tenant_id: given(&form.tenant_id),
        partner_id: given(&form.partner_id),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    render_new(&state, &visitor, CustomerForm::default(), vec![]).await
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<CustomerForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    match state.app.create_customer(actor, &input_of(&form)).await {
        Ok(customer) => Ok(visitor.redirect(
            &format!("/customers/{}", customer.id),
            Some("flash-customer-added"),
        )),
        Err(e) => {
            let errors = field_messages(&visitor, e)?;
            render_new(&state, &visitor, form, errors).await
        }
    }
}

/// Back to the customer's page after one of its forms: with a flash when `done`, else the page
/// again with what `refused` keeps of the form and the field messages.
async fn back_to_customer<T>(
    state: &AppState,
    visitor: &Visitor,
    id: Guid,
    done: partnerdesk_app::Result<T>,
    refused: impl FnOnce(Vec<String>) -> CustomerDraft,
) -> Result<Response, PageError> {
    match done {
        Ok(_) => Ok(visitor.redirect(&format!("/customers/{id}"), Some("flash-customer-saved"))),
        Err(e) => {
            let draft = refused(field_messages(visitor, e)?);
            render_customer(state, visitor, id, draft).await
        }
    }
}

pub async fn change_record(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(customer_id): Path<String>,
    Form(form): Form<CustomerForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    let id = parse_customer_id(&visitor, &customer_id)?;
    let input = CustomerInput {
        tenant_id: None,
        partner_id: None,
        ..input_of(&form)
    };
    let done = state.app.update_customer(actor, id, &input).await;
    back_to_customer(&state, &visitor, id, done, |errors| CustomerDraft {
        record: Some((form, errors)),
        ..CustomerDraft::default()
    })
    .await
}

pub async fn add_service(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(customer_id): Path<String>,
    Form(form): Form<ServiceForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    let id = parse_customer_id(&visitor, &customer_id)?;
    let done = state
        .app
        .add_customer_service(actor, id, &form.service_id, Some(&form.region))
        .await;
    back_to_customer(&state, &visitor, id, done, |errors| CustomerDraft {
        service: Some((form, errors)),
        ..CustomerDraft::default()
    })
    .await
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    partner_id: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn link_partner(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(customer_id): Path<String>,
    Form(form): Form<LinkForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    let id = parse_customer_id(&visitor, &customer_id)?;
    let done = state
        .app
        .link_customer(actor, id, &form.partner_id, true)
        .await;
    back_to_customer(&state, &visitor, id, done, |errors| CustomerDraft {
        link: Some((form.partner_id, errors)),
        ..CustomerDraft::default()
    })
    .await
}
