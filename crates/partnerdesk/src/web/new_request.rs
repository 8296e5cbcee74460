//! Report a problem on behalf of a customer, step by step (product.md, "The main flow"): pick
//! the service → "before you submit" (open incidents, matching articles, the admin center; stop
//! here and record a deflection) → the form → confirmation.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use partnerdesk_app::{
    Actor, AppError,
    deflections::DeflectionInput,
    domain::{EnumText, Guid, OrgKind},
    policy,
    store::Organization,
};
use serde::Deserialize;

use super::{
    customers::{IncidentRow, incident_row, parse_customer_id},
    form_with_files::FormWithFiles,
    page::{Frame, OnPage, PageError, Section},
    request_form::{self, FormContext, RequestForm},
    visitor::Visitor,
};
use crate::api::AppState;

/// A customer's admin asks its partner; everyone else here files on a customer's behalf.
fn is_customer(actor: &Actor) -> bool {
    actor.org_kind() == OrgKind::Customer
}

/// The customer and one of its services, checked for this actor.
struct Target {
    customer: Organization,
    service_id: String,
    service_name: String,
    admin_url: String,
}

async fn target(
    state: &AppState,
    visitor: &Visitor,
    customer_id: &str,
    service_id: &str,
) -> Result<Target, PageError> {
    let actor = visitor.actor()?;
    if !policy::may_start_customer_requests(actor) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    let customer_id = parse_customer_id(visitor, customer_id)?;
    let customer = state
        .app
        .customer(actor, customer_id)
        .await
        .on_page(visitor)?;
    let managed = state
        .app
        .managed_services(actor, customer_id)
        .await
        .on_page(visitor)?;
    let service = managed
        .into_iter()
        .find(|m| m.service.id == service_id)
        .ok_or_else(|| visitor.fail(AppError::NotFound))?;
    Ok(Target {
        customer,
        service_id: service.service.id,
        service_name: service.service.name,
        admin_url: service.admin_url,
    })
}

#[derive(Template)]
#[template(path = "web/new_request_service.html")]
struct ServicePage {
    frame: Frame,
    customer: Organization,
    services: Vec<(String, String)>,
    /// A customer goes straight to the form; a partner first sees what may answer the problem.
    next_step: &'static str,
}

/// Step 1: which of the customer's services is the problem with?
pub async fn pick_service(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(customer_id): Path<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    if !policy::may_start_customer_requests(actor) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    let customer_id: Guid = parse_customer_id(&visitor, &customer_id)?;
    let customer = state
        .app
        .customer(actor, customer_id)
        .await
        .on_page(&visitor)?;
    let services = state
        .app
        .managed_services(actor, customer_id)
        .await
        .on_page(&visitor)?
        .into_iter()
        .map(|m| (m.service.id, m.service.name))
        .collect();
    let page = ServicePage {
        frame: visitor.frame("new-request-title", Section::Customers),
        customer,
        services,
        next_step: if is_customer(actor) { "/form" } else { "" },
    };
    Ok(visitor.render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "web/before_you_submit.html")]
struct BeforePage {
    frame: Frame,
    customer: Organization,
    service_id: String,
    service_name: String,
    admin_url: String,
    q: String,
    incidents: Vec<IncidentRow>,
    articles: Vec<ArticleMatch>,
    form_link: String,
}

struct ArticleMatch {
    id: i64,
    title: String,
    body_html: String,
    language: &'static str,
}

/// Step 2: before any form, what may already answer the problem.
pub async fn before_you_submit(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((customer_id, service_id)): Path<(String, String)>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let target = target(&state, &visitor, &customer_id, &service_id).await?;
    let actor = visitor.actor()?;
    // Checking health and self-help before escalating is the partner's step (product.md).
    if is_customer(actor) {
        return Ok(visitor.redirect(
            &format!(
                "/customers/{}/new/{}/form",
                target.customer.id, target.service_id
            ),
            None,
        ));
    }
    let q = raw
        .get("q")
        .map(|q| q.trim().to_string())
        .unwrap_or_default();
    let found = state
        .app
        .self_help(
            actor,
            target.customer.id,
            Some(&target.service_id),
            Some(&q),
            visitor.locale.content(),
        )
        .await
        .on_page(&visitor)?;
    let names = HashMap::from([(target.service_id.clone(), target.service_name.clone())]);
    let mut form_link = format!(
        "/customers/{}/new/{}/form",
        target.customer.id, target.service_id
    );
    if !q.is_empty() {
        let title: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("title", &q)
            .finish();
        form_link = format!("{form_link}?{title}");
    }
    let page = BeforePage {
        frame: visitor.frame("before-title", Section::Customers),
        incidents: found
            .incidents
            .iter()
            .map(|i| incident_row(&visitor, i, &names))
            .collect(),
        articles: found
            .articles
            .iter()
            .map(|(a, _)| ArticleMatch {
                id: a.id,
                title: a.fields.title.clone(),
                body_html: a.fields.body_html.clone(),
                language: match a.fields.locale.as_str() {
                    "zh" => "zh-CN",
                    "ru" => "ru-RU",
                    _ => "en-US",
                },
            })
            .collect(),
        customer: target.customer,
        service_id: target.service_id,
        service_name: target.service_name,
        admin_url: target.admin_url,
        q,
        form_link,
    };
    Ok(visitor.render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct DeflectForm {
    #[serde(default)]
    reason: String,
    #[serde(default, rename = "articleId")]
    article_id: Option<String>,
    #[serde(default, rename = "incidentId")]
    incident_id: Option<String>,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// The partner stops here: record why (a deflection), back to the customer.
pub async fn deflect(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((customer_id, service_id)): Path<(String, String)>,
    Form(form): Form<DeflectForm>,
) -> Result<Response, PageError> {
    if !visitor.sent_form_token(&form.csrf) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    let target = target(&state, &visitor, &customer_id, &service_id).await?;
    let actor = visitor.actor()?;
    state
        .app
        .record_deflection(
            actor,
            target.customer.id,
            &DeflectionInput {
                service_id: Some(target.service_id),
                reason: Some(form.reason),
                article_id: form.article_id,
                incident_id: form.incident_id,
            },
        )
        .await
        .on_page(&visitor)?;
    Ok(visitor.redirect(
        &format!("/customers/{}", target.customer.id),
        Some("flash-deflection-recorded"),
    ))
}

/// The form for this customer and service.
async fn form_context(
    state: &AppState,
    visitor: &Visitor,
    target: &Target,
) -> Result<FormContext, PageError> {
    let actor = visitor.actor()?;
    let customer_filing = is_customer(actor);
    let topics = state
        .app
        .topics(Some(&target.service_id))
        .await
        .on_page(visitor)?
        .into_iter()
        // Only topics this user may file under (a billing admin: billing ones).
        .filter(|t| customer_filing || policy::may_file_for_customer(actor, t.category))
        .map(|t| (t, None))
        .collect();
    let here = format!(
        "/customers/{}/new/{}",
        target.customer.id, target.service_id
    );
    Ok(FormContext {
        crumbs: vec![
            (
                format!("/customers/{}", target.customer.id),
                target.customer.name.clone(),
            ),
            (here.clone(), target.service_name.clone()),
        ],
        action: format!("{here}/form"),
        back: if customer_filing {
            format!("/customers/{}/new", target.customer.id)
        } else {
            here
        },
        customer_filing,
        topics,
        section: Section::Customers,
    })
}

/// Step 3: the form, the partner's contact prefilled from the signed-in user.
pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((customer_id, service_id)): Path<(String, String)>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let target = target(&state, &visitor, &customer_id, &service_id).await?;
    let context = form_context(&state, &visitor, &target).await?;
    let actor = visitor.actor()?;
    let form = RequestForm::prefilled(&visitor, actor, raw.get("title").cloned());
    Ok(request_form::show(&visitor, &context, form))
}

/// Submit: straight to the operator (a customer's: to its partner); a failed submit shows the
/// form again, as typed, with each bad field named.
pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((customer_id, service_id)): Path<(String, String)>,
    sent: FormWithFiles<RequestForm>,
) -> Result<Response, PageError> {
    let target = target(&state, &visitor, &customer_id, &service_id).await?;
    let context = form_context(&state, &visitor, &target).await?;
    let actor = visitor.actor()?;
    let (app, locale) = (&state.app, visitor.locale.tag());
    request_form::submit(&state, &visitor, &context, sent, async |input| {
        app.create_customer_request(actor, target.customer.id, locale, &input)
            .await
    })
    .await
}

#[derive(Template)]
#[template(path = "web/request_submitted.html")]
struct SubmittedPage {
    frame: Frame,
    /// Held by the partner (a customer's request), not yet the operator.
    at_partner: bool,
    id: String,
    title: String,
    customer: String,
    contact: String,
    severity_label: String,
    target: String,
}

/// Step 4: the request id and what happens next.
pub async fn submitted(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let view = state.app.request(actor, &id).await.on_page(&visitor)?;
    let r = &view.request;
    let locale = visitor.locale;
    let page = SubmittedPage {
        frame: visitor.frame("submitted-title", Section::Customers),
        at_partner: r.tier == partnerdesk_app::domain::Tier::Partner,
        id: r.id.to_string(),
        title: r.title.clone(),
        customer: r.organization_name.clone(),
        contact: [
            r.contact.first_name.clone().unwrap_or_default(),
            r.contact.last_name.clone().unwrap_or_default(),
        ]
        .join(" ")
        .trim()
        .to_string(),
        severity_label: locale.text(&format!("severity-{}", r.severity)),
        target: locale.text_with(
            "sla-target",
            &[("hours", r.severity.default_first_response_hours().into())],
        ),
    };
    Ok(visitor.render(StatusCode::OK, &page))
}
